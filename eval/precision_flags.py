"""Checking many (source, translation) pairs once each, in parallel when no model runs.

`eval.precision` checks tens of thousands of segments: the WMT systems often agree with each other
and the French source repeats across systems, so each distinct pair is checked once, in an order
that keeps one source's pairs together (the checker's NER and sentence-split caches are then hit),
and rules-only runs are spread over worker processes, each with its own checker.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from tqdm import tqdm

from service.checker import Checker, Document
from service.config import Settings
from service.report import Report

Pair = tuple[str, str, str]
"""(source, translation, context): one checked line and the source before it in its article."""
CHUNK = 100  # documents per check_many call


@dataclass(frozen=True)
class FoundFlag:
    """What the benchmark keeps of one flag (the check is the flag's `type`)."""

    check: str
    rule: str
    severity: str
    source_text: str | None
    translation_text: str | None
    message: str
    reverse_span_logprob: float | None = None
    back_translation_has_span: bool | None = None

    @property
    def serious(self) -> bool:
        """Major or critical: the flags an editor must look at."""
        return self.severity in ("major", "critical")


def found_flags(report: Report) -> tuple[FoundFlag, ...]:
    """The flags of one report in the benchmark's form."""
    return tuple(FoundFlag(f.type, f.rule, f.severity, f.source_text, f.translation_text, f.message,
                           f.evidence.reverse_span_logprob if f.evidence else None,
                           f.evidence.back_translation_has_span if f.evidence else None) for f in report.flags)


_WORKER: Checker | None = None


def _start_worker(settings: Settings) -> None:
    global _WORKER
    _WORKER = Checker.rules_only(settings)


def _check_chunk(pairs: Sequence[Pair]) -> list[tuple[FoundFlag, ...]]:
    assert _WORKER is not None
    return [found_flags(r) for r in _WORKER.check_many([Document(s, t, None, c) for s, t, c in pairs])]


def _chunks(pairs: Sequence[Pair]) -> Iterator[Sequence[Pair]]:
    for start in range(0, len(pairs), CHUNK):
        yield pairs[start:start + CHUNK]


def check_pairs(pairs: Iterable[Pair], checker: Checker, *, settings: Settings, workers: int = 1,
                progress: bool = False) -> dict[Pair, tuple[FoundFlag, ...]]:
    """The flags of every distinct pair. A checker with models runs here; a rules-only one (built from
    `settings`) is spread over `workers` processes when there are more than one."""
    todo = sorted(set(pairs))
    results: dict[Pair, tuple[FoundFlag, ...]] = {}
    bar = tqdm(total=len(todo), unit="seg", disable=not progress, desc="checking")
    if checker.forward is not None or workers <= 1:
        for chunk in _chunks(todo):
            for pair, report in zip(chunk, checker.check_many([Document(s, t, None, c) for s, t, c in chunk])):
                results[pair] = found_flags(report)
            bar.update(len(chunk))
    else:
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers, initializer=_start_worker, initargs=(settings,)) as pool:
            for chunk, flags in zip(_chunks(todo), pool.imap(_check_chunk, _chunks(todo))):
                results.update(zip(chunk, flags))
                bar.update(len(chunk))
    bar.close()
    return results
