"""Usual English forms of French names, from well-kept data rather than a hand list.

A professional translator writes "New Zealand" for "Nouvelle-Zélande", "Warsaw" for "Varsovie",
"the DRC" for "la RDC", "the French" for "les Français" and "North Kivu" for "Nord-Kivu"; none of
these is a missing name. The forms come from, in order:

- CLDR through Babel: territory names (countries and regions, "Nouvelle-Zélande" -> "New
  Zealand"), the exemplar cities of the time zones ("Varsovie" -> "Warsaw", "Le Caire" -> "Cairo"),
  language names, which are also the nationality adjectives ("français" -> "French"), and currency
  names, each in French and English;
- ISO 3166 country names and their French translations (pycountry), which add the official and
  common names ("République tchèque" -> "Czech Republic");
- `corpora/names/fr-en.csv`: a curated, sourced table of acronyms, institutions and places whose
  English name differs (ONU/UN, RDC/DRC, PS/Socialist Party, PDG/CEO, Maison-Blanche/White House);
- `corpora/names/demonyms-fr-en.csv`: nationality and inhabitant words ("Américain" -> "American"),
  matched on the simplemma lemma so plural and feminine forms ("Américaines") find them, and
  also accepted for their country ("les obligations de l'Espagne" -> "Spanish bonds") and the
  other way round;
- translated geographic parts: "Nord-Kivu" -> "North Kivu", "Comté de Lowndes" -> "Lowndes County",
  "Saint-Louis" -> "St Louis", "Province de X" -> "X Province", "Nouvelle-X" -> "New X".

Keys are folded (case, accents, apostrophes and hyphens do not count) and a leading article is
dropped ("la France", "l'Onu"). The tables are read once per process, on first use. The curated
files live in `corpora/names/` of the checkout, or the folder named by `CONTRESENS_NAMES_DIR`
(the Docker image sets it).
"""

from __future__ import annotations

import csv
import gettext
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from simplemma import lemmatize

NAMES_ENV = "CONTRESENS_NAMES_DIR"
TABLE_FILES = ("fr-en.csv", "demonyms-fr-en.csv")
TABLE_KINDS = ("acronym", "institution", "place")

_ARTICLE = re.compile(r"^(?:l['’]\s*|(?:le|la|les|du|des|de la|de l['’]|au|aux|d['’])\s+)", re.IGNORECASE)
_PAREN = re.compile(r"^(.*?)\s*[(\[](.*?)[)\]]\s*$")


class NamesTableError(ValueError):
    """A curated names table is malformed; the message names the file, the line and the field."""


def names_dir() -> Path:
    """The curated names tables: `$CONTRESENS_NAMES_DIR`, else `corpora/names` of this checkout."""
    folder = os.environ.get(NAMES_ENV)
    if folder:
        return Path(folder)
    return Path(__file__).resolve().parents[2] / "corpora" / "names"


def key(text: str) -> str:
    """The comparison key of a name: case-folded, accents, apostrophes and hyphens out, no leading
    article ("La Nouvelle-Zélande" -> "nouvelle zelande")."""
    text = _ARTICLE.sub("", text.strip())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", plain))


def _variants(name: str) -> list[str]:
    """A CLDR name and its parts: "Myanmar (Birmanie)" -> the whole, "Myanmar", "Birmanie";
    "Congo - Kinshasa" -> also "Congo"."""
    found = [name]
    paren = _PAREN.match(name)
    if paren:
        found += [paren.group(1), paren.group(2)]
    if " - " in name:
        found.append(name.split(" - ")[0])
    if "," in name:
        found.append(name.split(",")[0])
    return [v.strip() for v in found if v.strip()]


def _add(table: dict[str, set[str]], french: str, english: list[str]) -> None:
    english = [e for e in english if e]
    for variant in _variants(french):
        k = key(variant)
        if k:
            for form in english:
                table[k].update(_variants(form))


def _babel_forms(table: dict[str, set[str]], languages: dict[str, set[str]]) -> None:
    from babel import Locale

    fr, en = Locale("fr"), Locale("en")
    for code, name in fr.territories.items():
        _add(table, name, [en.territories.get(code, "")])
    for zone, names in fr.time_zones.items():
        city = names.get("city")
        if city and zone.count("/") == 1 and not zone.startswith("Etc/"):
            english = en.time_zones.get(zone, {}).get("city") or zone.split("/")[-1].replace("_", " ")
            _add(table, city, [english])
    for code, name in fr.currencies.items():
        _add(table, name, [en.currencies.get(code, "")])
    for code, name in fr.languages.items():
        english = en.languages.get(code)
        if english and " " not in name:
            languages[name.casefold()].add(english)


def _iso_forms(table: dict[str, set[str]]) -> None:
    import pycountry

    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    for country in pycountry.countries:
        english = [getattr(country, field, "") for field in ("name", "common_name", "official_name")]
        english = [e for e in english if e and "," not in e]
        for field in ("name", "common_name", "official_name"):
            value = getattr(country, field, "")
            translated = french.gettext(value) if value else ""
            if translated and translated != value and "," not in translated:
                _add(table, translated, english)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


