"""Every context rule of the built-in termbase has a positive and a negative case, and both hold."""

from __future__ import annotations

import csv

import pytest

from service.glossary.detector import TermDetector
from service.glossary.loading import load_builtin
from tests.conftest import ROOT

CASES = ROOT / "tests" / "data" / "glossary" / "context-cases.tsv"


def _cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def detector() -> TermDetector:
    return TermDetector(load_builtin())


def test_every_context_rule_has_both_cases() -> None:
    ruled = {c.id for c in load_builtin() if c.context_exclude or c.context_require}
    cases = _cases()
    positive = {row["concept"] for row in cases if row["expect"] == "match"}
    negative = {row["concept"] for row in cases if row["expect"] == "no-match"}
    assert ruled - positive == set(), "concepts with a context rule but no case where they must match"
    assert ruled - negative == set(), "concepts with a context rule but no case where they must not"


@pytest.mark.parametrize("case", _cases(), ids=lambda row: f"{row['concept']}-{row['expect']}")
def test_context_case(detector: TermDetector, case: dict[str, str]) -> None:
    found = {occurrence.concept.id for occurrence in detector.find_terms(case["sentence"])}
    assert (case["concept"] in found) == (case["expect"] == "match"), case["sentence"]
