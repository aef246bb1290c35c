"""Tokens and match keys: how text is compared with glossary terms.

A token matches a term word when their key sets intersect. A word's keys are its surface form
and its simplemma lemma, both case-folded with accents removed, so inflection, case, accents
and typographic apostrophes do not matter ("Juges d’Instruction" ~ "juge d'instruction").
Two exceptions keep matches honest:

- a word written in capitals (an acronym: ONAF, OLAF) has only the key "=ONAF", so it matches
  only the same capitals (not the first name Olaf);
- French elided words (l', d', qu', ...) are keyed as their full form (le, de, que); in English
  the possessive 's and the articles are dropped, so "prosecutors' office" ~ "prosecutor's
  office" and "before a judge" ~ "before the judge".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from simplemma import lemmatize

_ELIDED = {
    "l": "le", "d": "de", "j": "je", "m": "me", "n": "ne", "s": "se", "t": "te", "c": "ce",
    "qu": "que", "jusqu": "jusque", "lorsqu": "lorsque", "puisqu": "puisque", "quoiqu": "quoique",
}
_TOKEN = re.compile(r"[^\W_]+(?:['’](?=[^\W_]))?")
_APOSTROPHES = "'’"
_EN_ARTICLES = {"a", "an", "the"}  # "before a judge" ~ "before the judge"


@dataclass(frozen=True)
class Token:
    """One word of a text: its span in the text and the keys it can match with."""

    start: int
    end: int
    keys: frozenset[str]


def fold(text: str) -> str:
    """Case-fold and strip accents ("Élysée" -> "elysee")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@lru_cache(maxsize=200_000)
def word_keys(word: str, lang: str, *, term: bool = False) -> frozenset[str]:
    """Match keys of one word (cached: news text repeats words).

    A glossary word in capitals keeps only its exact key; a text word in capitals gets the exact
    key and the ordinary ones, so "ONAF" in text finds the acronym and "MISES EN EXAMEN" in a
    headline still finds "mise en examen".
    """
    exact = frozenset({"=" + word}) if _is_acronym(word) else frozenset()
    if exact and term:
        return exact
    lower = word.casefold()
    if len(lower) == 1:  # a lone letter ("fiche S", "M.") is itself, never a lemma ("s" -> "avoir")
        return exact | {fold(lower)}
    try:
        lemma = lemmatize(lower, lang=lang)
    except ValueError:  # a language simplemma lacks: surface form only
        lemma = lower
    keys = {fold(lower), fold(lemma)}
    if lang == "fr" and lower.endswith("eure"):  # feminised titles: la Défenseure, la procureure
        keys.add(fold(lower[:-1]))
    return exact | keys


def tokenize(text: str, lang: str, *, term: bool = False) -> list[Token]:
    """Words of `text` with their spans and keys (hyphens, punctuation and spaces separate words).

    `term=True` tokenizes a glossary phrase (capitals then mean an acronym, matched exactly)."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if word[-1] in _APOSTROPHES:
            bare = word[:-1]
            if lang == "fr" and bare.casefold() in _ELIDED:
                tokens.append(Token(match.start(), match.end(), frozenset({_ELIDED[bare.casefold()]})))
                continue
            if lang == "en":  # the possessive 's (and the bare ') carry no meaning for matching
                tokens.append(Token(match.start(), match.end() - 1, word_keys(bare, lang, term=term)))
                continue
            word = bare
        if lang == "en" and word.casefold() == "s" and match.start() > 0 and text[match.start() - 1] in _APOSTROPHES:
            continue
        if lang == "en" and word.casefold() in _EN_ARTICLES:
            continue
        tokens.append(Token(match.start(), match.start() + len(word), word_keys(word, lang, term=term)))
    return tokens


def phrase_keys(phrase: str, lang: str) -> list[frozenset[str]]:
    """Key sets of the words of a glossary phrase, tokenized exactly as running text is."""
    return [token.keys for token in tokenize(phrase, lang, term=True)]