@dataclass(frozen=True)
class TableRow:
    """One row of a curated table: French forms, English forms, kind, source; for a nationality word,
    the French names of its country ("américain": "États-Unis", "Amérique"), whose English forms it joins."""

    french: list[str]
    english: list[str]
    kind: str
    source: str
    country: list[str]


def read_table(path: Path) -> list[TableRow]:
    """Rows of a curated table; NamesTableError naming the file, line and field when a row is malformed
    (every row needs a French and an English form and its source; `fr-en.csv` rows a known kind)."""
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        demonyms = "country" in (reader.fieldnames or [])
        expected = {"french", "english", "source"} | ({"country"} if demonyms else {"kind"})
        missing = expected - set(reader.fieldnames or [])
        if missing:
            raise NamesTableError(f"{path}:1: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            french, english = _split(row.get("french") or ""), _split(row.get("english") or "")
            kind = "demonym" if demonyms else (row.get("kind") or "").strip()
            source = (row.get("source") or "").strip()
            for field, value in (("french", french), ("english", english), ("source", source)):
                if not value:
                    raise NamesTableError(f"{where}: field {field!r} is empty")
            if not demonyms and kind not in TABLE_KINDS:
                raise NamesTableError(f"{where}: field 'kind' is {kind!r} (one of {', '.join(TABLE_KINDS)})")
            rows.append(TableRow(french, english, kind, source, _split(row.get("country") or "")))
    return rows


@cache
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(forms by name key, nationality words by French lemma), built once."""
    table: dict[str, set[str]] = defaultdict(set)
    words: dict[str, set[str]] = defaultdict(set)
    _babel_forms(table, words)
    _iso_forms(table)
    folder = names_dir()
    for row in read_table(folder / TABLE_FILES[0]):
        for form in row.french:
            _add(table, form, row.english)
    for row in read_table(folder / TABLE_FILES[1]):
        for form in row.french:
            words[form.casefold()].update(row.english)
        for country in row.country:  # "l'Espagne" -> "Spanish" ("Spanish bonds" for "les obligations de l'Espagne")
            _add(table, country, row.english)
    for row in read_table(folder / TABLE_FILES[1]):  # and "tout Coréen" -> "every Korea..." : the country's forms
        for form in row.french:
            words[form.casefold()].update(f for c in row.country for f in table.get(key(c), ()))
    return ({k: frozenset(v) for k, v in table.items()}, {k: frozenset(v) for k, v in words.items()})


_COMPASS = {"nord": "North", "sud": "South", "est": "East", "ouest": "West", "nouvelle": "New", "nouveau": "New",
            "haute": "Upper", "haut": "Upper", "basse": "Lower", "bas": "Lower", "grand": "Greater"}
_SAINT = {"saint": ("St", "St.", "Saint"), "sainte": ("St", "St.", "Saint", "Sainte")}
_BEFORE = {"comte": "County", "province": "Province", "region": "region", "district": "District",
           "vallee": "Valley", "etat": "State", "departement": "department", "riviere": "River", "fleuve": "River",
           "ile": "Island", "iles": "Islands", "mer": "Sea", "golfe": "Gulf"}
_LEADING = {"mont": "Mount", "lac": "Lake", "cap": "Cape", "golfe": "Gulf of", "ile": "Island", "iles": "Islands"}
_GEO = re.compile(r"^(?P<head>[^\W\d_]+)(?:\s+(?:de|du|des|d)\b)?\s+(?P<rest>.+)$")


def _geographic(name_key: str) -> set[str]:
    """English forms made by translating a geographic part of the name (keys in, plain forms out)."""
    words = name_key.split()
    found: set[str] = set()
    if len(words) < 2:
        return found
    head, rest = words[0], " ".join(words[1:])
    if head in _COMPASS:
        found.add(f"{_COMPASS[head]} {rest}")
    if words[-1] in _COMPASS and len(words) >= 2:  # "Kivu du Nord", "Corée du Sud"
        core = " ".join(w for w in words[:-1] if w not in ("de", "du", "des", "d"))
        found.add(f"{_COMPASS[words[-1]]} {core}")
    if head in _SAINT:
        found.update(f"{s} {rest}" for s in _SAINT[head])
    match = _GEO.match(name_key)
    if match and match.group("head") in _BEFORE:
        place = match.group("rest")
        found.add(f"{place} {_BEFORE[match.group('head')]}")
        found.add(f"{_BEFORE[match.group('head')]} of {place}")
    if match and match.group("head") in _LEADING:
        found.add(f"{_LEADING[match.group('head')]} {match.group('rest')}")
    return found


def english_forms(name: str) -> frozenset[str]:
    """Usual English forms of the French name `name`, beyond the name itself (empty when none is known)."""
    table, words = _tables()
    k = key(name)
    forms: set[str] = set(table.get(k, ()))
    bare = _ARTICLE.sub("", name.strip())
    if " " not in bare:  # a nationality word, "les Américaines" or "New-Yorkais"
        lower = bare.casefold()
        lemma = lemmatize(lower, lang="fr").casefold()
        for candidate in (lower, lemma, lower.rstrip("s"), k):
            forms.update(words.get(candidate, ()))
    for geographic in _geographic(k):
        forms.add(geographic)
        rest = geographic.split(" ", 1)
        forms.update(f"{rest[0]} {f}" for f in table.get(key(rest[-1]), ()) if len(rest) == 2)
    return frozenset(forms)
