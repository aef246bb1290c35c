"""`contresens terms`: glossary checks of a TSV of units, JSON Lines out, no model loaded."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from eval.inputs import read_tsv_units
from eval.settings_args import settings_from_args
from service.glossary.detector import TermDetector
from service.glossary.loading import glossary_for

TERM_FIELDS = ("rule", "severity", "concept", "source_text", "source_start", "source_end", "translation_text",
               "translation_start", "translation_end", "suggestion", "message", "confidence")


def run_terms(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """One JSON line per input row: its id and its term flags (under the settings' term policy), written
    as each row is checked."""
    out = out or sys.stdout
    settings = settings_from_args(args)
    detector = TermDetector(glossary_for(settings), policy=settings.term_policy)
    for unit in read_tsv_units(args.input):
        flags = detector.check(source=unit.source, translation=unit.translation)
        row = {"id": unit.id, "location": unit.location,
               "flags": [{k: getattr(f, k) for k in TERM_FIELDS} for f in flags]}
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
    return 0
