"""How fast a full check can be on this machine: the work a segment costs, the rate the CPU multiplies
matrices at, and the rate of each of the four model passes, against the 40 segments/s target.

    python -m eval.bench_ceiling [--data DIR] [--models DIR] [--segments N] [--backends int8 ct2] [--json FILE]

`eval.bench` times whole checks; this explains its numbers. In one run it prints:

- the CPU's vector extensions (AVX2, AVX-512, VNNI, AMX) as the kernel reports them;
- multiply-adds per segment, counted from the model configuration and the corpus's token counts (an
  encoder token, a decoder token with its output layer, the cross-attention keys of every source token;
  attention scores left out, a few percent);
- the output layer's matrix product (rows x d_model by d_model x vocabulary) in float32 (the baseline)
  and int8 (dynamic quantization, as the int8 backend runs it), in G multiply-adds/s;
- for each backend, sentences/s of generation (greedy, `--max-length` tokens) and of forced decoding in
  both directions, 32 sentences per call, and the full-check rate they imply (one pass of each kind per
  direction; `eval.bench` measures the real thing, rule checks included);
- the ceiling: the best matrix-product rate divided by the work per segment, i.e. the rate if every
  operation ran as fast as the best large matrix product;
- the work per check with each technique of `service.draft_decoding`: one encoder pass per text and
  model (2 encoder passes instead of 4), and draft-verified generation at `--draft-positions` decoder
  positions per generated token (what `eval.bench_draft` measures with trained models).

Models and corpus are those of `eval.bench` (random weights, exact opus-mt architecture).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.bench import corpus

TARGET = 40.0  # segments/s asked of a full check
EXTENSIONS = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_int8", "amx_bf16")


@dataclass(frozen=True)
class Shape:
    """The sizes of a Marian encoder-decoder that set its cost."""

    d_model: int
    ffn: int
    encoder_layers: int
    decoder_layers: int
    vocab: int

    @classmethod
    def of(cls, config: Any) -> Shape:
        """The shape of a transformers `MarianConfig`."""
        return cls(config.d_model, config.encoder_ffn_dim, config.encoder_layers, config.decoder_layers,
                   config.vocab_size)

    def encoder_token(self) -> int:
        """Multiply-adds of one source token through the encoder: 4 attention projections and the FFN."""
        return self.encoder_layers * (4 * self.d_model**2 + 2 * self.d_model * self.ffn)

    def cross_keys(self) -> int:
        """Multiply-adds of one source token's cross-attention keys and values, once per decoding pass."""
        return self.decoder_layers * 2 * self.d_model**2

    def decoder_token(self) -> int:
        """Multiply-adds of one target token: self-attention, cross-attention query and output, FFN, and
        the output layer over the whole vocabulary."""
        layer = 4 * self.d_model**2 + 2 * self.d_model**2 + 2 * self.d_model * self.ffn
        return self.decoder_layers * layer + self.d_model * self.vocab

    def pass_cost(self, source_tokens: float, target_tokens: float) -> float:
        """Multiply-adds of one pass: the source encoded, `target_tokens` decoded (generation with a key-value
        cache costs the same as forced decoding of what it generates)."""
        return (self.encoder_token() + self.cross_keys()) * source_tokens + self.decoder_token() * target_tokens

    def segment_shared(self, source_tokens: float, mt_tokens: float, generated: float,
                       positions_per_token: float = 1.0) -> float:
        """Multiply-adds of a full check with one encoder pass per text and model, and generation costing
        `positions_per_token` decoder positions per generated token (1: plain greedy; draft-verified
        decoding computes fewer when drafts are accepted, its first pass being the forced decoding)."""
        encoders = (self.encoder_token() + self.cross_keys()) * (source_tokens + mt_tokens)
        forced = self.decoder_token() * (mt_tokens + source_tokens)
        return encoders + forced + self.decoder_token() * 2 * generated * positions_per_token

    def segment(self, source_tokens: float, mt_tokens: float, generated: float) -> float:
        """Multiply-adds of a full check of one segment: generation and forced decoding in each direction,
        each pass encoding its source on its own."""
        return (self.pass_cost(source_tokens, generated) + self.pass_cost(mt_tokens, generated)
                + self.pass_cost(source_tokens, mt_tokens) + self.pass_cost(mt_tokens, source_tokens))


def cpu_extensions() -> dict[str, bool]:
    """Which of `EXTENSIONS` the kernel lists for this CPU (all False where /proc/cpuinfo is absent)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return dict.fromkeys(EXTENSIONS, False)
    flags = next((line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags")), [])
    return {name: name in flags for name in EXTENSIONS}


def matmul_rate(shape: Shape, rows: int, kind: str, seconds: float = 1.0) -> float:
    """G multiply-adds/s of `rows` x d_model times the output layer, float32 or int8 (dynamic quantization)."""
    import torch

    from service.translate import quantize_int8

    layer = torch.nn.Linear(shape.d_model, shape.vocab)
    if kind == "int8":
        layer = quantize_int8(torch.nn.Sequential(layer))
    x = torch.randn(rows, shape.d_model)
    with torch.inference_mode():
        layer(x)
        calls, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds or calls < 2:
            layer(x)
            calls += 1
    return rows * shape.d_model * shape.vocab * calls / elapsed / 1e9


def pass_rates(forward: Any, backward: Any, pairs: list[tuple[str, str]], max_length: int,
               batch_size: int = 32) -> dict[str, float]:
    """Sentences/s of each of a full check's four passes, with loaded `Translator`s (fr->en, en->fr)."""
    french = [s for s, _ in pairs]
    english = [t for _, t in pairs]
    forward.translate(french[:2], beam_size=1, max_length=8)  # warm-up
    backward.translate(english[:2], beam_size=1, max_length=8)
    timed = {
        "generate fr->en": lambda: forward.translate(french, beam_size=1, max_length=max_length,
                                                     batch_size=batch_size),
        "generate en->fr": lambda: backward.translate(english, beam_size=1, max_length=max_length,
                                                      batch_size=batch_size),
        "score fr->en": lambda: forward.score(sources=french, targets=english, batch_size=batch_size),
        "score en->fr": lambda: backward.score(sources=english, targets=french, batch_size=batch_size),
    }
    rates = {}
    for name, run in timed.items():
        started = time.perf_counter()
        run()
        rates[name] = len(pairs) / (time.perf_counter() - started)
    return rates


