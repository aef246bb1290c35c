"""The ready-made CI integration: the pre-commit hook's entry runs as pre-commit would run it, and the
example GitHub Actions workflow is valid YAML whose commands are the documented ones and work."""

from __future__ import annotations

import glob
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from eval.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
WORKFLOW = ROOT / "examples" / "ci" / "contresens.yml"

XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="news.html" source-language="fr" target-language="en" datatype="html">
    <body>
{units}
    </body>
  </file>
</xliff>
"""
UNIT = """      <trans-unit id="{id}">
        <source>{source}</source>
        <target>{target}</target>
      </trans-unit>"""
GOOD = [("n1", "Le prévenu a été condamné à deux ans de prison.", "The defendant was sentenced to two years in prison."),
        ("n2", "Trois personnes ont été interpellées.", "Three people were arrested.")]
BAD = [("n3", "Le parquet de Paris a ouvert une enquête.", "The Paris floor opened an investigation.")]


def xliff(path: Path, units: list[tuple[str, str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join(UNIT.format(id=i, source=s, target=t) for i, s, t in units)
    path.write_text(XLIFF.format(units=body), encoding="utf-8")
    return path


def console_script() -> str:
    """The installed `contresens` command (pre-commit calls the entry as a program)."""
    script = Path(sys.executable).with_name("contresens")
    found = str(script) if script.exists() else shutil.which("contresens")
    if not found:
        pytest.skip("the contresens console script is not installed (pip install -e .)")
    return found


# pre-commit

def hooks() -> list[dict[str, Any]]:
    loaded = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, list)
    return loaded


def test_pre_commit_hook_is_well_formed() -> None:
    hook, = hooks()
    assert hook["id"] == "contresens-gate" and hook["language"] == "python" and hook["name"]
    assert hook["entry"].split()[:3] == ["contresens", "gate", "--no-model"]
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("locales/fr/app.po", "a.xlf", "b.xliff", "c.sdlxliff", "d.tmx"))
    assert not any(files.search(p) for p in ("setup.py", "README.md", "po.txt", "x.xlf.bak"))
    assert f"`{hook['entry']}`" in " ".join(README.split()) and "id: contresens-gate" in README  # documented


def test_pre_commit_hook_entry_runs_on_changed_files(tmp_path: Path) -> None:
    hook, = hooks()
    entry = [console_script(), *shlex.split(hook["entry"])[1:]]
    good, bad = xliff(tmp_path / "good.xlf", GOOD), xliff(tmp_path / "bad.xlf", BAD)
    # pre-commit appends the names of the staged files that match `files`
    passed = subprocess.run([*entry, str(good)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert passed.returncode == 0, passed.stderr
    assert passed.stdout.startswith("contresens gate: PASS — 2 units")
    failed = subprocess.run([*entry, str(good), str(bad)], capture_output=True, text=True, cwd=tmp_path,
                            timeout=300)
    assert failed.returncode == 1, failed.stderr
    assert "1 critical flags, more than --max-critical 0" in failed.stdout and f"{bad}:" in failed.stdout
    broken = tmp_path / "broken.xlf"
    broken.write_text(XLIFF.format(units="<trans-unit id='x'>").replace("</body>", "</bodyx>"), encoding="utf-8")
    error = subprocess.run([*entry, str(broken)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert error.returncode == 2 and f"{broken}, line" in error.stderr


# GitHub Actions

def workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def steps() -> list[dict[str, Any]]:
    job, = workflow()["jobs"].values()
    return list(job["steps"])


def contresens_commands() -> list[str]:
    """The contresens command lines of the workflow's run scripts (continuation lines joined)."""
    commands = []
    for step in steps():
        script = str(step.get("run", "")).replace("\\\n", " ")
        commands += [line.strip() for line in script.splitlines() if line.strip().startswith("contresens ")]
    return commands


def gate_args(command: str, baseline: str = "") -> list[str]:
    """The command's arguments as the shell passes them: $baseline expanded, globs expanded."""
    args: list[str] = []
    for word in shlex.split(command.replace("$baseline", baseline))[1:]:
        args += sorted(glob.glob(word)) or [word] if "*" in word else [word]
    return args


def test_workflow_is_valid_and_runs_the_documented_commands() -> None:
    flow = workflow()
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and flow["permissions"]["pull-requests"] == "write"
    commands = contresens_commands()
    assert len(commands) == 1
    gate, = commands
    assert gate in README  # documented verbatim
    args = build_parser().parse_args(gate_args(gate, "--baseline baseline/results.jsonl"))
    assert args.command == "gate" and args.github_annotations and args.baseline == "baseline/results.jsonl"
    upload = next(s for s in steps() if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    assert upload["if"] == "always()"
    assert {args.report, args.output} <= set(upload["with"]["path"].split())
    post = next(s for s in steps() if "gh pr comment" in str(s.get("run", "")))
    assert f"--body-file {args.markdown}" in post["run"] and "GITHUB_STEP_SUMMARY" in post["run"]
    baseline_step = next(s for s in steps() if "gh run download" in str(s.get("run", "")))
    assert "--name contresens-report --dir baseline" in baseline_step["run"] and upload["with"]["name"] == (
        "contresens-report")


def test_workflow_gate_command_works(tmp_path: Path, tiny_models: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in (("FORWARD_MODEL", str(tiny_models["fr-en"])), ("BACKWARD_MODEL", str(tiny_models["en-fr"])),
                        ("MAX_LENGTH", "12"), ("BEAM_SIZE", "1")):
        monkeypatch.setenv(f"CONTRESENS_{name}", value)
    xliff(tmp_path / "locales" / "fr-en" / "news.xlf", GOOD + BAD)
    gate, = contresens_commands()
    code = main(gate_args(gate))
    out = capsys.readouterr().out
    assert code == 1 and "1 critical flags" in out  # the Paris "floor"
    assert out.startswith("::error file=locales/fr-en/news.xlf,line=")
    for name in ("report.html", "results.jsonl", "summary.md"):
        assert (tmp_path / name).stat().st_size > 0
    header = json.loads((tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert header["signature"] in (tmp_path / "summary.md").read_text(encoding="utf-8")
    # the next run compares with the one before
    (tmp_path / "baseline").mkdir()
    shutil.copy(tmp_path / "results.jsonl", tmp_path / "baseline" / "results.jsonl")
    assert main(gate_args(gate, "--baseline baseline/results.jsonl")) == 1
    assert "baseline: 3 units compared, 0 new" in capsys.readouterr().out
