"""The Markdown tables and PNG plots written with --out, from a results document with known figures."""

from __future__ import annotations

import json
from pathlib import Path

from eval.meta.report import markdown, scorer_names, with_ci, write_report, year_keys

PNG = b"\x89PNG\r\n\x1a\n"
SYSTEM = {"pearson": 0.9, "spearman": 0.8, "pearson_ci": [0.7, 0.99], "spearman_ci": [0.5, 1.0], "systems": 8,
          "human": "expected-wins"}
RESULTS = {
    "wmt14": {
        "sentbleu": {"tau": 0.3757, "ci": [0.3641, 0.3879], "pairs": 19620, "formula": "wmt14", "system": SYSTEM},
        "quality": {"tau": 0.31, "ci": [0.29, 0.33], "pairs": 19620, "formula": "wmt14", "system": SYSTEM},
    },
    "wmt12": {
        "sentbleu": {"tau": 0.2025, "ci": [0.185, 0.219], "pairs": 11594, "formula": "wmt12",
                     "system": {"pearson": None, "spearman": None, "error": "needs at least 3 systems"}},
    },
    "potet-hter": {
        "quality": {"pearson": 0.41, "spearman": 0.39, "pearson_ci": [0.38, 0.44], "spearman_ci": [0.36, 0.42],
                    "segments": 10881},
    },
    "run": {"data": "/data", "resamples": 1000, "seed": 0, "limit": None,
            "formulas": {"wmt12": "(C - D - T) / (C + D + T)", "wmt14": "(C - D) / (C + D + T)"},
            "potet": {"skipped_reference_based": ["sentbleu"]}},
}


def test_years_and_scorers_are_found_in_order() -> None:
    assert year_keys(RESULTS) == ["wmt12", "wmt14"]
    assert scorer_names(RESULTS) == ["sentbleu", "quality"]


def test_values_are_printed_with_their_interval() -> None:
    assert with_ci(0.3757, [0.3641, 0.3879]) == "0.376 [0.364, 0.388]"
    assert with_ci(0.5, None) == "0.500"
    assert with_ci(None, None) == "n/a"


def test_markdown_tables_hold_every_figure() -> None:
    text = markdown(RESULTS)
    assert "| scorer | WMT12 tau [95% CI] | pairs | WMT14 tau [95% CI] | pairs |" in text
    assert "| sentbleu | 0.203 [0.185, 0.219] | 11594 | 0.376 [0.364, 0.388] | 19620 |" in text
    assert "| quality |  |  | 0.310 [0.290, 0.330] | 19620 |" in text  # not run on WMT12
    assert "| sentbleu | n/a | n/a | 0.900 [0.700, 0.990] | 0.800 [0.500, 1.000] |" in text
    assert "| quality | 0.410 [0.380, 0.440] | 0.390 [0.360, 0.420] | 10881 |" in text
    assert "published 0.378" in text and "difference -0.002" in text
    assert "WMT12: tau = (C - D - T) / (C + D + T)" in text
    assert "the post-edit itself): sentbleu" in text
    assert "wmt12 sentbleu system level: needs at least 3 systems" in text


def test_report_files_are_written(tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder"
    written = write_report(RESULTS, out)
    assert [p.name for p in written] == ["meta.md", "meta.json", "tau.png", "hter.png"]
    assert json.loads((out / "meta.json").read_text(encoding="utf-8")) == RESULTS
    assert (out / "meta.md").read_text(encoding="utf-8") == markdown(RESULTS)
    for name in ("tau.png", "hter.png"):
        data = (out / name).read_bytes()
        assert data[:8] == PNG and len(data) > 1000


def test_no_hter_plot_without_post_edit_figures(tmp_path: Path) -> None:
    results = {key: value for key, value in RESULTS.items() if key != "potet-hter"}
    written = write_report(results, tmp_path)
    assert [p.name for p in written] == ["meta.md", "meta.json", "tau.png"]
    assert not (tmp_path / "hter.png").exists()
    assert "Not run" in (tmp_path / "meta.md").read_text(encoding="utf-8")
