"""Segment-level Kendall tau: perfect and reversed scorers, and metric ties under each WMT formula."""

from __future__ import annotations

import pytest

from eval.meta.data import Judgment
from eval.meta.kendall import formula_for_year, kendall_tau, kendall_with_ci, tau_from_counts

JUDGMENTS = [
    Judgment(0, "A", "B"),
    Judgment(0, "A", "C"),
    Judgment(1, "B", "C"),
    Judgment(2, "C", "A"),
]
# The metric agrees on the first two, disagrees on the third and ties on the fourth: C=2, D=1, T=1.
MIXED = {(0, "A"): 3.0, (0, "B"): 2.0, (0, "C"): 1.0, (1, "B"): 0.5, (1, "C"): 0.9, (2, "C"): 7.0, (2, "A"): 7.0}


def quality_from(order: dict[int, list[str]]) -> dict[tuple[int, str], float]:
    """Scores giving, on each segment, the listed systems decreasing scores."""
    return {(segment, system): float(len(systems) - rank) for segment, systems in order.items()
            for rank, system in enumerate(systems)}


@pytest.mark.parametrize("formula", ["wmt12", "wmt13", "wmt14"])
def test_a_scorer_agreeing_with_every_judgment_gets_one(formula: str) -> None:
    agree = quality_from({0: ["A", "B", "C"], 1: ["B", "C"], 2: ["C", "A"]})
    result = kendall_tau(JUDGMENTS, agree, formula)
    assert (result.tau, result.concordant, result.discordant, result.ties, result.pairs) == (1.0, 4, 0, 0, 4)


@pytest.mark.parametrize("formula", ["wmt12", "wmt13", "wmt14"])
def test_a_scorer_disagreeing_with_every_judgment_gets_minus_one(formula: str) -> None:
    disagree = quality_from({0: ["C", "B", "A"], 1: ["C", "B"], 2: ["A", "C"]})
    assert kendall_tau(JUDGMENTS, disagree, formula).tau == -1.0


@pytest.mark.parametrize(("formula", "expected"), [
    ("wmt12", (2 - 1 - 1) / (2 + 1 + 1)),  # the tie counts as discordant: 0
    ("wmt13", (2 - 1) / (2 + 1)),  # the tie is dropped: 1/3
    ("wmt14", (2 - 1) / (2 + 1 + 1)),  # the tie only in the denominator: 1/4
])
def test_metric_ties_follow_each_years_formula(formula: str, expected: float) -> None:
    result = kendall_tau(JUDGMENTS, MIXED, formula)
    assert (result.concordant, result.discordant, result.ties) == (2, 1, 1)
    assert result.tau == pytest.approx(expected)
    assert result.formula == formula


def test_repeated_judgments_count_each_time() -> None:
    result = kendall_tau(JUDGMENTS + [JUDGMENTS[2]] * 2, MIXED, "wmt14")
    assert (result.concordant, result.discordant, result.ties, result.pairs) == (2, 3, 1, 6)
    assert result.tau == pytest.approx((2 - 3) / 6)


def test_years_map_to_their_formulas() -> None:
    assert [formula_for_year(y) for y in (12, 2012, 13, 2013, 14, 2014, 15)] == \
        ["wmt12", "wmt12", "wmt13", "wmt13", "wmt14", "wmt14", "wmt14"]


def test_all_ties_under_the_wmt13_formula_is_undefined() -> None:
    assert tau_from_counts(0, 0, 5, "wmt13") != tau_from_counts(0, 0, 5, "wmt13")  # nan
    assert tau_from_counts(0, 0, 5, "wmt12") == -1.0
    assert tau_from_counts(0, 0, 5, "wmt14") == 0.0


def test_a_missing_score_names_segment_and_system() -> None:
    scores = dict(MIXED)
    del scores[(1, "C")]
    with pytest.raises(KeyError, match="segment 1 .*system C"):
        kendall_tau(JUDGMENTS, scores, "wmt14")


def test_an_unknown_formula_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown Kendall tau formula 'wmt99'"):
        kendall_tau(JUDGMENTS, MIXED, "wmt99")


def test_bootstrap_interval_brackets_tau_and_is_reproducible() -> None:
    judgments = JUDGMENTS * 25
    result, ci = kendall_with_ci(judgments, MIXED, "wmt14", resamples=200, seed=3)
    assert result.tau == pytest.approx(0.25)
    assert -1.0 <= ci[0] < result.tau < ci[1] <= 1.0
    assert kendall_with_ci(judgments, MIXED, "wmt14", resamples=200, seed=3)[1] == ci


def test_a_perfect_scorer_has_a_degenerate_interval_at_one() -> None:
    agree = quality_from({0: ["A", "B", "C"], 1: ["B", "C"], 2: ["C", "A"]})
    assert kendall_with_ci(JUDGMENTS * 5, agree, "wmt12", resamples=50)[1] == (1.0, 1.0)
