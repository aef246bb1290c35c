"""Draft-verified greedy decoding (`service.draft_decoding`) gives greedy search's output, token for token,
whatever the draft: the model's own output (accepted in one pass), that output with tokens substituted,
dropped or inserted, or an unrelated text; and its first pass is the forced decoding `score` computes.

Tiny random models (built by the tests) never agree with a real draft, so the drafts that exercise
acceptance and re-synchronisation are made from the model's own greedy output."""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
import torch

from service.batching import DynamicBatcher
from service.cache import CachedModel, TranslationCache
from service.checker import Checker
from service.config import Settings
from service.draft_decoding import DraftDecoder, GreedyRules, rules_for
from service.translate import Translator

SOURCES = [
    "Le parquet a requis trois ans de prison contre le prévenu.",
    "Il a été placé en garde à vue mardi soir.",
    "La cour d'appel rendra sa décision le 12 mars.",
    "Le juge d'instruction a mis en examen deux hommes pour escroquerie.",
    "Selon le procureur, les faits remontent à 2019.",
    "Oui.",
]
DRAFTS = [
    "The prosecutor's office requested three years in prison against the defendant.",
    "He was taken into police custody on Tuesday evening.",
    "The court of appeal will deliver its decision on 12 March.",
    "The investigating judge placed two men under formal investigation for fraud.",
    "According to the prosecutor, the events date back to 2019.",
    "Yes.",
]
MAX_LENGTH = 20


def _plain_ids(translator: Translator, texts: list[str], max_length: int = MAX_LENGTH) -> list[list[int]]:
    """Greedy search's output ids (without the start token, up to and with the end token) by `generate`."""
    ids, mask = translator._padded([translator.source_ids(t) for t in texts])
    with torch.inference_mode():
        out = translator.model.generate(input_ids=ids, attention_mask=mask, num_beams=1, do_sample=False,
                                        max_length=max_length)
    eos, pad = translator.model.config.eos_token_id, translator.tokenizer.pad_token_id
    rows = []
    for row in out.tolist():
        tokens = row[1:]
        rows.append(tokens[: tokens.index(eos) + 1] if eos in tokens else [t for t in tokens if t != pad])
    return rows


def _decode(translator: Translator, texts: list[str], drafts: list[list[int]], max_length: int = MAX_LENGTH) -> Any:
    config = translator.model.config
    rules, why = rules_for(translator.model.generation_config, translator.tokenizer.pad_token_id)
    assert rules is not None, why
    decoder = DraftDecoder(translator.model, start_id=config.decoder_start_token_id, eos_id=config.eos_token_id,
                           pad_id=translator.tokenizer.pad_token_id, rules=rules)
    ids, mask = translator._padded([translator.source_ids(t) for t in texts])
    with torch.inference_mode():
        encoder = translator.model.model.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        return decoder.decode(encoder, mask, drafts, max_length=max_length)


def _perturbed(ids: list[int], rng: random.Random, vocab: int, eos: int) -> list[int]:
    """`ids` with a token substituted, one dropped and one inserted (the end token kept last)."""
    body = list(ids[:-1])
    for _ in range(3):
        if not body:
            break
        where = rng.randrange(len(body))
        kind = rng.choice(("substitute", "drop", "insert"))
        if kind == "substitute":
            body[where] = rng.randrange(1, vocab - 1)
        elif kind == "drop":
            del body[where]
        else:
            body.insert(where, rng.randrange(1, vocab - 1))
    return [*body, eos]


def test_the_models_own_output_is_accepted_in_one_pass(fr_en: Translator) -> None:
    plain = _plain_ids(fr_en, SOURCES)
    tokens, _, stats = _decode(fr_en, SOURCES, plain)
    assert tokens == plain
    assert stats.per_sentence_passes == [1] * len(SOURCES) and stats.passes == 1


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_perturbed_and_unrelated_drafts_give_greedy_output(fr_en: Translator, seed: int) -> None:
    plain = _plain_ids(fr_en, SOURCES)
    rng = random.Random(seed)
    vocab, eos = fr_en.model.config.vocab_size, fr_en.model.config.eos_token_id
    perturbed = [_perturbed(ids, rng, vocab, eos) for ids in plain]
    tokens, _, stats = _decode(fr_en, SOURCES, perturbed)
    assert tokens == plain
    assert stats.passes > 1  # the perturbations were noticed and corrected
    unrelated = [fr_en.tokenizer(text_target=t)["input_ids"] for t in DRAFTS]
    tokens, _, _ = _decode(fr_en, SOURCES, unrelated)
    assert tokens == plain


def test_a_banned_token_is_never_emitted_as_generate_bans_it(tiny_models: dict[str, Path]) -> None:
    translator = Translator.load(str(tiny_models["fr-en"]), device="cpu")
    plain = _plain_ids(translator, SOURCES)
    banned = max(set(t for row in plain for t in row) - {translator.model.config.eos_token_id})
    translator.model.generation_config.bad_words_ids = [[banned]]
    rules, _ = rules_for(translator.model.generation_config, translator.tokenizer.pad_token_id)
    assert rules == GreedyRules((banned,), translator.model.config.eos_token_id)
    expected = _plain_ids(translator, SOURCES)
    assert expected != plain and all(banned not in row for row in expected)
    tokens, _, _ = _decode(translator, SOURCES, plain)  # the draft holds the banned token: it is rejected
    assert tokens == expected


