"""The `contresens check` command, run in-process through main(argv) -> int."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.cli import main
from tests.conftest import SAMPLES


@pytest.fixture
def model_env(tiny_models: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRESENS_FORWARD_MODEL", str(tiny_models["fr-en"]))
    monkeypatch.setenv("CONTRESENS_BACKWARD_MODEL", str(tiny_models["en-fr"]))
    monkeypatch.setenv("CONTRESENS_MAX_LENGTH", "16")
    monkeypatch.setenv("CONTRESENS_BEAM_SIZE", "1")


SAMPLE_ARGS = ["--source", str(SAMPLES / "court-case.fr.txt"), "--translation", str(SAMPLES / "court-case.mt.en.txt")]


def test_check_prints_a_readable_report(model_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", *SAMPLE_ARGS, "--reference", str(SAMPLES / "court-case.ref.en.txt")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("contresens fr->en: score ")
    assert "[1] 1-1" in out and "BACK" in out and "REF" in out
    assert "omission" in out and "round-trip chrF" in out
    assert "signature: contresens:" in out


def test_check_json_is_the_report(model_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *SAMPLE_ARGS, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] in {"pass", "review", "fail"}
    assert {"score", "segments", "flags", "signature"} <= set(report)
    assert any(f["type"] == "omission" for f in report["flags"])
    assert "|beam:1|maxlen:16|" in report["signature"]


def test_flags_override_environment(model_env: None, tiny_models: dict[str, Path], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", *SAMPLE_ARGS, "--json", "--backward-model", str(tmp_path / "missing")])
    assert code == 2
    err = capsys.readouterr().err
    assert "backward (en->fr)" in err and str(tmp_path / "missing") in err


def test_unreachable_default_model_gives_actionable_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    for var in ("CONTRESENS_FORWARD_MODEL", "CONTRESENS_BACKWARD_MODEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    assert main(["check", *SAMPLE_ARGS, "--offline"]) == 2
    err = capsys.readouterr().err
    assert "Helsinki-NLP/opus-mt-fr-en" in err
    assert "--forward-model" in err and "CONTRESENS_FORWARD_MODEL" in err and "hf download" in err
    assert "Traceback" not in err


def test_input_errors_name_the_file(model_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--source", str(tmp_path / "nope.fr"), "--translation", SAMPLE_ARGS[3]]) == 2
    assert f"source file {tmp_path / 'nope.fr'}" in capsys.readouterr().err
    bad = tmp_path / "bad.en"
    bad.write_bytes(b"line one\nline \xff two\n")
    assert main(["check", "--source", SAMPLE_ARGS[1], "--translation", str(bad)]) == 2
    assert f"translation file {bad}, line 2: not valid UTF-8" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--source", "x"]) == 2
    assert "--translation" in capsys.readouterr().err
    assert main([]) == 2
    assert main(["--version"]) == 0


def test_bad_setting_is_reported(model_env: None, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CONTRESENS_BEAM_SIZE", "0")
    assert main(["check", *SAMPLE_ARGS]) == 2
    assert "invalid settings: beam_size" in capsys.readouterr().err


def test_a_backend_the_device_cannot_run_is_a_usage_error(model_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *SAMPLE_ARGS, "--backend", "fp16", "--device", "cpu"]) == 2
    err = capsys.readouterr().err
    assert "fp16 backend needs a GPU" in err and "Traceback" not in err


def test_quality_weights_option_changes_scores_and_signature(model_env: None, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from service.quality_weights import load_weights

    assert main(["check", *SAMPLE_ARGS, "--json"]) == 0
    default = json.loads(capsys.readouterr().out)
    custom = json.loads(load_weights(None).model_dump_json())
    custom.update(version="pseudo-only", features={"roundtrip_chrf": 0.0, "pseudo_reference_chrf": 1.0,
                                                   "forward": 0.0, "backward": 0.0})
    weights = tmp_path / "weights.json"
    weights.write_text(json.dumps(custom), encoding="utf-8")
    assert main(["check", *SAMPLE_ARGS, "--json", "--quality-weights", str(weights)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "|score:v1/weights:v1|" in default["signature"]
    assert "|score:v1/weights:pseudo-only@sha256:" in report["signature"]
    assert [s["score"] for s in report["segments"]] != [s["score"] for s in default["segments"]]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**custom, "features": {**custom["features"], "bleu": 1.0}}), encoding="utf-8")
    assert main(["check", *SAMPLE_ARGS, "--quality-weights", str(bad)]) == 2
    assert "bad.json" in capsys.readouterr().err
