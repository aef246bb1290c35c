"""Text left untranslated: the source copied as is, sentences still in the source language, or
single source-language words inside an English sentence (`service.checks.untranslated_words`).

Rules (all major):
- `copied-source`: the translation equals the source after whitespace, width and case
  normalisation. Names, numbers, URLs and codes legitimately stay the same, so a segment shorter
  than three words is only flagged when its words are dictionary words of the source language
  and not of the target one ("Annuler", "Cliquez ici"; not "Paris", "Le Monde" or "OK"), and a
  longer one not when it is a name (every word capitalised but for particles: "Banque de
  France") or already in the target language (an English quotation in a French article).
- `wrong-language`: a sentence of the translation (`service.segment.split_sentences`) that a
  language identifier places in another language with probability >= 0.9. Not looked for when
  the whole segment is already a copied-source.
- `untranslated-word`: a word of the source language left inside a translated sentence
  (`service.checks.untranslated_words`); not looked for inside a wrong-language sentence.

Language identification uses py3langid (a maintained fork of langid.py, naive Bayes over byte
n-grams; its model ships inside the wheel, so nothing is downloaded at run time), restricted to
the source and target languages and a few common ones, loaded once on first use behind a lock,
never at import. Its verdict is only asked for when it is reliable and relevant:
- capitalised words other than the first (names: "Conseil d'État", "Olympique de Marseille")
  are dropped first, since English news keeps French names and they pull the identifier toward
  French;
- at least 4 remaining words and 16 letters are needed: shorter headings are skipped;
- a sentence with a share of target-language function words ("the", "of", "was") of at least
  10 % reads as the target language whatever the identifier says about the rest of it;
- a short sentence gives the identifier little to go on ("Le suspect a pris la fuite." is only
  0.82 French), so one without any target function word, with at least 25 % source function
  words and that the identifier still places in the source language is flagged too.
Function-word lists exist for French and English; other languages rely on the identifier alone.
The dictionary tests (short copied segments, sources already in the target language) use
simplemma, which the glossary already depends on.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

from service.checks.base import CheckInput, make_flag
from service.checks.untranslated_words import check_untranslated_words
from service.report import Flag
from service.segment import split_sentences


def _word_set(words: str) -> frozenset[str]:
    """The space-separated words of `words`, as a set."""
    return frozenset(words.split())


TYPE = "untranslated"
MIN_WORDS = 4
MIN_LETTERS = 16
MIN_PROBABILITY = 0.9
TARGET_FUNCTION_SHARE = 0.1
SOURCE_FUNCTION_SHARE = 0.25
COMMON_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl")

LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch",
}

# Function words of each language that are not words of the other ("a", "on", "son", "plus",
# "but", "an", "or", "as" are both and left out). French elisions appear split: "l'homme" -> "l".
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "fr": _word_set(
        "le la les un une des du de et est sont dans pour sur avec par qui que qu il ils elle elles nous vous "
        "ce cet cette ces au aux ne pas été était étaient sa ses leur leurs mais où ou comme selon lors après "
        "avant entre sans sous chez aussi très ont avait avaient être avoir cela ça dont notre nos votre vos "
        "mon ma mes je tu lui se l j c n déjà encore toujours ainsi alors donc car puis"
    ),
    "en": _word_set(
        "the of and is are was were be been being to in for with by that this these those which who whom whose "
        "it its he she they them their his her we our you your i my has have had not at from will would could "
        "should can said after before about into over than then there what when where why how also do does did "
        "while during against between under"
    ),
}
# Lowercase particles that may sit between the capitalised words of a name.
_NAME_PARTICLES = _word_set("de du des la le les l d et of the and von van der den da di del y")

_NOISE = re.compile(
    r"<[^<>]*>|\{[^{}]*\}|%(?:\d+\$)?(?:\([^)]*\))?[-+0#]*\d*(?:\.\d+)?[a-zA-Z@]|&#?\w+;"
    r"|\b(?:https?|ftp)://\S+|\bwww\.\S+|\S+@\S+\.\w+"
)
_WORD = re.compile(r"[^\W\d_]+")
_SPACES = re.compile(r"\s+")

_LOCK = threading.Lock()
_IDENTIFIER: Any = None


@dataclass(frozen=True)
class Reading:
    """A sentence reduced to what identification looks at: lowercased common words."""

    words: tuple[str, ...]
    letters: int

    def function_share(self, language: str) -> float:
        """Share of the words that are function words of `language` (0 when it has no list)."""
        words = FUNCTION_WORDS.get(language)
        if not words or not self.words:
            return 0.0
        return sum(word in words for word in self.words) / len(self.words)


def _language(code: str) -> str:
    """The primary language subtag: "fr-FR" -> "fr"."""
    return code.lower().replace("_", "-").split("-")[0]


def _identifier() -> Any:
    """py3langid's identifier with probabilities, loaded on first use (about 1 s, 120 MB)."""
    global _IDENTIFIER
    with _LOCK:
        if _IDENTIFIER is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _IDENTIFIER


def identify(text: str, languages: tuple[str, ...]) -> tuple[str, float] | None:
    """The most likely of `languages` for `text` and its probability among them, or None.

    Restricting to a few languages is done by renormalising the identifier's probabilities over
    them, which is what a softmax over those classes alone gives. Codes the model lacks are ignored.
    """
    wanted = set(languages)
    scores = [(language, probability) for language, probability in _identifier().rank(text) if language in wanted]
    total = sum(probability for _, probability in scores)
    if not scores or total <= 0:
        return None
    language, probability = max(scores, key=lambda pair: pair[1])
    return language, probability / total


