"""The API key and CORS, on a live server built with `api_key` and `cors_origins`: the /v1 routes need the
exact key in X-API-Key, health, readiness and metrics stay open, and only the configured origin passes
a CORS preflight. The default server (no origins) sends no CORS headers at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.api import create_app
from tests.service.api.conftest import tiny_settings
from tests.service.api.server import live_server

KEY = "s3cret"
CMS = "https://cms.example"
DOCUMENT = {"source": "Trois personnes ont été interpellées.", "translation": "Three people were arrested."}


@pytest.fixture(scope="module")
def guarded(tiny_models: dict[str, Path]) -> Iterator[str]:
    """Base URL of a ready server with an API key and one CORS origin."""
    with live_server(create_app(tiny_settings(tiny_models, api_key=KEY, cors_origins=[CMS]))) as base:
        yield base


def preflight(base: str, origin: str, path: str = "/v1/score") -> httpx.Response:
    """A browser's CORS preflight for a JSON POST carrying the key."""
    return httpx.options(f"{base}{path}", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type,x-api-key"})


def assert_refused(response: httpx.Response) -> None:
    """401, with a message that names the header to send, and the request id."""
    assert response.status_code == 401, response.text
    body = response.json()
    assert "X-API-Key" in body["detail"] and body["request_id"] in response.headers["x-request-id"]
    assert response.headers["www-authenticate"] == "APIKey"
    assert KEY not in response.text


@pytest.mark.parametrize("headers", [
    pytest.param({}, id="no-key"),
    pytest.param({"X-API-Key": ""}, id="empty-key"),
    pytest.param({"X-API-Key": "wrong"}, id="wrong-key"),
    pytest.param({"X-API-Key": KEY[:-1]}, id="prefix-of-the-key"),
    pytest.param({"X-API-Key": KEY + "x"}, id="key-with-a-suffix"),
    pytest.param({"X-API-Key": KEY.upper()}, id="key-in-another-case"),
    pytest.param({"X-API-Key": f"{KEY} {KEY}"}, id="key-twice"),
    pytest.param({"X-API-Key": "s3crét".encode()}, id="non-ascii-key"),
    pytest.param({"Authorization": f"Bearer {KEY}"}, id="key-in-authorization"),
    pytest.param({"X-Api-Key-Other": KEY}, id="key-in-another-header"),
])
def test_score_needs_the_exact_key(guarded: str, headers: dict[str, str | bytes]) -> None:
    assert_refused(httpx.post(f"{guarded}/v1/score", json=DOCUMENT, headers=headers, timeout=60))


def test_every_v1_route_is_guarded(guarded: str) -> None:
    assert_refused(httpx.post(f"{guarded}/v1/score/batch", json={"documents": [DOCUMENT]}, timeout=60))
    assert_refused(httpx.get(f"{guarded}/v1/glossary"))
    assert_refused(httpx.post(f"{guarded}/v1/score", json={"source": ""}))  # the key is checked first


def test_the_right_key_is_let_in(guarded: str) -> None:
    key = {"X-API-Key": KEY}
    response = httpx.post(f"{guarded}/v1/score", json=DOCUMENT, headers=key, timeout=60)
    assert response.status_code == 200 and response.json()["verdict"] in {"pass", "review", "fail"}
    assert httpx.post(f"{guarded}/v1/score/batch", json={"documents": [DOCUMENT]}, headers=key,
                      timeout=60).status_code == 200
    assert httpx.get(f"{guarded}/v1/glossary", params={"limit": 1}, headers=key).status_code == 200
    assert httpx.get(f"{guarded}/v1/glossary", params={"limit": 1}, headers={"x-api-key": KEY}).status_code == 200


def test_health_readiness_and_metrics_stay_open(guarded: str) -> None:
    assert httpx.get(f"{guarded}/healthz").json() == {"status": "alive"}
    assert httpx.get(f"{guarded}/readyz").json()["status"] == "ready"
    metrics = httpx.get(f"{guarded}/metrics")
    assert metrics.status_code == 200 and "contresens_ready 1.0" in metrics.text
    assert KEY not in metrics.text


def test_openapi_documents_the_key(guarded: str) -> None:
    schema = httpx.get(f"{guarded}/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert any(s["type"] == "apiKey" and s["in"] == "header" and s["name"] == "X-API-Key" for s in schemes.values())
    assert KEY not in httpx.get(f"{guarded}/openapi.json").text


def test_cors_preflight_from_the_configured_origin(guarded: str) -> None:
    response = preflight(guarded, CMS)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == CMS
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "x-api-key" in allowed and "content-type" in allowed
    # and the actual request from that origin can read the answer and its request id
    actual = httpx.post(f"{guarded}/v1/score", json=DOCUMENT, headers={"Origin": CMS, "X-API-Key": KEY}, timeout=60)
    assert actual.status_code == 200 and actual.headers["access-control-allow-origin"] == CMS
    assert "x-request-id" in actual.headers["access-control-expose-headers"].lower()


@pytest.mark.parametrize("origin", ["https://evil.example", "https://cms.example.evil.example", "http://cms.example",
                                    "null"])
def test_cors_preflight_from_another_origin_is_refused(guarded: str, origin: str) -> None:
    response = preflight(guarded, origin)
    assert response.status_code >= 400
    assert "access-control-allow-origin" not in response.headers
    actual = httpx.post(f"{guarded}/v1/score", json=DOCUMENT, headers={"Origin": origin, "X-API-Key": KEY}, timeout=60)
    assert actual.status_code == 200 and "access-control-allow-origin" not in actual.headers


def test_default_server_sends_no_cors_headers(server: str) -> None:
    response = preflight(server, CMS)
    assert "access-control-allow-origin" not in response.headers
    assert response.status_code == 405  # no CORS middleware: OPTIONS is just a method /v1/score does not have
    actual = httpx.post(f"{server}/v1/score", json=DOCUMENT, headers={"Origin": CMS}, timeout=60)
    assert actual.status_code == 200  # no key configured: open
    assert not [h for h in actual.headers if h.startswith("access-control-")]
    assert "access-control-allow-origin" not in httpx.get(f"{server}/healthz", headers={"Origin": CMS}).headers
