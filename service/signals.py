"""Quality signals of one segment, from strings and forced-decoding scores (no model calls here).

The metric values are sacrebleu's own sentence scores (BLEU with effective order, chrF, TER)
computed on the given strings, so they can be checked against sacrebleu directly.
"""

from __future__ import annotations

import math
from functools import lru_cache

from sacrebleu.metrics import BLEU, CHRF, TER

from service.report import MetricScores, SuspiciousSpan
from service.translate import TokenScores


@lru_cache(maxsize=1)
def _metrics() -> tuple[BLEU, CHRF, TER]:
    metrics = BLEU(effective_order=True), CHRF(), TER()
    for metric in metrics:  # sacrebleu fills in nrefs (part of the signature) on first use
        metric.sentence_score("a", ["a"])
    return metrics


def sentence_metrics(hypothesis: str, reference: str) -> MetricScores:
    """sacrebleu sentence BLEU, chrF and TER of `hypothesis` against one `reference`."""
    bleu, chrf, ter = _metrics()
    return MetricScores(
        bleu=bleu.sentence_score(hypothesis, [reference]).score,
        chrf=chrf.sentence_score(hypothesis, [reference]).score,
        ter=ter.sentence_score(hypothesis, [reference]).score,
    )


def roundtrip(*, source: str, back_translation: str) -> MetricScores:
    """How much of the source survives translation and back: the back-translation scored against it."""
    return sentence_metrics(back_translation, source)


def pseudo_reference_chrf(*, translation: str, pseudo_reference: str) -> float:
    """chrF of the translation against the forward model's translation of the same source."""
    return _metrics()[1].sentence_score(translation, [pseudo_reference]).score


def metric_signatures() -> dict[str, str]:
    """sacrebleu.s signature of each metric used, for the report signature."""
    return {m.__class__.__name__.lower(): m.get_signature().format(short=False) for m in _metrics()}


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole whitespace-delimited words, without the surrounding spaces."""
    while start < end and text[start].isspace():
        start += 1
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def suspicious_spans(scores: TokenScores, *, threshold: float, offset: int = 0) -> list[SuspiciousSpan]:
    """Words of the target containing a token whose probability is below `threshold`.

    Adjacent or overlapping words are merged into one span; `offset` shifts the spans from the
    segment into the document. The end-of-sentence token is not a word and is skipped.
    """
    limit = math.log(threshold)
    merged: list[list[float]] = []  # [start, end, min_logprob]
    text = scores.text
    for (start, end), logprob in zip(scores.spans, scores.logprobs):
        if end <= start or logprob >= limit:
            continue
        a, b = _word_bounds(text, start, end)
        if b <= a:
            continue
        if merged and a <= merged[-1][1] + 1 and not text[int(merged[-1][1]) : a].strip():
            merged[-1][1] = max(merged[-1][1], b)
            merged[-1][2] = min(merged[-1][2], logprob)
        else:
            merged.append([a, b, logprob])
    return [
        SuspiciousSpan(
            start=int(a) + offset, end=int(b) + offset, text=text[int(a) : int(b)], probability=math.exp(lp)
        )
        for a, b, lp in merged
    ]
