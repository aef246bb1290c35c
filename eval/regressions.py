"""Regressions against a baseline run: units whose score fell by more than a margin, and flags that
were not there before. The gate fails on them, so a change can be judged against the last good run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.inputs import InputError
from eval.results import read_header, read_results

DEFAULT_MARGIN = 5.0


@dataclass(frozen=True)
class Regression:
    """One unit that got worse: its record now, its score before, and the flags it did not have."""

    record: dict[str, Any]
    old_score: float
    new_flags: tuple[dict[str, Any], ...]

    @property
    def score_drop(self) -> float:
        """How many points the score fell (negative when it rose)."""
        return round(self.old_score - float(self.record["score"]), 2)


@dataclass
class BaselineComparison:
    """What changed between the baseline and this run."""

    margin: float
    regressions: list[Regression] = field(default_factory=list)
    compared: int = 0
    new_units: int = 0
    signature_differs: bool = False

    def score_drops(self) -> list[Regression]:
        """The regressions whose score fell by more than the margin."""
        return [r for r in self.regressions if r.score_drop > self.margin]

    def with_new_flags(self) -> list[Regression]:
        """The regressions with at least one flag the baseline did not have."""
        return [r for r in self.regressions if r.new_flags]


def flag_key(flag: dict[str, Any]) -> tuple[str, str, str, str]:
    """What makes two flags of one unit the same finding: rule, concept and the texts on each side
    (offsets left out, so an edit elsewhere in the unit does not make every flag "new")."""
    return (str(flag.get("rule", "")), str(flag.get("concept") or ""), str(flag.get("source_text") or ""),
            str(flag.get("translation_text") or ""))


def _new_flags(old: Iterable[dict[str, Any]], new: Iterable[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    """The flags of `new` not in `old`, counting repeats (two flags where there was one: one is new)."""
    remaining: dict[tuple[str, str, str, str], int] = {}
    for flag in old:
        remaining[flag_key(flag)] = remaining.get(flag_key(flag), 0) + 1
    fresh = []
    for flag in new:
        key = flag_key(flag)
        if remaining.get(key, 0) > 0:
            remaining[key] -= 1
        else:
            fresh.append(flag)
    return tuple(fresh)


def compare_to_baseline(records: Sequence[dict[str, Any]], baseline: Sequence[dict[str, Any]],
                        margin: float = DEFAULT_MARGIN) -> BaselineComparison:
    """Match units by id and list those whose score fell by more than `margin` points or that gained
    flags. Units that are new in this run are counted, not judged (the thresholds judge them)."""
    if margin < 0:
        raise InputError(f"--regression-margin must be 0 or more, got {margin:g}")
    before = {str(r["id"]): r for r in baseline}
    result = BaselineComparison(margin)
    for record in records:
        old = before.get(str(record["id"]))
        if old is None:
            result.new_units += 1
            continue
        result.compared += 1
        old_score = float(old.get("score", 0.0))
        fresh = _new_flags(old.get("flags") or [], record.get("flags") or [])
        if fresh or old_score - float(record["score"]) > margin:
            result.regressions.append(Regression(record, old_score, fresh))
    return result


def load_baseline(path: str, signature: str) -> tuple[list[dict[str, Any]], bool]:
    """The unit records of a baseline results file, and whether its signature differs from `signature`
    (then scores may move for reasons other than the translations: other models, glossary or checks)."""
    header = read_header(path)
    records = list(read_results(path))
    if header is None and not records:
        raise InputError(f"baseline file {path}: no results (expected the JSON Lines written by --output)")
    return records, header is not None and header.get("signature") != signature
