"""Scorers: the BLEU+1 baseline is sacrebleu with the documented settings, every scorer is higher-better,
and the model-based ones read the checker's report once per (source, hypothesis)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from eval.meta.scorers import MODEL_BASED, SCORER_NAMES, ScorerError, SignalCache, get_scorers
from service.checker import Checker, Document
from service.config import Settings

# Tiny random models never stop on their own: short greedy decoding keeps the model tests quick.
FAST: dict[str, Any] = {"device": "cpu", "beam_size": 1, "max_length": 16, "cache": False}
SOURCES = ["Le chat dort sur le canapé.", "Le tribunal a rendu son jugement hier.", "Il a payé 300 euros."]
REFERENCES = ["The cat is sleeping on the sofa.", "The court delivered its judgment yesterday.", "He paid 300 euros."]
GOOD = ["The Cat is sleeping on the sofa.", "The court gave its judgment yesterday.", "He paid 300 euros."]
BAD = ["Sofa.", "Yesterday a tribunal.", "He paid 500 dollars."]


def one(name: str, hypotheses: list[str], references: list[str] | None = REFERENCES) -> list[float]:
    return get_scorers([name])[0].score(SOURCES, hypotheses, references)


def test_sentbleu_is_sacrebleu_bleu_plus_one_lowercased_13a() -> None:
    expected = BLEU(smooth_method="add-k", smooth_value=1, effective_order=True, lowercase=True, tokenize="13a")
    assert one("sentbleu", GOOD) == [expected.sentence_score(h, [r]).score for h, r in zip(GOOD, REFERENCES)]
    # The choice matters: case-sensitive BLEU+1 scores "The Cat" lower than the chosen lowercased one.
    cased = BLEU(smooth_method="add-k", smooth_value=1, effective_order=True, tokenize="13a")
    assert one("sentbleu", GOOD)[0] > cased.sentence_score(GOOD[0], [REFERENCES[0]]).score


def test_sentbleu_smooths_higher_orders() -> None:
    # No 4-gram match at all: unsmoothed BLEU would be 0; BLEU+1 is not.
    assert one("sentbleu", ["The cat on sofa.", "court judgment", "He paid"])[0] > 0.0


def test_chrf_is_sacrebleu_sentence_chrf() -> None:
    assert one("chrf", GOOD) == [CHRF().sentence_score(h, [r]).score for h, r in zip(GOOD, REFERENCES)]


def test_ter_is_negated_so_higher_is_better() -> None:
    good, bad = one("ter", GOOD), one("ter", BAD)
    assert good == [-TER().sentence_score(h, [r]).score for h, r in zip(GOOD, REFERENCES)]
    assert all(g > b for g, b in zip(good, bad))
    assert one("ter", REFERENCES) == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("name", ["sentbleu", "chrf", "ter"])
def test_reference_based_scorers_rank_a_good_translation_above_a_bad_one(name: str) -> None:
    assert all(g > b for g, b in zip(one(name, GOOD), one(name, BAD)))


def test_flags_counts_rules_only_flags_negated() -> None:
    checker = Checker.rules_only(Settings())
    expected = [-len(checker.check(source=s, translation=h).flags) for s, h in zip(SOURCES, BAD)]
    scores = one("flags", BAD, None)
    assert scores == expected
    assert scores[2] < 0  # the wrong amount is flagged
    assert one("flags", GOOD, None)[2] == 0.0


def test_unknown_scorer_names_the_choices() -> None:
    with pytest.raises(ScorerError, match=r"unknown scorer 'bleurt': choose from sentbleu, chrf"):
        get_scorers(["chrf", "bleurt"])


@pytest.mark.parametrize("name", MODEL_BASED)
def test_model_based_scorers_need_both_model_flags(name: str) -> None:
    with pytest.raises(ScorerError, match="--forward-model and --backward-model"):
        get_scorers([name], forward_model="somewhere")


def test_a_reference_based_scorer_without_references_is_refused() -> None:
    with pytest.raises(ScorerError, match="sentbleu compares with a human reference"):
        one("sentbleu", GOOD, None)


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ScorerError, match="3 sources but 2 hypotheses"):
        get_scorers(["chrf"])[0].score(SOURCES, GOOD[:2], REFERENCES)


def test_scorer_properties() -> None:
    scorers = get_scorers(list(SCORER_NAMES), forward_model="f", backward_model="b")
    assert [s.name for s in scorers] == list(SCORER_NAMES)
    assert {s.name for s in scorers if s.needs_reference} == {"sentbleu", "chrf", "ter"}
    assert {s.name for s in scorers if s.needs_models} == set(MODEL_BASED)
    assert all(s.description for s in scorers)


def test_model_based_scorers_read_the_report_and_share_one_model_run(
        tiny_models: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = Checker.check_many

    def counting(self: Checker, documents: list[Document], **kwargs: object) -> list:
        calls.append(len(documents))
        return original(self, documents, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Checker, "check_many", counting)
    names = ["quality", "roundtrip-chrf", "roundtrip-ter", "forward-logprob"]
    scorers = get_scorers(names, forward_model=str(tiny_models["fr-en"]), backward_model=str(tiny_models["en-fr"]),
                          settings=FAST)
    hypotheses = GOOD + [GOOD[0]]  # a repeated pair is scored once
    sources = SOURCES + [SOURCES[0]]
    results = {s.name: s.score(sources, hypotheses, None) for s in scorers}
    assert calls == [3]  # one batch of the three distinct documents, for all four scorers

    checker = Checker.from_settings(Settings(forward_model=str(tiny_models["fr-en"]),
                                             backward_model=str(tiny_models["en-fr"]), **FAST))
    report = checker.check(source=SOURCES[1], translation=GOOD[1])
    signals = report.segments[0].signals
    assert signals is not None and len(report.segments) == 1
    assert results["quality"][1] == report.score
    assert results["roundtrip-chrf"][1] == pytest.approx(signals.roundtrip.chrf)
    assert results["roundtrip-ter"][1] == pytest.approx(-signals.roundtrip.ter)
    assert results["forward-logprob"][1] == pytest.approx(signals.forward_logprob)
    assert results["quality"][3] == results["quality"][0]


def test_signals_of_a_report_with_two_sentences_are_length_weighted(tiny_models: dict[str, Path]) -> None:
    cache = SignalCache(str(tiny_models["fr-en"]), str(tiny_models["en-fr"]), settings=FAST)
    source = "Le chat dort. Le tribunal a rendu son jugement hier soir."
    translation = "The cat sleeps. The court delivered its judgment last night."
    report = cache.checker().check(source=source, translation=translation)
    scored = [(len(s.source), s.signals.pseudo_reference_chrf) for s in report.segments if s.signals is not None]
    assert len(scored) == 2
    expected = sum(w * chrf for w, chrf in scored) / sum(w for w, _ in scored)
    assert cache.signals([source], [translation])[0]["pseudo-chrf"] == pytest.approx(expected)
