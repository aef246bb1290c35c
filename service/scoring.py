"""The quality score (0-100) and the verdict, from signals and flags. Formula version: v1.

Segment score (documented in the README):

    base  = 0.30 * roundtrip_chrF + 0.30 * pseudo_reference_chrF
          + 0.20 * L(forward_logprob) + 0.20 * L(backward_logprob)
    L(lp) = 100 * clamp(1 + lp / 4, 0, 1)      # mean log-prob 0 -> 100, -2 -> 50, <= -4 -> 0
    score = clamp(base - sum(penalty[flag.severity]), 0, 100)
    penalty: minor 5, major 25, critical 50

The numbers above (weights, an intercept of 0, the log-probability -4 that maps to 0 points, the
penalties) are those of the shipped weights file `service/weights/quality-v1.json`, loaded by
`service.quality_weights`; `base_score` and `segment_score` take another `QualityWeights` (setting
`quality_weights`, fitted by `python -m eval.meta.calibrate`) and default to the shipped one:

    base  = clamp(intercept + sum(weight[f] * feature[f]), 0, 100)

A segment with nothing on one side (an omitted or added sentence) has base 0. Without models
(`--no-model`, glossary and localization checks only), a segment with both sides has base 100. The document
score is the mean of the segment scores weighted by their length in characters (source
length, or translation length for an added sentence), so a dropped long sentence weighs more.

Verdicts: a segment fails with a critical flag or a score below `fail_score`; it is for review
with a major flag or a score below `pass_score`; otherwise it passes. The document fails with
any critical flag or a score below `fail_score`, is for review when any segment is not a pass
or its score is below `pass_score`, and passes otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

from service.quality_weights import QualityWeights, load_weights
from service.report import Flag, Segment, Signals, Verdict

FORMULA_VERSION = "v1"
RULES_ONLY_BASE = 100.0


def _clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, value))


def likelihood_points(mean_logprob: float, zero: float | None = None) -> float:
    """Map a mean token log-probability to 0-100: 0 -> 100, `zero` or less -> 0, linear between.

    `zero` defaults to the shipped weights' `logprob_zero` (-4)."""
    if zero is None:
        zero = load_weights(None).logprob_zero
    return _clamp(100.0 * (1.0 - mean_logprob / zero))


def base_score(signals: Signals | None, weights: QualityWeights | None = None) -> float:
    """Weighted sum of the model signals on a 0-100 scale (0 when there are none).

    `weights` default to the shipped ones (`service/weights/quality-v1.json`)."""
    if signals is None:
        return 0.0
    w = weights if weights is not None else load_weights(None)
    f = w.features
    return _clamp(
        f.roundtrip_chrf * signals.roundtrip.chrf
        + f.pseudo_reference_chrf * signals.pseudo_reference_chrf
        + f.forward * likelihood_points(signals.forward_logprob, w.logprob_zero)
        + f.backward * likelihood_points(signals.backward_logprob, w.logprob_zero)
        + w.intercept
    )


def segment_score(signals: Signals | None, flags: Sequence[Flag], *, rules_only: bool = False,
                  weights: QualityWeights | None = None) -> float:
    """The segment's 0-100 quality score: base score minus the flags' penalties.

    `rules_only` (no models loaded, `--no-model`): a segment with text on both sides starts from
    100 and only its flags lower it. `weights` default to the shipped ones.
    """
    w = weights if weights is not None else load_weights(None)
    base = RULES_ONLY_BASE if rules_only else base_score(signals, w)
    return round(_clamp(base - sum(w.penalty.of(f.severity) for f in flags)), 2)


def segment_verdict(score: float, flags: Sequence[Flag], *, pass_score: float, fail_score: float) -> Verdict:
    """pass / review / fail for one segment; any critical flag fails it."""
    if any(f.severity == "critical" for f in flags) or score < fail_score:
        return "fail"
    if any(f.severity == "major" for f in flags) or score < pass_score:
        return "review"
    return "pass"


def document_score(segments: Sequence[Segment]) -> float:
    """Length-weighted mean of segment scores (100 for a document with no segments)."""
    weights = [max(1, len(s.source) or len(s.translation)) for s in segments]
    if not segments:
        return 100.0
    return round(sum(w * s.score for w, s in zip(weights, segments)) / sum(weights), 2)


def document_verdict(score: float, segments: Sequence[Segment], *, pass_score: float, fail_score: float) -> Verdict:
    """pass / review / fail for the whole document; any critical flag fails it."""
    if any(f.severity == "critical" for s in segments for f in s.flags) or score < fail_score:
        return "fail"
    if any(s.verdict != "pass" for s in segments) or score < pass_score:
        return "review"
    return "pass"
