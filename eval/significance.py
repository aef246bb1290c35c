"""Paired significance tests for comparing two systems on the same segments.

Both work on per-segment scores of system A and system B (same segments, same order):

- paired bootstrap resampling (Koehn 2004, as sacreBLEU runs it): draw the segments with
  replacement `resamples` times with a fixed seed; the 95% confidence interval of each system's
  mean and of the difference B - A comes from the 2.5th and 97.5th percentiles, and the p-value
  is the share of resamples where the difference does not have the sign observed on the whole set;
- paired approximate randomization (Riezler and Maxwell 2005): swap A's and B's scores of each
  segment with probability 1/2, `trials` times; p = (1 + trials whose |mean difference| is at
  least the observed one) / (1 + trials).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

SEED = 12345


@dataclass(frozen=True)
class Comparison:
    """Means, confidence intervals, p-values and win/tie/loss counts of B against A."""

    mean_a: float
    mean_b: float
    ci_a: tuple[float, float]
    ci_b: tuple[float, float]
    difference: float
    ci_difference: tuple[float, float]
    p_bootstrap: float
    p_randomization: float
    wins: int
    ties: int
    losses: int


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _interval(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    low = ordered[int(0.025 * (len(ordered) - 1))]
    high = ordered[int(round(0.975 * (len(ordered) - 1)))]
    return (round(low, 4), round(high, 4))


def compare(a: Sequence[float], b: Sequence[float], *, resamples: int = 1000, trials: int = 1000,
            seed: int = SEED, tie_margin: float = 0.0) -> Comparison:
    """Compare per-segment scores `b` with `a` (higher is better); reproducible for a given seed."""
    if len(a) != len(b) or not a:
        raise ValueError(f"need the same, non-zero number of scores for both systems, got {len(a)} and {len(b)}")
    n = len(a)
    rng = random.Random(seed)
    observed = _mean(b) - _mean(a)
    means_a, means_b, diffs = [], [], []
    for _ in range(resamples):
        picks = [rng.randrange(n) for _ in range(n)]
        mean_a = sum(a[i] for i in picks) / n
        mean_b = sum(b[i] for i in picks) / n
        means_a.append(mean_a)
        means_b.append(mean_b)
        diffs.append(mean_b - mean_a)
    if observed > 0:
        p_boot = sum(1 for d in diffs if d <= 0) / resamples
    elif observed < 0:
        p_boot = sum(1 for d in diffs if d >= 0) / resamples
    else:
        p_boot = 1.0
    rng = random.Random(seed)
    at_least = 0
    for _ in range(trials):
        total = 0.0
        for x, y in zip(a, b):
            total += (x - y) if rng.random() < 0.5 else (y - x)
        if abs(total / n) >= abs(observed) - 1e-12:
            at_least += 1
    wins = sum(1 for x, y in zip(a, b) if y - x > tie_margin)
    losses = sum(1 for x, y in zip(a, b) if x - y > tie_margin)
    return Comparison(
        mean_a=round(_mean(a), 4), mean_b=round(_mean(b), 4), ci_a=_interval(means_a), ci_b=_interval(means_b),
        difference=round(observed, 4), ci_difference=_interval(diffs), p_bootstrap=round(p_boot, 4),
        p_randomization=round((at_least + 1) / (trials + 1), 4), wins=wins, ties=n - wins - losses, losses=losses,
    )
