"""The translation cache: model results kept across runs, so unchanged segments cost no model time.

A full check of one segment costs two generations and two forced decodings. Localization CI
re-runs the gate on mostly unchanged corpora, so every model result is kept under a key that
names everything it depends on (`cache_key`): the kind of call, the model's `name@revision`,
its backend, compute type and device, the decoding settings that change the output (beam size,
maximum length; none for forced decoding) and the exact text(s). The batch size is not part of
the key: the Translator's results do not depend on how its inputs were grouped.

- `TranslationCache` stores string values under those keys: an in-memory LRU in front of an
  SQLite file (WAL journal, busy timeout, short `BEGIN IMMEDIATE` transactions, one connection
  per thread), safe to share between threads and processes. A file of an older or unknown schema
  is rebuilt, and so is a file that is not a database at all: the cache only ever costs a
  recomputation. When the file cannot be used at all the cache logs a warning and keeps going in
  memory.
- `CachedModel` wraps any model with the Translator's interface (a Translator, a DynamicBatcher)
  and calls it once per call with only the items it has not seen, deduplicated, returning
  results in input order, identical to the wrapped model's.

Nothing here imports torch.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from service.translate import TokenScores, TranslationModel

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
"""Version of the file layout and of the stored values' encoding; a file of another version is rebuilt."""
KEY_VERSION = 1
"""Version of the key recipe; part of every key, so changing the recipe orphans old entries."""
ENV_PATH = "CONTRESENS_CACHE_PATH"
FILE_NAME = "translations.sqlite3"
MEMORY = ":memory:"
BUSY_TIMEOUT_S = 30.0
SQL_CHUNK = 500  # keys per SELECT ... IN (...) and rows per write transaction

TRANSLATE = "translate"
SCORE = "score"


def default_cache_path() -> Path:
    """`$CONTRESENS_CACHE_PATH` when set, else `translations.sqlite3` in the user cache directory."""
    env = os.environ.get(ENV_PATH)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("contresens")) / FILE_NAME


def cache_key(kind: str, model: str, backend: str, options: dict[str, object], *texts: str) -> str:
    """sha256 (hex) of a canonical JSON of everything a model result depends on.

    `kind` is "translate" or "score", `model` the model's `describe()` (name and revision),
    `backend` its numeric path, `options` the compute type, device and decoding settings that
    change results (never the batch size), `texts` the exact input(s): the source for
    "translate", the source and the target for "score". Texts are JSON strings in a list, so
    ("ab", "c") and ("a", "bc") give different keys.
    """
    payload = json.dumps(
        [KEY_VERSION, kind, model, backend, options, list(texts)],
        sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False,
    )
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class CacheStats:
    """Lookups of a TranslationCache: `hits` (memory hits included), `memory_hits`, `misses`, rows
    `written`, and `errors` (SQLite failures that were logged and skipped)."""

    hits: int = 0
    memory_hits: int = 0
    misses: int = 0
    written: int = 0
    errors: int = 0

    @property
    def lookups(self) -> int:
        return self.hits + self.misses


