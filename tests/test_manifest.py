"""Every file shipped under corpora/ is listed in corpora/MANIFEST with its current checksum."""

from __future__ import annotations

import hashlib

from tests.conftest import ROOT

CORPORA = ROOT / "corpora"


def test_manifest_lists_every_file_with_its_checksum() -> None:
    rows = [line.split("\t") for line in (CORPORA / "MANIFEST").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    listed = {row[0]: row for row in rows}
    assert all(len(row) == 4 and row[2] and row[3] for row in rows), "path, sha256, author, description"
    shipped = {str(p.relative_to(CORPORA)) for p in CORPORA.rglob("*") if p.is_file() and p.name != "MANIFEST"}
    assert shipped == set(listed)
    for path, row in listed.items():
        assert hashlib.sha256((CORPORA / path).read_bytes()).hexdigest() == row[1], path
