"""Correlations and the percentile bootstrap of eval.meta.stats."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest
from scipy import stats as scipy_stats

from eval.meta.stats import bootstrap_ci, correlation_with_ci, pearson, spearman


def test_perfect_and_inverted_correlations() -> None:
    x = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert pearson(x, [2 * v + 1 for v in x]) == pytest.approx(1.0)
    assert pearson(x, [-v for v in x]) == pytest.approx(-1.0)
    # Spearman only looks at ranks: a monotone but non-linear relation is still perfect.
    assert spearman(x, [v ** 3 for v in x]) == pytest.approx(1.0)
    assert spearman(x, [10.0, 8.0, 5.0, 1.0, -7.0]) == pytest.approx(-1.0)
    assert pearson(x, [v ** 3 for v in x]) < 1.0


def test_matches_scipy_on_random_data() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=200)
    y = 0.5 * x + rng.normal(size=200)
    y[:20] = np.round(y[:20])  # some ties for Spearman's average ranks
    assert pearson(x.tolist(), y.tolist()) == pytest.approx(scipy_stats.pearsonr(x, y).statistic)
    assert spearman(x.tolist(), y.tolist()) == pytest.approx(scipy_stats.spearmanr(x, y).statistic)


@pytest.mark.parametrize("measure", [pearson, spearman])
@pytest.mark.parametrize(("x", "y", "message"), [
    ([1.0, 2.0], [1.0, 2.0], "at least 3 points"),
    ([1.0, 2.0, 3.0], [1.0, 2.0], "differ in length"),
    ([1.0, 1.0, 1.0, 1.0], [1.0, 2.0, 3.0, 4.0], "first sequence is constant"),
    ([1.0, 2.0, 3.0, 4.0], [5.0, 5.0, 5.0, 5.0], "second sequence is constant"),
    ([1.0, float("nan"), 3.0], [1.0, 2.0, 3.0], "non-finite value at index 1"),
])
def test_undefined_correlations_raise_a_clear_error(measure, x, y, message) -> None:
    with pytest.raises(ValueError, match=message):
        measure(x, y)


def _mean_of(values: np.ndarray):
    return lambda indices: float(np.mean(values[indices]))


def test_bootstrap_interval_holds_the_estimate_and_narrows_with_more_items() -> None:
    rng = np.random.default_rng(1)
    small = rng.normal(loc=3.0, size=40)
    large = rng.normal(loc=3.0, size=4000)
    low_s, high_s = bootstrap_ci(_mean_of(small), len(small), resamples=500, seed=0)
    low_l, high_l = bootstrap_ci(_mean_of(large), len(large), resamples=500, seed=0)
    assert low_s < small.mean() < high_s
    assert low_l < large.mean() < high_l
    assert high_l - low_l < (high_s - low_s) / 3  # width shrinks like 1/sqrt(n): 10x fewer items, ~10x wider
    # For a mean, the 95% interval is close to +-1.96 standard errors.
    standard_error = large.std() / np.sqrt(len(large))
    assert high_l - low_l == pytest.approx(2 * 1.96 * standard_error, rel=0.15)


def test_bootstrap_is_deterministic_for_a_seed() -> None:
    values = np.random.default_rng(2).normal(size=100)
    first = bootstrap_ci(_mean_of(values), len(values), resamples=300, seed=11)
    assert bootstrap_ci(_mean_of(values), len(values), resamples=300, seed=11) == first
    assert bootstrap_ci(_mean_of(values), len(values), resamples=300, seed=12) != first


def test_bootstrap_resamples_items_with_replacement() -> None:
    seen: list[list[int]] = []

    def record(indices):
        seen.append(list(indices))
        return 0.0

    bootstrap_ci(record, 10, resamples=50, seed=0)
    assert len(seen) == 50
    assert all(len(indices) == 10 and all(0 <= i < 10 for i in indices) for indices in seen)
    assert any(len(set(indices)) < 10 for indices in seen)  # some item drawn twice


def test_level_widens_the_interval() -> None:
    values = np.random.default_rng(3).normal(size=300)
    low_90, high_90 = bootstrap_ci(_mean_of(values), len(values), resamples=1000, seed=0, level=0.90)
    low_99, high_99 = bootstrap_ci(_mean_of(values), len(values), resamples=1000, seed=0, level=0.99)
    assert low_99 < low_90 < high_90 < high_99


def test_undefined_resamples_are_skipped_but_not_too_many() -> None:
    # With 3 items, about 1 resample in 9 draws a single item three times: the correlation is then
    # undefined (constant input) and that resample is left out instead of failing the interval.
    x = np.array([1.0, 2.0, 3.0])
    y = np.array([1.0, 3.0, 2.0])
    undefined = 0

    def correlation(idx):
        nonlocal undefined
        if len(set(idx)) == 1:
            undefined += 1
        return pearson(x[idx], y[idx])

    low, high = bootstrap_ci(correlation, len(x), resamples=300, seed=0)
    assert undefined > 0
    assert -1.0 <= low <= pearson(x, y) <= high <= 1.0
    with pytest.raises(ValueError, match="undefined on 20 of 20"):
        bootstrap_ci(lambda idx: float("nan"), 5, resamples=20, seed=0)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_items": 0}, "at least one item"),
    ({"n_items": 5, "resamples": 0}, "at least one resample"),
    ({"n_items": 5, "level": 1.0}, "strictly between 0 and 1"),
])
def test_bootstrap_rejects_bad_arguments(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        bootstrap_ci(lambda idx: 0.0, **kwargs)


def test_correlation_with_ci_reports_both_correlations_and_intervals() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=150)
    y = x + rng.normal(scale=0.5, size=150)
    figures = correlation_with_ci(x, y, resamples=300, seed=0)
    assert set(figures) == {"pearson", "spearman", "pearson_ci", "spearman_ci"}
    for estimate, (low, high) in ((figures["pearson"], figures["pearson_ci"]),
                                  (figures["spearman"], figures["spearman_ci"])):
        assert 0.0 < low < estimate < high < 1.0


def test_correlation_intervals_are_the_bootstrap_of_the_scipy_correlations() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=80)
    y = np.round(x + rng.normal(size=80))  # many ties, to exercise average ranks
    figures = correlation_with_ci(x, y, resamples=200, seed=3)
    for interval, measure in ((figures["pearson_ci"], pearson), (figures["spearman_ci"], spearman)):
        def statistic(idx: Sequence[int], m: Callable[..., float] = measure) -> float:
            return m(x[idx], y[idx])
        assert interval == pytest.approx(list(bootstrap_ci(statistic, len(x), resamples=200, seed=3)))
