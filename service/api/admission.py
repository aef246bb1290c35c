"""Admission control of the scoring routes: at most `limit` requests are checked at once; one more is
refused at once (`QueueFullError`, answered 503 with Retry-After) before it queues any model work.

A request is admitted or refused as a whole. The dynamic batchers bound their queues per model call,
but a request queues two calls on each model at once (`Checker.concurrent_model_calls`): refusing it
call by call could admit half of a request, spend model time on a request already answered 503, and
under a burst refuse every request while their first halves fill the queues. Admitting whole requests
here, and giving the batchers room for every call of the admitted ones, rules that out."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from service.batching import QueueFullError

CALLS_PER_MODEL = 2  # a request's calls queued on one model at once: generation and forced decoding


class Admission:
    """A count of the requests being checked, bounded by `limit`."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("the admission limit must be at least 1")
        self.limit = limit
        self._lock = threading.Lock()
        self._in_flight = 0

    @property
    def in_flight(self) -> int:
        """Requests admitted and not finished."""
        return self._in_flight

    @contextmanager
    def admit(self) -> Iterator[None]:
        """Hold one place while the block runs; `QueueFullError` at once when all are taken."""
        with self._lock:
            if self._in_flight >= self.limit:
                raise QueueFullError(f"{self._in_flight} requests are being checked (the limit)")
            self._in_flight += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
