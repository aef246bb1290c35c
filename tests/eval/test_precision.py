"""eval.precision on a small synthetic data folder whose flags and judgments are known by construction."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from eval.precision import main
from eval.precision_figures import Tally, judged_outcomes
from eval.precision_flags import FoundFlag, check_pairs
from service.checker import Checker
from service.config import Settings

SOURCES = ["Le chat dort sur le canapé.", "Il a payé 300 euros pour le billet.",
           "Le tribunal a rendu son jugement hier soir.", "La réunion a duré trois heures.",
           "Le parquet a fait appel de la décision."]
# One flag on the references: the changed sum of line 2 (number-changed, major).
REFERENCES = ["The cat is sleeping on the sofa.", "He paid 500 euros for the ticket.",
              "The court delivered its judgment last night.", "The meeting lasted three hours.",
              "The prosecution appealed the decision."]
ALPHA = ["The cat is sleeping on the sofa.", "He paid 300 euros for the ticket.",
         "The court delivered its judgment last night.", "The meeting lasted four hours.",  # number-changed
         "The floor appealed the decision."]  # forbidden-rendering, critical
BETA = ["The cat is sleeping on the sofa.", "He paid 500 euros for the ticket.",  # number-changed
        "The court gave its judgment last night.", "The meeting lasted three hours.",
        "The prosecution appealed the decision."]
# sys1 = alpha, sys2 = beta (alphabetical). Line 1: neither flagged (not counted); line 2: the unflagged
# alpha preferred; line 4: the unflagged beta preferred; line 5: the flagged alpha preferred.
RANKS = ["1\tfr-en\tsys1\tfr-en\tsys2", "2\tfr-en\tsys1\tfr-en\tsys2", "4\tfr-en\tsys2\tfr-en\tsys1",
         "5\tfr-en\tsys1\tfr-en\tsys2"]
NTREX_FRENCH = ["Il a payé 300 euros pour le billet.", "Le chat dort sur le canapé."]
NTREX_ENGLISH = ["He paid 500 euros for the ticket.", "The cat is sleeping on the sofa."]


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data")
    year = root / "wmt12-newstest2012-fr-en"
    _write(year / "newstest2012-src.fr", SOURCES)
    _write(year / "newstest2012-ref.en", REFERENCES)
    _write(year / "system-outputs" / "newstest2012.fr-en.alpha", ALPHA)
    _write(year / "system-outputs" / "newstest2012.fr-en.beta", BETA)
    _write(year / "manual-evaluation" / "fr-en.rank", RANKS)
    _write(root / "ntrex128-newstest2019-en-fr" / "newstest2019-ref.fra.txt", NTREX_FRENCH)
    _write(root / "ntrex128-newstest2019-en-fr" / "newstest2019-src.eng.txt", NTREX_ENGLISH)
    return root


@pytest.fixture(scope="module")
def run(data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, str]:
    out = tmp_path_factory.mktemp("out")
    code = main(["--data", str(data), "--workers", "1", "--quiet", "--json", str(out / "figures.json"),
                 "--out", str(out)])
    assert code == 0
    return json.loads((out / "figures.json").read_text(encoding="utf-8")), out, (out / "report.md").read_text()


def test_human_translations_known_rates(run: tuple[dict, Path, str]) -> None:
    figures = {c["name"]: c for c in run[0]["human"]}
    assert set(figures) == {"WMT12 references", "NTREX-128"}
    wmt = figures["WMT12 references"]
    assert (wmt["split"], wmt["segments"], wmt["flags"]) == ("dev", 5, 1)
    assert wmt["serious_pct"] == wmt["any_pct"] == wmt["flags_per_100"] == pytest.approx(20.0)
    assert wmt["by_check"]["number"]["flags"] == 1
    assert set(wmt["by_rule"]) == {"number/number-changed"}
    ntrex = figures["NTREX-128"]
    assert (ntrex["split"], ntrex["segments"], ntrex["serious_pct"]) == ("test", 2, pytest.approx(50.0))


def test_machine_outputs_on_their_judged_segments(run: tuple[dict, Path, str]) -> None:
    figures = {c["system"]: c for c in run[0]["mt"]}
    alpha, beta = figures["newstest2012.fr-en.alpha"], figures["newstest2012.fr-en.beta"]
    assert alpha["segments"] == beta["segments"] == 4  # lines 1, 2, 4 and 5 were judged
    assert alpha["serious_pct"] == pytest.approx(50.0)  # four hours; the floor
    assert set(alpha["by_rule"]) == {"number/number-changed", "terminology/forbidden-rendering"}
    assert beta["serious_pct"] == pytest.approx(25.0)


def test_discrimination_counts_pairs_with_exactly_one_flagged(run: tuple[dict, Path, str]) -> None:
    rows = {(d["check"], d["scope"]): d for d in run[0]["discrimination"]}
    overall = rows[("all", "all years")]
    assert (overall["pairs"], overall["unflagged_preferred"]) == (3, 2)
    assert overall["rate"] == pytest.approx(2 / 3)
    low, high = overall["ci95"]
    assert 0.0 <= low <= 2 / 3 <= high <= 1.0
    assert (rows[("number", "all years")]["pairs"], rows[("number", "all years")]["unflagged_preferred"]) == (2, 2)
    terms = rows[("terminology", "all years")]
    assert (terms["pairs"], terms["unflagged_preferred"]) == (1, 0)
    assert rows[("all", "WMT12")]["pairs"] == 3


def test_reference_flags_file_for_reading(run: tuple[dict, Path, str]) -> None:
    with (run[1] / "reference-flags.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert [(r["corpus"], r["line"], r["rule"], r["severity"]) for r in rows] == [
        ("WMT12 references", "2", "number-changed", "major"), ("NTREX-128", "1", "number-changed", "major")]
    assert rows[0]["source"] == SOURCES[1] and rows[0]["translation"] == REFERENCES[1]
    assert (run[1] / "reference-flags-sample.tsv").is_file()


def test_markdown_report_has_every_table(run: tuple[dict, Path, str]) -> None:
    report = run[2]
    for heading in ("## Human translations", "## Machine translations", "## Discrimination", "### Per rule"):
        assert heading in report
    assert "| WMT12 references | dev | 5 | 20.0% | 20.0% | 20.0 |" in report


def test_limit_samples_each_corpus(data: Path, tmp_path: Path) -> None:
    assert main(["--data", str(data), "--workers", "1", "--quiet", "--limit", "2", "--json",
                 str(tmp_path / "f.json")]) == 0
    payload = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert {c["segments"] for c in payload["human"] + payload["mt"]} == {2}


def test_bad_data_folder_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path / "nowhere"), "--quiet"]) == 2
    assert "nowhere" in capsys.readouterr().err
    assert main(["--data", str(tmp_path), "--quiet"]) == 2
    assert "no corpus found" in capsys.readouterr().err


def test_one_model_alone_is_refused(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(data), "--forward-model", "x", "--quiet"]) == 2
    assert "--backward-model" in capsys.readouterr().err


def test_worker_processes_find_the_same_flags() -> None:
    pairs = [(s, t, "") for s, t in zip(SOURCES, ALPHA)] + [(s, t, SOURCES[0]) for s, t in zip(SOURCES, BETA)]
    settings = Settings(cache=False)
    checker = Checker.rules_only(settings)
    assert check_pairs(pairs, checker, settings=settings, workers=2) == \
        check_pairs(pairs, checker, settings=settings, workers=1)


def test_tally_and_outcomes_by_hand() -> None:
    flag = FoundFlag("name", "name-missing", "minor", "Dupont", None, "m")
    tally = Tally()
    tally.add([flag])
    tally.add([])
    assert tally.rates(2) == {"flags_per_100": 50.0, "serious_pct": 0.0, "any_pct": 50.0}
    assert judged_outcomes({}, {}) == {}
