"""Numerals in French and English news text: where they stand and what they are worth.

`scan_french` and `scan_english` find every number a reader would check in a translation and
return it as a `Numeral` (character span, value, kind, the other values its text may mean, the
unit after it); the numbers check then compares the two lists by value. Each language has one
tokenizer-style pattern (`service.checks.numeral_patterns`) whose alternatives are tried left to
right at each position, most specific first:

1. dates and clock times ("14 mars 2023", "15 h 30", "March 14", "6.30 a.m."), which the dates
   check owns: they are skipped, and the numbers inside them are kept as *shadows*, values an
   unmatched number on the other side may correspond to without being flagged ("du 14 au
   16 mars" against "March 14-16", "1h30" against "1.5 hours"). A bare year ("en 2021") is an
   ordinary number here; a year inside a date ("juin 2023", "fin 2022") belongs to the date.
   French idioms ("à deux pas", "les 8es de finale", "quinze jours") are skipped the same way,
   their numbers kept as shadows ("two birds with one stone", "the last 16", "two weeks");
2. decades ("les années 80", "années 1990", "the Eighties", "'80s", "1980s"): kind "decade",
   value the first year, alternative the two last digits;
3. vague quantities ("des milliers", "plusieurs centaines", "des siècles", "dozens", "tens of
   thousands", "decades"): kind "vague", value = the order of magnitude, alternative the head
   scale ("des dizaines de milliards" may be "billions"); "a few", "several" are weak vague
   quantities of magnitude 1 (the counterpart of "deux ou trois"; the French "plusieurs" stays
   unnumbered, so "plusieurs blessés" -> "three injured" adds a number);
4. French round-figure nouns ("une trentaine", "un petit millier"): approximate values;
5. halves of scales ("un demi-milliard", "half a million"), fractions ("deux tiers", "quatre
   cinquièmes", "a tenth of", "two-thirds"), words that imply a number ("doubler",
   "quinquennal", "le trio", "threefold", "halved", "twin", "a decade"), Roman ordinals
   ("XXIe siècle", "the XXth century"), "World War II", a height in feet and inches (6'7");
6. digits with their French or English grouping and decimal mark, an optional currency before,
   and after them an ordinal suffix ("1er", "3ème", "21st") or a scale ("millions", "Mds",
   "bn", "€3m", "thousand million"), a currency ("d'euros", "€", "dollars") and a percent sign;
7. numbers in words ("vingt-deux", "quatre-vingt-dix-neuf", "deux cents", "trois mille",
   "twenty-two", "two hundred and five", "a million", "twenty-first"), parsed by longest match
   over tables of every spelling below a thousand, then scales.

Digits read both ways when the notation is ambiguous: "2,386" or "3.064" (one separator, three
digits after) is a decimal in one language's notation and a thousands grouping in the other's,
and news copies either notation across; both values are kept. The passes of
`service.checks.numeral_context` then complete numerals from their neighbours ("55 mille 053",
"12 et 16 millions", "1997-98", "2 millions et demi", "trois décennies", "les deux") and read the
unit after each.

Numbers written in words with the value 0 or 1 ("un", "une", "one", "premier", "first", "zéro")
are *weak*: "un"/"one" is far more often an article or pronoun than a quantity, so they may pair
with a number on the other side but are never reported as missing or added. The same holds for
the standalone French "neuf" (also "new") and "second(e)" ("second tour" is the runoff, "Seconde
Guerre mondiale" World War II), English "second", fractions and halves, "both"/"twice" and the
words that only imply a number.

Signs are ignored ("-3 %" and "down 3%" agree).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from service.checks import numeral_context as context
from service.checks.number_format import english_form, english_words, format_english_number
from service.checks.number_words import (
    ENGLISH_WORDS,
    FRENCH_WORDS,
    WordTable,
    english_words_value,
    french_words_value,
    parse_words,
    plain,
)
from service.checks.numeral_patterns import (
    APPROX,
    CURRENCIES,
    DECADE_WORDS,
    DENOMINATORS,
    EN_SCALES,
    ENGLISH_AMBIGUOUS,
    ENGLISH_PATTERN,
    FRENCH_AMBIGUOUS,
    FRENCH_PATTERN,
    MAGNITUDES,
    MULTIPLES,
    ROMAN,
    SCALES,
    SP,
)
from service.checks.numeral_types import Kind, Numeral, Scan, same_number
from service.checks.units import unit_after

__all__ = ["Kind", "Numeral", "Scan", "english_form", "english_numerals", "english_words", "english_words_value",
           "format_english_number", "french_numerals", "french_words_value", "same_number", "scan_english",
           "scan_french", "shadow_values"]


# --------------------------------------------------------------------------------------------
# Values of the pieces of a match.


def _currency(*texts: str | None) -> str | None:
    """The ISO code of the first currency written in `texts` ("d'euros" -> "EUR")."""
    for text in texts:
        if not text:
            continue
        for token in re.findall(r"US\$|C\$|[$€£¥]|[^\W\d_]+", text):
            key = token.lower()
            code = CURRENCIES.get(key) or CURRENCIES.get(key.rstrip("s"))
            if code:
                return code
    return None


def _readings(digits: str, french: bool) -> list[Decimal]:
    """The values of a digit string, the language's own notation first ("1.234,5" French, "1,234.5" English).

    One separator followed by exactly three digits ("2,386", "3.064") is read both ways: the
    other notation comes second. English text with continental notation left in ("10.365,45",
    "5.143.312") is read as such.
    """
    compact = re.sub(SP, "", digits)
    continental = re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", compact)
    if french and continental or not french and (re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", compact)
                                                 or re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", compact)):
        own = compact.replace(".", "").replace(",", ".")
    elif not french and re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", compact):
        own = compact.replace(",", "")
    else:
        own = compact.replace(",", ".")
    values = [own]
    if re.fullmatch(r"\d{1,3}[.,]\d{3}", compact):
        values.append(compact.replace(",", ".") if "." not in own else compact.replace(",", "").replace(".", ""))
    out = []
    for value in dict.fromkeys(values):
        try:
            out.append(Decimal(value))
        except InvalidOperation:
            continue
    return out


def _pounds_weight(currency: str | None) -> str | None:
    """"lb" when the currency word is a bare "pounds", which may weigh as well as pay ("600 million pounds")."""
    return "lb" if currency and re.fullmatch(r"(?i)[\s-]*pounds?", currency) else None


def _scale_value(word: str | None, table: dict[str, int]) -> int:
    """The multiplier a scale word or abbreviation stands for (1 if none): "millions", "Mds", "thousand million"."""
    if not word:
        return 1
    key = " ".join(plain(word.strip(" \u00a0\u202f\u2009-")).split())
    key = key.removeprefix("autres ")
    return table.get(key) or table.get(key.rstrip("s")) or table.get(" ".join(w.rstrip("s") for w in key.split())) \
        or 1


def _roman(numeral: str) -> int | None:
    """The value of a Roman numeral made of I, V and X, None if it is not well formed."""
    total = 0
    for index, char in enumerate(numeral):
        value = ROMAN[char]
        following = ROMAN[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total if total and _to_roman(total) == numeral else None


def _to_roman(n: int) -> str:
    """Standard Roman spelling of 1..39."""
    out = "X" * (n // 10)
    return out + ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][n % 10]


def _numeral(text: str, start: int, end: int, value: float, *, kind: Kind = "cardinal", approximate: bool = False,
             weak: bool = False, currency: str | None = None, words: bool = False,
             alternatives: tuple[float, ...] = (), scale: float = 1, unit: str | None = None) -> Numeral:
    """A Numeral over text[start:end]."""
    return Numeral(start, end, text[start:end], value, kind, approximate, weak, currency, words,
                   tuple(a for a in alternatives if not same_number(a, value)), scale, unit)


# --------------------------------------------------------------------------------------------
# From a match to numerals.


def _digits_numeral(m: re.Match[str], text: str, prefix: str, french: bool) -> list[Numeral]:
    """A numeral written with digits: value, scale, currency, percent or ordinal from the groups."""
    readings = _readings(m.group(f"{prefix}_digits"), french)
    if not readings:
        return []
    start, end = m.span()
    if m.group(f"{prefix}_ord"):
        return [_numeral(text, start, end, float(readings[0]), kind="ordinal")]
    scale_word = m.group(f"{prefix}_scale")
    scale = _scale_value(scale_word, SCALES if french else EN_SCALES)
    key = plain(scale_word.strip()) if scale_word else ""
    approximate = key.rstrip("s") in ("centaine", "dizaine", "millier")
    kind: Kind = "percent" if m.group(f"{prefix}_pct") else "cardinal"
    currency = _currency(m.group(f"{prefix}_pre"), m.group(f"{prefix}_cur"))
    values = [float(r * scale) for r in readings]
    unit = _pounds_weight(m.group(f"{prefix}_cur"))
    if key == "milles":  # "500 milles d'objets" (thousands) or "à 200 milles des côtes" (miles)
        values += [float(r) for r in readings]
    elif key.endswith("trillions") or key.endswith("trillion"):  # French "trillion" for the English one
        values += [float(r) * 10**12 for r in readings]
    elif key in ("m", "mn", "k") and not currency:  # "1.7m people", "a 5m wall"
        values = [float(r) for r in readings] + values
        scale, unit = 1, ("m" if key == "m" else None)
    return [_numeral(text, start, end, values[0], kind=kind, currency=currency, approximate=approximate,
                     alternatives=tuple(values[1:]), scale=scale, unit=unit)]


def _words_numerals(m: re.Match[str], text: str, prefix: str, table: WordTable,
                    ambiguous: frozenset[str] = frozenset()) -> list[Numeral]:
    """The numerals of a run of number words; a currency or percent after it goes with the last.

    0 and 1, and the words in `ambiguous`, are weak; "six milles" may be 6,000 or six miles.
    """
    run_start = m.start(f"{prefix}_run")
    parsed = parse_words(m.group(f"{prefix}_run"), table)
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
        written = plain(text[start:run_start + word.end])
        alternatives = (word.value / 1000,) if written.endswith("milles") else ()
        unit = _pounds_weight(m.group(f"{prefix}_cur")) if last else None
        weak = word.value in (0, 1) or written in ambiguous or 1 in alternatives
        numerals.append(_numeral(text, start, end, float(word.value), kind=kind, currency=currency, weak=weak,
                                 words=True, alternatives=alternatives, unit=unit))
    return numerals


def _vague(text: str, m: re.Match[str], first: str, second: str | None) -> Numeral:
    """A vague quantity: the product of its magnitudes, the head one as alternative."""
    def magnitude(word: str) -> int:
        key = plain(word)
        return MAGNITUDES.get(key.rstrip("s")) or MAGNITUDES[key[:-1]]

    value = magnitude(first) * (magnitude(second) if second else 1)
    head = (float(magnitude(second)),) if second else ()
    return _numeral(text, m.start(), m.end(), float(value), kind="vague", words=True, alternatives=head)


def _decade(text: str, m: re.Match[str], digits: str | None, word: str | None, century: str | None) -> Numeral:
    """"années 80" (1980, or 80), "1990s" (1990, or 90), "années 80 du XIXe siècle" (1880, or 80)."""
    if digits and len(digits) == 4:
        year = int(digits)
        alternatives: tuple[float, ...] = (float(year % 100),)
    else:
        short = int(digits) if digits else DECADE_WORDS[plain(word or "").replace(" ", "-")]
        hundreds = 1900
        if century:
            number = _roman(re.sub(r"\W|e|ème|°", "", century)) if century[0] in "XVI" else None
            number = number or (int(century[:2]) if century[:2].isdigit() else 19 if "neuv" in century
                                else 18 if "huit" in century else 20)
            hundreds = (number - 1) * 100
        year = hundreds + short
        alternatives = (float(short),) + ((float(2000 + short),) if short <= 20 and not century else ())
    return _numeral(text, m.start(), m.end(), float(year), kind="decade", words=word is not None,
                    alternatives=alternatives)


def _fraction(text: str, m: re.Match[str], numerator: str | None, denominator: str, lang: str) -> Numeral:
    """"deux tiers", "quatre cinquièmes", "a tenth of", "two-thirds": numerator / denominator, weak."""
    if not numerator:
        top = 1
    elif numerator.isdigit():
        top = int(numerator)
    else:
        top = (french_words_value(numerator) if lang == "fr" else english_words_value(numerator)) or 1
    key = plain(denominator)
    bottom = DENOMINATORS.get(key) or DENOMINATORS.get(key.rstrip("s")) or DENOMINATORS[key[:-1]]
    return _numeral(text, m.start(), m.end(), top / bottom, kind="fraction", weak=True, words=True)


def _multiple(text: str, m: re.Match[str], root: str) -> Numeral:
    """A word that implies a number ("doubler", "quinquennal", "threefold", "halved", "twin"): weak."""
    key = plain(root)
    if key.endswith("-") or key[:1].isdigit():
        key = key.rstrip("-")
    value = float(key) if key.isdigit() else MULTIPLES.get(key) or english_words_value(key) or 2
    alternatives = (15.0,) if key == "fortnight" else ()
    kind: Kind = "ordinal" if key in ("tiers", "secondary", "tertiary") else "cardinal"
    return _numeral(text, m.start(), m.end(), float(value), kind=kind, weak=True, words=True,
                    alternatives=alternatives)


_HALVES = {"million": 5e5, "milliard": 5e8, "billion": 5e11, "trillion": 5e11, "douzaine": 6, "dozen": 6,
           "siecle": 50, "century": 50, "heure": 0.5, "hour": 0.5}
"""What half of one of them is: "un demi-milliard", "half a million" (French "billion" is 10^12)."""


def _half_of(text: str, m: re.Match[str], noun: str, lang: str) -> Numeral:
    """"un demi-million", "half a billion", "une demi-heure": half the noun's value (weak for time spans)."""
    key = plain(noun).rstrip("s")
    value = 5e8 if lang == "en" and key == "billion" else _HALVES[key]
    weak = key in ("siecle", "century", "heure", "hour")
    unit = "h" if key in ("heure", "hour") else "yr" if weak else None
    return _numeral(text, m.start(), m.end(), value, weak=weak, words=True, unit=unit)


