"""Numbers check: numerals parsed on both sides, exact flags on realistic news sentences, and
property tests that formatting a number (digits or words, French or English) then scanning it
gives the value back."""

from __future__ import annotations

import importlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.checks.base import CheckInput
from service.checks.numbers import check_numbers
from service.checks.numerals import (
    english_form,
    english_numerals,
    english_words_value,
    format_english_number,
    french_numerals,
    french_words_value,
    scan_english,
    scan_french,
)
from service.checks.registry import CHECKS, load_check
from tests.conftest import SAMPLES, read


def flags(source: str, translation: str) -> list[tuple[str, str | None, str | None]]:
    """(rule, source text, translation text) of each flag."""
    return [(f.rule, f.source_text, f.translation_text) for f in check_numbers(CheckInput(source, translation))]


def values(numerals: list) -> list[tuple[str, float, str]]:
    return [(n.text, n.value, n.kind) for n in numerals]


# --- French parsing ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Le montant s'élève à 1 234,5 euros.", ("1 234,5 euros", 1234.5, "cardinal")),
    ("Le montant s'élève à 1\u202f234,5 euros.", ("1\u202f234,5 euros", 1234.5, "cardinal")),
    ("Le montant s'élève à 1\u00a0234\u00a0567 euros.", ("1\u00a0234\u00a0567 euros", 1234567, "cardinal")),
    ("La commune compte 1.234.567 habitants.", ("1.234.567", 1234567, "cardinal")),
    ("Le taux est passé à 0,3 point.", ("0,3", 0.3, "cardinal")),
    ("Le chômage atteint 12,5 % de la population active.", ("12,5 %", 12.5, "percent")),
    ("Les prix ont grimpé de 4 pour cent en un an.", ("4 pour cent", 4, "percent")),
    ("L'État a débloqué 3 millions d'euros.", ("3 millions d'euros", 3e6, "cardinal")),
    ("Le contrat est estimé à 1,2 milliard.", ("1,2 milliard", 1.2e9, "cardinal")),
    ("Le groupe a levé 2,5 Mds € l'an dernier.", ("2,5 Mds €", 2.5e9, "cardinal")),
    ("Le club a dépensé 15 M€ pour le joueur.", ("15 M€", 15e6, "cardinal")),
    ("Quelque 300 000 manifestants ont défilé.", ("300 000", 300000, "cardinal")),
    ("La dette dépasse 1 billion d'euros.", ("1 billion d'euros", 1e12, "cardinal")),
    ("Il habite dans le 1er arrondissement.", ("1er", 1, "ordinal")),
    ("Il a été éliminé au 2e tour.", ("2e", 2, "ordinal")),
    ("L'équipe a fini 3ème du championnat.", ("3ème", 3, "ordinal")),
    ("Un défi majeur du XXIe siècle.", ("XXIe", 21, "ordinal")),
    ("Il a été élu sous la Ve République.", ("Ve", 5, "ordinal")),
])
def test_french_digit_forms(text: str, expected: tuple[str, float, str]) -> None:
    numerals = [n for n in french_numerals(text) if not n.weak]
    assert len(numerals) == 1, numerals
    [numeral] = numerals
    assert (numeral.text, numeral.kind) == (expected[0], expected[2])
    assert math.isclose(numeral.value, expected[1])
    assert text[numeral.start:numeral.end] == numeral.text


@pytest.mark.parametrize(("words", "value"), [
    ("vingt", 20), ("vingt-deux", 22), ("vingt et un", 21), ("soixante-dix", 70), ("soixante et onze", 71),
    ("quatre-vingts", 80), ("quatre-vingt-un", 81), ("quatre-vingt-dix-neuf", 99), ("cent", 100), ("cent un", 101),
    ("deux cents", 200), ("deux cent cinq", 205), ("mille", 1000), ("trois mille", 3000), ("deux mille vingt-trois", 2023),
    ("un million", 1_000_000), ("deux millions trois cent mille", 2_300_000), ("deux-cent-vingt-et-un", 221),
    ("septante-deux", 72), ("nonante", 90), ("huitante", 80), ("zéro", 0), ("troisième", 3), ("vingt et unième", 21),
    ("centième", 100),
])
def test_french_words_value(words: str, value: int) -> None:
    assert french_words_value(words) == value


@pytest.mark.parametrize("text", ["deux trois", "et", "vingt et", "bonjour", ""])
def test_french_words_value_rejects_what_is_not_one_number(text: str) -> None:
    assert french_words_value(text) is None


def test_french_words_in_a_sentence_split_at_non_numbers() -> None:
    assert values(french_numerals("Deux ou trois suspects, vingt-deux ans, ont été vus.")) == [
        ("Deux", 2, "cardinal"), ("trois", 3, "cardinal"), ("vingt-deux", 22, "cardinal")]


def test_french_approximations_and_vague_quantities() -> None:
    found = french_numerals("Une trentaine de policiers, une centaine d'habitants, un millier de fans, des milliers de "
                            "manifestants, des dizaines de milliers de personnes et plusieurs centaines de millions.")
    assert [(n.text, n.value, n.kind, n.approximate) for n in found] == [
        ("Une trentaine", 30, "cardinal", True), ("une centaine", 100, "cardinal", True),
        ("un millier", 1000, "cardinal", True), ("des milliers", 1000, "vague", False),
        ("des dizaines de milliers", 10_000, "vague", False), ("plusieurs centaines de millions", 1e8, "vague", False)]


