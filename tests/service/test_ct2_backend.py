"""The CTranslate2 backend (`contresens[ct2]`): conversion cache, agreement with the torch Translator."""

from __future__ import annotations

import json
import math
import shutil
import sys
from pathlib import Path

import pytest

from service.translate import ModelUnavailableError, Translator
from tests.conftest import SAMPLES, read

pytest.importorskip("ctranslate2", reason="the ct2 backend needs the optional extra: pip install 'contresens[ct2]'")

from service.ct2_backend import CT2Translator, cache_root, conversion_dir  # noqa: E402


def _sentences(name: str, lang: str, count: int = 4) -> list[str]:
    """The first sentences of a sample text (the French and reference English ones are aligned)."""
    from service.segment import split_sentences

    return [s.text for s in split_sentences(read(SAMPLES / name), lang)][:count]


FRENCH = _sentences("court-case.fr.txt", "fr")
ENGLISH = _sentences("court-case.ref.en.txt", "en")


@pytest.fixture(scope="module")
def ct2_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ct2-cache")


@pytest.fixture(scope="module")
def ct2_fp32(tiny_models: dict[str, Path], ct2_cache: Path) -> CT2Translator:
    return CT2Translator.load(str(tiny_models["fr-en"]), device="cpu", compute_type="float32", cache_dir=ct2_cache)


