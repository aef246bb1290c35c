"""Property-based fuzzing of the live server from its OpenAPI schema (schemathesis 4): whatever
schema-shaped or schema-breaking requests it generates for each operation, no answer is a 5xx.
Bounded to a few dozen examples per operation, derandomized so that every run sends the same requests
(a failure is reproducible, never a fluke of one seed); the tiny models keep each scoring call fast.

The schema is built at collection time from an app with the fixture server's settings (the model paths
do not enter it), because schemathesis needs the operations before the server is up: its lazy loader
(`schemathesis.pytest.from_fixture`) fails under pytest 9 (`'Function' object has no attribute
'_nodeid'`). `test_the_fuzzed_schema_is_the_one_the_server_publishes` makes sure it is the same schema
as the live server's /openapi.json."""

from __future__ import annotations

from pathlib import Path

import httpx
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from service.api import create_app
from tests.service.api.conftest import tiny_settings

UNUSED = Path("models-are-not-loaded-to-build-the-schema")
OPENAPI = create_app(tiny_settings({"fr-en": UNUSED, "en-fr": UNUSED})).openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)


def test_the_fuzzed_schema_is_the_one_the_server_publishes(server: str) -> None:
    assert httpx.get(f"{server}/openapi.json").json() == OPENAPI


@schema.parametrize()
@settings(max_examples=25, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_server_errors(server: str, case: schemathesis.Case) -> None:
    case.call_and_validate(base_url=server, checks=[not_a_server_error], timeout=60)
