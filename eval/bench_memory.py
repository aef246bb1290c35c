"""Memory of a streaming batch run: peak RSS of `contresens eval --no-model` on growing corpora, next to a
baseline in the same run that holds every result in memory (`--csv`, whose report needs all records).

    python -m eval.bench_memory [--sizes 2000 20000 100000] [--json FILE]

Flat memory means the streaming column barely moves from the smallest corpus to the largest while the
baseline grows with the number of units. Corpora are synthetic (four French news sentences with English
translations repeated under distinct ids) and written to a temporary directory.
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

ROWS = (
    ("Le parquet de Paris a ouvert une enquête pour escroquerie en bande organisée.",
     "The Paris prosecutor's office opened an investigation into organised fraud."),
    ("Il a été placé en garde à vue mardi à 9 h 30.", "He was taken into police custody on Tuesday at 9.30am."),
    ("Le prévenu, âgé de 22 ans, a été condamné à trois ans de prison dont deux avec sursis.",
     "The 32-year-old defendant was sentenced to three years in prison, two of them suspended."),
    ("Trois personnes ont été interpellées par l'OFAST à Marseille.", "Three people were arrested by the floor."),
)


def write_corpus(path: Path, units: int) -> None:
    """A TSV corpus of `units` rows."""
    with path.open("w", encoding="utf-8") as out:
        out.write("id\tsource\ttranslation\n")
        for i in range(units):
            source, translation = ROWS[i % len(ROWS)]
            out.write(f"u{i}\t{source}\t{translation}\n")


def peak_rss_mb(args: list[str]) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one `contresens` run in a child process."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "eval.cli", *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"contresens {' '.join(args)} exited with {process.returncode}")
    return usage.ru_maxrss / 1024, time.monotonic() - started  # ru_maxrss is in KiB on Linux


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table (and JSON when asked)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000, 100000])
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            corpus = Path(tmp) / f"units-{size}.tsv"
            write_corpus(corpus, size)
            out = str(Path(tmp) / "out.jsonl")
            streaming, seconds = peak_rss_mb(["eval", str(corpus), "--no-model", "--output", out])
            holding, _ = peak_rss_mb(["eval", str(corpus), "--no-model", "--output", out,
                                      "--csv", str(Path(tmp) / "flags.csv")])
            rows.append({"units": size, "streaming_peak_rss_mb": round(streaming, 1),
                         "baseline_peak_rss_mb": round(holding, 1), "streaming_units_per_s": round(size / seconds, 1)})
            print(f"{size:>8} units  streaming {streaming:7.1f} MB  baseline (all records held) {holding:7.1f} MB  "
                  f"{size / seconds:7.1f} units/s", flush=True)
    growth = rows[-1]["streaming_peak_rss_mb"] - rows[0]["streaming_peak_rss_mb"]
    print(f"streaming peak RSS grew {growth:+.1f} MB from {rows[0]['units']} to {rows[-1]['units']} units; "
          f"baseline grew {rows[-1]['baseline_peak_rss_mb'] - rows[0]['baseline_peak_rss_mb']:+.1f} MB")
    if args.json:
        Path(args.json).write_text(json.dumps({"runs": rows}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
