"""The term policy through the HTTP service: the server's setting, a request's `options.term_policy`, request
termbase entries with `check`, and clear 422s for unknown values. A real server with the tiny models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.api import create_app
from tests.service.api.conftest import tiny_settings
from tests.service.api.server import live_server

# "délit" is general legal vocabulary (checked for mistranslation only): a restructured English passes by default
OFFENCE = {"source": "Il a commis un délit.", "translation": "He broke the law."}
FLOOR = {"source": "Le parquet de Paris a ouvert une enquête.", "translation": "The Paris floor opened an investigation."}


def score(base: str, **body: Any) -> dict[str, Any]:
    response = httpx.post(f"{base}/v1/score", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return dict(response.json())


def term_rules(report: dict[str, Any]) -> list[str]:
    return [f"{f['rule']}:{f['concept']}" for f in report["flags"] if f["type"] == "terminology"]


@pytest.fixture(scope="module")
def strict_server(tiny_models: dict[str, Path]) -> Iterator[str]:
    """A server whose setting is the strict policy (CONTRESENS_TERM_POLICY=strict)."""
    with live_server(create_app(tiny_settings(tiny_models, term_policy="strict"))) as base:
        yield base


def test_request_option_switches_the_policy(server: str) -> None:
    default = score(server, **OFFENCE)
    assert term_rules(default) == [] and "|termpolicy:mistranslation|" in default["signature"]
    strict = score(server, **OFFENCE, options={"term_policy": "strict"})
    assert "|termpolicy:strict|" in strict["signature"]
    assert term_rules(strict) == ["missing-approved-rendering:delit"]
    # a known mistranslation is flagged whatever the policy
    for options in ({}, {"term_policy": "strict"}, {"term_policy": "mistranslation"}):
        assert term_rules(score(server, **FLOOR, options=options)) == ["forbidden-rendering:parquet"]
    # nothing leaks into the next request (the report cache is keyed by the signature)
    assert score(server, **OFFENCE) == default


def test_server_setting_is_the_default_and_a_request_may_relax_it(strict_server: str) -> None:
    strict = score(strict_server, **OFFENCE)
    assert term_rules(strict) == ["missing-approved-rendering:delit"] and "|termpolicy:strict|" in strict["signature"]
    relaxed = score(strict_server, **OFFENCE, options={"term_policy": "mistranslation"})
    assert term_rules(relaxed) == [] and "|termpolicy:mistranslation|" in relaxed["signature"]
    ready = httpx.get(f"{strict_server}/readyz", timeout=10).json()
    assert "|termpolicy:strict|" in ready["signature"]


def test_request_entries_say_how_they_are_checked(server: str) -> None:
    entry = {"id": "house-plainte", "french": ["plainte"], "approved": ["complaint"], "check": "mistranslation"}
    body = {"source": "Sa plainte a été classée.", "translation": "His grievance was filed away."}
    assert term_rules(score(server, **body, glossary=[entry])) == []
    assert term_rules(score(server, **body, glossary=[{**entry, "check": "rendering"}])) == [
        "missing-approved-rendering:house-plainte"]
    glossary = httpx.get(f"{server}/v1/glossary", params={"q": "tribunal correctionnel", "limit": 1}, timeout=10)
    assert glossary.json()["concepts"][0]["check"] == "rendering"


@pytest.mark.parametrize(("body", "loc", "message"), [
    ({**OFFENCE, "options": {"term_policy": "lenient"}}, ["body", "options", "term_policy"],
     "Input should be 'mistranslation' or 'strict'"),
    ({**OFFENCE, "glossary": [{"id": "x", "french": ["délit"], "approved": ["offence"], "check": "loose"}]},
     ["body", "glossary", 0, "check"], "Input should be 'rendering' or 'mistranslation'"),
    ({**OFFENCE, "glossary": [{"id": "x", "french": ["ONAF"], "approved": ["ONAF"], "do_not_translate": True,
                               "check": "mistranslation"}]},
     ["body", "glossary", 0, "check"], "do-not-translate name is checked for its rendering"),
])
def test_unknown_values_are_422_naming_the_field(server: str, body: dict[str, Any], loc: list[Any],
                                                 message: str) -> None:
    response = httpx.post(f"{server}/v1/score", json=body, timeout=60)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == loc and message in error["msg"]
    batch = httpx.post(f"{server}/v1/score/batch", json={"documents": [OFFENCE, body]}, timeout=60)
    assert batch.status_code == 422 and batch.json()["detail"][0]["loc"][:3] == ["body", "documents", 1]
