"""Numerals in French and English news text: where they stand and what they are worth.

`scan_french` and `scan_english` find every number a reader would check in a translation and
return it as a `Numeral` (character span, value, kind); the numbers check then compares the two
lists by value. Each language has one tokenizer-style pattern whose alternatives are tried left
to right at each position, most specific first:

1. dates and clock times ("14 mars 2023", "15 h 30", "March 14", "6.30 a.m."), which the dates
   check owns: they are skipped, and the numbers inside them are kept as *shadows*, values an
   unmatched number on the other side may correspond to without being flagged ("du 14 au
   16 mars" against "March 14-16"). A bare year ("en 2021", "entre 2021 et 2023") is an ordinary
   number here; a year inside a date ("juin 2023", "fin 2022") belongs to the date;
2. vague quantities ("des milliers", "plusieurs centaines", "dozens", "tens of thousands"): kind
   "vague", value = the order of magnitude (1000, 100, 10, 10 000);
3. French round-figure nouns ("une trentaine", "un millier"): approximate values;
4. fractions ("deux tiers", "a third of", "moitié", "half"), French ordinals in Roman numerals
   ("XXIe siècle"), "World War II", and English words that imply two ("both", "twice");
5. digits with their French or English grouping and decimal mark, an optional currency before,
   and after them an ordinal suffix ("1er", "3ème", "21st") or a scale ("millions", "Mds",
   "bn", "€3m"), a currency ("d'euros", "€", "dollars") and a percent sign or words;
6. numbers in words ("vingt-deux", "quatre-vingt-dix-neuf", "deux cents", "trois mille",
   "twenty-two", "two hundred and five", "a million", "twenty-first"), parsed by longest match
   over tables of every spelling below a thousand, then scales.

Numbers written in words with the value 0 or 1 ("un", "une", "one", "premier", "first", "zéro")
are *weak*: "un"/"one" is far more often an article or pronoun than a quantity, so they may pair
with a number on the other side but are never reported as missing or added. The same holds for
the standalone French "neuf" (also "new") and "second(e)" ("second tour" is the runoff, "Seconde
Guerre mondiale" World War II), fractions and halves, and "both"/"twice".

Signs are ignored ("-3 %" and "down 3%" agree), and so are unit and currency conversions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Literal

Kind = Literal["cardinal", "ordinal", "percent", "vague", "fraction"]


@dataclass(frozen=True)
class Numeral:
    """One number found in a text, with its character span and its value."""

    start: int
    end: int
    text: str
    value: float
    kind: Kind = "cardinal"
    approximate: bool = False
    """A round figure ("une trentaine", "un millier"): a translation within 20% still agrees."""
    weak: bool = False
    """Matched when it can be, never reported ("un", "one", "premier", "both", "deux tiers")."""
    currency: str | None = None
    """ISO code when a currency is written with the number ("EUR" for "€", "d'euros")."""
    words: bool = False
    """Written in words rather than digits."""


@dataclass(frozen=True)
class Scan:
    """What a scan finds in one text: its numerals, and the numbers inside its dates and times."""

    numerals: tuple[Numeral, ...]
    shadows: frozenset[float] = field(default_factory=frozenset)


# --------------------------------------------------------------------------------------------
# Numbers in words: tables of every spelling below a thousand, then scales.


def _plain(word: str) -> str:
    """Lower case without accents, the form word tables are keyed on ("Deuxième" -> "deuxieme")."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_FR_UNITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
             "douze", "treize", "quatorze", "quinze", "seize"]
_FR_TENS = {20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante",
            70: "septante", 80: "huitante", 90: "nonante"}


def _french_below_100(n: int) -> list[tuple[str, ...]]:
    """Every accepted spelling of 1..99 as word tuples ("soixante et onze", Belgian "septante et un")."""
    if n <= 16:
        return [(_FR_UNITS[n],)]
    if n < 20:
        return [("dix", _FR_UNITS[n - 10])]
    tens, unit = divmod(n, 10)
    spellings: list[tuple[str, ...]] = []
    regional = [_FR_TENS[tens * 10]] if tens >= 7 else []
    if tens == 8:
        regional.append("octante")
    for word in ([_FR_TENS[tens * 10]] if tens < 7 else []) + regional:
        if unit == 0:
            spellings.append((word,))
        elif unit == 1:
            spellings.append((word, "et", "un"))
        else:
            spellings.append((word, _FR_UNITS[unit]))
    if tens in (7, 9):  # soixante-dix, soixante et onze, quatre-vingt-dix-neuf
        base = ("soixante",) if tens == 7 else ("quatre", "vingt")
        rest = _french_below_100(n - (60 if tens == 7 else 80))[0]
        spellings.append(base + (("et",) if n == 71 else ()) + rest)
    elif tens == 8:
        spellings.append(("quatre", "vingt") + (_french_below_100(unit)[0] if unit else ()))
    return spellings


def _french_ordinal(word: str) -> str:
    """The ordinal of the last word of a French numeral: "cinq" -> "cinquième", "onze" -> "onzième"."""
    special = {"un": "unième", "cinq": "cinquième", "neuf": "neuvième"}
    if word in special:
        return special[word]
    return (word[:-1] if word.endswith("e") else word) + "ième"


