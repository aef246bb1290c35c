"""Names and length checks: exact flags on realistic sentences, positive and negative cases."""

from __future__ import annotations

import pytest

from service.checks.base import CheckInput
from service.checks.length import check_length, length_delta
from service.checks.names import check_names


def names(source: str, translation: str, protected: tuple[tuple[int, int], ...] = ()) -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity, f.source_text or "") for f in check_names(CheckInput(source, translation,
                                                                                      protected=protected))]


def test_names_kept_with_or_without_accents_pass() -> None:
    assert names("M. Karim Vasseur, gérant d'une entreprise à Évry, a été interpellé.",
                 "Mr Karim Vasseur, who runs a company in Evry, was arrested.") == []


def test_misspelled_changed_and_missing_names() -> None:
    assert names("Selon Karim Vasseur, l'enquête avance.", "According to Karim Vasser, the inquiry is progressing.") \
        == [("name-misspelled", "minor", "Karim Vasseur")]
    assert names("Selon Karim Vasseur, l'enquête avance.", "According to Kevin Vasseur, the inquiry is progressing.") \
        == [("name-changed", "major", "Karim Vasseur")]
    assert names("Mme Sandrine Aubry, cheffe de l'ONAF, a salué le travail.",
                 "Sandrine Aubry, its head, praised the work.") == [("name-missing", "major", "ONAF")]


def test_exonyms_sentence_starts_titles_and_months_are_not_missing_names() -> None:
    assert names("Les fonds ont été transférés à Londres puis en Allemagne en Mars.",
                 "The funds were moved to London and then to Germany in March.") == []
    assert names("Trois hommes ont été interpellés mardi.", "Three men were arrested on Tuesday.") == []


def test_protected_spans_are_left_to_the_glossary() -> None:
    source = "Le juge Karim Vasseur a rejeté le recours."
    start = source.index("Karim")
    assert names(source, "Judge Kevin Vasseur rejected the appeal.") == [("name-changed", "major", "Karim Vasseur")]
    assert names(source, "Judge Kevin Vasseur rejected the appeal.", ((start, start + 13),)) == []


def test_names_made_of_translated_words_are_not_reported() -> None:
    # "Conseil d'État": a common noun opening the name and a noun French capitalises by convention; the
    # English translates both, so without a model nothing can be checked (the glossary knows this one)
    assert names("Le Conseil d'État a rejeté le recours.", "The Council of State rejected the appeal.") == []


def test_length_ratio_flags_a_half_translation_only() -> None:
    source = ("Les enquêteurs ont saisi deux voitures de luxe, 85 000 euros en espèces et une dizaine de montres "
              "de valeur lors des perquisitions menées mardi dans l'Essonne.")
    full = ("Investigators seized two luxury cars, €85,000 in cash and about ten valuable watches during searches "
            "carried out on Tuesday in Essonne.")
    assert check_length(CheckInput(source, full)) == []
    [flag] = check_length(CheckInput(source, "Investigators seized two luxury cars."))
    assert (flag.type, flag.rule, flag.severity) == ("length", "length-ratio", "major")
    assert "shorter" in flag.message
    [flag] = check_length(CheckInput("Il a été interpellé mardi.",
                                     "He was arrested on Tuesday. " * 6))
    assert flag.severity == "minor" and "longer" in flag.message


def test_length_ignores_headings_and_uses_pair_constants() -> None:
    assert check_length(CheckInput("Faits divers", "News in brief: a long and wordy heading")) == []
    assert length_delta("a" * 100, "a" * 87, ratio=0.87, variance=2.04) == pytest.approx(0.0)


def test_first_names_translated_and_other_acronyms_are_changes() -> None:
    assert names("Pierre Lefort a démissionné.", "Peter Lefort has resigned.") == [
        ("name-changed", "major", "Pierre Lefort")]
    assert names("Marc Delaunay a été élu.", "Mark Delaunay was elected.") == [
        ("name-misspelled", "minor", "Marc Delaunay")]
    assert names("La SNCF a présenté ses excuses.", "The RATP apologised.") == [("name-changed", "major", "SNCF")]
    assert names("Le festival de Vannes a attiré un public record.", "The Cannes festival drew a record crowd.") == [
        ("name-changed", "major", "Vannes")]


def test_markup_elisions_and_roman_numerals_are_not_names() -> None:
    assert names("Merci !<br/>L'équipe Solvane", "Thank you!<br/>The Solvane team") == []
    assert names("<b>Attention</b> : cette action est irréversible.", "<b>Warning</b>: this cannot be undone.") == []
    assert names("L'ancien trésorier a remboursé la somme.", "The former treasurer repaid the sum.") == []
    assert names("La chapelle date du XVIIe siècle.", "The chapel dates from the 17th century.") == []
    assert names("L'usine Vernaud de Cholet ferme.", "The Vernaud factory in Cholet is closing.") == []
