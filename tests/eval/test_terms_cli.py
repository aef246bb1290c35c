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


# -- the term policy through the command line ---------------------------------------------------------------------

# "délit" and "victime" are general legal vocabulary (checked for mistranslation only); "tribunal correctionnel" is a
# court (its rendering is required under both policies)
POLICY_ROWS = [
    ("p1", "Il a commis un délit.", "He broke the law."),
    ("p2", "Elle a été victime d'une agression.", "She was attacked."),
    ("p3", "Il a commis un délit routier.", "He committed a road délit."),
    ("p4", "Le tribunal correctionnel a tranché.", "The judges decided."),
]


def _term_rules(out: str) -> dict[str, list[str]]:
    return {row["id"]: [f"{f['rule']}:{f['concept']}" for f in row["flags"]]
            for row in map(json.loads, out.splitlines())}


def test_terms_under_each_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tsv(tmp_path / "in.tsv", POLICY_ROWS)
    assert main(["terms", path]) == 0
    assert _term_rules(capsys.readouterr().out) == {
        "p1": [], "p2": [], "p3": ["term-left-in-french:delit"],
        "p4": ["missing-approved-rendering:tribunal-correctionnel"]}
    assert main(["terms", path, "--term-policy", "strict"]) == 0
    assert _term_rules(capsys.readouterr().out) == {
        "p1": ["missing-approved-rendering:delit"], "p2": ["missing-approved-rendering:victime"],
        "p3": ["missing-approved-rendering:delit"], "p4": ["missing-approved-rendering:tribunal-correctionnel"]}


def test_term_policy_from_the_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tsv(tmp_path / "in.tsv", POLICY_ROWS[:1])
    monkeypatch.setenv("CONTRESENS_TERM_POLICY", "strict")
    assert main(["terms", path]) == 0
    assert _term_rules(capsys.readouterr().out) == {"p1": ["missing-approved-rendering:delit"]}
    assert main(["terms", path, "--term-policy", "mistranslation"]) == 0  # the option wins over the environment
    assert _term_rules(capsys.readouterr().out) == {"p1": []}
    monkeypatch.setenv("CONTRESENS_TERM_POLICY", "lenient")
    assert main(["terms", path]) == 2
    err = capsys.readouterr().err
    assert "invalid settings: term_policy: Input should be 'mistranslation' or 'strict'" in err


def test_unknown_term_policy_option_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tsv(tmp_path / "in.tsv", POLICY_ROWS[:1])
    for command in (["terms", path], ["eval", path, "--no-model"], ["gate", path, "--no-model"]):
        assert main([*command, "--term-policy", "lenient"]) == 2
        assert "--term-policy: invalid choice: 'lenient' (choose from 'mistranslation', 'strict')" in \
            capsys.readouterr().err


def test_the_cli_choices_are_the_term_policies() -> None:
    from eval.cli import build_parser
    from service.glossary.concept import TERM_POLICIES

    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in ("check", "eval", "gate", "compare", "serve", "terms"):
        [option] = [a for a in commands[name]._actions if "--term-policy" in a.option_strings]
        assert tuple(option.choices) == TERM_POLICIES, name


def _results(path: Path) -> tuple[str, dict[str, list[str]]]:
    header, *units = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    return header["signature"], {u["id"]: [f["rule"] for f in u["flags"] if f["type"] == "terminology"]
                                 for u in units}


def test_eval_signs_its_term_policy(tmp_path: Path) -> None:
    path = tsv(tmp_path / "in.tsv", POLICY_ROWS)
    default, strict = tmp_path / "default.jsonl", tmp_path / "strict.jsonl"
    assert main(["eval", path, "--no-model", "--checks", "markup", "--output", str(default)]) == 0
    assert main(["eval", path, "--no-model", "--checks", "markup", "--output", str(strict),
                 "--term-policy", "strict"]) == 0
    signature, flags = _results(default)
    assert "|termpolicy:mistranslation|" in signature and flags["p1"] == [] and flags["p2"] == []
    signature, flags = _results(strict)
    assert "|termpolicy:strict|" in signature
    assert flags["p1"] == ["missing-approved-rendering"] and flags["p2"] == ["missing-approved-rendering"]


