"""Numbers written in words, French and English: tables of every spelling below a thousand, then scales.

`french_words_value("quatre-vingt-dix-neuf")` is 99 and `english_words_value("two hundred and
five")` is 205. The tables are built from each language's rules (French "soixante et onze",
Belgian and Swiss "septante", "nonante", British "and", plural "cents"/"vingts", ordinals), and
`parse_words` reads a run of number words by longest match, so "deux trois" is 2 and 3.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass


def plain(word: str) -> str:
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


def english_below_100(n: int) -> list[tuple[str, ...]]:
    """Every accepted spelling of 1..99 as word tuples ("twenty one" for "twenty-one")."""
    if n < 20:
        return [(_EN_UNITS[n],)]
    tens, unit = divmod(n, 10)
    return [(_EN_TENS[tens * 10],) + ((_EN_UNITS[unit],) if unit else ())]


def english_ordinal(word: str) -> str:
    """The ordinal of the last word of an English numeral: "two" -> "second", "twenty" -> "twentieth"."""
    special = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
               "nine": "ninth", "twelve": "twelfth"}
    if word in special:
        return special[word]
    return word[:-1] + "ieth" if word.endswith("y") else word + "th"


@dataclass(frozen=True)
class WordTable:
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
    """Scales that stand alone for one of them ("mille" = 1000, "the last thousand years")."""
    aliases: dict[str, str]
    """Spellings folded before lookup: plurals, feminine, "a" before a scale."""
    joiners: frozenset[str]
    """Words that may sit inside a numeral but never start one ("et", "and")."""
    vocabulary: tuple[str, ...]
    """Every word (accented and plain) a run of number words is made of, longest first."""


def _build_table(units: list[str], below_100: Callable[[int], list[tuple[str, ...]]],
                 ordinal: Callable[[str], str], *, hundred: str, hundred_and: bool, scales: dict[str, int],
                 bare_scales: Iterable[str], aliases: dict[str, str], extra_ordinals: dict[str, int],
                 joiners: Iterable[str], extra_words: Iterable[str]) -> WordTable:
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
        chunks[tuple(plain(w) for w in spelling)] = (n, False)
        if n:
            chunks[tuple(plain(w) for w in spelling[:-1] + (ordinal(spelling[-1]),))] = (n, True)
    for word, n in extra_ordinals.items():
        chunks[(plain(word),)] = (n, True)
    words = {w for spelling in spellings for w in spelling} - set(joiners)
    words |= {ordinal(w) for w in words} | set(scales) | {ordinal(s) for s in scales}
    words |= set(extra_ordinals) | set(extra_words)
    return WordTable(
        chunks=chunks, longest=max(len(key) for key in chunks),
        scales={plain(k): v for k, v in scales.items()},
        scale_ordinals={plain(ordinal(k)): v for k, v in scales.items()},
        bare_scales=frozenset(bare_scales), aliases={plain(k): plain(v) for k, v in aliases.items()},
        joiners=frozenset(joiners),
        vocabulary=tuple(sorted(words | {plain(w) for w in words}, key=lambda w: (-len(w), w))),
    )


_FRENCH_PLURALS = {"une": "un", "cents": "cent", "vingts": "vingt", "millions": "million",
                   "milliards": "milliard", "billions": "billion", "mil": "mille", "milles": "mille",
                   "douzaines": "douzaine", "dizaines": "dizaine", "centaines": "centaine"}
# "milles" is the plural of "mille" in news translated from Russian or Spanish ("500 milles d'objets"),
# "douzaines", "dizaines", "centaines" count dozens, tens, hundreds ("deux douzaines de cabinets").
FRENCH_WORDS = _build_table(
    _FR_UNITS, _french_below_100, _french_ordinal, hundred="cent", hundred_and=False,
    scales={"mille": 1000, "million": 10**6, "milliard": 10**9, "billion": 10**12, "douzaine": 12, "dizaine": 10,
            "centaine": 100},
    bare_scales={"mille"},
    aliases=_FRENCH_PLURALS, extra_ordinals={"premier": 1, "première": 1, "premiers": 1, "premières": 1,
                                             "second": 2, "seconde": 2, "millième": 1000, "premièrement": 1,
                                             "deuxièmement": 2, "troisièmement": 3},
    joiners={"et"}, extra_words=_FRENCH_PLURALS,
)
ENGLISH_WORDS = _build_table(
    _EN_UNITS, english_below_100, english_ordinal, hundred="hundred", hundred_and=True,
    scales={"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12, "dozen": 12},
    bare_scales=("hundred", "thousand"), aliases={"a": "one", "an": "one"},
    extra_ordinals={"hundredth": 100, "thousandth": 1000, "firstly": 1, "secondly": 2, "thirdly": 3},
    joiners={"and"}, extra_words=(),
)
WORD_TOKEN = re.compile(r"[^\s\u00a0\u202f\u2009\u2011-]+")


@dataclass(frozen=True)
class WordNumeral:
    value: int
    ordinal: bool
    start: int
    end: int
    tokens: int


def parse_words(run: str, table: WordTable) -> list[WordNumeral]:
    """The numerals in a run of number words, longest match first ("deux trois" is 2 and 3).

    A numeral is chunks below a thousand, each but the last followed by a scale smaller than the
    one before ("deux millions trois cent mille cinq" = 2 000 000 + 300 × 1000 + 5); an ordinal
    chunk or scale ordinal ends it. Offsets are relative to `run`.
    """
    found = [(m.start(), m.end(), plain(m.group())) for m in WORD_TOKEN.finditer(run)]
    tokens = [table.aliases.get(word, word) for _, _, word in found]
    numerals: list[WordNumeral] = []
    index = 0
    while index < len(tokens):
        parsed = _parse_one(tokens, index, table)
        if parsed is None:
            index += 1
            continue
        value, ordinal, end = parsed
        numerals.append(WordNumeral(value, ordinal, found[index][0], found[end - 1][1], end - index))
        index = end
    return numerals


def _chunk_at(tokens: list[str], index: int, table: WordTable) -> tuple[int, bool, int] | None:
    """The longest spelling below a thousand starting at `index`: value, ordinal, end index."""
    for length in range(min(table.longest, len(tokens) - index), 0, -1):
        hit = table.chunks.get(tuple(tokens[index:index + length]))
        if hit is not None:
            return hit[0], hit[1], index + length
    return None


def _parse_one(tokens: list[str], index: int, table: WordTable) -> tuple[int, bool, int] | None:
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
            first = total == 0
            last_scale = table.scales[word]
            total += (value if value is not None else 1) * last_scale
            end = position = after + 1
            # a scale of a scale on the first chunk: "three thousand million" (3e9), "mille milliards"
            while first and position < len(tokens) and table.scales.get(tokens[position], 0) > last_scale:
                last_scale *= table.scales[tokens[position]]
                total *= table.scales[tokens[position]]
                end = position = position + 1
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


def _single_value(text: str, table: WordTable) -> int | None:
    """The value of `text` if it is exactly one numeral in words, else None."""
    numerals = parse_words(text.strip(), table)
    tokens = len(WORD_TOKEN.findall(text))
    if len(numerals) != 1 or numerals[0].tokens != tokens:
        return None
    return numerals[0].value


def french_words_value(text: str) -> int | None:
    """The value of a French number in words ("quatre-vingt-dix-neuf" -> 99), None if it is not one.

    Accepts the traditional and 1990 spellings ("deux cent vingt et un", "deux-cent-vingt-et-un"),
    plural "cents"/"vingts", Belgian and Swiss tens (septante, huitante, octante, nonante) and
    ordinals ("vingt et unième" -> 21).
    """
    return _single_value(text, FRENCH_WORDS)


def english_words_value(text: str) -> int | None:
    """The value of an English number in words ("two hundred and five" -> 205), None if it is not one.

    Accepts hyphens or spaces, the British "and", "a hundred"/"a million", "two dozen" and
    ordinals ("twenty-first" -> 21).
    """
    return _single_value(text, ENGLISH_WORDS)
