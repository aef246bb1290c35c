"""Results as JSON Lines: a header line with the signature, then one line per unit, written as
they are computed (flushed), and read back for `--resume` and for the gate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from eval.inputs import InputError, Unit
from service import __version__
from service.report import Report

UNIT_FIELDS = ("id", "location", "score", "verdict", "flags")


def header_line(signature: str) -> str:
    """The first line of a results file."""
    return json.dumps({"contresens": __version__, "signature": signature}, ensure_ascii=False)


def unit_record(unit: Unit, report: Report) -> dict[str, Any]:
    """What one unit's line holds: where it is, its score, verdict, flags and segments."""
    return {
        "id": unit.id,
        "location": unit.location,
        "score": report.score,
        "verdict": report.verdict,
        "flags": [flag.model_dump(exclude_none=True) for flag in report.flags],
        "segments": [
            {"index": s.index, "alignment": s.alignment, "score": s.score, "verdict": s.verdict,
             "back_translation": s.back_translation}
            for s in report.segments
        ],
    }


def write_record(out: TextIO, record: dict[str, Any]) -> None:
    """Append one line and flush, so an interrupted run keeps everything written so far."""
    out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()


def read_header(path: str) -> dict[str, Any] | None:
    """The header line of a results file (version and signature), or None when it has none."""
    try:
        with Path(path).open(encoding="utf-8") as stream:
            first = stream.readline()
    except OSError as exc:
        raise InputError(f"results file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"results file {path}, line 1: not valid UTF-8 ({exc.reason})") from exc
    try:
        record = json.loads(first)
    except json.JSONDecodeError:
        return None
    return record if isinstance(record, dict) and "signature" in record and "id" not in record else None


def read_results(path: str) -> Iterator[dict[str, Any]]:
    """Unit records of a results file (the header line is skipped; a torn last line is ignored).
    A line that is not a unit record with an id and a numeric score is an error naming the line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"results file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"results file {path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            if number == len(lines):  # the line being written when the run was stopped
                return
            raise InputError(f"results file {path}, line {number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise InputError(f"results file {path}, line {number}: expected a JSON object")
        if "id" not in record:
            continue  # the header line
        if isinstance(record.get("score"), bool) or not isinstance(record.get("score"), (int, float)):
            raise InputError(f"results file {path}, line {number}, field 'score': missing or not a number")
        yield record
