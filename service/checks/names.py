"""Names check: people, places, organisations and acronyms of the source must reach the translation.

A name is a run of capitalised words (with the particles de, du, des, d', la, le, van, von, ben,
al, el between them) that is not just the capitalised first word of a sentence, or an acronym
(two or more capitals). Titles (M., Mme, Me, Dr) and weekday or month names are not names;
spans the glossary already checks (`CheckInput.protected`: institutions it translates, such as
"Conseil d'État") are left to the glossary; usual English exonyms are accepted ("Londres" ->
"London"). A name found as is, or with accents dropped ("Évry" -> "Evry"), passes; a close
spelling ("Vasser" for "Vasseur", similarity >= 0.8) is `name-misspelled` (minor); a different
name in its place (same shape, low similarity) is `name-changed` (major); nothing at all is
`name-missing` (major).
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from service.checks.base import CheckInput, make_flag
from service.report import Flag

_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"
_PARTICLE = r"(?:de|du|des|d['’]|la|le|van|von|ben|bin|al|el|da|di|del)"
NAME = re.compile(rf"{_CAP}(?:\s+(?:{_PARTICLE}\s*)?{_CAP})*")
SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"“”(]\s*|\n)$")
NOT_NAMES = {
    "M", "Mme", "Mmes", "Mlle", "MM", "Me", "Dr", "Pr", "Mgr", "St", "Ste",
    "Le", "La", "Les", "L", "Un", "Une", "Des", "Du", "De", "D", "Il", "Elle", "Ils", "Elles", "On", "Ce", "Cette",
    "Ces", "Cet", "Selon", "Dans", "Pour", "Par", "Sur", "Avec", "Sans", "Après", "Avant", "Depuis", "Lors", "Mais",
    "Et", "Ou", "Si", "En", "Au", "Aux", "À",
    "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche",
    "Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août", "Septembre", "Octobre", "Novembre",
    "Décembre",
    "The", "A", "An", "He", "She", "They", "It", "In", "At", "According", "After", "Before", "But", "And",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December", "Mr", "Mrs", "Ms", "Miss",
}
EXONYMS = {
    "Londres": "London", "Bruxelles": "Brussels", "Allemagne": "Germany", "Angleterre": "England",
    "Espagne": "Spain", "Italie": "Italy", "Belgique": "Belgium", "Suisse": "Switzerland", "Pays-Bas": "Netherlands",
    "Royaume-Uni": "United Kingdom", "États-Unis": "United States", "Etats-Unis": "United States",
    "Chine": "China", "Russie": "Russia", "Ukraine": "Ukraine", "Grèce": "Greece", "Pologne": "Poland",
    "Autriche": "Austria", "Irlande": "Ireland", "Écosse": "Scotland", "Maroc": "Morocco", "Algérie": "Algeria",
    "Tunisie": "Tunisia", "Égypte": "Egypt", "Liban": "Lebanon", "Syrie": "Syria", "Turquie": "Turkey",
    "Inde": "India", "Japon": "Japan", "Brésil": "Brazil", "Mexique": "Mexico", "Chypre": "Cyprus",
    "Corse": "Corsica", "Bretagne": "Brittany", "Normandie": "Normandy", "Bourgogne": "Burgundy",
    "Lyon": "Lyon", "Marseille": "Marseille", "Genève": "Geneva", "Venise": "Venice", "Moscou": "Moscow",
    "Pékin": "Beijing", "Varsovie": "Warsaw", "Lisbonne": "Lisbon", "Vienne": "Vienna", "Athènes": "Athens",
    "Copenhague": "Copenhagen", "Édimbourg": "Edinburgh", "Anvers": "Antwerp", "Rome": "Rome", "Nice": "Nice",
    "État": "State", "Etat": "State", "Union européenne": "European Union", "Europe": "Europe",
    "Afrique": "Africa", "Amérique": "America", "Asie": "Asia", "Méditerranée": "Mediterranean",
    "Manche": "Channel", "Rhin": "Rhine", "Seine": "Seine", "Alpes": "Alps", "Pyrénées": "Pyrenees",
    "Nations unies": "United Nations", "ONU": "UN", "OTAN": "NATO", "UE": "EU", "Sud": "South", "Nord": "North",
}
MISSPELLED, CHANGED = 0.8, 0.5


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _names(text: str, protected: tuple[tuple[int, int], ...] = ()) -> list[tuple[int, int]]:
    """Spans of the names in `text` (see the module docstring for what counts)."""
    spans = []
    for match in NAME.finditer(text):
        start, end = match.span()
        words = match.group().split()
        while words and words[0].rstrip("'’.") in NOT_NAMES:  # "Selon Karim Vasseur" -> "Karim Vasseur"
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else end
            words = words[1:]
        if not words or start >= end:
            continue
        name = text[start:end]
        at_start = bool(SENTENCE_START.search(text[:start]))
        acronym = len(name) >= 2 and name.isupper()
        if at_start and len(words) == 1 and not acronym:
            continue  # a capitalised first word is not evidence of a name
        if any(a < end and start < b for a, b in protected):
            continue
        spans.append((start, end))
    return spans


def check_names(item: CheckInput) -> list[Flag]:
    """Flag names of the source that are missing, changed or misspelled in the translation."""
    flags: list[Flag] = []
    target_names = _names(item.translation)
    used: set[tuple[int, int]] = set()
    plain_translation = _plain(item.translation)
    for start, end in _names(item.source, item.protected):
        name = item.source[start:end]
        expected = EXONYMS.get(name, name)
        if _plain(expected) in plain_translation or _plain(name) in plain_translation:
            continue
        best, best_ratio = None, 0.0
        for span in target_names:
            if span in used:
                continue
            ratio = SequenceMatcher(None, _plain(expected), _plain(item.translation[span[0] : span[1]])).ratio()
            if ratio > best_ratio:
                best, best_ratio = span, ratio
        if best is not None and best_ratio >= MISSPELLED:
            used.add(best)
            flags.append(make_flag(item, type="name", rule="name-misspelled", severity="minor",
                                   source=(start, end), translation=best, suggestion=expected,
                                   message=f"The name {name!r} is spelled "
                                   f"{item.translation[best[0]:best[1]]!r} in the translation."))
        elif best is not None and best_ratio >= CHANGED:
            used.add(best)
            flags.append(make_flag(item, type="name", rule="name-changed", severity="major",
                                   source=(start, end), translation=best, suggestion=expected,
                                   message=f"The name {name!r} became {item.translation[best[0]:best[1]]!r}."))
        else:
            flags.append(make_flag(item, type="name", rule="name-missing", severity="major", source=(start, end),
                                   suggestion=expected,
                                   message=f"The name {name!r} does not appear in the translation."))
    return flags
