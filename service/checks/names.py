"""Names check: people, places, organisations and acronyms of the source must reach the translation.

A name is a run of capitalised words (with the particles de, du, des, d', la, le, van, von, ben,
al, el between them) that is not just the capitalised first word of a sentence, or an acronym
(two or more capitals). Titles (M., Mme, Me, Dr) and weekday or month names are not names;
spans the glossary already checks (`CheckInput.protected`: institutions it translates, such as
"Conseil d'État") are left to the glossary; usual English exonyms are accepted ("Londres" ->
"London"). A name found as is, or with accents dropped ("Évry" -> "Evry"), passes; a close
spelling (every word starts alike and is at least 0.7 similar: "Vasser" for "Vasseur") is
`name-misspelled` (minor); a different name in its place ("Kevin" for "Karim", "Peter" for
"Pierre", "Cannes" for "Vannes", another acronym) is `name-changed` (major); nothing at all is
`name-missing` (major). Markup and placeholders are masked first, so UI strings ("<b>Attention")
do not count their first word as a name; Roman numerals (XVIIe) are not names.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from service.checks.base import CheckInput, make_flag, mask_markup
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
    "CHU": "hospital", "TGV": "high-speed", "RER": "RER", "PME": "SME",
}
WORD_MISSPELLED, CHANGED = 0.7, 0.5


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_ELISION = re.compile(r"^(?:[LlDdJjNnSsCc]|[Qq]u|[Jj]usqu|[Ll]orsqu)['’]")
_ROMAN = re.compile(r"^[IVXLCDM]+(?:e|er|ème|eme)?$")
_PARTS = re.compile(r"[^\W\d_]+")


def _names(text: str, protected: tuple[tuple[int, int], ...] = ()) -> list[tuple[int, int]]:
    """Spans of the names in `text` (see the module docstring for what counts)."""
    masked = mask_markup(text, lead=".")  # markup ends a "sentence"
    spans = []
    for match in NAME.finditer(masked):
        start, end = match.span()
        at_start = bool(SENTENCE_START.search(masked[:start]))
        elided = _ELISION.match(masked[start:end])
        if elided:  # "L'équipe Solvane" -> "équipe Solvane"
            start += elided.end()
        words = masked[start:end].split()
        # drop leading titles, function words and lowercase words: "Selon Karim Vasseur" -> "Karim Vasseur"
        while words and (words[0].rstrip("'’.") in NOT_NAMES or not words[0][0].isupper()):
            if len(words) > 1:
                start = masked.index(words[1], start + len(words[0]))
                at_start = False
            else:
                start = end
            words = words[1:]
        if not words or start >= end or all(_ROMAN.match(w) for w in words):
            continue
        name = text[start:end]
        acronym = len(name) >= 2 and name.isupper()
        if at_start and len(words) == 1 and not acronym:
            continue  # a capitalised first word is not evidence of a name
        if any(a < end and start < b for a, b in protected):
            continue
        spans.append((start, end))
    return spans


def _parts(name: str) -> list[str]:
    """The name's words without particles, plain ("Jean-Pierre de la Tour" -> jean, pierre, tour)."""
    return [w for w in _PARTS.findall(_plain(name)) if w not in _PARTICLES]


_PARTICLES = {"de", "du", "des", "d", "la", "le", "van", "von", "ben", "bin", "al", "el", "da", "di", "del"}


def _windows(text: str, spans: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Sub-spans of the translation's names made of `size` consecutive words (and the whole names)."""
    found = []
    for start, end in spans:
        found.append((start, end))
        words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
        for i in range(len(words) - size + 1):
            if size < len(words):
                found.append((words[i][0], words[i + size - 1][1]))
    return found


def _similarity(expected: str, found: str) -> tuple[float, bool]:
    """Overall similarity, and whether every word is only a small misspelling of its counterpart."""
    ours, theirs = _parts(expected), _parts(found)
    overall = SequenceMatcher(None, " ".join(ours), " ".join(theirs)).ratio()
    close = len(ours) == len(theirs) and all(
        a == b or (a[0] == b[0] and SequenceMatcher(None, a, b).ratio() >= WORD_MISSPELLED)
        for a, b in zip(ours, theirs)
    )
    return overall, close


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
        if len(_parts(name)) > 1 and all(part in plain_translation for part in _parts(name)):
            continue  # "usine Vernaud de Cholet" -> "Vernaud factory in Cholet"
        best, best_score, best_close = None, -1.0, False
        for span in _windows(item.translation, target_names, len(name.split())):
            if any(a < span[1] and span[0] < b for a, b in used):
                continue
            ratio, close = _similarity(expected, item.translation[span[0] : span[1]])
            if (close, ratio) > (best_close, best_score):
                best, best_score, best_close = span, ratio, close
        acronym = name.isupper() and len(name) >= 2
        if best is not None and best_close:
            used.add(best)
            flags.append(make_flag(item, type="name", rule="name-misspelled", severity="minor",
                                   source=(start, end), translation=best, suggestion=expected,
                                   message=f"The name {name!r} is spelled "
                                   f"{item.translation[best[0]:best[1]]!r} in the translation."))
        elif best is not None and (best_score >= CHANGED or (acronym and item.translation[best[0]:best[1]].isupper())):
            used.add(best)
            flags.append(make_flag(item, type="name", rule="name-changed", severity="major",
                                   source=(start, end), translation=best, suggestion=expected,
                                   message=f"The name {name!r} became {item.translation[best[0]:best[1]]!r}."))
        else:
            flags.append(make_flag(item, type="name", rule="name-missing", severity="major", source=(start, end),
                                   suggestion=expected,
                                   message=f"The name {name!r} does not appear in the translation."))
    return flags
