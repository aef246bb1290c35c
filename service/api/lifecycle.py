"""Model lifecycle of the service: the checker is loaded once, in a thread started at startup, wrapped in
dynamic batchers and warmed with one batch; until then /readyz answers 503 and scoring routes 503 with
Retry-After. What can be checked quickly (settings, termbase files, that the model files exist) is
checked before the server accepts connections, so a bad path fails at startup, not at the first request."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from service.api.admission import CALLS_PER_MODEL, Admission
from service.api.errors import NotReadyError
from service.api.metrics import ServiceMetrics
from service.batching import DynamicBatcher
from service.cache import CachedModel, TranslationCache
from service.checker import Checker
from service.config import Settings
from service.translate import ModelUnavailableError, resolve_model

log = logging.getLogger("contresens.api")
WARM_UP = ("Le tribunal a rendu son jugement mardi.", "The court delivered its judgment on Tuesday.")

CheckerLoader = Callable[[Settings], Checker]


def load_service_checker(settings: Settings) -> Checker:
    """The service's default loader: `Checker.from_settings`, except that the translation cache is kept
    in memory only (an LRU of `CONTRESENS_CACHE_MEMORY_ITEMS` entries per process) unless
    `CONTRESENS_CACHE_PATH` names a SQLite file: a server should not write into a user's cache directory
    unasked, and its container may have none."""
    if not settings.cache or settings.cache_path is not None:
        return Checker.from_settings(settings)
    checker = Checker.from_settings(settings.model_copy(update={"cache": False}))
    checker.use_cache(TranslationCache(persistent=False, memory_items=settings.cache_memory_items))
    return checker


def preflight(settings: Settings) -> None:
    """Fail now, with the loader's message, when a model cannot be found (no weights are read)."""
    for role, name in (("forward", settings.forward_model_name), ("backward", settings.backward_model_name)):
        try:
            resolve_model(name, offline=settings.offline)
        except ModelUnavailableError as exc:
            flag = "--forward-model" if role == "forward" else "--backward-model"
            raise exc.with_role(role, f"point {flag} (or CONTRESENS_{role.upper()}_MODEL) at a local "
                                      "directory holding the model") from exc


class ModelState:
    """The checker once it is ready, or why it is not."""

    def __init__(self, settings: Settings, metrics: ServiceMetrics, loader: CheckerLoader) -> None:
        self.settings, self.metrics, self.loader = settings, metrics, loader
        self.ready = threading.Event()
        self.error: str | None = None
        self.admission = Admission(settings.queue_size)  # whole requests, see service.api.admission
        self._checker: Checker | None = None
        self._batchers: list[DynamicBatcher] = []
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Load, wrap and warm in the background."""
        self._thread = threading.Thread(target=self._load, name="contresens-model-loader", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        s = self.settings
        try:
            checker = self.loader(s)
            if checker.forward is not None and checker.backward is not None:
                one_at_a_time = threading.Lock()  # both directions share the cores (or the GPU)
                for role in ("forward", "backward"):
                    model = getattr(checker, role)
                    # the cache goes in front of the batcher: hits are answered in the request's thread
                    cache = model.cache if isinstance(model, CachedModel) else None
                    if cache is not None:
                        model = model.wrapped
                    batcher = DynamicBatcher(model, max_batch_tokens=s.batch_max_tokens,
                                             max_wait_ms=s.batch_max_wait_ms,
                                             max_queue=CALLS_PER_MODEL * s.queue_size,
                                             enabled=s.batching, observer=self.metrics.observer(role),
                                             timeout=s.request_timeout_s, model_lock=one_at_a_time)
                    self._batchers.append(batcher)
                    setattr(checker, role, batcher if cache is None else CachedModel(batcher, cache))
                checker.concurrent_model_calls = s.batching  # each request's four calls queued at once
            checker.check(source=WARM_UP[0], translation=WARM_UP[1])  # warm-up: one batch through everything
        except Exception as exc:  # noqa: BLE001 - reported by /readyz and the log, the server stays up
            self.error = f"{type(exc).__name__}: {exc}"
            log.error("loading the models failed: %s", self.error, exc_info=exc)
            return
        self._checker = checker
        self.metrics.ready.set(1)
        self.ready.set()
        log.info("models loaded and warmed: %s", checker.signature)

    def checker(self) -> Checker:
        """The ready checker, or NotReadyError (503)."""
        if self._checker is None:
            raise NotReadyError(f"models failed to load: {self.error}" if self.error else
                                "models are still loading; retry shortly")
        return self._checker

    def close(self) -> None:
        """Stop the batchers' threads."""
        for batcher in self._batchers:
            batcher.close()
