"""Reading translation units from corpus files: TSV and JSON Lines (more formats to come).

Every unit keeps where it came from (`file:line`) so that each result points back to the text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from eval.inputs import InputError, Unit, read_text, read_tsv_units

FORMATS = ("auto", "tsv", "jsonl")


def detect_format(path: str) -> str:
    """The format of a file from its extension (.tsv, .jsonl or .ndjson)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".tsv", ".tab"):
        return "tsv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise InputError(f"input file {path}: cannot tell the format from the extension {suffix or '(none)'!r}; "
                     "use --format tsv or --format jsonl")


def read_jsonl_units(path: str) -> Iterator[Unit]:
    """Units of a JSON Lines file: one object per line with `id`, `source`, `translation`, optional `reference`."""
    seen: dict[str, int] = {}
    for number, line in enumerate(read_text(path, "input").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problem = f"not valid JSON ({exc.msg} at column {exc.colno})"
            raise InputError(f"input file {path}, line {number}: {problem}") from exc
        if not isinstance(record, dict):
            raise InputError(f"input file {path}, line {number}: expected a JSON object")
        for key in ("id", "source", "translation"):
            if not isinstance(record.get(key), str if key != "id" else (str, int)):
                raise InputError(f"input file {path}, line {number}, field {key!r}: missing or not a string")
        unit_id = str(record["id"])
        if unit_id in seen:
            raise InputError(f"input file {path}, line {number}, field 'id': {unit_id!r} already used on line "
                             f"{seen[unit_id]}")
        seen[unit_id] = number
        reference = record.get("reference")
        if reference is not None and not isinstance(reference, str):
            raise InputError(f"input file {path}, line {number}, field 'reference': not a string")
        yield Unit(unit_id, record["source"], record["translation"], reference or None, f"{path}:{number}")


def read_units(paths: Sequence[str], fmt: str = "auto") -> Iterator[Unit]:
    """Units of all the files, in order; `fmt` forces one format for all of them."""
    for path in paths:
        kind = detect_format(path) if fmt == "auto" else fmt
        yield from (read_tsv_units(path) if kind == "tsv" else read_jsonl_units(path))