_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_EN_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
            90: "ninety"}


def _english_below_100(n: int) -> list[tuple[str, ...]]:
    """Every accepted spelling of 1..99 as word tuples ("twenty one" for "twenty-one")."""
    if n < 20:
        return [(_EN_UNITS[n],)]
    tens, unit = divmod(n, 10)
    return [(_EN_TENS[tens * 10],) + ((_EN_UNITS[unit],) if unit else ())]


def _english_ordinal(word: str) -> str:
    """The ordinal of the last word of an English numeral: "two" -> "second", "twenty" -> "twentieth"."""
    special = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
               "nine": "ninth", "twelve": "twelfth"}
    if word in special:
        return special[word]
    return word[:-1] + "ieth" if word.endswith("y") else word + "th"


@dataclass(frozen=True)
class _WordTable:
    """How one language writes numbers in words, keyed on plain (lower-case, unaccented) words."""

    chunks: dict[tuple[str, ...], tuple[int, bool]]
    """Every spelling of 0..999: value and whether it is an ordinal."""
    longest: int
    """The most words a spelling below a thousand takes."""
    scales: dict[str, int]
    """Multipliers that follow a chunk ("mille", "million", "thousand", "dozen")."""
    scale_ordinals: dict[str, int]
    """Ordinals of scales ("millième", "thousandth")."""
    bare_scales: frozenset[str]
    """Scales that stand alone for one of them ("mille" = 1000)."""
    aliases: dict[str, str]
    """Spellings folded before lookup: plurals, feminine, "a" before a scale."""
    joiners: frozenset[str]
    """Words that may sit inside a numeral but never start one ("et", "and")."""
    vocabulary: tuple[str, ...]
    """Every word (accented and plain) a run of number words is made of, longest first."""


def _build_table(units: list[str], below_100: Callable[[int], list[tuple[str, ...]]],
                 ordinal: Callable[[str], str], *, hundred: str, hundred_and: bool, scales: dict[str, int],
                 bare_scales: Iterable[str], aliases: dict[str, str], extra_ordinals: dict[str, int],
                 joiners: Iterable[str], extra_words: Iterable[str]) -> _WordTable:
    """A word table: every spelling of 0..999, cardinal and ordinal, from the language's rules."""
    spellings: dict[tuple[str, ...], int] = {(units[0],): 0}
    for n in range(1, 1000):
        hundreds, rest = divmod(n, 100)
        if hundreds == 0:
            head: tuple[str, ...] = ()
        elif hundreds == 1 and hundred == "cent":
            head = ("cent",)  # French says "cent", never "un cent"
        else:
            head = (units[hundreds], hundred)
        for tail in below_100(rest) if rest else [()]:
            spellings[head + tail] = n
            if head and tail and hundred_and:
                spellings[head + ("and",) + tail] = n  # British "two hundred and five"
    chunks: dict[tuple[str, ...], tuple[int, bool]] = {}
    for spelling, n in spellings.items():
        chunks[tuple(_plain(w) for w in spelling)] = (n, False)
        if n:
            chunks[tuple(_plain(w) for w in spelling[:-1] + (ordinal(spelling[-1]),))] = (n, True)
    for word, n in extra_ordinals.items():
        chunks[(_plain(word),)] = (n, True)
    words = {w for spelling in spellings for w in spelling} - set(joiners)
    words |= {ordinal(w) for w in words} | set(scales) | {ordinal(s) for s in scales}
    words |= set(extra_ordinals) | set(extra_words)
    return _WordTable(
        chunks=chunks, longest=max(len(key) for key in chunks),
        scales={_plain(k): v for k, v in scales.items()},
        scale_ordinals={_plain(ordinal(k)): v for k, v in scales.items()},
        bare_scales=frozenset(bare_scales), aliases={_plain(k): _plain(v) for k, v in aliases.items()},
        joiners=frozenset(joiners),
        vocabulary=tuple(sorted(words | {_plain(w) for w in words}, key=lambda w: (-len(w), w))),
    )


_FRENCH_PLURALS = {"une": "un", "cents": "cent", "vingts": "vingt", "millions": "million",
                   "milliards": "milliard", "billions": "billion", "mil": "mille"}