def read(text: str) -> Reading:
    """The lowercased words of `text` without markup, placeholders, URLs and names.

    A capitalised word other than the first is taken for a name and dropped, as is an all-capital
    one (an acronym), unless the whole text is in capitals (a shouting headline).
    """
    text = _NOISE.sub(" ", text)
    shouting = text.isupper()
    words: list[str] = []
    for index, match in enumerate(_WORD.finditer(text)):
        word = match.group()
        if not shouting and index > 0 and word[0].isupper():
            continue
        if not shouting and len(word) > 1 and word.isupper():
            continue
        words.append(word.lower())
    return Reading(tuple(words), sum(len(word) for word in words))


def _candidates(item: CheckInput) -> tuple[str, ...]:
    """Languages identification chooses among: source, target and the common ones."""
    return tuple(dict.fromkeys((_language(item.source_lang), _language(item.target_lang), *COMMON_LANGUAGES)))


def foreign_language(text: str, item: CheckInput) -> tuple[str, float] | None:
    """(language, probability) when `text` is reliably in a language other than the target, else None."""
    target = _language(item.target_lang)
    reading = read(text)
    if len(reading.words) < MIN_WORDS or reading.letters < MIN_LETTERS:
        return None
    if reading.function_share(target) >= TARGET_FUNCTION_SHARE:
        return None
    verdict = identify(" ".join(reading.words), _candidates(item))
    if verdict is None or verdict[0] == target:
        return None
    if verdict[1] >= MIN_PROBABILITY:
        return verdict
    source = _language(item.source_lang)
    french_enough = reading.function_share(source) >= SOURCE_FUNCTION_SHARE and reading.function_share(target) == 0
    return verdict if verdict[0] == source and french_enough else None


def _normalise(text: str) -> str:
    """Text compared for copying: NFKC (no-break spaces become spaces), casefolded, spaces collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def _is_name(words: list[str]) -> bool:
    """Whether capitalised words, with lowercase particles between them, make up the text."""
    return any(w[0].isupper() for w in words) and all(w[0].isupper() or w in _NAME_PARTICLES for w in words)


def _dictionary_words(words: tuple[str, ...], item: CheckInput) -> tuple[int, int]:
    """How many `words` only the source language's dictionary knows, and how many only the target's."""
    from simplemma import is_known

    source, target = _language(item.source_lang), _language(item.target_lang)
    try:
        known = [(is_known(w, lang=source), is_known(w, lang=target)) for w in words]
    except ValueError:  # a language simplemma lacks
        return 0, 0
    return sum(s and not t for s, t in known), sum(t and not s for s, t in known)


def _reads_as_target(text: str, item: CheckInput) -> bool:
    """Whether `text` (the source) is itself in the target language, e.g. an English quotation."""
    target, source = _language(item.target_lang), _language(item.source_lang)
    reading = read(text)
    if reading.function_share(target) > reading.function_share(source):
        return True
    if len(reading.words) < MIN_WORDS or reading.letters < MIN_LETTERS:
        source_only, target_only = _dictionary_words(reading.words, item)
        return target_only > source_only
    verdict = identify(" ".join(reading.words), _candidates(item))
    return verdict is not None and verdict[0] == target and verdict[1] >= MIN_PROBABILITY


def is_copied_source(item: CheckInput) -> bool:
    """Whether the translation is the source left as is, where that is an error (see module doc)."""
    if not item.translation.strip() or _normalise(item.source) != _normalise(item.translation):
        return False
    words = _WORD.findall(_NOISE.sub(" ", item.source))
    if not words:
        return False  # numbers, codes, placeholders only
    if len(words) < 3:
        if len(words) > 1 and _is_name(words):
            return False
        source_only, _ = _dictionary_words(tuple(w.lower() for w in words), item)
        return source_only == len(words)
    return not _is_name(words) and not _reads_as_target(item.source, item)


def _stripped_span(text: str) -> tuple[int, int]:
    """The span of `text` without its surrounding whitespace."""
    start = len(text) - len(text.lstrip())
    return start, max(start, len(text.rstrip()))


def check_untranslated(item: CheckInput) -> list[Flag]:
    """A copied-source flag for a translation identical to its source, else wrong-language flags
    for each translation sentence that is reliably in another language than the target."""
    target_name = LANGUAGE_NAMES.get(_language(item.target_lang), item.target_lang)
    if is_copied_source(item):
        return [make_flag(
            item, type=TYPE, rule="copied-source", severity="major",
            source=_stripped_span(item.source), translation=_stripped_span(item.translation),
            message=f"The translation is the source text copied unchanged, not translated into {target_name}.",
        )]
    flags: list[Flag] = []
    for sentence in split_sentences(item.translation, item.target_lang):
        verdict = foreign_language(sentence.text, item)
        if verdict is None:
            continue
        language, probability = verdict
        flags.append(make_flag(
            item, type=TYPE, rule="wrong-language", severity="major", translation=(sentence.start, sentence.end),
            message=f"This sentence is in {LANGUAGE_NAMES.get(language, language)}, not {target_name} "
            f"(probability {probability:.2f}): it was left untranslated.",
            confidence=round(min(probability, 1.0), 3),
        ))
    sentences = tuple((f.translation_start or 0, f.translation_end or 0) for f in flags)
    noise = tuple(m.span() for m in _NOISE.finditer(item.translation))  # URLs, e-mails, placeholders
    return flags + check_untranslated_words(item, skip=sentences + noise)