def test_quarantine_is_not_forty() -> None:
    assert [n.value for n in french_numerals("Il a été placé en quarantaine, puis une quarantaine de 14 jours.")] \
        == [14]
    assert [n.value for n in french_numerals("Une quarantaine de migrants ont été secourus.")] == [40]


def test_french_weak_numerals() -> None:
    found = french_numerals("Un homme a acheté un logement neuf pour la première fois, neuf ans après.")
    assert [(n.text, n.weak) for n in found] == [("Un", True), ("un", True), ("neuf", True), ("première", True),
                                                  ("neuf", True)]
    assert not french_numerals("Un million de visiteurs.")[0].weak


def test_french_dates_and_times_are_skipped_but_bare_years_are_numbers() -> None:
    scan = scan_french("Interpellés mardi 11 mars à 6 h 30, ils ont été déférés le 25/06/2023 à 15h30 et jugés "
                       "fin 2024, pour des faits commis entre 2021 et 2023, après 72 heures de garde à vue.")
    assert values(list(scan.numerals)) == [("2021", 2021, "cardinal"), ("2023", 2023, "cardinal"),
                                           ("72", 72, "cardinal")]
    assert {11, 6, 30, 25, 2024, 15, 3}.issubset(scan.shadows)


def test_codes_glued_to_letters_are_not_numbers() -> None:
    assert values(french_numerals("L'A380 d'Airbus et TF1.")) == []
    assert values(french_numerals("Le Covid-19 a tué 3 personnes.")) == [("19", 19, "cardinal"), ("3", 3, "cardinal")]


def test_roman_letters_in_words_are_not_ordinals() -> None:
    assert values(french_numerals("Me Olivier Lantier et Le Ce De.")) == []


# --- English parsing --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("The amount came to 1,234.5 euros.", ("1,234.5 euros", 1234.5, "cardinal")),
    ("Unemployment reached 12.5% of the workforce.", ("12.5%", 12.5, "percent")),
    ("Unemployment reached 12.5 percent of the workforce.", ("12.5 percent", 12.5, "percent")),
    ("Unemployment reached 12.5 per cent of the workforce.", ("12.5 per cent", 12.5, "percent")),
    ("The state released €3 million.", ("€3 million", 3e6, "cardinal")),
    ("The state released 3 million euros.", ("3 million euros", 3e6, "cardinal")),
    ("The state released €3m.", ("€3m", 3e6, "cardinal")),
    ("The group raised $1.2bn last year.", ("$1.2bn", 1.2e9, "cardinal")),
    ("The contract is worth 1.2 billion.", ("1.2 billion", 1.2e9, "cardinal")),
    ("Some 300,000 people marched.", ("300,000", 300000, "cardinal")),
    ("He lives in the 1st arrondissement.", ("1st", 1, "ordinal")),
    ("A major challenge of the 21st century.", ("21st", 21, "ordinal")),
    ("A major challenge of the twenty-first century.", ("twenty-first", 21, "ordinal")),
    ("The 22-year-old was arrested.", ("22", 22, "cardinal")),
    ("Karim Vasseur, aged 22, was arrested.", ("22", 22, "cardinal")),
    ("Karim Vasseur (22) was arrested.", ("22", 22, "cardinal")),
    ("The twenty-two-year-old was arrested.", ("twenty-two", 22, "cardinal")),
    ("A hundred people were evacuated.", ("A hundred", 100, "cardinal")),
    ("About a dozen people were evacuated.", ("a dozen", 12, "cardinal")),
    ("Dozens of people were evacuated.", ("Dozens", 10, "vague")),
    ("Thousands of people marched.", ("Thousands", 1000, "vague")),
    ("Tens of thousands of people marched.", ("Tens of thousands", 10_000, "vague")),
    ("Several hundred people marched.", ("Several hundred", 100, "vague")),
    ("Up to 10 years in prison.", ("10", 10, "cardinal")),
    ("The 5m wall collapsed.", ("5m", 5, "cardinal")),
    ("The state released 3m euros.", ("3m euros", 3e6, "cardinal")),
    ("The firm was fined $50k.", ("$50k", 5e4, "cardinal")),
])
def test_english_forms(text: str, expected: tuple[str, float, str]) -> None:
    numerals = [n for n in english_numerals(text) if not n.weak]
    assert len(numerals) == 1, numerals
    [numeral] = numerals
    assert (numeral.text, numeral.kind) == (expected[0], expected[2])
    assert math.isclose(numeral.value, expected[1])


@pytest.mark.parametrize(("words", "value"), [
    ("twenty", 20), ("twenty-two", 22), ("ninety-nine", 99), ("a hundred", 100), ("one hundred and one", 101),
    ("two hundred five", 205), ("three thousand", 3000), ("three thousand and five", 3005), ("a million", 10**6),
    ("two million three hundred thousand", 2_300_000), ("two dozen", 24), ("first", 1), ("twenty-first", 21),
    ("hundredth", 100), ("zero", 0),
])
def test_english_words_value(words: str, value: int) -> None:
    assert english_words_value(words) == value


def test_english_one_a_both_and_fractions_are_weak() -> None:
    found = english_numerals("One of the suspects, the first to talk, said both men paid twice, a third of the sum.")
    assert [(n.text, n.weak) for n in found] == [("One", True), ("first", True), ("both", True), ("twice", True),
                                                  ("a third", True)]
    assert english_numerals("a third party") == []
    assert values(english_numerals("He sought a third term.")) == [("third", 3, "ordinal")]


