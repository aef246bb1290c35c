"""The translation cache: keys, the LRU, the SQLite file (persistence, rebuilds, concurrency) and
CachedModel (only misses reach the model, results unchanged).

Caching tests use `StandInModel`, which has Translator's `translate` / `score` signatures
(checked against the real class), returns real TokenScores and records its calls. One test
runs the tiny MarianMT model and compares cached results with uncached ones exactly.
"""

from __future__ import annotations

import inspect
import json
import logging
import multiprocessing
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from service.cache import (
    ENV_PATH,
    FILE_NAME,
    SCHEMA_VERSION,
    CachedModel,
    TranslationCache,
    cache_key,
    decode_scores,
    default_cache_path,
    encode_scores,
)
from service.translate import ResolvedModel, TokenScores, Translator


class StandInModel:
    """A model with Translator's call signatures and attributes; deterministic, records its calls."""

    def __init__(self, *, revision: str = "r1", backend: str = "fp32", dtype: str = "float32",
                 device: str = "cpu") -> None:
        self.resolved = ResolvedModel(name="stand-in/fr-en", path=Path("/nowhere"), revision=revision)
        self.backend = backend
        self.device = device
        self._dtype = dtype
        self.source_lang, self.target_lang, self.max_positions = "fr", "en", 512
        self.calls: list[tuple[str, list[object], dict[str, int]]] = []

    @property
    def dtype(self) -> str:
        return self._dtype

    def describe(self) -> str:
        return f"{self.resolved.name}@{self.resolved.revision}"

    def translate(
        self, texts: Sequence[str], *, beam_size: int = 4, max_length: int = 512, batch_size: int = 16
    ) -> list[str]:
        self.calls.append(("translate", list(texts), {"beam_size": beam_size, "max_length": max_length,
                                                      "batch_size": batch_size}))
        return [f"EN[{text[:max_length]}]b{beam_size}" if text.strip() else "" for text in texts]

    def score(self, *, sources: Sequence[str], targets: Sequence[str], batch_size: int = 16) -> list[TokenScores]:
        self.calls.append(("score", list(zip(sources, targets)), {"batch_size": batch_size}))
        results = []
        for source, target in zip(sources, targets):
            words = target.split()
            spans, start = [], 0
            for word in words:
                begin = target.index(word, start)
                spans.append((start, begin + len(word)))
                start = begin + len(word)
            pieces = tuple("▁" + w for w in words) + ("</s>",)
            logprobs = tuple(-(len(source) % 7 + 1) / (i + 3) for i in range(len(pieces)))  # non-round floats
            results.append(TokenScores(target, pieces, logprobs, tuple(spans) + ((len(target), len(target)),)))
        return results


def memory_cache(items: int = 1000) -> TranslationCache:
    return TranslationCache(persistent=False, memory_items=items)


# -- the stand-in matches the real class ------------------------------------------------------------


def test_stand_in_has_the_translator_signatures() -> None:
    for name in ("translate", "score", "describe"):
        assert inspect.signature(getattr(StandInModel, name)) == inspect.signature(getattr(Translator, name))
        assert inspect.signature(getattr(CachedModel, name)) == inspect.signature(getattr(Translator, name))


# -- keys -------------------------------------------------------------------------------------------


def test_keys_change_with_everything_a_result_depends_on() -> None:
    options = {"compute_type": "float32", "device": "cpu", "beam_size": 4, "max_length": 512}
    base = cache_key("translate", "m@r1", "fp32", options, "Bonjour.")
    assert base == cache_key("translate", "m@r1", "fp32", dict(reversed(options.items())), "Bonjour.")
    assert len(base) == 64 and int(base, 16) >= 0
    variants = [
        cache_key("score", "m@r1", "fp32", options, "Bonjour."),
        cache_key("translate", "m@r2", "fp32", options, "Bonjour."),
        cache_key("translate", "n@r1", "fp32", options, "Bonjour."),
        cache_key("translate", "m@r1", "int8", options, "Bonjour."),
        cache_key("translate", "m@r1", "fp32", {**options, "compute_type": "bfloat16"}, "Bonjour."),
        cache_key("translate", "m@r1", "fp32", {**options, "beam_size": 1}, "Bonjour."),
        cache_key("translate", "m@r1", "fp32", {**options, "max_length": 64}, "Bonjour."),
        cache_key("translate", "m@r1", "fp32", options, "Bonjour"),
        cache_key("translate", "m@r1", "fp32", options, "Bonjour. "),
        cache_key("translate", "m@r1", "fp32", options, "bonjour."),
    ]
    assert len({base, *variants}) == len(variants) + 1
    pairs = {cache_key("score", "m@r1", "fp32", {}, a, b) for a, b in [("ab", "c"), ("a", "bc"), ("c", "ab"), ("abc", "")]}
    assert len(pairs) == 4
    assert cache_key("translate", "m", "fp32", {}, "\ud800") != cache_key("translate", "m", "fp32", {}, "\ud801")


