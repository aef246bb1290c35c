"""GitHub Actions workflow commands (`::error file=...,line=...::message`) for the gate's findings, so
they show on the changed lines of a pull request's translation files."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from eval.regressions import Regression

LEVELS = {"critical": "error", "major": "warning", "minor": "notice"}
_ORDER = {"critical": 0, "major": 1, "minor": 2}


def _data(text: str) -> str:
    """Escape a message as the runner expects (percent, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a property value: as a message, plus the separators ':' and ','."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def split_location(location: str, unit_id: str) -> tuple[str, int | None]:
    """(file, line) of a unit's location: `file:line`, or `file#id` where the format has no line."""
    if location.endswith(f"#{unit_id}"):
        return location[: -len(unit_id) - 1], None
    path, sep, line = location.rpartition(":")
    if sep and line.isdigit():
        return path, int(line)
    return location, None


def _relative(path: str) -> str:
    """The path relative to the working directory (the checkout) when inside it: GitHub wants that."""
    try:
        return Path(path).resolve().relative_to(Path(os.getcwd()).resolve()).as_posix()
    except ValueError:
        return path


def command(level: str, location: str, unit_id: str, title: str, message: str) -> str:
    """One workflow command line."""
    path, line = split_location(location, unit_id)
    props = f"file={_property(_relative(path))}" + (f",line={line}" if line else "")
    return f"::{level} {props},title={_property(title)}::{_data(message)}"


def _flag_message(record: dict[str, Any], flag: dict[str, Any]) -> str:
    text = f"unit {record['id']}: {flag.get('message', '')}"
    if flag.get("suggestion"):
        text += f" (suggestion: {flag['suggestion']})"
    return text


def workflow_commands(records: Sequence[dict[str, Any]], regressions: Sequence[Regression] = (),
                margin: float | None = None) -> Iterator[str]:
    """One line per flag (critical -> error, major -> warning, minor -> notice), most severe first, then
    one error per unit whose score fell by more than `margin` against the baseline."""
    flagged = [(record, flag) for record in records for flag in record.get("flags") or []]
    flagged.sort(key=lambda pair: _ORDER.get(str(pair[1].get("severity")), 3))
    for record, flag in flagged:
        severity = str(flag.get("severity", "minor"))
        yield command(LEVELS.get(severity, "notice"), str(record["location"]), str(record["id"]),
                      f"contresens {severity} {flag.get('rule', '')}", _flag_message(record, flag))
    for regression in regressions:
        if margin is not None and regression.score_drop > margin:
            record = regression.record
            yield command("error", str(record["location"]), str(record["id"]), "contresens regression",
                          f"unit {record['id']}: score fell from {regression.old_score:.1f} to "
                          f"{float(record['score']):.1f} against the baseline")