def test_english_dates_and_times_are_skipped() -> None:
    scan = scan_english("Arrested at 6.30 a.m. on Tuesday, March 11, they appeared on 14 March 2025 at 3 p.m. "
                        "(1530 GMT) over events between 2021 and 2023, in mid-2022 and in May 2021.")
    assert values(list(scan.numerals)) == [("2021", 2021, "cardinal"), ("2023", 2023, "cardinal")]
    assert {6, 30, 11, 14, 2025, 3, 15, 2022}.issubset(scan.shadows)


def test_english_form_suggestions() -> None:
    def form(text: str) -> str:
        return english_form([n for n in french_numerals(text) if not n.weak][0])

    assert form("1 234,5") == "1,234.5"
    assert form("12,5 %") == "12.5%"
    assert form("1,2 million d'euros") == "€1.2 million"
    assert form("85 000 euros") == "€85,000"
    assert form("1 billion de dollars") == "$1 trillion"
    assert form("XXIe siècle") == "21st"
    assert form("le troisième") == "third"
    assert form("deux hommes") == "two"
    assert form("une dizaine de montres") == "about ten"
    assert form("une centaine de personnes") == "about 100"
    assert form("des milliers de manifestants") == "thousands"
    assert format_english_number(1_234_567) == "1,234,567"
    assert format_english_number(2.5e9) == "2.5 billion"


# --- The check: agreement ---------------------------------------------------------------------

@pytest.mark.parametrize(("source", "translation"), [
    ("Le déficit atteint 12,5 % du PIB.", "The deficit reached 12.5% of GDP."),
    ("Le déficit atteint 12,5 % du PIB.", "The deficit reached 12.5 percent of GDP."),
    ("Le déficit atteint 12,5 % du PIB.", "The deficit reached 12.5 per cent of GDP."),
    ("La mairie a versé 1 234,5 euros.", "The town hall paid €1,234.5."),
    ("La commune compte 1.234.567 habitants.", "The town has 1,234,567 inhabitants."),
    ("L'État a débloqué 3 millions d'euros.", "The state released €3m."),
    ("L'État a débloqué 3 millions d'euros.", "The state released 3 million euros."),
    ("Le contrat est estimé à 1,2 milliard de dollars.", "The contract is worth $1.2bn."),
    ("Le groupe a levé 2,5 Mds € l'an dernier.", "The group raised €2.5 billion last year."),
    ("Quelque 300 000 manifestants ont défilé.", "Some 300,000 protesters marched."),
    ("Le club a dépensé 15 M€ pour le joueur.", "The club spent €15 million on the player."),
    ("Il habite dans le 1er arrondissement.", "He lives in the first arrondissement."),
    ("Il a été éliminé au 2e tour.", "He was knocked out in the second round."),
    ("L'équipe a fini 3ème du championnat.", "The team finished 3rd in the league."),
    ("Un défi majeur du XXIe siècle.", "A major challenge of the 21st century."),
    ("Un défi majeur du XXIe siècle.", "A major challenge of the twenty-first century."),
    ("Vingt-deux personnes ont été blessées.", "Twenty-two people were injured."),
    ("Vingt-deux personnes ont été blessées.", "22 people were injured."),
    ("Soixante-dix policiers étaient mobilisés.", "Seventy police officers were deployed."),
    ("Quatre-vingt-dix-neuf dossiers sont en cours.", "Ninety-nine cases are pending."),
    ("Deux cents emplois sont menacés.", "Two hundred jobs are at risk."),
    ("Trois mille personnes ont signé la pétition.", "3,000 people signed the petition."),
    ("Un million de visiteurs sont attendus.", "A million visitors are expected."),
    ("Un million de visiteurs sont attendus.", "One million visitors are expected."),
    ("Une trentaine de policiers ont été déployés.", "About thirty police officers were deployed."),
    ("Une trentaine de policiers ont été déployés.", "Around 30 police officers were deployed."),
    ("Une trentaine de policiers ont été déployés.", "Some thirty police officers were deployed."),
    ("Une trentaine de policiers ont été déployés.", "Roughly 30 police officers were deployed."),
    ("Une trentaine de policiers ont été déployés.", "Thirty or so police officers were deployed."),
    ("Une trentaine de policiers ont été déployés.", "Dozens of police officers were deployed."),
    ("Une trentaine de policiers ont été déployés.", "Some 35 police officers were deployed."),
    ("Une dizaine de montres ont été saisies.", "About ten watches were seized."),
    ("Une dizaine de montres ont été saisies.", "A dozen watches were seized."),
    ("Une centaine de personnes ont été évacuées.", "A hundred people were evacuated."),
    ("Des milliers de manifestants ont défilé.", "Thousands of protesters marched."),
    ("Des dizaines de milliers de manifestants ont défilé.", "Tens of thousands of protesters marched."),
    ("Plusieurs centaines de personnes ont défilé.", "Several hundred people marched."),
    ("M. Karim Vasseur, 22 ans, a été interpellé.", "Karim Vasseur, 22, was arrested."),
    ("M. Karim Vasseur, 22 ans, a été interpellé.", "22-year-old Karim Vasseur was arrested."),
    ("M. Karim Vasseur, 22 ans, a été interpellé.", "Karim Vasseur, aged 22, was arrested."),
    ("M. Karim Vasseur, 22 ans, a été interpellé.", "Karim Vasseur, 22 years old, was arrested."),
    ("M. Karim Vasseur, 22 ans, a été interpellé.", "Karim Vasseur (22) was arrested."),
    ("M. Karim Vasseur, vingt-deux ans, a été interpellé.", "Twenty-two-year-old Karim Vasseur was arrested."),
    ("Il a déposé plus de 300 dossiers entre 2021 et 2023.", "He filed more than 300 applications between 2021 and 2023."),
    ("Un homme a été interpellé.", "A man was arrested."),
    ("Un des suspects a été relâché.", "One of the suspects was released."),
    ("C'est la première fois qu'il parle.", "It is the first time he has spoken."),
    ("Le Premier ministre a démissionné.", "The Prime Minister resigned."),
    ("Les deux hommes ont été relâchés.", "Both men were released."),
    ("Le prix a été multiplié par deux fois.", "The price rose twice."),
    ("Un tiers des électeurs s'est abstenu.", "A third of voters abstained."),
    ("Il a acheté un logement neuf.", "He bought a new home."),
    ("Il a été condamné par un tiers.", "He was sentenced by a third party."),
    ("Pendant la Seconde Guerre mondiale, Lyon a été occupée.", "During World War II, Lyon was occupied."),
    ("Pendant la Seconde Guerre mondiale, Lyon a été occupée.", "During the Second World War, Lyon was occupied."),
    ("Il a obtenu 58,5 % des voix au second tour.", "He won 58.5% of the vote in the runoff."),
    ("Une hausse de 0,5 point de pourcentage.", "A rise of half a percentage point."),
    ("La moitié des salariés ont fait grève.", "Half of the employees went on strike."),
    ("Les 27 États membres ont approuvé le texte par 19 voix contre 8.", "The 27 member states approved the text by 19 votes to 8."),
    ("Le PSG s'est imposé 3 à 0 face à Lens.", "PSG won 3-0 against Lens."),
    ("L'article 49.3 a été utilisé pour la 11e fois.", "Article 49.3 was used for the 11th time."),
    ("Le G7 se réunit à Hiroshima du 19 au 21 mai.", "The G7 meets in Hiroshima from May 19 to 21."),
    ("Ils encourent jusqu'à 7 ans de prison et 100 000 euros d'amende.", "They face up to seven years in prison and a €100,000 fine."),
    ("Le match a lieu à 21 h.", "The match kicks off at 9 p.m."),
    ("Ils ont été interpellés à 6 h 30.", "They were arrested at 6.30 in the morning."),
    ("L'État a débloqué 3 millions d'euros.", "The state released 3m euros."),
    ("Des centaines de milliers de personnes ont manifesté.", "Hundreds of thousands of people demonstrated."),
    ("Trois quarts des salariés ont fait grève.", "Three quarters of employees went on strike."),
    ("Il sera jugé en juin 2023.", "He will be tried in 2023."),
    ("L'audience a eu lieu du 14 au 16 mars.", "The hearing took place on March 14-16."),
    ("Il est arrivé à 15 heures.", "He arrived at 3 p.m."),
    ("Ils ont été interpellés mardi 11 mars à 6 h 30.", "They were arrested at 6:30 a.m. on Tuesday, March 11."),
    ("Le verdict est attendu le 25/06/2023.", "The verdict is expected on 25 June 2023."),
    ("Le chômage a reculé à 7,1 % au troisième trimestre.", "Unemployment fell to 7.1% in the third quarter."),
    ("L'A380 d'Airbus a été retiré.", "Airbus's A380 has been withdrawn."),
    ("Le prix a baissé de -3 %.", "The price fell 3%."),
    ("L'enquête a duré une quinzaine de jours.", "The investigation lasted two weeks."),
])
def test_agreeing_translations_raise_nothing(source: str, translation: str) -> None:
    assert flags(source, translation) == []


