"""DynamicBatcher: concurrent calls merged into shared model calls, with the Translator's results.

The merging tests run the tiny MarianMT models; the queueing tests (queue full, timeouts, errors,
order, close) use `FakeTranslator`, a stand-in with Translator's call signatures that records its
calls and can hold one until the test releases it, so the queue fills deterministically.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from service.batching import (
    BatcherClosedError,
    BatchTimeoutError,
    DynamicBatcher,
    QueueFullError,
    request_tokens,
)
from service.checker import Checker
from service.config import Settings
from service.translate import TokenScores, Translator

SOURCES = [
    "Le parquet de Paris a ouvert une enquête préliminaire.",
    "Il a été placé en garde à vue mardi.",
    "Le juge d'instruction a ordonné une expertise.",
    "Trois personnes ont été interpellées.",
    "Mme Martin, 22 ans, a été mise en examen pour escroquerie en bande organisée.",
    "L'audience a été renvoyée au mois prochain.",
    "",
    "Son avocat a fait appel de la décision.",
]
TARGETS = [
    "The Paris prosecutor's office opened a preliminary investigation.",
    "He was taken into police custody on Tuesday.",
    "The investigating judge ordered an expert report.",
    "Three people were arrested.",
    "Ms Martin, 22, was placed under formal investigation for organised fraud.",
    "The hearing was adjourned until next month.",
    "",
    "His lawyer appealed against the decision.",
]
DECODING = {"beam_size": 1, "max_length": 8}  # short greedy decoding: the tiny model never stops early


class RecordingObserver:
    """A BatchObserver that keeps what it is told."""

    def __init__(self) -> None:
        self.batches: list[tuple[str, int, int, int, float]] = []
        self.depths: list[int] = []

    def on_batch(self, kind: str, requests: int, items: int, tokens: int, seconds: float) -> None:
        self.batches.append((kind, requests, items, tokens, seconds))

    def on_queue_depth(self, depth: int) -> None:
        self.depths.append(depth)


class Spy:
    """A real Translator whose calls are recorded: (kind, items, options, batch_size, thread name)."""

    def __init__(self, translator: Translator) -> None:
        self.inner = translator
        self.calls: list[tuple[str, list[str], tuple[int, ...], int, str]] = []

    def translate(self, texts: Sequence[str], *, beam_size: int = 4, max_length: int = 512,
                  batch_size: int = 16) -> list[str]:
        self.calls.append(("translate", list(texts), (beam_size, max_length), batch_size,
                           threading.current_thread().name))
        return self.inner.translate(texts, beam_size=beam_size, max_length=max_length, batch_size=batch_size)

    def score(self, *, sources: Sequence[str], targets: Sequence[str], batch_size: int = 16) -> list[TokenScores]:
        self.calls.append(("score", list(sources), (), batch_size, threading.current_thread().name))
        return self.inner.score(sources=sources, targets=targets, batch_size=batch_size)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class FakeTranslator:
    """Stand-in with Translator's call signatures: translations echo the input and the options, scores
    give each target one "token" per word. Every call is recorded, and waits while `gate` is clear;
    `entered` is set once a call has started. A text equal to `poison`, or any text while `broken`,
    makes the call raise ValueError."""

    device = "cpu"
    dtype = "float32"
    source_lang = "fr"
    target_lang = "en"
    max_positions = 512

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str], tuple[int, ...], int]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()
        self.broken = False
        self.poison = "poison"

    def describe(self) -> str:
        return "fake@0"

    def _source_length(self, text: str) -> int:
        return len(text.split()) + 1

    def _target_length(self, text: str) -> int:
        return len(text.split()) + 1

    def _enter(self, kind: str, texts: Sequence[str], options: tuple[int, ...], batch_size: int) -> None:
        self.calls.append((kind, list(texts), options, batch_size))
        self.entered.set()
        assert self.gate.wait(10), "the test never released the gate"
        if self.broken or self.poison in texts:
            raise ValueError("model exploded")

    def translate(self, texts: Sequence[str], *, beam_size: int = 4, max_length: int = 512,
                  batch_size: int = 16) -> list[str]:
        self._enter("translate", texts, (beam_size, max_length), batch_size)
        return [f"{t}|b{beam_size}|m{max_length}" for t in texts]

    def score(self, *, sources: Sequence[str], targets: Sequence[str], batch_size: int = 16) -> list[TokenScores]:
        self._enter("score", sources, (), batch_size)
        return [TokenScores(t, tuple(t.split()), tuple(-1.0 for _ in t.split()), ()) for t in targets]


def wait_until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.002)


def hold_worker(fake: FakeTranslator, batcher: DynamicBatcher, pool: ThreadPoolExecutor) -> Future[list[str]]:
    """Start a call that keeps the worker busy inside the model until `fake.gate` is set."""
    fake.gate.clear()
    fake.entered.clear()
    blocker = pool.submit(batcher.translate, ["blocker"])
    assert fake.entered.wait(5)
    return blocker


def queue_in_order(batcher: DynamicBatcher, pool: ThreadPoolExecutor, texts: Sequence[str],
                   **options: int) -> list[Future[list[str]]]:
    """Queue one `translate([text])` per text, each after the previous one is queued (the worker is held)."""
    futures = []
    for text in texts:
        futures.append(pool.submit(batcher.translate, [text], **options))
        wait_until(lambda: batcher.queue_depth() == len(futures))
    return futures


def concurrently(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run `calls` in as many threads released together; their results (or exceptions) in order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        barrier.wait()
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - returned for the test to inspect
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture(scope="module")
def direct_singles(fr_en: Translator) -> list[str]:
    """Each sentence translated alone, straight through the Translator."""
    return [fr_en.translate([s], **DECODING)[0] for s in SOURCES]


def same_scores(got: Sequence[TokenScores], expected: Sequence[TokenScores]) -> None:
    """Same tokens and spans; log-probabilities equal up to float rounding (padding differs between
    batch compositions, which moves the last digits)."""
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert (g.text, g.pieces, g.spans) == (e.text, e.pieces, e.spans)
        assert g.logprobs == pytest.approx(e.logprobs, abs=1e-5)


# -- merging, with the tiny model --------------------------------------------------------------


def test_32_concurrent_translations_share_a_few_model_calls(fr_en: Translator, direct_singles: list[str]) -> None:
    observer = RecordingObserver()
    with DynamicBatcher(fr_en, max_wait_ms=200, observer=observer) as batcher:
        texts = [SOURCES[i % len(SOURCES)] for i in range(32)]
        results = concurrently([lambda t=t: batcher.translate([t], **DECODING) for t in texts])
        stats = batcher.stats
    assert results == [[direct_singles[i % len(SOURCES)]] for i in range(32)]
    assert 1 <= stats.model_calls <= 4
    assert stats.requests == stats.items == 32
    assert sum(n * count for n, count in stats.requests_per_call.items()) == 32
    assert max(stats.requests_per_call) >= 8
    # the observer saw the same calls, with their token counts
    assert len(observer.batches) == stats.model_calls
    assert all(kind == "translate" and seconds >= 0 for kind, _, _, _, seconds in observer.batches)
    assert sum(b[1] for b in observer.batches) == sum(b[2] for b in observer.batches) == 32
    assert sum(b[3] for b in observer.batches) == request_tokens(fr_en, texts)
    assert max(observer.depths) > 1 and observer.depths[-1] == 0


def test_merged_scores_equal_direct_ones_in_request_order(fr_en: Translator) -> None:
    spy = Spy(fr_en)
    requests = [(SOURCES[0:3], TARGETS[0:3]), (SOURCES[3:8][::-1], TARGETS[3:8][::-1]), ([SOURCES[1]], [TARGETS[1]])]
    with DynamicBatcher(spy, max_wait_ms=300) as batcher:
        results = concurrently([lambda s=s, t=t: batcher.score(sources=s, targets=t) for s, t in requests])
        stats = batcher.stats
    assert stats.model_calls < len(requests)  # merged
    assert all(batch_size <= 64 for *_, batch_size, _ in spy.calls)
    for (sources, targets), got in zip(requests, results):
        same_scores(got, fr_en.score(sources=sources, targets=targets))
        assert [r.text for r in got] == targets


def test_different_decoding_options_and_kinds_are_not_merged(fr_en: Translator, direct_singles: list[str]) -> None:
    spy = Spy(fr_en)
    jobs: list[tuple[str, int, int]] = [(kind, i, beam) for i in range(3) for kind, beam in
                                        (("translate", 1), ("translate", 2), ("score", 0))]
    with DynamicBatcher(spy, max_wait_ms=300) as batcher:
        results = concurrently([
            (lambda i=i: batcher.score(sources=[SOURCES[i]], targets=[TARGETS[i]])) if kind == "score"
            else (lambda i=i, beam=beam: batcher.translate([SOURCES[i]], beam_size=beam, max_length=8))
            for kind, i, beam in jobs
        ])
    for (kind, i, beam), got in zip(jobs, results):
        if kind == "score":
            same_scores(got, fr_en.score(sources=[SOURCES[i]], targets=[TARGETS[i]]))
        elif beam == 1:
            assert got == [direct_singles[i]]
        else:
            assert got == fr_en.translate([SOURCES[i]], beam_size=2, max_length=8)
    # every model call holds one kind with one set of options, and each request went to the matching one
    sent: dict[tuple[str, tuple[int, ...]], list[str]] = {}
    for kind, texts, options, _, thread in spy.calls:
        assert thread.startswith("batcher-")
        sent.setdefault((kind, options), []).extend(texts)
    assert {k: sorted(v) for k, v in sent.items()} == {
        ("translate", (1, 8)): sorted(SOURCES[:3]),
        ("translate", (2, 8)): sorted(SOURCES[:3]),
        ("score", ()): sorted(SOURCES[:3]),
    }
    assert len(spy.calls) <= 6


def test_checker_with_batchers_reports_what_it_does_with_translators(
        fr_en: Translator, en_fr: Translator, tiny_models: dict[str, Path]) -> None:
    settings = Settings(forward_model=str(tiny_models["fr-en"]), backward_model=str(tiny_models["en-fr"]),
                        device="cpu", beam_size=1, max_length=8)
    source, translation = " ".join(SOURCES[:3]), " ".join(TARGETS[:3])
    plain = Checker(forward=fr_en, backward=en_fr, settings=settings).check(source=source, translation=translation)
    forward, backward = DynamicBatcher(fr_en, max_wait_ms=100), DynamicBatcher(en_fr, max_wait_ms=100)
    try:
        checker = Checker(forward=forward, backward=backward, settings=settings)
        reports = concurrently([lambda: checker.check(source=source, translation=translation)] * 3)
        assert forward.stats.model_calls < 6  # 3 documents x (translate + score), merged
    finally:
        forward.close()
        backward.close()
    assert checker.signature == Checker(forward=fr_en, backward=en_fr, settings=settings).signature
    for report in reports:
        assert report.signature == plain.signature
        assert len(report.segments) == len(plain.segments)
        for got, expected in zip(report.segments, plain.segments):
            assert (got.back_translation, got.pseudo_reference) == (expected.back_translation,
                                                                     expected.pseudo_reference)
            assert got.signals is not None and expected.signals is not None
            assert got.signals.forward_logprob == pytest.approx(expected.signals.forward_logprob, abs=1e-5)
            assert got.signals.backward_logprob == pytest.approx(expected.signals.backward_logprob, abs=1e-5)


def test_attributes_are_the_translators(fr_en: Translator) -> None:
    batcher = DynamicBatcher(fr_en, enabled=False)
    assert batcher.translator is fr_en
    assert (batcher.device, batcher.dtype, batcher.describe()) == (fr_en.device, fr_en.dtype, fr_en.describe())
    assert (batcher.source_lang, batcher.target_lang, batcher.max_positions) == ("fr", "en", fr_en.max_positions)
    assert batcher.resolved is fr_en.resolved
    assert batcher.tokenizer is fr_en.tokenizer  # anything else, through __getattr__
    assert batcher._source_length(SOURCES[0]) == fr_en._source_length(SOURCES[0])
    with pytest.raises(AttributeError):
        batcher.no_such_attribute  # noqa: B018
    assert batcher.translate([]) == [] and batcher.score(sources=[], targets=[]) == []
    with pytest.raises(ValueError, match="as many sources as targets"):
        batcher.score(sources=["a"], targets=[])


# -- queueing, with the stand-in ---------------------------------------------------------------


def test_oldest_request_goes_first_and_gathers_its_kind() -> None:
    fake = FakeTranslator()
    with DynamicBatcher(fake, max_wait_ms=0) as batcher, ThreadPoolExecutor(6) as pool:
        blocker = hold_worker(fake, batcher, pool)
        futures = []
        for text, beam in (("a", 1), ("b", 2), ("c", 1), ("d", 2), ("e", 1)):
            futures.append(pool.submit(batcher.translate, [text], beam_size=beam, max_length=5))
            wait_until(lambda: batcher.queue_depth() == len(futures))
        fake.gate.set()
        assert blocker.result(5) == ["blocker|b4|m512"]
        assert [f.result(5) for f in futures] == [[f"{t}|b{b}|m5"] for t, b in
                                                   (("a", 1), ("b", 2), ("c", 1), ("d", 2), ("e", 1))]
    assert [(texts, options, size) for _, texts, options, size in fake.calls[1:]] == [
        (["a", "c", "e"], (1, 5), 3),
        (["b", "d"], (2, 5), 2),
    ]


def test_token_budget_caps_a_batch() -> None:
    fake = FakeTranslator()
    # each one-word text costs 2 tokens: a budget of 5 takes two requests per call
    with DynamicBatcher(fake, max_wait_ms=0, max_batch_tokens=5) as batcher, \
            ThreadPoolExecutor(6) as pool:
        hold_worker(fake, batcher, pool)
        futures = queue_in_order(batcher, pool, "abcde")
        fake.gate.set()
        assert [f.result(5)[0][0] for f in futures] == list("abcde")
        assert batcher.stats.requests_per_call == {1: 2, 2: 2}
    assert [texts for _, texts, _, _ in fake.calls[1:]] == [["a", "b"], ["c", "d"], ["e"]]


def test_full_queue_is_refused_at_once() -> None:
    fake = FakeTranslator()
    with DynamicBatcher(fake, max_wait_ms=0, max_queue=2) as batcher, \
            ThreadPoolExecutor(4) as pool:
        blocker = hold_worker(fake, batcher, pool)  # in the model: not counted as queued
        queued = [pool.submit(batcher.translate, [t]) for t in ("x", "y")]
        wait_until(lambda: batcher.queue_depth() == 2)
        start = time.monotonic()
        with pytest.raises(QueueFullError):
            batcher.translate(["z"])
        with pytest.raises(QueueFullError):
            batcher.score(sources=["z"], targets=["z"])
        assert time.monotonic() - start < 1
        fake.gate.set()
        assert blocker.result(5) and [f.result(5) for f in queued] == [["x|b4|m512"], ["y|b4|m512"]]
        assert batcher.stats.rejected == 2
        assert batcher.translate(["z"]) == ["z|b4|m512"]  # room again


def test_timeout_drops_a_waiting_request_and_spares_the_worker() -> None:
    fake = FakeTranslator()
    observer = RecordingObserver()
    with DynamicBatcher(fake, max_wait_ms=0, observer=observer) as batcher, \
            ThreadPoolExecutor(2) as pool:
        blocker = hold_worker(fake, batcher, pool)
        # queued behind the blocker: times out and leaves the queue
        with pytest.raises(BatchTimeoutError):
            batcher.translate(["late"], timeout=0.1)
        assert batcher.queue_depth() == 0 and observer.depths[-1] == 0
        fake.gate.set()
        assert blocker.result(5)
        # times out while its model call runs: the worker finishes that call and goes on
        fake.gate.clear()
        fake.entered.clear()
        with pytest.raises(TimeoutError):  # BatchTimeoutError is a TimeoutError
            batcher.score(sources=["slow"], targets=["slow one"], timeout=0.1)
        assert fake.entered.is_set()
        fake.gate.set()
        assert batcher.translate(["after"], timeout=5) == ["after|b4|m512"]
        assert batcher.stats.timeouts == 2
    assert [texts for _, texts, _, _ in fake.calls] == [["blocker"], ["slow"], ["after"]]  # "late" never ran


def test_batcher_timeout_applies_to_calls_without_one() -> None:
    fake = FakeTranslator()
    with DynamicBatcher(fake, max_wait_ms=0, timeout=0.1) as batcher, \
            ThreadPoolExecutor(1) as pool:
        fake.gate.clear()
        first = pool.submit(batcher.translate, ["first"], timeout=5)
        assert fake.entered.wait(5)
        with pytest.raises(BatchTimeoutError):
            batcher.translate(["second"])
        fake.gate.set()
        assert first.result(5) == ["first|b4|m512"]


def test_model_error_reaches_every_caller_of_the_batch_and_the_worker_survives() -> None:
    fake = FakeTranslator()
    with DynamicBatcher(fake, max_wait_ms=0) as batcher, ThreadPoolExecutor(4) as pool:
        blocker = hold_worker(fake, batcher, pool)
        futures = queue_in_order(batcher, pool, ("a", "b", "c"))
        fake.broken = True
        fake.gate.set()
        with pytest.raises(ValueError, match="model exploded"):
            blocker.result(5)
        for future in futures:
            with pytest.raises(ValueError, match="model exploded"):
                future.result(5)
        assert batcher.running
        fake.broken = False
        assert batcher.translate(["d"]) == ["d|b4|m512"]
        assert batcher.stats.failed_calls >= 2


def test_a_request_that_breaks_the_model_fails_alone() -> None:
    fake = FakeTranslator()
    with DynamicBatcher(fake, max_wait_ms=0) as batcher, ThreadPoolExecutor(4) as pool:
        hold_worker(fake, batcher, pool)
        futures = queue_in_order(batcher, pool, ("ok", "poison", "fine"))
        fake.gate.set()
        assert futures[0].result(5) == ["ok|b4|m512"] and futures[2].result(5) == ["fine|b4|m512"]
        with pytest.raises(ValueError, match="model exploded"):
            futures[1].result(5)
        stats = batcher.stats
    # the merged call failed, then its halves ran, down to the request that breaks the model
    assert [texts for _, texts, _, _ in fake.calls[1:]] == [
        ["ok", "poison", "fine"], ["ok"], ["poison", "fine"], ["poison"], ["fine"]]
    assert stats.failed_calls == 3


def test_disabled_batcher_calls_straight_through(fr_en: Translator, direct_singles: list[str]) -> None:
    spy = Spy(fr_en)
    observer = RecordingObserver()
    batcher = DynamicBatcher(spy, enabled=False, observer=observer)
    assert not batcher.running
    assert batcher.translate(SOURCES[:2], batch_size=1, **DECODING) == direct_singles[:2]
    same_scores(batcher.score(sources=SOURCES[:2], targets=TARGETS[:2], batch_size=3),
                fr_en.score(sources=SOURCES[:2], targets=TARGETS[:2]))
    me = threading.current_thread().name
    assert [(kind, size, thread) for kind, _, _, size, thread in spy.calls] == [("translate", 1, me), ("score", 3, me)]
    assert [(kind, requests, items) for kind, requests, items, _, _ in observer.batches] == [
        ("translate", 1, 2), ("score", 1, 2)]
    assert batcher.stats.model_calls == 2
    batcher.close()
    with pytest.raises(BatcherClosedError):
        batcher.translate(["x"])


def test_close_finishes_queued_requests_then_stops_the_thread() -> None:
    fake = FakeTranslator()
    batcher = DynamicBatcher(fake, max_wait_ms=0)
    assert batcher.running
    with ThreadPoolExecutor(3) as pool:
        blocker = hold_worker(fake, batcher, pool)
        queued = pool.submit(batcher.translate, ["queued"])
        wait_until(lambda: batcher.queue_depth() == 1)
        closing = pool.submit(batcher.close)
        wait_until(lambda: batcher._closed)
        with pytest.raises(BatcherClosedError):
            batcher.translate(["too late"])
        fake.gate.set()
        closing.result(5)
        assert blocker.result(5) and queued.result(5) == ["queued|b4|m512"]
    assert not batcher.running
    batcher.close()  # again: nothing to do
    with DynamicBatcher(fake) as other:
        assert other.running
    assert not other.running


def test_shared_model_lock_runs_one_call_at_a_time_and_tops_up_batches() -> None:
    lock = threading.Lock()
    fake = FakeTranslator()
    observer = RecordingObserver()
    batcher = DynamicBatcher(fake, max_wait_ms=0.0, model_lock=lock, observer=observer)  # type: ignore[arg-type]
    try:
        with ThreadPoolExecutor(6) as pool:
            lock.acquire()  # the other direction's model call is running
            try:
                futures = [pool.submit(batcher.translate, ["t0"], beam_size=1, max_length=8)]
                wait_until(lambda: observer.depths == [1, 0])  # queued, then gathered by the worker
                time.sleep(0.05)  # the worker now waits for the lock with its batch of one
                futures += [pool.submit(batcher.translate, [f"t{i}"], beam_size=1, max_length=8) for i in range(1, 6)]
                wait_until(lambda: batcher.queue_depth() == 5)
                time.sleep(0.1)
                assert fake.calls == []  # nothing reaches the model while the lock is held elsewhere
            finally:
                lock.release()
            results = [f.result(timeout=10) for f in futures]
        assert results == [fake.translate([f"t{i}"], beam_size=1, max_length=8) for i in range(6)]
        merged = [call for call in fake.calls[:-6] if call[0] == "translate"]
        assert len(merged) == 1 and sorted(merged[0][1]) == [f"t{i}" for i in range(6)]  # one call for all six
    finally:
        batcher.close()
