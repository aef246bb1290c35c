"""What the words around a numeral say about it: passes run over a scan's numerals, in text order.

The scanner reads each number on its own; these passes complete it from its neighbours:

- `join_scale_chains` (French): "55 mille 053" and "5 millions 143 mille 312" are one number
  each, written as Spanish and Latin-American news write them;
- `share_range_scales`: in "entre 12 et 16 millions" or "9 to 15 billion" the scale of the
  second number may also be the first's (alternative value 12 million);
- `complete_year_ranges`: "1997-98", "2011/12", "2020/21" (the second year may be 1998);
- `add_halves`: "2 millions et demi", "un an et demi", "two and a half million", "5 1/2", "5½";
- `join_hours_and_minutes`: "six heures trente", "half past six" (6.5 hours);
- `multiply_periods`: "trois décennies" / "three decades" may be 3 or 30 (years), "deux
  siècles" / "two centuries" 2 or 200;
- `mark_droppable` (French): "deux" after a definite or demonstrative determiner ("les deux
  pays", "ces deux hypothèses", "tous deux") names a pair the reader already knows; English may
  say "both", "they" or "these", so a missing counterpart is not reported (a different number is);
- `mark_either`: "deux ou trois", "five or six" are approximate, and the second number may go
  ("every few years");
- `add_units`: the unit of measure after each number (`service.checks.units`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from service.checks.number_words import plain
from service.checks.numeral_types import Numeral
from service.checks.units import Lang, unit_after

_SP = r"[ \u00a0\u202f\u2009]"
_RANGE_JOINER = re.compile(rf"{_SP}*(?:et|à|a|ou|-|–|/|to|and|or|through){_SP}*", re.IGNORECASE)
_WORD_SCALES = ("mille", "milles", "million", "millions", "milliard", "milliards")
_WORD_SCALE_VALUES = {"mille": 10**3, "million": 10**6, "milliard": 10**9}


def _between(text: str, first: Numeral, second: Numeral) -> str:
    return text[first.end : second.start]


def _without(numerals: list[Numeral], start: int, end: int, keep: Numeral) -> list[Numeral]:
    """`numerals` less those inside [start, end) other than `keep` (swallowed by a wider one)."""
    return [n for n in numerals if n is keep or n.end <= start or n.start >= end]


def join_scale_chains(text: str, numerals: list[Numeral]) -> list[Numeral]:
    """Merge "55 mille 053", "5 millions 143 mille 312 dollars" into one numeral each.

    The first part is digits with a scale word (mille, millions, milliards), the next part digits
    smaller than that scale, and only spaces between.
    """
    out: list[Numeral] = []
    for numeral in numerals:
        previous = out[-1] if out else None
        if previous is not None and previous.scale >= 1000 and previous.kind == "cardinal" \
                and not previous.currency and plain(previous.text.split()[-1]) in _WORD_SCALES \
                and re.fullmatch(f"{_SP}+", _between(text, previous, numeral)) \
                and numeral.text[:1].isdigit() and numeral.value < previous.scale:
            out[-1] = replace(numeral, start=previous.start, text=text[previous.start : numeral.end],
                              value=previous.value + numeral.value, alternatives=())
            continue
        out.append(numeral)
    return out


def share_range_scales(text: str, numerals: list[Numeral]) -> list[Numeral]:
    """In "12 et 16 millions", "9 to 15 billion", let the first number also read with the second's scale."""
    out = list(numerals)
    for index in range(len(out) - 1):
        first, second = out[index], out[index + 1]
        if first.scale == 1 and second.scale > 1 and first.kind == second.kind == "cardinal" \
                and _RANGE_JOINER.fullmatch(_between(text, first, second)):
            out[index] = replace(first, alternatives=(*first.alternatives, first.value * second.scale))
    return out


def complete_year_ranges(text: str, numerals: list[Numeral]) -> list[Numeral]:
    """The "98" of "1997-98" and the "21" of "2020/21" may also be read as the full year."""
    out = list(numerals)
    for index in range(len(out) - 1):
        first, second = out[index], out[index + 1]
        if re.fullmatch(r"(?:1[89]|20)\d\d", first.text) and re.fullmatch(r"\d\d", second.text) \
                and re.fullmatch(r"[-–/]", _between(text, first, second)):
            full = first.value - first.value % 100 + second.value
            out[index + 1] = replace(second, alternatives=(*second.alternatives, full))
    return out