def _is_corruption(exc: sqlite3.Error) -> bool:
    """A file that is not a database or a damaged one (not: locked, read-only, disk full)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


class TranslationCache:
    """String values under string keys: an LRU of `memory_items` entries in front of an SQLite file.

    `path` defaults to `default_cache_path()`. `persistent=False`, or `path=":memory:"`, keeps
    entries in the LRU only (`memory_items=0` disables the LRU). Threads may share one instance;
    processes may share one file. Failures of the file are logged and counted in `stats.errors`,
    never raised: a lookup that fails is a miss, a write that fails is skipped.
    """

    def __init__(self, path: str | Path | None = None, *, memory_items: int = 10_000, persistent: bool = True) -> None:
        if memory_items < 0:
            raise ValueError(f"memory_items must be >= 0, got {memory_items}")
        self.memory_items = memory_items
        self.path: Path | None = None
        if persistent and str(path) != MEMORY:
            self.path = Path(path).expanduser() if path is not None else default_cache_path()
        self._memory: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()  # the LRU and the counters
        self._conn_lock = threading.RLock()  # the connection list, opening, closing and rebuilding
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._generation = 0  # bumped by a rebuild: threads then open new connections
        self._pid = os.getpid()
        self._ready = False  # schema checked by this process
        self._stats = CacheStats()
        if self.path is not None:
            try:
                self._connection()
            except (sqlite3.Error, OSError) as exc:  # locked for good, read-only, no directory
                self._disable(exc)

    # -- public --------------------------------------------------------------------------------

    @property
    def persistent(self) -> bool:
        """Whether entries go to a file (False for a memory-only cache, or after the file failed)."""
        return self.path is not None

    @property
    def stats(self) -> CacheStats:
        """A snapshot of the counters."""
        with self._lock:
            return self._stats

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The values of those `keys` that are cached (memory first, then the file)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        rest: list[str] = []
        with self._lock:
            for key in wanted:
                value = self._memory.get(key)
                if value is None:
                    rest.append(key)
                else:
                    self._memory.move_to_end(key)
                    found[key] = value
            memory_hits = len(found)
        stored: dict[str, str] = {}
        errors = 0
        if rest and self.path is not None:
            try:
                stored = self._select(rest)
            except (sqlite3.Error, OSError) as exc:
                errors = 1
                self._failed("read", exc)
        with self._lock:
            for key, value in stored.items():
                self._remember(key, value)
            found.update(stored)
            s = self._stats
            self._stats = replace(s, hits=s.hits + len(found), memory_hits=s.memory_hits + memory_hits,
                                  misses=s.misses + len(wanted) - len(found), errors=s.errors + errors)
        return found

    def put_many(self, items: dict[str, str]) -> None:
        """Store `items` (key -> value), replacing what the keys held."""
        if not items:
            return
        with self._lock:
            for key, value in items.items():
                self._remember(key, value)
        if self.path is None:
            return
        rows = list(items.items())
        written = errors = 0
        try:
            conn = self._connection()
            for start in range(0, len(rows), SQL_CHUNK):
                chunk = rows[start : start + SQL_CHUNK]
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", chunk)
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
                written += len(chunk)
        except (sqlite3.Error, OSError, UnicodeEncodeError) as exc:  # a lone surrogate cannot be stored
            errors = 1
            self._failed("write", exc)
        with self._lock:
            s = self._stats
            self._stats = replace(s, written=s.written + written, errors=s.errors + errors)

    def __len__(self) -> int:
        """Entries in the file (in memory for a memory-only cache)."""
        if self.path is None:
            with self._lock:
                return len(self._memory)
        row = self._connection().execute("SELECT count(*) FROM entries").fetchone()
        return int(row[0])

    def clear(self) -> None:
        """Forget every entry, in memory and in the file."""
        with self._lock:
            self._memory.clear()
        if self.path is not None:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("DELETE FROM entries")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close the file's connections (every thread's); the cache reopens them if used again."""
        with self._conn_lock:
            for conn in self._connections:
                with contextlib.suppress(sqlite3.Error):  # closing is best effort
                    conn.close()
            self._connections.clear()
            self._generation += 1

    def __enter__(self) -> TranslationCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = str(self.path) if self.path is not None else "memory only"
        return f"TranslationCache({where!r}, memory_items={self.memory_items})"

    # -- memory --------------------------------------------------------------------------------

    def _remember(self, key: str, value: str) -> None:
        """Put one entry in the LRU, evicting the least recently used ones (caller holds the lock)."""
        if not self.memory_items:
            return
        self._memory[key] = value
        self._memory.move_to_end(key)
        while len(self._memory) > self.memory_items:
            self._memory.popitem(last=False)

    # -- the file ------------------------------------------------------------------------------

    def _select(self, keys: Sequence[str]) -> dict[str, str]:
        conn = self._connection()
        found: dict[str, str] = {}
        for start in range(0, len(keys), SQL_CHUNK):
            chunk = keys[start : start + SQL_CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(conn.execute(f"SELECT key, value FROM entries WHERE key IN ({marks})", chunk).fetchall())
        return found

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection to the file, opened (and the schema checked) on first use."""
        local = self._local
        if getattr(local, "generation", None) == self._generation and getattr(local, "pid", None) == os.getpid():
            conn: sqlite3.Connection = local.conn
            return conn
        with self._conn_lock:
            if self._pid != os.getpid():  # a forked child: the parent's connections are not ours to use
                self._pid = os.getpid()
                self._connections = []
                self._ready = False
            conn = self._open()
            self._connections.append(conn)
            local.conn, local.generation, local.pid = conn, self._generation, self._pid
            return conn

    def _open(self) -> sqlite3.Connection:
        """A new connection; the first one of this process checks the schema, rebuilding a damaged file."""
        if self.path is None:  # another thread gave the file up meanwhile
            raise sqlite3.OperationalError("the cache file was given up")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect(check=not self._ready)
        except sqlite3.Error as exc:
            if not _is_corruption(exc):
                raise
            log.warning("translation cache %s is damaged (%s); rebuilding it", self.path, exc)
            self._remove_files()
            return self._connect(check=True)

    def _connect(self, *, check: bool) -> sqlite3.Connection:
        assert self.path is not None
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self._use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            if check:
                self._check_schema(conn)
                self._ready = True
        except BaseException:
            conn.close()
            raise
        return conn

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Switch the file to the WAL journal (once per file; later connections find it on).

        Switching needs an exclusive lock, and SQLite answers "database is locked" at once, without
        waiting for the busy timeout, when other connections are opening the same new file; so
        this waits and retries itself, up to the busy timeout.
        """
        if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
            return
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        pause = 0.005
        while True:
            try:
                mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.25)
        if mode != "wal":
            log.debug("translation cache %s: WAL journal not available (%s)", self.path, mode)

    def _check_schema(self, conn: sqlite3.Connection) -> None:
        """Create the tables, or recreate them when the file holds another schema version."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version: str | None = None
            if "meta" in tables:
                try:
                    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                    version = str(row[0]) if row else None
                except sqlite3.OperationalError:  # a meta table of another shape
                    version = "unknown"
            if version != str(SCHEMA_VERSION):
                if tables & {"meta", "entries"}:
                    log.warning("translation cache %s has schema version %s, not %s; rebuilding it",
                                self.path, version, SCHEMA_VERSION)
                conn.execute("DROP TABLE IF EXISTS entries")
                conn.execute("DROP TABLE IF EXISTS meta")
                conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                conn.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
                conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _remove_files(self) -> None:
        """Delete the file and its WAL companions (caller holds the connection lock)."""
        assert self.path is not None
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self._ready = False

    def _failed(self, what: str, exc: Exception) -> None:
        """Log a failed read or write; rebuild a damaged file so later calls work again."""
        log.warning("translation cache %s: %s failed (%s: %s)", self.path, what, type(exc).__name__, exc)
        if self.path is not None and isinstance(exc, sqlite3.Error) and _is_corruption(exc):
            with self._conn_lock:
                try:
                    self._remove_files()
                    self._connection()
                except (sqlite3.Error, OSError) as again:
                    self._disable(again)

    def _disable(self, exc: BaseException) -> None:
        log.warning("translation cache %s unusable (%s: %s); keeping results in memory only",
                    self.path, type(exc).__name__, exc)
        self.close()
        self.path = None


# -- the model wrapper ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CachedModelStats:
    """Calls through a CachedModel: `items` requested, `hits` served from the cache, `misses` not
    cached (duplicates counted each time), `computed` distinct items sent to the model, in
    `model_calls` calls."""

    items: int = 0
    hits: int = 0
    misses: int = 0
    computed: int = 0
    model_calls: int = 0


def encode_scores(scores: TokenScores) -> str:
    """TokenScores as compact JSON (floats written so they read back exactly)."""
    return json.dumps([scores.text, scores.pieces, scores.logprobs, scores.spans], separators=(",", ":"))


def decode_scores(value: str) -> TokenScores:
    """The TokenScores `encode_scores` wrote, tuples restored."""
    text, pieces, logprobs, spans = json.loads(value)
    return TokenScores(str(text), tuple(str(p) for p in pieces), tuple(float(v) for v in logprobs),
                       tuple((int(a), int(b)) for a, b in spans))


class CachedModel:
    """A model (Translator, DynamicBatcher, ...) whose results go through a TranslationCache.

    `translate` and `score` have the wrapped model's signatures and results; every other
    attribute (`describe()`, `device`, `dtype`, `backend`, `resolved`, ...) is the wrapped model's.
    A call looks all its items up, calls the wrapped model once with the distinct misses (in
    their first-seen order), stores the new results and returns everything in input order.
    """

    def __init__(self, model: TranslationModel, cache: TranslationCache) -> None:
        self._model = model
        self.cache = cache
        self._stats_lock = threading.Lock()
        self._stats = CachedModelStats()

    @property
    def wrapped(self) -> TranslationModel:
        """The model underneath."""
        return self._model

    @property
    def stats(self) -> CachedModelStats:
        with self._stats_lock:
            return self._stats

    @property
    def device(self) -> str:
        return self._model.device

    @device.setter
    def device(self, value: str) -> None:
        self._model.device = value

    @property
    def dtype(self) -> str:
        return self._model.dtype

    def describe(self) -> str:
        """The wrapped model's `name@revision`: caching does not change results."""
        return self._model.describe()

    def __getattr__(self, name: str) -> Any:
        """Anything else (`backend`, `resolved`, `source_lang`, `max_positions`, ...) is the wrapped model's."""
        if name == "_model":  # not set yet (e.g. during unpickling): avoid infinite recursion
            raise AttributeError(name)
        return getattr(self._model, name)

    def _key_parts(self) -> tuple[str, str, dict[str, object]]:
        """Model, backend and the options every key of this model shares."""
        backend = str(getattr(self._model, "backend", "fp32"))
        return self._model.describe(), backend, {"compute_type": str(self._model.dtype),
                                                 "device": str(self._model.device)}

    def translate(
        self, texts: Sequence[str], *, beam_size: int = 4, max_length: int = 512, batch_size: int = 16
    ) -> list[str]:
        """The wrapped model's translations of `texts`, computed only for texts not cached yet."""
        model, backend, options = self._key_parts()
        options = {**options, "beam_size": beam_size, "max_length": max_length}
        keys = [cache_key(TRANSLATE, model, backend, options, text) for text in texts]
        found = self.cache.get_many(keys)
        todo = {key: text for key, text in zip(keys, texts) if key not in found}
        if todo:
            outputs = self._model.translate(list(todo.values()), beam_size=beam_size, max_length=max_length,
                                            batch_size=batch_size)
            if len(outputs) != len(todo):
                raise RuntimeError(f"the model returned {len(outputs)} translations for {len(todo)} texts")
            new = dict(zip(todo, outputs))
            self.cache.put_many(new)
            found.update(new)
        self._count(len(keys), sum(1 for key in keys if key in todo), len(todo))
        return [found[key] for key in keys]

    def score(self, *, sources: Sequence[str], targets: Sequence[str], batch_size: int = 16) -> list[TokenScores]:
        """The wrapped model's forced-decoding scores, computed only for pairs not cached yet."""
        if len(sources) != len(targets):
            raise ValueError(f"score() needs as many sources as targets, got {len(sources)} and {len(targets)}")
        model, backend, options = self._key_parts()
        keys = [cache_key(SCORE, model, backend, options, s, t) for s, t in zip(sources, targets)]
        results = self._cached_scores(keys)
        todo: dict[str, tuple[str, str]] = {}
        for key, source, target in zip(keys, sources, targets):
            if key not in results:
                todo.setdefault(key, (source, target))
        if todo:
            pairs = list(todo.values())
            scored = self._model.score(sources=[s for s, _ in pairs], targets=[t for _, t in pairs],
                                       batch_size=batch_size)
            if len(scored) != len(todo):
                raise RuntimeError(f"the model returned {len(scored)} scores for {len(todo)} pairs")
            new = dict(zip(todo, scored))
            self.cache.put_many({key: encode_scores(value) for key, value in new.items()})
            results.update(new)
        self._count(len(keys), sum(1 for key in keys if key in todo), len(todo))
        return [results[key] for key in keys]

    def _cached_scores(self, keys: Sequence[str]) -> dict[str, TokenScores]:
        """The scores the cache holds for `keys`; an entry this code cannot read is left out (computed again)."""
        results: dict[str, TokenScores] = {}
        for key, value in self.cache.get_many(keys).items():
            try:
                results[key] = decode_scores(value)
            except (ValueError, TypeError) as exc:
                log.warning("translation cache: unreadable score entry %s (%s)", key[:12], exc)
        return results

    def decoder_for(self, decoder: str, beam_size: int) -> str:
        """The wrapped model's decoder choice (`Translator.decoder_for`)."""
        return str(cast(Any, self._model).decoder_for(decoder, beam_size))

    def translate_and_score(self, sources: Sequence[str], drafts: Sequence[str], *, beam_size: int = 4,
                            max_length: int = 512, batch_size: int = 16,
                            decoder: str = "auto") -> tuple[list[str], list[TokenScores]]:
        """The wrapped model's `translate_and_score`, computed only for pairs whose translation or score is
        not cached yet. With the plain decoder the keys are those of `translate` and `score`; the draft
        decoder's results have keys of their own (their arithmetic differs, see `service.draft_decoding`)."""
        if len(sources) != len(drafts):
            raise ValueError(f"translate_and_score() needs as many drafts as sources, got {len(sources)} and "
                             f"{len(drafts)}")
        used = self.decoder_for(decoder, beam_size)
        model, backend, options = self._key_parts()
        if used == "draft":
            options = {**options, "decoder": used, "shortlist": int(getattr(self._model, "shortlist", 0) or 0)}
        elif used == "shared":
            options = {**options, "decoder": used}
        generation = {**options, "beam_size": beam_size, "max_length": max_length}
        text_keys = [cache_key(TRANSLATE, model, backend, generation, text) for text in sources]
        score_keys = [cache_key(SCORE, model, backend, options, s, d) for s, d in zip(sources, drafts)]
        texts = self.cache.get_many(text_keys)
        scores = self._cached_scores(score_keys)
        todo: dict[tuple[str, str], tuple[str, str]] = {}
        for text_key, score_key, source, draft in zip(text_keys, score_keys, sources, drafts):
            if text_key not in texts or score_key not in scores:
                todo.setdefault((text_key, score_key), (source, draft))
        if todo:
            pairs = list(todo.values())
            outputs, scored = cast(Any, self._model).translate_and_score(
                [s for s, _ in pairs], [d for _, d in pairs], beam_size=beam_size, max_length=max_length,
                batch_size=batch_size, decoder=used)
            if len(outputs) != len(todo) or len(scored) != len(todo):
                raise RuntimeError(f"the model returned {len(outputs)} translations and {len(scored)} scores for "
                                   f"{len(todo)} pairs")
            new_texts = {text_key: out for (text_key, _), out in zip(todo, outputs)}
            new_scores = {score_key: sc for (_, score_key), sc in zip(todo, scored)}
            self.cache.put_many({**new_texts, **{k: encode_scores(v) for k, v in new_scores.items()}})
            texts.update(new_texts)
            scores.update(new_scores)
        self._count(2 * len(sources), 2 * sum(1 for key in zip(text_keys, score_keys) if key in todo), 2 * len(todo))
        return [texts[key] for key in text_keys], [scores[key] for key in score_keys]

    def _count(self, items: int, misses: int, computed: int) -> None:
        with self._stats_lock:
            s = self._stats
            self._stats = CachedModelStats(items=s.items + items, hits=s.hits + items - misses,
                                           misses=s.misses + misses, computed=s.computed + computed,
                                           model_calls=s.model_calls + (1 if computed else 0))
