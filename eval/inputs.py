"""Reading user input files: plain UTF-8 text and TSV units. Errors name the file, line and field."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REQUIRED_COLUMNS = ("id", "source", "translation")


class InputError(Exception):
    """A user-supplied file cannot be used; the message names the file, where, and the reason."""


@dataclass(frozen=True)
class Unit:
    """One translation unit: where it comes from, the source, its translation, maybe a reference."""

    id: str
    source: str
    translation: str
    reference: str | None
    location: str
    context: str = ""
    """Source text before the unit in its article, read by the names check but not checked
    (`Document.context`): the optional `context` field of TSV and JSON Lines input."""


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


def read_lines(path: str, what: str) -> Iterator[str]:
    """The lines of a UTF-8 file (line ends kept), read as they are needed, so memory does not grow
    with the file; an undecodable line raises InputError naming the file and the line."""
    try:
        with Path(path).open("rb") as stream:
            for number, raw in enumerate(stream, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    problem = f"not valid UTF-8 ({exc.reason} at byte {exc.start} of the line)"
                    raise InputError(f"{what} file {path}, line {number}: {problem}") from exc
                yield line
    except OSError as exc:
        raise InputError(f"{what} file {path}: {exc.strerror or exc}") from exc


def read_tsv_units(path: str) -> Iterator[Unit]:
    """Units of a tab-separated file with a header row naming `id`, `source`, `translation`
    (and optionally `reference` and `context`); fields are not quoted. Yields as it reads, line by line."""
    rows = csv.reader(read_lines(path, "input"), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(rows, None)
    if header is None:
        raise InputError(f"input file {path}: empty, expected a header row with {', '.join(REQUIRED_COLUMNS)}")
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(f"input file {path}, line 1: header lacks column(s) {', '.join(missing)}")
    index = {name: i for i, name in enumerate(header)}
    seen: dict[str, int] = {}
    for row in rows:
        line = rows.line_num
        if not any(field.strip() for field in row):
            continue
        if len(row) != len(header):
            raise InputError(f"input file {path}, line {line}: expected {len(header)} tab-separated fields, "
                             f"found {len(row)}")
        unit_id = row[index["id"]].strip()
        if not unit_id:
            raise InputError(f"input file {path}, line {line}, field 'id': empty")
        if unit_id in seen:
            raise InputError(f"input file {path}, line {line}, field 'id': {unit_id!r} already used on line "
                             f"{seen[unit_id]}")
        seen[unit_id] = line
        reference = row[index["reference"]] if "reference" in index else None
        context = row[index["context"]] if "context" in index else ""
        yield Unit(unit_id, row[index["source"]], row[index["translation"]], reference or None, f"{path}:{line}",
                   context)