_HALF_AFTER = {
    "fr": re.compile(rf"(?P<noun>{_SP}+(?:d['’]|de{_SP}+)?[^\W\d]+)?{_SP}+et{_SP}+(?P<part>demie?|quart)(?!\w)",
                     re.IGNORECASE),
    "en": re.compile(rf"(?P<noun>{_SP}+[^\W\d]+)?(?:{_SP}+|-)and(?:{_SP}+|-)(?:an?(?:{_SP}+|-))?(?P<part>half|quarter)"
                     r"(?!\w)"
                     rf"(?:{_SP}+(?P<scale>million|billion|trillion|thousand)(?!\w))?", re.IGNORECASE),
}
_FRACTION_AFTER = re.compile(rf"(?:{_SP}?½|{_SP}+1/2(?!\d))")
_EN_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NOT_A_NOUN = frozenset({"et", "and", "de", "of", "des", "les", "the"})


def add_halves(text: str, numerals: list[Numeral], lang: Lang) -> list[Numeral]:
    """Add the half or quarter written after a number: "2 millions et demi" (2.5 million), "un an et
    demi" (1.5), "deux heures et quart" (2.25), "two and a half million", "5 1/2", "5½".

    At most one noun may stand between ("un an et demi"); the numeral then spans the whole phrase
    and stops being weak ("un" is an article, "un an et demi" a duration).
    """
    out = list(numerals)
    for numeral in numerals:
        widened = _with_half(text, numeral, lang)
        if widened is not None and numeral in out:
            out = _without(out, widened.start, widened.end, numeral)
            out[out.index(numeral)] = widened
    return out


def _with_half(text: str, numeral: Numeral, lang: Lang) -> Numeral | None:
    """`numeral` widened over the half or quarter after it, None when none follows."""
    if numeral.kind not in ("cardinal", "percent"):
        return None
    m = _HALF_AFTER[lang].match(text, numeral.end)
    if m and not (m.group("noun") and plain(m.group("noun").strip()) in _NOT_A_NOUN):
        part = 0.25 if plain(m.group("part")).startswith("quar") else 0.5
        if lang == "en" and m.group("scale"):  # two and a half million
            scale = _EN_SCALES[m.group("scale").lower()]
            value = (numeral.value + part) * scale
        else:  # 2 millions et demi (in digits or in words), un an et demi
            scale = numeral.scale
            if scale == 1 and numeral.words and plain(numeral.text.split()[-1]) in _WORD_SCALES:
                scale = _WORD_SCALE_VALUES[plain(numeral.text.split()[-1]).rstrip("s")]
            value = numeral.value + part * scale
        end = m.end()
    else:
        fraction = _FRACTION_AFTER.match(text, numeral.end)
        if fraction is None or numeral.scale != 1 or numeral.words:
            return None
        scale, value, end = 1, numeral.value + 0.5, fraction.end()
    # the noun between is the unit: "une heure et quart" is 1.25 hours (75 minutes)
    unit = numeral.unit or (unit_after(text, numeral.end, lang) if m and m.group("noun") else None)
    return replace(numeral, end=end, text=text[numeral.start : end], value=value, alternatives=(), scale=scale,
                   weak=False, unit=unit)


_FR_HOURS = re.compile(rf"{_SP}+heures?{_SP}+$", re.IGNORECASE)
_EN_PAST = re.compile(rf"{_SP}+(?P<way>past|to){_SP}+$", re.IGNORECASE)
CLOCK_MINUTES = frozenset({5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55})


