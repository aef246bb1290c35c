"""Segment-level Kendall tau between a metric and pairwise human judgments, with each WMT year's formula.

Every judgment (segment, better system, worse system) is compared with the metric's scores of the two
outputs on that segment (higher = better): Concordant when the metric also prefers `better`,
Discordant when it prefers `worse`, a metric Tie when the scores are equal. Human ties never occur
(the rank files keep strict preferences only). Judgments repeated in the file count each time, as
at WMT. The formulas:

* WMT12 (Callison-Burch et al. 2012, metrics section): tau = (C - D - T) / (C + D + T),
  metric ties counted as Discordant;
* WMT13 (Machacek and Bojar 2013): tau = (C - D) / (C + D), metric ties dropped;
* WMT14 (Machacek and Bojar 2014): tau = (C - D) / (C + D + T), metric ties penalised in the
  denominator only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from eval.meta.data import Judgment
from eval.meta.stats import bootstrap_ci

Formula = Literal["wmt12", "wmt13", "wmt14"]
FORMULAS: dict[str, str] = {
    "wmt12": "(C - D - T) / (C + D + T): metric ties count as discordant",
    "wmt13": "(C - D) / (C + D): metric ties dropped",
    "wmt14": "(C - D) / (C + D + T): metric ties in the denominator only",
}


@dataclass(frozen=True)
class TauResult:
    """Kendall tau with its counts: C, D, T over `pairs` judgments, under `formula`."""

    tau: float
    concordant: int
    discordant: int
    ties: int
    pairs: int
    formula: str


def formula_for_year(year: int) -> Formula:
    """The formula WMT used in `year` (12 or 2012); later years use WMT14's."""
    full = year + 2000 if year < 100 else year
    if full <= 2012:
        return "wmt12"
    if full == 2013:
        return "wmt13"
    return "wmt14"


def outcomes(judgments: Sequence[Judgment], scores: Mapping[tuple[int, str], float]) -> np.ndarray:
    """Per judgment +1 (concordant), -1 (discordant) or 0 (metric tie), from scores keyed by
    (segment, system); a missing score raises KeyError naming the segment and system."""
    result = np.empty(len(judgments), dtype=np.int8)
    for k, j in enumerate(judgments):
        try:
            better, worse = scores[(j.segment, j.better)], scores[(j.segment, j.worse)]
        except KeyError as exc:
            raise KeyError(f"no metric score for segment {j.segment} (0-based), system {exc.args[0][1]}") from None
        result[k] = 1 if better > worse else -1 if better < worse else 0
    return result


def tau_from_counts(concordant: int, discordant: int, ties: int, formula: str) -> float:
    """Kendall tau from the counts under `formula` (see the module docstring); nan when undefined."""
    if formula == "wmt12":
        num, den = concordant - discordant - ties, concordant + discordant + ties
    elif formula == "wmt13":
        num, den = concordant - discordant, concordant + discordant
    elif formula == "wmt14":
        num, den = concordant - discordant, concordant + discordant + ties
    else:
        raise ValueError(f"unknown Kendall tau formula {formula!r}: use one of {', '.join(FORMULAS)}")
    return num / den if den else float("nan")


def _tau_of(signs: np.ndarray, formula: str) -> TauResult:
    c, d = int(np.count_nonzero(signs == 1)), int(np.count_nonzero(signs == -1))
    t = len(signs) - c - d
    return TauResult(tau=tau_from_counts(c, d, t, formula), concordant=c, discordant=d, ties=t, pairs=len(signs),
                     formula=formula)


def kendall_tau(judgments: Sequence[Judgment], scores: Mapping[tuple[int, str], float], formula: str) -> TauResult:
    """Segment-level Kendall tau of the metric `scores` ((segment, system) -> score, higher = better)
    against the pairwise `judgments`, under `formula` ("wmt12", "wmt13" or "wmt14")."""
    if formula not in FORMULAS:
        raise ValueError(f"unknown Kendall tau formula {formula!r}: use one of {', '.join(FORMULAS)}")
    return _tau_of(outcomes(judgments, scores), formula)


def kendall_with_ci(judgments: Sequence[Judgment], scores: Mapping[tuple[int, str], float], formula: str, *,
                    resamples: int = 1000, seed: int = 0, level: float = 0.95) -> tuple[TauResult, tuple[float, float]]:
    """Kendall tau and its percentile-bootstrap confidence interval, resampling judgments with replacement."""
    if formula not in FORMULAS:
        raise ValueError(f"unknown Kendall tau formula {formula!r}: use one of {', '.join(FORMULAS)}")
    signs = outcomes(judgments, scores)
    result = _tau_of(signs, formula)

    def statistic(indices: Sequence[int]) -> float:
        return _tau_of(signs[np.asarray(indices, dtype=np.intp)], formula).tau

    ci = bootstrap_ci(statistic, len(signs), resamples=resamples, seed=seed, level=level)
    return result, ci
