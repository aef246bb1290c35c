"""Backends behind one interface (fp32, int8, bf16; ct2 in test_ct2_backend.py), token-budget batching,
tokenization once per text, and checking many documents with shared model calls."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from service.checker import Checker, Document
from service.config import Settings
from service.translate import Translator, batches

FRENCH = ["Le parquet de Paris a ouvert une enquête.", "Il a été placé en garde à vue mardi.",
          "Trois personnes ont été interpellées à Évry et à Créteil ce matin.", ""]
ENGLISH = ["The Paris prosecutor's office opened an investigation.", "He was taken into police custody on Tuesday.",
           "Three people were arrested in Évry and Créteil this morning.", ""]


def test_batches_respect_count_and_token_budget() -> None:
    lengths = [50, 40, 30, 30, 10, 5]
    order = [0, 1, 2, 3, 4, 5]
    assert batches(order, lengths, 3, 10_000) == [[0, 1, 2], [3, 4, 5]]
    assert batches(order, lengths, 10, 100) == [[0, 1], [2, 3, 4], [5]]  # 50 x 2 = 100 fits, 50 x 3 does not
    assert batches([0, 1], [500, 1], 10, 100) == [[0], [1]]  # an item over the budget goes alone
    assert batches([], [], 4, 100) == []


@pytest.mark.parametrize("backend", ["int8", "bf16"])
def test_backends_give_results_of_the_same_shape(tiny_models: dict[str, Path], fr_en: Translator,
                                                 backend: str) -> None:
    other = Translator.load(str(tiny_models["fr-en"]), device="cpu", backend=backend)
    assert other.backend == backend and other.dtype == {"int8": "int8", "bf16": "bfloat16"}[backend]
    got = other.translate(FRENCH, beam_size=1, max_length=8)
    assert len(got) == len(FRENCH) and got[-1] == "" and all(isinstance(t, str) and t for t in got[:-1])
    ref = fr_en.score(sources=FRENCH[:3], targets=ENGLISH[:3])
    scores = other.score(sources=FRENCH[:3], targets=ENGLISH[:3])
    for a, b in zip(scores, ref, strict=True):
        assert a.pieces == b.pieces and a.spans == b.spans and len(a.logprobs) == len(b.logprobs)
        assert all(math.isfinite(v) and v <= 0 for v in a.logprobs)
        assert abs(a.mean_logprob - b.mean_logprob) < 0.5  # close to fp32, not equal


def test_int8_loads_without_torch_quantization_warnings(tiny_models: dict[str, Path]) -> None:
    """torch 2.13 warns on every eager-mode quantization; a CLI user with --backend int8 sees none of it."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = Translator.load(str(tiny_models["fr-en"]), device="cpu", backend="int8")
    assert model.dtype == "int8"
    assert [str(w.message)[:60] for w in caught if "quantiz" in str(w.message)] == []


def test_backend_errors_are_clear(tiny_models: dict[str, Path]) -> None:
    with pytest.raises(ValueError, match="unknown backend 'fp8'"):
        Translator.load(str(tiny_models["fr-en"]), backend="fp8")
    with pytest.raises(ValueError, match="fp16 backend needs a GPU"):
        Translator.load(str(tiny_models["fr-en"]), device="cpu", backend="fp16")


def test_each_text_is_tokenized_once(fr_en: Translator, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    tokenizer = fr_en.tokenizer
    original = type(tokenizer).__call__

    def counting(self: object, text: object = None, *args: object, **kwargs: object) -> object:
        if isinstance(text, str):
            calls.append(text)
        return original(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(type(tokenizer), "__call__", counting)
    fr_en._ids.clear()
    fr_en.translate(FRENCH[:2], beam_size=1, max_length=8)
    fr_en.score(sources=FRENCH[:2], targets=ENGLISH[:2])
    assert sorted(c for c in calls if c in FRENCH) == sorted(FRENCH[:2])  # sources: once across both calls


def test_check_many_equals_check_one_by_one(tiny_models: dict[str, Path]) -> None:
    settings = Settings(forward_model=str(tiny_models["fr-en"]), backward_model=str(tiny_models["en-fr"]),
                        beam_size=1, max_length=8, cache=False)
    checker = Checker.from_settings(settings)
    documents = [Document(f, e) for f, e in zip(FRENCH[:3], ENGLISH[:3], strict=True)]
    documents.insert(1, Document("Le tribunal a rendu son jugement. Le prévenu a fait appel.",
                                 "The court delivered its judgment. The defendant appealed."))  # two segments
    together = checker.check_many(documents)
    alone = [checker.check(source=d.source, translation=d.translation) for d in documents]
    for a, b in zip(together, alone, strict=True):
        assert a.flags == b.flags and a.verdict == b.verdict and a.signature == b.signature
        assert [s.back_translation for s in a.segments] == [s.back_translation for s in b.segments]
        assert [s.flags for s in a.segments] == [s.flags for s in b.segments]
        assert a.score == pytest.approx(b.score, abs=1e-3)
    assert len(together[1].segments) == 2 and together[1].segments[1].back_translation == (
        alone[1].segments[1].back_translation)


def test_checker_cache_makes_a_rerun_free_and_the_signature_names_the_backend(tiny_models: dict[str, Path],
                                                                              tmp_path: Path) -> None:
    settings = Settings(forward_model=str(tiny_models["fr-en"]), backward_model=str(tiny_models["en-fr"]),
                        beam_size=1, max_length=8, cache=True, cache_path=str(tmp_path / "c.sqlite3"))
    first = Checker.from_settings(settings)
    documents = [Document(f, e) for f, e in zip(FRENCH[:3], ENGLISH[:3], strict=True)]
    reports = first.check_many(documents)
    assert "|backend:fp32|dtype:float32|" in reports[0].signature
    again = Checker.from_settings(settings)  # a new process would see the same file
    assert again.check_many(documents) == reports  # whole reports from the report cache
    assert again.report_cache is not None and again.report_cache.cache.stats.hits >= 3
    assert again.forward.stats.items == 0 and again.backward.stats.items == 0  # type: ignore[union-attr]

    # other checks: another signature, so the reports are computed again, but the model results are cached
    other = again.check_many(documents, checks=["numbers"])
    assert "|checks:numbers|" in other[0].signature and other != reports
    assert again.forward.stats.model_calls == 0 and again.backward.stats.model_calls == 0  # type: ignore[union-attr]
    assert again.forward.stats.hits > 0  # type: ignore[union-attr]
    assert [r.segments[0].back_translation for r in other] == [r.segments[0].back_translation for r in reports]


def test_report_cache_key_names_signature_texts_and_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from service import report_cache

    key = report_cache.ReportCache.key("sig", "src", "mt", None)
    assert key == report_cache.ReportCache.key("sig", "src", "mt", None)
    assert len({key, report_cache.ReportCache.key("sig2", "src", "mt", None),
                report_cache.ReportCache.key("sig", "src", "mt", ""),
                report_cache.ReportCache.key("sig", "src", "mt2", None),
                report_cache.ReportCache.key("sig", "srcmt", "", None)}) == 5
    monkeypatch.setattr(report_cache, "code_fingerprint", lambda: "changed-code")
    assert report_cache.ReportCache.key("sig", "src", "mt", None) != key  # edited checks never reuse old reports
