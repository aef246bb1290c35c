"""Signals equal sacrebleu's own sentence scores; suspicious spans come out at word level."""

from __future__ import annotations

import math

import pytest
import sacrebleu

from service.signals import metric_signatures, pseudo_reference_chrf, roundtrip, sentence_metrics, suspicious_spans
from service.translate import TokenScores

PAIRS = [
    ("Le parquet de Paris a ouvert une enquête.", "Le sol de Paris a ouvert une enquête."),
    ("Il a été placé en garde à vue mardi.", "Il a été placé en garde à vue mardi."),
    ("Trois personnes ont été interpellées.", "Deux hommes arrêtés."),
    ("Mme Martin, 22 ans, a été mise en examen.", ""),
]


@pytest.mark.parametrize(("reference", "hypothesis"), PAIRS)
def test_metrics_equal_sacrebleu_sentence_scores(reference: str, hypothesis: str) -> None:
    scores = sentence_metrics(hypothesis, reference)
    assert scores.bleu == sacrebleu.sentence_bleu(hypothesis, [reference]).score
    assert scores.chrf == sacrebleu.sentence_chrf(hypothesis, [reference]).score
    assert scores.ter == sacrebleu.sentence_ter(hypothesis, [reference]).score
    assert roundtrip(source=reference, back_translation=hypothesis) == scores
    assert pseudo_reference_chrf(translation=hypothesis, pseudo_reference=reference) == scores.chrf


def test_golden_values() -> None:
    # identical strings: perfect on every metric
    same = sentence_metrics("Il a été placé en garde à vue mardi.", "Il a été placé en garde à vue mardi.")
    assert (same.bleu, same.chrf, same.ter) == (pytest.approx(100.0), pytest.approx(100.0), 0.0)
    # one word of eight substituted: TER = 1 edit / 8 reference words (TER does not split off the ".")
    one = sentence_metrics("Le sol de Paris a ouvert une enquête.", "Le parquet de Paris a ouvert une enquête.")
    assert one.ter == pytest.approx(100 / 8, abs=1e-9)
    assert one.bleu == pytest.approx(sacrebleu.sentence_bleu("Le sol de Paris a ouvert une enquête.",
                                                             ["Le parquet de Paris a ouvert une enquête."]).score)
    assert 0 < one.bleu < 100 and 0 < one.chrf < 100


def test_metric_signatures_name_settings_and_version() -> None:
    sigs = metric_signatures()
    assert set(sigs) == {"bleu", "chrf", "ter"}
    assert "eff:yes" in sigs["bleu"] and "tok:13a" in sigs["bleu"]
    assert f"version:{sacrebleu.__version__}" in sigs["chrf"]


def _scores(text: str, pieces: list[tuple[str, int, int, float]]) -> TokenScores:
    return TokenScores(
        text,
        tuple(p for p, _, _, _ in pieces) + ("</s>",),
        tuple(math.log(p) for _, _, _, p in pieces) + (math.log(1e-9),),
        tuple((a, b) for _, a, b, _ in pieces) + ((len(text), len(text)),),
    )


def test_suspicious_spans_are_whole_words_merged_and_offset() -> None:
    text = "The Paris floor opened an inquiry."
    scores = _scores(
        text,
        [("▁The", 0, 3, 0.9), ("▁Paris", 3, 9, 0.8), ("▁fl", 9, 12, 0.01), ("oor", 12, 15, 0.5),
         ("▁opened", 15, 22, 0.02), ("▁an", 22, 25, 0.9), ("▁inquir", 25, 32, 0.7), ("y", 32, 33, 0.04),
         (".", 33, 34, 0.9)],
    )
    spans = suspicious_spans(scores, threshold=0.05, offset=100)
    assert [(s.text, s.start, s.end) for s in spans] == [("floor opened", 110, 122), ("inquiry.", 126, 134)]
    assert spans[0].probability == pytest.approx(0.01)
    assert spans[1].probability == pytest.approx(0.04)
    # the end-of-sentence token never makes a span, however unlikely
    assert suspicious_spans(scores, threshold=0.001) == []
