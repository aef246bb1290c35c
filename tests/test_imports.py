"""Importing the packages stays cheap: no torch, no transformers until a model is loaded."""

from __future__ import annotations

import subprocess
import sys

MODULES = ["service", "eval", "service.checker", "service.config", "service.segment", "service.signals",
           "service.translate", "service.report", "eval.cli", "eval.text_report"]


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
