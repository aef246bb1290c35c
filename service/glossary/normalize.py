"""Tokens and match keys: how text is compared with glossary terms.

A token matches a term word when their key sets intersect. A word's keys are its case-folded
surface form and simplemma lemma (plus French plural and feminine forms), so inflection, case
and typographic apostrophes do not matter ("Juges d’Instruction" ~ "juge d'instruction");
accents count except on capitalised words, where writers drop them ("Etat" ~ "État"; see
`Token.loose`).
Two more rules keep matches honest:

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

from simplemma import is_known, lemmatize

_ELIDED = {
    "l": "le", "d": "de", "j": "je", "m": "me", "n": "ne", "s": "se", "t": "te", "c": "ce",
    "qu": "que", "jusqu": "jusque", "lorsqu": "lorsque", "puisqu": "puisque", "quoiqu": "quoique",
}
_TOKEN = re.compile(r"[^\W_]+(?:['’](?=[^\W_]))?")
_APOSTROPHES = "'’"
_EN_ARTICLES = {"a", "an", "the"}  # "before a judge" ~ "before the judge"
_AUXILIARIES = {"être", "avoir"}
_DETERMINERS = {"le", "un", "ce", "son", "mon", "ton", "notre", "votre", "leur"}  # lemmas of la, une, cette, ...


@dataclass(frozen=True)
class Token:
    """One word of a text: its span in the text and the keys it can match with.

    `loose` holds accent-free keys for a capitalised text word ("Etat", "ELYSEE"), where writers
    drop accents: the phrase index maps them back to the accented keys it knows ("état"). `weak`
    holds keys that count only inside a phrase of several words (see `weak_keys`).
    """

    start: int
    end: int
    keys: frozenset[str]
    loose: frozenset[str] = frozenset()
    weak: frozenset[str] = frozenset()


def fold(text: str) -> str:
    """Case-fold and strip accents ("Élysée" -> "elysee")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _forms(lower: str, lang: str) -> set[str]:
    """The word and the forms it may stand for: French plural, feminine participle, feminised title."""
    forms = {lower}
    if lang == "fr":
        if len(lower) > 3 and lower[-1] in "sx":  # les arrêtés -> arrêté, jurés -> juré
            forms.add(lower[:-1])
        for form in list(forms):
            if form.endswith("ée"):  # condamnée -> condamné
                forms.add(form[:-1])
            if len(form) > 3 and form.endswith(("ie", "ue")):  # poursuivie -> poursuivi, prévenue -> prévenu
                forms.add(form[:-1])
            if form.endswith("eure"):  # la Défenseure, la procureure
                forms.add(form[:-1])
    return forms


def _lemma(form: str, lang: str) -> str:
    try:
        return lemmatize(form, lang=lang)
    except ValueError:  # a language simplemma lacks: the form itself
        return form


def _invariable(lower: str, lang: str) -> bool:
    """A French word ending in -s or -x that the dictionary knows as its own lemma ("cours", "recours",
    "procès"): its ending is no plural, so it is not the plural of the word without it ("cour")."""
    return lang == "fr" and lower[-1:] in ("s", "x") and is_known(lower, lang=lang) and _lemma(lower, lang) == lower


def _inflected_verb(form: str, lemma: str) -> bool:
    """Whether `form` is a conjugated or participle form of the verb `lemma` ("prévenu" of "prévenir",
    "accusé" of "accuser"), as opposed to a plural or the lemma itself. The auxiliaries are left out:
    a termbase's "été renvoyé" stands for every tense ("est renvoyé", "sera renvoyé")."""
    return (lemma != form and lemma.endswith(("er", "ir", "re", "oir")) and lemma not in _AUXILIARIES
            and form not in (lemma + "s", lemma + "x"))


@lru_cache(maxsize=200_000)
def word_keys(word: str, lang: str, *, term: bool = False) -> frozenset[str]:
    """Match keys of one word (cached: news text repeats words).

    Keys are case-folded forms and their lemmas, accents kept, so "a" is not "à" and "arrête"
    is not "arrêté". A text word has the forms it may stand for (French plural, feminine) and their
    lemmas. A glossary word has its form and lemma, except that a French glossary word which is an
    inflected form of a verb ("prévenu", "accusé", "condamné") keeps its forms without the verb's
    lemma: the defendant (le prévenu) is not every form of "prévenir" ("ils préviennent" = they
    warn), while the text's "prévenus" or "prévenue" still reduce to it; likewise a determiner keeps its
    gender ("la greffe", a graft, is not "le greffe", the court registry). A glossary word in capitals
    keeps only its exact key ("=ONAF"); a text word in capitals gets that and the ordinary ones, so
    "ONAF" finds the acronym and "MISES EN EXAMEN" in a headline still finds "mise en examen".
    The singular of an invariable French word ("cours" -> "cour") is not among its keys: see
    `weak_keys`.
    """
    exact = frozenset({"=" + word}) if _is_acronym(word) else frozenset()
    if exact and term:
        return exact
    lower = word.casefold()
    if len(lower) == 1:  # a lone letter ("fiche S", "M.") is itself, never a lemma ("s" -> "avoir")
        return exact | {lower}
    keys: set[str] = set()
    if term:  # a French glossary word in the plural also stands for its singular ("violences aggravées")
        plural = lang == "fr" and len(lower) > 3 and lower[-1] in "sx" and not _invariable(lower, lang)
        for form in ({lower, lower[:-1]} if plural else {lower}):
            lemma = _lemma(form, lang)
            merged = lang == "fr" and (_inflected_verb(form, lemma) or lemma in _DETERMINERS and lemma != form)
            keys.update((form,) if merged else (form, lemma))
        return exact | keys
    forms = _forms(lower, lang)
    if _invariable(lower, lang):
        forms.discard(lower[:-1])
    for form in forms:
        keys.update((form, _lemma(form, lang)))
    return exact | keys


@lru_cache(maxsize=200_000)
def weak_keys(word: str, lang: str) -> frozenset[str]:
    """Keys a text word matches only inside a phrase of several words: the singular of an invariable
    French word ("cours" -> "cour"). "Au cours de" and "les cours de la Bourse" are not a court, but
    "les cours d'appel" are courts of appeal."""
    lower = word.casefold()
    if len(lower) < 4 or not _invariable(lower, lang):
        return frozenset()
    return frozenset({lower[:-1], _lemma(lower[:-1], lang)}) - word_keys(word, lang)


def _token(start: int, end: int, word: str, lang: str, term: bool) -> Token:
    keys = word_keys(word, lang, term=term)
    loose = frozenset(fold(k) for k in keys if not k.startswith("=")) if word[0].isupper() and not term else None
    return Token(start, end, keys, loose or frozenset(), frozenset() if term else weak_keys(word, lang))


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
                tokens.append(_token(match.start(), match.end() - 1, bare, lang, term))
                continue
            word = bare
        if lang == "en" and word.casefold() == "s" and match.start() > 0 and text[match.start() - 1] in _APOSTROPHES:
            continue
        if lang == "en" and word.casefold() in _EN_ARTICLES:
            continue
        tokens.append(_token(match.start(), match.start() + len(word), word, lang, term))
    return tokens


def surface_words(text: str) -> list[tuple[int, int, str]]:
    """The words of `text` as written, with their spans: (start, end, word); an elided article keeps
    its apostrophe ("d'"). For comparing spellings, where match keys would be too lenient."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def phrase_keys(phrase: str, lang: str) -> list[frozenset[str]]:
    """Key sets of the words of a glossary phrase, tokenized exactly as running text is."""
    return [token.keys for token in tokenize(phrase, lang, term=True)]