_FRENCH_WORDS = _build_table(
    _FR_UNITS, _french_below_100, _french_ordinal, hundred="cent", hundred_and=False,
    scales={"mille": 1000, "million": 10**6, "milliard": 10**9, "billion": 10**12}, bare_scales={"mille"},
    aliases=_FRENCH_PLURALS, extra_ordinals={"premier": 1, "première": 1, "premiers": 1, "premières": 1,
                                             "second": 2, "seconde": 2, "millième": 1000},
    joiners={"et"}, extra_words=_FRENCH_PLURALS,
)
_ENGLISH_WORDS = _build_table(
    _EN_UNITS, _english_below_100, _english_ordinal, hundred="hundred", hundred_and=True,
    scales={"thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12, "dozen": 12},
    bare_scales=(), aliases={"a": "one", "an": "one"}, extra_ordinals={"hundredth": 100, "thousandth": 1000},
    joiners={"and"}, extra_words=(),
)
_WORD_TOKEN = re.compile(r"[^\s\u00a0\u202f\u2009\u2011-]+")


@dataclass(frozen=True)
class _WordNumeral:
    value: int
    ordinal: bool
    start: int
    end: int
    tokens: int


def _parse_words(run: str, table: _WordTable) -> list[_WordNumeral]:
    """The numerals in a run of number words, longest match first ("deux trois" is 2 and 3).

    A numeral is chunks below a thousand, each but the last followed by a scale smaller than the
    one before ("deux millions trois cent mille cinq" = 2 000 000 + 300 × 1000 + 5); an ordinal
    chunk or scale ordinal ends it. Offsets are relative to `run`.
    """
    found = [(m.start(), m.end(), _plain(m.group())) for m in _WORD_TOKEN.finditer(run)]
    tokens = [table.aliases.get(word, word) for _, _, word in found]
    numerals: list[_WordNumeral] = []
    index = 0
    while index < len(tokens):
        parsed = _parse_one(tokens, index, table)
        if parsed is None:
            index += 1
            continue
        value, ordinal, end = parsed
        numerals.append(_WordNumeral(value, ordinal, found[index][0], found[end - 1][1], end - index))
        index = end
    return numerals


def _chunk_at(tokens: list[str], index: int, table: _WordTable) -> tuple[int, bool, int] | None:
    """The longest spelling below a thousand starting at `index`: value, ordinal, end index."""
    for length in range(min(table.longest, len(tokens) - index), 0, -1):
        hit = table.chunks.get(tuple(tokens[index:index + length]))
        if hit is not None:
            return hit[0], hit[1], index + length
    return None


def _parse_one(tokens: list[str], index: int, table: _WordTable) -> tuple[int, bool, int] | None:
    """One numeral starting at `index`: value, ordinal, end index; None if none starts there."""
    if tokens[index] in table.joiners:
        return None
    total, last_scale, end, position = 0, float("inf"), index, index
    while position < len(tokens):
        chunk = _chunk_at(tokens, position, table)
        value, ordinal, after = chunk if chunk else (None, False, position)
        if ordinal and value is not None:
            return total + value, True, after
        word = tokens[after] if after < len(tokens) else ""
        bare = value is None and word in table.bare_scales
        if value is not None and word in table.scale_ordinals and table.scale_ordinals[word] < last_scale:
            return total + value * table.scale_ordinals[word], True, after + 1  # "deux millième"
        if (value is not None or bare) and word in table.scales and table.scales[word] < last_scale:
            last_scale = table.scales[word]
            total += (value if value is not None else 1) * last_scale
            end = position = after + 1
            if position + 1 < len(tokens) and tokens[position] in table.joiners \
                    and _chunk_at(tokens, position + 1, table):
                position += 1  # "three thousand and five"
            continue
        if value is not None:
            total += value
            end = after
        break
    if end == index:
        return None
    return total, False, end


def _single_value(text: str, table: _WordTable) -> int | None:
    """The value of `text` if it is exactly one numeral in words, else None."""
    numerals = _parse_words(text.strip(), table)
    tokens = len(_WORD_TOKEN.findall(text))
    if len(numerals) != 1 or numerals[0].tokens != tokens:
        return None
    return numerals[0].value


def french_words_value(text: str) -> int | None:
    """The value of a French number in words ("quatre-vingt-dix-neuf" -> 99), None if it is not one.

    Accepts the traditional and 1990 spellings ("deux cent vingt et un", "deux-cent-vingt-et-un"),
    plural "cents"/"vingts", Belgian and Swiss tens (septante, huitante, octante, nonante) and
    ordinals ("vingt et unième" -> 21).
    """
    return _single_value(text, _FRENCH_WORDS)


def english_words_value(text: str) -> int | None:
    """The value of an English number in words ("two hundred and five" -> 205), None if it is not one.

    Accepts hyphens or spaces, the British "and", "a hundred"/"a million", "two dozen" and
    ordinals ("twenty-first" -> 21).
    """
    return _single_value(text, _ENGLISH_WORDS)


# --------------------------------------------------------------------------------------------
# Patterns. Each alternative is one outer named group, so `match.lastgroup` says which matched.

_SP = "[ \u00a0\u202f\u2009]"  # inside a number: space, no-break, narrow no-break, thin space
_CUR_PRE = r"(?:US\$|C\$|\$|€|£|¥|(?:EUR|USD|GBP|CHF)[ \u00a0])"
_NOT_INSIDE = r"(?<!\w)(?<!\d[.,])"  # digits that do not continue a word, a code (A380) or a number


def _words_run(table: _WordTable, joiner: str, prefix: str = "") -> str:
    """A run of number words joined by spaces, hyphens or the joiner ("vingt et un")."""
    word = "(?:" + "|".join(re.escape(w) for w in table.vocabulary) + r")(?!\w)"
    separator = r"[\s\u2011-]+"
    return rf"(?i:{prefix}\b{word}(?:(?:{separator}|{separator}{joiner}{separator}){word})*)"


_FR_MONTH = (r"(?i:(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre"
             r"|décembre|decembre)(?!\w)|(?:janv|févr|fevr|avr|juil|sept|oct|nov|déc|dec)\.)")
_FR_SKIP = "|".join([
    rf"\b(?:\d{{1,2}}|1er|(?i:premier)){_SP}+{_FR_MONTH}(?:{_SP}+\d{{4}}(?!\d))?",  # 14 mars 2023
    rf"\b{_FR_MONTH}{_SP}+\d{{4}}(?!\d)",  # juin 2023
    rf"\b(?i:fin|début|debut|mi|courant|été|hiver|printemps|automne)[{_SP[1:-1]}-]\d{{4}}(?!\d)",  # fin 2022
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)|\b\d{4}-\d{2}-\d{2}(?!\d)",  # 25/06/2023, 2023-06-25
    rf"\b24{_SP}?[hH]{_SP}?/{_SP}?24(?!\d)|\b7{_SP}?j{_SP}?/{_SP}?7(?!\d)",  # 24 h/24, 7 j/7
    rf"\b\d{{1,2}}{_SP}?[hH]{_SP}?\d{{2}}(?!\d)|\b\d{{1,2}}:\d{{2}}(?!\d)",  # 15h30, 6 h 30, 15:30
    # à 15 heures, vers 6 h: a clock time; "pendant 72 heures", "en 2 h" are durations
    rf"\b(?i:à|vers|dès|jusqu['’]à){_SP}+(?:[01]?\d|2[0-4]){_SP}?"
    rf"(?:[hH]|(?i:heures?))(?:{_SP}?\d{{2}}(?!\d))?(?!\w)",
])
_FR_IDIOMS = (  # French phrases with a number word that is not a quantity ("à deux pas" = nearby)
    "à deux pas", "en deux temps trois mouvements", "entre quatre yeux", "les quatre cents coups",
    "se mettre en quatre", "se met en quatre", "à quatre pattes", "au septième ciel", "à quatre épingles",
    "haut comme trois pommes", "un de ces quatre", "deux poids deux mesures", "couper les cheveux en quatre",
    "faire d'une pierre deux coups", "d'une pierre deux coups", "tous les trente-six du mois",
    "voir trente-six chandelles",
)
_FR_IDIOM = (rf"\b(?i:une?{_SP}+(?:quinzaine|huitaine){_SP}+de{_SP}+jours"  # ~ two weeks, a week
             + "".join("|" + re.escape(p).replace(r"\ ", rf"{_SP}+").replace("'", "['’]") for p in _FR_IDIOMS)
             + r")(?!\w)")
