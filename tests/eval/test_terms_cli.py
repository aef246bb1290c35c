"""`contresens terms` and `contresens glossary`, in-process through main(argv)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.cli import main
from service.glossary.csv_format import read_csv
from service.glossary.tbx_format import read_tbx
from tests.conftest import ROOT

MINI = str(ROOT / "tests" / "data" / "glossary" / "mini.csv")
ONLY_MINI = ["--no-builtin-glossary", "--glossary", MINI]


def tsv(path: Path, rows: list[tuple[str, str, str]]) -> str:
    path.write_text("id\tsource\ttranslation\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_terms_writes_one_json_line_per_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tsv(tmp_path / "in.tsv", [
        ("a1", "Le parquet de Paris a ouvert une enquête.", "The Paris floor opened an investigation."),
        ("a2", "Il a été placé en garde à vue mardi.", "He was taken into police custody on Tuesday."),
    ])
    assert main(["terms", path, *ONLY_MINI]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a2"]
    assert rows[1]["flags"] == [] and rows[0]["location"] == f"{path}:2"
    flag = rows[0]["flags"][0]
    assert {k: flag[k] for k in ("rule", "severity", "concept", "source_text", "source_start", "source_end",
                                 "translation_text", "suggestion")} == {
        "rule": "forbidden-rendering", "severity": "critical", "concept": "parquet", "source_text": "parquet",
        "source_start": 3, "source_end": 10, "translation_text": "floor", "suggestion": "prosecutor's office"}


def test_terms_input_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tsource\ttranslation\na1\tLe parquet.\tThe floor.\na2\tonly two\n", encoding="utf-8")
    assert main(["terms", str(bad), *ONLY_MINI]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["id"] == "a1"  # rows before the error are kept
    assert f"input file {bad}, line 3: expected 3 tab-separated fields, found 2" in captured.err
    (tmp_path / "nohead.tsv").write_text("a\tb\n", encoding="utf-8")
    assert main(["terms", str(tmp_path / "nohead.tsv"), *ONLY_MINI]) == 2
    assert "header lacks column(s) id, source, translation" in capsys.readouterr().err


def test_bad_user_glossary_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "user.csv"
    broken.write_text("id,french,english_approved\nx,,court\n", encoding="utf-8")
    path = tsv(tmp_path / "in.tsv", [("a1", "x", "y")])
    assert main(["terms", path, "--glossary", str(broken)]) == 2
    assert f"{broken}, line 2, field 'french'" in capsys.readouterr().err


def test_glossary_list_show_export_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "list", *ONLY_MINI, "--domain", "procedure"]) == 0
    out = capsys.readouterr().out
    assert "garde-a-vue" in out and "parquet " not in out and "3 concepts, checksum sha256:" in out
    assert main(["glossary", "show", "junalco", *ONLY_MINI]) == 0
    assert "do not translate: yes" in capsys.readouterr().out
    assert main(["glossary", "show", "nope", *ONLY_MINI]) == 2
    assert main(["glossary", "export", *ONLY_MINI, "--output", str(tmp_path / "g.tbx")]) == 0
    assert read_tbx(tmp_path / "g.tbx") == read_csv(MINI)
    assert main(["glossary", "export", *ONLY_MINI, "--format", "csv", "-o", str(tmp_path / "g.tsv")]) == 0
    assert read_csv(tmp_path / "g.tsv") == read_csv(MINI)
    capsys.readouterr()
    assert main(["glossary", "validate", MINI, str(tmp_path / "g.tbx")]) == 0
    assert capsys.readouterr().out.count(": OK, 8 concepts") == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("id,french,english_approved,severity\nx,tribunal,court,grave\n", encoding="utf-8")
    assert main(["glossary", "validate", MINI, str(bad)]) == 2
    assert f"{bad}, line 2, field 'severity'" in capsys.readouterr().err


def test_builtin_glossary_loads_and_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "list"]) == 0
    out = capsys.readouterr().out
    count = int(out.strip().splitlines()[-1].split()[0])
    assert count >= 200
    for name in sorted((ROOT / "corpora" / "glossary").glob("*.csv")):
        assert main(["glossary", "validate", str(name)]) == 0
