"""Draft-verified decoding against plain greedy search, with real models on real text, in one run.

    python -m eval.bench_draft --data ../shared/data --models ../shared/models [--segments N]
                               [--systems onlineB rbmt1 reference own] [--backends fp32 int8 ct2] [--json FILE]

Random weights never agree with a draft, so this needs trained models: `--models DIR` holds
`house-fr-en/` and `house-en-fr/` (or give `--forward-model` and `--backward-model`). The text is
WMT14 fr-en (`--data DIR/wmt14-newstest2014-fr-en`): the first `--segments` French sources with one
system's English, for each of `--systems` (a system name as in `system-outputs/`, or `reference`), so
the speed-up can be read against MT quality: the draft of the forward generation is the MT itself.
`own` is the ceiling: each model's own greedy output as its draft (`OWN`), every draft token accepted.

For each backend and system, the model work of a full check (the four passes: both generations and
both forced decodings, greedy, 32 segments per call) is timed with the plain decoder (`generate`, then
forced decoding) and with the draft decoder (`Translator.translate_and_score`: each text encoded once,
the forced decoding as first verification pass), one after the other in this process, and printed side
by side with:

- identical outputs: translations equal to plain greedy search's, of all of both directions; a
  difference is a *near tie* when plain search's two best logits at the first differing token are within
  `--tie` of each other (float rounding of the other arithmetic), otherwise a real difference;
- passes per sentence (decoder calls that advanced it, the first pass included), tokens per pass,
  acceptance of proposed draft tokens, and the decoder positions the verification passes computed;
- checks/s of both and the ratio;
- with `--beam N` (N > 1), beam search with the `shared` decoder (one encoder pass per text for generation
  and forced decoding) against plain, instead of the draft decoder;
- with `--shortlist K` (float backends), the draft decoder again with an output shortlist (the K most
  frequent target pieces and the pieces of each batch's texts, `Translator.shortlist`): its checks/s and
  how many translations it changed against the whole vocabulary.

The int8 backend quantizes activations per tensor, with a scale taken from the whole batch: its plain
greedy output already depends on which sentences share a batch, so identity is measured for it too but
means less. ct2 (the `contresens[ct2]` extra) has no draft decoder: its plain rate is the baseline to beat.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

from eval.bench_ceiling import cpu_extensions

TIE = 1e-3  # logits this close are a tie that float rounding may break either way
OWN = "own"
"""The ceiling "system": each model's own plain greedy output as its draft (the French source and the
reference English as inputs), so every draft token is the model's choice: what a check would cost with
an MT (and a source) the models agree with entirely. Left out of the "fastest" summary line."""


def wmt14_pairs(data: Path, system: str, segments: int) -> list[tuple[str, str]]:
    """The first `segments` WMT14 fr-en sources with `system`'s English (or the reference's)."""
    root = data / "wmt14-newstest2014-fr-en" if (data / "wmt14-newstest2014-fr-en").is_dir() else data
    sources = sorted(root.glob("*src.fr"))
    if not sources:
        raise SystemExit(f"--data {data}: no WMT14 fr-en sources (*src.fr) there")
    if system in ("reference", OWN):
        english = sorted(root.glob("*ref.en"))
    else:
        english = sorted(p for p in (root / "system-outputs").glob(f"*{system}*"))
    if not english:
        raise SystemExit(f"--data {data}: no output of system {system!r} in {root / 'system-outputs'}")
    src = sources[0].read_text(encoding="utf-8").splitlines()
    mt = english[0].read_text(encoding="utf-8").splitlines()
    return [(s, t) for s, t in zip(src, mt, strict=True) if s.strip() and t.strip()][:segments]


def tie_gap(translator: Any, source: str, plain: str, other: str) -> float:
    """Plain greedy search's gap between its two best logits at the first token where `other` differs."""
    import torch

    ours = translator.tokenizer(text_target=plain)["input_ids"]
    theirs = translator.tokenizer(text_target=other)["input_ids"]
    at = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
    ids, mask = translator._padded([translator.source_ids(source)])
    start = int(translator.model.config.decoder_start_token_id)
    decoder_ids = torch.tensor([[start, *ours[:at]]], dtype=torch.long, device=ids.device)
    with torch.inference_mode():
        logits = translator.model(input_ids=ids, attention_mask=mask, decoder_input_ids=decoder_ids).logits[0, -1]
    top = torch.topk(logits.float(), 2).values
    return float(top[0] - top[1])