def test_conversion_goes_into_the_cache_and_is_reused(tiny_models: dict[str, Path], ct2_cache: Path,
                                                      ct2_fp32: CT2Translator,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    converted = conversion_dir(ct2_fp32.resolved, "float32", ct2_cache)
    import ctranslate2

    assert converted.parent == ct2_cache and converted.name.endswith(f"-float32-ct2-{ctranslate2.__version__}")
    assert ct2_fp32.resolved.revision.removeprefix("sha256:") in converted.name
    assert (converted / "model.bin").is_file()
    assert [p.name for p in ct2_cache.iterdir()] == [converted.name]  # no temporary directory left behind
    before = (converted / "model.bin").stat()

    import ctranslate2.converters

    def no_conversion(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cached conversion should have been reused")

    monkeypatch.setattr(ctranslate2.converters.TransformersConverter, "convert", no_conversion)
    again = CT2Translator.load(str(tiny_models["fr-en"]), device="cpu", compute_type="float32", cache_dir=ct2_cache)
    after = (converted / "model.bin").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert again.backend == "ct2" and again.dtype == "float32" and again.describe() == ct2_fp32.describe()


def _torch_logprobs_without_pad(translator: Translator, source: str, target: str) -> list[float]:
    """transformers forced decoding normalised without `<pad>`, which CTranslate2's converter drops from the
    vocabulary (transformers adds it to Marian's as the decoder start; its logit is 0 here, never -inf)."""
    import torch

    pad = int(translator.tokenizer.pad_token_id)
    target_ids = list(translator.tokenizer(text_target=target)["input_ids"])
    with torch.inference_mode():
        logits = translator.model(input_ids=torch.tensor([translator.source_ids(source)]),
                                  decoder_input_ids=torch.tensor([[pad] + target_ids[:-1]])).logits[0]
    logprobs = torch.log_softmax(logits[:, :pad].float(), dim=-1)  # <pad> is the last id
    return [float(logprobs[k, t]) for k, t in enumerate(target_ids)]


def test_float32_matches_the_torch_translator(fr_en: Translator, ct2_fp32: CT2Translator) -> None:
    assert ct2_fp32.max_positions == fr_en.max_positions
    for max_length in (4, 8):
        assert ct2_fp32.translate(FRENCH, beam_size=1, max_length=max_length) == fr_en.translate(
            FRENCH, beam_size=1, max_length=max_length)
    ref = fr_en.score(sources=FRENCH, targets=ENGLISH)
    got = ct2_fp32.score(sources=FRENCH, targets=ENGLISH)
    for source, a, b in zip(FRENCH, got, ref, strict=True):
        assert a.pieces == b.pieces and a.spans == b.spans and a.pieces[-1] == "</s>"
        exact = _torch_logprobs_without_pad(fr_en, source, a.text)
        assert max(abs(x - y) for x, y in zip(a.logprobs, exact, strict=True)) < 1e-4
        # against transformers' own normalisation, the difference is <pad>'s share: ct2 is a little higher
        assert all(-1e-4 < x - y < 1e-2 for x, y in zip(a.logprobs, b.logprobs, strict=True))


def test_int8_gives_results_of_the_same_shape(tiny_models: dict[str, Path], ct2_cache: Path, fr_en: Translator,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRESENS_CT2_CACHE", str(ct2_cache))
    other = Translator.load(str(tiny_models["fr-en"]), device="cpu", backend="ct2")  # the default: int8
    assert isinstance(other, CT2Translator) and other.backend == "ct2" and other.dtype == "int8"
    assert (conversion_dir(other.resolved, "int8", ct2_cache) / "model.bin").is_file()
    texts = FRENCH + [""]
    got = other.translate(texts, beam_size=2, max_length=8)
    assert len(got) == len(texts) and got[-1] == "" and all(isinstance(t, str) and t for t in got[:-1])
    ref = fr_en.score(sources=FRENCH, targets=ENGLISH)
    scores = other.score(sources=FRENCH, targets=ENGLISH)
    for a, b in zip(scores, ref, strict=True):
        assert a.pieces == b.pieces and a.spans == b.spans and len(a.logprobs) == len(b.logprobs)
        assert all(math.isfinite(v) and v <= 0 for v in a.logprobs)
        assert abs(a.mean_logprob - b.mean_logprob) < 0.5


def test_a_changed_model_is_converted_again(tiny_models: dict[str, Path], ct2_cache: Path,
                                            ct2_fp32: CT2Translator, tmp_path: Path) -> None:
    changed = tmp_path / "fr-en"
    shutil.copytree(tiny_models["fr-en"], changed)
    config = json.loads((changed / "config.json").read_text(encoding="utf-8"))
    (changed / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")  # same model, new bytes
    other = CT2Translator.load(str(changed), device="cpu", compute_type="float32", cache_dir=ct2_cache)
    assert other.resolved.revision != ct2_fp32.resolved.revision
    first, second = conversion_dir(ct2_fp32.resolved, "float32", ct2_cache), conversion_dir(other.resolved, "float32",
                                                                                           ct2_cache)
    assert first != second and (first / "model.bin").is_file() and (second / "model.bin").is_file()


def test_a_conversion_finished_first_by_another_process_is_kept(tiny_models: dict[str, Path], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import ctranslate2.converters

    from service.ct2_backend import convert
    from service.translate import resolve_model

    resolved = resolve_model(str(tiny_models["fr-en"]))
    target = conversion_dir(resolved, "int8", tmp_path)
    original = ctranslate2.converters.TransformersConverter.convert

    def racing(self: object, output_dir: str, *args: object, **kwargs: object) -> str:
        done = original(self, output_dir, *args, **kwargs)  # type: ignore[arg-type]
        shutil.copytree(output_dir, target)  # the other process renames its copy into place first
        (target / "winner").touch()
        return done

    monkeypatch.setattr(ctranslate2.converters.TransformersConverter, "convert", racing)
    assert convert(resolved, "int8", tmp_path) == target
    assert (target / "winner").is_file() and [p.name for p in tmp_path.iterdir()] == [target.name]


def test_cache_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CONTRESENS_CT2_CACHE", str(tmp_path / "env"))
    assert cache_root() == tmp_path / "env"
    assert cache_root(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("CONTRESENS_CT2_CACHE")
    assert cache_root().parts[-2:] == ("contresens", "ct2")


def test_missing_ctranslate2_says_how_to_install_it(tiny_models: dict[str, Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ctranslate2", None)
    with pytest.raises(ModelUnavailableError, match=r"pip install 'contresens\[ct2\]'"):
        Translator.load(str(tiny_models["fr-en"]), device="cpu", backend="ct2")
    with pytest.raises(ModelUnavailableError, match=r"pip install 'contresens\[ct2\]'") as info:
        CT2Translator.load(str(tiny_models["fr-en"]), device="cpu")
    # the install instruction is in the reason, so it survives the checker's `with_role` (which replaces the hint)
    assert "pip install 'contresens[ct2]'" in str(info.value.with_role("forward", "point --model elsewhere"))


def test_compute_type_comes_from_the_settings_into_the_signature(tiny_models: dict[str, Path], ct2_cache: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from service.checker import Checker
    from service.config import Settings

    monkeypatch.setenv("CONTRESENS_CT2_CACHE", str(ct2_cache))
    monkeypatch.setenv("CONTRESENS_CT2_COMPUTE_TYPE", "float32")
    checker = Checker.from_settings(Settings(forward_model=str(tiny_models["fr-en"]),
                                             backward_model=str(tiny_models["en-fr"]), backend="ct2", cache=False))
    assert checker.forward is not None and checker.forward.dtype == "float32"
    assert "|backend:ct2|dtype:float32|decoder:plain|" in checker.signature
    greedy = Checker.from_settings(Settings(forward_model=str(tiny_models["fr-en"]), beam_size=1, cache=False,
                                            backward_model=str(tiny_models["en-fr"]), backend="ct2"))
    assert "|decoder:plain|" in greedy.signature  # CTranslate2 decodes on its own: no draft decoder
    assert greedy.check(source="Le parquet a fait appel.", translation="The prosecution appealed.").segments
    with pytest.raises(ValueError, match="needs a torch backend"):
        Checker.from_settings(Settings(forward_model=str(tiny_models["fr-en"]), beam_size=1, decoder="draft",
                                       backward_model=str(tiny_models["en-fr"]), backend="ct2", cache=False))
    with pytest.raises(ValueError, match="compute_type is for the ct2 backend"):
        Translator.load(str(tiny_models["fr-en"]), device="cpu", backend="int8", compute_type="int8")


def test_a_model_with_a_learnt_decoder_start_embedding_is_refused(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    import torch
    from safetensors.torch import load_file, save_file

    from service.translate import BackendUnavailableError

    trained = tmp_path / "trained-fr-en"
    shutil.copytree(tiny_models["fr-en"], trained)
    config = json.loads((trained / "config.json").read_text(encoding="utf-8"))
    weights = load_file(str(trained / "model.safetensors"))
    name = next(n for n in ("model.shared.weight", "model.decoder.embed_tokens.weight") if n in weights)
    assert float(weights[name][config["decoder_start_token_id"]].abs().max()) == 0.0  # as opus-mt: CT2 is exact
    weights[name][config["decoder_start_token_id"]] = torch.full_like(weights[name][0], 0.25)
    save_file(weights, str(trained / "model.safetensors"), metadata={"format": "pt"})
    with pytest.raises(BackendUnavailableError, match=r"decoder start token .* non-zero embedding.*--backend int8"):
        CT2Translator.load(str(trained), device="cpu", cache_dir=tmp_path / "ct2")
    assert not (tmp_path / "ct2").exists() or not any((tmp_path / "ct2").iterdir())  # nothing converted
