"""Length-ratio check: a translation much shorter or longer than its source sentence warrants.

Gale and Church's model: the English length is about `ratio` times the French length, with a
variance growing with the French length, so z = (len_en - ratio * len_fr) / sqrt(len_fr * s2)
is roughly standard normal for faithful translations. For French->English the constants were
fitted on WMT13 newstest (3,000 human translations) and the threshold chosen on WMT14 newstest
(`python -m eval.calibrate_length --data DIR`; numbers in the README): at |z| > 3.5, 0.3% of
human translations are flagged. Other pairs use Gale and Church's own constants (c = 1,
s2 = 6.8). Sentence-level omissions (a whole sentence dropped) are the aligner's business;
this check catches the part of a sentence that went missing inside a 1-1 pair.
"""

from __future__ import annotations

import math

from service.checks.base import CheckInput, make_flag
from service.report import Flag

CALIBRATED = {("fr", "en"): (0.870, 2.04)}
DEFAULT = (1.0, 6.8)
THRESHOLD = 3.5
MIN_SOURCE_CHARS = 20  # very short segments (headings) vary too much to judge


def length_delta(source: str, translation: str, *, ratio: float, variance: float) -> float:
    """Gale-Church z-score of the translation length given the source length."""
    return (len(translation) - ratio * len(source)) / math.sqrt(max(1, len(source)) * variance)


def check_length(item: CheckInput) -> list[Flag]:
    """Flag a segment whose translation is implausibly short (likely omission) or long (addition)."""
    source, translation = item.source.strip(), item.translation.strip()
    if len(source) < MIN_SOURCE_CHARS or not translation:
        return []
    ratio, variance = CALIBRATED.get((item.source_lang, item.target_lang), DEFAULT)
    z = length_delta(source, translation, ratio=ratio, variance=variance)
    if abs(z) <= THRESHOLD:
        return []
    expected = round(ratio * len(source))
    what = "shorter" if z < 0 else "longer"
    return [make_flag(
        item, type="length", rule="length-ratio", severity="major" if z < 0 else "minor",
        source=(0, len(item.source)), translation=(0, len(item.translation)),
        message=f"The translation is much {what} than the source warrants ({len(translation)} characters "
        f"for about {expected} expected; z = {z:.1f}): part of the sentence may be "
        f"{'missing' if z < 0 else 'added'}.",
        confidence=round(min(0.95, 0.5 + abs(z) / 20), 2),
    )]