def _french(m: re.Match[str], text: str) -> list[Numeral]:
    """Numerals of one match of FRENCH_PATTERN (none for dates, times and idioms)."""
    group = m.lastgroup
    start, end = m.span()
    if group == "fr_decade":
        return [_decade(text, m, m.group("fd_num") if m.group("fd_num")[0].isdigit() else None,
                        None if m.group("fd_num")[0].isdigit() else m.group("fd_num"), m.group("fd_century"))]
    if group == "fr_vague":
        return [_vague(text, m, m.group("fv1"), m.group("fv2"))]
    if group == "fr_approx":
        noun, scale = plain(m.group("fa_noun")), m.group("fa_scale")
        if noun == "quarantaine" and not scale and not re.match(rf"{SP}+d(?:e{SP}+\D|['’])", text[end:]):
            return []  # une quarantaine (a quarantine), une quarantaine de 14 jours
        about = APPROX[noun] * (_scale_value(scale, SCALES) if scale else 1)  # une centaine de milliers
        return [_numeral(text, start, end, float(about), approximate=True, words=True)]
    if group == "fr_demi":
        return [_half_of(text, m, m.group("fdm_noun"), "fr")]
    if group == "fr_fraction":
        return [_fraction(text, m, m.group("ff_num"), m.group("ff_den"), "fr")]
    if group == "fr_multiple":
        return [_multiple(text, m, m.group("fm_root") or m.group("fm_period") or m.group("fm_group"))]
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
        return _words_numerals(m, text, "fw", FRENCH_WORDS, FRENCH_AMBIGUOUS)
    return []


