"""False alarms and discrimination of contresens' flags on real translations nobody here wrote.

    python -m eval.precision --data ../shared/data [--no-model | --forward-model DIR --backward-model DIR]
                             [--beam N] [--json FILE] [--out DIR] [--limit N] [--all-mt] [--workers N]
                             [--term-policy mistranslation|strict] [--seed S]

Checks the professional human translations of the shared data (WMT12/13 references and the Potet
post-edits: the development split; WMT14 references and NTREX-128: the test split, reported, never
tuned to) and the machine outputs of WMT12-14 and Potet, then prints Markdown tables: per corpus,
check and rule, flags per 100 segments and the shares of segments with a major or critical flag and
with any flag; and the discrimination figures from the WMT pairwise human judgments (when exactly one
of two outputs has a major or critical flag, how often the judges preferred the unflagged one, with a
bootstrap interval), overall and per check. See `eval.precision_corpora` for the corpora and
`eval.precision_figures` for the figures.

Without models (the default) it runs in minutes on 2 cores. With both models, every flag is checked
against the models' evidence (`service.corroborate`); that is slow on a CPU, so use `--limit`.
`--out DIR` writes report.md, precision.json and the flags on human references (reference-flags.tsv
and a random reference-flags-sample.tsv of 100) for reading.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from eval.inputs import InputError
from eval.precision_corpora import human_corpora, load_years, mt_corpora
from eval.precision_figures import corpus_figures, discrimination
from eval.precision_flags import check_pairs
from eval.precision_report import as_json, markdown, reference_flags, write_flag_files
from service.checker import Checker
from service.config import Settings
from service.glossary.concept import TERM_POLICIES
from service.glossary.errors import GlossaryFormatError
from service.translate import ModelUnavailableError

YEARS = (12, 13, 14)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eval.precision", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="the shared data folder (holding wmt12-newstest2012-fr-en/ ...)")
    models = parser.add_mutually_exclusive_group()
    models.add_argument("--no-model", action="store_true", help="rules only (the default)")
    models.add_argument("--forward-model", metavar="DIR", help="fr->en MarianMT (hub id or local directory)")
    parser.add_argument("--backward-model", metavar="DIR", help="en->fr MarianMT (with --forward-model)")
    parser.add_argument("--beam", type=int, default=1, help="beam size of the model translations (default 1)")
    parser.add_argument("--term-policy", choices=TERM_POLICIES, default="mistranslation")
    parser.add_argument("--limit", type=int, metavar="N", help="a fixed sample of N segments of each corpus")
    parser.add_argument("--all-mt", action="store_true", help="check every line of every system, not only the "
                                                                "judged ones")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                        help="processes for a rules-only run (default: 2 or the CPU count if lower)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the samples and the bootstrap")
    parser.add_argument("--json", metavar="FILE", help="write every figure as JSON")
    parser.add_argument("--out", metavar="DIR", help="write report.md, precision.json and the reference flags here")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: check, print the Markdown report, write the files asked for."""
    args = _parser().parse_args(argv)
    if bool(args.forward_model) != bool(args.backward_model):
        print("error: give both --forward-model and --backward-model, or neither", file=sys.stderr)
        return 2
    if args.limit is not None and args.limit < 1:
        print("error: --limit must be at least 1", file=sys.stderr)
        return 2
    data = Path(args.data)
    try:
        if not data.is_dir():
            raise InputError(f"--data {data}: not a directory (give the shared data folder, e.g. ../shared/data)")
        years = load_years(data, YEARS)
        human = human_corpora(data, years, limit=args.limit, seed=args.seed)
        mt = mt_corpora(data, years, all_mt=args.all_mt, limit=args.limit, seed=args.seed)
        settings = Settings(cache=False, term_policy=args.term_policy, beam_size=args.beam,
                            forward_model=args.forward_model, backward_model=args.backward_model)
        checker = Checker.from_settings(settings) if args.forward_model else Checker.rules_only(settings)
        pairs = [p for c in (*human, *mt) for p in c.pairs()]
        started = time.perf_counter()
        flags = check_pairs(pairs, checker, settings=settings, workers=args.workers, progress=not args.quiet)
        elapsed = time.perf_counter() - started
    except (InputError, GlossaryFormatError, ModelUnavailableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    human_figures = [corpus_figures(c, flags) for c in human]
    mt_figures = [corpus_figures(c, flags) for c in mt]
    checks = sorted({f.check for found in flags.values() for f in found})
    rows = discrimination(years, flags, checks, seed=args.seed)
    report = markdown(checker.signature, human_figures, mt_figures, rows, elapsed=elapsed, segments=len(flags))
    print(report)
    payload = json.dumps(as_json(checker.signature, human_figures, mt_figures, rows, elapsed=elapsed,
                                 segments=len(flags)), ensure_ascii=False, indent=1)
    if args.json:
        Path(args.json).write_text(payload, encoding="utf-8")
    if args.out:
        out = Path(args.out)
        write_flag_files(out, reference_flags(human_figures, flags), seed=args.seed)
        (out / "report.md").write_text(report + "\n", encoding="utf-8")
        (out / "precision.json").write_text(payload, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
