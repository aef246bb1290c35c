"""Tests of the typography check (service.checks.typography): French conventions in English.

Each rule fires on a translation that kept a French habit and stays silent on correct English,
on French targets where the convention is right, and on look-alikes (times, URLs, smileys).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from service.checks.base import CheckInput
from service.checks.typography import check_typography, unbalanced

NNBSP = "\u202f"
NBSP = "\u00a0"
Row = tuple[str, int, int, str, str | None]


def flags(translation: str, source: str = "Texte source.", **options: str) -> list[Row]:
    """(rule, start, end, flagged text, suggestion) of each flag; all must be minor typography flags."""
    rows: list[Row] = []
    for flag in check_typography(CheckInput(source, translation, **options)):
        assert (flag.type, flag.severity, flag.source_start) == ("typography", "minor", None)
        assert flag.translation_start is not None and flag.translation_end is not None
        assert translation[flag.translation_start:flag.translation_end] == flag.translation_text
        rows.append((flag.rule, flag.translation_start, flag.translation_end, flag.translation_text or "", flag.suggestion))
    return rows


# --- french-quotes ---------------------------------------------------------------------


def test_guillemets_with_their_inner_spaces_are_flagged() -> None:
    assert flags(f"He said «{NBSP}no{NBSP}» twice.", "Il a dit « non » deux fois.") == [
        ("french-quotes", 8, 14, f"«{NBSP}no{NBSP}»", "“…”"),  # one flag per quotation
    ]
    assert flags("The ‹ word › is «bare».") == [
        ("french-quotes", 4, 12, "‹ word ›", "“…”"),
        ("french-quotes", 16, 22, "«bare»", "“…”"),
    ]
    assert flags("He said » no.", "Il a dit « non ».") == [  # a lone mark is flagged alone, and leaves a quote open
        ("french-quotes", 7, 9, " »", "”"), ("unbalanced-brackets", 8, 9, "»", None)]
    # a source without quotation marks: the English holds one end of a quotation that spans sentences
    assert flags("He said » no.") == [("french-quotes", 7, 9, " »", "”")]
    assert flags('Earnings of "both" Italian and Spanish bonds" are growing.', "Les rendements grimpent.") == []


def test_english_quotes_and_guillemet_languages_pass() -> None:
    assert flags("He said “no” and 'maybe'.", "Il a dit « non »") == []
    assert flags("Il a dit « non ».", "He said “no”.", source_lang="en", target_lang="fr") == []
    assert flags("Er sagte »nein«.", "Il a dit « non ».", target_lang="de") == []


# --- space-before-punctuation -----------------------------------------------------------


def test_space_before_high_punctuation_is_flagged() -> None:
    assert flags(f"Warning : the site closes today ; sorry{NNBSP}! Why ?") == [
        ("space-before-punctuation", 7, 9, " :", ":"),
        ("space-before-punctuation", 31, 33, " ;", ";"),
        ("space-before-punctuation", 39, 41, f"{NNBSP}!", "!"),
        ("space-before-punctuation", 45, 47, " ?", "?"),
    ]


def test_space_before_punctuation_look_alikes_pass() -> None:
    assert flags("Warning: closes at 10:30. See https://example.com?lang=en ; ok") == [
        ("space-before-punctuation", 57, 59, " ;", ";"),
    ]
    assert flags("Thanks :) see you :-( and ?lang=en\n : list item") == []
    assert flags("Vraiment ? Oui : demain !", target_lang="fr") == []


def test_space_before_closing_bracket_question_mark_is_flagged() -> None:
    assert flags("(really ?) he asked.") == [("space-before-punctuation", 7, 9, " ?", "?")]


# --- double-space ----------------------------------------------------------------------


def test_double_space_between_words() -> None:
    assert flags("Hello  everyone.   Welcome.") == [
        ("double-space", 5, 7, "  ", " "),
        ("double-space", 16, 19, "   ", " "),
    ]
    assert flags(f"Prices{NBSP} rose.") == [("double-space", 6, 8, f"{NBSP} ", " ")]


def test_single_spaces_indentation_and_line_breaks_pass() -> None:
    assert flags("  Indented line.\n  Next line ends with spaces  ") == []
    assert flags("One space each. Two sentences.") == []


def test_double_space_before_punctuation_is_reported_once() -> None:
    assert flags("Note  : read this.") == [("space-before-punctuation", 4, 7, "  :", ":")]


# --- unbalanced-brackets ---------------------------------------------------------------


def test_unbalanced_brackets_when_the_source_is_balanced() -> None:
    source = "Le prix (hors taxes) est fixé par « le ministère »."
    assert flags("The price (excluding tax is set by “the ministry”.", source) == [
        ("unbalanced-brackets", 10, 11, "(", None),
    ]
    assert flags("The price excluding tax) is set by the ministry.", source) == [
        ("unbalanced-brackets", 23, 24, ")", None),
    ]
    assert flags('The price is set by "the ministry.', source) == [("unbalanced-brackets", 20, 21, '"', None)]
    assert flags("The price [excluding tax) is set.", source) == [
        ("unbalanced-brackets", 10, 11, "[", None),
        ("unbalanced-brackets", 24, 25, ")", None),
    ]


def test_balanced_translations_and_unbalanced_sources_pass() -> None:
    assert flags('The price (excluding tax) is set by "the ministry".', "Le prix (hors taxes) est fixé.") == []
    assert flags("1) one 2) two", "1) un 2) deux") == []
    assert flags('A 12" screen (new) is enough.', "Un écran de 12 pouces (neuf) suffit.") == []
    assert flags("Great news :) see you (soon :-(", "Bonne nouvelle (bientôt)") == [
        ("unbalanced-brackets", 22, 23, "(", None),
    ]


def test_unbalanced_reports_each_stray_character() -> None:
    assert unbalanced("a ) b ( c “ d") == [(2, 3), (6, 7), (10, 11)]
    assert unbalanced("« oui » (non) [peut-être] “ok”") == []


def test_all_rules_together() -> None:
    translation = "The minister said : «\u00a0we will  appeal » (tomorrow."
    assert [row[0] for row in flags(translation, "Le ministre a dit : « nous ferons appel » (demain).")] == [
        "space-before-punctuation", "french-quotes", "double-space", "unbalanced-brackets",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab :;!?«»()[]“”\"\u00a0\u202f.1")), max_size=30))
def test_spans_always_point_into_the_translation(translation: str) -> None:
    flags(translation)
