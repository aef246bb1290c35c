"""What a numeral scan returns: `Numeral` (a number found in a text, with its span and value) and `Scan`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["cardinal", "ordinal", "percent", "vague", "fraction", "decade"]


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
    alternatives: tuple[float, ...] = ()
    """Other values the same text may mean: "2,386" is 2.386 in French notation but 2,386 in English
    notation, "500 milles" 500,000 or 500 miles, the "12" of "12 et 16 millions" 12 million."""
    scale: float = 1
    """The multiplier a scale word or abbreviation applied ("millions" 10^6, "Md€" 10^9; 1 if none)."""
    unit: str | None = None
    """The unit of measure written after the number (`service.checks.units` code: "km", "lb", "h")."""
    droppable: bool = False
    """A number a good translation may leave implicit ("les deux pays" -> "both countries", "these
    countries"): paired when it can be, reported when changed, never as missing."""

    @property
    def readings(self) -> tuple[float, ...]:
        """The value first, then the alternatives."""
        return (self.value, *self.alternatives)


@dataclass(frozen=True)
class Scan:
    """What a scan finds in one text: its numerals, and the numbers inside its dates and times."""

    numerals: tuple[Numeral, ...]
    shadows: frozenset[float] = field(default_factory=frozenset)



def same_number(a: float, b: float) -> bool:
    """Whether two values are equal up to floating-point noise (1.2 × 10^6 and 1 200 000)."""
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)