_FR_VAGUE = (rf"\b(?i:des|les|plusieurs|quelques|de){_SP}+"
             r"(?P<fv1>(?i:dizaines|douzaines|centaines|milliers|millions|milliards))"
             rf"(?:{_SP}+(?i:de|d['’]){_SP}*(?P<fv2>(?i:milliers|millions|milliards)))?(?!\w)")
_FR_APPROX = (rf"\b(?i:une?){_SP}+(?P<fa_noun>(?i:dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine"
              r"|cinquantaine|soixantaine|centaine|huitaine|millier))(?!\w)")
_FR_FRACTION = rf"\b(?P<ff_num>(?i:une?|deux|trois|quatre)|\d+){_SP}+(?P<ff_den>(?i:tiers|quarts?))(?!\w)"
_FR_ROMAN = r"(?<!\w)(?P<fr_roman_num>[IVX]+)(?:ᵉʳ|ᵉ|ème|er|re|e)(?!\w)"  # XXIe siècle, Ve République
_FR_DIGITS = (rf"\d{{1,3}}(?:{_SP}\d{{3}}(?!\d))+(?:,\d+)?"  # 1 234 567,5
              r"|\d{1,3}(?:\.\d{3}(?!\d))+(?:,\d+)?"  # 1.234.567,5
              r"|\d+(?:[,.]\d+)?")  # 1234,5  12,5  0,3  49.3
_FR_ORD = r"(?:ᵉʳ|ᵉ|ère|ere|ème|eme|ième|ieme|er|re|nde|nd|è|e)(?!\w)"
_FR_SCALE = (rf"{_SP}?(?:(?i:milliards?|millions?|billions?|milliers?|mille|centaines?|dizaines?)(?!\w)"
             r"|M(?:ds?|rds?)(?!\w)|M(?=\s?(?:€|\$|£|d['’]|de\s))|k(?=\s?€))")
_FR_CUR = (rf"{_SP}?(?:€|\$|£|(?:EUR|USD|GBP|CHF)(?!\w)|(?i:d['’]euros?|de{_SP}dollars|d['’]dollars"
           rf"|de{_SP}livres(?:{_SP}sterling)?|livres{_SP}sterling|euros?|dollars?|francs?)(?!\w))")
_FR_PCT = rf"{_SP}?(?:%|(?i:pour{_SP}?cents?|pourcents?)(?!\w))"

