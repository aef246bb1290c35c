"""One CSV row per flag (and one per unit without flags) of `contresens eval` results."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

COLUMNS = ("id", "location", "score", "verdict", "type", "rule", "severity",
           "source_text", "translation_text", "suggestion", "message", "signature")


def render_csv(records: Sequence[dict[str, Any]], signature: str) -> str:
    """A header row, then the rows; the signature is repeated on every row in its own column."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        unit = {"id": record.get("id", ""), "location": record.get("location", ""),
                "score": record.get("score", ""), "verdict": record.get("verdict", ""), "signature": signature}
        flags = record.get("flags") or []
        if not flags:
            writer.writerow(unit)
        for flag in flags:
            row = dict(unit)
            for key in ("type", "rule", "severity", "source_text", "translation_text", "suggestion", "message"):
                value = flag.get(key)
                row[key] = "" if value is None else value
            writer.writerow(row)
    return buffer.getvalue()
