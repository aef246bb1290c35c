"""Throughput and latency of the HTTP service with dynamic batching on and off, in one run.

    python -m eval.bench_service [--models DIR] [--concurrency 1 8 32] [--requests N] [--max-length 40]
                                 [--beam-size 1] [--json FILE] [--quick]

Two random-weight MarianMT models with the exact opus-mt fr-en / en-fr architecture (`eval.opus_arch`,
75 M parameters each) are built into DIR (reused when already there), then `contresens serve` runs in a
child process twice, with `CONTRESENS_BATCHING=false` (the baseline: every request calls the models on
its own) and `true`. At each concurrency level, that many client threads post one-sentence French news
documents with their English translations to /v1/score until N requests (default 3 x concurrency, at
least 8: the first round of requests arrives spread out and merges less than the next ones) are
answered; the table gives requests/s and p50/p95/p99 latency, and the last line the ratio of throughputs
at the highest concurrency (target: batching at least 4x). Random weights generate up to
`--max-length` tokens whatever the input, so the cost of generation is fixed by that setting.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

DOCUMENTS = (
    ("Le parquet de Paris a ouvert mardi une information judiciaire pour escroquerie en bande organisée visant "
     "trois dirigeants de la société.",
     "The Paris prosecutor's office opened a judicial investigation on Tuesday into organised fraud targeting "
     "three of the company's executives."),
    ("Placé en garde à vue pendant quarante-huit heures, le suspect a été présenté vendredi à un juge "
     "d'instruction qui l'a mis en examen.",
     "Held in police custody for forty-eight hours, the suspect was brought before an investigating judge on "
     "Friday who placed him under formal investigation."),
    ("Le tribunal correctionnel de Lyon a condamné l'ancien maire à deux ans de prison avec sursis et à "
     "cinquante mille euros d'amende.",
     "The Lyon criminal court sentenced the former mayor to a two-year suspended prison sentence and a fine "
     "of fifty thousand euros."),
    ("Selon l'Office anti-fraude, les sommes détournées entre 2019 et 2022 dépasseraient largement les "
     "estimations publiées l'an dernier.",
     "According to the anti-fraud office, the sums embezzled between 2019 and 2022 would far exceed the "
     "estimates published last year."),
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


TOKENIZER_DATA = "wmt13-newstest2013-fr-en"  # tokenizer training text, a year apart from eval.bench's corpus
TOKENIZER_PIECES = 8000


def tokenizer_texts(data: Path) -> dict[str, str]:
    """French and English news text to train the random models' tokenizers on: WMT13 newstest source and
    reference from `data` (the directory holding `wmt13-newstest2013-fr-en/`, or that directory)."""
    root = data / TOKENIZER_DATA if (data / TOKENIZER_DATA).is_dir() else data
    found = {lang: sorted(root.glob(f"*-{kind}.{lang}")) for lang, kind in (("fr", "src"), ("en", "ref"))}
    if not found["fr"] or not found["en"]:
        raise SystemExit(f"--data {data}: expected {TOKENIZER_DATA}/ with *-src.fr and *-ref.en")
    return {lang: paths[0].read_text(encoding="utf-8") for lang, paths in found.items()}


def build_models(directory: Path, data: str | None = None) -> tuple[Path, Path]:
    """The two random-weight opus-mt directories, built once.

    Without `data`, their tokenizers are trained on the sample story (a few hundred pieces: sentences
    come out about twice as long in tokens as with opus-mt, so every model call costs more than it
    would). With `data`, on WMT13 news text with 8000 pieces a side, which cuts news sentences about as
    finely as opus-mt does; those models get their own directories (`...-wmt13`)."""
    from eval.opus_arch import build_random_opus_mt

    texts = tokenizer_texts(Path(data)) if data else None
    models = []
    for src, tgt, seed in (("fr", "en", 1), ("en", "fr", 2)):
        target = directory / (f"random-opus-mt-{src}-{tgt}" + ("-wmt13" if texts else ""))
        if not (target / "model.safetensors").exists():
            print(f"building {target} ...", file=sys.stderr, flush=True)
            if texts:
                build_random_opus_mt(target, source_lang=src, target_lang=tgt, seed=seed, source_text=texts[src],
                                     target_text=texts[tgt], pieces=TOKENIZER_PIECES)
            else:
                build_random_opus_mt(target, source_lang=src, target_lang=tgt, seed=seed)
        models.append(target)
    return models[0], models[1]


class Server:
    """`contresens serve` in a child process, ready when entered."""

    def __init__(self, forward: Path, backward: Path, *, batching: bool, max_length: int, beam_size: int,
                 batch_wait_ms: float = 10.0) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = [sys.executable, "-m", "eval.cli", "serve", "--port", str(self.port), "--forward-model",
                        str(forward), "--backward-model", str(backward), "--beam-size", str(beam_size),
                        "--log-level", "warning"]
        self.env = {**os.environ, "CONTRESENS_BATCHING": "true" if batching else "false",
                    "CONTRESENS_MAX_LENGTH": str(max_length), "CONTRESENS_QUEUE_SIZE": "4096",
                    "CONTRESENS_REQUEST_TIMEOUT_S": "3600", "CONTRESENS_BATCH_MAX_WAIT_MS": str(batch_wait_ms),
                    "CONTRESENS_CACHE": "false"}  # the same four documents again and again: no cache
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.command, env=self.env)
        deadline = time.monotonic() + 600
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base}/readyz").status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not become ready in 10 minutes")
            time.sleep(0.2)

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=60)


def load(base: str, concurrency: int, requests: int) -> dict[str, float]:
    """Post `requests` documents from `concurrency` threads; throughput and latency percentiles."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker(client: httpx.Client) -> None:
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            source, translation = DOCUMENTS[index % len(DOCUMENTS)]
            started = time.perf_counter()
            response = client.post(f"{base}/v1/score", json={"source": source, "translation": translation})
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise RuntimeError(f"request {index}: {response.status_code} {response.text[:200]}")
            with lock:
                latencies.append(elapsed)

    started = time.perf_counter()
    with httpx.Client(timeout=3600) as client, concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker, client) for _ in range(concurrency)]:
            future.result()
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"requests": requests, "requests_per_s": requests / wall, "p50_s": statistics.median(latencies),
            "p95_s": cuts[94], "p99_s": cuts[98]}