FRENCH_PATTERN = re.compile("|".join([
    f"(?P<fr_skip>{_FR_SKIP})",
    f"(?P<fr_idiom>{_FR_IDIOM})",
    f"(?P<fr_vague>{_FR_VAGUE})",
    f"(?P<fr_approx>{_FR_APPROX})",
    f"(?P<fr_fraction>{_FR_FRACTION})",
    f"(?P<fr_roman>{_FR_ROMAN})",
    r"(?P<fr_half>\b(?i:moitié|moitie|demie?)(?!\w))",
    rf"(?P<fr_num>(?P<fn_pre>{_CUR_PRE}{_SP}?)?{_NOT_INSIDE}(?P<fn_digits>{_FR_DIGITS})"
    rf"(?:(?P<fn_ord>{_FR_ORD})|(?P<fn_scale>{_FR_SCALE})?(?P<fn_cur>{_FR_CUR})?(?P<fn_pct>{_FR_PCT})?))",
    rf"(?P<fr_words>(?P<fw_run>{_words_run(_FRENCH_WORDS, 'et')})(?P<fw_cur>{_FR_CUR})?(?P<fw_pct>{_FR_PCT})?)",
]))
"""Every French numeral, date and time, as alternatives tried in order at each position."""

_EN_MONTH = (r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)"
             r"(?!\w)|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.)")
_EN_ORD = r"(?:st|nd|rd|th)"
_EN_SKIP = "|".join([
    rf"\b\d{{1,2}}{_EN_ORD}?{_SP}+(?:of{_SP}+)?{_EN_MONTH}(?:,?{_SP}+\d{{4}}(?!\d))?",  # 14 March 2023
    rf"\b{_EN_MONTH},?{_SP}+\d{{4}}(?!\d)",  # June 2023
    rf"\b{_EN_MONTH}{_SP}+\d{{1,2}}{_EN_ORD}?(?!\d)(?:{_SP}?[-–]{_SP}?\d{{1,2}}{_EN_ORD}?(?!\d))?"
    rf"(?:,?{_SP}+\d{{4}}(?!\d))?",  # March 14, 2023; March 14-16
    rf"\b(?i:late|early|mid|end{_SP}of|the{_SP}end{_SP}of|summer|winter|spring|autumn|fall)"
    rf"[{_SP[1:-1]}-]\d{{4}}(?!\d)",  # late 2022, mid-2023
    r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)|\b\d{4}-\d{2}-\d{2}(?!\d)",
    rf"\b\d{{1,2}}(?:[:.]\d{{2}})?{_SP}?(?i:a\.m\.|p\.m\.|a\.m|p\.m|am|pm)(?!\w)",  # 6.30 a.m., 3pm
    rf"\b\d{{1,2}}:\d{{2}}(?!\d)|\b\d{{1,2}}{_SP}?o['’]clock(?!\w)|\b\d{{1,2}}{_SP}?[hH]{_SP}?\d{{2}}(?!\d)",
    rf"\b\d{{3,4}}{_SP}?(?:GMT|UTC|CET|CEST|BST|EST|EDT|ET)(?!\w)|\b24/7(?!\d)",  # 1530 GMT, 24/7
    r"\b(?i:third)[\s-]+(?i:part(?:y|ies))(?!\w)",  # "a third party" is no number
])
_EN_VAGUE = (rf"\b(?i:several|a{_SP}few|many){_SP}+(?P<ev_s1>(?i:hundred|thousand|million|billion))"
             rf"(?:{_SP}+(?P<ev_s2>(?i:thousand|million|billion)))?(?!\w)"
             r"|\b(?P<ev_p1>(?i:(?:tens|scores)(?=\s+of\b)|dozens|hundreds|thousands|millions|billions))"
             rf"(?:{_SP}+of{_SP}+(?P<ev_p2>(?i:thousands|millions|billions)))?(?!\w)")
_EN_FRACTION = (rf"\b(?i:(?P<ef_one>a|one){_SP}+(?P<ef_den1>third|quarter)(?={_SP}+of\b)"
                r"|one-(?P<ef_den2>third|quarter)"
                rf"|(?P<ef_num>two|three|\d+)[{_SP[1:-1]}-]+(?P<ef_den3>thirds|quarters))(?!\w)")
_EN_WAR = r"\b(?i:world\s+war)\s+(?P<ew_num>II|I)(?!\w)"
_EN_WEAK = rf"\b(?i:both|twice|a{_SP}+couple{_SP}+of|a{_SP}+pair{_SP}+of|half)(?!\w)"  # 2, or 0.5
_EN_DIGITS = (r"\d{1,3}(?:,\d{3}(?!\d))+(?:\.\d+)?"  # 1,234,567.5
              rf"|\d{{1,3}}(?:{_SP}\d{{3}}(?!\d))+(?:[.,]\d+)?"  # 1 234 567 (French grouping left in)
              r"|\d+(?:[.,]\d+)?")  # 1234.5, 12,5 (French decimal comma left in)
_EN_SCALE = (rf"{_SP}?(?:(?i:trillions?|billions?|millions?|thousands?|hundreds?)(?!\w)|(?:bn|tn|trn)(?!\w)"
             r"|(?(en_pre)(?:mn|m|k)(?!\w)|(?:mn|m|k)(?=\s?(?i:euros?|dollars?|pounds?)\b)))")
