"""Translator: loading, batching invariance, forced decoding, long inputs, offline errors."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
import torch

from service.translate import ModelUnavailableError, Translator, resolve_model

SOURCES = [
    "Le parquet de Paris a ouvert une enquête préliminaire.",
    "Il a été placé en garde à vue mardi.",
    "Le juge d'instruction a ordonné une expertise.",
    "",
    "Trois personnes ont été interpellées.",
    "Mme Martin, 22 ans, a été mise en examen pour escroquerie en bande organisée.",
]
TARGETS = [
    "The Paris prosecutor's office opened a preliminary investigation.",
    "He was taken into police custody on Tuesday.",
    "The investigating judge ordered an expert report.",
    "",
    "Three people were arrested.",
    "Ms Martin, 22, was placed under formal investigation for organised fraud.",
]


def test_loads_local_directory_with_content_revision(fr_en: Translator, tiny_models: dict[str, Path]) -> None:
    assert fr_en.device == "cpu"
    assert fr_en.dtype == "float32"
    assert (fr_en.source_lang, fr_en.target_lang) == ("fr", "en")
    assert fr_en.max_positions == 512
    assert fr_en.describe() == f"{tiny_models['fr-en']}@{fr_en.resolved.revision}"
    assert fr_en.resolved.revision.startswith("sha256:")
    # the revision is a content hash: same files, same revision
    assert resolve_model(str(tiny_models["fr-en"])).revision == fr_en.resolved.revision


def test_translate_keeps_order_and_is_batching_invariant(fr_en: Translator) -> None:
    one_batch = fr_en.translate(SOURCES, beam_size=2, max_length=16, batch_size=16)
    singles = [fr_en.translate([s], beam_size=2, max_length=16)[0] for s in SOURCES]
    reversed_small = fr_en.translate(SOURCES[::-1], beam_size=2, max_length=16, batch_size=2)[::-1]
    assert one_batch == singles == reversed_small
    assert len(one_batch) == len(SOURCES)
    assert one_batch[3] == ""  # empty text: empty translation, no model call
    assert all(t for i, t in enumerate(one_batch) if i != 3)


def test_score_equals_minus_model_loss(fr_en: Translator) -> None:
    scores = fr_en.score(sources=SOURCES[:3], targets=TARGETS[:3])
    for source, target, result in zip(SOURCES, TARGETS, scores):
        encoded = fr_en.tokenizer([source], text_target=[target], return_tensors="pt")
        with torch.inference_mode():
            loss = fr_en.model(**encoded).loss.item()
        assert result.mean_logprob == pytest.approx(-loss, abs=1e-5)
        assert len(result.logprobs) == encoded["labels"].shape[1]
        assert all(lp <= 0 for lp in result.logprobs)


def test_score_is_batching_invariant(fr_en: Translator) -> None:
    batched = fr_en.score(sources=SOURCES, targets=TARGETS, batch_size=16)
    single = [fr_en.score(sources=[s], targets=[t])[0] for s, t in zip(SOURCES, TARGETS)]
    for a, b in zip(batched, single):
        assert a.pieces == b.pieces and a.spans == b.spans
        assert a.logprobs == pytest.approx(b.logprobs, abs=1e-5)


def test_score_spans_cover_the_target_characters(fr_en: Translator) -> None:
    target = "Mme Martin, « 22 ans », a été mise en examen à Créteil."
    result = fr_en.score(sources=["x"], targets=[target])[0]
    assert result.pieces[-1] == "</s>" and result.spans[-1] == (len(target), len(target))
    rebuilt = "".join(target[a:b] for a, b in result.spans)
    assert rebuilt == target  # spans are contiguous, in order, and cover every character
    for piece, (a, b) in zip(result.pieces[:-1], result.spans[:-1]):
        assert target[a:b].replace(" ", "▁") == piece or piece == "<unk>" or a == b


def test_score_rejects_mismatched_lengths(fr_en: Translator) -> None:
    with pytest.raises(ValueError, match="as many sources as targets"):
        fr_en.score(sources=["a", "b"], targets=["a"])


def test_long_inputs_are_split_not_truncated(fr_en: Translator) -> None:
    sentence = "Le parquet de Paris a ouvert une enquête préliminaire pour escroquerie en bande organisée."
    long_text = " ".join([sentence] * 40)
    assert fr_en._source_length(long_text) > fr_en.max_positions
    chunks = fr_en._chunks(long_text)
    assert len(chunks) > 1
    assert all(fr_en._source_length(c) <= fr_en.max_positions - 2 for c in chunks)
    assert " ".join(chunks).split() == long_text.split()  # every word kept, in order
    # a single sentence with no punctuation longer than the model is cut at spaces
    words = " ".join(f"mot{i}" for i in range(400))
    assert all(fr_en._source_length(c) <= fr_en.max_positions - 2 for c in fr_en._chunks(words))
    assert " ".join(fr_en._chunks(words)) == words

    out = fr_en.translate([long_text, "Bonjour."], beam_size=1, max_length=8)
    assert len(out) == 2 and len(out[0]) > len(out[1])

    scored = fr_en.score(sources=[long_text], targets=[long_text])[0]
    assert len(scored.pieces) > fr_en.max_positions  # all target tokens scored
    assert scored.pieces.count("</s>") == 1
    assert "".join(long_text[a:b] for a, b in scored.spans) == long_text


def test_missing_hub_model_offline_says_which_and_how(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    with pytest.raises(ModelUnavailableError) as info:
        Translator.load("Helsinki-NLP/opus-mt-fr-en", offline=True)
    message = str(info.value)
    assert "Helsinki-NLP/opus-mt-fr-en" in message
    assert "local Hugging Face cache" in message
    assert "--local-dir" in message


def test_missing_or_incomplete_directory(tmp_path: Path, tiny_models: dict[str, Path]) -> None:
    with pytest.raises(ModelUnavailableError, match="no such directory"):
        Translator.load(str(tmp_path / "nowhere" / "fr-en"))
    broken = tmp_path / "broken"
    shutil.copytree(tiny_models["fr-en"], broken)
    (broken / "source.spm").unlink()
    (broken / "model.safetensors").unlink()
    with pytest.raises(ModelUnavailableError, match=r"missing source\.spm, model\.safetensors or pytorch_model\.bin"):
        Translator.load(str(broken))


def test_mean_logprob_of_empty_scores_is_zero() -> None:
    from service.translate import TokenScores

    assert TokenScores("", (), (), ()).mean_logprob == 0.0
    assert TokenScores("a", ("▁a", "</s>"), (math.log(0.5), math.log(0.25)), ((0, 1), (1, 1))).mean_logprob == (
        pytest.approx(math.log(0.5 * 0.25) / 2)
    )


def test_auto_device_prefers_cuda(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.translate import pick_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert pick_device("auto") == "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert pick_device("auto") == "cpu"
    assert pick_device("cuda") == "cuda" and pick_device("cpu") == "cpu"


def test_invalid_hub_id_is_named() -> None:
    with pytest.raises(ModelUnavailableError, match="neither a local directory nor a usable hub id"):
        resolve_model("not a model id!", offline=True)
