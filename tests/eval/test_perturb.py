"""`eval.perturb`: planted errors of each kind on synthetic sentence pairs, the clean-flag filter, known
detection counts from the rules-only checker, and the command on a tiny WMT-like folder."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from eval.perturb import PerturbResult, build_perturbations, detect, format_table, main, plant
from eval.perturb_kinds import (
    MIN_CHANGE,
    Perturbation,
    _shaped,
    changed_number,
    english_numbers,
    remove_name,
    replace_name,
)
from service.checker import Checker
from service.checks.source_names import SourceName
from service.config import Settings
from tests.eval.meta.test_data import write_year

PAIRS = [
    ("François Hollande a reçu 35 maires à Lyon.", "François Hollande received 35 mayors in Lyon."),
    ("Angela Merkel a rencontré les dirigeants de Renault à Berlin.",
     "Angela Merkel met the leaders of Renault in Berlin."),
    ("Le procureur a requis 4,5 ans de prison contre Marc Lefebvre.",
     "The prosecutor sought 4.5 years in prison against Marc Lefebvre."),
    ("Le parquet de Marseille a ouvert une enquête sur 1 200 contrats.",
     "The Marseille prosecutor's office opened an investigation into 1,200 contracts."),
    # the clean reference already has a number flag on the only number it could change: skipped
    ("Il a vendu 12 maisons en 12 jours.", "He sold 12 houses in 10 days."),
    # a number whose value is also a date's on the other side is never reported (the numbers check's
    # rule), so changing "21" (ans) only gets the minor number-added flag
    ("Le 21 novembre, la loi a visé les personnes de 21 ans.", "On Nov. 21, the law targeted people aged 21."),
    # a year is not a number to change
    ("Selon Vladimir Poutine, la Russie a gagné 2013 médailles.", "According to Vladimir Putin, Russia won 2013 medals."),
]
SOURCES = [s for s, _ in PAIRS]
REFERENCES = [r for _, r in PAIRS]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker.rules_only(Settings(cache=False))


@pytest.fixture(scope="module")
def planted(checker: Checker) -> list[Perturbation]:
    return build_perturbations(SOURCES, REFERENCES, seed=0, checker=checker)


@pytest.fixture(scope="module")
def result(checker: Checker, planted: list[Perturbation]) -> PerturbResult:
    return detect(checker, planted)


def of_kind(perturbations: list[Perturbation], kind: str) -> dict[int, Perturbation]:
    return {p.line: p for p in perturbations if p.kind == kind}


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def test_numbers_change_by_a_clear_margin_and_keep_their_format() -> None:
    rng = random.Random(0)
    for text in ("35", "1,200", "4.5", "0.5", "99", "1"):
        for _ in range(20):
            new = changed_number(text, rng)
            assert new is not None and new != text
            assert abs(_value(new) - _value(text)) >= MIN_CHANGE * _value(text)
            assert len(new) == len(text) and [c.isdigit() for c in new] == [c.isdigit() for c in text]


def test_years_dates_times_ordinals_and_codes_are_not_numbers_to_change() -> None:
    text = ("In 2013, on March 14 and 3 May, at 5 pm, the 21st G-20 met on 9/11 with 1980s rules, "
            "35 delegates and a €3m budget, 12.5% up; 10-year-old bonds.")
    found = [text[a:b] for a, b in english_numbers(text)]
    assert found == ["35", "3", "12.5", "10"]


def test_each_kind_plants_the_expected_edit(planted: list[Perturbation]) -> None:
    numbers = of_kind(planted, "number-changed")
    assert sorted(numbers) == [0, 2, 3, 5]  # not line 4 (flagged already) nor line 6 (a year)
    assert numbers[3].original == "1,200" and numbers[3].replacement.endswith(",200")
    for p in numbers.values():
        assert _value(p.replacement) != _value(p.original)
        (a, b), = p.reference_spans
        assert p.perturbed == p.reference[:a] + p.replacement + p.reference[b:]
        assert p.perturbed[slice(*p.span)] == p.replacement
    replaced = of_kind(planted, "name-replaced")
    pool = {"PER": {"François Hollande", "Angela Merkel", "Marc Lefebvre", "Vladimir Putin"},
            "LOC": {"Lyon", "Berlin", "Marseille", "Russia"}, "ORG": {"Renault"}}
    for p in replaced.values():
        assert p.original in p.reference and p.original not in p.perturbed
        assert p.replacement in pool[p.label] - {p.original} and p.replacement not in p.reference
        assert p.perturbed == p.reference.replace(p.original, p.replacement)
    removed = of_kind(planted, "name-removed")
    assert all(p.label in ("PER", "ORG") and p.original not in p.perturbed for p in removed.values())
    assert removed[2].perturbed == "The prosecutor sought 4.5 years in prison against."
    terms = of_kind(planted, "term-forbidden")
    assert terms[2].label == "procureur" and terms[2].replacement in ("procurator", "attorney general")
    assert terms[3].label == "parquet" and terms[3].original == "prosecutor's office"
    assert terms[3].perturbed == f"The Marseille {terms[3].replacement} opened an investigation into 1,200 contracts."


def test_a_clean_reference_with_a_flag_of_the_type_on_the_span_is_skipped(checker: Checker,
                                                                           planted: list[Perturbation]) -> None:
    candidates = plant(SOURCES, REFERENCES, seed=0, checker=checker)
    assert any(p.kind == "number-changed" and p.line == 4 for p in candidates)
    clean = checker.check(source=SOURCES[4], translation=REFERENCES[4])
    assert [f.rule for f in clean.flags if f.type == "number"] == ["number-changed"]
    assert not any(p.line == 4 for p in planted)


def test_a_segment_with_a_sentence_out_of_the_alignment_is_skipped(checker: Checker) -> None:
    source = ("Le maire de Lyon a longuement parlé hier soir devant le conseil municipal réuni en séance. "
              "Il a payé 35 euros.")
    reference = "He paid 35 euros."
    assert [p.kind for p in plant([source], [reference], checker=checker)] == ["number-changed"]
    assert build_perturbations([source], [reference], checker=checker) == []


def test_detection_counts_are_the_checkers(result: PerturbResult) -> None:
    figures = {row.kind: (row.planted, row.detected, row.detected_major) for row in result.figures()}
    assert figures == {"number-changed": (4, 4, 3), "name-replaced": (5, 5, 3), "name-removed": (3, 3, 3),
                       "term-forbidden": (2, 2, 2), "overall": (14, 14, 11)}
    by_line = {o.perturbation.line: o for o in result.outcomes if o.perturbation.kind == "number-changed"}
    assert [(f.rule, f.severity) for f in by_line[5].flags] == [("number-added", "minor")]
    assert all(f.type == o.perturbation.check_type for o in result.outcomes for f in o.flags)
    lines = format_table(result).splitlines()
    assert lines[1].split() == ["number-changed", "4", "4", "1.000", "3", "0.750"]
    assert lines[-1].split() == ["overall", "14", "14", "1.000", "11", "0.786"]


def test_per_kind_caps_each_kind(checker: Checker) -> None:
    few = build_perturbations(SOURCES, REFERENCES, seed=3, per_kind=1, checker=checker)
    assert sorted(p.kind for p in few) == ["name-removed", "name-replaced", "number-changed", "term-forbidden"]


def test_removal_takes_title_article_preposition_and_possessive() -> None:
    source = "M. Martin a parlé au nom de la société Danone."
    name = SourceName(39, 45, "Danone", "ORG", ((39, 45),))
    p = remove_name(0, source, "Mr Martin spoke on behalf of the company Danone's staff today.", name)
    assert p is not None and p.perturbed == "Mr Martin spoke on behalf of the company staff today."
    person = SourceName(3, 9, "Martin", "PER", ((3, 9),))
    p = remove_name(0, source, "Mr Martin spoke for Danone, as Martin's aide said.", person)
    assert p is not None and p.perturbed == "Spoke for Danone, as aide said." and p.span == (0, 0)


def test_a_name_still_conveyed_is_not_planted() -> None:
    source = "La Banque centrale européenne (BCE) a publié un rapport."
    bce = SourceName(31, 34, "BCE", "ORG", ((31, 34),))
    reference = "The European Central Bank (ECB) published a report."
    assert remove_name(0, source, reference, bce) is None  # "European Central Bank" still spells it out
    pool = [("ORG", "Renault", 1)]
    assert replace_name(0, source, reference, bce, pool, random.Random(0)) is None


def test_forbidden_renderings_take_the_plural_and_capital_of_what_they_replace() -> None:
    assert _shaped("functionary", "officials", "official") == "functionaries"
    assert _shaped("floor", "Prosecutors", "prosecutor") == "Floors"
    assert _shaped("attorney general", "prosecutor", "prosecutor") == "attorney general"


def test_command_prints_the_table_and_writes_json_and_tsv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_year(tmp_path / "data", 13, sources=SOURCES, references=REFERENCES,
                      outputs={"a": REFERENCES, "b": SOURCES}, rank_lines=["1\tfr-en\tsys1\tfr-en\tsys2"])
    js, out = tmp_path / "p.json", tmp_path / "out"
    assert main(["--data", str(data), "--json", str(js), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "WMT13 references, 7 segments, seed 0; rules only" in printed
    assert "overall               14       14  1.000      11  0.786" in printed
    payload = json.loads(js.read_text(encoding="utf-8"))
    assert payload["kinds"]["name-removed"]["planted"] == 3 and payload["overall"]["detected_major"] == 11
    assert len(payload["records"]) == 14
    record = next(r for r in payload["records"] if r["kind"] == "number-changed" and r["line"] == 6)
    assert record["detected"] == "minor" and record["flags"][0]["rule"] == "number-added"
    with (out / "perturbations.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    assert rows[0] == ["kind", "line", "source", "reference", "perturbed", "span", "detected"]
    assert len(rows) == 15 and {r[6] for r in rows[1:]} == {"major", "minor"}


def test_limit_reads_only_the_first_segments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_year(tmp_path / "data", 13, sources=SOURCES, references=REFERENCES,
                      outputs={"a": REFERENCES, "b": SOURCES}, rank_lines=["1\tfr-en\tsys1\tfr-en\tsys2"])
    assert main(["--data", str(data), "--limit", "1"]) == 0
    assert "1 segments" in capsys.readouterr().out


def test_bad_data_exits_2_naming_the_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    assert main(["--data", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and str(missing / "wmt13-newstest2013-fr-en") in err


def test_one_model_without_the_other_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--data", str(tmp_path), "--forward-model", str(tmp_path)])
    assert exit_info.value.code == 2
