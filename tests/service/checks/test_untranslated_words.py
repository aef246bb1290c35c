"""Tests of `untranslated-word` (service.checks.untranslated_words): French words left in an English
sentence. The cases are real: WMT12/13 system outputs that leave a word in French, and WMT12/13
reference translations (professional, right) that keep French names, loanwords or a quoted word."""

from __future__ import annotations

import pytest

from service.checks.base import CheckInput
from service.checks.untranslated import check_untranslated
from service.checks.untranslated_words import check_untranslated_words, known_word
from tests.service.checks.rows import Row, flag_rows


def words(source: str, translation: str) -> list[Row]:
    """(rule, severity, source text, translation text) of the untranslated flags, spans checked."""
    return flag_rows(check_untranslated, CheckInput(source, translation), "untranslated")


@pytest.mark.parametrize(("source", "translation", "left"), [
    # WMT13 systems
    ("On sait par la recherche que les extravertis mentent plus que les introvertis.",
     "We know from research that the extravertis lie more than the introvertis.", ["extravertis", "introvertis"]),
    ("Dans un cylindre placé verticalement, les chercheurs avaient installé un petit seau avec une larve.",
     "In a cylindre placed vertically, researchers had set a little bucket with a larva.", ["cylindre"]),
    ("Pitt, un petit homme au visage pustuleux, se portait bien.",
     "Pitt, a small man with the pustuleux face, carried himself easily.", ["pustuleux"]),
    ("Presque chaque élève boit tous les jours des boissons sucrées.",
     "Almost every pupil drink every day sucrées drinks.", ["sucrées"]),
])
def test_a_french_word_left_in_the_english_is_major(source: str, translation: str, left: list[str]) -> None:
    rows = words(source, translation)
    assert [t for _, _, _, t in rows] == left
    assert all(rule == "untranslated-word" and severity == "major" and s == t for rule, severity, s, t in rows)


def test_neighbouring_words_make_one_flag() -> None:
    rows = words("Il expose surtout les toiles impressionnistes de Monet.",
                 "It mainly shows the toiles impressionnistes of Monet.")
    assert rows == [("untranslated-word", "major", "toiles", "toiles impressionnistes")]


@pytest.mark.parametrize(("source", "translation"), [
    # WMT12 reference: a French institution's name kept, with its acronym
    ("Selon la Caisse nationale d'assurance maladie (CNAM), plus de 237 millions d'euros ont été versés en 2006.",
     "According to the Caisse nationale d'assurance maladie (CNAM), over 237 million Euros were paid in 2006."),
    # WMT13 reference: a quoted French word, glossed
    ("Il s'agissait d'un pantalon, d'une chemise, d'un gilet \"gillette\" et d'une veste.",
     "It was a pair of trousers, a shirt, a \"gilet\" waistcoat and jacket."),
    # loanwords English news uses, and an accent English drops
    ("La gendarmerie est intervenue dans la banlieue de Lyon contre l'élite du crime.",
     "The gendarmerie intervened in the banlieue of Lyon against the élite of crime."),
    # WMT12 reference: an English word simplemma does not know
    ("Ils insistent sur ses tergiversations en Syrie.", "They insist on his tergiversations in Syria."),
    # a hyphenated word made of English words
    ("Elle produit aussi des sweat-shirt.", "It also produces sweat-shirt."),
    # a capitalised word is a name or a sentence start, not checked here
    ("Javel est une ville.", "Javel is a town."),
    # Potet post-edits: British spelling, and an English compound no word list holds
    ("Il dénonce la militarisation de la région.", "He denounces the militarisation of the region."),
    ("Les lacunes de la pharmacovigilance sont connues.", "The shortcomings of pharmacovigilance are known."),
])
def test_real_translations_that_keep_a_word_are_not_flagged(source: str, translation: str) -> None:
    assert words(source, translation) == []


def test_a_term_the_glossary_checks_is_left_to_the_glossary() -> None:
    source = "Il est poursuivi pour un délit de fuite."
    translation = "He is prosecuted for a délit of fleeing."
    assert [r[3] for r in words(source, translation)] == ["délit"]
    start = source.index("délit")
    item = CheckInput(source, translation, protected=((start, start + len("délit")),))
    assert check_untranslated_words(item) == []


def test_a_sentence_in_french_is_one_wrong_language_flag_not_many_words() -> None:
    source = "Le suspect a été placé en garde à vue hier soir. Il a nié."
    translation = "Le suspect a été placé en garde à vue hier soir. He denied it."
    assert [r[0] for r in words(source, translation)] == ["wrong-language"]


