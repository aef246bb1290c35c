"""`contresens compare`: two systems' translations of the same source, per-metric means and tests.

The files are line-aligned (one segment per line). For every line, both systems are checked
(with the models, or rules only with --no-model) and, with --reference, scored against it with
sacrebleu's sentence chrF and BLEU. For each metric the table gives both means with 95%
bootstrap intervals, the difference B - A with its interval, the bootstrap and approximate
randomization p-values, and per-segment win/tie/loss counts of B against A.
"""

from __future__ import annotations

import argparse
import json

from eval.inputs import InputError, read_text
from eval.run_eval import build_checker
from eval.significance import Comparison, compare
from service.signals import sentence_metrics


def _lines(path: str, what: str) -> list[str]:
    return read_text(path, what).splitlines()


def run_compare(args: argparse.Namespace) -> int:
    """Print the comparison table (and write it as JSON with --json)."""
    source = _lines(args.source, "source")
    system_a, system_b = _lines(args.a, "system A"), _lines(args.b, "system B")
    reference = _lines(args.reference, "reference") if args.reference else None
    for name, lines in (("system A", system_a), ("system B", system_b), ("reference", reference)):
        if lines is not None and len(lines) != len(source):
            raise InputError(f"{name} file has {len(lines)} lines, the source {len(source)}: they must be aligned")
    checker = build_checker(args)
    metrics: dict[str, tuple[list[float], list[float]]] = {"quality score": ([], [])}
    if reference is not None:
        metrics.update({"chrF": ([], []), "BLEU": ([], [])})
    for i, src in enumerate(source):
        for side, hypothesis in enumerate((system_a[i], system_b[i])):
            metrics["quality score"][side].append(checker.check(source=src, translation=hypothesis).score)
            if reference is not None:
                scores = sentence_metrics(hypothesis, reference[i])
                metrics["chrF"][side].append(scores.chrf)
                metrics["BLEU"][side].append(scores.bleu)
    results: dict[str, Comparison] = {name: compare(a, b, resamples=args.resamples, seed=args.seed)
                                      for name, (a, b) in metrics.items()}
    print(f"{len(source)} segments; paired bootstrap {args.resamples} resamples and approximate randomization, "
          f"seed {args.seed}")
    print(f"{'metric':<14} {'A':>22} {'B':>22} {'B - A':>24} {'p (boot)':>9} {'p (AR)':>8} {'win/tie/loss':>13}")
    for name, r in results.items():
        print(f"{name:<14} {r.mean_a:>7.2f} [{r.ci_a[0]:6.2f},{r.ci_a[1]:6.2f}] {r.mean_b:>7.2f} "
              f"[{r.ci_b[0]:6.2f},{r.ci_b[1]:6.2f}] {r.difference:>+7.2f} [{r.ci_difference[0]:+6.2f},"
              f"{r.ci_difference[1]:+6.2f}] {r.p_bootstrap:>9.4f} {r.p_randomization:>8.4f} "
              f"{r.wins:>4}/{r.ties}/{r.losses}")
    print(f"signature: {checker.signature}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"signature": checker.signature, "segments": len(source), "seed": args.seed,
                       "metrics": {name: r.__dict__ for name, r in results.items()}}, handle, indent=2)
    return 0
