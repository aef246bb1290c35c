"""Throughput of full checks per backend and batch setting, with the naive baseline, in one run.

    python -m eval.bench [--data DIR] [--quick] [--json FILE] [--models DIR] [--segments N] [--real-models DIR]

Models: random-weight MarianMT with the exact opus-mt fr-en / en-fr architecture (`eval.opus_arch`, 75 M
parameters each), so the cost is realistic without downloadable weights. Corpus: French news sentences with
English translations: with `--data DIR` (the WMT14 fr-en test set: `DIR/wmt14-newstest2014-fr-en`, or a
directory holding `*src.fr` and `system-outputs/`), the first sentences of 20 to 30 words with the first
system's translation; without it, the sentences of the shipped sample story (`corpora/samples`), repeated.

Each configuration runs in a child process (so its peak RSS is its own): models loaded, one warm-up
segment, then the corpus checked as `contresens eval` checks it, timed. Configurations:

- `baseline`: fp32, beam 4, one segment per model call, no cache (the naive path);
- `fp32-batch`, `int8-batch`, `bf16-batch`, `ct2-int8-batch` (when the `ct2` extra is installed): beam 4,
  32 segments per model call;
- the same with greedy decoding (`-greedy`), plain `generate` then forced decoding;
- `fp32-batch-draft`, `int8-batch-draft`: greedy with the draft-verified decoder (`service.draft_decoding`:
  one encoder pass per text and model, the forced decoding as first verification pass); with random
  weights no draft token is ever accepted, so these rows show the shared passes alone, and
  `--real-models DIR` adds `eval.bench_draft`'s table (trained models, real MT as drafts) to the run;
- `cached`: the fastest configuration over the same corpus twice with the cache on, each run in its own
  process sharing one cache file: the second run, timed, is a CI re-run of an unchanged corpus (reports
  come from the report cache, `service.report_cache`).

Random weights rarely produce `</s>`, so every generation runs to `--max-length` (default 48 tokens, about
what a 25-word English or French sentence takes); the shape of the work is that of real sentences.
Output: a table, and with `--json FILE` `{"signature": ..., "configs": [{"name", "segments_per_s",
"ratio_to_baseline", "peak_rss_mb", ...}]}`. `--quick` checks fewer segments (under 5 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpora" / "samples"


def sample_pairs() -> list[tuple[str, str]]:
    """One-to-one aligned sentences of the shipped sample story (French source, English MT)."""
    from service.segment import align, split_sentences

    fr = [s.text for s in split_sentences((SAMPLES / "court-case.fr.txt").read_text(encoding="utf-8"), "fr")]
    en = [s.text for s in split_sentences((SAMPLES / "court-case.mt.en.txt").read_text(encoding="utf-8"), "en")]
    return [(fr[link.source[0]], en[link.target[0]]) for link in align(fr, en)
            if len(link.source) == 1 and len(link.target) == 1]


def data_pairs(directory: Path, limit: int) -> list[tuple[str, str]]:
    """The first `limit` source sentences of 20 to 30 words with the first system's translation."""
    wmt = directory / "wmt14-newstest2014-fr-en"
    root = wmt if wmt.is_dir() else directory
    sources = sorted(root.glob("*src.fr"))
    outputs = sorted((root / "system-outputs").glob("*"), key=lambda p: p.name.lower())
    if not sources or not outputs:
        raise SystemExit(f"--data {directory}: expected *src.fr and system-outputs/ (WMT14 fr-en layout)")
    src = sources[0].read_text(encoding="utf-8").splitlines()
    mt = outputs[0].read_text(encoding="utf-8").splitlines()
    pairs = [(s, t) for s, t in zip(src, mt, strict=True) if 20 <= len(s.split()) <= 30 and t.strip()]
    return pairs[:limit]


def corpus(data: str | None, segments: int) -> list[tuple[str, str]]:
    """`segments` sentence pairs."""
    pairs = data_pairs(Path(data), segments) if data else sample_pairs()
    return [pairs[i % len(pairs)] for i in range(segments)]


# -- one configuration, in a child process ---------------------------------------------------------

def run_config(spec: dict[str, Any]) -> dict[str, Any]:
    """Load, warm up, check the corpus; segments per second of the checking alone."""
    from eval.evaluate import evaluate
    from eval.inputs import Unit
    from service.checker import Checker
    from service.config import Settings

    settings = Settings(forward_model=spec["forward"], backward_model=spec["backward"], backend=spec["backend"],
                        beam_size=spec["beam"], max_length=spec["max_length"], batch_size=spec["batch"],
                        decoder=spec.get("decoder", "plain"),
                        cache=spec["cache"], cache_path=spec.get("cache_path"), builtin_glossary=True)
    checker = Checker.from_settings(settings)
    units = [Unit(str(i), s, t, None, f"bench:{i}") for i, (s, t) in enumerate(spec["pairs"])]
    list(evaluate(units[:1], checker, units_per_batch=1))  # warm-up
    started = time.perf_counter()
    records = list(evaluate(units, checker, units_per_batch=spec["batch"]))
    seconds = time.perf_counter() - started
    return {"segments": len(records), "seconds": round(seconds, 3),
            "segments_per_s": round(len(records) / seconds, 3), "signature": checker.signature}


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one configuration in a child process; its result and peak RSS."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    try:
        process = subprocess.Popen([sys.executable, "-m", "eval.bench", "--run-config", handle.name],
                                   stdout=subprocess.PIPE, text=True)
        stdout = process.stdout.read() if process.stdout else ""
        _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"configuration {spec['name']} failed")
    finally:
        os.unlink(handle.name)
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    return result