def cpu_name() -> str:
    """The CPU's model name as /proc/cpuinfo gives it (the machine type elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def _time(run: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def measure(forward: Any, backward: Any, pairs: list[tuple[str, str]], *, max_length: int, batch_size: int,
            tie: float = TIE, shortlist: int = 0, beam: int = 1, own: bool = False) -> dict[str, Any]:
    """Plain and draft decoding of one corpus with loaded translators: the figures listed in the module doc.
    With `beam` > 1 the second decoder is `shared` (beam search from one encoder pass per text), and a
    difference is never a near tie (beam search is not an argmax). With `own`, each direction's draft
    (and forced-decoding target) is that model's own plain output of its input (`OWN`)."""
    french = [s for s, _ in pairs]
    english = [t for _, t in pairs]
    options = {"beam_size": beam, "max_length": max_length, "batch_size": batch_size}
    decoder = "draft" if beam == 1 else "shared"
    forward.translate(french[:2], beam_size=1, max_length=8)  # warm-up
    backward.translate(english[:2], beam_size=1, max_length=8)
    # what each direction's forced decoding scores and its generation has as draft
    forward_drafts, backward_drafts = english, french
    if own:
        forward_drafts, backward_drafts = forward.translate(french, **options), backward.translate(english, **options)
    plain_s, plain = _time(lambda: (
        forward.translate(french, **options),
        forward.score(sources=french, targets=forward_drafts, batch_size=batch_size),
        backward.translate(english, **options),
        backward.score(sources=english, targets=backward_drafts, batch_size=batch_size)))
    row: dict[str, Any] = {"segments": len(pairs), "plain_checks_per_s": round(len(pairs) / plain_s, 2)}
    if not hasattr(forward, "translate_and_score"):
        return row
    from service.draft_decoding import DraftStats

    for model in (forward, backward):
        model.draft_stats = DraftStats()  # counts of this run only
    draft_s, draft = _time(lambda: (
        forward.translate_and_score(french, forward_drafts, decoder=decoder, **options),
        backward.translate_and_score(english, backward_drafts, decoder=decoder, **options)))
    identical = ties = real = 0
    for model, sources, ours, theirs in ((forward, french, plain[0], draft[0][0]),
                                        (backward, english, plain[2], draft[1][0])):
        for source, a, b in zip(sources, ours, theirs, strict=True):
            if a == b:
                identical += 1
            elif beam == 1 and tie_gap(model, source, a, b) <= tie:
                ties += 1
            else:
                real += 1
    stats = forward.draft_stats
    stats.add(backward.draft_stats)
    if shortlist and beam == 1 and not forward.shortlist_support():
        forward.shortlist = backward.shortlist = shortlist
        short_s, short = _time(lambda: (
            forward.translate_and_score(french, forward_drafts, decoder="draft", **options),
            backward.translate_and_score(english, backward_drafts, decoder="draft", **options)))
        forward.shortlist = backward.shortlist = 0
        sides = ((draft[0][0], short[0][0]), (draft[1][0], short[1][0]))
        row["shortlist"] = {"pieces": shortlist, "checks_per_s": round(len(pairs) / short_s, 2),
                            "changed": sum(a != b for full, cut in sides for a, b in zip(full, cut, strict=True))}
    row.update({
        "draft_checks_per_s": round(len(pairs) / draft_s, 2), "speedup": round(plain_s / draft_s, 2),
        "identical": identical, "near_ties": ties, "real_differences": real, "translations": 2 * len(pairs),
        **stats.as_dict(),
        "plain_positions": sum(len(model.tokenizer(text_target=t)["input_ids"]) for model, texts in
                               ((forward, plain[0]), (backward, plain[2])) for t in texts),
    })
    return row