# --- The check: disagreement ------------------------------------------------------------------

def test_changed_number_gives_both_spans_message_and_suggestion() -> None:
    source = "Le principal suspect, M. Karim Vasseur, 22 ans, gérant d'une entreprise de travaux."
    translation = "The main suspect, Mr. Karim Vasseur, 32 years old, manager of a works company."
    [flag] = check_numbers(CheckInput(source, translation))
    assert (flag.type, flag.rule, flag.severity) == ("number", "number-changed", "major")
    assert (flag.source_text, flag.translation_text) == ("22", "32")
    assert source[flag.source_start:flag.source_end] == "22"
    assert translation[flag.translation_start:flag.translation_end] == "32"
    assert flag.message == "22 in the source became 32 in the translation"
    assert flag.suggestion == "22"


def test_missing_number_has_no_translation_span() -> None:
    [flag] = check_numbers(CheckInput("Les enquêteurs ont saisi 85 000 euros en espèces.",
                                      "Investigators seized cash."))
    assert (flag.rule, flag.severity, flag.source_text) == ("number-missing", "major", "85 000 euros")
    assert flag.translation_start is None and flag.translation_text is None
    assert flag.suggestion == "€85,000"
    assert "85 000 euros" in flag.message


def test_added_number_is_minor() -> None:
    [flag] = check_numbers(CheckInput("Des hommes ont été interpellés mardi.", "Three men were arrested on Tuesday."))
    assert (flag.rule, flag.severity, flag.translation_text, flag.source_start) == (
        "number-added", "minor", "Three", None)
    assert flag.message == "Three in the translation has no counterpart in the source"