def batch_counts(base: str) -> tuple[float, float]:
    """(model calls, texts) of backward translation so far, from /metrics: `translate` calls, or `check`
    calls (generation and forced decoding together) with the draft decoder."""
    values: dict[str, float] = {}
    for line in httpx.get(f"{base}/metrics").text.splitlines():
        for name in ("count", "sum"):
            prefix = f"contresens_model_batch_items_{name}{{"
            if line.startswith(prefix) and ('kind="translate"' in line or 'kind="check"' in line) \
                    and 'model="backward"' in line:
                values[name] = values.get(name, 0.0) + float(line.rsplit(" ", 1)[1])
    return values.get("count", 0.0), values.get("sum", 0.0)


def main(argv: list[str] | None = None) -> int:
    """Run both modes at every concurrency level and print the table (and JSON when asked)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", metavar="DIR", help="where the random models are built or found "
                        "(default: a temporary directory)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, help="requests per level (default 3 x concurrency, at least 8)")
    parser.add_argument("--batch-wait-ms", type=float, default=10.0,
                        help="CONTRESENS_BATCH_MAX_WAIT_MS of the server (default 10, the service's default)")
    parser.add_argument("--max-length", type=int, default=40, help="generated tokens per translation (default 40)")
    parser.add_argument("--beam-size", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="concurrency 1 and 32 only, max length 24")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    if args.quick:
        args.concurrency, args.max_length = [1, 32], 24
    with tempfile.TemporaryDirectory() as tmp:
        forward, backward = build_models(Path(args.models or tmp))
        rows: list[dict[str, Any]] = []
        for batching in (False, True):
            with Server(forward, backward, batching=batching, max_length=args.max_length,
                        beam_size=args.beam_size, batch_wait_ms=args.batch_wait_ms) as server:
                for concurrency in args.concurrency:
                    calls_before, texts_before = batch_counts(server.base)
                    result = load(server.base, concurrency, args.requests or max(8, 3 * concurrency))
                    calls, texts = batch_counts(server.base)
                    mean = (texts - texts_before) / (calls - calls_before) if calls > calls_before else 0.0
                    row = {"batching": batching, "concurrency": concurrency, **result,
                           "mean_batch_items": round(mean, 2)}
                    rows.append(row)
                    print(f"batching {'on ' if batching else 'off'}  concurrency {concurrency:>3}  "
                          f"{result['requests_per_s']:6.2f} req/s  p50 {result['p50_s']:6.2f} s  "
                          f"p95 {result['p95_s']:6.2f} s  p99 {result['p99_s']:6.2f} s  "
                          f"(mean texts per back-translation call {row['mean_batch_items']})", flush=True)
    top = max(args.concurrency)
    off = next(r for r in rows if not r["batching"] and r["concurrency"] == top)
    on = next(r for r in rows if r["batching"] and r["concurrency"] == top)
    ratio = on["requests_per_s"] / off["requests_per_s"]
    print(f"concurrency {top}: batching {on['requests_per_s']:.2f} req/s vs {off['requests_per_s']:.2f} without, "
          f"{ratio:.1f}x (target >= 4x)")
    if args.json:
        payload = {"max_length": args.max_length, "beam_size": args.beam_size,
                   "batch_wait_ms": args.batch_wait_ms, "runs": rows,
                   "ratio_at_top_concurrency": round(ratio, 2)}
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
