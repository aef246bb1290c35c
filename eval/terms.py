"""Precision and recall of the term-error detector on a challenge set.

    python -m eval.terms corpora/challenge/terms-fr-en.tsv [--glossary FILE]... [--errors]

The challenge file is a TSV with a header row and columns `id`, `source`, `translation`,
`expected` (the flags the row must get, as `rule:concept` items separated by `;`, empty when
the translation is fine or the French word is used in its everyday sense) and optional `note`.
A predicted flag counts as a true positive when the same (rule, concept) is expected in that row.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from eval.inputs import InputError, read_text
from service.glossary.detector import TermDetector
from service.glossary.errors import GlossaryFormatError
from service.glossary.loading import load_glossary

Flag = tuple[str, str]  # (rule, concept)


@dataclass
class Tally:
    """True positives, false positives and false negatives of one rule (or all)."""

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
    """Per-rule and overall tallies, and the rows that disagreed."""

    rows: int = 0
    by_rule: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    errors: list[dict[str, object]] = field(default_factory=list)


def parse_expected(text: str, where: str) -> Counter[Flag]:
    """`rule:concept;rule:concept` -> a multiset of (rule, concept)."""
    flags: Counter[Flag] = Counter()
    for item in text.split(";"):
        item = item.strip()
        if not item:
            continue
        rule, sep, concept = item.partition(":")
        if not sep or not rule or not concept:
            raise InputError(f"{where}, field 'expected': {item!r} is not rule:concept")
        flags[(rule.strip(), concept.strip())] += 1
    return flags


def read_challenge(path: str) -> list[dict[str, str]]:
    """Rows of a challenge TSV (id, source, translation, expected[, note]) with their line numbers."""
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


def evaluate(rows: Sequence[dict[str, str]], detector: TermDetector, path: str = "challenge") -> Result:
    """Run the detector on every row and compare with the expected flags."""
    result = Result(rows=len(rows))
    for row in rows:
        expected = parse_expected(row["expected"], f"{path}, line {row['line']}")
        predicted: Counter[Flag] = Counter(
            (f.rule, f.concept or "") for f in detector.check(source=row["source"], translation=row["translation"])
        )
        for rule in {r for r, _ in expected} | {r for r, _ in predicted}:
            result.by_rule.setdefault(rule, Tally())
        hits = expected & predicted
        for (rule, _), n in hits.items():
            result.by_rule[rule].tp += n
        for (rule, _), n in (predicted - expected).items():
            result.by_rule[rule].fp += n
        for (rule, _), n in (expected - predicted).items():
            result.by_rule[rule].fn += n
        if hits != expected or hits != predicted:
            result.errors.append({"id": row["id"], "line": row["line"],
                                  "missing": [":".join(k) for k in (expected - predicted).elements()],
                                  "unexpected": [":".join(k) for k in (predicted - expected).elements()],
                                  "source": row["source"], "translation": row["translation"]})
    for tally in result.by_rule.values():
        result.overall.tp += tally.tp
        result.overall.fp += tally.fp
        result.overall.fn += tally.fn
    return result


def format_result(result: Result) -> str:
    """A table of precision and recall per rule and overall."""
    lines = [f"{'rule':<30} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}"]
    for rule, t in sorted(result.by_rule.items()) + [("overall", result.overall)]:
        lines.append(f"{rule:<30} {t.tp:>4} {t.fp:>4} {t.fn:>4} {t.precision:>10.3f} {t.recall:>8.3f}")
    lines.append(f"{result.rows} rows, {len(result.errors)} with a difference")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: print the table (and the differing rows with --errors)."""
    parser = argparse.ArgumentParser(prog="python -m eval.terms", description=__doc__.split("\n\n")[0])
    parser.add_argument("challenge", metavar="FILE.tsv")
    parser.add_argument("--glossary", action="append", default=[], metavar="FILE")
    parser.add_argument("--no-builtin-glossary", dest="builtin", action="store_false")
    parser.add_argument("--errors", action="store_true", help="also print the rows that differ, as JSON lines")
    args = parser.parse_args(argv)
    try:
        rows = read_challenge(args.challenge)
        result = evaluate(rows, TermDetector(load_glossary(args.glossary, builtin=args.builtin)), args.challenge)
    except (InputError, GlossaryFormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_result(result))
    if args.errors:
        for error in result.errors:
            print(json.dumps(error, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