@pytest.mark.parametrize(("source", "translation", "expected"), [
    ("Le contrat est estimé à 1,2 million d'euros.", "The contract is worth 1.2 billion euros.",
     [("number-changed", "1,2 million d'euros", "1.2 billion euros")]),
    ("La dette publique dépasse 3 billions d'euros.", "Public debt exceeds 3 billion euros.",
     [("number-changed", "3 billions d'euros", "3 billion euros")]),
    ("Le déficit atteint 12,5 % du PIB.", "The deficit reached 125% of GDP.",
     [("number-changed", "12,5 %", "125%")]),
    ("La commune compte 1.234.567 habitants.", "The town has 1,234,576 inhabitants.",
     [("number-changed", "1.234.567", "1,234,576")]),
    ("Il a déposé plus de 300 dossiers.", "He filed a large number of applications.",
     [("number-missing", "300", None)]),
    ("Il a déposé plus de 300 dossiers entre 2021 et 2023.", "He filed more than 300 applications between 2020 and 2023.",
     [("number-changed", "2021", "2020")]),
    ("Une trentaine de policiers ont été déployés.", "Fifty police officers were deployed.",
     [("number-changed", "Une trentaine", "Fifty")]),
    ("Une trentaine de policiers ont été déployés.", "Some 37 police officers were deployed.",
     [("number-changed", "Une trentaine", "37")]),
    ("Des milliers de manifestants ont défilé.", "Tens of thousands of protesters marched.",
     [("number-changed", "Des milliers", "Tens of thousands")]),
    ("Des dizaines de manifestants ont défilé.", "Some 300 protesters marched.",
     [("number-changed", "Des dizaines", "300")]),
    ("Un défi majeur du XXIe siècle.", "A major challenge of the 20th century.",
     [("number-changed", "XXIe", "20th")]),
    ("Soixante-dix policiers étaient mobilisés.", "Sixty police officers were deployed.",
     [("number-changed", "Soixante-dix", "Sixty")]),
    ("Quatre-vingt-dix-neuf dossiers sont en cours.", "Ninety cases are pending.",
     [("number-changed", "Quatre-vingt-dix-neuf", "Ninety")]),
    ("Trois mille personnes ont signé la pétition.", "300 people signed the petition.",
     [("number-changed", "Trois mille", "300")]),
    ("L'État a débloqué 3 millions d'euros.", "The state released 3 euros.",
     [("number-changed", "3 millions d'euros", "3 euros")]),
    ("Ils ont été gardés à vue pendant 72 heures.", "They were held for 48 hours.",
     [("number-changed", "72", "48")]),
    ("Il a été éliminé au 2e tour.", "He was knocked out in the third round.",
     [("number-changed", "2e", "third")]),
    ("Deux des trois hommes ont été placés en détention.", "Two of the men were remanded in custody.",
     [("number-missing", "trois", None)]),
    ("Un homme a été interpellé.", "Two men were arrested.",
     [("number-added", None, "Two")]),
])
def test_disagreeing_translations(source: str, translation: str, expected: list) -> None:
    assert flags(source, translation) == expected


def test_changed_percent_pairs_with_the_percent_not_the_year() -> None:
    assert flags("En 2023, le chômage a atteint 7,1 %.", "In 2023, unemployment reached 2024 levels of 7.4%.") == [
        ("number-changed", "7,1 %", "7.4%"), ("number-added", None, "2024")]


def test_repeated_number_counts_twice() -> None:
    assert flags("Il a pris 10 ans, son complice 10 ans aussi.", "He got 10 years, and his accomplice too.") == [
        ("number-missing", "10", None)]


def test_other_language_pairs_are_not_checked() -> None:
    assert check_numbers(CheckInput("Er ist 22 Jahre alt.", "He is 32.", source_lang="de")) == []
    assert check_numbers(CheckInput("Il a 22 ans.", "Il a 32 ans.", target_lang="fr")) == []
    assert flags("Il a 22 ans.", "He is 32.") == [("number-changed", "22", "32")]
    assert check_numbers(CheckInput("Il a 22 ans.", "He is 32.", source_lang="fr-FR", target_lang="en-GB"))


def test_registry_path_resolves_to_this_check() -> None:
    module, _, function = "service.checks.numbers:check_numbers".partition(":")
    assert getattr(importlib.import_module(module), function) is check_numbers
    if "numbers" in CHECKS:
        assert load_check("numbers") is check_numbers


def test_sample_story_reference_passes_and_machine_translation_is_caught() -> None:
    source = read(SAMPLES / "court-case.fr.txt").split("\n\n")
    reference = read(SAMPLES / "court-case.ref.en.txt").split("\n\n")
    machine = read(SAMPLES / "court-case.mt.en.txt").split("\n\n")
    assert [flags(s, r) for s, r in zip(source, reference)] == [[], [], []]
    assert [flags(s, m) for s, m in zip(source, machine)] == [
        [("number-changed", "22", "32")],
        [("number-missing", "deux", None), ("number-missing", "85 000 euros", None),
         ("number-missing", "une dizaine", None)],
        [],
    ]


# --- Property tests: format, then parse back ---------------------------------------------------

def _group(integer: int, separator: str) -> str:
    digits = str(integer)
    if not separator:
        return digits
    head = len(digits) % 3 or 3
    return separator.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def _decimal_text(integer: int, decimals: str, separator: str, mark: str) -> str:
    return _group(integer, separator) + (mark + decimals if decimals else "")


_DECIMALS = st.one_of(st.just(""), st.from_regex(r"\A[0-9]{1,3}\Z"))


@settings(max_examples=300, deadline=None)
@given(integer=st.integers(0, 10**12), decimals=_DECIMALS,
       separator=st.sampled_from(["", " ", "\u00a0", "\u202f", "."]), percent=st.booleans())
