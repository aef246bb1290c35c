"""Prometheus metrics of the service, in a registry of the app's own (several apps in one process,
as in tests, do not collide): requests, latencies, model batch sizes, queue depth and model time."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)


class ServiceMetrics:
    """The metric families, and the batcher observer that feeds the model ones."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("contresens_requests", "HTTP requests answered.", ["method", "route", "status"],
                                registry=self.registry)
        self.latency = Histogram("contresens_request_seconds", "Time to answer an HTTP request.",
                                 ["method", "route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.documents = Counter("contresens_documents", "Documents scored.", registry=self.registry)
        self.batch_items = Histogram("contresens_model_batch_items", "Texts in one model call.",
                                     ["model", "kind"], buckets=BATCH_BUCKETS, registry=self.registry)
        self.batch_requests = Histogram("contresens_model_batch_requests",
                                        "Requests coalesced into one model call.", ["model", "kind"],
                                        buckets=BATCH_BUCKETS, registry=self.registry)
        self.batch_tokens = Histogram("contresens_model_batch_tokens", "Tokens in one model call.",
                                      ["model", "kind"], buckets=(16, 64, 256, 1024, 4096, 16384),
                                      registry=self.registry)
        self.model_seconds = Histogram("contresens_model_seconds", "Time of one model call.", ["model", "kind"],
                                       buckets=LATENCY_BUCKETS, registry=self.registry)
        self.queue_depth = Gauge("contresens_queue_depth", "Model calls waiting to be batched.", ["model"],
                                 registry=self.registry)
        self.ready = Gauge("contresens_ready", "1 once the models are loaded and warmed.", registry=self.registry)

    def observer(self, model: str) -> BatchMetrics:
        """The observer to give the batcher of one model direction."""
        return BatchMetrics(self, model)

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)


class BatchMetrics:
    """Receives the batcher's reports for one model direction."""

    def __init__(self, metrics: ServiceMetrics, model: str) -> None:
        self.metrics, self.model = metrics, model

    def on_batch(self, kind: str, requests: int, items: int, tokens: int, seconds: float) -> None:
        """One model call done."""
        m = self.metrics
        m.batch_items.labels(self.model, kind).observe(items)
        m.batch_requests.labels(self.model, kind).observe(requests)
        m.batch_tokens.labels(self.model, kind).observe(tokens)
        m.model_seconds.labels(self.model, kind).observe(seconds)

    def on_queue_depth(self, depth: int) -> None:
        """The number of waiting calls changed."""
        self.metrics.queue_depth.labels(self.model).set(depth)
