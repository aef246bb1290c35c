"""The HTTP service end to end: a real uvicorn server on a loopback port with the tiny models, a real
HTTP client. Every endpoint; 50 concurrent requests answered like sequential ones; the batcher really
merges (seen in /metrics); readiness before the models load; 5xx with a logged request id; `serve`."""

from __future__ import annotations

import concurrent.futures
import logging
import re
import threading
from pathlib import Path

import httpx
import pytest

from eval.cli import main
from service.api import create_app
from service.checker import Checker
from service.config import Settings
from tests.service.api.conftest import tiny_settings
from tests.service.api.server import live_server

FLOOR = {"source": "Le parquet de Paris a ouvert une enquête.", "translation": "The Paris floor opened an investigation."}


def metric(text: str, name: str, **labels: str) -> float:
    """One sample of the Prometheus text format."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if match and match.group(1) == name:
            got = ",".join(sorted((match.group(2) or "").split(","))) if match.group(2) else ""
            if got == wanted:
                return float(match.group(3))
    raise KeyError(f"{name}{{{wanted}}} not in metrics")


def same_report(a: object, b: object) -> bool:
    """Equal reports, floats within 1e-4: forced decoding in a merged batch can move the 7th digit of a
    log-probability (padding changes the order of float sums), never a flag or a verdict."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1e-4
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_report(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_report(x, y) for x, y in zip(a, b))
    return a == b


def test_score_returns_the_report(server: str) -> None:
    response = httpx.post(f"{server}/v1/score", json={**FLOOR, "reference": "The Paris prosecutor's office opened "
                                                      "an investigation."}, timeout=60)
    assert response.status_code == 200 and re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
    report = response.json()
    assert report["verdict"] == "fail" and report["flags"][0]["rule"] == "forbidden-rendering"
    assert report["flags"][0]["suggestion"] == "prosecutor's office"
    assert report["segments"][0]["back_translation"] is not None and report["reference"]["chrf"] < 100
    assert "|fwd:" in report["signature"] and "sha256:" in report["signature"]


def test_options_and_request_glossary(server: str) -> None:
    only_numbers = httpx.post(f"{server}/v1/score", json={
        "source": "Le prévenu, âgé de 22 ans, a été condamné.", "translation": "The 32-year-old defendant was sentenced.",
        "options": {"checks": ["dates"]}}, timeout=60).json()
    assert not any(f["rule"] == "number-changed" for f in only_numbers["flags"])
    assert "|checks:dates|" in only_numbers["signature"]
    plain = httpx.post(f"{server}/v1/score", json=FLOOR, timeout=60).json()
    entry = {"id": "parquet-floor", "french": ["parquet"], "approved": ["floor"], "note": "a flooring catalogue"}
    custom = httpx.post(f"{server}/v1/score", json={**FLOOR, "glossary": [entry]}, timeout=60).json()
    assert [f["rule"] for f in custom["flags"]] == [] and custom["signature"] != plain["signature"]
    again = httpx.post(f"{server}/v1/score", json=FLOOR, timeout=60).json()  # nothing leaks to the next request
    assert again["flags"] == plain["flags"] and again["signature"] == plain["signature"]


def test_batch_returns_reports_in_order(server: str) -> None:
    documents = [FLOOR, {"source": "Trois personnes ont été interpellées.", "translation": "Three people were arrested."}]
    response = httpx.post(f"{server}/v1/score/batch", json={"documents": documents}, timeout=60)
    assert response.status_code == 200
    reports = response.json()["reports"]
    assert [r["verdict"] for r in reports] == ["fail", httpx.post(f"{server}/v1/score", json=documents[1],
                                                                  timeout=60).json()["verdict"]]
    assert reports[0]["flags"][0]["rule"] == "forbidden-rendering" and not reports[1]["flags"]


def test_glossary_endpoint(server: str) -> None:
    page = httpx.get(f"{server}/v1/glossary", params={"q": "garde à vue"}).json()
    assert page["total"] >= 1 and any("police custody" in c["approved"] for c in page["concepts"])
    court = httpx.get(f"{server}/v1/glossary", params={"domain": "court", "limit": 5, "offset": 5}).json()
    assert court["total"] > 10 and len(court["concepts"]) == 5 and {c["domain"] for c in court["concepts"]} == {"court"}
    assert httpx.get(f"{server}/v1/glossary", params={"domain": "astronomy"}).json() == {"total": 0, "concepts": []}


