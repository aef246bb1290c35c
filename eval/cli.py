"""The `contresens` command line: parses arguments and calls the command modules, nothing more.

Exit codes: 0 success, 2 usage or input error (bad file, bad termbase, missing model, bad setting).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from pydantic import ValidationError

from eval.inputs import InputError
from service import __version__
from service.glossary.errors import GlossaryFormatError

EXIT_OK, EXIT_USAGE = 0, 2


def _add_glossary_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--glossary", action="append", metavar="FILE",
                        help="user termbase (CSV, TSV or TBX) laid over the built-in one; repeatable")
    parser.add_argument("--no-builtin-glossary", dest="builtin_glossary", action="store_false", default=None,
                        help="do not use the shipped fr->en termbase")


def _add_term_policy_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--term-policy", choices=["mistranslation", "strict"],
                        help="what term flags mean: mistranslation (default: general legal vocabulary is flagged "
                        "only when mistranslated or left in French) or strict (every concept needs an approved "
                        "rendering, for terminology compliance)")


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _add_checks_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--checks", type=_names, metavar="LIST",
                        help="localization checks to run, comma-separated (default all: numbers, dates, names, "
                        "untranslated, length, markup, typography)")
    parser.add_argument("--skip-checks", type=_names, metavar="LIST", help="localization checks to leave out")


def _add_check(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser("check", help="check one translated document", description="Check one translated "
                                "document with the models, the glossary and the alignment.")
    check.add_argument("--source", required=True, metavar="FILE", help="source text (French by default)")
    check.add_argument("--translation", required=True, metavar="FILE", help="machine translation to check")
    check.add_argument("--reference", metavar="FILE", help="optional human reference translation")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    _add_engine_options(check)


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    """Models, language pair, decoding, glossary and checks: the options every scoring command takes."""
    parser.add_argument("--forward-model", metavar="ID_OR_DIR", help="source->target MarianMT (hub id or directory)")
    parser.add_argument("--backward-model", metavar="ID_OR_DIR", help="target->source MarianMT (hub id or directory)")
    parser.add_argument("--source-lang", metavar="LANG", help="source language code (default fr)")
    parser.add_argument("--target-lang", metavar="LANG", help="target language code (default en)")
    parser.add_argument("--beam-size", type=int, metavar="N", help="beam size for translations (default 4)")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], help="where models run (default auto)")
    parser.add_argument("--offline", action="store_true", default=None, help="never contact the model hub")
    parser.add_argument("--decoder", choices=["auto", "plain", "draft", "shared"],
                        help="draft (greedy, verified against the other side: the same output, less work), shared "
                             "(one encoder pass per text for generation and forced decoding) or plain (default "
                             "auto: draft for greedy, shared for beam search, plain on ct2; see the README)")
    parser.add_argument("--backend", choices=["fp32", "int8", "bf16", "fp16", "ct2"],
                        help="numeric path (default fp32; int8 and ct2 are fastest on CPU, see the README)")
    parser.add_argument("--ct2-compute-type", choices=["int8", "int8_float32", "int8_float16", "int8_bfloat16",
                                                       "int16", "float16", "bfloat16", "float32"],
                        help="CTranslate2 compute type of --backend ct2 (default int8)")
    parser.add_argument("--threads", type=int, metavar="N", help="torch threads on CPU (default: one per core)")
    parser.add_argument("--quality-weights", metavar="FILE",
                        help="weights file of the quality score (default: the shipped v1, see the README)")
    parser.add_argument("--no-cache", dest="cache", action="store_false", default=None,
                        help="do not read or write the translation cache")
    parser.add_argument("--cache-path", metavar="FILE", help="SQLite file of the translation cache")
    _add_glossary_options(parser)
    _add_term_policy_option(parser)
    _add_checks_options(parser)


def _add_batch_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="corpus files (TSV, JSONL, XLIFF, TMX, PO)")
    parser.add_argument("--format", choices=["auto", "tsv", "jsonl", "xliff", "tmx", "po", "parallel"], default="auto",
                        help="input format (default: from the extension: .tsv, .jsonl, .xlf/.xliff/.sdlxliff, .tmx, "
                        ".po/.pot); parallel: INPUT pairs SOURCE_FILE TRANSLATION_FILE, one segment per line")
    parser.add_argument("--output", "-o", metavar="FILE", help="results as JSON Lines (eval: default standard output)")
    parser.add_argument("--resume", action="store_true", help="skip the units already in --output")
    parser.add_argument("--no-model", action="store_true", help="glossary and localization checks only, no MarianMT")
    _add_engine_options(parser)


def _add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--report", metavar="FILE.html", help="self-contained HTML report")
    parser.add_argument("--markdown", metavar="FILE.md", help="Markdown summary for a pull-request comment")
    parser.add_argument("--csv", metavar="FILE.csv", help="one row per flag")
    parser.add_argument("--junit", metavar="FILE.xml", help="JUnit XML: one test case per unit, failing verdicts fail")


def _add_eval(commands: argparse._SubParsersAction) -> None:
    evaluate = commands.add_parser("eval", help="evaluate corpus files, one JSON line per unit",
                                   description="Evaluate every unit of the corpus files and write one JSON line "
                                   "per unit (after a header line with the signature), as they are computed.")
    _add_batch_options(evaluate)
    _add_report_options(evaluate)


def _add_compare(commands: argparse._SubParsersAction) -> None:
    compare = commands.add_parser("compare", help="compare two systems with significance tests",
                                  description="Compare two systems' line-aligned translations of one source: "
                                  "means, 95%% bootstrap intervals, p-values, win/tie/loss.")
    compare.add_argument("--source", required=True, metavar="FILE")
    compare.add_argument("--a", required=True, metavar="FILE", help="system A's translation")
    compare.add_argument("--b", required=True, metavar="FILE", help="system B's translation")
    compare.add_argument("--reference", metavar="FILE", help="human reference: adds chrF and BLEU")
    compare.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    compare.add_argument("--seed", type=int, default=12345, help="random seed (default 12345)")
    compare.add_argument("--json", metavar="FILE", help="also write the numbers as JSON")
    compare.add_argument("--no-model", action="store_true", help="quality score from the rules only")
    _add_engine_options(compare)


def _add_gate(commands: argparse._SubParsersAction) -> None:
    gate = commands.add_parser("gate", help="CI gate: exit 0 pass, 1 fail, 2 usage or input error",
                               description="Evaluate the corpus files and pass or fail them against thresholds.")
    _add_batch_options(gate)
    gate.add_argument("--min-score", type=float, default=0.0, metavar="S", help="minimum mean score (default 0)")
    gate.add_argument("--max-critical", type=int, default=0, metavar="N", help="most critical flags (default 0)")
    gate.add_argument("--max-major", type=int, default=None, metavar="N", help="most major flags (default: any)")
    gate.add_argument("--baseline", metavar="FILE.jsonl", help="results of an earlier run (--output); fail on "
                      "units whose score fell by more than the margin or that gained flags")
    gate.add_argument("--regression-margin", type=float, default=5.0, metavar="POINTS",
                      help="score drop that counts as a regression (default 5)")
    gate.add_argument("--max-regressions", type=int, default=0, metavar="N",
                      help="most regressed units against the baseline (default 0)")
    gate.add_argument("--github-annotations", action="store_true",
                      help="print ::error/::warning lines that GitHub Actions shows on the translation files")
    _add_report_options(gate)


def _add_serve(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="run the HTTP scoring service (FastAPI, uvicorn)",
                                description="Run the HTTP scoring service. Every setting can also come from "
                                "CONTRESENS_* environment variables (see the README).")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 "
                       "for all interfaces)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="worker processes, each with its own models (default 1)")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.add_argument("--no-preflight", action="store_true",
                       help="do not check that the model files exist before starting")
    _add_engine_options(serve)


def _add_terms(commands: argparse._SubParsersAction) -> None:
    terms = commands.add_parser("terms", help="glossary checks of a TSV file, JSON Lines out (no model)",
                                description="Check legal and agency terms of each row of a TSV file (header "
                                "row with id, source, translation) and write one JSON line per row.")
    terms.add_argument("input", metavar="INPUT.tsv")
    _add_glossary_options(terms)
    _add_term_policy_option(terms)


def _add_glossary(commands: argparse._SubParsersAction) -> None:
    glossary = commands.add_parser("glossary", help="browse, export and validate termbases",
                                   description="Browse, export and validate termbases.")
    actions = glossary.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="one line per concept")
    listing.add_argument("--domain", help="only this domain (court, prosecution, procedure, police, agency, ...)")
    show = actions.add_parser("show", help="every field of one concept")
    show.add_argument("concept", metavar="ID")
    export = actions.add_parser("export", help="write the glossary in use as TBX-Basic, CSV or TSV")
    export.add_argument("--format", choices=["tbx", "csv"], default="tbx")
    export.add_argument("--output", "-o", metavar="FILE", help="file to write (TBX: default standard output)")
    for sub in (listing, show, export):
        _add_glossary_options(sub)
    validate = actions.add_parser("validate", help="check termbase files and report the first problem of each")
    validate.add_argument("files", nargs="+", metavar="FILE")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="contresens", description="Check machine translations of French news into English."
    )
    parser.add_argument("--version", action="version", version=f"contresens {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_check(commands)
    _add_eval(commands)
    _add_gate(commands)
    _add_compare(commands)
    _add_serve(commands)
    _add_terms(commands)
    _add_glossary(commands)
    return parser


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    """The function behind a subcommand, imported on use so `--help` stays fast."""
    if name == "check":
        from eval.run_check import run_check

        return run_check
    if name == "compare":
        from eval.run_compare import run_compare

        return run_compare
    if name in ("eval", "gate"):
        from eval.run_eval import run_eval, run_gate

        return run_eval if name == "eval" else run_gate
    if name == "serve":
        from eval.run_serve import run_serve

        return run_serve
    if name == "terms":
        from eval.run_terms import run_terms

        return run_terms
    from eval.run_glossary import run_glossary

    return run_glossary


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: sys.argv[1:]) and return the exit code."""
    from service.translate import BackendUnavailableError, ModelUnavailableError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return int(exc.code or 0)
    try:
        return _command(args.command)(args)
    except (InputError, ModelUnavailableError, BackendUnavailableError, GlossaryFormatError) as exc:
        print(f"contresens: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
        print(f"contresens: error: invalid settings: {problems}", file=sys.stderr)
        return EXIT_USAGE


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
