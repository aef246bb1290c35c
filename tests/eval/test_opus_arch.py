"""eval.opus_arch: a random-weight model with the opus-mt-fr-en architecture loads and runs like the real one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval import opus_arch
from eval.opus_arch import OPUS_MT_CONFIG, OPUS_MT_GENERATION_CONFIG, VOCAB_SIZE, build_random_opus_mt

FRENCH = "Le tribunal a rendu son jugement."


@pytest.fixture(scope="module")
def opus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_random_opus_mt(tmp_path_factory.mktemp("opus") / "fr-en", source_lang="fr", target_lang="en")


@pytest.fixture(scope="module")
def opus(opus_dir: Path):
    from service.translate import Translator

    return Translator.load(str(opus_dir), device="cpu")


def test_every_config_value_reaches_the_marian_config() -> None:
    from transformers import MarianConfig

    config = MarianConfig(**OPUS_MT_CONFIG).to_dict()
    assert {key: config.get(key) for key in OPUS_MT_CONFIG} == OPUS_MT_CONFIG


def test_directory_has_the_files_of_a_downloaded_opus_mt_model(opus_dir: Path) -> None:
    names = {"config.json", "generation_config.json", "model.safetensors", "source.spm", "target.spm", "vocab.json",
             "tokenizer_config.json"}
    assert names <= {p.name for p in opus_dir.iterdir()}
    vocab = json.loads((opus_dir / "vocab.json").read_text(encoding="utf-8"))
    assert len(vocab) == VOCAB_SIZE
    assert sorted(vocab.values()) == list(range(VOCAB_SIZE))
    assert (vocab["</s>"], vocab["<unk>"], vocab["<pad>"]) == (0, 1, VOCAB_SIZE - 1)
    generation = json.loads((opus_dir / "generation_config.json").read_text(encoding="utf-8"))
    assert {key: generation.get(key) for key in OPUS_MT_GENERATION_CONFIG} == OPUS_MT_GENERATION_CONFIG


def test_loaded_model_has_the_opus_mt_architecture(opus) -> None:
    config = opus.model.config
    assert (config.d_model, config.encoder_layers, config.decoder_layers) == (512, 6, 6)
    assert (config.encoder_attention_heads, config.decoder_attention_heads) == (8, 8)
    assert (config.encoder_ffn_dim, config.decoder_ffn_dim) == (2048, 2048)
    assert (config.vocab_size, config.max_position_embeddings, config.activation_function) == (VOCAB_SIZE, 512, "swish")
    assert config.scale_embedding and config.share_encoder_decoder_embeddings
    assert (config.pad_token_id, config.decoder_start_token_id, config.eos_token_id) == (VOCAB_SIZE - 1, VOCAB_SIZE - 1, 0)
    parameters = sum(p.numel() for p in opus.model.parameters())
    assert 74_000_000 <= parameters <= 78_000_000
    assert opus.dtype == "float32"
    assert opus.max_positions == 512
    assert (opus.source_lang, opus.target_lang) == ("fr", "en")


def test_tokenizer_round_trips_french(opus) -> None:
    tokenizer = opus.tokenizer
    ids = tokenizer(FRENCH)["input_ids"]
    assert ids[-1] == 0
    assert tokenizer.unk_token_id not in ids
    assert tokenizer.spm_source.decode_pieces(tokenizer.convert_ids_to_tokens(ids[:-1])) == FRENCH


def test_random_model_translates_and_scores(opus) -> None:
    outputs = opus.translate([FRENCH], beam_size=1, max_length=16)
    assert len(outputs) == 1 and isinstance(outputs[0], str)
    target = "The court delivered its judgment."
    [scores] = opus.score(sources=[FRENCH], targets=[target])
    assert scores.pieces[-1] == "</s>"
    assert len(scores.pieces) == len(scores.logprobs) == len(scores.spans) > 2
    assert all(value < 0 for value in scores.logprobs)
    assert "".join(target[a:b] for a, b in scores.spans) == target


def test_main_builds_the_asked_direction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    calls = []

    def fake_build(directory, *, source_lang, target_lang, seed):
        calls.append((source_lang, target_lang, seed))
        Path(directory).mkdir(parents=True)
        (Path(directory) / "config.json").write_text("{}", encoding="utf-8")
        return Path(directory)

    monkeypatch.setattr(opus_arch, "build_random_opus_mt", fake_build)
    assert opus_arch.main([str(tmp_path / "m"), "--direction", "en-fr", "--seed", "7"]) == 0
    assert calls == [("en", "fr", 7)]
    assert capsys.readouterr().out.strip() == str(tmp_path / "m")


def test_sentencepiece_training_is_reproducible(tmp_path: Path) -> None:
    text = opus_arch.sample_text("fr")
    first = opus_arch.train_spm(text, tmp_path / "a.spm", 4000)
    second = opus_arch.train_spm(text, tmp_path / "b.spm", 4000)
    assert first.read_bytes() == second.read_bytes()
