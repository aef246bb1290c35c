"""The checks through the registry: markup is not read as numbers or names, idioms are not numbers,
a copied source silences the rest, names and offsets come out right."""

from __future__ import annotations

import pytest

from service.checks.base import CheckInput
from service.checks.registry import CHECKS, UnknownCheckError, resolve_names, run_checks


def rules(source: str, translation: str) -> list[tuple[str, str]]:
    return [(f.type, f.rule) for f in run_checks(CheckInput(source, translation), list(CHECKS))]


def test_markup_ids_and_placeholders_are_not_numbers() -> None:
    assert rules('Cliquez sur <g id="1">Enregistrer</g>.', 'Click <g id="1">Save</g>.') == []
    assert rules("{0} fichiers supprimés", "{0} files deleted") == []
    assert rules("{count, plural, =0 {Aucune notification} other {# notifications}}",
                 "{count, plural, =0 {No notifications} other {# notifications}}") == []
    renumbered = rules('Cliquez sur <g id="1">Enregistrer</g>.', 'Click <g id="2">Save</g>.')
    assert sorted(renumbered) == [("markup", "tag-added"), ("markup", "tag-missing")]  # and no number flag


def test_number_idioms_are_not_quantities() -> None:
    assert rules("Les faits se sont produits à deux pas de la mairie.",
                 "The incident took place a stone's throw from the town hall.") == []
    assert ("number", "number-missing") in rules("Deux hommes ont été interpellés à deux pas de la mairie.",
                                                 "Men were arrested near the town hall.")


def test_a_copied_source_is_one_flag() -> None:
    source = "Le suspect, âgé de 22 ans, a été interpellé mardi à 6 h 30 : « Je suis innocent » !"
    assert rules(source, source) == [("untranslated", "copied-source")]


def test_offsets_are_shifted_into_the_document() -> None:
    [flag] = run_checks(CheckInput("Il a 22 ans.", "He is 32."), ["numbers"], source_offset=100,
                        translation_offset=50, segment=4)
    assert (flag.rule, flag.source_start, flag.translation_start, flag.segment) == ("number-changed", 105, 56, 4)


def test_check_names_are_validated() -> None:
    assert resolve_names(None, ["length"]) == [n for n in CHECKS if n != "length"]
    assert resolve_names(["markup", "numbers"]) == ["numbers", "markup"]
    with pytest.raises(UnknownCheckError, match="unknown check.s. 'spelling'"):
        resolve_names(["spelling"])
