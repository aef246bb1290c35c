"""Dynamic batching: concurrent calls on one Translator coalesced into one model call.

The HTTP service runs each `Checker.check` in its own thread, and each check calls its models
once per document. Called directly, 32 concurrent one-sentence requests make 32 small model
calls that contend for the same CPU cores or GPU. A `DynamicBatcher` wraps a `Translator`
with the same `translate` / `score` interface: a call queues a request and waits on a future,
and one worker thread per batcher gathers the waiting requests of the same kind and decoding
options (for at most `max_wait_ms`, or until `max_batch_tokens` tokens are gathered), makes one
model call with all their items, and hands each caller its own results.

The Translator sorts its inputs by length and restores their order, so a request's results do
not depend on which other requests it was merged with (up to float rounding in `score`, whose
padding changes with the batch; see the tests). Only the worker thread touches the model.

Nothing here imports torch: the batcher only calls the wrapped translator.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from service.translate import ResolvedModel, TokenScores, Translator

log = logging.getLogger(__name__)

TRANSLATE = "translate"
SCORE = "score"
CHECK = "check"  # translate_and_score: a generation and the forced decoding of its draft
DECODER_CODES = ("auto", "plain", "draft", "shared")


class QueueFullError(RuntimeError):
    """The batcher's queue holds `max_queue` requests already; retry later (HTTP 503 + Retry-After)."""


class BatchTimeoutError(TimeoutError):
    """A request's results were not ready within its `timeout`."""


class BatcherClosedError(RuntimeError):
    """The batcher was closed; it takes no more requests."""


class BatchObserver(Protocol):
    """Receives the batcher's measurements (the HTTP layer feeds them to Prometheus).

    Methods are called from the worker thread (`on_batch`, and `on_queue_depth` when it takes
    requests) or from callers' threads (`on_queue_depth` when a request is queued or dropped),
    while the batcher holds its lock for `on_queue_depth`: they must be quick and must not call
    the batcher.
    """

    def on_batch(self, kind: str, requests: int, items: int, tokens: int, seconds: float) -> None:
        """One model call done: its kind, how many requests and items it merged, their token count
        and the seconds it took (failed calls included)."""
        ...

    def on_queue_depth(self, depth: int) -> None:
        """The number of queued requests changed to `depth`."""
        ...


@dataclass
class BatchStats:
    """Counters kept by the batcher itself, so merging can be checked without Prometheus.

    `requests_per_call[n]` is how many model calls merged n requests, `items_per_call[n]` how
    many calls held n items. `rejected` counts QueueFullErrors, `timeouts` BatchTimeoutErrors,
    `failed_calls` model calls that raised.
    """

    model_calls: int = 0
    requests: int = 0
    items: int = 0
    rejected: int = 0
    timeouts: int = 0
    failed_calls: int = 0
    requests_per_call: Counter[int] = field(default_factory=Counter)
    items_per_call: Counter[int] = field(default_factory=Counter)

    def copy(self) -> BatchStats:
        """An independent snapshot."""
        return BatchStats(
            self.model_calls, self.requests, self.items, self.rejected, self.timeouts, self.failed_calls,
            Counter(self.requests_per_call), Counter(self.items_per_call),
        )


def request_tokens(translator: Translator, sources: Sequence[str], targets: Sequence[str] | None = None) -> int:
    """What a request costs in the batch budget: source tokens for `translate`, and for `score` the
    longer side of each pair (the encoder reads the source, the decoder the target)."""
    if targets is None:
        return sum(translator._source_length(text) for text in sources)
    return sum(
        max(translator._source_length(source), translator._target_length(target))
        for source, target in zip(sources, targets)
    )


@dataclass(eq=False)
class _Request:
    """One caller's request: what to run and the future its results go to."""

    kind: str
    options: tuple[int, ...]  # (beam_size, max_length) for translate, () for score, (beam_size, max_length,
    # decoder code) for check: only equal ones merge
    sources: tuple[str, ...]
    targets: tuple[str, ...]  # empty for translate
    tokens: int
    enqueued: float
    future: concurrent.futures.Future[list[Any]] = field(default_factory=concurrent.futures.Future)

    @property
    def key(self) -> tuple[str, tuple[int, ...]]:
        return (self.kind, self.options)


