"""The figures of `eval.precision`: how often real translations are flagged, and whether a flag agrees
with the WMT judges.

Flag rates, for a corpus and for each check and rule: flags per 100 segments, the share of segments
with a major or critical flag, and the share with any flag. On a professional translation a flag is
almost always a false alarm; on machine output it should be a real error.

Discrimination: for every WMT pairwise judgment (one judge preferred output A to output B of the same
source segment) where exactly one of the two outputs has a major or critical flag, did the judge
prefer the unflagged one? The share of such pairs, with a percentile bootstrap interval over the
pairs (1000 resamples, fixed seed), overall and counting the flags of one check only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.meta.data import WmtYear
from eval.meta.stats import bootstrap_ci
from eval.precision_corpora import Corpus
from eval.precision_flags import FoundFlag, Pair

ALL = "all"  # the check name standing for every check together


@dataclass
class Tally:
    """Flags and flagged segments of one corpus, for one check or rule (or all)."""

    flags: int = 0
    segments_serious: int = 0  # with a major or critical flag
    segments_any: int = 0

    def add(self, flags: Sequence[FoundFlag]) -> None:
        """Count one segment's flags (already restricted to this tally's check or rule)."""
        self.flags += len(flags)
        self.segments_serious += any(f.serious for f in flags)
        self.segments_any += bool(flags)

    def rates(self, segments: int) -> dict[str, float]:
        """Flags per 100 segments and the two shares of segments, in percent."""
        scale = 100.0 / max(segments, 1)
        return {"flags_per_100": self.flags * scale, "serious_pct": self.segments_serious * scale,
                "any_pct": self.segments_any * scale}


@dataclass
class CorpusFigures:
    """The flag rates of one corpus: overall, per check (flag type) and per rule ("type/rule")."""

    corpus: Corpus
    overall: Tally = field(default_factory=Tally)
    by_check: dict[str, Tally] = field(default_factory=dict)
    by_rule: dict[str, Tally] = field(default_factory=dict)

    @property
    def segments(self) -> int:
        return len(self.corpus)

    def as_dict(self) -> dict[str, Any]:
        """JSON form: where the corpus comes from, and every rate."""
        c = self.corpus
        return {"name": c.name, "split": c.split, "kind": c.kind, "year": c.year, "system": c.system,
                "segments": self.segments, **self.overall.rates(self.segments),
                "flags": self.overall.flags,
                "by_check": {k: t.rates(self.segments) | {"flags": t.flags} for k, t in sorted(self.by_check.items())},
                "by_rule": {k: t.rates(self.segments) | {"flags": t.flags} for k, t in sorted(self.by_rule.items())}}


def _check_of(flag: FoundFlag) -> str:
    return flag.check


def _rule_of(flag: FoundFlag) -> str:
    return f"{flag.check}/{flag.rule}"


def corpus_figures(corpus: Corpus, flags: Mapping[Pair, Sequence[FoundFlag]]) -> CorpusFigures:
    """Tally the flags of every segment of `corpus` (each pair must be in `flags`)."""
    figures = CorpusFigures(corpus)
    for pair in corpus.pairs():
        found = flags[pair]
        figures.overall.add(found)
        for table, group in ((figures.by_check, _check_of), (figures.by_rule, _rule_of)):
            for name in {group(f) for f in found}:
                table.setdefault(name, Tally()).add([f for f in found if group(f) == name])
    return figures


@dataclass(frozen=True)
class Discrimination:
    """Judged pairs with exactly one output flagged, and how many of them the judges decided for the other."""

    check: str
    scope: str  # "all years" or "WMT12"...
    pairs: int
    unflagged_preferred: int
    low: float | None = None
    high: float | None = None

    @property
    def rate(self) -> float | None:
        return self.unflagged_preferred / self.pairs if self.pairs else None

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check, "scope": self.scope, "pairs": self.pairs,
                "unflagged_preferred": self.unflagged_preferred, "rate": self.rate, "ci95": [self.low, self.high]}


def _flagged(flags: Sequence[FoundFlag], check: str) -> bool:
    return any(f.serious and (check == ALL or f.check == check) for f in flags)


def judged_outcomes(years: Mapping[int, WmtYear], flags: Mapping[Pair, Sequence[FoundFlag]],
                    check: str = ALL) -> dict[int, list[int]]:
    """Per year, one 1 or 0 for each judgment with exactly one output flagged: 1 when the judge
    preferred the unflagged output. Judgments on pairs that were not checked are left out."""
    outcomes: dict[int, list[int]] = {}
    for year, wmt in sorted(years.items()):
        results = outcomes.setdefault(year, [])
        for judgment in wmt.judgments:
            source, context = wmt.sources[judgment.segment], wmt.context(judgment.segment)
            better = flags.get((source, wmt.outputs[judgment.better][judgment.segment], context))
            worse = flags.get((source, wmt.outputs[judgment.worse][judgment.segment], context))
            if better is None or worse is None:
                continue
            better_flagged, worse_flagged = _flagged(better, check), _flagged(worse, check)
            if better_flagged != worse_flagged:
                results.append(int(worse_flagged))
    return outcomes


def _summary(check: str, scope: str, outcomes: Sequence[int], resamples: int, seed: int) -> Discrimination:
    if not outcomes:
        return Discrimination(check, scope, 0, 0)
    low = high = None
    if len(outcomes) >= 2:
        low, high = bootstrap_ci(lambda idx: sum(outcomes[i] for i in idx) / len(idx), len(outcomes),
                                 resamples=resamples, seed=seed)
    return Discrimination(check, scope, len(outcomes), sum(outcomes), low, high)


def discrimination(years: Mapping[int, WmtYear], flags: Mapping[Pair, Sequence[FoundFlag]], checks: Sequence[str],
                   *, resamples: int = 1000, seed: int = 0) -> list[Discrimination]:
    """Discrimination for all checks together and for each of `checks`: pooled over the years, then per year."""
    rows = []
    for check in [ALL, *checks]:
        outcomes = judged_outcomes(years, flags, check)
        rows.append(_summary(check, "all years", [o for year in outcomes.values() for o in year], resamples, seed))
        rows.extend(_summary(check, f"WMT{year}", o, resamples, seed) for year, o in outcomes.items())
    return rows
