"""Shared fixtures: tiny MarianMT models for both directions, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tiny_marian import build_tiny_marian

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"


def read(path: Path) -> str:
    """A text file of the repository."""
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def _private_caches(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the user's caches: the translation cache is off unless a test turns it
    on (model-call counts stay meaningful), and cache files go to temporary directories."""
    import os

    root = tmp_path_factory.mktemp("caches")
    os.environ["CONTRESENS_CACHE"] = "false"
    os.environ["CONTRESENS_CACHE_PATH"] = str(root / "translations.sqlite3")
    os.environ["CONTRESENS_CT2_CACHE"] = str(root / "ct2")


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Directories of tiny fr->en and en->fr models trained on the shipped sample story."""
    root = tmp_path_factory.mktemp("models")
    fr = read(SAMPLES / "court-case.fr.txt")
    en = read(SAMPLES / "court-case.ref.en.txt") + "\n" + read(SAMPLES / "court-case.mt.en.txt")
    return {
        "fr-en": build_tiny_marian(root / "fr-en", fr, en, "fr", "en", seed=1),
        "en-fr": build_tiny_marian(root / "en-fr", en, fr, "en", "fr", seed=2),
    }


@pytest.fixture(scope="session")
def fr_en(tiny_models: dict[str, Path]):
    """The tiny fr->en model loaded through the production loader."""
    from service.translate import Translator

    return Translator.load(str(tiny_models["fr-en"]), device="cpu")


@pytest.fixture(scope="session")
def en_fr(tiny_models: dict[str, Path]):
    """The tiny en->fr model loaded through the production loader."""
    from service.translate import Translator

    return Translator.load(str(tiny_models["en-fr"]), device="cpu")
