"""Finding and loading termbases: the built-in one in `corpora/glossary/`, user files by extension."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from service.config import Settings
from service.glossary.concept import Concept, Glossary
from service.glossary.csv_format import read_csv
from service.glossary.errors import GlossaryFormatError
from service.glossary.tbx_format import read_tbx

BUILTIN_ENV = "CONTRESENS_GLOSSARY_DIR"
READERS = {".csv": read_csv, ".tsv": read_csv, ".tbx": read_tbx, ".xml": read_tbx}


def builtin_dir() -> Path:
    """The built-in termbase folder: `$CONTRESENS_GLOSSARY_DIR`, else `corpora/glossary` of this checkout."""
    override = os.environ.get(BUILTIN_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "corpora" / "glossary"


def read_concepts(path: str | Path) -> list[Concept]:
    """Concepts of one termbase file, by its extension (.csv, .tsv, .tbx, .xml)."""
    suffix = Path(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise GlossaryFormatError(str(path), f"unknown termbase format {suffix!r} (use .csv, .tsv, .tbx or .xml)")
    return reader(path)


@lru_cache(maxsize=4)
def _builtin(folder: str) -> Glossary:
    root = Path(folder)
    files = sorted(root.glob("*.csv"))
    if not files:
        raise GlossaryFormatError(
            folder, f"no built-in termbase (*.csv) here; set {BUILTIN_ENV} to the corpora/glossary folder"
        )
    return Glossary([c for f in files for c in read_csv(f)], name="builtin")


def load_builtin() -> Glossary:
    """The shipped French->English justice and police termbase (read once per process)."""
    return _builtin(str(builtin_dir()))


def load_glossary(user_files: Sequence[str | Path] = (), *, builtin: bool = True) -> Glossary:
    """The built-in termbase (unless `builtin=False`) overlaid with the user files, in order."""
    glossary = load_builtin() if builtin else Glossary([], name="empty")
    for path in user_files:
        glossary = glossary.merged_with(Glossary(read_concepts(path), name=Path(path).name))
    return glossary


def glossary_for(settings: Settings) -> Glossary:
    """The glossary a run uses: the built-in one for fr->en (unless switched off) and the user files."""
    builtin = settings.builtin_glossary and (settings.source_lang, settings.target_lang) == ("fr", "en")
    return load_glossary(settings.glossary, builtin=builtin)