def implied_check_rate(rates: dict[str, float]) -> float:
    """Full checks/s if a check were exactly one of each pass: the passes' times add up."""
    return 1.0 / sum(1.0 / r for r in rates.values())


def main(argv: list[str] | None = None) -> int:
    """Measure and print everything listed in the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", metavar="DIR", help="WMT14 fr-en data, as for eval.bench")
    parser.add_argument("--models", metavar="DIR", help="where the random models are built or found")
    parser.add_argument("--segments", type=int, default=64)
    parser.add_argument("--max-length", type=int, default=48, help="generated tokens per sentence (default 48)")
    parser.add_argument("--backends", nargs="+", default=["int8", "ct2"])
    parser.add_argument("--draft-positions", type=float, default=1.0,
                        help="decoder positions per generated token of draft-verified decoding, as eval.bench_draft "
                             "measures it (default 1: no draft token accepted, as with random weights)")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)

    import torch
    from transformers import AutoConfig, MarianTokenizer

    from eval.bench_service import build_models
    from service.translate import BackendUnavailableError, ModelUnavailableError, Translator

    pairs = corpus(args.data, args.segments)
    out: dict[str, Any] = {"cpu": cpu_extensions(), "threads": torch.get_num_threads(), "target": TARGET}
    print("CPU extensions: " + ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in out["cpu"].items())
          + f"; torch threads {out['threads']}")
    with tempfile.TemporaryDirectory() as tmp:
        forward_dir, backward_dir = build_models(Path(args.models or tmp), args.data)
        loaded = {}
        for backend in args.backends:
            try:
                loaded[backend] = (Translator.load(str(forward_dir), backend=backend, device="cpu"),
                                   Translator.load(str(backward_dir), backend=backend, device="cpu"))
            except (ModelUnavailableError, BackendUnavailableError) as exc:
                print(f"{backend}: skipped ({exc})", flush=True)
        shape = Shape.of(AutoConfig.from_pretrained(str(forward_dir)))
        tokenizer = MarianTokenizer.from_pretrained(str(forward_dir))
        source_tokens = sum(len(tokenizer(s)["input_ids"]) for s, _ in pairs) / len(pairs)
        mt_tokens = sum(len(tokenizer(text_target=t)["input_ids"]) for _, t in pairs) / len(pairs)
        work = shape.segment(source_tokens, mt_tokens, args.max_length)
        out["work"] = {"source_tokens": round(source_tokens, 1), "mt_tokens": round(mt_tokens, 1),
                       "generated_tokens": args.max_length, "gmac_per_segment": round(work / 1e9, 2),
                       "gmac_per_s_for_target": round(work * TARGET / 1e9)}
        print(f"work: {source_tokens:.1f} French and {mt_tokens:.1f} English tokens per segment, "
              f"{args.max_length} generated a side: {work / 1e9:.1f} G multiply-adds per full check; "
              f"{TARGET:.0f} segments/s needs {work * TARGET / 1e9:.0f} G multiply-adds/s")
        shared = shape.segment_shared(source_tokens, mt_tokens, args.max_length)
        draft = shape.segment_shared(source_tokens, mt_tokens, args.max_length, args.draft_positions)
        out["work"].update({"gmac_one_encoder_pass": round(shared / 1e9, 2),
                            "gmac_draft": round(draft / 1e9, 2), "draft_positions_per_token": args.draft_positions})
        print(f"work per check: plain {work / 1e9:.2f} G; one encoder pass per text and model {shared / 1e9:.2f} G "
              f"({work / shared:.2f}x less); draft-verified at {args.draft_positions:g} decoder positions per "
              f"generated token {draft / 1e9:.2f} G ({work / draft:.2f}x less)")
        out["matmul"] = {}
        for kind in ("fp32", "int8"):
            for rows in (8, 32, 256):
                rate = matmul_rate(shape, rows, kind)
                out["matmul"][f"{kind}x{rows}"] = round(rate, 1)
                print(f"output-layer product {kind:>4}, {rows:>3} rows: {rate:6.1f} G multiply-adds/s")
        best = max(out["matmul"].values())
        out["ceiling"] = round(best * 1e9 / work, 2)
        print(f"ceiling (every operation at {best:.0f} G multiply-adds/s): {out['ceiling']:.1f} segments/s "
              f"(target {TARGET:.0f})")
        out["backends"] = {}
        for backend, (forward, backward) in loaded.items():
            rates = pass_rates(forward, backward, pairs, args.max_length)
            implied = implied_check_rate(rates)
            out["backends"][backend] = {"passes": {k: round(v, 2) for k, v in rates.items()},
                                        "implied_checks_per_s": round(implied, 2)}
            print(f"{backend}: " + ", ".join(f"{k} {v:.1f} sentences/s" for k, v in rates.items())
                  + f"; a full check at best {implied:.2f} segments/s (each pass needs {4 * TARGET:.0f} "
                    f"sentences/s for {TARGET:.0f})", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