def test_french_digits_round_trip(integer: int, decimals: str, separator: str, percent: bool) -> None:
    text = _decimal_text(integer, decimals, separator, ",")
    sentence = f"Le montant atteint {text}{' %' if percent else ' euros'}, selon le ministère."
    [numeral] = french_numerals(sentence)
    assert math.isclose(numeral.value, float(f"{integer}.{decimals or 0}"), rel_tol=1e-12)
    assert numeral.kind == ("percent" if percent else "cardinal")


@settings(max_examples=300, deadline=None)
@given(integer=st.integers(1, 999), decimals=st.one_of(st.just(""), st.from_regex(r"\A[0-9]{1,2}\Z")),
       scale=st.sampled_from([("mille", 10**3), ("million", 10**6), ("millions", 10**6), ("milliard", 10**9),
                              ("milliards", 10**9), ("M€", 10**6), ("Mds €", 10**9), ("Md€", 10**9)]))
def test_french_scales_round_trip(integer: int, decimals: str, scale: tuple[str, int]) -> None:
    words, factor = scale
    text = f"Le budget atteint {integer}{',' + decimals if decimals else ''} {words} cette année."
    [numeral] = french_numerals(text)
    assert math.isclose(numeral.value, float(f"{integer}.{decimals or 0}") * factor, rel_tol=1e-12)


@settings(max_examples=300, deadline=None)
@given(integer=st.integers(0, 10**12), decimals=_DECIMALS, separator=st.sampled_from(["", ",", "\u202f"]),
       percent=st.booleans())
def test_english_digits_round_trip(integer: int, decimals: str, separator: str, percent: bool) -> None:
    text = _decimal_text(integer, decimals, separator, ".")
    sentence = f"The amount reached {text}{'%' if percent else ' euros'}, the ministry said."
    [numeral] = english_numerals(sentence)
    assert math.isclose(numeral.value, float(f"{integer}.{decimals or 0}"), rel_tol=1e-12)


@settings(max_examples=300, deadline=None)
@given(integer=st.integers(1, 999), decimals=st.one_of(st.just(""), st.from_regex(r"\A[0-9]{1,2}\Z")),
       currency=st.sampled_from(["€", "$", "£", ""]),
       scale=st.sampled_from([(" thousand", 10**3), (" million", 10**6), (" billion", 10**9), ("bn", 10**9),
                              ("m", 10**6), ("k", 10**3)]))
def test_english_scales_round_trip(integer: int, decimals: str, currency: str, scale: tuple[str, int]) -> None:
    words, factor = scale
    if words in ("m", "k") and not currency:
        currency = "€"  # "5m" alone is five metres
    text = f"The budget reached {currency}{integer}{'.' + decimals if decimals else ''}{words} this year."
    [numeral] = english_numerals(text)
    assert math.isclose(numeral.value, float(f"{integer}.{decimals or 0}") * factor, rel_tol=1e-12)


# Number words written independently of the parser's tables, in both French spellings.
_FR_UNITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
             "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"]
_FR_TENS = ["", "", "vingt", "trente", "quarante", "cinquante", "soixante"]


def french_words(n: int, reformed: bool = False) -> str:
    """n (0..999 999) in French words, traditional ("deux cent vingt et un") or 1990 ("deux-cent-vingt-et-un")."""
    space = "-" if reformed else " "
    et = "-et-" if reformed else " et "

    def below_100(k: int, final: bool) -> str:
        if k < 20:
            return _FR_UNITS[k]
        tens, unit = divmod(k, 10)
        if tens in (7, 9):
            head = "soixante" if tens == 7 else "quatre-vingt"
            return head + (et if k == 71 else "-") + _FR_UNITS[k - (60 if tens == 7 else 80)]
        if tens == 8:
            return ("quatre-vingts" if final else "quatre-vingt") if unit == 0 else "quatre-vingt-" + _FR_UNITS[unit]
        if unit == 0:
            return _FR_TENS[tens]
        return _FR_TENS[tens] + (et + "un" if unit == 1 else "-" + _FR_UNITS[unit])

    def below_1000(k: int, final: bool) -> str:
        hundreds, rest = divmod(k, 100)
        parts = []
        if hundreds:
            parts.append("cent" if hundreds == 1 else _FR_UNITS[hundreds] + space
                         + ("cents" if rest == 0 and final else "cent"))
        if rest:
            parts.append(below_100(rest, final))
        return space.join(parts)

    if n == 0:
        return "zéro"
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands:
        parts.append("mille" if thousands == 1 else below_1000(thousands, final=False) + space + "mille")
    if rest:
        parts.append(below_1000(rest, final=True))
    return space.join(parts)


_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
             "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def english_words(n: int, british: bool = False) -> str:
    """n (0..999 999) in English words, with the British "and" when asked ("two hundred and five")."""
    def below_1000(k: int) -> str:
        hundreds, rest = divmod(k, 100)
        tens, unit = divmod(rest, 10)
        tail = _EN_UNITS[rest] if rest < 20 else _EN_TENS[tens] + (f"-{_EN_UNITS[unit]}" if unit else "")
        if not hundreds:
            return tail
        return f"{_EN_UNITS[hundreds]} hundred" + ((" and " if british else " ") + tail if rest else "")

    if n == 0:
        return "zero"
    thousands, rest = divmod(n, 1000)
    parts = [f"{below_1000(thousands)} thousand"] if thousands else []
    if rest:
        parts.append(("and " if british and thousands and rest < 100 else "") + below_1000(rest))
    return " ".join(parts)


