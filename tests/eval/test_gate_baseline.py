"""`contresens gate --baseline` (regressions against an earlier run) and `--github-annotations`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.annotations import command, split_location
from eval.cli import main
from tests.eval.test_eval_gate import ROWS, lines, tsv

LENIENT = ["--no-model", "--max-critical", "1000", "--max-major", "1000"]
FIXED = [("a1", ROWS[0][1], "The Paris prosecutor's office opened an investigation."), *ROWS[1:]]


def baseline_of(tmp_path: Path, rows: list[tuple[str, str, str]]) -> str:
    out = tmp_path / "baseline.jsonl"
    assert main(["eval", tsv(tmp_path / "before.tsv", rows), "--no-model", "--output", str(out)]) == 0
    return str(out)


def test_unchanged_corpus_has_no_regressions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = baseline_of(tmp_path, ROWS)
    capsys.readouterr()
    assert main(["gate", tsv(tmp_path / "in.tsv"), *LENIENT, "--baseline", baseline]) == 0
    out = capsys.readouterr().out
    assert "baseline: 4 units compared, 0 new, 0 scores fell by more than 5 points, 0 units with new flags" in out
    assert "note:" not in out  # same signature


def test_new_flag_is_a_regression(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = baseline_of(tmp_path, FIXED)  # the last run had a1 right
    capsys.readouterr()
    current = tsv(tmp_path / "in.tsv")  # now a1 says "floor" again
    assert main(["gate", current, *LENIENT, "--baseline", baseline]) == 1
    out = capsys.readouterr().out
    assert out.startswith("contresens gate: FAIL")
    assert "1 units regressed against the baseline" in out and "more than --max-regressions 0" in out
    assert f"{current}:2  a1  score 100.0 -> " in out and "new: critical forbidden-rendering" in out
    assert main(["gate", current, *LENIENT, "--baseline", baseline, "--max-regressions", "1"]) == 0
    # the other way round, fixing a unit is no regression
    capsys.readouterr()
    assert main(["gate", tsv(tmp_path / "fixed.tsv", FIXED), *LENIENT, "--baseline",
                 baseline_of(tmp_path, ROWS)]) == 0


def test_score_drop_beyond_the_margin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = Path(baseline_of(tmp_path, ROWS))
    records = lines(baseline)
    a3 = next(r for r in records if r.get("id") == "a3")
    current_score = float(a3["score"])  # type: ignore[arg-type]
    a3["score"] = current_score + 15  # it scored better last time, with the same flags
    baseline.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    capsys.readouterr()
    assert main(["gate", tsv(tmp_path / "in.tsv"), *LENIENT, "--baseline", str(baseline)]) == 1
    out = capsys.readouterr().out
    assert "1 scores fell by more than 5 points, 0 units with new flags" in out
    assert f"a3  score {current_score + 15:.1f} -> {current_score:.1f}" in out
    assert main(["gate", tsv(tmp_path / "in.tsv"), *LENIENT, "--baseline", str(baseline),
                 "--regression-margin", "20"]) == 0


def test_new_units_are_not_regressions_and_other_signatures_are_noted(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    baseline = Path(baseline_of(tmp_path, ROWS[:2]))
    header, *records = lines(baseline)
    header["signature"] = "something else"
    baseline.write_text("".join(json.dumps(r) + "\n" for r in (header, *records)), encoding="utf-8")
    capsys.readouterr()
    assert main(["gate", tsv(tmp_path / "in.tsv"), *LENIENT, "--baseline", str(baseline)]) == 0
    out = capsys.readouterr().out
    assert "baseline: 2 units compared, 2 new" in out and "another signature" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"contresens": "0", "signature": "s"}\n{"id": "a1", "score": "high"}\n{"id": "a2", "score": 1}\n',
         "line 2, field 'score': missing or not a number"),
        ('[1, 2]\n{"id": "a2", "score": 1}\n', "line 1: expected a JSON object"),
        ('{"id": "a1", "score": 1}\nnot json\n{"id": "a2", "score": 1}\n', "line 2: not valid JSON"),
        ("", "no results"),
    ],
)
def test_bad_baseline_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str,
                                        message: str) -> None:
    baseline = tmp_path / "old.jsonl"
    baseline.write_text(content, encoding="utf-8")
    assert main(["gate", tsv(tmp_path / "in.tsv"), *LENIENT, "--baseline", str(baseline)]) == 2
    err = capsys.readouterr().err
    assert f"{baseline}" in err and message in err
    assert main(["gate", tsv(tmp_path / "in.tsv"), *LENIENT, "--baseline", str(tmp_path / "none.jsonl")]) == 2


def test_github_annotations_point_at_the_translation_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    tsv(tmp_path / "in.tsv")
    assert main(["gate", "in.tsv", "--no-model", "--github-annotations"]) == 1
    out = capsys.readouterr().out.splitlines()
    commands = [line for line in out if line.startswith("::")]
    assert commands[0].startswith("::error file=in.tsv,line=2,title=contresens critical forbidden-rendering::"
                                  "unit a1: ")
    assert "(suggestion: prosecutor's office)" in commands[0]
    assert any(c.startswith("::warning file=in.tsv,line=4,title=contresens major number-changed::unit a3")
               for c in commands)
    assert not any("line=5" in c for c in commands)  # a4 is clean
    assert out[len(commands)].startswith("contresens gate: FAIL")  # the summary follows the annotations
    # an absolute path inside the checkout is made relative; parallel files point at the translation
    fr, en = tmp_path / "doc.fr", tmp_path / "doc.en"
    fr.write_text("Le parquet a fait appel.\n", encoding="utf-8")
    en.write_text("The floor appealed.\n", encoding="utf-8")
    assert main(["gate", "--format", "parallel", str(fr), str(en), "--no-model", "--github-annotations"]) == 1
    assert capsys.readouterr().out.startswith("::error file=doc.en,line=1,")


def test_annotation_escaping_and_locations() -> None:
    assert split_location("locales/fr,en.xlf#c1", "c1") == ("locales/fr,en.xlf", None)
    assert split_location("a/b.po:12", "x") == ("a/b.po", 12)
    assert split_location("C:/x/y.tmx:3", "1") == ("C:/x/y.tmx", 3)
    line = command("error", "dir/a,b:c.xlf#u%1", "u%1", "t: x", "50% done\nnext")
    assert line == "::error file=dir/a%2Cb%3Ac.xlf,title=t%3A x::50%25 done%0Anext"