def join_hours_and_minutes(text: str, numerals: list[Numeral], lang: Lang) -> list[Numeral]:
    """Hours and minutes in words are one number of hours: "six heures trente", "une heure trente"
    (6.5, 1.5 hours); "half past six", "quarter past ten", "quarter to five" (6.5, 10.25, 4.75).
    So "à six heures trente" and "at half past six", "une heure trente plus tôt" and "an hour and a
    half earlier" agree (read on the Potet post-edits)."""
    out = list(numerals)
    for index in range(len(numerals) - 1):
        first, second = numerals[index], numerals[index + 1]
        if first not in out or second not in out or first.kind != "cardinal" or second.kind != "cardinal":
            continue
        between = _between(text, first, second)
        if lang == "fr" and first.words and second.words and second.value in CLOCK_MINUTES \
                and first.value <= 24 and _FR_HOURS.fullmatch(between):
            value = first.value + second.value / 60
        elif lang == "en" and plain(first.text) in ("half", "a quarter", "quarter") and second.value <= 24:
            way = _EN_PAST.fullmatch(between)
            if way is None:
                continue
            part = 0.5 if plain(first.text) == "half" else 0.25
            value = second.value + part if way.group("way").lower() == "past" else second.value - part
        else:
            continue
        joined = replace(first, end=second.end, text=text[first.start : second.end], value=value, alternatives=(),
                         weak=False, words=True, unit="h", approximate=False)
        out = [n for n in out if n is not second]
        out[out.index(first)] = joined
    return out


_PERIOD_AFTER = {
    "fr": re.compile(rf"{_SP}+(?P<period>décennies|decennies|siècles|siecles)(?!\w)", re.IGNORECASE),
    "en": re.compile(rf"{_SP}+(?P<period>decades|centuries)(?!\w)", re.IGNORECASE),
}


def multiply_periods(text: str, numerals: list[Numeral], lang: Lang) -> list[Numeral]:
    """"trois décennies", "three decades" may also be 30 (years); "deux siècles" 200. The period word's
    own numeral (a weak 10 or 100, or a vague "decades") is swallowed."""
    out = list(numerals)
    for numeral in numerals:
        m = _PERIOD_AFTER[lang].match(text, numeral.end)
        if m is None or numeral.kind != "cardinal" or numeral.scale != 1 or numeral not in out:
            continue
        years = 10 if plain(m.group("period")).startswith(("dec", "déc")) else 100
        widened = replace(numeral, end=m.end(), text=text[numeral.start : m.end()],
                          alternatives=(*numeral.alternatives, numeral.value * years), unit="yr")
        out = _without(out, numeral.start, m.end(), numeral)
        out[out.index(numeral)] = widened
    return out


_PAIR_DETERMINER = re.compile(
    rf"(?<![\w-])(?:les|ces|des|aux|leurs|nos|vos|ses|mes|tes|tous|toutes|tous{_SP}+les|toutes{_SP}+les"
    rf"|l['’]une?{_SP}+des|aucune?{_SP}+des|chacune?{_SP}+des){_SP}+$", re.IGNORECASE)


def mark_droppable(text: str, numerals: list[Numeral]) -> list[Numeral]:
    """"deux" after "les", "ces", "tous", "l'un des" ... names a known pair: droppable (see module doc)."""
    return [replace(n, droppable=True) if n.words and plain(n.text) == "deux"
            and _PAIR_DETERMINER.search(text, max(0, n.start - 30), n.start) else n for n in numerals]


_EITHER = re.compile(rf"{_SP}+(?:ou|or){_SP}+", re.IGNORECASE)


def mark_either(text: str, numerals: list[Numeral]) -> list[Numeral]:
    """"deux ou trois", "five or six" say about how many: both are approximate, the second droppable,
    as English may say "a few" ("tous les deux ou trois ans" -> "every few years")."""
    out = list(numerals)
    for index in range(1, len(out)):
        first, second = out[index - 1], out[index]
        if first.words and second.words and first.value < second.value <= 12 \
                and _EITHER.fullmatch(_between(text, first, second)):
            out[index - 1] = replace(first, approximate=True)
            out[index] = replace(second, approximate=True, droppable=True)
    return out


def add_units(text: str, numerals: list[Numeral], lang: Lang) -> list[Numeral]:
    """Each numeral with the unit of measure written after it, when there is one and none is set."""
    return [n if n.unit or n.kind in ("percent", "ordinal") else replace(n, unit=unit_after(text, n.end, lang))
            for n in numerals]