# "m" and "k" only with a currency ("€3m", "$50k", "3m euros"): "a 5m wall" is five metres.
_EN_CUR = (rf"{_SP}?(?:€|(?:EUR|USD|GBP|CHF)(?!\w)|(?i:euros?|dollars?|pounds?(?:{_SP}sterling)?"
           rf"|(?:swiss{_SP})?francs?|of{_SP}euros)(?!\w))")
_EN_PCT = rf"{_SP}?(?:%|(?i:percent|per{_SP}cent)(?!\w))"
_EN_A = rf"(?:\b(?:an?){_SP}+(?=(?:hundred|thousand|million|billion|trillion|dozen)(?!\w)))?"

ENGLISH_PATTERN = re.compile("|".join([
    f"(?P<en_skip>{_EN_SKIP})",
    f"(?P<en_vague>{_EN_VAGUE})",
    f"(?P<en_fraction>{_EN_FRACTION})",
    f"(?P<en_war>{_EN_WAR})",
    f"(?P<en_weak>{_EN_WEAK})",
    rf"(?P<en_num>(?P<en_pre>{_CUR_PRE}{_SP}?)?{_NOT_INSIDE}(?P<en_digits>{_EN_DIGITS})"
    rf"(?:(?P<en_ord>{_EN_ORD})(?!\w)|(?P<en_scale>{_EN_SCALE})?(?P<en_cur>{_EN_CUR})?(?P<en_pct>{_EN_PCT})?))",
    rf"(?P<en_words>(?P<ew_run>{_words_run(_ENGLISH_WORDS, 'and', _EN_A)})(?P<ew_cur>{_EN_CUR})?"
    rf"(?P<ew_pct>{_EN_PCT})?)",
]))
"""Every English numeral, date and time, as alternatives tried in order at each position."""

# --------------------------------------------------------------------------------------------
# From a match to numerals.

_SCALES = {"mille": 10**3, "millier": 10**3, "million": 10**6, "milliard": 10**9,
           "billion": 10**12, "centaine": 100, "dizaine": 10, "md": 10**9, "mds": 10**9, "mrd": 10**9,
           "mrds": 10**9, "m": 10**6, "k": 10**3}
_EN_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
              "bn": 10**9, "tn": 10**12, "trn": 10**12, "m": 10**6, "mn": 10**6, "k": 10**3}