def test_health_readiness_docs_and_metrics(server: str) -> None:
    assert httpx.get(f"{server}/healthz").json() == {"status": "alive"}
    ready = httpx.get(f"{server}/readyz").json()
    assert ready["status"] == "ready" and ready["signature"].startswith("contresens:")
    assert "swagger" in httpx.get(f"{server}/docs").text.lower()
    schema = httpx.get(f"{server}/openapi.json").json()
    assert {"/v1/score", "/v1/score/batch", "/v1/glossary", "/healthz", "/readyz", "/metrics"} <= set(schema["paths"])
    examples = schema["paths"]["/v1/score"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    sample = (Path(__file__).parents[3] / "corpora" / "samples" / "court-case.fr.txt").read_text(encoding="utf-8")
    assert examples["sample"]["value"]["source"] in sample  # taken from the shipped sample
    text = httpx.get(f"{server}/metrics").text
    assert metric(text, "contresens_ready") == 1.0
    assert metric(text, "contresens_requests_total", method="GET", route="/healthz", status="200") >= 1


def test_concurrent_requests_match_sequential_and_are_batched(tiny_models: dict[str, Path]) -> None:
    documents = [{"source": f"Le prévenu, âgé de {20 + i} ans, a été condamné à {i + 1} ans de prison.",
                  "translation": f"The {20 + i}-year-old defendant was sentenced to {i + 1} years in prison."}
                 for i in range(50)]
    with live_server(create_app(tiny_settings(tiny_models, batch_max_wait_ms=50.0))) as base:
        sequential = [httpx.post(f"{base}/v1/score", json=d, timeout=120).json() for d in documents]
        before = httpx.get(f"{base}/metrics").text
        calls_before = metric(before, "contresens_model_batch_items_count", kind="check", model="backward")
        barrier = threading.Barrier(50)

        def post(document: dict[str, str]) -> httpx.Response:
            barrier.wait()
            return httpx.post(f"{base}/v1/score", json=document, timeout=120)

        with concurrent.futures.ThreadPoolExecutor(50) as pool:
            responses = list(pool.map(post, documents))
        after = httpx.get(f"{base}/metrics").text
    assert [r.status_code for r in responses] == [200] * 50
    for concurrent_report, sequential_report in zip((r.json() for r in responses), sequential, strict=True):
        assert same_report(concurrent_report, sequential_report)  # whatever the batching
    calls = metric(after, "contresens_model_batch_items_count", kind="check", model="backward") - calls_before
    items = metric(after, "contresens_model_batch_items_sum", kind="check", model="backward") - metric(
        before, "contresens_model_batch_items_sum", kind="check", model="backward")
    assert items == 50 and calls <= 12  # 50 one-sentence requests in a handful of model batches, not 50
    assert metric(after, "contresens_model_batch_requests_bucket", kind="check", model="backward", le="1.0") < (
        metric(after, "contresens_model_batch_requests_count", kind="check", model="backward"))


def test_cache_is_in_memory_by_default_and_answers_repeats_without_the_model(
        tiny_models: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with live_server(create_app(tiny_settings(tiny_models, cache=True, cache_path=None))) as base:
        first = httpx.post(f"{base}/v1/score", json=FLOOR, timeout=60)
        before = httpx.get(f"{base}/metrics").text
        again = httpx.post(f"{base}/v1/score", json=FLOOR, timeout=60)
        after = httpx.get(f"{base}/metrics").text
    assert first.status_code == again.status_code == 200 and same_report(first.json(), again.json())
    for kind in ("check",):  # the repeat cost no model call (beam 1: one draft-verified call per direction)
        for model in ("forward", "backward"):
            assert metric(after, "contresens_model_batch_items_count", kind=kind, model=model) == metric(
                before, "contresens_model_batch_items_count", kind=kind, model=model)
    assert not list(tmp_path.rglob("*.sqlite3*"))  # nothing written to disk

    cache_file = tmp_path / "service-cache.sqlite3"  # with a path: the persistent cache, shared by workers
    with live_server(create_app(tiny_settings(tiny_models, cache=True, cache_path=str(cache_file)))) as base:
        assert httpx.post(f"{base}/v1/score", json=FLOOR, timeout=60).status_code == 200
    assert cache_file.is_file() and cache_file.stat().st_size > 0


def test_not_ready_until_the_models_are_loaded(tiny_models: dict[str, Path]) -> None:
    release = threading.Event()

    def slow_loader(settings: Settings) -> Checker:
        release.wait(timeout=60)
        return Checker.from_settings(settings)

    with live_server(create_app(tiny_settings(tiny_models), loader=slow_loader), wait_ready=False) as base:
        loading = httpx.get(f"{base}/readyz")
        assert loading.status_code == 503 and loading.json() == {"status": "loading"}
        assert loading.headers["retry-after"]
        early = httpx.post(f"{base}/v1/score", json=FLOOR)
        assert early.status_code == 503 and "still loading" in early.json()["detail"] and early.headers["retry-after"]
        assert httpx.get(f"{base}/healthz").status_code == 200  # alive while loading
        assert httpx.get(f"{base}/v1/glossary").status_code == 200  # the termbase is there from the start
        release.set()
        for _ in range(600):
            if httpx.get(f"{base}/readyz").status_code == 200:
                break
            threading.Event().wait(0.05)
        assert httpx.post(f"{base}/v1/score", json=FLOOR, timeout=60).status_code == 200


def test_failed_loading_is_reported(tiny_models: dict[str, Path]) -> None:
    def broken(settings: Settings) -> Checker:
        raise OSError("weights are truncated")

    with live_server(create_app(tiny_settings(tiny_models), loader=broken), wait_ready=False) as base:
        for _ in range(100):
            ready = httpx.get(f"{base}/readyz")
            if ready.json()["status"] != "loading":
                break
            threading.Event().wait(0.05)
        assert ready.status_code == 503 and ready.json() == {"status": "failed",
                                                             "detail": "OSError: weights are truncated"}
        assert "weights are truncated" in httpx.post(f"{base}/v1/score", json=FLOOR).json()["detail"]


def test_unexpected_error_is_a_500_with_a_logged_request_id(tiny_models: dict[str, Path],
                                                            caplog: pytest.LogCaptureFixture) -> None:
    def faulty(settings: Settings) -> Checker:
        checker = Checker.from_settings(settings)
        original = checker.check

        def check(**kwargs: object) -> object:
            if "boom" in str(kwargs.get("source")):
                raise RuntimeError("secret internal detail /srv/app/service/x.py")
            return original(**kwargs)  # type: ignore[arg-type]

        checker.check = check  # type: ignore[method-assign]
        return checker

    with caplog.at_level(logging.ERROR, logger="contresens.api"), \
            live_server(create_app(tiny_settings(tiny_models), loader=faulty)) as base:
        response = httpx.post(f"{base}/v1/score", json={"source": "boom", "translation": "boom"},
                              headers={"X-Request-ID": "req-42"})
    assert response.status_code == 500
    body = response.json()
    assert body["request_id"] == "req-42" == response.headers["x-request-id"]
    assert "secret" not in response.text and "Traceback" not in response.text and ".py" not in response.text
    assert any("req-42" in r.getMessage() and r.exc_info for r in caplog.records)


def test_queue_full_is_503_with_retry_after(tiny_models: dict[str, Path]) -> None:
    settings = tiny_settings(tiny_models, queue_size=2, batch_max_wait_ms=300.0)  # two requests at once
    app = create_app(settings)
    with live_server(app) as base, concurrent.futures.ThreadPoolExecutor(12) as pool:
        responses = list(pool.map(lambda _: httpx.post(f"{base}/v1/score", json=FLOOR, timeout=60), range(12)))
        batchers = app.state.models._batchers
        assert len(batchers) == 2 and all(b.max_queue == 4 for b in batchers)  # room for both admitted requests
        assert [b.stats.rejected for b in batchers] == [0, 0]  # whole requests refused, never half of one
    statuses = {r.status_code for r in responses}
    assert statuses <= {200, 503} and 503 in statuses and 200 in statuses
    busy = next(r for r in responses if r.status_code == 503)
    assert busy.headers["retry-after"] == "1" and "busy" in busy.json()["detail"]


def test_serve_command_runs_the_service(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    import time

    from tests.service.api.server import free_port

    port = free_port()
    env = {**os.environ, "CONTRESENS_MAX_LENGTH": "12", "CONTRESENS_API_KEY": "k"}
    command = [sys.executable, "-m", "eval.cli", "serve", "--port", str(port), "--forward-model",
               str(tiny_models["fr-en"]), "--backward-model", str(tiny_models["en-fr"]), "--beam-size", "1",
               "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, cwd=Path(__file__).parents[3], stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not become ready"
            time.sleep(0.1)
        report = httpx.post(f"{base}/v1/score", json=FLOOR, headers={"X-API-Key": "k"}, timeout=60).json()
        assert report["verdict"] == "fail" and "|beam:1|maxlen:12|" in report["signature"]
        assert str(tiny_models["fr-en"]) in report["signature"]  # the command-line model reached the server
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_fails_fast_on_a_missing_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--forward-model", str(tmp_path / "nowhere"), "--backward-model", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "--forward-model" in err
    assert main(["serve", "--checks", "spelling"]) == 2 and "spelling" in capsys.readouterr().err


def test_context_before_the_document_is_read_for_names_not_checked(server: str) -> None:
    # WMT12 reference (development split): the article named Peter Englund one line before
    document = {"source": "En racontant l'histoire d'une écolière allemande, Peter Englund écrit: \"Ersatz, partout "
                "ersatz.\"", "translation": "In telling a German schoolgirl's story he says: \"Ersatz, everywhere "
                "ersatz.\""}
    context = "Le nouveau livre de Peter Englund offre profondeur et générosité."

    def missing(body: dict[str, object]) -> list[str]:
        report = httpx.post(f"{server}/v1/score", json=body, timeout=60).json()
        return [f["severity"] for f in report["flags"] if f["rule"] == "name-missing"]

    assert missing(document) == ["major"]
    assert missing({**document, "context": context}) == ["minor"]
    too_long = httpx.post(f"{server}/v1/score", json={**document, "context": "x" * 2001}, timeout=60)
    assert too_long.status_code == 422 and "context" in too_long.text
