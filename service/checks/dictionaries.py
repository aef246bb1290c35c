"""Whether a language's dictionaries know a word: simplemma's lemma lists and pyspellchecker's word
frequency lists (about 160,000 English words, with the loanwords and place names English news uses:
"gendarmerie", "banlieue", "Caesarea", "Caucasus", which simplemma lacks). Both ship their data in
their wheels; pyspellchecker's list is loaded once per language on first use (about 0.3 s)."""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any

# pyspellchecker's languages (its dictionaries ship inside the wheel)
_SPELLCHECKER_LANGUAGES = frozenset({"en", "es", "fr", "pt", "de", "it", "ru", "ar", "lv", "eu", "nl", "fa"})

_LOCK = threading.Lock()
_SPELLERS: dict[str, Any] = {}


def speller(language: str) -> Any:
    """pyspellchecker's word list for `language`, loaded once on first use (about 0.3 s), or None."""
    if language not in _SPELLCHECKER_LANGUAGES:
        return None
    with _LOCK:
        if language not in _SPELLERS:
            from spellchecker import SpellChecker

            _SPELLERS[language] = SpellChecker(language=language, distance=1)
    return _SPELLERS[language]


def _plain(word: str) -> str:
    """The word without accents: "élite" -> "elite"."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


_BRITISH = tuple((re.compile(pattern), american) for pattern, american in (
    (r"isation(s?)$", r"ization\1"), (r"is(e|es|ed|ing|er|ers)$", r"iz\1"), (r"our(s?)$", r"or\1"),
    (r"tre(s?)$", r"ter\1"), (r"ogue(s?)$", r"og\1"), (r"ence$", r"ense"), (r"ll(ed|ing|er|ers)$", r"l\1"),
))
"""British spellings and their American forms, which pyspellchecker's English list holds
("militarisation" -> "militarization", "colour" -> "color", "centre" -> "center")."""


def _forms(word: str, language: str) -> dict[str, None]:
    """The spellings to look up: the word, without accents, and for English its American spelling."""
    forms = dict.fromkeys((word, _plain(word)))
    if language == "en":
        for pattern, american in _BRITISH:
            forms.update(dict.fromkeys(pattern.sub(american, w) for w in list(forms) if pattern.search(w)))
    return forms


def known_word(word: str, language: str) -> bool:
    """Whether a dictionary of `language` knows `word` (lower case), with or without its accents, and
    for English in British or American spelling."""
    from simplemma import is_known

    words = speller(language)
    for form in _forms(word, language):
        try:
            if is_known(form, lang=language):
                return True
        except ValueError:  # a language simplemma lacks
            pass
        if words is not None and form in words:
            return True
    return False