def _english(m: re.Match[str], text: str) -> list[Numeral]:
    """Numerals of one match of ENGLISH_PATTERN (none for dates and times)."""
    group = m.lastgroup
    start, end = m.span()
    if group == "en_decade":
        digits = m.group("ed_full") or m.group("ed_short") or m.group("ed_two")
        return [_decade(text, m, digits, m.group("ed_word"), None)]
    if group == "en_vague":
        first, second = (m.group("ev_s1"), m.group("ev_s2")) if m.group("ev_s1") else (m.group("ev_p1"),
                                                                                         m.group("ev_p2"))
        return [_vague(text, m, first, second)]
    if group == "en_fraction":
        denominator = m.group("ef_den1") or m.group("ef_den2") or m.group("ef_den3") or m.group("ef_den4")
        return [_fraction(text, m, m.group("ef_num"), denominator, "en")]
    if group == "en_demi":
        return [_half_of(text, m, m.group("edm_noun"), "en")]
    if group == "en_and_half":  # a year and a half
        return [_numeral(text, start, end, 1.5, words=True, unit=unit_after(" " + m.group("eah_noun"), 0, "en"))]
    if group == "en_multiple":
        root = m.group("emu_root") or m.group("emu_fold") or m.group("emu_half") or m.group("emu_word")
        return [_multiple(text, m, root)]
    if group == "en_few":
        return [_numeral(text, start, end, 1.0, kind="vague", weak=True, words=True)]
    if group == "en_war":  # French says "Seconde Guerre mondiale", a weak ordinal
        value = {"III": 3, "II": 2}.get(m.group("ew_num"), 1)
        return [_numeral(text, m.start("ew_num"), end, float(value), kind="ordinal", weak=True)]
    if group == "en_roman":
        roman = _roman(m.group("er_num"))
        return [] if roman is None else [_numeral(text, start, end, float(roman), kind="ordinal")]
    if group == "en_feet":
        return [_numeral(text, start, end, int(m.group("eft")) + int(m.group("ein")) / 12, unit="ft")]
    if group == "en_weak":
        implied = 0.5 if "half" in m.group().lower() else 2.0
        return [_numeral(text, start, end, implied, weak=True, words=True)]
    if group == "en_num":
        return _digits_numeral(m, text, "en", french=False)
    if group == "en_words":
        return _words_numerals(m, text, "ew", ENGLISH_WORDS, ENGLISH_AMBIGUOUS)
    return []


