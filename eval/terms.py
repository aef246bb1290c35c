"""Precision and recall of the term-error detector on a challenge set.

    python -m eval.terms corpora/challenge/terms-fr-en.tsv [--glossary FILE]... [--errors]

The challenge file is a TSV with columns `id`, `source`, `translation`, `expected` (the flags
the row must get, as `rule:concept` items separated by `;`, empty when the translation is fine
or the French word is used in its everyday sense) and optional `note`. A predicted flag counts
as a true positive when the same (rule, concept) is expected in that row; the table groups by rule.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence

from eval.challenge import Item, print_result, read_challenge, score
from eval.inputs import InputError
from service.glossary.detector import TermDetector
from service.glossary.errors import GlossaryFormatError
from service.glossary.loading import load_glossary


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
        detector = TermDetector(load_glossary(args.glossary, builtin=args.builtin))

        def predict(row: dict[str, str]) -> Counter[Item]:
            flags = detector.check(source=row["source"], translation=row["translation"])
            return Counter((f.rule, f.concept or "") for f in flags)

        result = score(rows, predict, group=lambda item: item[0], path=args.challenge)
    except (InputError, GlossaryFormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return print_result(result, "rule", args.errors)


if __name__ == "__main__":
    sys.exit(main())
