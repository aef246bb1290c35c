"""Batch evaluation: units in, one result line per unit out, as they are computed; resumable.

The checker runs on each unit (with the models, or rules only). Results stream to the output;
with `resume`, units already in the output are skipped, so an interrupted run loses nothing
(a line torn by the interruption is dropped and computed again).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from eval.inputs import Unit
from eval.results import header_line, read_results, unit_record, write_record
from service.checker import Checker, Document

PROGRESS_EVERY_S = 10.0


def _tidy_for_resume(path: Path) -> None:
    """Rewrite a results file with its complete lines only (a torn last line goes)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line.strip() and _is_json(line)]
    path.write_text("".join(line + "\n" for line in kept), encoding="utf-8")


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except json.JSONDecodeError:
        return False
    return True


def _bar(stream: TextIO) -> Any:
    """A tqdm progress bar (count, rate, elapsed) on a terminal; None elsewhere (plain lines then)."""
    if not stream.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit=" units", file=stream, dynamic_ncols=True)


UNITS_PER_BATCH = 32


def _chunks(units: Iterable[Unit], skip: Collection[str], size: int) -> Iterator[list[Unit]]:
    chunk: list[Unit] = []
    for unit in units:
        if unit.id in skip:
            continue
        chunk.append(unit)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def evaluate(units: Iterable[Unit], checker: Checker, *, skip: Collection[str] = (),
             units_per_batch: int = UNITS_PER_BATCH) -> Iterator[dict[str, Any]]:
    """Result records of the units not in `skip`, in order. Units are checked `units_per_batch` at a
    time with shared model calls (short units batch together); records are yielded as each group is
    done, so an interrupted run recomputes at most one group."""
    size = units_per_batch if checker.forward is not None else 1  # rules only: nothing to batch
    for chunk in _chunks(units, skip, size):
        reports = checker.check_many([Document(u.source, u.translation, u.reference, u.context) for u in chunk])
        for unit, report in zip(chunk, reports, strict=True):
            yield unit_record(unit, report)


def run_to_file(units: Iterable[Unit], checker: Checker, output: str | None, *, resume: bool = False,
                keep: bool = True, progress: TextIO = sys.stderr) -> list[dict[str, Any]]:
    """Evaluate into `output` (standard output when None). Returns every unit record of the run, the
    resumed ones included, in output order, when `keep` (for reports and the gate); with
    `keep=False` nothing is held in memory and the list is empty. Shows a progress bar on a
    terminal, and a plain progress line every ten seconds otherwise."""
    path = Path(output) if output else None
    skip: set[str] = set()
    records: list[dict[str, Any]] = []
    write_header = True
    if path is not None and resume and path.exists():
        _tidy_for_resume(path)
        skip = {str(r["id"]) for r in read_results(str(path))}
        records = list(read_results(str(path))) if keep else []
        write_header = path.stat().st_size == 0
    out: TextIO = path.open("a" if skip or not write_header else "w", encoding="utf-8") if path else sys.stdout
    try:
        if write_header:
            out.write(header_line(checker.signature) + "\n")
        started = last = time.monotonic()
        bar = _bar(progress)
        for count, record in enumerate(evaluate(units, checker, skip=skip), start=1):
            write_record(out, record)
            if keep:
                records.append(record)
            if bar is not None:
                bar.update(1)
                continue
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY_S:
                print(f"contresens: {count} units done ({count / (now - started):.1f}/s)", file=progress)
                last = now
        if bar is not None:
            bar.close()
    finally:
        if path is not None:
            out.close()
    return records
