"""`contresens eval` and `contresens gate`: batch evaluation of corpus files, then the gate."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eval.annotations import workflow_commands
from eval.evaluate import evaluate, run_to_file
from eval.formats import read_units
from eval.gate import Thresholds, apply_gate, summary
from eval.inputs import Unit
from eval.regressions import compare_to_baseline, load_baseline
from eval.settings_args import settings_from_args
from service.checker import Checker


def _units(args: argparse.Namespace) -> Iterator[Unit]:
    settings = settings_from_args(args)
    return read_units(args.inputs, args.format, source_lang=settings.source_lang, target_lang=settings.target_lang)


def build_checker(args: argparse.Namespace) -> Checker:
    """The checker a batch command asks for: rules only with --no-model, else with both models."""
    settings = settings_from_args(args)
    if args.no_model:
        return Checker.rules_only(settings)
    from eval.run_check import quiet_model_loading

    quiet_model_loading()
    return Checker.from_settings(settings)


def run_eval(args: argparse.Namespace) -> int:
    """Evaluate every unit of the inputs, stream the results as JSON Lines, then write the reports asked for."""
    checker = build_checker(args)
    wanted = any((args.report, args.markdown, args.csv, args.junit))
    records = run_to_file(_units(args), checker, args.output, resume=args.resume,
                          keep=wanted)  # without reports, memory stays flat however many units
    write_reports(args, records, checker.signature)
    return 0


def write_reports(args: argparse.Namespace, records: list[dict[str, Any]], signature: str) -> None:
    """The HTML, Markdown, CSV and JUnit files named on the command line."""
    from eval.report_csv import render_csv
    from eval.report_html import render_html
    from eval.report_junit import render_junit
    from eval.report_markdown import render_markdown

    texts = {u.id: (u.source, u.translation) for u in _units(args)} if args.report else None
    for path, render in ((args.report, lambda: render_html(records, signature, texts)),
                         (args.markdown, lambda: render_markdown(records, signature)),
                         (args.csv, lambda: render_csv(records, signature)),
                         (args.junit, lambda: render_junit(records, signature))):
        if path:
            Path(path).write_text(render(), encoding="utf-8")


def run_gate(args: argparse.Namespace) -> int:
    """Evaluate (into --output when given), then pass (0) or fail (1) against the thresholds; print why."""
    checker = build_checker(args)
    # read once, before any work: a bad baseline fails at once, and --output may name the same file
    baseline = load_baseline(args.baseline, checker.signature) if args.baseline else None
    units = _units(args)
    records = (run_to_file(units, checker, args.output, resume=args.resume) if args.output
               else list(evaluate(units, checker)))
    write_reports(args, records, checker.signature)
    comparison = None
    if baseline is not None:
        comparison = compare_to_baseline(records, baseline[0], args.regression_margin)
        comparison.signature_differs = baseline[1]
    thresholds = Thresholds(args.min_score, args.max_critical, args.max_major, args.max_regressions)
    result = apply_gate(records, thresholds, comparison)
    if args.github_annotations:
        regressions = comparison.regressions if comparison else ()
        for line in workflow_commands(records, regressions, comparison.margin if comparison else None):
            print(line)
    print(summary(result))
    return 0 if result.passed else 1
