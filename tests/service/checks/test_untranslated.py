"""Tests of the untranslated check (service.checks.untranslated): copied source, wrong language.

The cases are French news and interface strings: copies that are errors and copies that are
legitimate (names, numbers, URLs, English quotations), French or German sentences left in an
English translation, and English sentences full of French names that must not be taken for French.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from service.checks import untranslated
from service.checks.base import CheckInput
from service.checks.untranslated import check_untranslated, identify, read
from tests.service.checks.rows import Row, flag_rows


def flags(source: str, translation: str, **options: str) -> list[Row]:
    """(rule, severity, source text, translation text) of each flag, after checking the spans."""
    rows = flag_rows(check_untranslated, CheckInput(source, translation, **options), "untranslated")
    assert all(severity == "major" for _, severity, _, _ in rows)
    return rows


# --- copied-source ---------------------------------------------------------------------


def test_copied_interface_string() -> None:
    source = "Vous avez %d nouveaux messages"
    assert flags(source, source) == [("copied-source", "major", source, source)]
    assert flags(source, "You have %d new messages") == []


def test_copy_is_found_through_whitespace_and_case() -> None:
    assert flags(" Le procès s'ouvrira lundi à Paris.", "le  procès s'ouvrira\u00a0lundi à Paris. ") == [(
        "copied-source", "major", "Le procès s'ouvrira lundi à Paris.", "le  procès s'ouvrira\u00a0lundi à Paris.",
    )]


def test_copied_short_french_words_are_flagged() -> None:
    assert flags("Annuler", "Annuler") == [("copied-source", "major", "Annuler", "Annuler")]
    assert flags("Cliquez ici", "Cliquez ici") == [("copied-source", "major", "Cliquez ici", "Cliquez ici")]


@pytest.mark.parametrize("text", [
    "Paris", "Le Monde", "Emmanuel Macron", "OK", "SNCF", "12 345", "2024-03-15", "https://www.lemonde.fr/politique/",
    "contact@exemple.fr", "%s", "{0} – {1}", "Banque de France", "Conseil d'État", "Total",
])
def test_names_numbers_urls_and_codes_may_stay_the_same(text: str) -> None:
    assert flags(text, text) == []


def test_source_already_in_the_target_language_may_be_copied() -> None:
    assert flags("« Make America great again »", "« Make America great again »") == []
    quote = "“We will never give up on the people of Ukraine,” he said."
    assert flags(quote, quote) == []


def test_copied_source_in_the_other_direction() -> None:
    source = "The court sentenced the defendant to five years in prison."
    assert flags(source, source, source_lang="en", target_lang="fr") == [("copied-source", "major", source, source)]


# --- wrong-language --------------------------------------------------------------------


def test_translation_left_in_french() -> None:
    source = "Le tribunal a condamné l'accusé à cinq ans de prison ferme."
    item = CheckInput(source, source + " ")
    assert [f.rule for f in check_untranslated(item)] == ["copied-source"]  # not also wrong-language
    french = "Le tribunal correctionnel a condamné l'accusé à cinq ans de prison ferme."
    [flag] = check_untranslated(CheckInput(source, french))
    assert (flag.rule, flag.translation_start, flag.translation_end) == ("wrong-language", 0, len(french))
    assert flag.confidence is not None and flag.confidence >= 0.9
    assert "French" in flag.message


def test_only_the_untranslated_sentence_is_flagged() -> None:
    source = "Le parquet a fait appel. Selon le parquet, l'enquête est toujours en cours."
    translation = "The prosecution has appealed. Selon le parquet, l'enquête est toujours en cours."
    assert flags(source, translation) == [
        ("wrong-language", "major", None, "Selon le parquet, l'enquête est toujours en cours."),
    ]
    [flag] = check_untranslated(CheckInput(source, translation))
    assert (flag.translation_start, flag.translation_end) == (30, len(translation))


def test_other_languages_are_named() -> None:
    [flag] = check_untranslated(CheckInput("x", "Der Angeklagte wurde zu fünf Jahren Haft verurteilt."))
    assert flag.rule == "wrong-language" and "German" in flag.message


def test_short_french_sentence_caught_by_function_words() -> None:
    # The identifier alone is not sure of so short a sentence; its French function words are.
    [flag] = check_untranslated(CheckInput("Le suspect a pris la fuite.", "Le suspect a pris la fuite lundi."))
    assert flag.rule == "wrong-language"
    assert flag.confidence is not None and flag.confidence < 0.9


def test_shouting_french_headline_is_caught() -> None:
    headline = "LE GOUVERNEMENT ANNONCE UNE NOUVELLE RÉFORME DES RETRAITES"
    assert flags("x", headline) == [("wrong-language", "major", None, headline)]


@pytest.mark.parametrize("english", [
    "The court sentenced the defendant to five years in prison.",
    "The Conseil d'État rejected the appeal of the Ligue des droits de l'homme.",
    "Paris Saint-Germain beat Olympique de Marseille on Sunday.",
    "The suspect was placed en garde à vue on Monday.",
    "The Assemblée nationale adopted the bill on retraites.",
    "Gilets jaunes protesters marched down the Champs-Élysées again.",
    "Prosecutors opened an inquiry into homicide involontaire.",
    "Tour de France riders face brutal Alpine stage.",
    "Jean-Luc Mélenchon slams pension reform plan.",
    "Baguette prices climb again amid inflation fears.",
    "Strikes paralyse Paris metro lines.",
    "He said: Je ne regrette rien, je suis innocent.",
])
def test_english_with_french_names_and_phrases_passes(english: str) -> None:
    assert flags("Texte source en français.", english) == []


@pytest.mark.parametrize("heading", ["Grève à la SNCF", "Politique", "Faits divers", "Il pleut."])
def test_short_headings_are_not_judged(heading: str) -> None:
    assert flags("Titre", heading) == []


def test_english_sentence_in_a_french_translation() -> None:
    translation = "Le tribunal a rendu sa décision. The court sentenced the defendant to five years in prison."
    assert flags("x", translation, source_lang="en", target_lang="fr") == [
        ("wrong-language", "major", None, "The court sentenced the defendant to five years in prison."),
    ]


# --- helpers and loading ---------------------------------------------------------------


def test_read_drops_names_markup_and_urls() -> None:
    assert read("Selon <b>Le Monde</b>, M. Dupont a vu %s sur https://exemple.fr hier.").words == (
        "selon", "a", "vu", "sur", "hier",
    )
    assert read("LA SNCF ANNONCE").words == ("la", "sncf", "annonce")


def test_identify_restricts_to_the_given_languages() -> None:
    verdict = identify("le tribunal a condamné l'accusé à cinq ans de prison", ("fr", "en"))
    assert verdict is not None and verdict[0] == "fr" and 0.99 < verdict[1] <= 1.0
    assert identify("le tribunal a condamné", ("xx",)) is None


def test_model_is_loaded_once() -> None:
    assert untranslated._identifier() is untranslated._identifier()


def test_import_is_cheap_and_checks_never_import_torch() -> None:
    code = (
        "import sys\n"
        "import service.checks.untranslated as u, service.checks.markup, service.checks.typography\n"
        "print('py3langid' in sys.modules, 'numpy' in sys.modules)\n"
        "from service.checks.base import CheckInput\n"
        "u.check_untranslated(CheckInput('Le parquet a fait appel.', 'Le parquet a fait appel de la décision.'))\n"
        "print('py3langid' in sys.modules, 'torch' in sys.modules, 'transformers' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False", "True", "False", "False"]
