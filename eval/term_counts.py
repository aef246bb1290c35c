"""How many term flags a parallel corpus gets, per rule and severity: false alarms on human translations,
detections on machine translations.

    python -m eval.term_counts SOURCE TRANSLATION [SOURCE TRANSLATION ...] [--term-policy P]
                               [--glossary FILE]... [--no-builtin-glossary] [--by-concept N] [--json FILE]

Each SOURCE / TRANSLATION pair is two line-aligned UTF-8 files (French source, English translation), one
document per line, checked as `contresens eval --no-model --checks ''` checks them (sentence split and
alignment, then the glossary; no model, no localization check, no cache). One table row per pair: the
count of each (rule, severity) and the total; `--by-concept N` adds the N concepts with the most flags.
On a professional reference every flag is a false alarm or a slip of the reference; read them with
`--json`, which also writes each flag with its line, concept and both texts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eval.inputs import InputError, read_text
from service.checker import Checker, Document
from service.config import Settings
from service.glossary.concept import TERM_POLICIES
from service.glossary.errors import GlossaryFormatError

BATCH = 500  # documents per check_many call


@dataclass
class Counts:
    """Term flags of one file pair."""

    name: str
    lines: int
    by_rule: Counter[tuple[str, str]] = field(default_factory=Counter)  # (rule, severity) -> flags
    by_concept: Counter[str] = field(default_factory=Counter)
    flags: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_rule.values())


def _lines(path: str) -> list[str]:
    lines = read_text(path, "corpus").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def count_pair(checker: Checker, source: str, translation: str) -> Counts:
    """The term flags of one pair of line-aligned files (each line one document)."""
    sources, translations = _lines(source), _lines(translation)
    if len(sources) != len(translations):
        raise InputError(f"{translation} has {len(translations)} lines, {source} {len(sources)}: they must be aligned")
    counts = Counts(name=translation, lines=len(sources))
    documents = [Document(s, t) for s, t in zip(sources, translations)]
    for start in range(0, len(documents), BATCH):
        for offset, report in enumerate(checker.check_many(documents[start:start + BATCH])):
            document = documents[start + offset]
            for flag in report.flags:
                if flag.type != "terminology":
                    continue
                counts.by_rule[(flag.rule, flag.severity)] += 1
                counts.by_concept[flag.concept or ""] += 1
                counts.flags.append({"file": translation, "line": start + offset + 1, "rule": flag.rule,
                                     "severity": flag.severity, "concept": flag.concept,
                                     "source_text": flag.source_text, "translation_text": flag.translation_text,
                                     "source": document.source, "translation": document.translation})
    return counts


def format_counts(results: Sequence[Counts], by_concept: int = 0) -> str:
    """A table: one row per pair, one column per (rule, severity) seen, and the total."""
    columns = sorted({key for r in results for key in r.by_rule})
    heads = [f"{rule} {severity}" for rule, severity in columns]
    width = max([len(r.name) for r in results] + [4])
    lines = [f"{'file':<{width}} {'lines':>6} " + " ".join(f"{h:>{max(len(h), 5)}}" for h in heads) + "  total"]
    for r in results:
        cells = " ".join(f"{r.by_rule[key]:>{max(len(h), 5)}}" for key, h in zip(columns, heads))
        lines.append(f"{r.name:<{width}} {r.lines:>6} {cells}  {r.total:>5}")
        if by_concept:
            lines.append("    " + ", ".join(f"{c} {n}" for c, n in r.by_concept.most_common(by_concept)))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: print the table (and write the flags with --json)."""
    parser = argparse.ArgumentParser(prog="python -m eval.term_counts", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", metavar="SOURCE TRANSLATION")
    parser.add_argument("--term-policy", choices=TERM_POLICIES, default="mistranslation")
    parser.add_argument("--glossary", action="append", default=[], metavar="FILE")
    parser.add_argument("--no-builtin-glossary", dest="builtin", action="store_false")
    parser.add_argument("--by-concept", type=int, default=0, metavar="N", help="also list the N most flagged concepts")
    parser.add_argument("--json", metavar="FILE", help="write the counts and every flag as JSON")
    args = parser.parse_args(argv)
    if len(args.files) % 2:
        print("error: give SOURCE TRANSLATION pairs", file=sys.stderr)
        return 2
    try:
        settings = Settings(cache=False, checks=[], term_policy=args.term_policy, glossary=args.glossary,
                            builtin_glossary=args.builtin)
        checker = Checker.rules_only(settings)
        results = [count_pair(checker, args.files[i], args.files[i + 1]) for i in range(0, len(args.files), 2)]
    except (InputError, GlossaryFormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"term policy: {args.term_policy}; signature: {checker.signature}")
    print(format_counts(results, args.by_concept))
    if args.json:
        payload = {"signature": checker.signature, "term_policy": args.term_policy, "files": [
            {"file": r.name, "lines": r.lines, "total": r.total,
             "by_rule": {f"{rule} {severity}": n for (rule, severity), n in sorted(r.by_rule.items())},
             "by_concept": dict(r.by_concept.most_common())} for r in results],
            "flags": [f for r in results for f in r.flags]}
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
