"""Precision and recall of the localization checks on a challenge set, per check.

    python -m eval.checks corpora/challenge/checks-fr-en.tsv [--checks LIST] [--errors]

The challenge file is a TSV with columns `id`, `source`, `translation`, `expected` (flags as
`check:rule` items separated by `;`, e.g. `number:number-changed`; empty when the translation is
fine) and optional `note`. Each row is one aligned segment; every check runs on it as in a
real run (no model; the built-in glossary marks the institutions it translates, which the names
check leaves to it) and a predicted flag is a true positive when the same check and rule is
expected in that row. The table groups by check.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence

from eval.challenge import Item, print_result, read_challenge, score
from eval.inputs import InputError
from service.checks.base import CheckInput
from service.checks.registry import UnknownCheckError, resolve_names, run_checks
from service.glossary.detector import TermDetector
from service.glossary.loading import load_builtin


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: print the table (and the differing rows with --errors)."""
    parser = argparse.ArgumentParser(prog="python -m eval.checks", description=__doc__.split("\n\n")[0])
    parser.add_argument("challenge", metavar="FILE.tsv")
    parser.add_argument("--checks", help="comma-separated checks to run (default all)")
    parser.add_argument("--errors", action="store_true", help="also print the rows that differ, as JSON lines")
    parser.add_argument("--no-builtin-glossary", dest="builtin", action="store_false",
                        help="do not let the glossary protect the terms it translates")
    args = parser.parse_args(argv)
    try:
        names = resolve_names(args.checks.split(",") if args.checks else None)
        rows = read_challenge(args.challenge)

        detector = TermDetector(load_builtin()) if args.builtin else None

        def predict(row: dict[str, str]) -> Counter[Item]:
            terms = detector.find_terms(row["source"]) if detector else []
            item = CheckInput(row["source"], row["translation"], protected=tuple((t.start, t.end) for t in terms))
            flags = run_checks(item, names)
            return Counter((f.type, f.rule) for f in flags)

        result = score(rows, predict, group=lambda item: item[0], path=args.challenge)
    except (InputError, UnknownCheckError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return print_result(result, "check", args.errors)


if __name__ == "__main__":
    sys.exit(main())
