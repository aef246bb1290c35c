"""Termbases as CSV or TSV (the format of `corpora/glossary/*.csv`, see SCHEMA.md there).

Multi-valued fields separate their values with `|`. Optional columns take their defaults when absent
(a termbase without `check` is checked for renderings, as before the column existed). Reading
validates every row and names the file, line and field of the first problem; writing produces files
that read back identically.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from service.glossary.concept import Concept
from service.glossary.errors import GlossaryFormatError

COLUMNS = (
    "id", "domain", "french", "french_variants", "english_approved", "english_forbidden", "do_not_translate",
    "severity", "check", "context_exclude", "context_require", "note", "reference",
)
REQUIRED = ("id", "french", "english_approved")
_FIELD_OF = {  # Concept field -> column that holds it
    "id": "id", "domain": "domain", "french": "french", "approved": "english_approved",
    "forbidden": "english_forbidden", "do_not_translate": "do_not_translate", "severity": "severity",
    "check": "check", "context_exclude": "context_exclude", "context_require": "context_require", "note": "note",
    "reference": "reference",
}
_YES, _NO = {"yes", "true", "1", "y"}, {"no", "false", "0", "n", ""}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _delimiter(path: Path) -> str:
    return "\t" if path.suffix.lower() == ".tsv" else ","


def _concept(row: dict[str, str], path: str, line: int) -> Concept:
    dnt = (row.get("do_not_translate") or "").strip().lower()
    if dnt not in _YES | _NO:
        raise GlossaryFormatError(path, f"expected yes or no, got {dnt!r}", line=line, field="do_not_translate")
    data: dict[str, Any] = {
        "id": row["id"].strip(),
        "domain": (row.get("domain") or "other").strip() or "other",
        "french": _split(row["french"]) + _split(row.get("french_variants") or ""),
        "approved": _split(row["english_approved"]),
        "forbidden": _split(row.get("english_forbidden") or ""),
        "do_not_translate": dnt in _YES,
        "severity": (row.get("severity") or "major").strip() or "major",
        "check": (row.get("check") or "rendering").strip() or "rendering",
        "context_exclude": _split(row.get("context_exclude") or ""),
        "context_require": _split(row.get("context_require") or ""),
        "note": (row.get("note") or "").strip(),
        "reference": (row.get("reference") or "").strip(),
    }
    try:
        return Concept.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        column = _FIELD_OF.get(str(error["loc"][0]), str(error["loc"][0])) if error["loc"] else None
        raise GlossaryFormatError(path, error["msg"], line=line, field=column) from exc


def read_csv(path: str | Path) -> list[Concept]:
    """Concepts of a CSV (`.csv`) or TSV (`.tsv`) termbase with a header row."""
    source = Path(path)
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise GlossaryFormatError(str(path), exc.strerror or str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise GlossaryFormatError(str(path), f"not valid UTF-8 at byte {exc.start}") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_delimiter(source), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise GlossaryFormatError(str(path), f"malformed header: {exc}", line=1) from exc
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise GlossaryFormatError(str(path), f"header lacks column(s) {', '.join(missing)}", line=1)
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise GlossaryFormatError(str(path), f"unknown column(s) {', '.join(unknown)}", line=1)
    concepts: list[Concept] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row or any(v is None for v in row.values()):
                raise GlossaryFormatError(str(path), f"expected {len(header)} fields", line=line)
            if not any(v.strip() for v in row.values()):
                continue
            concept = _concept(row, str(path), line)
            if concept.id in seen:
                raise GlossaryFormatError(
                    str(path), f"id {concept.id!r} already used on line {seen[concept.id]}", line=line, field="id"
                )
            seen[concept.id] = line
            concepts.append(concept)
    except csv.Error as exc:
        raise GlossaryFormatError(str(path), f"malformed CSV: {exc}", line=reader.line_num) from exc
    return concepts


def write_csv(concepts: Iterable[Concept], path: str | Path) -> None:
    """Write concepts in the CSV/TSV layout `read_csv` reads."""
    target = Path(path)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=_delimiter(target), lineterminator="\n")
        writer.writerow(COLUMNS)
        for c in concepts:
            writer.writerow([
                c.id, c.domain, c.french[0], " | ".join(c.french[1:]), " | ".join(c.approved),
                " | ".join(c.forbidden), "yes" if c.do_not_translate else "no", c.severity, c.check,
                " | ".join(c.context_exclude), " | ".join(c.context_require), c.note, c.reference,
            ])
