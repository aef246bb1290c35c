"""The English form of a numeral, as a suggestion: "12.5%", "€1.2 million", "21st", "about ten"."""

from __future__ import annotations

from service.checks.number_words import english_below_100, english_ordinal
from service.checks.numeral_types import Numeral, same_number

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
    words = list(english_below_100(n)[0]) if n else ["zero"]
    if ordinal:
        words[-1] = english_ordinal(words[-1])
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
