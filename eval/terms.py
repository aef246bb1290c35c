"""Precision and recall of the term-error detector on a challenge set.

    python -m eval.terms corpora/challenge/terms-fr-en.tsv [--glossary FILE]... [--term-policy P] [--errors]

The challenge file is a TSV with columns `id`, `source`, `translation`, `expected` (the flags
the row must get, as `rule:concept` items separated by `;`, empty when the translation is fine
or the French word is used in its everyday sense) and optional `note`. A predicted flag counts
as a true positive when the same (rule, concept) is expected in that row; the table groups by rule.

How expectations count under each term policy:

- `strict` (every concept needs an approved rendering): as written, except that a French term left
  untranslated (`term-left-in-french:X`) is reported there as `missing-approved-rendering:X`, the
  rule that covers it under that policy;
- `mistranslation` (the default): a concept checked for mistranslation only (`check: mistranslation`
  in the termbase) is not promised an approved rendering, so an expected `missing-approved-rendering`
  of such a concept is set aside: it counts neither as found nor as missed, and the run says how
  many were set aside. Every other expectation (forbidden renderings, terms left in French, names
  and acronyms, renderings of institutions and courts) counts.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence

from eval.challenge import Item, parse_expected, print_result, read_challenge, score
from eval.inputs import InputError
from service.glossary.concept import TERM_POLICIES, Glossary, TermPolicy
from service.glossary.detector import TermDetector
from service.glossary.errors import GlossaryFormatError
from service.glossary.loading import load_glossary


def promised(rows: Sequence[dict[str, str]], glossary: Glossary, policy: TermPolicy,
             path: str = "challenge") -> tuple[list[dict[str, str]], int]:
    """The rows with the expectations the policy promises, and how many were set aside.

    Under `mistranslation`, an expected `missing-approved-rendering` of a concept whose `check` is
    `mistranslation` is set aside; under `strict` nothing is, and a term left in French is expected
    as a missing rendering (see the module docstring)."""
    kept_rows, aside = [], 0
    for row in rows:
        kept: list[str] = []
        for (rule, concept), n in parse_expected(row["expected"], f"{path}, line {row['line']}").items():
            loose = policy == "mistranslation" and rule == "missing-approved-rendering" \
                and concept in glossary and glossary.get(concept).check == "mistranslation"
            if loose:
                aside += n
                continue
            if policy == "strict" and rule == "term-left-in-french":
                rule = "missing-approved-rendering"
            kept += [f"{rule}:{concept}"] * n
        kept_rows.append({**row, "expected": ";".join(kept)})
    return kept_rows, aside


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: print the table (and the differing rows with --errors)."""
    parser = argparse.ArgumentParser(prog="python -m eval.terms", description=__doc__.split("\n\n")[0])
    parser.add_argument("challenge", metavar="FILE.tsv")
    parser.add_argument("--glossary", action="append", default=[], metavar="FILE")
    parser.add_argument("--no-builtin-glossary", dest="builtin", action="store_false")
    parser.add_argument("--term-policy", choices=TERM_POLICIES, default="mistranslation",
                        help="term policy to check under (default mistranslation; strict: every concept needs an "
                        "approved rendering)")
    parser.add_argument("--errors", action="store_true", help="also print the rows that differ, as JSON lines")
    args = parser.parse_args(argv)
    try:
        glossary = load_glossary(args.glossary, builtin=args.builtin)
        rows, aside = promised(read_challenge(args.challenge), glossary, args.term_policy, args.challenge)
        detector = TermDetector(glossary, policy=args.term_policy)

        def predict(row: dict[str, str]) -> Counter[Item]:
            flags = detector.check(source=row["source"], translation=row["translation"])
            return Counter((f.rule, f.concept or "") for f in flags)

        result = score(rows, predict, group=lambda item: item[0], path=args.challenge)
    except (InputError, GlossaryFormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"term policy: {args.term_policy}" + (
        f" ({aside} expected missing-approved-rendering of concepts checked for mistranslation set aside)"
        if aside else ""))
    return print_result(result, "rule", args.errors)


if __name__ == "__main__":
    sys.exit(main())