def test_word_formatters_match_known_spellings() -> None:
    assert french_words(71) == "soixante et onze"
    assert french_words(80) == "quatre-vingts"
    assert french_words(80_200) == "quatre-vingt mille deux cents"
    assert french_words(221, reformed=True) == "deux-cent-vingt-et-un"
    assert english_words(999_999) == "nine hundred ninety-nine thousand nine hundred ninety-nine"
    assert english_words(1005, british=True) == "one thousand and five"


@settings(max_examples=500, deadline=None)
@given(n=st.integers(0, 999_999), reformed=st.booleans())
def test_french_words_round_trip(n: int, reformed: bool) -> None:
    words = french_words(n, reformed)
    assert french_words_value(words) == n
    assert french_words_value(words.capitalize()) == n
    if n > 1:
        [numeral] = french_numerals(f"Les enquêteurs ont recensé {words} dossiers.")
        assert (numeral.value, numeral.text, numeral.weak) == (n, words, words == "neuf")  # "neuf" is also "new"


@settings(max_examples=500, deadline=None)
@given(n=st.integers(0, 999_999), british=st.booleans())
def test_english_words_round_trip(n: int, british: bool) -> None:
    words = english_words(n, british)
    assert english_words_value(words) == n
    if n > 1:
        [numeral] = english_numerals(f"The investigators counted {words} files.")
        assert (numeral.value, numeral.text, numeral.weak) == (n, words, False)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(2, 999_999), grouped=st.booleans())
def test_french_words_agree_with_english_digits(n: int, grouped: bool) -> None:
    digits = f"{n:,}" if grouped else str(n)
    assert flags(f"La police a compté {french_words(n)} manifestants.", f"Police counted {digits} protesters.") == []


def test_english_second_is_read_but_never_flagged_alone() -> None:
    # "second" is also a unit of time and a verb: read as 2 (so "2e" matches it), weak when unmatched.
    [numeral] = english_numerals("It was his second term.")
    assert (numeral.value, numeral.kind, numeral.weak) == (2, "ordinal", True)


def test_currency_conversions_within_the_historic_rate_band() -> None:
    from service.checks.units import exchanges
    assert exchanges(10, "EUR", 9, "GBP")  # "10 €" -> "£9"
    assert not exchanges(300, "EUR", 500, "USD")  # a changed sum, not a conversion
    assert not exchanges(300, "EUR", 300, "EUR")


@pytest.mark.parametrize(("source", "translation", "rules"), [
    # conversions a translator makes: units, and currencies at a rate the pair has had since 2000
    ("Les exportations ont atteint 272 millions de kg.", "Exports reached 600 million pounds.", []),
    ("Les exportations ont atteint 272 millions de kg.", "Exports reached 900 million pounds.", ["number-changed"]),
    ("La route fait 2 735 km.", "The road is 1,700 miles long.", []),
    ("La route fait 2 735 km.", "The road is 2,700 miles long.", ["number-changed"]),
    ("Il mesure deux mètres.", "He is 6'7\" tall.", []),
    ("Il fait 30 degrés.", "It is 86 degrees Fahrenheit.", []),
    ("Le billet coûte 10 €.", "The ticket costs £9 ($14).", []),
    ("Il a payé 300 euros.", "He paid 500 dollars.", ["number-changed"]),
    # French abbreviations of scales with a currency
    ("La société a perdu 1,9 Md$ l'an dernier.", "The company lost $1.9 billion last year.", []),
    ("La société a perdu 1,9 Md$ l'an dernier.", "The company lost $2.9 billion last year.", ["number-changed"]),
    ("Le budget est de 300 M€.", "The budget is €300 million.", []),
    ("Le budget est de 3 Md£.", "The budget is £3 billion.", []),
    # idioms with a number word that is not a quantity, and names copied across
    ("Rien ne vaut les quatre pas hors de l'Hexagone.", "Nothing beats a trip outside France.", []),
    ("Il habite à deux pas de la gare.", "He lives close to the station.", []),
    ("L'accident de Three Mile Island a marqué les esprits.", "The Three Mile Island accident left its mark.", []),
])
def test_real_text_renderings(source: str, translation: str, rules: list[str]) -> None:
    flags = check_numbers(CheckInput(source=source, translation=translation))
    assert [f.rule for f in flags] == rules, [(f.rule, f.message) for f in flags]


@pytest.mark.parametrize(("source", "translation"), [
    # WMT12/13 outputs (development split)
    ("Depuis le début des années 70, la Norvège doit sa richesse au pétrole.",
     "Since the early 1970s, Norway has owed its wealth to oil."),
    ("Voici une demi-douzaine d'exemples.", "Here are a half-dozen examples."),
])
def test_decades_before_a_comma_and_hyphenated_halves(source: str, translation: str) -> None:
    assert check_numbers(CheckInput(source=source, translation=translation)) == []


def test_a_scale_of_a_scale_in_words() -> None:
    # WMT12 reference (development split): "trois milliards d'euros" -> "three thousand million euros"
    flags = check_numbers(CheckInput(source="Nous devrions payer trois milliards d'euros d'intérêts en plus.",
                                     translation="We would have to pay three thousand million euros more in interest."))
    assert flags == []
    assert [n.value for n in french_numerals("mille milliards de dollars")] == [1e12]
    assert [n.value for n in english_numerals("two million three thousand")] == [2_003_000]


