"""The CI gate: thresholds on a run's results, and a one-screen summary of why it passed or failed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.regressions import BaselineComparison


@dataclass(frozen=True)
class Thresholds:
    """What a run must meet: a mean score, and at most so many critical and major flags."""

    min_score: float = 0.0
    max_critical: int | None = 0
    max_major: int | None = None
    max_regressions: int = 0


@dataclass
class GateResult:
    """The decision, the numbers behind it, and the reasons when it fails."""

    passed: bool
    units: int
    mean_score: float
    critical: int
    major: int
    reasons: list[str] = field(default_factory=list)
    worst: list[dict[str, Any]] = field(default_factory=list)
    baseline: BaselineComparison | None = None


def _count(records: Sequence[dict[str, Any]], severity: str) -> int:
    return sum(1 for r in records for f in r.get("flags", []) if f.get("severity") == severity)


def apply_gate(records: Sequence[dict[str, Any]], thresholds: Thresholds,
               baseline: BaselineComparison | None = None) -> GateResult:
    """Check the unit records against the thresholds, and against the baseline run when given."""
    mean = sum(float(r["score"]) for r in records) / len(records) if records else 100.0
    critical, major = _count(records, "critical"), _count(records, "major")
    reasons = []
    if mean < thresholds.min_score:
        reasons.append(f"mean score {mean:.1f} is below --min-score {thresholds.min_score:g}")
    if thresholds.max_critical is not None and critical > thresholds.max_critical:
        reasons.append(f"{critical} critical flags, more than --max-critical {thresholds.max_critical}")
    if thresholds.max_major is not None and major > thresholds.max_major:
        reasons.append(f"{major} major flags, more than --max-major {thresholds.max_major}")
    if baseline is not None and len(baseline.regressions) > thresholds.max_regressions:
        reasons.append(f"{len(baseline.regressions)} units regressed against the baseline (score fell by more "
                       f"than {baseline.margin:g} points, or new flags), more than --max-regressions "
                       f"{thresholds.max_regressions}")
    worst = sorted(records, key=lambda r: float(r["score"]))[:5]
    return GateResult(not reasons, len(records), round(mean, 2), critical, major, reasons, worst, baseline)


def _baseline_lines(comparison: BaselineComparison, shown: int = 10) -> list[str]:
    lines = [f"baseline: {comparison.compared} units compared, {comparison.new_units} new, "
             f"{len(comparison.score_drops())} scores fell by more than {comparison.margin:g} points, "
             f"{len(comparison.with_new_flags())} units with new flags"]
    if comparison.signature_differs:
        lines.append("  note: the baseline was made with another signature (models, glossary, term policy or checks); "
                     "scores may differ for that reason alone")
    for regression in comparison.regressions[:shown]:
        record = regression.record
        change = f"score {regression.old_score:.1f} -> {float(record['score']):.1f}"
        fresh = ", ".join(f"{f.get('severity')} {f.get('rule')}" for f in regression.new_flags)
        lines.append(f"  {record['location']}  {record['id']}  {change}" + (f"  new: {fresh}" if fresh else ""))
    if len(comparison.regressions) > shown:
        lines.append(f"  ... and {len(comparison.regressions) - shown} more")
    return lines


def summary(result: GateResult) -> str:
    """One screen: the decision, the numbers, the reasons and the worst units."""
    lines = [
        f"contresens gate: {'PASS' if result.passed else 'FAIL'} — {result.units} units, mean score "
        f"{result.mean_score:.1f}, {result.critical} critical, {result.major} major flags",
    ]
    lines += [f"  - {reason}" for reason in result.reasons]
    if result.baseline is not None:
        lines += _baseline_lines(result.baseline)
    if result.worst and not result.passed:
        lines.append("worst units:")
        for record in result.worst:
            rules = ", ".join(sorted({f"{f['severity']} {f['rule']}" for f in record.get("flags", [])})) or "no flags"
            lines.append(f"  {record['location']}  {record['id']}  score {float(record['score']):.1f}  {rules}")
    return "\n".join(lines)