def test_cached_model_keys_follow_the_model_and_the_decoding_settings() -> None:
    cache = memory_cache()
    texts = ["Le juge a statué.", "L'audience est levée."]

    def calls(model: StandInModel, **options: int) -> int:
        before = len(model.calls)
        CachedModel(model, cache).translate(texts, **options)
        return len(model.calls) - before

    model = StandInModel()
    assert calls(model) == 1
    assert calls(model) == 0
    assert calls(model, batch_size=1) == 0  # the batch size does not change results
    assert calls(model, beam_size=2) == 1
    assert calls(model, max_length=64) == 1
    for other in (StandInModel(revision="r2"), StandInModel(backend="int8"), StandInModel(dtype="bfloat16"),
                  StandInModel(device="cuda")):
        assert calls(other) == 1
        assert calls(other) == 0
    scorer = CachedModel(model, cache)
    scorer.score(sources=texts, targets=["a", "b"])
    scorer.score(sources=texts, targets=["a", "b"], batch_size=2)
    scorer.score(sources=texts, targets=["a", "c"])
    assert [pairs for kind, pairs, _ in model.calls if kind == "score"] == [
        [(texts[0], "a"), (texts[1], "b")], [(texts[1], "c")]]


# -- CachedModel ------------------------------------------------------------------------------------


def test_miss_then_hit_does_not_call_the_model_again() -> None:
    model = StandInModel()
    cached = CachedModel(model, memory_cache())
    texts = ["Il a été placé en garde à vue.", "Trois personnes ont été interpellées."]
    first = cached.translate(texts, beam_size=2, max_length=64, batch_size=8)
    assert first == model.translate(texts, beam_size=2, max_length=64)
    model.calls.clear()
    assert cached.translate(texts, beam_size=2, max_length=64, batch_size=8) == first
    assert model.calls == []
    stats = cached.stats
    assert (stats.items, stats.hits, stats.misses, stats.computed, stats.model_calls) == (4, 2, 2, 2, 1)


def test_only_distinct_misses_reach_the_model_in_one_call_and_order_is_kept() -> None:
    model = StandInModel()
    cached = CachedModel(model, memory_cache())
    cached.translate(["b", "d"], beam_size=3)
    model.calls.clear()
    texts = ["a", "b", "c", "a", "", "d", "c", "", "e"]
    out = cached.translate(texts, beam_size=3, batch_size=2)
    assert model.calls == [("translate", ["a", "c", "", "e"], {"beam_size": 3, "max_length": 512, "batch_size": 2})]
    assert out == StandInModel().translate(texts, beam_size=3)
    assert out[4] == out[7] == ""
    model.calls.clear()
    sources = ["s1", "s2", "s1", "s3"]
    targets = ["t1", "t2", "t1", "t1"]
    scores = cached.score(sources=sources, targets=targets, batch_size=4)
    assert model.calls == [("score", [("s1", "t1"), ("s2", "t2"), ("s3", "t1")], {"batch_size": 4})]
    assert scores == StandInModel().score(sources=sources, targets=targets)
    assert cached.translate([]) == [] and cached.score(sources=[], targets=[]) == []
    with pytest.raises(ValueError, match="as many sources as targets"):
        cached.score(sources=["a"], targets=[])


