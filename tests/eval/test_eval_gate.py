"""`contresens eval` and `contresens gate` in-process: formats, streaming results, resume, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.cli import main
from eval.evaluate import run_to_file
from eval.formats import read_units
from service.checker import Checker
from service.config import Settings

ROWS = [
    ("a1", "Le parquet de Paris a ouvert une enquête.", "The Paris floor opened an investigation."),
    ("a2", "Il a été placé en garde à vue mardi.", "He was taken into police custody on Tuesday."),
    ("a3", "Le prévenu, âgé de 22 ans, a été condamné.", "The 32-year-old defendant was sentenced."),
    ("a4", "Trois personnes ont été interpellées.", "Three people were arrested."),
]


def tsv(path: Path, rows: list[tuple[str, str, str]] = ROWS) -> str:
    path.write_text("id\tsource\ttranslation\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def jsonl(path: Path, rows: list[tuple[str, str, str]] = ROWS) -> str:
    path.write_text("".join(json.dumps({"id": i, "source": s, "translation": t}, ensure_ascii=False) + "\n"
                            for i, s, t in rows), encoding="utf-8")
    return str(path)


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_eval_no_model_writes_header_and_one_line_per_unit(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["eval", tsv(tmp_path / "in.tsv"), "--no-model", "--output", str(out)]) == 0
    header, *units = lines(out)
    assert "signature" in header and "|fwd:none|" in str(header["signature"])
    assert [u["id"] for u in units] == ["a1", "a2", "a3", "a4"]
    assert units[0]["location"] == f"{tmp_path / 'in.tsv'}:2"
    assert {(f["rule"], f["severity"]) for f in units[0]["flags"]} >= {("forbidden-rendering", "critical")}
    assert units[0]["verdict"] == "fail" and units[3]["verdict"] == "pass" and units[3]["score"] == 100.0
    assert any(f["rule"] == "number-changed" for f in units[2]["flags"])


def test_eval_with_tiny_models(tmp_path: Path, tiny_models: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRESENS_FORWARD_MODEL", str(tiny_models["fr-en"]))
    monkeypatch.setenv("CONTRESENS_BACKWARD_MODEL", str(tiny_models["en-fr"]))
    monkeypatch.setenv("CONTRESENS_MAX_LENGTH", "12")
    monkeypatch.setenv("CONTRESENS_BEAM_SIZE", "1")
    out = tmp_path / "out.jsonl"
    report = tmp_path / "report.html"
    assert main(["eval", jsonl(tmp_path / "in.jsonl", ROWS[:2]), "--output", str(out), "--report", str(report)]) == 0
    header, *units = lines(out)
    assert "sha256:" in str(header["signature"])
    assert [u["id"] for u in units] == ["a1", "a2"]
    assert all(s["back_translation"] for u in units for s in u["segments"])  # type: ignore[union-attr]
    import html

    page = report.read_text(encoding="utf-8")  # the back-translation sits beside the source and the MT
    for unit in units:
        back = " ".join(s["back_translation"] for s in unit["segments"])  # type: ignore[union-attr]
        assert f'<td class="back">{html.escape(back)}</td>' in page


def test_resume_after_an_interruption_gives_the_same_output(tmp_path: Path) -> None:
    source = tsv(tmp_path / "in.tsv")
    full = tmp_path / "full.jsonl"
    assert main(["eval", source, "--no-model", "--output", str(full)]) == 0
    # an interrupted run: two units written, the third line torn mid-write
    partial = tmp_path / "partial.jsonl"
    complete = full.read_text(encoding="utf-8").splitlines()
    partial.write_text("\n".join(complete[:3]) + "\n" + complete[3][:25], encoding="utf-8")
    assert main(["eval", source, "--no-model", "--output", str(partial), "--resume"]) == 0
    assert partial.read_text(encoding="utf-8") == full.read_text(encoding="utf-8")
    # resuming a finished run computes nothing and changes nothing
    checker = Checker.rules_only(Settings())
    records = run_to_file(read_units([source]), checker, str(full), resume=True)
    assert [r["id"] for r in records] == ["a1", "a2", "a3", "a4"]
    assert full.read_text(encoding="utf-8") == partial.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "x", "source": "a"}\n', "line 1, field 'translation': missing or not a string"),
        ('{"id": "x", "source": "a", "translation": "b"}\n{oops\n', "line 2: not valid JSON"),
        ('{"id": "x", "source": "a", "translation": "b"}\n{"id": "x", "source": "a", "translation": "b"}\n',
         "line 2, field 'id': 'x' already used on line 1"),
    ],
)
def test_malformed_jsonl_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str,
                                            message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    assert main(["eval", str(path), "--no-model"]) == 2
    assert f"input file {path}, {message}" in capsys.readouterr().err


def test_unknown_extension_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "units.txt"
    path.write_text("x", encoding="utf-8")
    assert main(["eval", str(path), "--no-model"]) == 2
    assert "use --format tsv or --format jsonl" in capsys.readouterr().err


def test_gate_exit_codes_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tsv(tmp_path / "in.tsv")
    assert main(["gate", source, "--no-model", "--min-score", "101"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("contresens gate: FAIL — 4 units") and "below --min-score 101" in out
    assert "worst units:" in out and f"{source}:2  a1" in out
    assert main(["gate", source, "--no-model", "--min-score", "0", "--max-critical", "1000", "--max-major",
                 "1000"]) == 0
    assert capsys.readouterr().out.startswith("contresens gate: PASS")
    assert main(["gate", source, "--no-model"]) == 1  # by default one critical flag fails the gate
    assert "critical flags, more than --max-critical 0" in capsys.readouterr().out
    assert main(["gate", str(tmp_path / "missing.tsv"), "--no-model"]) == 2
    assert main(["gate", source, "--no-model", "--checks", "spelling"]) == 2


def test_gate_writes_results_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "gate.jsonl"
    assert main(["gate", tsv(tmp_path / "in.tsv"), "--no-model", "--max-critical", "9", "--output", str(out)]) == 0
    assert len(lines(out)) == 5


def test_eval_writes_every_report_with_the_signature(tmp_path: Path) -> None:
    from xml.etree import ElementTree

    out = tmp_path / "r.jsonl"
    paths = {k: tmp_path / f"report.{k}" for k in ("html", "md", "csv", "xml")}
    assert main(["eval", tsv(tmp_path / "in.tsv"), "--no-model", "--output", str(out), "--report",
                 str(paths["html"]), "--markdown", str(paths["md"]), "--csv", str(paths["csv"]), "--junit",
                 str(paths["xml"])]) == 0
    signature = str(lines(out)[0]["signature"])
    html = paths["html"].read_text(encoding="utf-8")
    assert "<mark" in html and ">floor</mark>" in html and signature in html.replace("&amp;", "&")
    assert signature in paths["md"].read_text(encoding="utf-8")
    assert signature in paths["csv"].read_text(encoding="utf-8")
    suite = ElementTree.parse(paths["xml"]).getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("4", "1")  # a1 fails; a3 (major) is for review


def test_compare_two_systems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "src.fr"
    source.write_text("\n".join(s for _, s, _ in ROWS) + "\n", encoding="utf-8")
    good = tmp_path / "good.en"
    good.write_text("The Paris prosecutor's office opened an investigation.\nHe was taken into police custody on "
                    "Tuesday.\nThe 22-year-old defendant was sentenced.\nThree people were arrested.\n",
                    encoding="utf-8")
    bad = tmp_path / "bad.en"
    bad.write_text("\n".join(t for _, _, t in ROWS) + "\n", encoding="utf-8")
    args = ["compare", "--source", str(source), "--a", str(bad), "--b", str(good), "--reference", str(good),
            "--no-model", "--resamples", "200", "--json", str(tmp_path / "c.json")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("4 segments; paired bootstrap 200 resamples") and "quality score" in out and "chrF" in out
    numbers = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    quality = numbers["metrics"]["quality score"]
    assert quality["mean_b"] > quality["mean_a"] and quality["wins"] == 2 and quality["losses"] == 0
    assert main(args) == 0 and json.loads((tmp_path / "c.json").read_text(encoding="utf-8")) == numbers  # seeded
    bad.write_text("only one line\n", encoding="utf-8")
    assert main(args) == 2


class _Terminal:
    """A stand-in for a terminal stream: tqdm only needs write, flush and isatty."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_and_none_in_a_pipe(tmp_path: Path) -> None:
    import io

    checker = Checker.rules_only(Settings())
    terminal = _Terminal()
    run_to_file(read_units([tsv(tmp_path / "in.tsv")]), checker, str(tmp_path / "a.jsonl"), progress=terminal)  # type: ignore[arg-type]
    assert "4 units" in terminal.text and "units/s" in terminal.text
    pipe = io.StringIO()
    run_to_file(read_units([tsv(tmp_path / "in.tsv")]), checker, str(tmp_path / "b.jsonl"), progress=pipe)
    assert pipe.getvalue() == ""  # a fast run prints nothing; periodic lines come every ten seconds
