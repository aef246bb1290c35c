"""Single source-language words left inside an otherwise translated sentence.

Rule `untranslated-word` (major): "the extravertis lie more than the introvertis", "the stench of
water Javel and the perfume envoûtant of the forests". The sentence reads as English, so the
`wrong-language` rule cannot see it, but the reader loses the word's meaning. A word of the
translation is taken for one left untranslated when all of these hold:

- it starts lower case and has 4+ letters, or it is one of the short French function words no English
  text uses (`FUNCTION_WORDS`: "the les gens people"), or it is a capitalised French common word
  that starts a sentence on both sides and is no part of a name the recogniser found in the source
  ("Régresser at the stage of the child");
- the source holds the same word (case-folded), outside the spans the glossary already checks
  (`CheckInput.protected`: a term left in French is `terminology/term-left-in-french`);
- the source language's dictionary knows it and no target-language dictionary does, with and
  without its accents ("élite" is English): simplemma's lemma lists, and for English also
  pyspellchecker's 160,000-word frequency list, which has the loanwords English news uses
  ("gendarmerie", "banlieue", "tergiversations") that simplemma lacks; a hyphenated word passes
  when each of its parts is a target-language word ("sweat-shirt");
- it is not quoted on its own (`a "gilet" waistcoat`: a deliberate, glossed borrowing);
- it is not inside a French name kept as is: a run of two or more words copied from the source
  that starts with a capitalised word ("the Caisse nationale d'assurance maladie", "the
  Observatoire syrien des droits de l'homme").

Neighbouring untranslated words make one flag ("the toiles impressionnistes"). Measured on the
development references (WMT12/13, Potet post-edits): 36 of 16,884 segments before the name and
quote conditions, most of them French sentences left in the Potet post-edits; see README,
"Flags on real translations". The function words and sentence starts added 2 flags on those
references and 149 judged pairs (WMT12/13) where exactly one output had such a word.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from service.checks.base import CheckInput, make_flag, mask_markup
from service.checks.dictionaries import known_word
from service.checks.source_names import SourceName, is_common_word, source_names
from service.report import Flag

TYPE = "untranslated"
RULE = "untranslated-word"
MIN_LETTERS = 4
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_QUOTES = "\"“”«»‘’'"
_SENTENCE_END = ".!?:;\"“”«»—–-"
FUNCTION_WORDS = {"fr": frozenset({
    "les", "des", "une", "aux", "est", "sur", "ces", "ses", "ils", "elles", "nous", "vous", "sont", "cette",
    "leurs", "dans", "avec", "mais", "très", "été", "du", "le", "il", "ne", "et", "dont",
})}
"""Short source-language function words that are no English word in running text: "the project des
workers", "which est a crime". Checked at any length and whatever the English dictionaries say ("les"
and "des" are in pyspellchecker's list, as parts of names). Left out: words English uses ("pour", "par",
"son", "plus") or quotes in Latin ("qui"; "et" is checked but not in "et al."). One beside a capitalised
word (not a sentence's first) is taken for part of a name ("the Palace des Congrès", "l'Institut de
Recherche et de Documentation")."""


def _language(code: str) -> str:
    return code.lower().replace("_", "-").split("-")[0]
_ENGLISH_PREFIXES = ("pharmaco", "neuro", "cyber", "techno", "socio", "hydro", "micro", "macro", "ultra", "super",
                     "inter", "intra", "multi", "pseudo", "semi", "anti", "auto", "post", "tele", "mega", "bio",
                     "eco", "geo", "non", "pre", "sub", "co")
"""Combining forms English builds new words with: "pharmacovigilance" is English although no
dictionary lists it, because "vigilance" is."""
MIN_STEM = 7


def _target_word(word: str, language: str) -> bool:
    """A target-language word, or a hyphenated one whose parts all are ("sweat-shirt"), or for English
    a combining form before an English word of 7+ letters ("pharmacovigilance", "cyberattaque" is not)."""
    if known_word(word, language):
        return True
    parts = [p for p in re.split(r"['’-]", word) if p]
    if len(parts) > 1 and all(known_word(p, language) for p in parts):
        return True
    return language == "en" and any(word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM
                                    and known_word(word[len(prefix):], language) for prefix in _ENGLISH_PREFIXES)


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands alone between quotation marks."""
    before, after = text[:start].rstrip(), text[end:].lstrip()
    return bool(before) and bool(after) and before[-1] in _QUOTES and after[0] in _QUOTES


def _kept_names(source_words: list[str], words: list[re.Match[str]]) -> set[int]:
    """Indexes of translation words inside a run of 2+ words copied from the source that starts with a
    capitalised word: a French name the translation keeps ("Caisse nationale d'assurance maladie")."""
    ours = [w.group().casefold() for w in words]
    kept: set[int] = set()
    for block in SequenceMatcher(None, source_words, ours, autojunk=False).get_matching_blocks():
        if block.size >= 2 and words[block.b].group()[0].isupper():
            kept.update(range(block.b, block.b + block.size))
    return kept


def _at_sentence_start(text: str, start: int) -> bool:
    """Whether text[start:] begins a sentence: nothing but quotes or dashes before it since the last
    sentence end."""
    before = text[:start].rstrip()
    return not before or before[-1] in _SENTENCE_END


def _source_span(item: CheckInput, word: str, *, sentence_start: bool = False) -> tuple[int, int] | None:
    """The first occurrence of `word` in the source outside the protected spans (when `sentence_start`,
    one that begins a sentence there too), or None; None too when the source capitalises it inside a
    sentence: a name the translation lower-cased ("Gausse")."""
    for match in _WORD.finditer(item.source):
        if match.group().casefold() != word.casefold():
            continue
        at_start = _at_sentence_start(item.source, match.start())
        if match.group()[0].isupper() and not at_start:
            return None
        if sentence_start and not at_start:
            continue
        if not any(a < match.end() and match.start() < b for a, b in item.protected):
            return match.span()
    return None


def _in_name_or_citation(text: str, words: list[re.Match[str]], index: int) -> bool:
    """Whether the function word `words[index]` stands inside a kept French name, beside a capitalised
    word that does not start a sentence ("the Palace des Congrès", "l'Institut de Recherche et de
    Documentation"), or is the "et" of "et al."."""
    following = words[index + 1].group() if index + 1 < len(words) else ""
    previous = words[index - 1] if index else None
    return following[:1].isupper() or (words[index].group() == "et" and following == "al") or (
        previous is not None and previous.group()[:1].isupper() and not _at_sentence_start(text, previous.start()))


def _french_sentence_start(item: CheckInput, match: re.Match[str], source_lang: str, target_lang: str) -> bool:
    """Whether a capitalised word may be a source-language word left at the start of a sentence
    ("Régresser at the stage of the child"): it begins a sentence of the translation, and only its
    capital differs from a source-language common word that no target-language dictionary knows. The
    caller then asks the recogniser whether the source has it in a name ("Gilles Surprenant")."""
    word = match.group()
    if not _at_sentence_start(item.translation, match.start()) or not word[1:].islower():
        return False
    lower = word.casefold()
    if len(word) < MIN_LETTERS or not known_word(lower, source_lang) or _target_word(lower, target_lang):
        return False
    return source_lang == "fr" and is_common_word(word)  # the lemma test is French


def check_untranslated_words(item: CheckInput, skip: tuple[tuple[int, int], ...] = ()) -> list[Flag]:
    """An `untranslated-word` flag for each run of source-language words left in the translation,
    outside the translation spans `skip` (sentences already flagged as wholly in another language,
    URLs and e-mail addresses)."""
    source_lang, target_lang = _language(item.source_lang), _language(item.target_lang)
    if source_lang == target_lang:
        return []
    source_matches = list(_WORD.finditer(item.source))
    source_words = [m.group().casefold() for m in source_matches]
    present = set(source_words)
    words = list(_WORD.finditer(mask_markup(item.translation)))
    kept = _kept_names(source_words, words)
    hits: list[tuple[int, tuple[int, int]]] = []  # (index of the translation word, its source span)
    names: list[SourceName] | None = None
    for index, match in enumerate(words):
        word, lower = match.group(), match.group().casefold()
        if lower not in present or index in kept or any(a <= match.start() < b for a, b in skip):
            continue
        if _quoted(item.translation, *match.span()):
            continue
        function_word = word.islower() and lower in FUNCTION_WORDS.get(source_lang, frozenset())
        if function_word and _in_name_or_citation(item.translation, words, index):
            continue
        if not function_word and len(word) < MIN_LETTERS:
            continue
        if word[0].isupper():
            if not _french_sentence_start(item, match, source_lang, target_lang):
                continue
            if names is None:  # the recogniser last: it is the dearest test
                names = source_names(item.source, item.source_lang, item.protected)
            if any(lower in item.source[n.start:n.end].casefold() for n in names):
                continue
        elif not function_word and (not known_word(lower, source_lang) or _target_word(lower, target_lang)):
            continue
        span = _source_span(item, word, sentence_start=word[0].isupper())
        if span is not None:
            hits.append((index, span))
    flags: list[Flag] = []
    run: list[tuple[int, tuple[int, int]]] = []
    for hit in [*hits, None]:
        if hit is not None and run and hit[0] == run[-1][0] + 1:
            run.append(hit)
            continue
        if run:
            start, end = words[run[0][0]].start(), words[run[-1][0]].end()
            text = item.translation[start:end]
            flags.append(make_flag(
                item, type=TYPE, rule=RULE, severity="major", source=run[0][1], translation=(start, end),
                message=f"{text!r} is left in the source language: the translation does not say what it means.",
                confidence=0.8,
            ))
        run = [hit] if hit is not None else []
    return flags
