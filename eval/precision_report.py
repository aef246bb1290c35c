"""The written forms of `eval.precision`: Markdown tables (printed and `report.md`), JSON, and the file
of flags on human references for reading (`reference-flags.tsv`, with a random `reference-flags-sample.tsv`).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.precision_figures import ALL, CorpusFigures, Discrimination
from eval.precision_flags import FoundFlag, Pair

SAMPLE_SIZE = 100


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    return [_row(head), _row(["---"] * len(head)), *(_row(r) for r in rows)]


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def corpus_table(figures: Sequence[CorpusFigures]) -> list[str]:
    """One row per corpus: segments, share with a major/critical flag, with any flag, flags per 100."""
    rows = []
    for f in figures:
        r = f.overall.rates(f.segments)
        rows.append([f.corpus.name, f.corpus.split, f"{f.segments:,}", _pct(r["serious_pct"]), _pct(r["any_pct"]),
                     f"{r['flags_per_100']:.1f}"])
    return _table(["corpus", "split", "segments", "major or critical", "any flag", "flags/100"], rows)


def breakdown_table(figures: Sequence[CorpusFigures], by: str) -> list[str]:
    """One row per check (by="check") or rule (by="rule"), one column per corpus: "flags/100 · major% · any%"."""
    names = sorted({n for f in figures for n in (f.by_check if by == "check" else f.by_rule)})
    rows = []
    for name in names:
        cells: list[object] = [name]
        for f in figures:
            tally = (f.by_check if by == "check" else f.by_rule).get(name)
            if tally is None:
                cells.append("·")
                continue
            r = tally.rates(f.segments)
            cells.append(f"{r['flags_per_100']:.1f} · {_pct(r['serious_pct'])} · {_pct(r['any_pct'])}")
        rows.append(cells)
    return _table([by, *(f.corpus.name for f in figures)], rows)


def discrimination_table(rows: Sequence[Discrimination]) -> list[str]:
    """One row per (check, scope): judged pairs with exactly one output flagged, unflagged preferred, 95% CI."""
    body = []
    for d in rows:
        rate = "n/a" if d.rate is None else _pct(100 * d.rate)
        ci = "" if d.low is None or d.high is None else f"{100 * d.low:.1f}-{100 * d.high:.1f}%"
        body.append([d.check, d.scope, f"{d.pairs:,}", rate, ci])
    return _table(["check", "judgments", "pairs, one output flagged", "unflagged preferred", "95% CI"], body)


def markdown(signature: str, human: Sequence[CorpusFigures], mt: Sequence[CorpusFigures],
             rows: Sequence[Discrimination], *, elapsed: float, segments: int) -> str:
    """The whole report as Markdown."""
    overall = [d for d in rows if d.check == ALL]
    per_check = [d for d in rows if d.check != ALL and d.scope == "all years"]
    parts = [
        "# contresens: flags on real translations", "", f"Signature: `{signature}`", "",
        f"{segments:,} distinct segments checked in {elapsed:.0f} s.", "",
        "## Human translations (a flag is almost always a false alarm)", "", *corpus_table(human), "",
        "### Per check (flags/100 · major or critical · any)", "", *breakdown_table(human, "check"), "",
        "### Per rule", "", *breakdown_table(human, "rule"), "",
        "## Machine translations", "", *corpus_table(mt), "",
        "### Per check (flags/100 · major or critical · any)", "", *breakdown_table(mt, "check"), "",
        "## Discrimination on the WMT human judgments", "",
        "When exactly one of two outputs of a sentence has a major or critical flag, how often the judges "
        "preferred the unflagged one (percentile bootstrap, 1000 resamples).", "",
        *discrimination_table(overall), "", "### Per check (all years)", "", *discrimination_table(per_check), "",
    ]
    return "\n".join(parts)


def as_json(signature: str, human: Sequence[CorpusFigures], mt: Sequence[CorpusFigures],
            rows: Sequence[Discrimination], *, elapsed: float, segments: int) -> dict[str, Any]:
    """Every figure, for machines."""
    return {"signature": signature, "elapsed_s": elapsed, "distinct_segments": segments,
            "human": [f.as_dict() for f in human], "mt": [f.as_dict() for f in mt],
            "discrimination": [d.as_dict() for d in rows]}


FLAG_COLUMNS = ["corpus", "split", "line", "check", "rule", "severity", "source_span", "translation_span",
                "message", "reverse_span_logprob", "back_translation_has_span", "source", "translation"]


def reference_flags(human: Sequence[CorpusFigures], flags: Mapping[Pair, Sequence[FoundFlag]]) -> list[list[str]]:
    """One row per flag on a human translation (line numbers 1-based in the corpus file)."""
    rows = []
    for f in human:
        c = f.corpus
        for line, (source, translation, context) in zip(c.lines, c.pairs()):
            for flag in flags[(source, translation, context)]:
                rows.append([c.name, c.split, str(line + 1), flag.check, flag.rule, flag.severity,
                             flag.source_text or "", flag.translation_text or "", flag.message,
                             "" if flag.reverse_span_logprob is None else f"{flag.reverse_span_logprob:.3f}",
                             "" if flag.back_translation_has_span is None else str(flag.back_translation_has_span),
                             source, translation])
    return rows


def _write_tsv(path: Path, rows: Sequence[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(FLAG_COLUMNS)
        writer.writerows(rows)


def write_flag_files(out: Path, rows: Sequence[Sequence[str]], *, seed: int = 0) -> None:
    """reference-flags.tsv (every flag) and reference-flags-sample.tsv (SAMPLE_SIZE of them at random)."""
    out.mkdir(parents=True, exist_ok=True)
    _write_tsv(out / "reference-flags.tsv", rows)
    sample = random.Random(seed).sample(list(rows), min(SAMPLE_SIZE, len(rows)))
    _write_tsv(out / "reference-flags-sample.tsv", sample)
