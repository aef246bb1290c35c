"""Tests of the markup check (service.checks.markup): tags, placeholders and ICU arguments.

Every rule has a case where it fires on a realistic localization string and one where a correct
translation of the same string stays silent; prose that merely looks like markup must not parse.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.checks.base import CheckInput
from service.checks.markup import check_markup, parse_markup, tag_text
from tests.service.checks.rows import Row, flag_rows


def flags(source: str, translation: str, **options: str) -> list[Row]:
    """(rule, severity, source text, translation text) of each flag, after checking the spans."""
    rows = flag_rows(check_markup, CheckInput(source, translation, **options), "markup")
    return rows


# --- printf placeholders ---------------------------------------------------------------


def test_printf_placeholder_kept() -> None:
    assert flags("Vous avez %d nouveaux messages", "You have %d new messages") == []


def test_printf_placeholder_missing_is_critical() -> None:
    assert flags("Vous avez %d nouveaux messages", "You have new messages") == [
        ("placeholder-missing", "critical", "%d", None),
    ]


def test_printf_placeholder_added_is_major() -> None:
    assert flags("Fichier enregistré", "File %s saved") == [("placeholder-added", "major", None, "%s")]


def test_placeholders_count_as_a_multiset() -> None:
    item = CheckInput("%s a invité %s à rejoindre le groupe", "%s invited you to join the group")
    [flag] = check_markup(item)
    assert (flag.rule, flag.source_text, flag.source_start, flag.source_end) == ("placeholder-missing", "%s", 12, 14)


def test_positional_and_named_printf_placeholders() -> None:
    assert flags("%1$s a partagé %2$d photos", "%2$d photos shared by %1$s") == []
    assert flags("Bonjour %(name)s, il vous reste %(count)d jours", "Hello %(name)s, you have %(count)d days left") == []
    assert flags("Bonjour %(name)s", "Hello %(nom)s") == [
        ("placeholder-missing", "critical", "%(name)s", None),
        ("placeholder-added", "major", None, "%(nom)s"),
    ]
    assert flags("Taux : %.2f %%", "Rate: %.2f%%") == []
    assert flags("Bonjour %{name}, %<count>d messages", "Hello %{name}, %<count>d messages") == []
    assert flags("Copier %1 vers %2", "Copy %1 to") == [("placeholder-missing", "critical", "%2", None)]


def test_percent_signs_are_not_placeholders() -> None:
    assert flags("Remise de 50 %% sur %s", "50%% off %s") == []
    assert flags("Hausse de 5 % des prix et 50 % d'abstention", "Prices up 5%, 50% abstention") == []
    assert parse_markup("Hausse de 5 % des prix, voir https://exemple.fr/a%20des%20prix").placeholders == []


# --- brace placeholders and mustache ---------------------------------------------------


def test_brace_placeholders() -> None:
    assert flags("{0} a commenté votre publication", "{0} commented on your post") == []
    assert flags("{user} a aimé {count} photos", "{user} liked {nombre} photos") == [
        ("placeholder-missing", "critical", "{count}", None),
        ("placeholder-added", "major", None, "{nombre}"),
    ]
    assert flags("Total : {0:N2} €", "Total: €{0:N2}") == []
    assert flags("Publié le {date, date, short}", "Published on {date, date, court}") == [
        ("placeholder-missing", "critical", "{date, date, short}", None),
        ("placeholder-added", "major", None, "{date, date, court}"),
    ]


def test_mustache_placeholders_normalise_spaces() -> None:
    assert flags("Bonjour {{ user }}, bienvenue sur {{site}}", "Hello {{user}}, welcome to {{ site }}") == []
    assert flags("Bonjour {{ user }}", "Hello there") == [("placeholder-missing", "critical", "{{ user }}", None)]


# --- tags ------------------------------------------------------------------------------


def test_html_tags_kept_with_localised_attributes() -> None:
    assert flags('Lire <a href="https://exemple.fr/aide">l\'aide</a>.<br>', 'Read <a href="https://example.com/help">the help</a>.<br/>') == []


def test_tag_missing_and_added() -> None:
    # a dropped or added pair of tags is one flag spanning both
    assert flags("Cliquez sur <b>Envoyer</b>", "Click Send") == [("tag-missing", "major", "<b>Envoyer</b>", None)]
    assert flags("Cliquez sur Envoyer", "Click <strong>Send</strong>") == [
        ("tag-added", "major", None, "<strong>Send</strong>"),
    ]


def test_xliff_1_2_inline_elements_compare_by_name_and_id() -> None:
    source = '<g id="1">Cliquez</g> sur <x id="2"/> pour continuer'
    assert flags(source, '<g id="1">Click</g> <x id="2"/> to continue') == []
    assert flags(source, '<g id="1">Click</g> to continue') == [("tag-missing", "major", '<x id="2"/>', None)]
    assert flags(source, '<g id="1">Click</g> <x id="3"/> to continue') == [
        ("tag-missing", "major", '<x id="2"/>', None),
        ("tag-added", "major", None, '<x id="3"/>'),
    ]


def test_xliff_native_code_elements_keep_their_escaped_content() -> None:
    source = 'Le <bpt id="1">&lt;b&gt;</bpt>texte<ept id="1">&lt;/b&gt;</ept> et <ph id="2">&lt;br/&gt;</ph>'
    assert flags(source, 'The <bpt id="1">&lt;b&gt;</bpt>text<ept id="1">&lt;/b&gt;</ept> and <ph id="2">&lt;br/&gt;</ph>') == []
    assert flags(source, 'The <bpt id="1">&lt;b&gt;</bpt>text<ept id="1">&lt;/b&gt;</ept> and') == [
        ("placeholder-missing", "critical", '<ph id="2">&lt;br/&gt;</ph>', None),  # <ph> is a placeholder
    ]


def test_xliff_2_0_inline_elements() -> None:
    source = 'Ouvrir <pc id="1">Fichier</pc> <ph id="2"/> <sc id="3"/>maintenant<ec startRef="3"/>'
    assert flags(source, 'Open <pc id="1">File</pc> <ph id="2"/> <sc id="3"/>now<ec startRef="3"/>') == []
    assert flags(source, 'Open <pc id="1">File</pc> <sc id="3"/>now<ec startRef="3"/>') == [
        ("placeholder-missing", "critical", '<ph id="2"/>', None),
    ]
    assert flags(source, 'Open <pc id="1">File</pc> <ph id="2"/> <ec startRef="3"/>now<sc id="3"/>') == [
        ("tag-unbalanced", "major", None, '<ec startRef="3"/>'),
    ]


def test_tag_unbalanced_when_nesting_breaks() -> None:
    assert flags("<b>Attention</b> : <i>danger</i>", "<b>Warning <i>danger</b></i>") == [
        ("tag-unbalanced", "major", None, "</b>"),
    ]
    bpt = 'Le <bpt id="1">&lt;b&gt;</bpt>texte<ept id="1">&lt;/b&gt;</ept>'
    assert flags(bpt, 'The <ept id="1">&lt;/b&gt;</ept>text<bpt id="1">&lt;b&gt;</bpt>') == [
        ("tag-unbalanced", "major", None, '<ept id="1">'),
    ]


def test_tag_unbalanced_not_reported_when_source_is_unbalanced_or_a_tag_is_missing() -> None:
    assert flags("<b>Attention <i>danger</b></i>", "<b><i>Warning</b></i> danger") == []
    # A dropped closing tag is a tag-missing; the resulting imbalance is not reported twice.
    # only a closing tag differs: the structure is broken, nothing was lost
    assert flags("<b>Attention</b> : danger", "<b>Warning: danger") == [("tag-unbalanced", "major", "</b>", None)]


@pytest.mark.parametrize("prose", [
    "Si a < b et b > c, la condition est remplie.",
    "si a<b et b>c alors",
    "Il a dit « non » puis « oui ».",
    "&lt;b&gt;Gras&lt;/b&gt; reste du texte.",
    "Écrivez à <jean.dupont@exemple.fr> ou <https://exemple.fr>.",
    "Les flèches <- et -> et le cœur <3",
    "Budget : {\"total\": 3}",
])
def test_prose_is_not_markup(prose: str) -> None:
    markup = parse_markup(prose)
    assert (markup.tags, markup.placeholders, markup.icu) == ([], [], [])


def test_entities_are_never_expanded() -> None:
    assert flags("&lt;b&gt;Gras&lt;/b&gt;", "<b>Bold</b>") == [("tag-added", "major", None, "<b>Bold</b>")]


def test_tag_text_spells_normalised_keys() -> None:
    assert [tag_text(t.key) for t in parse_markup('<G ID="1"><x id="2"/></g><br><input disabled>').tags] == [  # type: ignore[arg-type]
        '<g id="1">', '<x id="2"/>', "</g>", "<br/>", "<input/>",
    ]


# --- ICU -------------------------------------------------------------------------------

PLURAL_FR = "{count, plural, one {# nouveau message} other {# nouveaux messages}}"


def test_icu_plural_translated_inner_text() -> None:
    assert flags(PLURAL_FR, "{count, plural, one {# new message} other {# new messages}}") == []


def test_icu_plural_uses_the_target_languages_categories() -> None:
    # French has a `many` category (« 1 000 000 de messages ») that English does not use.
    source = "{count, plural, one {# message} many {# de messages} other {# messages}}"
    assert flags(source, "{count, plural, one {# message} other {# messages}}") == []


def test_icu_plural_keyword_dropped() -> None:
    assert flags(PLURAL_FR, "{count, plural, other {# new messages}}") == [(
        "icu-structure-changed", "critical", PLURAL_FR, "{count, plural, other {# new messages}}",
    )]


def test_icu_plural_keyword_translated() -> None:
    translation = "{count, plural, un {# new message} other {# new messages}}"
    assert flags(PLURAL_FR, translation) == [("icu-structure-changed", "critical", PLURAL_FR, translation)]


def test_icu_explicit_values_must_be_kept() -> None:
    source = "{count, plural, offset:1 =0 {Personne} =1 {{host}} one {{host} et # autre} other {{host} et # autres}}"
    assert flags(source, "{count, plural, offset:1 =0 {Nobody} =1 {{host}} one {{host} and # other} other {{host} and # others}}") == []
    translation = "{count, plural, offset:1 =1 {{host}} one {{host} and # other} other {{host} and # others}}"
    assert flags(source, translation) == [("icu-structure-changed", "critical", source, translation)]


def test_icu_argument_renamed_or_broken() -> None:
    renamed = "{total, plural, one {# new message} other {# new messages}}"
    assert flags(PLURAL_FR, renamed) == [("icu-structure-changed", "critical", PLURAL_FR, renamed)]  # one change
    assert flags(PLURAL_FR, "{count, plural, one {# new message} other {# new messages}") == [
        ("icu-structure-changed", "critical", PLURAL_FR, None),
    ]


def test_icu_select_keys_must_be_identical() -> None:
    source = "{gender, select, male {Il} female {Elle} other {Iel}} a commenté"
    assert flags(source, "{gender, select, male {He} female {She} other {They}} commented") == []
    assert flags(source, "{gender, select, male {He} woman {She} other {They}} commented") == [(
        "icu-structure-changed", "critical", "{gender, select, male {Il} female {Elle} other {Iel}}",
        "{gender, select, male {He} woman {She} other {They}}",
    )]


def test_placeholders_and_tags_inside_icu_branches_compare_as_sets() -> None:
    source = "{n, plural, one {# message de <b>{sender}</b>} many {# de messages de <b>{sender}</b>} other {# messages de <b>{sender}</b>}}"
    assert flags(source, "{n, plural, one {# message from <b>{sender}</b>} other {# messages from <b>{sender}</b>}}") == []
    assert flags(source, "{n, plural, one {# message from <b>them</b>} other {# messages from <b>them</b>}}") == [
        ("placeholder-missing", "critical", "{sender}", None),
    ]


def test_icu_parts_are_not_counted_as_plain_placeholders() -> None:
    markup = parse_markup(PLURAL_FR + " {name}")
    assert [t.key for t in markup.placeholders] == ["{name}"]
    assert [(a.name, a.kind, sorted(a.keys)) for a in markup.icu] == [("count", "plural", ["one", "other"])]


# --- properties ------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "Vous avez ", "%d", "%s", "%%", "{0}", "{name}", "{{user}}", "<b>", "</b>", '<g id="1">', "</g>", '<x id="2"/>',
    "<br>", " a < b ", "« ", " »", "{", "}", "{n, plural, one {# x} other {# y}}", "&lt;", "messages", " ",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_an_unchanged_string_is_never_flagged(text: str) -> None:
    assert check_markup(CheckInput(text, text)) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=10).map("".join), st.lists(_PIECES, max_size=10).map("".join))
def test_spans_point_into_the_segment(source: str, translation: str) -> None:
    flags(source, translation)  # checks every span against the text it reports
