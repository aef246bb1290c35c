"""Paired bootstrap and approximate randomization: reproducible, and they tell a real gap from noise."""

from __future__ import annotations

import random

import pytest

from eval.significance import compare


def test_same_seed_same_numbers_and_a_clear_gap_is_significant() -> None:
    rng = random.Random(1)
    a = [rng.uniform(40, 60) for _ in range(200)]
    b = [x + 5 + rng.uniform(-2, 2) for x in a]
    first, second = compare(a, b), compare(a, b)
    assert first == second
    assert first.difference == pytest.approx(sum(b) / 200 - sum(a) / 200, abs=1e-3)
    assert first.ci_difference[0] > 0 and first.p_bootstrap < 0.01 and first.p_randomization < 0.01
    assert (first.wins, first.ties, first.losses) == (200, 0, 0)
    assert first.ci_a[0] < first.mean_a < first.ci_a[1]


def test_identical_systems_are_not_different() -> None:
    a = [float(i % 7) for i in range(100)]
    result = compare(a, list(a))
    assert result.difference == 0 and result.p_bootstrap == 1.0 and result.p_randomization == 1.0
    assert (result.wins, result.ties, result.losses) == (0, 100, 0)


def test_noise_is_not_significant_and_seed_matters() -> None:
    rng = random.Random(3)
    a = [rng.uniform(0, 100) for _ in range(60)]
    b = [rng.uniform(0, 100) for _ in range(60)]
    result = compare(a, b)
    assert result.p_randomization > 0.05 and result.ci_difference[0] < 0 < result.ci_difference[1]
    assert compare(a, b, seed=7) != result


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="same, non-zero number"):
        compare([1.0], [1.0, 2.0])