def test_gate_under_each_policy_and_a_baseline_of_the_other(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tsv(tmp_path / "in.tsv", POLICY_ROWS[:2])
    baseline = tmp_path / "strict.jsonl"
    # restructured general vocabulary passes by default; a terminology-compliance run fails on it
    assert main(["gate", path, "--no-model", "--max-major", "0"]) == 0
    assert "PASS" in capsys.readouterr().out
    assert main(["gate", path, "--no-model", "--max-major", "0", "--term-policy", "strict",
                 "--output", str(baseline)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "more than --max-major 0" in out
    # a baseline made under the other policy is not silently compared as if it were the same run
    assert main(["gate", path, "--no-model", "--baseline", str(baseline)]) == 0
    assert "the baseline was made with another signature (models, glossary, term policy or checks)" in \
        capsys.readouterr().out


def test_compare_takes_the_term_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, a, b = tmp_path / "src.fr", tmp_path / "a.en", tmp_path / "b.en"
    source.write_text("Il a commis un délit.\nLe parquet a fait appel.\n", encoding="utf-8")
    a.write_text("He broke the law.\nThe prosecutors appealed.\n", encoding="utf-8")
    b.write_text("He committed an offence.\nThe prosecutors appealed.\n", encoding="utf-8")
    for policy, mean_a in (("mistranslation", 100.0), ("strict", 87.5)):  # strict: A's first line loses 25 points
        out = tmp_path / f"{policy}.json"
        assert main(["compare", "--source", str(source), "--a", str(a), "--b", str(b), "--no-model",
                     "--resamples", "50", "--term-policy", policy, "--json", str(out)]) == 0
        assert f"|termpolicy:{policy}|" in capsys.readouterr().out
        result = json.loads(out.read_text(encoding="utf-8"))
        assert f"|termpolicy:{policy}|" in result["signature"]
        assert (result["metrics"]["quality score"]["mean_a"], result["metrics"]["quality score"]["mean_b"]) == (
            mean_a, 100.0)


def test_check_with_models_signs_its_term_policy(tiny_models: dict[str, Path], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CONTRESENS_FORWARD_MODEL", str(tiny_models["fr-en"]))
    monkeypatch.setenv("CONTRESENS_BACKWARD_MODEL", str(tiny_models["en-fr"]))
    monkeypatch.setenv("CONTRESENS_MAX_LENGTH", "12")
    monkeypatch.setenv("CONTRESENS_BEAM_SIZE", "1")
    source, translation = tmp_path / "s.fr", tmp_path / "t.en"
    source.write_text("Le parquet de Paris a ouvert une enquête.\n", encoding="utf-8")
    translation.write_text("The Paris floor opened an investigation.\n", encoding="utf-8")
    signatures = []
    for extra in ([], ["--term-policy", "strict"]):
        assert main(["check", "--source", str(source), "--translation", str(translation), "--json",
                     "--no-cache", *extra]) == 0
        report = json.loads(capsys.readouterr().out)
        assert [f["rule"] for f in report["flags"] if f["type"] == "terminology"] == ["forbidden-rendering"]
        signatures.append(report["signature"])
    assert "|termpolicy:mistranslation|" in signatures[0] and "|termpolicy:strict|" in signatures[1]


def test_term_counts_per_rule_and_severity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from eval.term_counts import main as counts_main

    source, human, machine = tmp_path / "src.fr", tmp_path / "ref.en", tmp_path / "mt.en"
    source.write_text("Il a commis un délit.\nLe parquet de Paris a ouvert une enquête.\n", encoding="utf-8")
    human.write_text("He broke the law.\nParis prosecutors opened an investigation.\n", encoding="utf-8")
    machine.write_text("He committed a délit.\nThe Paris floor opened an investigation.\n", encoding="utf-8")
    out = tmp_path / "counts.json"
    assert counts_main([str(source), str(human), str(source), str(machine), "--json", str(out)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert "|termpolicy:mistranslation|" in table[0]
    assert table[1].split() == ["file", "lines", "forbidden-rendering", "critical", "term-left-in-french", "major",
                                "total"]
    assert table[2].split() == [str(human), "2", "0", "0", "0"] and table[3].split() == [str(machine), "2", "1", "1", "2"]
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert [f["total"] for f in payload["files"]] == [0, 2]
    assert [(f["line"], f["rule"], f["concept"]) for f in payload["flags"]] == [
        (1, "term-left-in-french", "delit"), (2, "forbidden-rendering", "parquet")]
    assert counts_main([str(source), str(human), "--term-policy", "strict"]) == 0
    assert capsys.readouterr().out.splitlines()[2].split() == [str(human), "2", "1", "1"]  # lines, missing major, total
    assert counts_main([str(source)]) == 2
    assert "give SOURCE TRANSLATION pairs" in capsys.readouterr().err


def test_eval_terms_counts_expectations_by_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from eval.terms import main as terms_main

    glossary = tmp_path / "g.csv"
    glossary.write_text("id,french,english_approved,english_forbidden,check\n"
                        "delit,délit,offence,delict,mistranslation\n"
                        "tribunal,tribunal correctionnel,criminal court,,rendering\n", encoding="utf-8")
    challenge = tmp_path / "c.tsv"
    challenge.write_text("id\tsource\ttranslation\texpected\n"
                         "c1\tUn délit.\tA wrong.\tmissing-approved-rendering:delit\n"
                         "c2\tUn délit.\tA délit.\tterm-left-in-french:delit\n"
                         "c3\tUn délit.\tA delict.\tforbidden-rendering:delit\n"
                         "c4\tLe tribunal correctionnel.\tThe judges.\tmissing-approved-rendering:tribunal\n",
                         encoding="utf-8")
    args = [str(challenge), "--no-builtin-glossary", "--glossary", str(glossary)]

    def table() -> tuple[str, dict[str, list[str]]]:
        first, *rest = capsys.readouterr().out.splitlines()
        return first, {line.split()[0]: line.split()[1:4] for line in rest[1:-1]}

    assert terms_main(args) == 0
    first, rows = table()
    assert first == "term policy: mistranslation (1 expected missing-approved-rendering of concepts checked for " \
                    "mistranslation set aside)"
    assert rows == {"forbidden-rendering": ["1", "0", "0"], "missing-approved-rendering": ["1", "0", "0"],
                    "term-left-in-french": ["1", "0", "0"], "overall": ["3", "0", "0"]}
    assert terms_main([*args, "--term-policy", "strict"]) == 0
    first, rows = table()
    assert first == "term policy: strict"  # the French left in c2 is a missing rendering there
    assert rows == {"forbidden-rendering": ["1", "0", "0"], "missing-approved-rendering": ["3", "0", "0"],
                    "overall": ["4", "0", "0"]}