class DynamicBatcher:
    """A Translator shared by many threads, whose concurrent calls are merged into model batches.

    `translate` and `score` take the Translator's arguments (plus `timeout`) and return the same
    results; every other attribute (`device`, `dtype`, `describe()`, `resolved`, ...) is the
    wrapped translator's, so a `Checker` can be given a batcher in place of a Translator.

    - `max_batch_tokens`: a batch stops growing when the next request would take it past this
      many tokens (a single larger request still runs, alone).
    - `max_wait_ms`: how long the oldest request may wait for others to join it. Under load the
      worker is busy with the previous batch and requests pile up meanwhile, so this only adds
      latency when the service is nearly idle.
    - `max_queue`: at most this many requests wait; one more raises `QueueFullError` at once.
    - `max_batch_size`: the `batch_size` given to the Translator for a merged call (it splits
      longer calls into batches of that many items).
    - `timeout`: seconds a call waits for its results when it gives no `timeout` of its own
      (None: as long as it takes). A `Checker` passes none, so this is how a service bounds them.
    - `enabled=False`: calls go straight to the translator in the caller's thread (the baseline
      for benchmarks), still counted in `stats` and reported to the observer.
    - `model_lock`: a lock shared with the other direction's batcher, so that one model call runs
      at a time; a batch then also takes in the requests that arrived while it waited for it.
    """

    def __init__(
        self,
        translator: Translator,
        *,
        max_batch_tokens: int = 4096,
        max_wait_ms: float = 5.0,
        max_queue: int = 256,
        enabled: bool = True,
        observer: BatchObserver | None = None,
        max_batch_size: int = 64,
        timeout: float | None = None,
        model_lock: threading.Lock | None = None,
    ) -> None:
        if max_batch_tokens < 1 or max_queue < 1 or max_batch_size < 1 or max_wait_ms < 0:
            raise ValueError("max_batch_tokens, max_queue and max_batch_size must be positive, max_wait_ms >= 0")
        if timeout is not None and timeout <= 0:
            raise ValueError("timeout must be positive (or None: wait as long as it takes)")
        self._translator = translator
        self.max_batch_tokens = max_batch_tokens
        self.max_wait = max_wait_ms / 1000.0
        self.max_queue = max_queue
        self.max_batch_size = max_batch_size
        self.enabled = enabled
        self.observer = observer
        self.timeout = timeout
        self.model_lock = model_lock
        self._queue: deque[_Request] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._stats = BatchStats()
        self._thread: threading.Thread | None = None
        if enabled:
            self._thread = threading.Thread(target=self._run, name=f"batcher-{translator.describe()}", daemon=True)
            self._thread.start()

    # -- the wrapped translator's attributes ------------------------------------------------

    @property
    def translator(self) -> Translator:
        """The wrapped Translator."""
        return self._translator

    @property
    def device(self) -> str:
        return self._translator.device

    @device.setter
    def device(self, value: str) -> None:
        self._translator.device = value

    @property
    def dtype(self) -> str:
        return self._translator.dtype

    @property
    def resolved(self) -> ResolvedModel:
        return self._translator.resolved

    @property
    def source_lang(self) -> str:
        return self._translator.source_lang

    @property
    def target_lang(self) -> str:
        return self._translator.target_lang

    @property
    def max_positions(self) -> int:
        return self._translator.max_positions

    def describe(self) -> str:
        """`name@revision` of the wrapped model: batching does not change results, so not the signature."""
        return self._translator.describe()

    def __getattr__(self, name: str) -> Any:
        """Anything else (`model`, `tokenizer`, `_source_length`, ...) is the wrapped translator's."""
        if name == "_translator":  # not set yet (e.g. during unpickling): avoid infinite recursion
            raise AttributeError(name)
        return getattr(self._translator, name)

    # -- public calls -----------------------------------------------------------------------

    def translate(
        self,
        texts: Sequence[str],
        *,
        beam_size: int = 4,
        max_length: int = 512,
        batch_size: int = 16,
        timeout: float | None = None,
    ) -> list[str]:
        """`Translator.translate`, merged with concurrent calls of the same `beam_size` and `max_length`.

        `batch_size` is only used with `enabled=False`; merged calls use `max_batch_size`.
        Raises `QueueFullError`, `BatchTimeoutError` after `timeout` seconds (default: the
        batcher's `timeout`; not enforced with `enabled=False`), `BatcherClosedError`, or whatever
        the model call raised.
        """
        sources = tuple(texts)
        if not self.enabled:
            self._check_open()
            tokens = request_tokens(self._translator, sources)
            return cast(
                "list[str]",
                self._direct(
                    TRANSLATE, len(sources), tokens,
                    lambda: self._translator.translate(
                        sources, beam_size=beam_size, max_length=max_length, batch_size=batch_size
                    ),
                ),
            )
        if not sources:
            return []
        request = _Request(TRANSLATE, (beam_size, max_length), sources, (), request_tokens(self._translator, sources),
                           time.monotonic())
        return cast("list[str]", self._submit(request, timeout))

    def score(
        self,
        *,
        sources: Sequence[str],
        targets: Sequence[str],
        batch_size: int = 16,
        timeout: float | None = None,
    ) -> list[TokenScores]:
        """`Translator.score`, merged with concurrent `score` calls.

        `batch_size` is only used with `enabled=False`. Raises `ValueError` at once when the
        lengths differ, and otherwise like `translate`.
        """
        if len(sources) != len(targets):
            raise ValueError(f"score() needs as many sources as targets, got {len(sources)} and {len(targets)}")
        pairs = (tuple(sources), tuple(targets))
        if not self.enabled:
            self._check_open()
            tokens = request_tokens(self._translator, *pairs)
            return cast(
                "list[TokenScores]",
                self._direct(
                    SCORE, len(pairs[0]), tokens,
                    lambda: self._translator.score(sources=pairs[0], targets=pairs[1], batch_size=batch_size),
                ),
            )
        if not pairs[0]:
            return []
        request = _Request(SCORE, (), pairs[0], pairs[1], request_tokens(self._translator, *pairs), time.monotonic())
        return cast("list[TokenScores]", self._submit(request, timeout))

    def translate_and_score(
        self,
        sources: Sequence[str],
        drafts: Sequence[str],
        *,
        beam_size: int = 4,
        max_length: int = 512,
        batch_size: int = 16,
        decoder: str = "auto",
        timeout: float | None = None,
    ) -> tuple[list[str], list[TokenScores]]:
        """`Translator.translate_and_score`, merged with concurrent calls of the same decoding options,
        so a merged call still encodes each text once. Raises like `translate`."""
        if len(sources) != len(drafts):
            raise ValueError(f"translate_and_score() needs as many drafts as sources, got {len(sources)} and "
                             f"{len(drafts)}")
        if decoder not in DECODER_CODES:
            raise ValueError(f"unknown decoder {decoder!r} (known: {', '.join(DECODER_CODES)})")
        pairs = (tuple(sources), tuple(drafts))
        if not self.enabled:
            self._check_open()
            tokens = request_tokens(self._translator, *pairs)
            results = self._direct(CHECK, len(pairs[0]), tokens, lambda: list(zip(*self._translator.translate_and_score(
                pairs[0], pairs[1], beam_size=beam_size, max_length=max_length, batch_size=batch_size,
                decoder=decoder))))
        elif not pairs[0]:
            return [], []
        else:
            request = _Request(CHECK, (beam_size, max_length, DECODER_CODES.index(decoder)), pairs[0], pairs[1],
                               request_tokens(self._translator, *pairs), time.monotonic())
            results = self._submit(request, timeout)
        return [text for text, _ in results], [scores for _, scores in results]

    @property
    def stats(self) -> BatchStats:
        """A snapshot of the counters."""
        with self._cond:
            return self._stats.copy()

    def queue_depth(self) -> int:
        """How many requests are waiting (not those in the running model call)."""
        with self._cond:
            return len(self._queue)

    def close(self, timeout: float | None = None) -> None:
        """Stop taking requests, let the worker finish those already queued, and wait for it to end
        (at most `timeout` seconds). Calling it again does nothing."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        """Whether the worker thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> DynamicBatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- callers' side ----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise BatcherClosedError("the batcher is closed")

    def _direct(self, kind: str, items: int, tokens: int, call: Callable[[], Sequence[Any]]) -> list[Any]:
        """Run `call` in the caller's thread (batching off), counting it like a batch of one."""
        start = time.perf_counter()
        failed = False
        try:
            return list(call())
        except Exception:
            failed = True
            raise
        finally:
            self._record(kind, 1, items, tokens, time.perf_counter() - start, failed)

    def _submit(self, request: _Request, timeout: float | None) -> list[Any]:
        """Queue `request` and wait for its results (at most `timeout` seconds, default the batcher's)."""
        if timeout is None:
            timeout = self.timeout
        with self._cond:
            self._check_open()
            if len(self._queue) >= self.max_queue:
                self._stats.rejected += 1
                raise QueueFullError(f"{len(self._queue)} requests are queued for {self._translator.describe()}")
            self._queue.append(request)
            self._depth_changed()
            self._cond.notify_all()
        try:
            return request.future.result(timeout)
        except concurrent.futures.TimeoutError:
            # not started: drop it from the queue; started: the worker finishes it and nobody reads it
            with self._cond:
                if request.future.cancel():
                    try:
                        self._queue.remove(request)
                    except ValueError:  # the worker popped it and will see it cancelled
                        pass
                    else:
                        self._depth_changed()
                        self._cond.notify_all()
                self._stats.timeouts += 1
            raise BatchTimeoutError(
                f"{request.kind} of {len(request.sources)} item(s) not done within {timeout} s"
            ) from None

    # -- worker's side ----------------------------------------------------------------------

    def _depth_changed(self) -> None:
        """Tell the observer the queue depth (called with the lock held)."""
        if self.observer is not None:
            try:
                self.observer.on_queue_depth(len(self._queue))
            except Exception:
                log.exception("batch observer failed")

    def _record(self, kind: str, requests: int, items: int, tokens: int, seconds: float, failed: bool) -> None:
        with self._cond:
            s = self._stats
            s.model_calls += 1
            s.requests += requests
            s.items += items
            s.failed_calls += failed
            s.requests_per_call[requests] += 1
            s.items_per_call[items] += 1
        if self.observer is not None:
            try:
                self.observer.on_batch(kind, requests, items, tokens, seconds)
            except Exception:
                log.exception("batch observer failed")

    def _select(self, first: _Request) -> tuple[list[_Request], bool]:
        """The queued requests that join `first`'s batch, oldest first, and whether the batch is full
        (the next one of its kind would pass `max_batch_tokens`). Called with the lock held."""
        batch: list[_Request] = []
        tokens = 0
        for request in self._queue:
            if request.key != first.key:
                continue
            if batch and tokens + request.tokens > self.max_batch_tokens:
                return batch, True
            batch.append(request)
            tokens += request.tokens
        return batch, tokens >= self.max_batch_tokens

    def _gather(self) -> list[_Request] | None:
        """Wait for the next batch: the oldest request and those that join it within its `max_wait`.
        None when the batcher is closed and its queue empty."""
        with self._cond:
            while True:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    return None
                first = self._queue[0]
                deadline = first.enqueued + self.max_wait
                batch, full = self._select(first)
                while not full and not self._closed and (remaining := deadline - time.monotonic()) > 0:
                    self._cond.wait(remaining)
                    if not self._queue or self._queue[0] is not first:
                        break  # `first` timed out and left: start over with the new oldest
                    batch, full = self._select(first)
                if not self._queue or self._queue[0] is not first:
                    continue
                for request in batch:
                    self._queue.remove(request)
                self._depth_changed()
                # a request cancelled after its caller's timeout is dropped here
                started = [r for r in batch if r.future.set_running_or_notify_cancel()]
                if started:
                    return started

    def _top_up(self, batch: list[_Request], linger: float) -> list[_Request]:
        """`batch` with the requests of its kind that came while it waited for the model lock, within
        the token budget, waiting up to `linger` seconds more for others: when the lock was busy, the
        requests of the call that just ended are about to arrive, and merging them now keeps the
        groups of concurrent requests from staying apart for the rest of their checks."""
        deadline = time.monotonic() + linger
        tokens = sum(r.tokens for r in batch)
        joined: list[_Request] = []
        with self._cond:
            while True:
                for request in list(self._queue):
                    if request.key != batch[0].key:
                        continue
                    if tokens + request.tokens > self.max_batch_tokens:
                        deadline = 0.0  # full
                        break
                    self._queue.remove(request)
                    tokens += request.tokens
                    if request.future.set_running_or_notify_cancel():
                        joined.append(request)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    break
                self._cond.wait(remaining)
            if joined:
                self._depth_changed()
        return batch + joined

    def _run(self) -> None:
        """The worker thread: batches until closed and drained. With a `model_lock` shared by the
        batchers of both directions, one model call runs at a time (on a CPU two calls at once only
        fight for the same cores), and a batch takes in what arrived while it waited for the lock."""
        while (batch := self._gather()) is not None:
            try:
                if self.model_lock is None:
                    self._execute(batch)
                else:
                    busy = not self.model_lock.acquire(blocking=False)
                    if busy:
                        self.model_lock.acquire()
                    try:
                        batch = self._top_up(batch, self.max_wait if busy else 0.0)
                        self._execute(batch)
                    finally:
                        self.model_lock.release()
            except BaseException as exc:  # never leave a caller waiting forever
                for request in batch:
                    if not request.future.done():
                        request.future.set_exception(exc)
                if not isinstance(exc, Exception):
                    raise
                log.exception("dynamic batcher: unexpected error")

    def _call(self, batch: list[_Request]) -> list[Any]:
        """One model call for all of `batch`'s items; its results in the same order."""
        first = batch[0]
        sources = [s for r in batch for s in r.sources]
        size = min(len(sources), self.max_batch_size)
        start = time.perf_counter()
        failed = False
        try:
            if first.kind == TRANSLATE:
                beam_size, max_length = first.options
                results: list[Any] = self._translator.translate(
                    sources, beam_size=beam_size, max_length=max_length, batch_size=size
                )
            elif first.kind == CHECK:
                beam_size, max_length, code = first.options
                drafts = [t for r in batch for t in r.targets]
                results = list(zip(*self._translator.translate_and_score(
                    sources, drafts, beam_size=beam_size, max_length=max_length, batch_size=size,
                    decoder=DECODER_CODES[code])))
            else:
                targets = [t for r in batch for t in r.targets]
                results = self._translator.score(sources=sources, targets=targets, batch_size=size)
            if len(results) != len(sources):
                raise RuntimeError(f"the model returned {len(results)} results for {len(sources)} items")
            return results
        except Exception:
            failed = True
            raise
        finally:
            tokens = sum(r.tokens for r in batch)
            self._record(first.kind, len(batch), len(sources), tokens, time.perf_counter() - start, failed)

    def _execute(self, batch: list[_Request]) -> None:
        """Run `batch` and set every request's future.

        When a merged call fails, its two halves are run again, down to single requests, so a
        request whose own input makes the model raise (a target holding a tokenizer special token,
        say) fails alone instead of failing everyone merged with it, at the cost of about 2·log2(n)
        extra calls rather than n. When the model itself is broken, every caller gets the
        exception raised by the call of its request alone.
        """
        try:
            results = self._call(batch)
        except Exception as exc:
            if len(batch) == 1:
                batch[0].future.set_exception(exc)
                return
            half = len(batch) // 2
            self._execute(batch[:half])
            self._execute(batch[half:])
            return
        offset = 0
        for request in batch:
            request.future.set_result(results[offset : offset + len(request.sources)])
            offset += len(request.sources)
