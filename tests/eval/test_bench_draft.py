"""`eval.bench_draft` on a tiny WMT14-shaped corpus with the tiny test models: it finds the systems and the
reference, times both decoders and finds the draft decoder's translations identical to plain greedy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.bench_draft import main, wmt14_pairs

FRENCH = ["Le parquet a requis trois ans de prison.", "Il a été placé en garde à vue.",
          "La cour d'appel statuera le 12 mars.", "Deux hommes ont été mis en examen."]
ENGLISH = ["The prosecutor requested three years in prison.", "He was taken into police custody.",
           "The court of appeal will rule on 12 March.", "Two men were placed under formal investigation."]


def _data(root: Path) -> Path:
    wmt = root / "wmt14-newstest2014-fr-en"
    (wmt / "system-outputs").mkdir(parents=True)
    (wmt / "newstest2014-fren-src.fr").write_text("\n".join(FRENCH) + "\n", encoding="utf-8")
    (wmt / "newstest2014-fren-ref.en").write_text("\n".join(ENGLISH) + "\n", encoding="utf-8")
    (wmt / "system-outputs" / "newstest2014.onlineB.0.fr-en").write_text(
        "\n".join(e.replace("The", "A") for e in ENGLISH) + "\n", encoding="utf-8")
    return root


def test_the_corpus_of_a_system_and_of_the_reference(tmp_path: Path) -> None:
    data = _data(tmp_path)
    assert wmt14_pairs(data, "reference", 3) == list(zip(FRENCH, ENGLISH))[:3]
    assert wmt14_pairs(data, "onlineB", 10)[0] == (FRENCH[0], "A prosecutor requested three years in prison.")
    with pytest.raises(SystemExit, match="no output of system 'rbmt1'"):
        wmt14_pairs(data, "rbmt1", 3)


def test_both_decoders_side_by_side_with_identical_outputs(tmp_path: Path, tiny_models: dict[str, Path],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    data = _data(tmp_path / "data")
    out = tmp_path / "draft.json"
    assert main(["--data", str(data), "--forward-model", str(tiny_models["fr-en"]), "--backward-model",
                 str(tiny_models["en-fr"]), "--segments", "4", "--systems", "onlineB", "reference",
                 "--backends", "fp32", "--max-length", "16", "--json", str(out)]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert [(r["backend"], r["system"]) for r in rows] == [("fp32", "onlineB"), ("fp32", "reference")]
    for row in rows:
        assert row["translations"] == 8 and row["identical"] + row["near_ties"] == 8 and row["real_differences"] == 0
        assert row["plain_checks_per_s"] > 0 and row["draft_checks_per_s"] > 0 and row["passes_per_sentence"] >= 1
    printed = capsys.readouterr().out
    assert "plain/s" in printed and "draft/s" in printed and "target 2x" in printed


def test_beam_search_compares_the_shared_decoder(tmp_path: Path, tiny_models: dict[str, Path]) -> None:
    data = _data(tmp_path / "data")
    out = tmp_path / "shared.json"
    assert main(["--data", str(data), "--forward-model", str(tiny_models["fr-en"]), "--backward-model",
                 str(tiny_models["en-fr"]), "--segments", "4", "--systems", "reference", "--backends", "fp32",
                 "--max-length", "16", "--beam", "4", "--json", str(out)]) == 0
    [row] = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert row["identical"] == row["translations"] == 8 and row["near_ties"] == 0
    assert row["passes_per_sentence"] == 0  # no draft decoder ran


def test_own_drafts_are_the_ceiling_and_stay_out_of_the_summary(tmp_path: Path, tiny_models: dict[str, Path],
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    data = _data(tmp_path / "data")
    out = tmp_path / "own.json"
    assert main(["--data", str(data), "--forward-model", str(tiny_models["fr-en"]), "--backward-model",
                 str(tiny_models["en-fr"]), "--segments", "4", "--systems", "reference", "own", "--backends", "fp32",
                 "--max-length", "16", "--json", str(out)]) == 0
    reference, own = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert own["system"] == "own" and own["identical"] + own["near_ties"] == 8 and own["real_differences"] == 0
    # the model's own output as draft: the first pass verifies it, so it takes fewer passes than another draft
    assert own["passes_per_sentence"] < reference["passes_per_sentence"]
    assert own["tokens_per_pass"] > reference["tokens_per_pass"]
    printed = capsys.readouterr().out
    assert "ceiling (drafts the models agree with entirely)" in printed
    assert "fastest plain: fp32 on reference" in printed and "fastest draft: fp32 on reference" in printed
