"""eval.bench_ceiling: the work counted per segment matches what torch counts, and the pass rates come from
real model calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.bench_ceiling import EXTENSIONS, Shape, cpu_extensions, implied_check_rate, pass_rates
from eval.opus_arch import OPUS_MT_CONFIG
from service.translate import Translator


def test_opus_mt_costs_are_the_known_figures() -> None:
    from transformers import MarianConfig

    shape = Shape.of(MarianConfig(**OPUS_MT_CONFIG))
    assert shape == Shape(d_model=512, ffn=2048, encoder_layers=6, decoder_layers=6, vocab=59514)
    assert shape.encoder_token() == 6 * (4 * 512**2 + 2 * 512 * 2048) == 18_874_368
    assert shape.decoder_token() == 6 * (6 * 512**2 + 2 * 512 * 2048) + 512 * 59514 == 52_491_264
    # a 25-word news sentence: ~44 French, ~36 English tokens, 48 generated a side: ~12.8 G multiply-adds
    assert shape.segment(44.3, 36.2, 48) == pytest.approx(12.8e9, rel=0.01)


def test_pass_cost_matches_torchs_count_of_the_linear_layers(fr_en: Translator) -> None:
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    model = fr_en.model
    source = fr_en.source_ids("Le parquet de Paris a ouvert une enquête mardi soir.")
    target = fr_en.tokenizer(text_target="The Paris prosecutor's office opened an investigation.")["input_ids"]
    counter = FlopCounterMode(display=False)
    with torch.inference_mode(), counter:
        model(input_ids=torch.tensor([source]), decoder_input_ids=torch.tensor([target]))
    counts = counter.get_flop_counts()["Global"]
    linear = sum(v for op, v in counts.items() if "mm" in str(op) and "bmm" not in str(op))
    shape = Shape.of(model.config)
    assert linear / 2 == shape.pass_cost(len(source), len(target))


def test_implied_rate_adds_the_times_of_the_passes() -> None:
    assert implied_check_rate({"a": 10.0, "b": 10.0, "c": 10.0, "d": 10.0}) == pytest.approx(2.5)
    assert implied_check_rate({"a": 160.0, "b": 160.0, "c": 160.0, "d": 160.0}) == pytest.approx(40.0)


def test_cpu_extensions_lists_each_known_flag() -> None:
    found = cpu_extensions()
    assert list(found) == list(EXTENSIONS) and all(isinstance(v, bool) for v in found.values())
    if Path("/proc/cpuinfo").exists():
        flags = next(line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags"))
        assert found["avx2"] == (" avx2" in flags)


def test_pass_rates_time_each_pass_with_real_models(fr_en: Translator, en_fr: Translator) -> None:
    pairs = [("Le parquet a ouvert une enquête.", "The prosecutor's office opened an investigation."),
             ("Il a été placé en garde à vue.", "He was taken into police custody.")]
    rates = pass_rates(fr_en, en_fr, pairs, max_length=8, batch_size=2)
    assert list(rates) == ["generate fr->en", "generate en->fr", "score fr->en", "score en->fr"]
    assert all(r > 0 for r in rates.values())


def test_work_per_check_with_one_encoder_pass_and_draft_verification() -> None:
    shape = Shape(d_model=512, ffn=2048, encoder_layers=6, decoder_layers=6, vocab=59514)
    plain = shape.segment(44, 36, 48)
    shared = shape.segment_shared(44, 36, 48)
    encoder = shape.encoder_token() + shape.cross_keys()
    assert plain - shared == pytest.approx(encoder * (44 + 36))  # two of the four encoder passes saved
    half = shape.segment_shared(44, 36, 48, positions_per_token=0.5)
    assert shared - half == pytest.approx(shape.decoder_token() * 48)  # half of both generations' positions
