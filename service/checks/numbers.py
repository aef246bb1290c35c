"""Numbers: every number in the French source must come out with the same value in English.

Both sides are scanned by `service.checks.numerals` (digits in either notation, scales,
currencies, percentages, ordinals, numbers in words, round figures and vague quantities) and
compared by value, never by spelling: "3 millions d'euros" and "€3m", "12,5 %" and "12.5 per
cent", "vingt-deux ans" and "22-year-old" agree. Source and translation numerals are paired one
to one in two passes:

1. equal values (within floating-point noise), preferring a counterpart of the same kind
   (percent, ordinal, ...) and at about the same relative place in its sentence;
2. near values: a French round figure ("une trentaine") agrees with English within 20%
   ("about 35", "a dozen" for "une dizaine"), and a vague quantity with its order of magnitude
   ("des milliers" ~ "thousands", "une trentaine" ~ "dozens", "des dizaines" ~ 10..99).

What is left becomes flags of type "number":

- `number-changed` (major): a source number with no counterpart while an unmatched number sits
  in the translation; the two are paired by kind and relative position, and both spans given;
- `number-missing` (major): a source number with no counterpart at all (translation span None);
  minor for a small number in words (up to ten: "deux", "deuxième", which translators restructure
  into "both", "a couple", "the other", "the year before last") and for an indefinite plural of a
  scale ("des millions", "des centaines": "multi-million", "hundreds of");
- `number-added` (minor): a translation number with no source counterpart.

The suggestion is the English form of the source number ("1,234.5", "€1.2 million", "12.5%",
"21st"). Weak numerals ("un", "one", "premier", "both", fractions) and numbers whose value
appears inside a date or time on the other side ("le 14" against "March 14") are paired when they
can be but never reported; dates and times themselves are the dates check's business. The check
only runs on French sources with English translations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from service.checks.base import CheckInput, make_flag, mask_markup
from service.checks.dates import DateExpression, parse_english, parse_french
from service.checks.numerals import (
    Numeral,
    Scan,
    english_form,
    english_words_value,
    french_words_value,
    same_number,
    scan_english,
    scan_french,
    shadow_values,
)
from service.checks.units import converts, exchanges
from service.report import Flag, Severity

TYPE = "number"
APPROXIMATION_TOLERANCE = 0.2
"""How far (relative to the French value) a translation may stray from a French round figure."""


def _language(code: str) -> str:
    """The primary language subtag: "en-GB" -> "en"."""
    return code.lower().replace("_", "-").split("-")[0]


def agree(source: Numeral, translation: Numeral, *, lenient: bool) -> bool:
    """Whether a translation numeral renders a source numeral, under any reading of either.

    Strict: equal values, vague quantities excepted. Lenient (second pass) adds a French round
    figure against a value within 20% of it, a vague quantity against the same order of
    magnitude or a value from that magnitude to ten times it ("des dizaines" ~ "dozens", "40"),
    and a measure or sum converted into another unit or currency ("272 millions de kg" ~ "600
    million pounds", "10 €" ~ "£9").
    """
    if source.kind == "vague" or translation.kind == "vague":
        return lenient and _vague_agree(source, translation)
    pairs = [(s, t) for s in source.readings for t in translation.readings]
    if any(same_number(s, t) for s, t in pairs):
        return True
    if not lenient:
        return False
    if source.approximate and any(abs(s - t) <= APPROXIMATION_TOLERANCE * s + 1e-9 for s, t in pairs):
        return True
    return any(converts(s, source.unit, t, translation.unit) or exchanges(s, source.currency, t, translation.currency)
               for s, t in pairs)


def _vague_agree(source: Numeral, translation: Numeral) -> bool:
    """A vague quantity against another of the same magnitude, or the source's head scale alone ("des
    dizaines de milliards" ~ "billions", but "des milliers" is not "tens of thousands"), or against a
    figure of its order of magnitude ("des dizaines" ~ "40", "a few" ~ "deux ou trois")."""
    if source.kind == "vague" and translation.kind == "vague":
        return any(same_number(s, translation.value) for s in source.readings)
    vague, figure = (source, translation) if source.kind == "vague" else (translation, source)
    if vague.weak and not figure.approximate:  # "a few" renders "deux ou trois", not "deux"
        return False
    return any(vague.value <= value < 10 * vague.value for value in figure.readings)


def _place(numeral: Numeral, text: str) -> float:
    """Where a numeral stands in its text, from 0 (start) to 1 (end)."""
    return numeral.start / max(len(text), 1)


def match(source: Sequence[Numeral], translation: Sequence[Numeral], source_text: str = "",
          translation_text: str = "") -> tuple[list[tuple[Numeral, Numeral]], list[Numeral], list[Numeral]]:
    """Pair source and translation numerals that agree: (pairs, unmatched source, unmatched translation).

    Strict pass, then lenient pass; within a pass strong source numerals choose first, each
    taking the agreeing translation numeral that is strong rather than weak, of the same kind, and
    nearest in relative position.
    """
    used: set[int] = set()
    paired: dict[int, int] = {}
    order = sorted(range(len(source)), key=lambda i: (source[i].weak, source[i].start))
    for lenient in (False, True):
        for i in order:
            if i in paired:
                continue
            candidates = [j for j, t in enumerate(translation)
                          if j not in used and agree(source[i], t, lenient=lenient)]
            if not candidates:
                continue
            best = min(candidates, key=lambda j: (translation[j].weak, translation[j].kind != source[i].kind,
                                                  abs(_place(source[i], source_text)
                                                      - _place(translation[j], translation_text))))
            paired[i] = best
            used.add(best)
    pairs = [(source[i], translation[j]) for i, j in sorted(paired.items())]
    return (pairs, [s for i, s in enumerate(source) if i not in paired],
            [t for j, t in enumerate(translation) if j not in used])


def _shadowed(numeral: Numeral, shadows: frozenset[float]) -> bool:
    """Whether the other side writes this number inside a date or time: its value ("le 14" against
    "March 14"), or every part of a clock time the scan took for a decimal ("6.30" against "6 h 30")."""
    if any(same_number(value, shadow) for value in numeral.readings for shadow in shadows):
        return True
    parts = [float(part) for part in re.findall(r"\d+", numeral.text)]
    return len(parts) == 2 and re.search(r"\d[.,:]\d", numeral.text) is not None and set(parts) <= shadows


def _copied(numeral: Numeral, other: str, other_words_value: Callable[[str], int | None]) -> bool:
    """Whether the other text holds this numeral as part of a name copied across, not as a number.

    Number words of one language written as they are in the other text are a name ("Sixth Street
    Prep", "Three Mile Island", "BBC Two", "Sept tables de billard français"); digits glued to a
    word there are a name or a typo ("Ariane5" for "Ariane 5", "en1985", "D137").
    """
    if numeral.words:
        return other_words_value(numeral.text) is None and re.search(
            rf"(?<!\w){re.escape(numeral.text)}(?!\w)", other, re.IGNORECASE) is not None
    digits = numeral.text.strip()
    if not digits.isdigit():
        return False
    glued = rf"(?<=[^\W\d]){digits}(?![\d.,]\d|\d)|(?<![\d.,]|\d){digits}(?=[^\W\d])"
    return re.search(glued, other) is not None


def _reportable(numerals: Iterable[Numeral], shadows: frozenset[float], other: str,
                other_words_value: Callable[[str], int | None]) -> list[Numeral]:
    """Unmatched numerals worth a flag: not weak, not a number the other side writes as a date or
    time, not part of a name the other side copies."""
    return [n for n in numerals if not n.weak and not _shadowed(n, shadows)
            and not _copied(n, other, other_words_value)]


_CONVERSION_BETWEEN = re.compile(
    r"\s*(?:[(\[]|,|or|/)\s*(?:(?:about|around|some|approximately|roughly|nearly|almost|or|i\.e\.|ie)\s+)?$",
    re.IGNORECASE)


def _added_conversion(numeral: Numeral, numerals: Sequence[Numeral], text: str) -> bool:
    """Whether a translation number only restates its neighbour in another unit or currency, as
    news adds in brackets: "£9 ($14)", "600 million pounds (272 million kg)", "2 metres, or 6ft 7in"."""
    for other in numerals:
        if other is numeral:
            continue
        first, second = (other, numeral) if other.start < numeral.start else (numeral, other)
        gap = text[first.end : second.start]
        if len(gap) > 25 or not _CONVERSION_BETWEEN.match(gap):
            continue
        if any(converts(a, other.unit, b, numeral.unit) or exchanges(a, other.currency, b, numeral.currency)
               for a in other.readings for b in numeral.readings):
            return True
    return False


def _pair_changes(source: list[Numeral], translation: list[Numeral], source_text: str,
                  translation_text: str) -> list[tuple[Numeral, Numeral]]:
    """Leftover source and translation numerals read as changes of one another, closest first.

    The cost of a pairing is 1 if the kinds differ plus the distance between relative positions,
    so "12,5 %" pairs with "15%" before "2021" and the first leftover with the first.
    """
    costs = sorted(((s.kind != t.kind) + abs(_place(s, source_text) - _place(t, translation_text)), i, j)
                   for i, s in enumerate(source) for j, t in enumerate(translation))
    taken_source: set[int] = set()
    taken_translation: set[int] = set()
    pairs: list[tuple[Numeral, Numeral]] = []
    for _, i, j in costs:
        if i not in taken_source and j not in taken_translation:
            taken_source.add(i)
            taken_translation.add(j)
            pairs.append((source[i], translation[j]))
    return pairs


def _shown(numeral: Numeral) -> str:
    """A numeral's text for a message, spaces normalised (no-break spaces become plain ones)."""
    return " ".join(numeral.text.split())


def _scan_without_dates(text: str, parse: Callable[[str], Sequence[DateExpression]],
                        scan: Callable[[str], Scan]) -> Scan:
    """Numerals of `text` outside the date and time expressions the dates check reads.

    Those expressions are blanked out (offsets kept); their numbers become shadows, which cancel
    an unmatched number on the other side ("juin 2023" against a bare "2023", "6 h 30" against
    "6.30"), as the scanners' own date skipping does.
    """
    expressions = parse(text)
    for expression in expressions:
        text = text[: expression.start] + " " * (expression.end - expression.start) + text[expression.end :]
    found = scan(text)
    shadows = frozenset().union(*(shadow_values(e.text) for e in expressions)) if expressions else frozenset()
    return Scan(found.numerals, found.shadows | shadows)


_FRENCH_BILLION = re.compile(r"(?<!\w)billions?(?!\w)", re.IGNORECASE)


def _billion_calque(source: Numeral, translation: Numeral) -> bool:
    """Whether the translation reads a French "billion" (10^12, an English trillion) as an English
    billion (10^9). That is a change, but French translated from English keeps the English word for
    milliards ("2 billions de dollars" -> "2 billion dollars"): all 8 such flags on the WMT12 and
    Potet references were such a source, so it is reported as minor, to be checked."""
    return _FRENCH_BILLION.search(source.text) is not None and any(
        same_number(s / 1000, t) for s in source.readings for t in translation.readings)


_SPACED_DECIMAL = re.compile(r"^\d+,\s\d{1,3}(?!\d)")


def _spaced_decimals(source: list[Numeral], translation: list[Numeral], source_text: str,
                     ) -> tuple[list[Numeral], list[Numeral]]:
    """Both lists without the decimals a French source wrote with a space after the comma ("une
    croissance de 0, 5%", "(50, 3%)") and the translation wrote whole ("0.5%"): the scanner reads two
    numbers there, but the value is one. Measured on the WMT12 and Potet references (3 segments)."""
    ordered = sorted(source, key=lambda n: n.start)
    joined: set[tuple[int, int]] = set()  # spans of the source numerals read as one decimal
    matched: set[int] = set()  # indexes of the translation numerals they match
    for first, second in zip(ordered, ordered[1:]):
        written = source_text[first.start:second.end]
        if first.words or second.words or not _SPACED_DECIMAL.match(written):
            continue
        whole, fraction = re.split(r",\s", written, maxsplit=1)
        value = float(whole + "." + "".join(c for c in fraction if c.isdigit()))
        k = next((k for k, other in enumerate(translation) if k not in matched
                  and any(same_number(value, t) for t in other.readings)), None)
        if k is not None:
            joined.update(((first.start, first.end), (second.start, second.end)))
            matched.add(k)
    return ([n for n in source if (n.start, n.end) not in joined],
            [n for k, n in enumerate(translation) if k not in matched])


SMALL_IN_WORDS = 10


def _missing_severity(numeral: Numeral) -> Severity:
    """Major for a missing number, but minor for the ones good translations restructure (module doc).
    On the WMT12/13 references these were 14 of the 35 major number-missing flags."""
    indefinite = numeral.text.casefold().startswith(("des ", "de ", "plusieurs "))
    return "minor" if numeral.words and (numeral.value <= SMALL_IN_WORDS or indefinite) else "major"


def check_numbers(item: CheckInput) -> list[Flag]:
    """Flags for source numbers that are changed or missing in the translation, and numbers it adds."""
    if _language(item.source_lang) != "fr" or _language(item.target_lang) != "en":
        return []
    # ids in tags and {0} are not numbers; the digits of dates and times belong to the dates check
    source_scan = _scan_without_dates(mask_markup(item.source), parse_french, scan_french)
    translation_scan = _scan_without_dates(mask_markup(item.translation), parse_english, scan_english)
    _, source_left, translation_left = match(source_scan.numerals, translation_scan.numerals, item.source,
                                             item.translation)
    source_left, translation_left = _spaced_decimals(source_left, translation_left, item.source)
    source_left = _reportable(source_left, translation_scan.shadows, item.translation, english_words_value)
    translation_left = [t for t in _reportable(translation_left, source_scan.shadows, item.source, french_words_value)
                        if not _added_conversion(t, translation_scan.numerals, item.translation)]
    changes = _pair_changes(source_left, translation_left, item.source, item.translation)
    flags: list[Flag] = []
    for source, translation in changes:
        calque = _billion_calque(source, translation)
        flags.append(make_flag(
            item, type=TYPE, rule="number-changed", severity="minor" if calque else "major",
            message=f"{_shown(source)} in the source became {_shown(translation)} in the translation"
            + (": a French billion is a million million (an English trillion); check which the source means"
               if calque else ""),
            source=(source.start, source.end), translation=(translation.start, translation.end),
            suggestion=english_form(source),
        ))
    changed_source = {(s.start, s.end) for s, _ in changes}
    changed_translation = {(t.start, t.end) for _, t in changes}
    for source in source_left:
        if (source.start, source.end) not in changed_source and not source.droppable:
            flags.append(make_flag(
                item, type=TYPE, rule="number-missing", severity=_missing_severity(source),
                message=f"{_shown(source)} in the source has no counterpart in the translation",
                source=(source.start, source.end), suggestion=english_form(source),
            ))
    for translation in translation_left:
        if (translation.start, translation.end) not in changed_translation:
            flags.append(make_flag(
                item, type=TYPE, rule="number-added", severity="minor",
                message=f"{_shown(translation)} in the translation has no counterpart in the source",
                translation=(translation.start, translation.end),
            ))
    return sorted(flags, key=lambda f: (f.source_start if f.source_start is not None else len(item.source),
                                        f.translation_start or 0))