def test_scores_come_back_from_the_file_exactly(tmp_path: Path) -> None:
    model = StandInModel()
    sources = ["Le parquet a fait appel.", "Mme Martin, 22 ans, a été mise en examen.", "", "x"]
    targets = ["The prosecution appealed.", "Ms Martin, 22, was charged.", "", "  café  crème  "]
    expected = model.score(sources=sources, targets=targets)
    with TranslationCache(tmp_path / "c.sqlite3", memory_items=0) as cache:
        CachedModel(model, cache).score(sources=sources, targets=targets)
    model.calls.clear()
    with TranslationCache(tmp_path / "c.sqlite3", memory_items=0) as cache:
        again = CachedModel(model, cache).score(sources=sources, targets=targets)
        assert cache.stats.hits == 4
    assert model.calls == []
    assert again == expected
    assert all(type(s.pieces) is tuple and type(s.logprobs) is tuple and type(s.spans) is tuple
               and all(type(span) is tuple for span in s.spans) for s in again)
    odd = TokenScores("a\ud800", ("▁a", "</s>"), (-0.1, float("-inf")), ((0, 1), (2, 2)))
    assert decode_scores(encode_scores(odd)) == odd


def test_other_attributes_are_the_wrapped_models() -> None:
    model = StandInModel(backend="int8", dtype="int8")
    cached = CachedModel(model, memory_cache())
    assert cached.describe() == "stand-in/fr-en@r1"
    assert (cached.device, cached.dtype, cached.backend, cached.resolved) == ("cpu", "int8", "int8", model.resolved)
    assert (cached.source_lang, cached.target_lang, cached.max_positions) == ("fr", "en", 512)
    assert cached.wrapped is model
    cached.device = "cuda"
    assert model.device == "cuda"
    with pytest.raises(AttributeError):
        _ = cached.no_such_attribute


def test_an_unreadable_score_entry_is_computed_again(caplog: pytest.LogCaptureFixture) -> None:
    model = StandInModel()
    cache = memory_cache()
    cached = CachedModel(model, cache)
    key = cache_key("score", model.describe(), "fp32", {"compute_type": "float32", "device": "cpu"}, "s", "t")
    cache.put_many({key: "not json"})
    with caplog.at_level(logging.WARNING, logger="service.cache"):
        assert cached.score(sources=["s"], targets=["t"]) == model.score(sources=["s"], targets=["t"])
    assert "unreadable score entry" in caplog.text
    assert len(model.calls) == 2  # the CachedModel's call and the comparison's


# -- the store --------------------------------------------------------------------------------------


def test_entries_persist_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "cache.sqlite3"
    first = TranslationCache(path)
    first.put_many({"k1": "v1", "k2": '{"json": true}', "k3": ""})
    assert first.get_many(["k1"]) == {"k1": "v1"} and first.stats.memory_hits == 1
    first.close()
    second = TranslationCache(path)
    assert second.get_many(["k1", "k2", "k3", "k4", "k1"]) == {"k1": "v1", "k2": '{"json": true}', "k3": ""}
    stats = second.stats
    assert (stats.hits, stats.memory_hits, stats.misses, stats.errors) == (3, 0, 1, 0)
    assert second.get_many(["k2"]) == {"k2": '{"json": true}'} and second.stats.memory_hits == 1
    second.put_many({"k1": "new"})
    file_only = TranslationCache(path, memory_items=0)
    assert file_only.get_many(["k1"]) == {"k1": "new"}
    file_only.close()
    assert file_only.get_many(["k1"]) == {"k1": "new"}  # closing only drops connections
    file_only.close()
    assert len(second) == 3
    second.clear()
    assert len(second) == 0 and second.get_many(["k1", "k2"]) == {}
    second.close()


def test_memory_lru_evicts_the_least_recently_used(tmp_path: Path) -> None:
    lru = memory_cache(items=3)
    lru.put_many({"a": "1", "b": "2", "c": "3"})
    assert lru.get_many(["a"]) == {"a": "1"}  # a is now the most recent
    lru.put_many({"d": "4"})
    assert lru.get_many(["a", "b", "c", "d"]) == {"a": "1", "c": "3", "d": "4"}
    assert len(lru) == 3 and not lru.persistent
    assert memory_cache(items=0).get_many(["a"]) == {}
    off = memory_cache(items=0)
    off.put_many({"a": "1"})
    assert off.get_many(["a"]) == {} and len(off) == 0
    both = TranslationCache(tmp_path / "c.sqlite3", memory_items=2)
    both.put_many({"a": "1", "b": "2", "c": "3"})
    assert both.get_many(["a"]) == {"a": "1"}  # evicted from memory, still in the file
    assert (both.stats.hits, both.stats.memory_hits) == (1, 0)
    assert both.get_many(["a"]) == {"a": "1"} and both.stats.memory_hits == 1
    both.close()
    with pytest.raises(ValueError):
        TranslationCache(persistent=False, memory_items=-1)


