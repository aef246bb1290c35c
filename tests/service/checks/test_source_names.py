"""Which names the source holds and which of their words the English must keep (core words)."""

from __future__ import annotations

import pytest

from service.checks.source_names import capitalised_names, is_common_word, source_names


def core(text: str) -> dict[str, list[str]]:
    return {n.text: [text[a:b] for a, b in n.core] for n in source_names(text, "fr")}


@pytest.mark.parametrize(("sentence", "name", "words"), [
    ("La Bourse de Paris a ouvert en hausse.", "Bourse de Paris", ["Paris"]),
    ("Il a déposé plainte auprès de la Faculté de Droit.", "Faculté de Droit", []),
    ("Les Frères musulmans ont manifesté au Caire.", "Frères musulmans", []),
    ("Pierre Martin est arrivé à Lyon.", "Pierre Martin", ["Pierre", "Martin"]),
    ("Jean-Paul II a visité la Pologne.", "Jean-Paul II", ["II"]),
    ("Le gouverneur du Nord-Kivu est arrivé.", "Nord-Kivu", ["Kivu"]),
    ("Les enquêteurs du shérif du Comté de Lowndes ont conclu.", "Comté de Lowndes", ["Lowndes"]),
])
def test_core_words(sentence: str, name: str, words: list[str]) -> None:
    assert core(sentence)[name] == words


def test_what_is_not_a_name() -> None:
    assert "Lorsque" not in " ".join(core("Lorsque François Hollande téléphone, il parle."))
    assert all(not words for words in core("Visitez des musées uniques.").values())
    assert core("Il provoquera une situation CRITIQUE au Kosovo.").get("CRITIQUE", []) == []  # a shouted word
    assert not [n for n in source_names("Les revenus ont reculé à 4,1 Md$.", "fr") if n.core]


def test_acronyms_the_recogniser_missed_are_names() -> None:
    names = source_names("Le taux de TVA passe à 20 % et la DGCCRF contrôle les prix.", "fr")
    assert [(n.text, [n.text]) for n in names] == [("TVA", ["TVA"]), ("DGCCRF", ["DGCCRF"])]
    assert all(n.core == ((n.start, n.end),) for n in names)


def test_glossary_spans_are_left_out_and_other_languages_use_capitals() -> None:
    text = "Le parquet de Nanterre a ouvert une enquête."
    assert source_names(text, "fr", protected=((3, 22),)) == []
    assert [n.text for n in source_names("Ayer habló Pedro Sánchez en Madrid.", "es")] == ["Pedro Sánchez", "Madrid"]
    assert capitalised_names("On Friday Pedro Sánchez spoke in Madrid.") == [(10, 23), (33, 39)]


def test_common_words_come_from_the_dictionary() -> None:
    assert is_common_word("Bourse") and is_common_word("Etat") and is_common_word("Combien")
    assert not is_common_word("Hollande") and not is_common_word("Lowndes")