def configurations(quick: bool) -> list[dict[str, Any]]:
    """Name, backend, beam and batch of every configuration, the baseline first."""
    import importlib.util

    backends = ["fp32", "int8", "bf16"] + (["ct2"] if importlib.util.find_spec("ctranslate2") else [])
    label = {"fp32": "fp32", "int8": "int8", "bf16": "bf16", "ct2": "ct2-int8"}
    specs = [{"name": "baseline", "backend": "fp32", "beam": 4, "batch": 1}]
    for beam, suffix in ((4, ""), (1, "-greedy")):
        for backend in backends:
            if quick and beam == 4 and backend != "fp32":
                continue
            specs.append({"name": f"{label[backend]}-batch{suffix}", "backend": backend, "beam": beam, "batch": 32})
    for backend in ("fp32", "int8"):  # draft-verified greedy (`service.draft_decoding`); ct2 has none
        specs.append({"name": f"{backend}-batch-draft", "backend": backend, "beam": 1, "batch": 32,
                      "decoder": "draft"})
    return specs


def main(argv: list[str] | None = None) -> int:
    """Run every configuration and print the table (and the JSON when asked)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", metavar="DIR", help="WMT14 fr-en data (see above); default: the shipped sample")
    parser.add_argument("--segments", type=int, help="segments per configuration (default 96, quick 32)")
    parser.add_argument("--max-length", type=int, default=48, help="generated tokens per sentence (default 48)")
    parser.add_argument("--models", metavar="DIR", help="where the random models are built or found")
    parser.add_argument("--quick", action="store_true", help="fewer segments and configurations")
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--real-models", metavar="DIR", help="also run `eval.bench_draft` with the trained models "
                        "of DIR (house-fr-en/, house-en-fr/) on the WMT14 text of --data (needs --data)")
    parser.add_argument("--run-config", metavar="SPEC", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_config:
        print(json.dumps(run_config(json.loads(Path(args.run_config).read_text(encoding="utf-8")))))
        return 0
    from eval.bench_service import build_models

    segments = args.segments or (32 if args.quick else 96)
    pairs = corpus(args.data, segments)
    with tempfile.TemporaryDirectory() as tmp:
        forward, backward = build_models(Path(args.models or tmp), args.data)
        common = {"forward": str(forward), "backward": str(backward), "max_length": args.max_length,
                  "pairs": pairs, "cache": False}
        rows: list[dict[str, Any]] = []
        for spec in configurations(args.quick):
            # the baseline checks a third of the corpus: it is slow, and its rate does not depend on the size
            todo = pairs[: max(8, len(pairs) // 3)] if spec["name"] == "baseline" else pairs
            rows.append({**spec, **_child({**common, **spec, "pairs": todo})})
            _print(rows[-1], rows[0])
        fastest = max(rows[1:], key=lambda r: r["segments_per_s"])
        cached = {**common, **{k: fastest[k] for k in ("backend", "beam", "batch")}, "name": "cached",
                  "decoder": fastest.get("decoder", "plain"),
                  "cache": True, "cache_path": str(Path(tmp) / "cache.sqlite3")}
        _child(cached)  # fills the cache file; the timed re-run is another process, as a CI re-run is
        rows.append({**cached, "pairs": None, **_child(cached)})
        _print(rows[-1], rows[0], f"(re-run of {fastest['name']} with a warm cache)")
    baseline = rows[0]["segments_per_s"]
    configs = [{"name": r["name"], "backend": r["backend"], "beam": r["beam"], "decoder": r.get("decoder", "plain"),
                "units_per_batch": r["batch"],
                "segments": r["segments"], "segments_per_s": r["segments_per_s"],
                "ratio_to_baseline": round(r["segments_per_s"] / baseline, 2), "peak_rss_mb": r["peak_rss_mb"]}
               for r in rows]
    plain = max((r for r in rows[1:-1] if r["beam"] == 1 and r.get("decoder", "plain") == "plain"),
                key=lambda r: r["segments_per_s"])
    draft = max((r for r in rows if r.get("decoder") == "draft"), key=lambda r: r["segments_per_s"])
    print(f"draft: {draft['name']} {draft['segments_per_s'] / plain['segments_per_s']:.2f}x the fastest plain greedy "
          f"configuration ({plain['name']}; target >= 2x)")
    print(f"fastest: {fastest['name']} {fastest['segments_per_s'] / baseline:.1f}x the baseline "
          f"(target >= 10x and >= 40 segments/s); cached {rows[-1]['segments_per_s']:.0f} segments/s "
          f"(target >= 1000); peak RSS {max(r['peak_rss_mb'] for r in rows):.0f} MB (target < 2048)")
    payload: dict[str, Any] = {"signature": rows[0]["signature"], "max_length": args.max_length, "configs": configs}
    if args.real_models:
        if not args.data:
            raise SystemExit("--real-models needs --data (the WMT14 text the drafts come from)")
        from eval.bench_draft import main as bench_draft

        print("\nWith trained models on real text (random weights never agree with a draft):", flush=True)
        real_json = Path(tempfile.mkdtemp()) / "draft.json"
        bench_draft(["--data", args.data, "--models", args.real_models, "--segments", str(max(segments, 64)),
                     "--json", str(real_json)])
        payload["real_models"] = json.loads(real_json.read_text(encoding="utf-8"))
    if args.json:
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


def _print(row: dict[str, Any], baseline: dict[str, Any], note: str = "") -> None:
    ratio = row["segments_per_s"] / baseline["segments_per_s"]
    print(f"{row['name']:<22} {row['segments_per_s']:8.2f} segments/s  {ratio:6.1f}x  "
          f"peak RSS {row['peak_rss_mb']:7.1f} MB  ({row['segments']} segments) {note}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
