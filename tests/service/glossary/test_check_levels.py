"""How strictly a concept is checked (`check`) and the term policy: fields, files and flags."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from service.glossary.concept import Concept, Glossary
from service.glossary.csv_format import COLUMNS, read_csv, write_csv
from service.glossary.detector import TermDetector
from service.glossary.errors import GlossaryFormatError
from service.glossary.layered import LayeredTerms
from service.glossary.loading import builtin_dir, load_builtin
from service.glossary.tbx_format import read_tbx, write_tbx
from tests.conftest import ROOT

MINI = ROOT / "tests" / "data" / "glossary" / "mini.csv"

VOCABULARY = Glossary([
    Concept(id="delit", french=["délit"], approved=["offence", "offense"], forbidden=["delict"],
            check="mistranslation"),
    Concept(id="accuse", french=["accusé"], approved=["defendant", "accused"], check="mistranslation"),
    Concept(id="verdict", french=["verdict"], approved=["ruling"], check="mistranslation"),
    Concept(id="garde-a-vue", french=["garde à vue"], approved=["police custody", "custody"],
            forbidden=["view guard"], check="mistranslation"),
    Concept(id="tribunal-correctionnel", french=["tribunal correctionnel"], approved=["criminal court"],
            forbidden=["correctional court"]),
])


@pytest.fixture(scope="module")
def detector() -> TermDetector:
    return TermDetector(VOCABULARY)


def flags(detector: TermDetector, source: str, translation: str) -> list[tuple[str, str, str, str | None]]:
    return [(f.rule, f.concept or "", f.severity, f.translation_text)
            for f in detector.check(source=source, translation=translation)]


def test_user_termbases_without_the_column_are_checked_for_renderings() -> None:
    assert "check" not in MINI.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {c.check for c in read_csv(MINI)} == {"rendering"}
    assert Concept(id="x", french=["x"], approved=["y"]).check == "rendering"


def test_a_termbase_without_the_column_keeps_its_checksum() -> None:
    # the value the mini termbase had before `check` existed: its baselines stay comparable
    assert Glossary(read_csv(MINI)).checksum == "sha256:99aa40dc5a657d20"
    relaxed = [c.model_copy(update={"check": "mistranslation"}) if c.id == "parquet" else c for c in read_csv(MINI)]
    assert Glossary(relaxed).checksum != "sha256:99aa40dc5a657d20"


def test_check_round_trips_through_csv_tsv_and_tbx(tmp_path: Path) -> None:
    concepts = list(VOCABULARY)
    for name in ("v.csv", "v.tsv"):
        write_csv(concepts, tmp_path / name)
        assert read_csv(tmp_path / name) == concepts
    write_tbx(concepts, tmp_path / "v.tbx")
    assert read_tbx(tmp_path / "v.tbx") == concepts
    assert "<note>contresens:check=mistranslation</note>" in (tmp_path / "v.tbx").read_text(encoding="utf-8")


def test_bad_check_values_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,french,english_approved,check\nx,délit,offence,loose\n", encoding="utf-8")
    with pytest.raises(GlossaryFormatError, match="Input should be 'rendering' or 'mistranslation'") as info:
        read_csv(path)
    assert (info.value.line, info.value.field) == (2, "check")
    path.write_text("id,french,english_approved,do_not_translate,check\nx,ONAF,ONAF,yes,mistranslation\n",
                    encoding="utf-8")
    with pytest.raises(GlossaryFormatError, match="do-not-translate name is checked for its rendering") as info:
        read_csv(path)
    assert info.value.field == "check"


def test_mistranslation_concepts_pass_any_other_wording(detector: TermDetector) -> None:
    # translators restructure: no approved word is needed under the default policy
    assert flags(detector, "Il a commis un délit.", "He broke the law.") == []
    assert flags(detector, "Il a été placé en garde à vue.", "He was arrested.") == []
    strict = detector.with_policy("strict")
    assert flags(strict, "Il a commis un délit.", "He broke the law.") == [
        ("missing-approved-rendering", "delit", "major", None)]


def test_forbidden_renderings_are_flagged_under_both_policies(detector: TermDetector) -> None:
    for policy in ("mistranslation", "strict"):
        assert flags(detector.with_policy(policy), "Il a été placé en garde à vue.", "He was put in view guard.") == [
            ("forbidden-rendering", "garde-a-vue", "critical", "view guard")]


def test_rendering_concepts_still_need_an_approved_rendering(detector: TermDetector) -> None:
    assert flags(detector, "Le tribunal correctionnel a tranché.", "The judges decided.") == [
        ("missing-approved-rendering", "tribunal-correctionnel", "major", None)]


def test_term_left_in_french(detector: TermDetector) -> None:
    [flag] = detector.check(source="Il a commis un délit routier.", translation="He committed a road délit.")
    assert (flag.rule, flag.severity, flag.concept, flag.suggestion) == ("term-left-in-french", "major", "delit",
                                                                          "offence")
    assert (flag.translation_start, flag.translation_end, flag.translation_text) == (20, 25, "délit")
    assert "left untranslated" in flag.message and flag.confidence == 0.8
    # accents dropped, a plural, several words, capitals
    assert flags(detector, "Deux délits.", "Two delits.") == [("term-left-in-french", "delit", "major", "delits")]
    assert flags(detector, "Placé en garde à vue.", "Placed in GARDE A VUE.") == [
        ("term-left-in-french", "garde-a-vue", "major", "GARDE A VUE")]
    # under strict the same row is a missing rendering, as before the rule existed
    assert flags(detector.with_policy("strict"), "Il a commis un délit.", "He committed a délit.") == [
        ("missing-approved-rendering", "delit", "major", None)]


def test_words_that_are_english_too_are_not_left_in_french(detector: TermDetector) -> None:
    assert flags(detector, "Le verdict est tombé.", "The verdict came.") == []
    assert flags(detector, "Ils accusent l'accusé.", "They accuse the man.") == []  # "accuse" is English
    assert flags(detector, "L'accusé se tait.", "The accusé is silent.") == [
        ("term-left-in-french", "accuse", "major", "accusé")]


def test_each_french_word_left_is_reported_once(detector: TermDetector) -> None:
    source, translation = "Un délit puis un autre délit.", "A délit and an offence."
    assert flags(detector, source, translation) == [("term-left-in-french", "delit", "major", "délit")]
    assert [f.rule for f in detector.check(source=source, translation="A délit and another délit.")] == [
        "term-left-in-french", "term-left-in-french"]


def test_a_left_term_keeps_its_confidence_with_a_back_translation(detector: TermDetector) -> None:
    [flag] = detector.check(source="Un délit.", translation="A délit.", back_translation="Un délit.")
    assert flag.confidence == 0.8 and flag.back_translation_has_term is True


def test_policies_are_checked_and_views_share_the_indices(detector: TermDetector) -> None:
    with pytest.raises(ValueError, match="unknown term policy 'lenient'"):
        detector.with_policy("lenient")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown term policy"):
        TermDetector(VOCABULARY, policy="loose")  # type: ignore[arg-type]
    strict = detector.with_policy("strict")
    assert strict.policy == "strict" and detector.policy == "mistranslation" and strict._terms is detector._terms
    assert detector.with_policy("mistranslation") is detector


def test_request_entries_follow_the_policy(detector: TermDetector) -> None:
    user = Glossary([Concept(id="plainte", french=["plainte"], approved=["complaint"], check="mistranslation")])
    layered = LayeredTerms(detector, user, source_lang="fr", target_lang="en")
    source = "Sa plainte contre le délit."
    assert layered.check(source=source, translation="His grievance about the crime.") == []
    strict = layered.with_policy("strict")
    assert sorted(f.concept or "" for f in strict.check(source=source, translation="His grievance about the crime.")
                  ) == ["delit", "plainte"]
    assert LayeredTerms(detector, user, source_lang="fr", target_lang="en", policy="strict").policy == "strict"


def test_every_builtin_concept_says_how_it_is_checked() -> None:
    for path in sorted(builtin_dir().glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            assert tuple(reader.fieldnames or ()) == COLUMNS, path.name
            assert {row["check"] for row in reader} <= {"rendering", "mistranslation"}, path.name
    builtin = list(load_builtin())
    checks = {c.id: c.check for c in builtin}
    assert all(c.check == "rendering" for c in builtin if c.do_not_translate)
    # institutions, courts, agencies and named bodies / general legal vocabulary
    assert {checks[i] for i in ("parquet", "cour-de-cassation", "tribunal-correctionnel", "gendarmerie-nationale",
                                "ministere-de-la-justice", "assemblee-nationale", "juge-d-instruction")} == {"rendering"}
    assert {checks[i] for i in ("victime", "delit", "proces", "condamnation", "peine-de-prison", "audience",
                                "plainte", "gendarme", "policier", "procureur", "garde-a-vue")} == {"mistranslation"}