def main(argv: list[str] | None = None) -> int:
    """Load the models per backend, measure each system, print the table (and the JSON when asked)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, metavar="DIR", help="the shared data folder (WMT14 fr-en)")
    parser.add_argument("--models", metavar="DIR", help="folder with house-fr-en/ and house-en-fr/")
    parser.add_argument("--forward-model", metavar="DIR")
    parser.add_argument("--backward-model", metavar="DIR")
    parser.add_argument("--segments", type=int, default=256, help="segments per system (default 256)")
    parser.add_argument("--systems", nargs="+", default=["onlineB", "rbmt1", "reference"])
    parser.add_argument("--backends", nargs="+", default=["fp32", "int8", "ct2"])
    parser.add_argument("--max-length", type=int, default=256, help="generated tokens at most (default 256)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--beam", type=int, default=1, help="beam size (default 1: the draft decoder; more: the "
                        "shared decoder, beam search from one encoder pass per text, against plain)")
    parser.add_argument("--tie", type=float, default=TIE, help=f"near-tie logit gap (default {TIE:g})")
    parser.add_argument("--shortlist", type=int, default=0, metavar="K",
                        help="also time the draft decoder with an output shortlist of the K most frequent pieces "
                             "(float backends) and count the translations it changes")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    forward_dir = args.forward_model or (args.models and str(Path(args.models) / "house-fr-en"))
    backward_dir = args.backward_model or (args.models and str(Path(args.models) / "house-en-fr"))
    if not forward_dir or not backward_dir:
        parser.error("give --models DIR, or --forward-model and --backward-model")
    import importlib.util

    from service.translate import BackendUnavailableError, Translator

    corpora = {system: wmt14_pairs(Path(args.data), system, args.segments) for system in args.systems}
    cpu = cpu_name()
    print(f"CPU: {cpu}; {', '.join(k for k, v in cpu_extensions().items() if v) or 'no AVX2'}; "
          f"{args.segments} segments per system, batch {args.batch_size}, max length {args.max_length}")
    print(f"{'backend':<8} {'system':<10} {'plain/s':>8} {'draft/s':>8} {'speedup':>8} {'identical':>10} "
          f"{'ties':>5} {'diff':>5} {'passes/sent':>11} {'tok/pass':>9} {'accept':>7}")
    rows = []
    for backend in args.backends:
        if backend == "ct2" and importlib.util.find_spec("ctranslate2") is None:
            continue
        try:
            forward = Translator.load(forward_dir, backend=backend, device="cpu")
            backward = Translator.load(backward_dir, backend=backend, device="cpu")
        except BackendUnavailableError as exc:
            print(f"{backend:<8} skipped: {exc}", flush=True)
            continue
        for system, pairs in corpora.items():
            row = {"backend": backend, "system": system, **measure(forward, backward, pairs,
                                                                   max_length=args.max_length,
                                                                   batch_size=args.batch_size, tie=args.tie,
                                                                   shortlist=args.shortlist, beam=args.beam,
                                                                   own=system == OWN)}
            rows.append(row)
            if "draft_checks_per_s" in row:
                print(f"{backend:<8} {system:<10} {row['plain_checks_per_s']:8.2f} {row['draft_checks_per_s']:8.2f} "
                      f"{row['speedup']:7.2f}x {row['identical']:>5}/{row['translations']:<4} {row['near_ties']:5} "
                      f"{row['real_differences']:5} {row['passes_per_sentence']:11.1f} {row['tokens_per_pass']:9.2f} "
                      f"{row['proposal_acceptance']:7.2f}", flush=True)
                if "shortlist" in row:
                    short = row["shortlist"]
                    print(f"{'':<19} shortlist of {short['pieces']} pieces: {short['checks_per_s']:.2f} checks/s, "
                          f"{short['changed']} of {row['translations']} translations changed", flush=True)
            else:
                print(f"{backend:<8} {system:<10} {row['plain_checks_per_s']:8.2f} {'-':>8} (no draft decoder)",
                      flush=True)
    real = [r for r in rows if r["system"] != OWN] or rows
    fastest_plain = max(real, key=lambda r: r["plain_checks_per_s"])
    drafts = [r for r in real if "draft_checks_per_s" in r]
    ceiling = [r for r in rows if r["system"] == OWN and "draft_checks_per_s" in r]
    if ceiling and real is not rows:
        top = max(ceiling, key=lambda r: r["draft_checks_per_s"])
        print(f"ceiling (drafts the models agree with entirely): {top['backend']} {top['draft_checks_per_s']:.2f} "
              f"checks/s, {top['draft_checks_per_s'] / fastest_plain['plain_checks_per_s']:.2f}x the fastest plain")
    if drafts:
        best = max(drafts, key=lambda r: r["draft_checks_per_s"])
        print(f"fastest plain: {fastest_plain['backend']} on {fastest_plain['system']} "
              f"{fastest_plain['plain_checks_per_s']:.2f} checks/s; fastest draft: {best['backend']} on "
              f"{best['system']} {best['draft_checks_per_s']:.2f} checks/s "
              f"({best['draft_checks_per_s'] / fastest_plain['plain_checks_per_s']:.2f}x; target 2x)")
    if args.json:
        Path(args.json).write_text(json.dumps({"cpu": cpu, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
