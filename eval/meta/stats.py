"""Correlations and percentile-bootstrap confidence intervals for the meta-evaluation.

Every figure the harness reports (HTER correlation, system-level correlation, Kendall tau) comes
with a 95% confidence interval from the same percentile bootstrap: resample the *items* (segments,
systems, judgments) with replacement, recompute the figure on each resample, and take the
(1 - level) / 2 and 1 - (1 - level) / 2 percentiles of the resampled figures. The resampling is
driven by a `numpy.random.Generator` seeded by the caller, so the same seed gives the same interval.

The correlations refuse to return NaN: fewer than 3 points, different lengths, non-finite values or
a constant input raise `ValueError` with the reason, because a NaN in a report table hides the cause.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypedDict

import numpy as np
import numpy.typing as npt
from scipy import stats as scipy_stats

MIN_POINTS = 3

# Plain sequences or numpy arrays of numbers.
Values = Sequence[float] | npt.NDArray[np.floating]


class Correlations(TypedDict):
    """Pearson and Spearman correlations with their bootstrap intervals [low, high] (JSON-ready)."""

    pearson: float
    spearman: float
    pearson_ci: list[float]
    spearman_ci: list[float]


def _checked(x: Values, y: Values, what: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Both inputs as float arrays, after checking that `what` correlation is defined on them."""
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    if xs.ndim != 1 or ys.ndim != 1:
        raise ValueError(f"{what}: expected two flat sequences of numbers")
    if len(xs) != len(ys):
        raise ValueError(f"{what}: the two sequences differ in length ({len(xs)} and {len(ys)})")
    if len(xs) < MIN_POINTS:
        raise ValueError(f"{what}: needs at least {MIN_POINTS} points, got {len(xs)}")
    for name, values in (("first", xs), ("second", ys)):
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise ValueError(f"{what}: the {name} sequence has a non-finite value at index {int(bad[0])}")
        if np.all(values == values[0]):
            raise ValueError(f"{what}: the {name} sequence is constant ({float(values[0])!r}), "
                             "so the correlation is undefined")
    return xs, ys


def pearson(x: Values, y: Values) -> float:
    """Pearson's linear correlation coefficient r of `x` and `y` (scipy.stats.pearsonr).

    Raises ValueError for fewer than 3 points, unequal lengths, non-finite values or constant input.
    """
    xs, ys = _checked(x, y, "Pearson correlation")
    return float(scipy_stats.pearsonr(xs, ys).statistic)


def spearman(x: Values, y: Values) -> float:
    """Spearman's rank correlation rho of `x` and `y` (scipy.stats.spearmanr; ties get average ranks).

    Raises ValueError for fewer than 3 points, unequal lengths, non-finite values or constant input.
    """
    xs, ys = _checked(x, y, "Spearman correlation")
    return float(scipy_stats.spearmanr(xs, ys).statistic)


def bootstrap_ci(statistic: Callable[[Sequence[int]], float], n_items: int, *, resamples: int = 1000,
                 seed: int = 0, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of a figure computed over `n_items` items.

    Each of `resamples` times, `n_items` item indices are drawn uniformly with replacement from
    range(n_items) (numpy Generator seeded with `seed`, so the interval is reproducible) and passed
    to `statistic` as a list; the interval is the ((1 - level) / 2, 1 - (1 - level) / 2) percentiles
    of the returned figures. A resample on which the figure is undefined (`statistic` returns a
    non-finite value or raises ValueError, e.g. a correlation on a resample that drew one item only)
    is left out; if more than half the resamples are undefined the interval is meaningless and
    ValueError is raised.
    """
    if n_items < 1:
        raise ValueError(f"bootstrap needs at least one item, got n_items={n_items}")
    if resamples < 1:
        raise ValueError(f"bootstrap needs at least one resample, got resamples={resamples}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must be strictly between 0 and 1, got {level}")
    rng = np.random.default_rng(seed)
    figures: list[float] = []
    for _ in range(resamples):
        indices = rng.integers(0, n_items, size=n_items).tolist()
        try:
            value = float(statistic(indices))
        except ValueError:
            continue
        if math.isfinite(value):
            figures.append(value)
    if 2 * len(figures) < resamples:
        raise ValueError(f"the statistic is undefined on {resamples - len(figures)} of {resamples} bootstrap "
                         f"resamples of {n_items} items; too few items for a confidence interval")
    tail = (1.0 - level) / 2.0
    low, high = np.percentile(np.asarray(figures), [100.0 * tail, 100.0 * (1.0 - tail)])
    return float(low), float(high)


def _resample_pearson(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> float:
    """Pearson's r on a bootstrap resample with numpy alone: the same figure as `pearson` (the tests
    check it), without scipy's per-call overhead, which dominates 1000 resamples of 10,000 items."""
    if np.all(x == x[0]) or np.all(y == y[0]):
        raise ValueError("constant resample")
    return float(np.corrcoef(x, y)[0, 1])


def _resample_spearman(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64]) -> float:
    """Spearman's rho on a bootstrap resample: Pearson's r of the average ranks (its definition)."""
    return _resample_pearson(scipy_stats.rankdata(x), scipy_stats.rankdata(y))


def correlation_with_ci(x: Values, y: Values, *, resamples: int = 1000,
                        seed: int = 0, level: float = 0.95) -> Correlations:
    """Pearson and Spearman of `x` and `y` with percentile-bootstrap intervals over the paired points.

    Returns {"pearson", "spearman", "pearson_ci": [lo, hi], "spearman_ci": [lo, hi]}; both intervals
    come from the same seed, so they are drawn from the same resamples of the points.
    """
    xs, ys = _checked(x, y, "correlation")

    def resampled(measure: Callable[[npt.NDArray[np.float64], npt.NDArray[np.float64]], float],
                  ) -> Callable[[Sequence[int]], float]:
        return lambda indices: measure(xs[indices], ys[indices])

    return {
        "pearson": pearson(xs, ys),
        "spearman": spearman(xs, ys),
        "pearson_ci": list(bootstrap_ci(resampled(_resample_pearson), len(xs), resamples=resamples, seed=seed,
                                        level=level)),
        "spearman_ci": list(bootstrap_ci(resampled(_resample_spearman), len(xs), resamples=resamples, seed=seed,
                                         level=level)),
    }
