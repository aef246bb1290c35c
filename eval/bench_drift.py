"""How far each backend's scores move from the fp32 reference, on the same corpus, in one run.

    python -m eval.bench_drift --forward-model DIR --backward-model DIR [--data DIR] [--segments N]
                               [--backends int8 bf16 ct2] [--beam-size N] [--json FILE]

Quantization and reduced precision change the numbers a check is made of: a back-translation may take
another word, a log-probability moves in its third digit. This checks the corpus of `eval.bench` (French
news sentences with a system's English translation: the WMT14 fr-en test set with `--data`, else the
shipped sample) with the fp32 backend and with each other backend, and prints per backend, over the
segments: the mean and largest absolute difference of the round-trip chrF and of the quality score, the
share of back-translations that differ, and how many verdicts changed.

Use real models (random weights give meaningless translations whose argmax ties flip on any rounding):
the local opus-mt directories, or the small house models of ../shared/models. Backends the machine
cannot run (fp16 without a GPU, ct2 without the extra) are skipped with a note.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from eval.bench import corpus


def check_corpus(pairs: list[tuple[str, str]], *, forward: str, backward: str, backend: str,
                 beam_size: int) -> list[dict[str, Any]]:
    """Per segment: round-trip chrF, quality score, back-translation and verdict with one backend."""
    from service.checker import Checker, Document
    from service.config import Settings

    settings = Settings.model_validate({"forward_model": forward, "backward_model": backward, "backend": backend,
                                        "beam_size": beam_size, "cache": False, "device": "cpu"})
    checker = Checker.from_settings(settings)
    rows = []
    for start in range(0, len(pairs), 32):
        reports = checker.check_many([Document(s, t) for s, t in pairs[start : start + 32]])
        for offset, report in enumerate(reports):
            for segment in report.segments:
                if segment.signals is None:
                    continue
                rows.append({"unit": start + offset, "segment": segment.index,
                             "chrf": segment.signals.roundtrip.chrf, "score": segment.score,
                             "back": segment.back_translation, "verdict": segment.verdict})
    return rows


def drift(reference: list[dict[str, Any]], other: list[dict[str, Any]]) -> dict[str, Any]:
    """Differences of `other` from `reference`, segment by segment (both from the same corpus)."""
    if [(r["unit"], r["segment"]) for r in reference] != [(r["unit"], r["segment"]) for r in other]:
        raise ValueError("the two runs did not align the corpus the same way")
    chrf = [abs(a["chrf"] - b["chrf"]) for a, b in zip(reference, other)]
    score = [abs(a["score"] - b["score"]) for a, b in zip(reference, other)]
    return {
        "segments": len(chrf),
        "mean_abs_chrf": round(statistics.fmean(chrf), 3) if chrf else 0.0,
        "max_abs_chrf": round(max(chrf, default=0.0), 3),
        "mean_abs_score": round(statistics.fmean(score), 3) if score else 0.0,
        "max_abs_score": round(max(score, default=0.0), 3),
        "back_translations_changed": round(sum(a["back"] != b["back"] for a, b in zip(reference, other))
                                           / max(1, len(chrf)), 3),
        "verdicts_changed": sum(a["verdict"] != b["verdict"] for a, b in zip(reference, other)),
    }


def runnable(backend: str) -> str | None:
    """Why `backend` cannot run here, or None."""
    if backend == "ct2" and importlib.util.find_spec("ctranslate2") is None:
        return "the ct2 extra is not installed (pip install 'contresens[ct2]')"
    if backend == "fp16":
        import torch

        if not torch.cuda.is_available():
            return "fp16 needs a GPU"
    return None


def main(argv: list[str] | None = None) -> int:
    """Check the corpus with fp32 and each backend; print and optionally write the differences."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forward-model", required=True, metavar="DIR", help="fr->en MarianMT directory or hub id")
    parser.add_argument("--backward-model", required=True, metavar="DIR", help="en->fr MarianMT directory or hub id")
    parser.add_argument("--data", metavar="DIR", help="WMT14 fr-en data (as for eval.bench); default: the sample")
    parser.add_argument("--segments", type=int, default=200, help="sentence pairs (default 200)")
    parser.add_argument("--backends", nargs="+", default=["int8", "bf16", "ct2"],
                        choices=["int8", "bf16", "fp16", "ct2"])
    parser.add_argument("--beam-size", type=int, default=4)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    pairs = corpus(args.data, args.segments)
    models = {"forward": args.forward_model, "backward": args.backward_model, "beam_size": args.beam_size}
    reference = check_corpus(pairs, backend="fp32", **models)
    results: dict[str, Any] = {}
    print(f"{'backend':<8} {'segments':>8} {'mean|dchrF|':>12} {'max|dchrF|':>11} {'mean|dscore|':>13} "
          f"{'max|dscore|':>12} {'BT changed':>11} {'verdicts':>9}")
    for backend in args.backends:
        reason = runnable(backend)
        if reason:
            print(f"{backend:<8} skipped: {reason}")
            results[backend] = {"skipped": reason}
            continue
        row = drift(reference, check_corpus(pairs, backend=backend, **models))
        results[backend] = row
        print(f"{backend:<8} {row['segments']:>8} {row['mean_abs_chrf']:>12.3f} {row['max_abs_chrf']:>11.3f} "
              f"{row['mean_abs_score']:>13.3f} {row['max_abs_score']:>12.3f} "
              f"{row['back_translations_changed']:>10.1%} {row['verdicts_changed']:>9}", flush=True)
    if args.json:
        payload = {"forward_model": args.forward_model, "backward_model": args.backward_model,
                   "beam_size": args.beam_size, "segments": len(reference), "backends": results}
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
