"""`contresens glossary list|show|export|validate`: browse, convert and check termbases."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from eval.settings_args import settings_from_args
from service.glossary.concept import Concept, Glossary
from service.glossary.csv_format import write_csv
from service.glossary.errors import GlossaryFormatError
from service.glossary.loading import glossary_for, read_concepts
from service.glossary.tbx_format import to_tbx


def _list(glossary: Glossary, args: argparse.Namespace, out: TextIO) -> int:
    concepts = [c for c in glossary if not args.domain or c.domain == args.domain]
    for c in concepts:
        dnt = " [keep]" if c.do_not_translate else ""
        out.write(f"{c.id:<40} {c.domain:<12} {c.term} -> {c.approved[0]}{dnt}\n")
    out.write(f"{len(concepts)} concepts, checksum {glossary.checksum}\n")
    return 0


def _show(glossary: Glossary, args: argparse.Namespace, out: TextIO) -> int:
    if args.concept not in glossary:
        print(f"contresens: error: no concept {args.concept!r} (see `contresens glossary list`)", file=sys.stderr)
        return 2
    c: Concept = glossary.get(args.concept)
    lines = [
        f"id: {c.id}", f"domain: {c.domain}", f"french: {' | '.join(c.french)}",
        f"approved: {' | '.join(c.approved)}", f"forbidden: {' | '.join(c.forbidden) or '-'}",
        f"do not translate: {'yes' if c.do_not_translate else 'no'}", f"severity: {c.severity}",
        f"context exclude: {' | '.join(c.context_exclude) or '-'}",
        f"context require: {' | '.join(c.context_require) or '-'}", f"note: {c.note or '-'}",
        f"reference: {c.reference or '-'}",
    ]
    out.write("\n".join(lines) + "\n")
    return 0


def _export(glossary: Glossary, args: argparse.Namespace, out: TextIO) -> int:
    if args.format == "tbx":
        data = to_tbx(glossary)
        if args.output:
            Path(args.output).write_bytes(data)
        else:
            out.write(data.decode("utf-8"))
        return 0
    if not args.output:
        print("contresens: error: CSV/TSV export needs --output FILE (.csv or .tsv)", file=sys.stderr)
        return 2
    write_csv(glossary, args.output)
    return 0


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    status = 0
    for path in args.files:
        try:
            concepts = read_concepts(path)
            Glossary(concepts, name=path)
        except (GlossaryFormatError, ValueError) as exc:
            print(f"{exc}", file=sys.stderr)
            status = 2
            continue
        out.write(f"{path}: OK, {len(concepts)} concepts, checksum {Glossary(concepts).checksum}\n")
    return status


def run_glossary(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Dispatch the glossary subcommand."""
    out = out or sys.stdout
    if args.action == "validate":
        return _validate(args, out)
    glossary = glossary_for(settings_from_args(args))
    return {"list": _list, "show": _show, "export": _export}[args.action](glossary, args, out)