def test_translate_and_score_is_translate_plus_score(fr_en: Translator) -> None:
    texts, scores = fr_en.translate_and_score(SOURCES, DRAFTS, beam_size=1, max_length=MAX_LENGTH, decoder="draft")
    assert texts == fr_en.translate(SOURCES, beam_size=1, max_length=MAX_LENGTH)
    expected = fr_en.score(sources=SOURCES, targets=DRAFTS)
    for got, want in zip(scores, expected, strict=True):
        assert (got.text, got.pieces, got.spans) == (want.text, want.pieces, want.spans)
        assert got.logprobs == pytest.approx(want.logprobs, abs=1e-5)


def test_pairs_the_model_cannot_take_whole_go_the_plain_way(fr_en: Translator) -> None:
    long_source = " ".join(SOURCES * 40)  # beyond the model's 512 positions: split by translate()
    sources, drafts = [long_source, SOURCES[0], "   "], [" ".join(DRAFTS * 40), DRAFTS[0], DRAFTS[1]]
    texts, scores = fr_en.translate_and_score(sources, drafts, beam_size=1, max_length=MAX_LENGTH, decoder="draft")
    assert texts == fr_en.translate(sources, beam_size=1, max_length=MAX_LENGTH)
    assert [s.pieces for s in scores] == [s.pieces for s in fr_en.score(sources=sources, targets=drafts)]


def test_the_decoder_that_runs(fr_en: Translator) -> None:
    assert fr_en.decoder_for("auto", 1) == "draft"
    assert fr_en.decoder_for("auto", 4) == "shared"  # beam search: generate and forced decoding share the encoder
    assert fr_en.decoder_for("plain", 1) == "plain"
    assert fr_en.decoder_for("shared", 1) == "shared"
    with pytest.raises(ValueError, match="beam search"):
        fr_en.decoder_for("draft", 4)
    with pytest.raises(ValueError, match="unknown decoder"):
        fr_en.decoder_for("fast", 1)


def test_a_generation_config_it_cannot_follow_falls_back(tiny_models: dict[str, Path]) -> None:
    translator = Translator.load(str(tiny_models["fr-en"]), device="cpu")
    translator.model.generation_config.no_repeat_ngram_size = 3
    assert "no_repeat_ngram_size" in translator.draft_support()
    assert translator.decoder_for("auto", 1) == "shared"  # generate follows its own config
    with pytest.raises(ValueError, match="no_repeat_ngram_size"):
        translator.decoder_for("draft", 1)
    texts, _ = translator.translate_and_score(SOURCES, DRAFTS, beam_size=1, max_length=MAX_LENGTH)
    assert texts == translator.translate(SOURCES, beam_size=1, max_length=MAX_LENGTH)


def test_the_checker_reports_the_same_with_either_decoder(tiny_models: dict[str, Path]) -> None:
    settings = {"forward_model": str(tiny_models["fr-en"]), "backward_model": str(tiny_models["en-fr"]),
                "device": "cpu", "beam_size": 1, "max_length": MAX_LENGTH, "cache": False}
    plain = Checker.from_settings(Settings(decoder="plain", **settings))
    draft = Checker.from_settings(Settings(decoder="auto", **settings))
    assert "|decoder:plain|" in plain.signature and "|decoder:draft|" in draft.signature
    for source, translation in zip(SOURCES, DRAFTS, strict=True):
        a = plain.check(source=source, translation=translation).model_dump()
        b = draft.check(source=source, translation=translation).model_dump()
        a.pop("signature"), b.pop("signature")
        assert a == b
    with pytest.raises(ValueError, match="beam search"):
        Checker.from_settings(Settings(decoder="draft", **{**settings, "beam_size": 4}))


