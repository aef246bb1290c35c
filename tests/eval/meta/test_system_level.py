"""Human system scores from pairwise judgments, the WMT15 official ranking, system-level agreement."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.inputs import InputError
from eval.meta.data import Judgment
from eval.meta.system_level import (
    WMT15_DIRNAME,
    human_system_scores,
    load_wmt15_judgments,
    system_agreement,
    wmt15_official_ranking,
)


def judgments(*triples: tuple[str, str, int]) -> list[Judgment]:
    """`count` judgments where `better` beat `worse`, on segments 0, 1, 2..."""
    result: list[Judgment] = []
    for better, worse, count in triples:
        result += [Judgment(segment=len(result) + i, better=better, worse=worse) for i in range(count)]
    return result


# A beats B 3-1 and C 2-0; B and C split 1-1.
LEAGUE = judgments(("A", "B", 3), ("B", "A", 1), ("A", "C", 2), ("B", "C", 1), ("C", "B", 1))


def test_ratio_of_wins_over_non_tied_comparisons() -> None:
    assert human_system_scores(LEAGUE) == pytest.approx({"A": 5 / 6, "B": 2 / 6, "C": 1 / 4})


def test_expected_wins_averages_the_win_ratio_over_opponents() -> None:
    assert human_system_scores(LEAGUE, method="expected-wins") == pytest.approx(
        {"A": (3 / 4 + 2 / 2) / 2, "B": (1 / 4 + 1 / 2) / 2, "C": (0 / 2 + 1 / 2) / 2})


def test_expected_wins_does_not_reward_meeting_weak_systems_more_often() -> None:
    # X and Y are even against each other; X met the weak W ten times, Y only twice.
    games = judgments(("X", "Y", 1), ("Y", "X", 1), ("X", "W", 9), ("W", "X", 1), ("Y", "W", 2))
    wins = human_system_scores(games)
    expected = human_system_scores(games, method="expected-wins")
    assert wins["X"] > wins["Y"]
    assert expected["Y"] > expected["X"]  # Y beat W every time, X only 9 times of 10


@pytest.mark.parametrize(("games", "method", "message"), [
    ([], "wins", "no judgments"),
    ([Judgment(segment=0, better="A", worse="A")], "wins", "compares system 'A' with itself"),
    (LEAGUE, "trueskill", "unknown human scoring method 'trueskill'"),
])
def test_bad_judgments_or_method_raise(games, method, message) -> None:
    with pytest.raises(ValueError, match=message):
        human_system_scores(games, method=method)


def test_agreement_over_common_systems() -> None:
    human = {"A": 0.8, "B": 0.6, "C": 0.5, "D": 0.2, "only-human": 0.9}
    metric = {"A": 30.0, "B": 25.0, "C": 20.0, "D": 10.0, "only-metric": 1.0}
    figures = system_agreement(human, metric, resamples=200, seed=0)
    assert set(figures) == {"pearson", "spearman", "pearson_ci", "spearman_ci", "systems"}
    assert figures["systems"] == 4
    assert figures["spearman"] == pytest.approx(1.0)
    assert 0.95 < figures["pearson"] < 1.0
    low, high = figures["pearson_ci"]
    assert low <= figures["pearson"] <= high
    reversed_metric = {name: -score for name, score in metric.items()}
    assert system_agreement(human, reversed_metric, resamples=50)["spearman"] == pytest.approx(-1.0)


def test_agreement_needs_three_common_systems() -> None:
    with pytest.raises(ValueError, match=r"at least 3 systems .* found 2; only human: \['C'\]; only metric: \['D'\]"):
        system_agreement({"A": 1.0, "B": 0.5, "C": 0.2}, {"A": 3.0, "B": 2.0, "D": 1.0})


OFFICIAL = """newsdiscusstest2015.sysB.fr-en.txt 0.498 (1.0, 2.0)
newsdiscusstest2015.sysA.fr-en.txt 0.446 (1.0, 2.0)
++++++++++
newsdiscusstest2015.sysC.fr-en.txt -0.423 (3.0, 3.0)
++++++++++
newsdiscusstest2015.sysD.fr-en.txt -1.434 (4.0, 4.0)
"""

CSV_HEADER = "srclang,trglang,srcIndex,segmentId,judgeID,system1Id,system1rank,system2Id,system2rank,rankingID"


def write_wmt15(root: Path, rows: list[tuple[int, str, int, str, int]], official: str = OFFICIAL) -> Path:
    folder = root / WMT15_DIRNAME
    (folder / "results").mkdir(parents=True)
    (folder / "results" / "wmt15.fre-eng.txt").write_text(official, encoding="utf-8")
    lines = [CSV_HEADER] + [f"fre,eng,{index},{index},judge1,newsdiscusstest2015.{a}.fr-en.txt,{rank_a},"
                            f"newsdiscusstest2015.{b}.fr-en.txt,{rank_b},{n}"
                            for n, (index, a, rank_a, b, rank_b) in enumerate(rows)]
    (folder / "wmt15.fre-eng.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode())  # CRLF, as upstream
    return folder


def test_reads_the_official_wmt15_trueskill_scores(tmp_path: Path) -> None:
    folder = write_wmt15(tmp_path, [(1, "sysA", 1, "sysB", 2)])
    expected = {"newsdiscusstest2015.sysB.fr-en.txt": 0.498, "newsdiscusstest2015.sysA.fr-en.txt": 0.446,
                "newsdiscusstest2015.sysC.fr-en.txt": -0.423, "newsdiscusstest2015.sysD.fr-en.txt": -1.434}
    assert wmt15_official_ranking(tmp_path) == expected
    assert wmt15_official_ranking(folder) == expected


def test_a_bad_official_ranking_line_is_named(tmp_path: Path) -> None:
    write_wmt15(tmp_path, [(1, "sysA", 1, "sysB", 2)], official=OFFICIAL.replace("-0.423", "n/a"))
    with pytest.raises(InputError, match=r"wmt15.fre-eng.txt, line 4: expected 'SYSTEM SCORE"):
        wmt15_official_ranking(tmp_path)


def test_wmt15_judgments_keep_strict_preferences_only(tmp_path: Path) -> None:
    write_wmt15(tmp_path, [(3, "sysA", 1, "sysB", 2), (3, "sysC", 3, "sysD", 3), (7, "sysC", 4, "sysB", 2)])
    assert load_wmt15_judgments(tmp_path) == [
        Judgment(segment=2, better="newsdiscusstest2015.sysA.fr-en.txt", worse="newsdiscusstest2015.sysB.fr-en.txt"),
        Judgment(segment=6, better="newsdiscusstest2015.sysB.fr-en.txt", worse="newsdiscusstest2015.sysC.fr-en.txt"),
    ]


def test_bad_wmt15_rows_are_named(tmp_path: Path) -> None:
    folder = write_wmt15(tmp_path, [(1, "sysA", 1, "sysB", 2), (2, "sysA", 1, "sysB", 2)])
    csv_path = folder / "wmt15.fre-eng.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b",2,2,judge1", b",two,2,judge1"))
    with pytest.raises(InputError, match=r"wmt15.fre-eng.csv, line 3: srcIndex and ranks must be integers"):
        load_wmt15_judgments(tmp_path)
    csv_path.write_text("srcIndex,system1Id,system1rank\n1,a,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="header lacks column.*system2Id, system2rank"):
        load_wmt15_judgments(tmp_path)


def test_human_scores_from_wmt15_style_judgments_follow_the_official_order(tmp_path: Path) -> None:
    # sysB > sysA > sysC > sysD in every meeting but one (sysA beats sysB once of three).
    rows = [(1, "sysB", 1, "sysA", 2), (2, "sysB", 1, "sysA", 2), (3, "sysA", 1, "sysB", 2),
            (4, "sysA", 1, "sysC", 2), (5, "sysC", 1, "sysD", 2), (6, "sysB", 1, "sysD", 3),
            (7, "sysA", 2, "sysD", 4), (8, "sysB", 1, "sysC", 5)]
    write_wmt15(tmp_path, rows)
    human = human_system_scores(load_wmt15_judgments(tmp_path))
    figures = system_agreement(wmt15_official_ranking(tmp_path), human, resamples=100)
    assert figures["systems"] == 4
    assert figures["spearman"] == pytest.approx(1.0)
