"""The language pair is configuration: Spanish->English runs the same way with its own models."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.checker import Checker
from service.config import Settings
from tests.conftest import ROOT, read
from tests.tiny_marian import build_tiny_marian

DATA = ROOT / "tests" / "data" / "es-en"


def test_default_model_ids_follow_the_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("CONTRESENS_FORWARD_MODEL", "CONTRESENS_BACKWARD_MODEL", "CONTRESENS_SOURCE_LANG"):
        monkeypatch.delenv(var, raising=False)
    assert Settings().forward_model_name == "Helsinki-NLP/opus-mt-fr-en"
    assert Settings().backward_model_name == "Helsinki-NLP/opus-mt-en-fr"
    monkeypatch.setenv("CONTRESENS_SOURCE_LANG", "es")
    assert Settings().forward_model_name == "Helsinki-NLP/opus-mt-es-en"
    assert Settings().backward_model_name == "Helsinki-NLP/opus-mt-en-es"


def test_spanish_english_check(tmp_path: Path) -> None:
    es, en = read(DATA / "es.txt"), read(DATA / "en.txt")
    forward = build_tiny_marian(tmp_path / "es-en", es, en, "es", "en", seed=3)
    backward = build_tiny_marian(tmp_path / "en-es", en, es, "en", "es", seed=4)
    settings = Settings(source_lang="es", target_lang="en", forward_model=str(forward),
                        backward_model=str(backward), device="cpu", beam_size=1, max_length=12)
    checker = Checker.from_settings(settings)
    assert checker.forward.source_lang == "es" and checker.backward.source_lang == "en"
    source_lines = [line for line in es.splitlines() if line.strip()]
    target_lines = [line for line in en.splitlines() if line.strip()]
    source = " ".join(source_lines[:3])
    translation = " ".join([target_lines[0], target_lines[2]])  # the second sentence is dropped
    report = checker.check(source=source, translation=translation)
    assert report.source_lang == "es" and report.target_lang == "en"
    assert "|pair:es-en|" in report.signature
    assert [s.alignment for s in report.segments] == ["1-1", "1-0", "1-1"]
    omissions = [f for f in report.flags if f.type == "omission"]
    assert [f.source_text for f in omissions] == [source_lines[1]]
    assert all(s.signals is not None for s in report.segments if s.alignment == "1-1")


def test_same_language_twice_is_rejected() -> None:
    with pytest.raises(ValueError, match="both 'en'"):
        Settings(source_lang="en", target_lang="en")