_APPROX = {"huitaine": 8, "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
           "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000}
_MAGNITUDES = {"dizaine": 10, "douzaine": 10, "centaine": 100, "millier": 1000, "million": 10**6,
               "milliard": 10**9, "ten": 10, "score": 10, "dozen": 10, "hundred": 100, "thousand": 1000,
               "billion": 10**9}
_CURRENCIES = {"€": "EUR", "eur": "EUR", "euro": "EUR", "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD",
               "c$": "CAD", "£": "GBP", "gbp": "GBP", "livre": "GBP", "pound": "GBP", "¥": "JPY", "chf": "CHF",
               "franc": "CHF"}
_ROMAN = {"I": 1, "V": 5, "X": 10}
_FRENCH_AMBIGUOUS = frozenset({"neuf", "second", "seconde"})
"""French number words as often something else: "neuf" (new), "second tour" (the runoff)."""


def _currency(*texts: str | None) -> str | None:
    """The ISO code of the first currency written in `texts` ("d'euros" -> "EUR")."""
    for text in texts:
        if not text:
            continue
        for token in re.findall(r"US\$|C\$|[$€£¥]|[^\W\d_]+", text):
            key = token.lower()
            code = _CURRENCIES.get(key) or _CURRENCIES.get(key.rstrip("s"))
            if code:
                return code
    return None


def _decimal(digits: str, french: bool) -> Decimal | None:
    """The value of a digit string in the language's notation ("1.234,5" French, "1,234.5" English)."""
    compact = re.sub(f"{_SP}", "", digits)
    group = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?" if french else r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    if re.fullmatch(group, compact):
        compact = compact.replace("." if french else ",", "")
    try:
        return Decimal(compact.replace(",", "."))
    except InvalidOperation:
        return None


def _scale_value(word: str | None, table: dict[str, int]) -> int:
    """The multiplier a scale word or abbreviation stands for (1 if none)."""
    if not word:
        return 1
    key = _plain(word.strip())
    return table.get(key) or table.get(key.rstrip("s")) or 1


def _roman(numeral: str) -> int | None:
    """The value of a Roman numeral made of I, V and X, None if it is not well formed."""
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN[char]
        following = _ROMAN[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total if total and _to_roman(total) == numeral else None


def _to_roman(n: int) -> str:
    """Standard Roman spelling of 1..39."""
    out = "X" * (n // 10)
    return out + ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][n % 10]


def _numeral(text: str, start: int, end: int, value: float, *, kind: Kind = "cardinal", approximate: bool = False,
             weak: bool = False, currency: str | None = None, words: bool = False) -> Numeral:
    """A Numeral over text[start:end]."""
    return Numeral(start, end, text[start:end], value, kind, approximate, weak, currency, words)


def _digits_numeral(m: re.Match[str], text: str, prefix: str, french: bool) -> list[Numeral]:
    """A numeral written with digits: value, scale, currency, percent or ordinal from the groups."""
    number = _decimal(m.group(f"{prefix}_digits"), french)
    if number is None:
        return []
    start, end = m.span()
    if m.group(f"{prefix}_ord"):
        return [_numeral(text, start, end, float(number), kind="ordinal")]
    scale_word = m.group(f"{prefix}_scale")
    scale = _scale_value(scale_word, _SCALES if french else _EN_SCALES)
    approximate = bool(scale_word) and _plain(scale_word.strip()).rstrip("s") in ("centaine", "dizaine", "millier")
    kind: Kind = "percent" if m.group(f"{prefix}_pct") else "cardinal"
    currency = _currency(m.group(f"{prefix}_pre"), m.group(f"{prefix}_cur"))
    return [_numeral(text, start, end, float(number * scale), kind=kind, currency=currency, approximate=approximate)]


def _words_numerals(m: re.Match[str], text: str, prefix: str, table: _WordTable,
                    ambiguous: frozenset[str] = frozenset()) -> list[Numeral]:
    """The numerals of a run of number words; a currency or percent after it goes with the last.

    0 and 1, and the words in `ambiguous`, are weak.
    """
    run_start = m.start(f"{prefix}_run")
    parsed = _parse_words(m.group(f"{prefix}_run"), table)
    numerals = []
    for index, word in enumerate(parsed):
        start, end = run_start + word.start, run_start + word.end
        last = index == len(parsed) - 1 and end == m.end(f"{prefix}_run")
        kind: Kind = "ordinal" if word.ordinal else "cardinal"
        currency = None
        if last:
            end = m.end()
            currency = _currency(m.group(f"{prefix}_cur"))
            if m.group(f"{prefix}_pct"):
                kind = "percent"
        written = _plain(text[start:run_start + word.end])
        weak = word.value in (0, 1) or written in ambiguous
        numerals.append(_numeral(text, start, end, float(word.value), kind=kind, currency=currency, weak=weak,
                                 words=True))
    return numerals


def _french(m: re.Match[str], text: str) -> list[Numeral]:
    """Numerals of one match of FRENCH_PATTERN (none for dates, times and idioms)."""
    group = m.lastgroup
    start, end = m.span()
    if group == "fr_vague":
        magnitude = _MAGNITUDES[_plain(m.group("fv1"))[:-1]] * (_MAGNITUDES[_plain(m.group("fv2"))[:-1]]
                                                                 if m.group("fv2") else 1)
        return [_numeral(text, start, end, float(magnitude), kind="vague", words=True)]
    if group == "fr_approx":
        noun = _plain(m.group("fa_noun"))
        if noun == "quarantaine" and not re.match(rf"{_SP}+d(?:e{_SP}+\D|['’])", text[end:]):
            return []  # une quarantaine (a quarantine), une quarantaine de 14 jours
        return [_numeral(text, start, end, float(_APPROX[noun]), approximate=True, words=True)]
    if group == "fr_fraction":
        numerator = m.group("ff_num")
        top = int(numerator) if numerator.isdigit() else (french_words_value(numerator) or 1)
        bottom = 3 if _plain(m.group("ff_den")) == "tiers" else 4
        return [_numeral(text, start, end, top / bottom, kind="fraction", weak=True, words=True)]
    if group == "fr_half":
        return [_numeral(text, start, end, 0.5, weak=True, words=True)]
    if group == "fr_roman":
        value = _roman(m.group("fr_roman_num"))
        if value is None:
            return []
        return [_numeral(text, start, end, float(value), kind="ordinal", weak=value == 1)]
    if group == "fr_num":
        return _digits_numeral(m, text, "fn", french=True)
    if group == "fr_words":
        return _words_numerals(m, text, "fw", _FRENCH_WORDS, _FRENCH_AMBIGUOUS)
    return []


def _english(m: re.Match[str], text: str) -> list[Numeral]:
    """Numerals of one match of ENGLISH_PATTERN (none for dates and times)."""
    group = m.lastgroup
    start, end = m.span()
    if group == "en_vague":
        first, second = (m.group("ev_s1"), m.group("ev_s2")) if m.group("ev_s1") else (m.group("ev_p1"),
                                                                                         m.group("ev_p2"))
        magnitude = _MAGNITUDES[first.lower().rstrip("s")]
        if second:
            magnitude *= _MAGNITUDES[second.lower().rstrip("s")]
        return [_numeral(text, start, end, float(magnitude), kind="vague", words=True)]
    if group == "en_fraction":
        numerator = m.group("ef_num")
        top = 1 if not numerator else int(numerator) if numerator.isdigit() else english_words_value(numerator) or 1
        denominator = (m.group("ef_den1") or m.group("ef_den2") or m.group("ef_den3")).lower()
        bottom = 3 if denominator.startswith("third") else 4
        return [_numeral(text, start, end, top / bottom, kind="fraction", weak=True, words=True)]
    if group == "en_war":  # French says "Seconde Guerre mondiale", a weak ordinal
        value = 2 if m.group("ew_num") == "II" else 1
        return [_numeral(text, m.start("ew_num"), end, float(value), kind="ordinal", weak=True)]
    if group == "en_weak":
        implied = 0.5 if "half" in m.group().lower() else 2.0
        return [_numeral(text, start, end, implied, weak=True, words=True)]
    if group == "en_num":
        return _digits_numeral(m, text, "en", french=False)
    if group == "en_words":
        return _words_numerals(m, text, "ew", _ENGLISH_WORDS)
    return []


def shadow_values(skipped: str) -> set[float]:
    """Numbers inside a skipped date or time, with the 12-hour reading of a clock hour."""
    values = {float(n) for n in re.findall(r"\d+", skipped)}
    if re.search(r"(?i)\d\s?(?:h|heures?|:|\.\d\d\s?[ap]|[ap]\.?m)", skipped):
        hours = [float(n) for n in re.findall(r"\d+", skipped)[:1]]
        values |= {h + 12 for h in hours if h < 12} | {h - 12 for h in hours if h > 12}
    return values


def _scan(text: str, pattern: re.Pattern[str], convert: Callable[[re.Match[str], str], list[Numeral]],
          skip_groups: tuple[str, ...]) -> Scan:
    numerals: list[Numeral] = []
    shadows: set[float] = set()
    for m in pattern.finditer(text):
        if m.lastgroup in skip_groups:
            shadows |= shadow_values(m.group())
            if m.lastgroup == "fr_idiom":  # une quinzaine de jours ~ two weeks, une huitaine ~ a week
                lowered = m.group().lower()
                if "quinz" in lowered or "huit" in lowered:
                    shadows |= {15.0, 14.0, 2.0} if "quinz" in lowered else {8.0, 7.0, 1.0}
            continue
        numerals.extend(convert(m, text))
    return Scan(tuple(numerals), frozenset(shadows))


def scan_french(text: str) -> Scan:
    """The numerals of a French text, and the numbers inside its dates and times (see module doc)."""
    return _scan(text, FRENCH_PATTERN, _french, ("fr_skip", "fr_idiom"))


def scan_english(text: str) -> Scan:
    """The numerals of an English text, and the numbers inside its dates and times (see module doc)."""
    return _scan(text, ENGLISH_PATTERN, _english, ("en_skip",))


def french_numerals(text: str) -> list[Numeral]:
    """The numerals of a French text, in order ("12,5 %", "3 millions d'euros", "vingt-deux", ...)."""
    return list(scan_french(text).numerals)


def english_numerals(text: str) -> list[Numeral]:
    """The numerals of an English text, in order ("12.5%", "€3m", "twenty-two", "21st", ...)."""
    return list(scan_english(text).numerals)


# --------------------------------------------------------------------------------------------
# The English form of a value, for suggestions.

_VAGUE_EN = {10: "dozens", 100: "hundreds", 1000: "thousands", 10**4: "tens of thousands",
             10**5: "hundreds of thousands", 10**6: "millions", 10**7: "tens of millions",
             10**8: "hundreds of millions", 10**9: "billions"}
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def format_english_number(value: float) -> str:
    """A value as English news writes it: "1,234.5", "85,000", "1.2 million", "2.5 billion"."""
    for scale, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        mantissa = value / scale
        if mantissa >= 1 and abs(round(mantissa, 2) - mantissa) < 1e-9:
            return f"{_trimmed(round(mantissa, 2))} {word}"
    return _trimmed(value)


def _trimmed(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def _ordinal_suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def english_words(n: int, *, ordinal: bool = False) -> str:
    """0..99 in English words, as news writes small numbers: "two", "twenty-two", "twenty-first"."""
    if not 0 <= n < 100:
        raise ValueError(f"{n} is not between 0 and 99")
    words = list(_english_below_100(n)[0]) if n else ["zero"]
    if ordinal:
        words[-1] = _english_ordinal(words[-1])
    return "-".join(words)


def english_form(numeral: Numeral) -> str:
    """How the English translation should write `numeral`: "12.5%", "€1.2 million", "21st", "about ten".

    Numbers the source writes in words come out in words below a hundred ("deux" -> "two",
    "troisième" -> "third"), the rest in digits with English grouping and decimal point.
    """
    n = round(numeral.value)
    small_words = numeral.words and 0 <= n < 100 and same_number(numeral.value, n) and numeral.kind != "percent"
    if numeral.kind == "vague":
        return _VAGUE_EN.get(n, format_english_number(numeral.value))
    if numeral.kind == "ordinal":
        return english_words(n, ordinal=True) if small_words else f"{n}{_ordinal_suffix(n)}"
    body = english_words(n) if small_words and not numeral.currency else format_english_number(numeral.value)
    if numeral.kind == "percent":
        body += "%"
    if numeral.currency in _SYMBOLS:
        body = _SYMBOLS[numeral.currency] + body
    elif numeral.currency:
        body += f" {numeral.currency}"
    return f"about {body}" if numeral.approximate else body


def same_number(a: float, b: float) -> bool:
    """Whether two values are equal up to floating-point noise (1.2 × 10^6 and 1 200 000)."""
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)
