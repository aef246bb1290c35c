"""Importing the packages stays cheap: no torch, no transformers until a model is loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MODULES = ["service", "eval", "service.checker", "service.config", "service.segment", "service.signals",
           "service.translate", "service.report", "eval.cli", "eval.text_report", "eval.run_terms",
           "eval.run_glossary", "eval.terms", "eval.bench_terms", "service.glossary.detector",
           "service.glossary.loading", "service.checks.registry", "service.checks.numbers", "service.checks.dates",
           "service.checks.names", "service.checks.markup", "service.checks.typography", "service.checks.untranslated",
           "service.checks.length", "eval.checks", "eval.meta.cli", "eval.meta.kendall", "eval.meta.data",
           "eval.meta.report", "eval.meta.calibrate", "service.report_cache", "service.quality_weights"]


def test_packages_do_not_import_torch_or_transformers() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "heavy = sorted(m for m in ('torch', 'transformers') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_service_never_imports_eval() -> None:
    code = (
        "import importlib, pkgutil, sys, service\n"
        "for m in pkgutil.iter_modules(service.__path__): importlib.import_module('service.' + m.name)\n"
        "print(any(n == 'eval' or n.startswith('eval.') for n in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_terms_command_runs_without_loading_a_model(tmp_path: Path) -> None:
    units = tmp_path / "units.tsv"
    units.write_text("id\tsource\ttranslation\na1\tLe parquet a fait appel.\tThe floor appealed.\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from eval.cli import main\n"
        f"status = main(['terms', {str(units)!r}])\n"
        "print('status', status, 'torch' in sys.modules, 'transformers' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert '"rule": "forbidden-rendering"' in result.stdout
    assert result.stderr.strip().endswith("status 0 False False")