def test_default_path_and_memory_only_options(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_PATH, raising=False)
    default = default_cache_path()
    assert default.name == FILE_NAME and "contresens" in default.parts
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "env.sqlite3"))
    assert default_cache_path() == tmp_path / "env.sqlite3"
    cache = TranslationCache()
    assert cache.path == tmp_path / "env.sqlite3" and (tmp_path / "env.sqlite3").is_file()
    cache.close()
    with TranslationCache(tmp_path / "arg.sqlite3") as by_argument:
        assert by_argument.path == tmp_path / "arg.sqlite3"
    assert not TranslationCache(":memory:").persistent
    assert not TranslationCache(tmp_path / "never.sqlite3", persistent=False).persistent
    assert not (tmp_path / "never.sqlite3").exists()


def test_a_corrupt_file_is_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database, just junk " * 200)
    with caplog.at_level(logging.WARNING, logger="service.cache"):
        cache = TranslationCache(path)
    assert "damaged" in caplog.text and cache.persistent
    cache.put_many({"k": "v"})
    cache.close()
    assert TranslationCache(path).get_many(["k"]) == {"k": "v"}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("setup", [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('schema_version', '0');"
    "CREATE TABLE entries (k TEXT, v BLOB, created REAL); INSERT INTO entries VALUES ('k', 'old', 0);",
    "CREATE TABLE meta (name TEXT, version INTEGER); CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT);"
    "INSERT INTO entries VALUES ('k', 'old');",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('schema_version', '999');"
    "CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT); INSERT INTO entries VALUES ('k', 'old');",
], ids=["old-version", "unknown-meta", "newer-version"])
def test_a_file_of_another_schema_is_rebuilt(tmp_path: Path, setup: str) -> None:
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(setup)
    conn.close()
    cache = TranslationCache(path)
    assert cache.get_many(["k"]) == {}
    cache.put_many({"k": "new"})
    assert len(cache) == 1
    cache.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
        assert conn.execute("SELECT key, value FROM entries").fetchall() == [("k", "new")]
    conn.close()


