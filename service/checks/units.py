"""Units of measure and currencies written after a number, and the conversions a translator may make.

English news often converts what the French source measures ("272 millions de kg" -> "600
million pounds", "2 735 km" -> "1,700-mile", "deux mètres" -> "6'7\"", "10 €" -> "£9") or adds
the conversion in brackets. `unit_after` reads the unit that follows a number in either language
and gives its code in `UNITS`; `converts` says whether a translation value in one unit renders a
source value in another of the same dimension, within the rounding the translation's own
figure shows ("1,700" is rounded to the hundred, "2" to the unit); `exchanges` says the same of
two currencies, within the range their exchange rate has spanned since 2000. A conversion is
only ever accepted between two different units: "1 234,5 km" against "1,234 km" stays a change.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

Lang = Literal["fr", "en"]


@dataclass(frozen=True)
class Unit:
    """A unit of measure: its dimension and what one of it is worth in the dimension's base unit.

    Base units: metre, square metre, kilogram, litre, degree Celsius, km/h, hour. `factors` lists
    every size the same word has ("gallon": US and imperial; "ton": short, long and metric);
    `offset` is added after the factor (temperatures: °F = (F - 32) × 5/9 °C).
    """

    dimension: str
    factors: tuple[float, ...]
    offset: float = 0.0

    def to_base(self, value: float) -> list[float]:
        """`value` of this unit in the base unit, once per size of the unit."""
        return [value * factor + self.offset for factor in self.factors]


UNITS: dict[str, Unit] = {
    "km": Unit("length", (1000.0,)), "m": Unit("length", (1.0,)), "cm": Unit("length", (0.01,)),
    "mm": Unit("length", (0.001,)), "mi": Unit("length", (1609.344, 1852.0)), "ft": Unit("length", (0.3048,)),
    "in": Unit("length", (0.0254,)), "yd": Unit("length", (0.9144,)),
    "km2": Unit("area", (1e6,)), "m2": Unit("area", (1.0,)), "ha": Unit("area", (1e4,)),
    "sqmi": Unit("area", (2_589_988.0,)), "sqft": Unit("area", (0.092903,)), "acre": Unit("area", (4046.86,)),
    "kg": Unit("mass", (1.0,)), "g": Unit("mass", (0.001,)), "t": Unit("mass", (1000.0,)),
    "lb": Unit("mass", (0.45359237,)), "oz": Unit("mass", (0.0283495,)),
    "ton": Unit("mass", (907.185, 1016.05, 1000.0)),
    "l": Unit("volume", (1.0,)), "gal": Unit("volume", (3.78541, 4.54609)),
    "degC": Unit("temperature", (1.0,)), "degF": Unit("temperature", (5 / 9,), -32 * 5 / 9),
    "kmh": Unit("speed", (1.0,)), "mph": Unit("speed", (1.609344,)),
    "yr": Unit("time", (8766.0,)), "mo": Unit("time", (730.5,)), "wk": Unit("time", (168.0,)),
    "d": Unit("time", (24.0,)), "h": Unit("time", (1.0,)), "min": Unit("time", (1 / 60,)),
    "s": Unit("time", (1 / 3600,)),
}

_FRENCH_SPELLINGS: dict[str, tuple[str, ...]] = {
    "kmh": ("km/h", "kilomètres à l'heure", "kilomètres-heure", "kilomètres heure"),
    "km2": ("km2", "km²", "kilomètres carrés", "kilomètre carré"),
    "m2": ("m2", "m²", "mètres carrés", "mètre carré"),
    "km": ("km", "kilomètres", "kilomètre"), "cm": ("cm", "centimètres", "centimètre"),
    "mm": ("mm", "millimètres", "millimètre"), "m": ("m", "mètres", "mètre"),
    "ha": ("ha", "hectares", "hectare"), "kg": ("kg", "kilogrammes", "kilogramme", "kilos", "kilo"),
    "g": ("g", "grammes", "gramme"), "t": ("t", "tonnes", "tonne"), "l": ("l", "litres", "litre"),
    "degC": ("°C", "°", "degrés Celsius", "degrés", "degré"),
    "yr": ("ans", "an", "années", "année"), "mo": ("mois",), "wk": ("semaines", "semaine"),
    "d": ("jours", "jour"), "h": ("heures", "heure", "h"), "min": ("minutes", "minute", "min", "mn"),
    "s": ("secondes", "seconde"),
}
_ENGLISH_SPELLINGS: dict[str, tuple[str, ...]] = {
    "mph": ("mph", "miles per hour", "miles an hour"),
    "kmh": ("km/h", "kph", "kilometres per hour", "kilometers per hour", "kilometres an hour"),
    "sqmi": ("square miles", "square mile", "sq mi"), "sqft": ("square feet", "square foot", "sq ft"),
    "km2": ("square kilometres", "square kilometers", "square kilometre", "square kilometer", "km2", "km²"),
    "m2": ("square metres", "square meters", "square metre", "square meter", "m2", "m²"),
    "mi": ("miles", "mile", "mi"), "ft": ("feet", "foot", "ft"), "in": ("inches", "inch"),
    "yd": ("yards", "yard"), "km": ("kilometres", "kilometers", "kilometre", "kilometer", "km"),
    "cm": ("centimetres", "centimeters", "centimetre", "centimeter", "cm"),
    "mm": ("millimetres", "millimeters", "millimetre", "millimeter", "mm"),
    "m": ("metres", "meters", "metre", "meter", "m"), "acre": ("acres", "acre"), "ha": ("hectares", "hectare", "ha"),
    "lb": ("pounds", "pound", "lbs", "lb"), "oz": ("ounces", "ounce", "oz"), "t": ("tonnes", "tonne", "metric tons"),
    "ton": ("tons", "ton"), "kg": ("kilograms", "kilogram", "kilogrammes", "kilos", "kilo", "kg"),
    "g": ("grams", "gram", "grammes", "g"), "gal": ("gallons", "gallon"),
    "l": ("litres", "liters", "litre", "liter", "l"),
    "degF": ("°F", "degrees Fahrenheit", "degree Fahrenheit", "Fahrenheit"),
    "degC": ("°C", "degrees Celsius", "degrees centigrade", "Celsius"),
    "yr": ("years", "year"), "mo": ("months", "month"), "wk": ("weeks", "week"), "d": ("days", "day"),
    "h": ("hours", "hour", "hrs", "hr"), "min": ("minutes", "minute", "mins", "min"), "s": ("seconds", "second"),
}


def _unit_pattern(spellings: dict[str, tuple[str, ...]], lead: str) -> re.Pattern[str]:
    """A pattern for any spelling right after a number (longest first), the code found by lookup."""
    words = sorted(((s, code) for code, group in spellings.items() for s in group), key=lambda p: -len(p[0]))
    body = "|".join(re.escape(s).replace(r"\ ", r"\s+").replace("'", "['’]") for s, _ in words)
    return re.compile(rf"[ \u00a0\u202f\u2009-]?(?:{lead})?(?P<unit>{body})(?![\w²])", re.IGNORECASE)


_LOOKUP: dict[Lang, dict[str, str]] = {
    "fr": {s.lower(): code for code, group in _FRENCH_SPELLINGS.items() for s in group},
    "en": {s.lower(): code for code, group in _ENGLISH_SPELLINGS.items() for s in group},
}
_PATTERNS: dict[Lang, re.Pattern[str]] = {
    # 272 millions de kg, les 18 derniers mois
    "fr": _unit_pattern(_FRENCH_SPELLINGS, r"(?:de|d['’])\s*|(?:derni|premi|prochain|autre)\w*\s+"),
    "en": _unit_pattern(_ENGLISH_SPELLINGS, r"(?:of\s+)?"),
}


def unit_after(text: str, end: int, lang: Lang) -> str | None:
    """The code of the unit written right after text[:end] ("km" for " kilomètres", "-mile"), else None."""
    m = _PATTERNS[lang].match(text, end)
    if m is None:
        return None
    return _LOOKUP[lang].get(" ".join(m.group("unit").lower().replace("’", "'").split()))


def rounding(value: float) -> float:
    """How far a written figure may be from the exact conversion it rounds.

    Half the place of its last significant digit ("1,700" -> 50, "2" -> 0.5, "2.5" -> 0.05), at
    most 10% and at least 2% of it, so that "about 2" renders 1.98 but not 2.5.
    """
    magnitude = abs(value)
    if magnitude == 0:
        return 0.5
    text = f"{magnitude:.6f}".rstrip("0")
    if text.endswith("."):
        digits = text[:-1]
        place = 10.0 ** (len(digits) - len(digits.rstrip("0")))
    else:
        place = 10.0 ** -len(text.split(".")[1])
    return max(min(place / 2, 0.1 * magnitude), 0.02 * magnitude)


def converts(source_value: float, source_unit: str | None, translation_value: float,
             translation_unit: str | None) -> bool:
    """Whether the translation converted the source measure into another unit of the same dimension."""
    if source_unit is None or translation_unit is None or source_unit == translation_unit:
        return False
    source, translation = UNITS[source_unit], UNITS[translation_unit]
    if source.dimension != translation.dimension:
        return False
    tolerance = rounding(translation_value)
    for base in source.to_base(source_value):
        for factor in translation.factors:
            if abs((base - translation.offset) / factor - translation_value) <= tolerance:
                return True
    return False


_RATES: dict[tuple[str, str], tuple[float, float]] = {
    ("EUR", "USD"): (0.83, 1.60), ("EUR", "GBP"): (0.57, 0.98), ("GBP", "USD"): (1.05, 2.11),
    ("EUR", "CHF"): (0.93, 1.68), ("USD", "CHF"): (0.72, 1.83), ("USD", "CAD"): (0.94, 1.61),
    ("EUR", "CAD"): (1.2, 1.76), ("USD", "JPY"): (76.0, 162.0), ("EUR", "JPY"): (89.0, 170.0),
}
"""Units of the second currency per unit of the first, lowest and highest since 2000 (yearly extremes)."""


def _rate(source: str, translation: str) -> tuple[float, float] | None:
    if (source, translation) in _RATES:
        return _RATES[source, translation]
    if (translation, source) in _RATES:
        low, high = _RATES[translation, source]
        return 1 / high, 1 / low
    return None


def exchanges(source_value: float, source_currency: str | None, translation_value: float,
              translation_currency: str | None) -> bool:
    """Whether the translation converted a sum into another currency at a rate the pair has had."""
    if source_currency is None or translation_currency is None or source_currency == translation_currency:
        return False
    rate = _rate(source_currency, translation_currency)
    if rate is None or source_value <= 0:
        return False
    # No rounding slack on top of the rate band: the band of 25 years is already wide, and "300 euros"
    # written "500 dollars" is a changed sum, not a conversion.
    low, high = rate
    return source_value * low * 0.98 <= translation_value <= source_value * high * 1.02


def same_dimension(first: str | None, second: str | None) -> bool:
    """Whether two unit codes measure the same thing (both None is False)."""
    return first is not None and second is not None and UNITS[first].dimension == UNITS[second].dimension


def is_close(a: float, b: float) -> bool:
    """Equal up to floating-point noise."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
