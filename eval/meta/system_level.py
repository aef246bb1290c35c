"""System-level agreement: human system scores from pairwise judgments, and their correlation with a metric.

Human system scores are computed from pairwise preferences (`eval.meta.data.Judgment`: on one
segment, system `better` was ranked strictly above system `worse`; human ties are not in the data):

- "wins" (default): the share of a system's non-tied pairwise comparisons that it won,
  wins / (wins + losses). This is the "ratio of wins, ties ignored" of Bojar et al. (2011), by
  which the WMT12 findings ranked the systems, so on the WMT12 file (the complete, unrolled WMT12
  fr-en rankings) it approximates that year's official score;
- "expected-wins": Koehn's (2012) expected wins, the mean over the opponents a system met of its
  win ratio against that opponent, wins(i, j) / (wins(i, j) + wins(j, i)); it does not reward a
  system for being compared more often with weak systems. WMT13 ranked systems by expected wins.

WMT14 and WMT15 ranked systems with TrueSkill (Sakaguchi, Post and Van Durme 2014), a Bayesian
skill model fitted on the same comparisons; neither ratio reproduces TrueSkill's numbers, only,
approximately, its order. The official WMT15 fr-en TrueSkill scores are published
(`wmt15_official_ranking`) together with the WMT15 judgments (`load_wmt15_judgments`), but not the
WMT15 texts, so they can check human-score methods against an official ranking, not metrics.

`system_agreement` correlates human and metric system scores (Pearson and Spearman over the
systems both know) with percentile-bootstrap intervals over systems.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from eval.inputs import InputError, read_text
from eval.meta.data import Judgment
from eval.meta.stats import MIN_POINTS, Correlations, correlation_with_ci

METHODS = ("wins", "expected-wins")
WMT15_DIRNAME = "wmt15-fr-en-human-rankings"
WMT15_RESULTS = Path("results") / "wmt15.fre-eng.txt"
WMT15_JUDGMENTS = "wmt15.fre-eng.csv"
_WMT15_COLUMNS = ("srcIndex", "system1Id", "system1rank", "system2Id", "system2rank")


class SystemAgreement(Correlations):
    """`Correlations` of metric and human system scores, and the number of systems they cover."""

    systems: int


class PairwiseJudgment(Protocol):
    """Anything with the system names of a pairwise preference, such as `eval.meta.data.Judgment`."""

    @property
    def better(self) -> str: ...

    @property
    def worse(self) -> str: ...


def human_system_scores(judgments: Iterable[PairwiseJudgment], *, method: str = "wins") -> dict[str, float]:
    """Each judged system's human score in [0, 1] from pairwise preferences (higher = better).

    method "wins": wins / (wins + losses) over all the system's comparisons (WMT12's ratio of wins,
    ties ignored); "expected-wins": the mean over the system's opponents of its win ratio against
    each (WMT13's expected wins). See the module docstring for which official figure each
    approximates. Raises ValueError for no judgments, a system compared with itself or an
    unknown method.
    """
    if method not in METHODS:
        raise ValueError(f"unknown human scoring method {method!r}; choose one of {', '.join(METHODS)}")
    beats: Counter[tuple[str, str]] = Counter()
    for judgment in judgments:
        if judgment.better == judgment.worse:
            raise ValueError(f"a judgment compares system {judgment.better!r} with itself")
        beats[(judgment.better, judgment.worse)] += 1
    if not beats:
        raise ValueError("no judgments: cannot score systems")
    systems = sorted({name for pair in beats for name in pair})
    scores: dict[str, float] = {}
    for system in systems:
        if method == "wins":
            wins = sum(count for (winner, _), count in beats.items() if winner == system)
            losses = sum(count for (_, loser), count in beats.items() if loser == system)
            scores[system] = wins / (wins + losses)
        else:
            opponents = {loser for winner, loser in beats if winner == system}
            opponents |= {winner for winner, loser in beats if loser == system}
            ratios = [beats[(system, other)] / (beats[(system, other)] + beats[(other, system)])
                      for other in sorted(opponents)]
            scores[system] = sum(ratios) / len(ratios)
    return scores


def system_agreement(human: dict[str, float], metric: dict[str, float], *, resamples: int = 1000,
                     seed: int = 0) -> SystemAgreement:
    """Pearson and Spearman correlation of metric and human system scores (both higher = better)
    over the systems present in both, with 95% percentile-bootstrap intervals over systems.

    Returns {"pearson", "spearman", "pearson_ci": [lo, hi], "spearman_ci": [lo, hi], "systems": n}.
    Raises ValueError when fewer than 3 systems are common (no correlation can be trusted on 2).
    With a handful of systems the intervals are wide, and resamples that draw a single system
    (undefined correlation) are left out, as `eval.meta.stats.bootstrap_ci` describes.
    """
    common = sorted(set(human) & set(metric))
    if len(common) < MIN_POINTS:
        only_human = sorted(set(human) - set(metric))
        only_metric = sorted(set(metric) - set(human))
        raise ValueError(f"system-level correlation needs at least {MIN_POINTS} systems scored by both the humans "
                         f"and the metric, found {len(common)}; only human: {only_human}; only metric: {only_metric}")
    correlations = correlation_with_ci([human[name] for name in common], [metric[name] for name in common],
                                       resamples=resamples, seed=seed)
    return SystemAgreement(**correlations, systems=len(common))


def wmt15_directory(directory: Path) -> Path:
    """The WMT15 rankings folder: `directory` itself, or its `wmt15-fr-en-human-rankings/` subfolder
    when `directory` is the whole data folder."""
    nested = Path(directory) / WMT15_DIRNAME
    return nested if nested.is_dir() else Path(directory)


def wmt15_official_ranking(directory: Path) -> dict[str, float]:
    """The official WMT15 fr-en TrueSkill system scores, system file name -> score (higher = better).

    Reads `results/wmt15.fre-eng.txt` (under `directory` or its `wmt15-fr-en-human-rankings/`):
    one line per system, `NAME SCORE (RANK_LO, RANK_HI)`, best first, with lines of `+` between the
    significance clusters. Names are the output file names as in the judgments CSV, e.g.
    "newsdiscusstest2015.online-B.0.fr-en.txt". InputError names file and line of a bad line.
    """
    path = wmt15_directory(directory) / WMT15_RESULTS
    if not path.is_file():
        raise InputError(f"WMT15 official ranking {path}: not found")
    scores: dict[str, float] = {}
    for number, line in enumerate(read_text(str(path), "WMT15 official ranking").split("\n"), start=1):
        text = line.strip()
        if not text or set(text) == {"+"}:
            continue
        fields = text.split(maxsplit=2)
        try:
            name, score = fields[0], float(fields[1])
        except (IndexError, ValueError):
            raise InputError(f"WMT15 official ranking {path}, line {number}: expected 'SYSTEM SCORE (LO, HI)', "
                             f"found {text!r}") from None
        if name in scores:
            raise InputError(f"WMT15 official ranking {path}, line {number}: system {name} listed twice")
        scores[name] = score
    if len(scores) < 2:
        raise InputError(f"WMT15 official ranking {path}: fewer than 2 systems")
    return scores


def load_wmt15_judgments(directory: Path) -> list[Judgment]:
    """The strict pairwise preferences of the WMT15 fr-en CSV (`wmt15.fre-eng.csv`, one 2-way
    comparison a line, lower rank = better), human ties dropped, in file order. `segment` is the
    0-based srcIndex of newsdiscusstest2015 (whose texts are not available); system names are the
    file names used by `wmt15_official_ranking`. InputError names file and line of a bad row."""
    path = wmt15_directory(directory) / WMT15_JUDGMENTS
    if not path.is_file():
        raise InputError(f"WMT15 judgments {path}: not found")
    rows = csv.DictReader(io.StringIO(read_text(str(path), "WMT15 judgments").removeprefix("\ufeff"), newline=""))
    missing = [column for column in _WMT15_COLUMNS if column not in (rows.fieldnames or [])]
    if missing:
        raise InputError(f"WMT15 judgments {path}, line 1: header lacks column(s) {', '.join(missing)}")
    judgments = []
    for row in rows:
        where = f"WMT15 judgments {path}, line {rows.line_num}"
        try:
            index, rank_1, rank_2 = int(row["srcIndex"]), int(row["system1rank"]), int(row["system2rank"])
        except (TypeError, ValueError):
            raise InputError(f"{where}: srcIndex and ranks must be integers") from None
        system_1, system_2 = (row["system1Id"] or "").strip(), (row["system2Id"] or "").strip()
        if index < 1 or not system_1 or not system_2:
            raise InputError(f"{where}: srcIndex must be >= 1 and both system ids non-empty")
        if rank_1 == rank_2:
            continue
        better, worse = (system_1, system_2) if rank_1 < rank_2 else (system_2, system_1)
        judgments.append(Judgment(segment=index - 1, better=better, worse=worse))
    if not judgments:
        raise InputError(f"WMT15 judgments {path}: no strict preferences")
    return judgments