def test_an_unusable_location_falls_back_to_memory(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with caplog.at_level(logging.WARNING, logger="service.cache"):
        cache = TranslationCache(blocker / "c.sqlite3")  # its "directory" is a file
    assert not cache.persistent and "memory only" in caplog.text
    cache.put_many({"k": "v"})
    assert cache.get_many(["k"]) == {"k": "v"}


# -- concurrency ------------------------------------------------------------------------------------

KEYS = 600


def value_of(i: int) -> str:
    return json.dumps({"i": i, "text": "é" * (i % 37)})


def write_overlapping(path: str, worker: int, rounds: int = 3) -> tuple[float, float]:
    """Open the cache (maybe creating the file), then write keys [100w, 100w + 200) five at a time,
    one transaction each, in an order of its own, reading back every batch; `rounds` times over.
    Returns when it started and ended its writes."""
    cache = TranslationCache(path, memory_items=0)
    began = time.time()
    ids = list(range(100 * worker, 100 * worker + 200))
    ids = ids[worker % 2::2] + ids[1 - worker % 2::2]
    for _ in range(rounds):
        for k in range(0, len(ids), 5):
            batch = {f"key-{i % KEYS}": value_of(i % KEYS) for i in ids[k:k + 5]}
            cache.put_many(batch)
            assert cache.get_many(list(batch)) == batch
    assert cache.stats.errors == 0, cache.stats
    cache.close()
    return began, time.time()


def process_worker(path: str, worker: int, ready: Any, windows: Any) -> None:
    """Entry point of a spawned process (module level, so it can be imported there): waits until
    every process and the test are ready, then writes."""
    ready.wait(60)
    try:
        windows.put(write_overlapping(path, worker))
    except BaseException as exc:
        windows.put(repr(exc))
        raise


def test_concurrent_processes_and_threads_write_safely(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite3")  # does not exist yet: creating the schema races too
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Barrier(5)
    windows = ctx.Queue()
    processes = [ctx.Process(target=process_worker, args=(path, 4 + w, ready, windows)) for w in range(4)]
    for p in processes:
        p.start()
    errors: list[BaseException] = []
    go = threading.Barrier(9)
    spans: list[tuple[float, float]] = []
    shared: list[TranslationCache] = []

    def thread_worker(worker: int) -> None:
        try:
            go.wait(60)
            if worker < 4:  # half the threads share one instance, half have their own
                spans.append(write_overlapping(path, worker))
                return
            began = time.time()
            ids = range(100 * worker, 100 * worker + 200)
            for _ in range(3):
                for k in range(0, 200, 5):
                    batch = {f"key-{i % KEYS}": value_of(i % KEYS) for i in ids[k:k + 5]}
                    shared[0].put_many(batch)
                    assert shared[0].get_many(list(batch)) == batch
            spans.append((began, time.time()))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=thread_worker, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    ready.wait(60)  # every process is up (imports done)
    shared.append(TranslationCache(path, memory_items=50))
    go.wait(60)
    for t in threads:
        t.join(120)
    results = [windows.get(timeout=120) for _ in processes]
    for p in processes:
        p.join(120)
    assert errors == []
    assert all(isinstance(r, tuple) for r in results), results
    spans.extend(results)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    assert shared[0].stats.errors == 0
    shared[0].close()
    # the writers really ran at the same time: each one overlapped others, processes overlapped threads
    # (on a loaded 2-core machine one writer may now and then finish before another starts: most must overlap)
    overlapping = [any(a < d and c < b for j, (c, d) in enumerate(spans) if j != i) for i, (a, b) in enumerate(spans)]
    assert sum(overlapping) >= len(spans) // 2, spans
    assert any(a < d and c < b for a, b in spans[:8] for c, d in spans[8:]), spans
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    fresh = TranslationCache(path, memory_items=0)
    keys = [f"key-{i}" for i in range(KEYS)]
    assert fresh.get_many(keys) == {k: value_of(i) for i, k in enumerate(keys)}
    assert len(fresh) == KEYS
    fresh.close()


# -- the real model ---------------------------------------------------------------------------------

SOURCES = [
    "Le parquet de Paris a ouvert une enquête préliminaire.",
    "Il a été placé en garde à vue mardi.",
    "",
    "Son avocat a fait appel de la décision.",
]
TARGETS = [
    "The Paris prosecutor's office opened a preliminary investigation.",
    "He was taken into police custody on Tuesday.",
    "",
    "His lawyer appealed against the decision.",
]


def test_cached_results_equal_the_real_models_exactly(fr_en: Translator, tmp_path: Path) -> None:
    decoding = {"beam_size": 1, "max_length": 8}
    plain_translations = fr_en.translate(SOURCES, **decoding)
    plain_scores = fr_en.score(sources=SOURCES, targets=TARGETS)
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        cached = CachedModel(fr_en, cache)
        assert cached.translate(SOURCES, **decoding) == plain_translations  # misses: computed
        assert cached.score(sources=SOURCES, targets=TARGETS) == plain_scores
        assert cached.describe() == fr_en.describe() and cached.dtype == fr_en.dtype == "float32"
        assert cached.backend == "fp32"
    order = [3, 0, 0, 2, 1]
    with TranslationCache(tmp_path / "c.sqlite3", memory_items=0) as cache:  # hits from the file only
        cached = CachedModel(fr_en, cache)
        assert cached.translate([SOURCES[i] for i in order], batch_size=2, **decoding) == [
            plain_translations[i] for i in order]
        assert cached.score(sources=[SOURCES[i] for i in order], targets=[TARGETS[i] for i in order]) == [
            plain_scores[i] for i in order]
        assert (cached.stats.hits, cached.stats.model_calls) == (10, 0)