# --------------------------------------------------------------------------------------------
# Scanning.


def shadow_values(skipped: str) -> set[float]:
    """Numbers inside a skipped date or time, with the 12-hour reading of a clock hour and a clock
    time read as a duration ("1h30" may be 1.5 hours)."""
    values = {float(n) for n in re.findall(r"\d+", skipped)}
    if re.search(r"(?i)\d\s?(?:h|heures?|:|\.\d\d\s?[ap]|[ap]\.?m)", skipped):
        hours = [float(n) for n in re.findall(r"\d+", skipped)[:1]]
        values |= {h + 12 for h in hours if h < 12} | {h - 12 for h in hours if h > 12}
    duration = re.fullmatch(r"(\d{1,2})\s?[hH]\s?([0-5]\d)", skipped.strip())
    if duration:
        values.add(int(duration.group(1)) + int(duration.group(2)) / 60)
    return values


def _idiom_shadows(idiom: str) -> set[float]:
    """The numbers of a French idiom, which its English rendering may keep or change: "d'une pierre
    deux coups" (two birds with one stone), "les 8es de finale" (the last 16), "quinze jours" (two weeks)."""
    lowered = plain(idiom)
    values = {float(n) for n in re.findall(r"\d+", idiom)}
    values |= {float(n.value) for n in parse_words(idiom, FRENCH_WORDS)}
    if "finale" in lowered:
        values |= {2 * v for v in values} | {16.0 if "huiti" in lowered else 32.0 if "seizi" in lowered else 64.0}
    if "quinz" in lowered:
        values |= {15.0, 14.0, 2.0}
    if "huit" in lowered and "finale" not in lowered:
        values |= {8.0, 7.0, 1.0}
    return values


