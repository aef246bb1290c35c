"""`contresens check`: score one translated document and print the report."""

from __future__ import annotations

import argparse
import sys

from eval.inputs import read_text
from eval.settings_args import settings_from_args
from eval.text_report import render_text


def quiet_model_loading() -> None:
    """Keep transformers' weight-loading progress bars off the terminal (the report is the output)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def run_check(args: argparse.Namespace) -> int:
    """Check --source against --translation (and --reference) and print text or JSON."""
    from service.checker import Checker

    source = read_text(args.source, "source")
    translation = read_text(args.translation, "translation")
    reference = read_text(args.reference, "reference") if args.reference else None
    settings = settings_from_args(args)
    quiet_model_loading()
    checker = Checker.from_settings(settings)
    report = checker.check(source=source, translation=translation, reference=reference)
    sys.stdout.write(report.model_dump_json(indent=2) + "\n" if args.json else render_text(report))
    return 0