def test_the_cache_keeps_draft_results_apart_and_answers_repeats(fr_en: Translator, tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    cached = CachedModel(fr_en, cache)
    first = cached.translate_and_score(SOURCES, DRAFTS, beam_size=1, max_length=MAX_LENGTH)
    calls = cached.stats.model_calls
    again = cached.translate_and_score(SOURCES, DRAFTS, beam_size=1, max_length=MAX_LENGTH)
    assert again == first and cached.stats.model_calls == calls  # answered from the cache
    entries = len(cache)
    cached.translate_and_score(SOURCES, DRAFTS, beam_size=1, max_length=MAX_LENGTH, decoder="plain")
    assert len(cache) == entries + 2 * len(SOURCES)  # the plain decoder's results have keys of their own
    cache.close()


def test_the_batcher_merges_concurrent_calls(fr_en: Translator) -> None:
    expected = fr_en.translate_and_score(SOURCES, DRAFTS, beam_size=1, max_length=MAX_LENGTH)
    with DynamicBatcher(fr_en, max_wait_ms=200.0) as batcher:
        barrier = threading.Barrier(len(SOURCES))
        results: dict[int, Any] = {}

        def call(i: int) -> None:
            barrier.wait()
            results[i] = batcher.translate_and_score([SOURCES[i]], [DRAFTS[i]], beam_size=1, max_length=MAX_LENGTH)

        threads = [threading.Thread(target=call, args=(i,)) for i in range(len(SOURCES))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        stats = batcher.stats
    assert [results[i][0][0] for i in range(len(SOURCES))] == expected[0]
    for i, want in enumerate(expected[1]):
        assert results[i][1][0].logprobs == pytest.approx(want.logprobs, abs=1e-5)
    assert stats.model_calls < len(SOURCES) and stats.requests == len(SOURCES)


def test_an_output_shortlist_chooses_among_its_pieces(tiny_models: dict[str, Path]) -> None:
    translator = Translator.load(str(tiny_models["fr-en"]), device="cpu")
    full, full_scores = translator.translate_and_score(SOURCES, DRAFTS, beam_size=1, max_length=MAX_LENGTH)
    config = translator.model.config
    rules, _ = rules_for(translator.model.generation_config, translator.tokenizer.pad_token_id)
    assert rules is not None
    decoder = DraftDecoder(translator.model, start_id=config.decoder_start_token_id, eos_id=config.eos_token_id,
                           pad_id=translator.tokenizer.pad_token_id, rules=rules)
    ids, mask = translator._padded([translator.source_ids(t) for t in SOURCES])
    drafts = [translator.tokenizer(text_target=t)["input_ids"] for t in DRAFTS]
    with torch.inference_mode():
        encoder = translator.model.model.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        whole = decoder.decode(encoder, mask, drafts, max_length=MAX_LENGTH)[0]
        every = decoder.decode(encoder, mask, drafts, max_length=MAX_LENGTH, shortlist=range(config.vocab_size))[0]
    assert every == whole  # a shortlist of every id is the whole vocabulary
    frequent = translator.frequent_pieces(5)
    assert len(frequent) == 5 and len(set(frequent)) == 5
    allowed = set(frequent) | {i for d in drafts for i in d} | {i for row in ids.tolist() for i in row}
    with torch.inference_mode():
        short = decoder.decode(encoder, mask, drafts, max_length=MAX_LENGTH, shortlist=sorted(allowed))[0]
    assert all(set(row) <= allowed | {config.eos_token_id} for row in short)
    plain = _plain_ids(translator, SOURCES)
    assert (short != plain) == any(set(row) - allowed for row in plain)  # changed only where it had to
    translator.shortlist = 5  # through the Translator: the batch's pieces and the 5 most frequent
    _, scores = translator.translate_and_score(SOURCES, DRAFTS, beam_size=1, max_length=MAX_LENGTH)
    assert [s.logprobs for s in scores] == [s.logprobs for s in full_scores]  # forced decoding: whole vocabulary


def test_the_shortlist_is_in_the_signature_and_refused_where_it_cannot_run(tiny_models: dict[str, Path]) -> None:
    settings = {"forward_model": str(tiny_models["fr-en"]), "backward_model": str(tiny_models["en-fr"]),
                "device": "cpu", "beam_size": 1, "max_length": MAX_LENGTH, "cache": False}
    checker = Checker.from_settings(Settings(shortlist=100, **settings))
    assert "|decoder:draft+shortlist100|" in checker.signature
    with pytest.raises(ValueError, match="quantized"):
        Checker.from_settings(Settings(shortlist=100, backend="int8", **settings))


def test_beam_search_shares_the_encoder_and_gives_the_plain_results(fr_en: Translator) -> None:
    texts, scores = fr_en.translate_and_score(SOURCES, DRAFTS, beam_size=4, max_length=MAX_LENGTH)
    assert texts == fr_en.translate(SOURCES, beam_size=4, max_length=MAX_LENGTH)
    for got, want in zip(scores, fr_en.score(sources=SOURCES, targets=DRAFTS), strict=True):
        assert got.pieces == want.pieces and got.logprobs == pytest.approx(want.logprobs, abs=1e-5)


def test_a_good_draft_is_verified_many_tokens_a_pass(fr_en: Translator) -> None:
    # the model's own output with one token changed early: greedy leaves the draft once, then the
    # re-synchronised rest is proposed and accepted in a few passes instead of one pass per token
    plain = _plain_ids(fr_en, SOURCES)
    vocab = fr_en.model.config.vocab_size
    drafts = [[*ids[:2], (ids[2] + 1) % (vocab - 1) or 1, *ids[3:]] if len(ids) > 4 else ids for ids in plain]
    tokens, _, stats = _decode(fr_en, SOURCES, drafts)
    assert tokens == plain
    long_rows = [p for p, ids in zip(stats.per_sentence_passes, plain, strict=True) if len(ids) > 4]
    assert long_rows and max(long_rows) <= 4 < min(len(ids) for ids in plain if len(ids) > 4)
    assert stats.accepted > 0 and stats.as_dict()["tokens_per_pass"] > 3
