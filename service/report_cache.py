"""Whole reports kept across runs, so that re-checking an unchanged document costs a lookup.

The translation cache (`service.cache`) saves the model calls of an unchanged segment, but a check
also aligns sentences, runs the rule checks and computes sacrebleu's sentence metrics (TER with
shifts alone takes about 20 ms for a 25-word sentence): a cached CI re-run would still manage only
tens of segments per second. A `ReportCache` keeps each document's finished report in the same
`TranslationCache` (SQLite behind an LRU), under a key made of:

- the checker's signature for the call (models and revisions, backend, decoding, thresholds, score
  formula, glossary checksum, checks: everything the signature promises "same signature, same
  numbers" about);
- a fingerprint of contresens' own code (the bytes of every module of the `service` package), so a
  changed check or formula never answers with a report computed by the old code, even before the
  version number moves;
- the exact source, translation and reference.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from service.cache import TranslationCache, cache_key
from service.report import Report

SERVICE_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def code_fingerprint() -> str:
    """sha256 of the `service` package's Python sources (paths and bytes), computed once per process."""
    digest = hashlib.sha256()
    for path in sorted(SERVICE_PACKAGE.rglob("*.py")):
        digest.update(str(path.relative_to(SERVICE_PACKAGE)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


class ReportCache:
    """Reports by (signature, code fingerprint, texts), stored in a `TranslationCache`."""

    def __init__(self, cache: TranslationCache) -> None:
        self.cache = cache

    @staticmethod
    def key(signature: str, source: str, translation: str, reference: str | None, context: str = "") -> str:
        """The cache key of one document's report under `signature` (and the source `context` before it,
        which the names check reads)."""
        # None and "" must differ: a reference of "" is refused upstream, but the key should not rely on it
        ref = "\0none" if reference is None else reference
        extra = (context,) if context else ()
        return cache_key("report", signature, "", {"code": code_fingerprint()}, source, translation, ref, *extra)

    def get_many(self, keys: list[str]) -> dict[str, Report]:
        """The reports found, by key; an entry that no longer validates counts as a miss."""
        found: dict[str, Report] = {}
        for key, value in self.cache.get_many(keys).items():
            try:
                found[key] = Report.model_validate_json(value)
            except ValueError:
                continue
        return found

    def put_many(self, reports: dict[str, Report]) -> None:
        """Store `reports` by key."""
        if reports:
            self.cache.put_many({key: report.model_dump_json() for key, report in reports.items()})
