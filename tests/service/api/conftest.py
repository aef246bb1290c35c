"""Fixtures of the HTTP service tests: settings pointing at the tiny models, and a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.api import create_app
from service.config import Settings
from tests.service.api.server import live_server


def tiny_settings(tiny_models: dict[str, Path], **overrides: object) -> Settings:
    """Settings for a server with the tiny models, short decoding, and small limits tests can reach."""
    values: dict[str, object] = {
        "forward_model": str(tiny_models["fr-en"]), "backward_model": str(tiny_models["en-fr"]),
        "max_length": 12, "beam_size": 1, "batch_max_wait_ms": 20.0, "max_chars": 2000, "max_documents": 4,
        "max_body_bytes": 64_000, "max_glossary_entries": 5, **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def server(tiny_models: dict[str, Path]) -> Iterator[str]:
    """Base URL of a ready server with the tiny models (no API key)."""
    with live_server(create_app(tiny_settings(tiny_models))) as base:
        yield base