def test_the_same_language_on_both_sides_is_not_checked() -> None:
    assert check_untranslated_words(CheckInput("les extravertis", "les extravertis", "fr", "fr")) == []


def test_dictionaries() -> None:
    assert known_word("envoûtant", "fr") and not known_word("envoûtant", "en")
    assert known_word("gendarmerie", "en")  # pyspellchecker's list, not simplemma's
    assert known_word("élite", "en")  # without its accents


def test_a_name_the_mt_lower_cased_is_the_names_check_business() -> None:
    # WMT13 system output: the surname Gausse, lower-cased, is also a French verb form
    source = "Je me souviens qu'il disait que si Mincy avait permis à Bayamon de gagner, Gausse nous aiderait."
    assert words(source, "I remember that if Mincy had allowed Bayamon to win, gausse would help us.") == []


def test_a_french_word_after_a_combining_form_is_still_french() -> None:
    # "neuro" + "logues" is not an English compound: "logues" is too short a stem to vouch for it
    rows = words("Les neurologues sont inquiets.", "The neurologues are worried.")
    assert [r[0] for r in rows] == ["untranslated-word"]


@pytest.mark.parametrize(("source", "translation", "left"), [
    # WMT13 system outputs: short French function words no English dictionary check can catch
    # ("les" and "des" are in pyspellchecker's list, as parts of names)
    ("\"Dans d'autres endroits du globe, les gens ne pense pas à cela\", assure-t-il.",
     "\"In other parts of the globe, the les gens people do not think this\", he says.", ["les"]),
    ("Selon quels critères, avez-vous les choisis ?", "According to what criteria, avez-vous les chosen?",
     ["les"]),
])
def test_french_function_words_left_in_the_english(source: str, translation: str, left: list[str]) -> None:
    assert [t for _, _, _, t in words(source, translation)] == left


@pytest.mark.parametrize(("source", "translation", "left"), [
    # WMT13 system outputs: the French first word of the sentence kept, capital and all
    ("Régresser au stade de l'enfant, pour certaines personnes, est une humiliation inacceptable.",
     "Régresser at the stage of the child, for some people, is an unacceptable humiliation.", ["Régresser"]),
    ("Malmené par la vie, ce jeune sympathique et intelligent pourrait être guide touristique.",
     "Malmené by this young, friendly and intelligent life could be a tourist guide.", ["Malmené"]),
])
def test_a_french_word_kept_at_the_start_of_a_sentence(source: str, translation: str, left: list[str]) -> None:
    rows = words(source, translation)
    assert [t for _, _, _, t in rows] == left
    assert all(severity == "major" for _, severity, _, _ in rows)


@pytest.mark.parametrize(("source", "translation"), [
    # WMT13 reference: a first name at the start of both sentences (the recogniser's PER)
    ("Gilles Surprenant, ancien ingénieur des travaux publics, l'a décrit en détail devant la commission.",
     "Gilles Surprenant, former public works engineer, described it in detail in front of the commission."),
    # Potet post-edit: a French name kept, "des" inside it
    ("Des dizaines de milliers de manifestants ont défilé samedi devant le Palais des Congrès.",
     "Tens of thousands of protesters marched Saturday in front of the Palace des Congrès."),
    # Potet post-edit: a Latin saying ("qui" is left out of the function words for it)
    ("Le monde doit méditer ce vieux dicton latin, qui tacet consentire videtur.",
     "The world must consider this old latin saying, qui tacet consentire videtur."),
    # English "pour" and "par" are words of English
    ("Pour lui, c'est un exemple par excellence.", "For him, it is an example par excellence."),
])
def test_names_latin_and_english_words_are_not_function_words(source: str, translation: str) -> None:
    assert words(source, translation) == []


def test_a_function_word_after_a_capitalised_word_is_part_of_a_name() -> None:
    # WMT12 reference (development split): a French institute's name kept
    assert words("Selon l'Institut de Recherche et de Documentation en Economie de la Santé, la dépense a augmenté.",
                 "According to l'Institut de Recherche et de Documentation en Economie de la Santé, spending rose.") == []
    # but a sentence's capitalised first word is no name
    assert [r[3] for r in words("Selon les experts, le risque est faible.", "According les experts, the risk is low.")
            ] == ["les"]
    assert [r[3] for r in words("Il a vu et il a dit.", "He saw et he said.")] == ["et"]
