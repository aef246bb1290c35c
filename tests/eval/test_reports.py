"""Markdown, CSV, JUnit and HTML renderings of `contresens eval` results."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from eval.cli import main
from eval.report_csv import COLUMNS, render_csv
from eval.report_html import highlight, render_html
from eval.report_junit import render_junit
from eval.report_markdown import MAX_ROWS, md_cell, render_markdown

TEXTS = {
    "a1": ("Le parquet de Paris a ouvert une enquête.", "The Paris floor opened an investigation."),
    "a2": ("Il a 22 ans.", "He is 32."),
    "a3": ("Bonjour.", "Hello."),
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], str]:
    """Real records from `contresens eval --no-model` on a small TSV."""
    folder = tmp_path_factory.mktemp("reports")
    corpus = folder / "units.tsv"
    corpus.write_text("id\tsource\ttranslation\n" + "".join(f"{k}\t{s}\t{t}\n" for k, (s, t) in TEXTS.items()),
                      encoding="utf-8")
    out = folder / "results.jsonl"
    assert main(["eval", str(corpus), "--no-model", "--output", str(out)]) in (0, 1)
    header, *lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["verdict"] for r in records] == ["fail", "review", "pass"]
    return records, json.loads(header)["signature"]


def tricky_record(**extra: Any) -> dict[str, Any]:
    """A unit whose texts hold every character the formats must escape."""
    flag = {"type": "terminology", "rule": "forbidden-rendering", "severity": "critical",
            "source_start": 0, "source_end": 9, "source_text": "a|b <c> &",
            "translation_start": 0, "translation_end": 9, "translation_text": 'x|y\n"z"&',
            "message": "bad <term> & \"quotes\" ]]>", "suggestion": "use <b>"}
    return {"id": "t&1", "location": "dir/a<b>.tsv:7", "score": 10.0, "verdict": "fail", "flags": [flag],
            "segments": [], **extra}


# Markdown

def test_markdown_has_counts_tables_and_signature(results: tuple[list[dict[str, Any]], str]) -> None:
    records, signature = results
    text = render_markdown(records, signature)
    assert text.splitlines()[0] == "## contresens: 3 units — 1 fail, 1 review, 1 pass"
    assert "Mean score: **75.0** / 100" in text
    assert "| Rule | critical | major | minor | Total |" in text
    assert "| forbidden-rendering | 1 | 0 | 0 | 1 |" in text
    assert "| number-changed | 0 | 1 | 0 | 1 |" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and ".tsv:" in line]
    assert len(rows) == 2  # the passing unit is not listed
    assert "a1" in rows[0] and "`parquet` → `floor`" in rows[0] and "`prosecutor's office`" in rows[0]
    assert "a2" in rows[1] and "`22` → `32`" in rows[1]
    assert text.rstrip().splitlines()[-1] == f"Signature: `{signature}`"


def test_markdown_escapes_table_cells() -> None:
    text = render_markdown([tricky_record()], "sig")
    row = next(line for line in text.splitlines() if "t&1" in line)
    assert "a\\|b" in row and "x\\|y" in row and "\n" not in row
    # escaped pipes do not split the row: 5 columns, so 6 unescaped pipes
    assert len(re.findall(r"(?<!\\)\|", row)) == 6
    assert md_cell("a|b\nc") == "a\\|b c"


def test_markdown_caps_rows() -> None:
    records = [{"id": f"u{i}", "location": f"f.tsv:{i}", "score": 50.0, "verdict": "review", "flags": []}
               for i in range(MAX_ROWS + 7)]
    text = render_markdown(records, "sig")
    assert sum(1 for line in text.splitlines() if line.startswith("| f.tsv:")) == MAX_ROWS
    assert "and 7 more" in text


def test_markdown_of_nothing() -> None:
    text = render_markdown([], "sig")
    assert "0 units" in text and "No units" in text and text.rstrip().endswith("`sig`")


# CSV

def test_csv_parses_back(results: tuple[list[dict[str, Any]], str]) -> None:
    records, signature = results
    rows = list(csv.DictReader(io.StringIO(render_csv(records, signature))))
    assert [(r["id"], r["rule"], r["severity"]) for r in rows] == [
        ("a1", "forbidden-rendering", "critical"), ("a2", "number-changed", "major"), ("a3", "", "")]
    assert tuple(rows[0]) == COLUMNS
    assert rows[0]["source_text"] == "parquet" and rows[0]["translation_text"] == "floor"
    assert rows[0]["suggestion"] == "prosecutor's office" and rows[0]["verdict"] == "fail"
    assert float(rows[1]["score"]) == 75.0 and rows[1]["location"].endswith("units.tsv:3")
    assert rows[2]["verdict"] == "pass" and rows[2]["message"] == ""
    assert {r["signature"] for r in rows} == {signature}


def test_csv_round_trips_special_characters() -> None:
    record = tricky_record()
    flag = record["flags"][0]
    second = {**flag, "rule": "other", "severity": "minor"}
    record["flags"].append(second)
    rows = list(csv.DictReader(io.StringIO(render_csv([record], "s,ig"))))
    assert len(rows) == 2
    assert rows[0]["translation_text"] == 'x|y\n"z"&' and rows[0]["message"] == flag["message"]
    assert rows[1]["rule"] == "other" and rows[1]["signature"] == "s,ig"


# JUnit

def test_junit_counts_and_signature(results: tuple[list[dict[str, Any]], str]) -> None:
    records, signature = results
    suite = ET.fromstring(render_junit(records, signature).encode("utf-8"))
    assert suite.tag == "testsuite" and suite.get("name") == "contresens"
    assert suite.get("tests") == "3" and suite.get("failures") == "1"
    prop = suite.find("properties/property[@name='signature']")
    assert prop is not None and prop.get("value") == signature
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["a1", "a2", "a3"]
    assert all(c.get("classname", "").endswith("units.tsv") for c in cases)
    failure = cases[0].find("failure")
    assert failure is not None and failure.text is not None
    assert "critical forbidden-rendering:" in failure.text and "[parquet -> floor]" in failure.text
    assert cases[1].find("failure") is None
    out = cases[1].find("system-out")
    assert out is not None and out.text is not None and "major number-changed:" in out.text
    assert "[22 -> 32]" in out.text
    assert cases[2].find("failure") is None and cases[2].find("system-out") is None


def test_junit_escapes_special_characters() -> None:
    document = render_junit([tricky_record(), {**tricky_record(), "id": "ok", "verdict": "pass", "flags": []}],
                            'sig "<&>"\x01')
    suite = ET.fromstring(document.encode("utf-8"))
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    case = suite.find("testcase")
    assert case is not None and case.get("name") == "t&1" and case.get("classname") == "dir/a<b>.tsv"
    failure = case.find("failure")
    assert failure is not None and failure.text is not None
    assert 'bad <term> & "quotes" ]]>' in failure.text and "[a|b <c> & -> x|y" in failure.text
    prop = suite.find("properties/property")
    assert prop is not None and prop.get("value", "").startswith('sig "<&>"')


# HTML

def test_html_marks_flagged_spans(results: tuple[list[dict[str, Any]], str]) -> None:
    records, signature = results
    page = render_html(records, signature, texts=TEXTS)
    assert re.search(r'<mark class="sev-critical" title="[^"]*suggestion: prosecutor&#x27;s office">floor</mark>',
                     page)
    assert re.search(r'<mark class="sev-critical"[^>]*>parquet</mark>', page)
    assert re.search(r'<mark class="sev-major"[^>]*>32</mark>', page)
    assert "The Paris <mark" in page and "</mark> opened an investigation." in page
    assert "Hello." in page and page.count("<mark") == 4
    assert f"<code>{signature.replace(chr(39), '&#x27;')}</code>" in page
    assert "http" not in page and "<script src" not in page and "<link" not in page
    assert page.count('class="bar"') == 10
    assert "forbidden-rendering" in page and "number-changed" in page


def test_html_without_texts_shows_flag_texts(results: tuple[list[dict[str, Any]], str]) -> None:
    records, signature = results
    page = render_html(records, signature)
    assert re.search(r"<mark[^>]*>floor</mark>", page) and re.search(r"<mark[^>]*>parquet</mark>", page)
    assert "investigation" not in page and "http" not in page


def test_html_escapes_everything() -> None:
    record = tricky_record()
    page = render_html([record], "<sig>", texts={"t&1": ("a|b <c> & rest", 'x|y\n"z"& rest')})
    assert "<c>" not in page and "<term>" not in page and "<sig>" not in page and "<b>" not in page
    assert ">a|b &lt;c&gt; &amp;</mark> rest" in page
    assert "t&amp;1" in page and "&lt;sig&gt;" in page


def test_highlight_falls_back_when_offsets_are_off() -> None:
    flags = [{"severity": "major", "rule": "r", "message": "m", "translation_start": 40, "translation_end": 45,
              "translation_text": "floor"}]
    assert highlight("The floor <x>", flags, "translation") == (
        'The <mark class="sev-major" title="major r: m">floor</mark> &lt;x&gt;')
    assert highlight("no match", flags, "translation") == "no match"