@pytest.mark.parametrize(("source", "translation", "severity"), [
    # WMT12 references: small numbers in words restructured away, and an indefinite plural of a scale
    ("Elle a qualifié la présidence tchèque d'il y a deux ans de succès.",
     "She described the Czech presidency from the year before last as a success.", "minor"),
    ("La banque allemande Deutsche Bank paie des millions de pénalités aux USA.",
     "Deutsche Bank pays multi-million pound fine in the USA", "minor"),
    # a number in digits, or a large one in words, left out is still major
    ("Quand vous avez utilisé les 5 redémarrages vous devez recommencer.",
     "If you use them up, you have to start again.", "major"),
    ("Il a perdu cinquante kilos.", "He lost a lot of weight.", "major"),
])
def test_missing_numbers_translators_restructure_are_minor(source: str, translation: str, severity: str) -> None:
    missing = [f for f in check_numbers(CheckInput(source, translation)) if f.rule == "number-missing"]
    assert missing and all(f.severity == severity for f in missing)


@pytest.mark.parametrize(("source", "translation"), [
    # Potet post-edits and WMT12 references (development split): halves in words and with hyphens,
    # vague quantities with a singular scale, an approximate hundred of thousands
    ("L'invasion a coûté deux millions et demi de vies afghanes.",
     "The invasion cost two and half million lives in Afghanistan."),
    ("Le film d'une durée de plus de deux heures et demie sortira vendredi.",
     "The film that lasts more than two-and-a-half hours will be released on Friday."),
    ("Un transformateur valant des dizaines de millions de couronnes en flammes.",
     "A transformer worth tens of million kronor in flames."),
    ("Trente mille personnes selon la police, une centaine de milliers selon les organisateurs.",
     "Thirty thousand people according to the police, about a hundred thousand according to the organizers."),
    ("Trente mille personnes selon la police, une centaine de milliers selon les organisateurs.",
     "Thirty thousand people according to the police, hundreds of thousands according to the organizers."),
])
def test_halves_and_approximate_scales_in_words(source: str, translation: str) -> None:
    flags = check_numbers(CheckInput(source=source, translation=translation))
    assert flags == [], [(f.rule, f.message) for f in flags]
    assert [n.value for n in french_numerals("deux millions et demi")] == [2_500_000]
    assert [n.value for n in french_numerals("une centaine de milliers")] == [100_000]


def test_a_french_billion_read_as_an_english_billion_is_a_minor_change() -> None:
    # Potet post-edit: French translated from English keeps "billions" for milliards
    flags = check_numbers(CheckInput("Le stock total a atteint presque 10 billions de dollars.",
                                     "The total stock reached nearly 10 billion dollars."))
    assert [(f.rule, f.severity) for f in flags] == [("number-changed", "minor")]
    assert "trillion" in flags[0].message
    # the French billion as a trillion passes; any other value is still a major change
    assert check_numbers(CheckInput("Il a coûté 3 billions de dollars.", "It cost 3 trillion dollars.")) == []
    flags = check_numbers(CheckInput("Il a coûté 3 billions de dollars.", "It cost 5 billion dollars."))
    assert [(f.rule, f.severity) for f in flags] == [("number-changed", "major")]


@pytest.mark.parametrize(("source", "translation"), [
    # WMT12 references (development split): a space after the French decimal comma
    ("L'économie allemande a eu au troisième trimestre une croissance de 0, 5% selon les données prévues.",
     "Based on preliminary data, in the third quarter, the German economy grew by 0.5%."),
    ("Les Tchèques ont passé plus de la moitié de leurs vacances à l'étranger (50, 3%).",
     "Czechs spent more than a half of their holidays abroad (50.3%)."),
])
def test_a_decimal_written_with_a_space_after_the_comma(source: str, translation: str) -> None:
    assert check_numbers(CheckInput(source, translation)) == []


def test_a_spaced_decimal_that_changed_is_still_flagged() -> None:
    flags = check_numbers(CheckInput("une croissance de 0, 5% selon l'institut", "a growth of 0.6% says the institute"))
    assert {f.rule for f in flags} == {"number-changed", "number-missing"}
    assert all(f.severity == "major" for f in flags)


@pytest.mark.parametrize(("source", "translation"), [
    # WMT12 reference and Potet post-edits (development split): hours with a quarter, a half or minutes
    ("Selon la Police, l'opération de nettoyage s'est terminée environ une heure et quart plus tard.",
     "The clearing operation was complete about 75 minutes later, the police said."),
    ("Le groupe de Marco arrive finalement à six heures trente comme prévu.",
     "Marco's group is finally arriving at half past six as planned."),
    ("Ce soir, être revenu ici a dix heures et demi pile!", "This evening, be back here at half past ten precisely!"),
    ("Il s'est levé une heure trente plus tôt.", "He got up an hour and a half earlier."),
])
def test_hours_and_minutes_in_words(source: str, translation: str) -> None:
    assert check_numbers(CheckInput(source, translation)) == []


def test_a_changed_hour_in_words_is_still_flagged() -> None:
    flags = check_numbers(CheckInput("Le groupe arrive à six heures trente.", "The group arrives at half past seven."))
    assert [(f.rule, f.severity, f.source_text, f.translation_text) for f in flags] == [
        ("number-changed", "major", "six heures trente", "half past seven")]
    flags = check_numbers(CheckInput("Il a attendu une heure et quart.", "He waited 95 minutes."))
    assert [f.rule for f in flags] == ["number-changed"]
