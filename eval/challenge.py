"""Scoring a flagger on a challenge set: precision and recall of expected flags, per group.

A challenge file is a TSV with a header row and columns `id`, `source`, `translation`,
`expected` (flags as `a:b` items separated by `;`, e.g. `forbidden-rendering:parquet` or
`number:number-changed`; empty when nothing should be flagged) and an optional `note`. The
caller says how to predict the items of a row and which part of an item names its group
(the rule, or the check).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from eval.inputs import InputError, read_text

Item = tuple[str, str]


@dataclass
class Tally:
    """True positives, false positives and false negatives of one group (or all)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Result:
    """Per-group and overall tallies, and the rows that disagreed."""

    rows: int = 0
    groups: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    errors: list[dict[str, object]] = field(default_factory=list)


def parse_expected(text: str, where: str) -> Counter[Item]:
    """`a:b;a:b` -> a multiset of (a, b)."""
    items: Counter[Item] = Counter()
    for raw in text.split(";"):
        raw = raw.strip()
        if not raw:
            continue
        first, sep, second = raw.partition(":")
        if not sep or not first.strip() or not second.strip():
            raise InputError(f"{where}, field 'expected': {raw!r} is not of the form a:b")
        items[(first.strip(), second.strip())] += 1
    return items


def read_challenge(path: str) -> list[dict[str, str]]:
    """Rows of a challenge TSV, each with its line number under "line"."""
    reader = csv.DictReader(io.StringIO(read_text(path, "challenge"), newline=""), delimiter="\t",
                            quoting=csv.QUOTE_NONE)
    missing = [c for c in ("id", "source", "translation", "expected") if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"challenge file {path}, line 1: header lacks column(s) {', '.join(missing)}")
    rows = []
    for row in reader:
        if None in row or any(v is None for v in row.values()):
            raise InputError(f"challenge file {path}, line {reader.line_num}: wrong number of fields")
        rows.append({**row, "line": str(reader.line_num)})
    return rows


def score(
    rows: Sequence[dict[str, str]],
    predict: Callable[[dict[str, str]], Counter[Item]],
    group: Callable[[Item], str],
    path: str = "challenge",
) -> Result:
    """Compare predicted with expected items row by row; tally by `group(item)`."""
    result = Result(rows=len(rows))
    for row in rows:
        expected = parse_expected(row["expected"], f"{path}, line {row['line']}")
        predicted = predict(row)
        hits = expected & predicted
        for items, attr in ((hits, "tp"), (predicted - expected, "fp"), (expected - predicted, "fn")):
            for item, n in items.items():
                tally = result.groups.setdefault(group(item), Tally())
                setattr(tally, attr, getattr(tally, attr) + n)
                setattr(result.overall, attr, getattr(result.overall, attr) + n)
        for item in set(expected) | set(predicted):
            result.groups.setdefault(group(item), Tally())
        if hits != expected or hits != predicted:
            result.errors.append({"id": row["id"], "line": row["line"],
                                  "missing": [":".join(k) for k in (expected - predicted).elements()],
                                  "unexpected": [":".join(k) for k in (predicted - expected).elements()],
                                  "source": row["source"], "translation": row["translation"]})
    return result


def format_result(result: Result, label: str) -> str:
    """A table of precision and recall per group and overall."""
    lines = [f"{label:<30} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}"]
    for name, t in sorted(result.groups.items()) + [("overall", result.overall)]:
        lines.append(f"{name:<30} {t.tp:>4} {t.fp:>4} {t.fn:>4} {t.precision:>10.3f} {t.recall:>8.3f}")
    lines.append(f"{result.rows} rows, {len(result.errors)} with a difference")
    return "\n".join(lines)


def format_errors(result: Result) -> list[str]:
    """The differing rows as JSON lines."""
    return [json.dumps(error, ensure_ascii=False) for error in result.errors]


def print_result(result: Result, label: str, errors: bool) -> int:
    """Print the table (and the differing rows when `errors`); the exit code of a finished run."""
    print(format_result(result, label))
    if errors:
        print("\n".join(format_errors(result)))
    return 0
