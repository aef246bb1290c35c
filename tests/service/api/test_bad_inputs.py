"""Bad requests against a live server: each one answered with the right status and a message that says
what is wrong (for 422, the path of the field at fault), a JSON body carrying the request id, the same id
in the `x-request-id` header, and no stack trace or file path.

The fixture server's limits (tests/service/api/conftest.py): 2000 characters per text, 4 documents per
batch, 5 request termbase entries, 64,000 bytes of body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

OK = {"source": "Le parquet de Paris a ouvert une enquête.", "translation": "The Paris floor opened an investigation."}
ENTRY = {"id": "information-judiciaire", "french": ["information judiciaire"], "approved": ["judicial investigation"]}
KNOWN_CHECKS = "(known: numbers, dates, names, untranslated, length, markup, typography)"
JSON_HEADERS = {"content-type": "application/json"}
MAX_BODY = 64_000


class Chunked:
    """A request body sent with `Transfer-Encoding: chunked` (no Content-Length): httpx streams any
    iterable of bytes that way. Iterable again and again, unlike a generator, so a rerun sends it whole."""

    def __init__(self, chunk: bytes, count: int) -> None:
        self.chunk, self.count = chunk, count

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.count):
            yield self.chunk


@dataclass(frozen=True)
class Bad:
    """One bad request and what the server must answer."""

    method: str
    path: str
    status: int
    message: str  # a substring of the detail (of its `msg` for a 422)
    loc: list[str | int] | None = None  # for a 422: the field path of the (first) error
    type: str | None = None  # for a 422: the error type, when the message alone is too vague
    json: Any = None
    content: bytes | Chunked | None = None
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    answer_headers: dict[str, str] = field(default_factory=dict)  # headers the answer must carry


def score(status: int, message: str, loc: list[str | int] | None = None, **body: Any) -> Bad:
    """A POST /v1/score with `body` (None values dropped) laid over a valid document."""
    document = {k: v for k, v in {**OK, **body}.items() if v is not None}
    return Bad("POST", "/v1/score", status, message, loc, json=document)


def raw(status: int, message: str, content: bytes | Chunked, loc: list[str | int] | None = None,
        type: str | None = None, content_type: str | None = "application/json") -> Bad:
    """A POST /v1/score with a raw body."""
    headers = {"content-type": content_type} if content_type else {}
    return Bad("POST", "/v1/score", status, message, loc, type, content=content, headers=headers)


def batch(status: int, message: str, loc: list[str | int], documents: list[Any]) -> Bad:
    """A POST /v1/score/batch."""
    return Bad("POST", "/v1/score/batch", status, message, loc, json={"documents": documents})


def glossary_entry(status: int, message: str, loc: list[str | int], *entries: dict[str, Any]) -> Bad:
    """A POST /v1/score whose request termbase holds `entries`."""
    return Bad("POST", "/v1/score", status, message, loc, json={**OK, "glossary": list(entries)})


def glossary_page(message: str, loc: list[str | int], **params: Any) -> Bad:
    """A GET /v1/glossary with bad query parameters."""
    return Bad("GET", "/v1/glossary", 422, message, loc, params=params)


TOO_LARGE = json.dumps({**OK, "reference": "x" * MAX_BODY}).encode()

BAD_REQUESTS = [
    # the document's texts
    pytest.param(score(422, "at least 1 character", ["body", "source"], source=""), id="empty-source"),
    pytest.param(score(422, "must not be empty or whitespace only", ["body", "translation"], translation=" \n\t "),
                 id="whitespace-only-translation"),
    pytest.param(score(422, "must not be empty or whitespace only", ["body", "reference"], reference="   "),
                 id="whitespace-only-reference"),
    pytest.param(Bad("POST", "/v1/score", 422, "Field required", ["body", "translation"],
                     json={"source": OK["source"]}), id="missing-translation"),
    pytest.param(score(422, "valid string", ["body", "source"], source=42), id="source-is-a-number"),
    pytest.param(score(422, "valid string", ["body", "source"], source=["Le parquet"]), id="source-is-a-list"),
    pytest.param(Bad("POST", "/v1/score", 422, "valid string", ["body", "source"], json={**OK, "source": None}),
                 id="source-is-null"),
    pytest.param(raw(422, "valid string", b'{"source": "\\ud800 lone surrogate", "translation": "x"}',
                     ["body", "source"], "string_unicode"), id="source-with-a-lone-surrogate"),
    pytest.param(score(422, "at most 2000 characters", ["body", "source"], source="a" * 2001),
                 id="source-over-max-chars"),
    pytest.param(score(422, "at most 2000 characters", ["body", "reference"], reference="b" * 2001),
                 id="reference-over-max-chars"),
    # the shape of the body
    pytest.param(score(422, "Extra inputs are not permitted", ["body", "foo"], foo=1), id="unknown-top-level-field"),
    pytest.param(score(422, "valid list", ["body", "glossary"], glossary={"id": "x"}), id="glossary-not-a-list"),
    pytest.param(score(422, "valid list", ["body", "options", "checks"], options={"checks": "numbers"}),
                 id="checks-is-a-string"),
    pytest.param(score(422, "Extra inputs are not permitted", ["body", "options", "foo"], options={"foo": True}),
                 id="unknown-option"),
    pytest.param(score(422, f"unknown check(s) 'spelling' {KNOWN_CHECKS}", ["body", "options", "checks"],
                       options={"checks": ["numbers", "spelling"]}), id="unknown-check-name"),
    pytest.param(score(422, f"unknown check(s) 'grammar' {KNOWN_CHECKS}", ["body", "options", "skip_checks"],
                       options={"skip_checks": ["grammar"]}), id="unknown-skipped-check-name"),
    pytest.param(score(422, "unknown check(s) ''", ["body", "options", "checks"], options={"checks": ["numbers", ""]}),
                 id="empty-check-name"),
    pytest.param(score(422, "empty or whitespace only", ["body", "source"], source="\u200b\u00a0"),
                 id="zero-width-space-only"),
    pytest.param(score(422, "control character U+0000 at position 3", ["body", "translation"],
                       translation="The\x00 court"), id="nul-character"),
    pytest.param(glossary_entry(422, "entry 1: French term 'Instruction' is also in entry 0", ["body", "glossary"],
                                {**ENTRY, "french": ["instruction"]}, {**ENTRY, "id": "other", "french": ["Instruction"]}),
                 id="glossary-duplicate-french-term"),
    pytest.param(Bad("POST", "/v1/score", 422, "valid dictionary", ["body"], json=[OK]), id="json-array"),
    pytest.param(raw(422, "JSON decode error", b"source=Le parquet", ["body", 0], "json_invalid"), id="not-json"),
    pytest.param(raw(422, "JSON decode error", b'{"source": "a",', ["body", 15], "json_invalid"), id="truncated-json"),
    pytest.param(raw(422, "Field required", b"", ["body"], "missing"), id="empty-body"),
    pytest.param(raw(400, "error parsing the body", b"[" * 5000 + b"]" * 5000), id="json-nested-too-deep"),
    pytest.param(raw(400, "not valid UTF-8", b'{"source": "Le parquet \xff\xfe", "translation": "x"}'),
                 id="invalid-utf8"),
    pytest.param(raw(415, "application/json", json.dumps(OK).encode(), content_type="text/plain"), id="text-plain"),
    # body size
    pytest.param(raw(413, f"request body of {len(TOO_LARGE)} bytes is over the limit of {MAX_BODY} bytes", TOO_LARGE),
                 id="body-over-limit-with-content-length"),
    pytest.param(raw(413, f"request body is over the limit of {MAX_BODY} bytes", Chunked(b" " * 1000, 70)),
                 id="body-over-limit-chunked"),
    # batches
    pytest.param(batch(422, "at most 4 items", ["body", "documents"], [OK] * 5), id="too-many-documents"),
    pytest.param(batch(422, "at least 1 item", ["body", "documents"], []), id="zero-documents"),
    pytest.param(batch(422, "at least 1 character", ["body", "documents", 1, "source"], [OK, {**OK, "source": ""}]),
                 id="bad-document-in-batch"),
    pytest.param(Bad("POST", "/v1/score/batch", 422, "Field required", ["body", "documents"], json=OK),
                 id="batch-without-documents"),
    # request termbase entries
    pytest.param(glossary_entry(422, "should match pattern", ["body", "glossary", 0, "id"], {**ENTRY, "id": "Bad Id"}),
                 id="glossary-bad-id-pattern"),
    pytest.param(glossary_entry(422, "at most 120 characters", ["body", "glossary", 0, "id"], {**ENTRY, "id": "x" * 121}),
                 id="glossary-id-too-long"),
    pytest.param(glossary_entry(422, "Field required", ["body", "glossary", 0, "approved"],
                                {"id": "x", "french": ["parquet"]}), id="glossary-no-approved-rendering"),
    pytest.param(glossary_entry(422, "at least 1 item", ["body", "glossary", 0, "approved"], {**ENTRY, "approved": []}),
                 id="glossary-empty-approved-list"),
    pytest.param(glossary_entry(422, "needs at least one non-empty term", ["body", "glossary", 0, "approved"],
                                {**ENTRY, "approved": ["  ", ""]}), id="glossary-blank-approved-rendering"),
    pytest.param(glossary_entry(422, "'minor', 'major' or 'critical'", ["body", "glossary", 0, "severity"],
                                {**ENTRY, "severity": "fatal"}), id="glossary-unknown-severity"),
    pytest.param(glossary_entry(422, "unknown domain 'space'", ["body", "glossary", 0, "domain"],
                                {**ENTRY, "domain": "space"}), id="glossary-unknown-domain"),
    pytest.param(glossary_entry(422, "both approved and forbidden", ["body", "glossary", 0, "forbidden"],
                                {**ENTRY, "forbidden": ["Judicial Investigation"]}),
                 id="glossary-approved-and-forbidden"),
    pytest.param(glossary_entry(422, "Extra inputs are not permitted", ["body", "glossary", 0, "regex"],
                                {**ENTRY, "regex": True}), id="glossary-unknown-field"),
    pytest.param(glossary_entry(422, "at most 5 items", ["body", "glossary"],
                                *({**ENTRY, "id": f"entry-{i}", "french": [f"terme {i}"]} for i in range(6))),
                 id="glossary-too-many-entries"),
    pytest.param(glossary_entry(422, "id 'information-judiciaire' appears twice", ["body", "glossary"], ENTRY,
                                {**ENTRY, "french": ["instruction"]}),
                 id="glossary-duplicate-id"),
    # routing and the termbase listing
    pytest.param(Bad("GET", "/v1/score", 405, "Method Not Allowed", answer_headers={"allow": "POST"}),
                 id="get-on-score"),
    pytest.param(Bad("GET", "/v1/nowhere", 404, "Not Found"), id="unknown-path"),
    pytest.param(glossary_page("greater than or equal to 1", ["query", "limit"], limit=0), id="glossary-limit-0"),
    pytest.param(glossary_page("less than or equal to 1000", ["query", "limit"], limit=5000),
                 id="glossary-limit-5000"),
    pytest.param(glossary_page("valid integer", ["query", "limit"], limit="ten"), id="glossary-limit-not-a-number"),
    pytest.param(glossary_page("greater than or equal to 0", ["query", "offset"], offset=-1),
                 id="glossary-negative-offset"),
    pytest.param(glossary_page("at most 200 characters", ["query", "q"], q="x" * 201), id="glossary-query-too-long"),
]


def send(server: str, bad: Bad, **headers: str) -> httpx.Response:
    """The request, on a connection of its own (a 500 closes the server's side of a kept-alive one)."""
    return httpx.request(bad.method, f"{server}{bad.path}", json=bad.json, content=bad.content,
                         headers={**bad.headers, **headers}, params=bad.params, timeout=60)


def assert_clean_error(response: httpx.Response) -> dict[str, Any]:
    """A JSON error body with `detail` and `request_id` (the id the header carries), nothing internal."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert set(body) == {"detail", "request_id"} and body["detail"], body
    assert set(response.headers.get_list("x-request-id")) == {body["request_id"]}
    assert "Traceback" not in response.text and ".py" not in response.text and "/work/" not in response.text
    return body


@pytest.mark.parametrize("bad", BAD_REQUESTS)
def test_bad_request_is_refused_clearly(server: str, bad: Bad) -> None:
    response = send(server, bad)
    body = assert_clean_error(response)
    assert response.status_code == bad.status, response.text
    if isinstance(bad.content, Chunked):
        assert response.request.headers["transfer-encoding"] == "chunked"
        assert "content-length" not in response.request.headers
    for name, value in bad.answer_headers.items():
        assert response.headers[name] == value
    detail = body["detail"]
    if bad.status == 422:
        assert isinstance(detail, list) and detail and all(set(e) == {"loc", "msg", "type"} for e in detail), detail
        first = detail[0]
        assert first["loc"] == bad.loc and bad.message in first["msg"], detail
        assert bad.type is None or first["type"] == bad.type, detail
    else:
        assert isinstance(detail, str) and bad.message in detail, detail


def test_error_responses_carry_the_request_id_header_once(server: str) -> None:
    twice = []
    for param in BAD_REQUESTS:
        bad: Bad = param.values[0]  # type: ignore[assignment]
        response = send(server, bad)
        if response.status_code >= 400 and response.headers.get_list("x-request-id") != [response.json()["request_id"]]:
            twice.append(f"{bad.method} {bad.path} -> {response.status_code}: {response.headers.get_list('x-request-id')}")
    assert not twice, "\n".join(twice)


def test_a_given_request_id_is_echoed_in_the_error(server: str) -> None:
    response = httpx.post(f"{server}/v1/score", json={**OK, "source": ""}, headers={"X-Request-ID": "cms-job-7.1"})
    assert response.status_code == 422 and assert_clean_error(response)["request_id"] == "cms-job-7.1"
    unsafe = httpx.post(f"{server}/v1/score", json={**OK, "source": ""}, headers={"X-Request-ID": "a b<script>"})
    assert unsafe.status_code == 422 and assert_clean_error(unsafe)["request_id"] != "a b<script>"
    too_large = httpx.post(f"{server}/v1/score", content=TOO_LARGE, headers={**JSON_HEADERS, "X-Request-ID": "big-1"})
    assert too_large.status_code == 413 and assert_clean_error(too_large)["request_id"] == "big-1"


def test_regex_looking_terms_are_taken_literally(server: str) -> None:
    """A user term is never compiled: "(a+)+$" neither matches "aaaa" nor backtracks for ever on
    "aaa…ab", and "[a-z" (no valid pattern) is accepted too; written out in the source, the term is found."""
    entries = [{"id": "regex-term", "french": ["(a+)+$"], "approved": ["judicial investigation"]},
               {"id": "broken-pattern", "french": ["[a-z"], "approved": ["(?P<"]},
               {**ENTRY, "id": "control"}]

    def concepts(source: str) -> list[str | None]:
        response = httpx.post(f"{server}/v1/score", json={"source": source, "translation": "The hearing is over.",
                                                          "glossary": entries}, timeout=30)
        assert response.status_code == 200, response.text
        return [f["concept"] for f in response.json()["flags"]]

    assert "regex-term" not in concepts("aaaa")
    assert "regex-term" not in concepts("a" * 40 + "b")  # catastrophic backtracking if it were a pattern
    assert "broken-pattern" not in concepts("abc xyz")
    assert "control" in concepts("Une information judiciaire est ouverte.")  # the request termbase is in use
    assert "regex-term" in concepts("Le motif (a+)+$ figure tel quel.")
