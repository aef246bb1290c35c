"""The `contresens` command line: parses arguments and calls the engine, nothing more.

Exit codes: 0 success, 2 usage or input error (bad file, missing model).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from service import __version__
from service.config import Settings

EXIT_OK, EXIT_USAGE = 0, 2


class InputError(Exception):
    """A user-supplied file cannot be used; the message names the file and the reason."""


def read_text(path: str, what: str) -> str:
    """Read a UTF-8 text file, or raise InputError naming the file, its role and the problem."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{what} file {path}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problem = f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
        raise InputError(f"{what} file {path}, line {line}: {problem}") from exc


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="contresens", description="Check machine translations of French news into English."
    )
    parser.add_argument("--version", action="version", version=f"contresens {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check", help="check one translated document", description="Check one translated document."
    )
    check.add_argument("--source", required=True, metavar="FILE", help="source text (French by default)")
    check.add_argument("--translation", required=True, metavar="FILE", help="machine translation to check")
    check.add_argument("--reference", metavar="FILE", help="optional human reference translation")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument("--forward-model", metavar="ID_OR_DIR", help="source->target MarianMT (hub id or directory)")
    check.add_argument("--backward-model", metavar="ID_OR_DIR", help="target->source MarianMT (hub id or directory)")
    check.add_argument("--source-lang", metavar="LANG", help="source language code (default fr)")
    check.add_argument("--target-lang", metavar="LANG", help="target language code (default en)")
    check.add_argument("--beam-size", type=int, metavar="N", help="beam size for translations (default 4)")
    check.add_argument("--device", choices=["auto", "cpu", "cuda"], help="where models run (default auto)")
    check.add_argument("--offline", action="store_true", default=None, help="never contact the model hub")
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Environment settings with the command-line options that were given on top."""
    overrides = {
        key: value
        for key in ("forward_model", "backward_model", "source_lang", "target_lang", "beam_size", "device", "offline")
        if (value := getattr(args, key, None)) is not None
    }
    return Settings(**overrides)


def _quiet_model_loading() -> None:
    """Keep transformers' weight-loading progress bars off the terminal (the report is the output)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def cmd_check(args: argparse.Namespace) -> int:
    """`contresens check`: score one document and print the report."""
    from eval.text_report import render_text
    from service.checker import Checker

    source = read_text(args.source, "source")
    translation = read_text(args.translation, "translation")
    reference = read_text(args.reference, "reference") if args.reference else None
    settings = settings_from_args(args)
    _quiet_model_loading()
    checker = Checker.from_settings(settings)
    report = checker.check(source=source, translation=translation, reference=reference)
    sys.stdout.write(report.model_dump_json(indent=2) + "\n" if args.json else render_text(report))
    return EXIT_OK


COMMANDS = {"check": cmd_check}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: sys.argv[1:]) and return the exit code."""
    from service.translate import ModelUnavailableError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return int(exc.code or 0)
    try:
        return COMMANDS[args.command](args)
    except (InputError, ModelUnavailableError) as exc:
        print(f"contresens: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
        print(f"contresens: error: invalid settings: {problems}", file=sys.stderr)
        return EXIT_USAGE


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
