"""`python -m eval.meta` end to end on tiny synthetic WMT years and post-edits with known answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eval.meta.cli import limit_judgments, main, metric_system_scores, system_figures
from eval.meta.data import Judgment
from eval.meta.kendall import tau_from_counts
from tests.conftest import ROOT
from tests.eval.meta.test_data import RANK_LINES, write_year

PNG = b"\x89PNG\r\n\x1a\n"
# Post-edit corpus: the MT is lowercased and tokenized as in Potet et al.; the odd lines carry a wrong
# number (a contresens flag) and need more edits, so minus flags agrees with minus HTER.
POTET = [
    ("Il a payé 300 euros.", "he paid 300 euros .", "He paid 300 euros."),
    ("Il a payé 400 euros hier.", "he paid 900 dollars yesterday .", "He paid 400 euros yesterday."),
    ("Elle a vendu 12 maisons.", "she sold 12 houses .", "She sold 12 houses."),
    ("Elle a vendu 15 voitures en mars.", "she sold 51 cars in may .", "She sold 15 cars in March."),
    ("Nous avons 7 chats.", "we have 7 cats .", "We have 7 cats."),
    ("Nous avons 8 chiens depuis 2010.", "we have 3 dogs since 2011 .", "We have had 8 dogs since 2010."),
    ("Ils ont 20 ans.", "they are 20 years old .", "They are 20 years old."),
    ("Ils ont 30 ans et 2 enfants.", "they are 13 and have 5 children .", "They are 30 and have 2 children."),
]


def write_potet(root: Path) -> None:
    folder = root / "potet2012-fr-en-mt-postedits"
    folder.mkdir()
    for index, name in enumerate(("src-ref-all.fr", "tgt-mt-all.en", "tgt-pe-all.en")):
        (folder / name).write_text("\n".join(row[index] for row in POTET) + "\n", encoding="utf-8")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    for year in (12, 13, 14):
        write_year(root, year)
    write_potet(root)
    return root


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_model_free_run_writes_json_markdown_and_plots(data: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out, js = tmp_path / "report", tmp_path / "figures.json"
    status, _, err = run_main(["--data", str(data), "--scorer", "sentbleu", "chrf", "ter", "flags", "--out", str(out),
                               "--json", str(js), "--resamples", "100"], capsys)
    assert status == 0, err
    results = json.loads(js.read_text(encoding="utf-8"))
    for key in ("wmt12", "wmt13", "wmt14"):
        assert set(results[key]) == {"sentbleu", "chrf", "ter", "flags"}
        for name in ("sentbleu", "chrf", "ter"):
            figures = results[key][name]
            # every judgment prefers the output closer to the reference: each metric agrees with all
            assert figures["tau"] == 1.0 and figures["ci"] == [1.0, 1.0], (key, name)
            assert figures["pairs"] == len(RANK_LINES) == figures["concordant"]
            assert figures["system"]["spearman"] == pytest.approx(1.0)
            assert figures["system"]["systems"] == 3
        assert results[key]["sentbleu"]["formula"] == key
    # flags ties on most WMT pairs (few flags): each year's formula treats the ties its own way
    for key in ("wmt12", "wmt13", "wmt14"):
        f = results[key]["flags"]
        assert f["ties"] > 0
        assert f["tau"] == pytest.approx(tau_from_counts(f["concordant"], f["discordant"], f["ties"], key))
    assert results["wmt12"]["flags"]["tau"] < results["wmt14"]["flags"]["tau"]
    hter = results["potet-hter"]
    assert list(hter) == ["flags"]  # reference-based scorers are not run against the post-edits
    assert hter["flags"]["pearson"] > 0.5 and hter["flags"]["spearman"] > 0.5
    assert hter["flags"]["segments"] == len(POTET)
    assert len(hter["flags"]["pearson_ci"]) == 2
    assert results["run"]["potet"]["skipped_reference_based"] == ["sentbleu", "chrf", "ter"]
    assert json.loads((out / "meta.json").read_text(encoding="utf-8")) == results
    markdown = (out / "meta.md").read_text(encoding="utf-8")
    assert "| sentbleu | 1.000 [1.000, 1.000] | 10 |" in markdown
    assert "| flags |" in markdown.split("minus HTER")[1]
    for png in ("tau.png", "hter.png"):
        assert (out / png).read_bytes()[:8] == PNG


def test_without_out_or_json_the_figures_go_to_stdout(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(["--data", str(data), "--scorer", "chrf", "--years", "14", "--no-potet",
                               "--resamples", "20"], capsys)
    assert status == 0
    results = json.loads(out)
    assert set(results) == {"wmt14", "run"}
    assert set(results["wmt14"]["chrf"]) >= {"tau", "ci", "pairs"}


def test_limit_keeps_all_judgments_of_n_segments(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(["--data", str(data), "--scorer", "chrf", "--years", "14", "--limit", "2",
                               "--no-potet", "--resamples", "20"], capsys)
    assert status == 0
    results = json.loads(out)
    assert results["run"]["years"]["wmt14"]["segments"] == 2
    assert results["wmt14"]["chrf"]["pairs"] in {5, 6}  # segments hold 3, 2, 2 and 3 judgments
    assert results["wmt14"]["chrf"]["pairs"] == results["run"]["years"]["wmt14"]["judgments"]


def test_limit_judgments_is_a_seeded_sample_of_segments() -> None:
    judgments = [Judgment(s, "a", "b") for s in range(10) for _ in range(2)]
    kept = limit_judgments(judgments, 3, seed=1)
    assert len({j.segment for j in kept}) == 3 and len(kept) == 6
    assert kept == limit_judgments(judgments, 3, seed=1)
    assert limit_judgments(judgments, None, seed=1) == judgments


def test_metric_system_score_is_the_mean_over_judged_segments() -> None:
    assert metric_system_scores({(0, "a"): 1.0, (3, "a"): 3.0, (0, "b"): 5.0}) == {"a": 2.0, "b": 5.0}


@pytest.mark.parametrize(("argv", "message"), [
    (["--scorer", "quality"], "give both --forward-model and --backward-model"),
    (["--scorer", "chrf", "bleurt"], "unknown scorer 'bleurt'"),
    (["--scorer", "chrf", "--years", "15"], "only the WMT fr-en years 12, 13 and 14"),
    (["--scorer", "chrf", "--limit", "0"], "--limit must be at least 1"),
])
def test_usage_errors_exit_2(data: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    status, _, err = run_main(["--data", str(data), *argv], capsys)
    assert status == 2
    assert message in err


def test_a_missing_data_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_main(["--data", str(tmp_path / "nowhere"), "--scorer", "chrf"], capsys)
    assert status == 2 and "nowhere not found" in err


def test_a_missing_year_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_year(tmp_path, 14)
    status, _, err = run_main(["--data", str(tmp_path), "--scorer", "chrf", "--years", "12"], capsys)
    assert status == 2 and "wmt12-newstest2012-fr-en not found" in err


def test_potet_asked_for_but_missing_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_year(tmp_path, 14)
    status, _, err = run_main(["--data", str(tmp_path), "--scorer", "flags", "--potet"], capsys)
    assert status == 2 and "potet2012-fr-en-mt-postedits not found" in err


def test_a_bad_rank_line_exits_2_naming_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_year(tmp_path, 14, rank_lines=RANK_LINES + ["9\tfr-en\tsys1\tfr-en\tsys2"])
    status, _, err = run_main(["--data", str(tmp_path), "--scorer", "chrf", "--years", "14"], capsys)
    assert status == 2
    assert "fr-en.rank:11: srcIndex 9 is outside the 4 source lines" in err


def test_a_model_based_scorer_runs_with_tiny_models(tiny_models: dict[str, Path], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # Tiny random models never stop on their own: short greedy decoding on the CPU keeps this quick.
    for key, value in {"DEVICE": "cpu", "BEAM_SIZE": "1", "MAX_LENGTH": "16"}.items():
        monkeypatch.setenv(f"CONTRESENS_{key}", value)
    lines = ["1\tfr-en\tsys3\tfr-en\tsys1", "1\tfr-en\tsys1\tfr-en\tsys2", "2\tfr-en\tsys3\tfr-en\tsys2",
             "3\tfr-en\tsys3\tfr-en\tsys1", "3\tfr-en\tsys2\tfr-en\tsys1"]
    write_year(tmp_path, 14, rank_lines=lines)
    js = tmp_path / "m.json"
    status, _, err = run_main(["--data", str(tmp_path), "--years", "14", "--scorer", "quality", "roundtrip-chrf",
                               "--forward-model", str(tiny_models["fr-en"]), "--backward-model",
                               str(tiny_models["en-fr"]), "--json", str(js), "--resamples", "30"], capsys)
    assert status == 0, err
    results = json.loads(js.read_text(encoding="utf-8"))
    for name in ("quality", "roundtrip-chrf"):
        figures = results["wmt14"][name]
        assert figures["pairs"] == 5 == figures["concordant"] + figures["discordant"] + figures["ties"]
        assert -1.0 <= figures["tau"] <= 1.0
        assert figures["system"]["systems"] == 3
        assert "pearson" in figures["system"] and "spearman" in figures["system"]
    assert results["run"]["years"]["wmt14"]["segments"] == 3


def test_python_dash_m_runs(data: Path, tmp_path: Path) -> None:
    js = tmp_path / "out.json"
    result = subprocess.run([sys.executable, "-m", "eval.meta", "--data", str(data), "--scorer", "sentbleu",
                             "--years", "14", "--json", str(js), "--resamples", "10"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(js.read_text(encoding="utf-8"))["wmt14"]["sentbleu"]["tau"] == 1.0


def test_when_the_interval_is_undefined_the_correlations_still_come(monkeypatch: pytest.MonkeyPatch) -> None:
    import eval.meta.system_level

    def undefined(*args: object, **kwargs: object) -> None:
        raise ValueError("the statistic is undefined on 18 of 30 bootstrap resamples of 3 items")

    monkeypatch.setattr(eval.meta.system_level, "system_agreement", undefined)
    judgments = [Judgment(0, "a", "b"), Judgment(0, "a", "c"), Judgment(0, "b", "c"), Judgment(1, "a", "c")]
    scores = {(0, "a"): 3.0, (0, "b"): 2.0, (0, "c"): 1.0, (1, "a"): 5.0, (1, "c"): 0.0}
    figures = system_figures(judgments, scores, method="wins", resamples=30, seed=0)
    assert figures["spearman"] == pytest.approx(1.0) and figures["pearson"] > 0.9
    assert figures["pearson_ci"] is None and "bootstrap" in figures["error"]
    assert (figures["systems"], figures["human"]) == (3, "wins")


def test_two_systems_give_no_system_level_figure() -> None:
    figures = system_figures([Judgment(0, "a", "b")], {(0, "a"): 1.0, (0, "b"): 0.0}, method="wins",
                             resamples=30, seed=0)
    assert figures["pearson"] is None and figures["spearman"] is None
    assert "at least 3" in figures["error"]