def _scan(text: str, pattern: re.Pattern[str], convert: Callable[[re.Match[str], str], list[Numeral]],
          skip_groups: tuple[str, ...]) -> tuple[list[Numeral], set[float]]:
    numerals: list[Numeral] = []
    shadows: set[float] = set()
    for m in pattern.finditer(text):
        if m.lastgroup == "fr_idiom":
            shadows |= _idiom_shadows(m.group())
        elif m.lastgroup in skip_groups:
            shadows |= shadow_values(m.group())
        else:
            numerals.extend(convert(m, text))
    return numerals, shadows


def scan_french(text: str) -> Scan:
    """The numerals of a French text, and the numbers inside its dates and times (see module doc)."""
    numerals, shadows = _scan(text, FRENCH_PATTERN, _french, ("fr_skip", "fr_idiom"))
    numerals = context.join_scale_chains(text, numerals)
    numerals = context.add_halves(text, numerals, "fr")
    numerals = context.join_hours_and_minutes(text, numerals, "fr")
    numerals = context.multiply_periods(text, numerals, "fr")
    numerals = context.share_range_scales(text, numerals)
    numerals = context.complete_year_ranges(text, numerals)
    numerals = context.mark_droppable(text, numerals)
    numerals = context.mark_either(text, numerals)
    return Scan(tuple(context.add_units(text, numerals, "fr")), frozenset(shadows))


def scan_english(text: str) -> Scan:
    """The numerals of an English text, and the numbers inside its dates and times (see module doc)."""
    numerals, shadows = _scan(text, ENGLISH_PATTERN, _english, ("en_skip",))
    numerals = context.add_halves(text, numerals, "en")
    numerals = context.join_hours_and_minutes(text, numerals, "en")
    numerals = context.multiply_periods(text, numerals, "en")
    numerals = context.share_range_scales(text, numerals)
    numerals = context.complete_year_ranges(text, numerals)
    numerals = context.mark_either(text, numerals)
    return Scan(tuple(context.add_units(text, numerals, "en")), frozenset(shadows))


def french_numerals(text: str) -> list[Numeral]:
    """The numerals of a French text, in order ("12,5 %", "3 millions d'euros", "vingt-deux", ...)."""
    return list(scan_french(text).numerals)


def english_numerals(text: str) -> list[Numeral]:
    """The numerals of an English text, in order ("12.5%", "€3m", "twenty-two", "21st", ...)."""
    return list(scan_english(text).numerals)

