"""English forms of French names and the curated tables they come from."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.checks.exonyms import TABLE_FILES, NamesTableError, english_forms, key, names_dir, read_table


def test_cldr_iso_and_curated_forms() -> None:
    assert "New Zealand" in english_forms("Nouvelle-Zélande")  # CLDR territory
    assert "Warsaw" in english_forms("Varsovie")  # CLDR exemplar city
    assert "Czech Republic" in english_forms("République tchèque")  # ISO 3166 official name (pycountry)
    assert "DRC" in english_forms("RDC") and "UN" in english_forms("l'Onu")  # corpora/names/fr-en.csv
    assert "French" in english_forms("les Français")  # language name = nationality word
    assert "American" in english_forms("Américaines")  # demonym, through its lemma
    assert "Spanish" in english_forms("Espagne")  # a country's nationality word
    assert "North Kivu" in english_forms("Nord-Kivu") or "North kivu" in english_forms("Nord-Kivu")
    assert any(f.casefold() == "lowndes county" for f in english_forms("Comté de Lowndes"))
    assert english_forms("Vasseur") == frozenset()


def test_keys_ignore_case_accents_hyphens_and_articles() -> None:
    assert key("La Nouvelle-Zélande") == key("nouvelle zelande") == "nouvelle zelande"
    assert key("l'Onu") == "onu"


@pytest.mark.parametrize("name", TABLE_FILES)
def test_shipped_tables_are_well_formed_and_sourced(name: str) -> None:
    rows = read_table(names_dir() / name)
    assert len(rows) > 50
    seen: set[str] = set()
    for row in rows:
        assert row.french and row.english and row.source.strip()
        keys = {key(form) for form in row.french}
        assert not keys & seen, f"{sorted(keys & seen)} appear in two rows of {name}"
        seen |= keys


def test_a_malformed_table_names_the_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "fr-en.csv"
    bad.write_text("french,english,kind,source\nONU,UN,acronym,UNTERM\nRDC,,acronym,UNTERM\n", encoding="utf-8")
    with pytest.raises(NamesTableError, match=r"fr-en.csv:3: field 'english' is empty"):
        read_table(bad)
    bad.write_text("french,english,kind,source\nONU,UN,country,UNTERM\n", encoding="utf-8")
    with pytest.raises(NamesTableError, match=r"fr-en.csv:2: field 'kind' is 'country'"):
        read_table(bad)
    bad.write_text("french,english\nONU,UN\n", encoding="utf-8")
    with pytest.raises(NamesTableError, match=r"missing column\(s\) kind, source"):
        read_table(bad)
