"""Randomly initialised MarianMT models with the exact architecture of Helsinki-NLP/opus-mt-fr-en and -en-fr.

Benchmarks of time and memory need a model of the real size, and the real weights cannot always be
downloaded. `build_random_opus_mt(directory)` writes a directory that `service.translate.Translator.load`
reads exactly as it reads a downloaded opus-mt model: `config.json`, `generation_config.json`,
`model.safetensors`, `source.spm`, `target.spm`, `vocab.json` and `tokenizer_config.json`.

- The configuration is `OPUS_MT_CONFIG` (with `OPUS_MT_GENERATION_CONFIG`): the values of the hub's
  `config.json` and `generation_config.json` of opus-mt-fr-en (opus-mt-en-fr has the same architecture and
  vocabulary size): a 6+6-layer transformer, d_model 512, 8 heads, feed-forward 2048, swish, static
  sinusoidal positions, one embedding matrix of 59514 x 512 shared by encoder, decoder and output layer.
  That is 75.1 M parameters, about 300 MB of float32 safetensors, as the real `model.safetensors`.
- Weights are drawn at random (the transformers initialisation under `torch.manual_seed(seed)`), so the
  same seed gives the same model.
- The tokenizer is real but small: two unigram SentencePiece models (as in opus-mt) trained on the given
  text, by default the sample story of `corpora/samples` in the side's language, with up to 4000 pieces
  each (`hard_vocab_limit=False`: the sample story only yields about 250). `vocab.json` has the real
  size and layout: `</s>` = 0, `<unk>` = 1, the pieces of both sides, filler pieces `▁x<N>` that no text
  maps to, and `<pad>` = 59513 last (the decoder start token). The small piece inventories cut words
  into more pieces than opus-mt's, so a sentence has roughly twice as many tokens as with the real model.

Outputs are meaningless: only the cost is realistic. A random model rarely picks `</s>`, so generation
runs to `max_length` (a real model stops at the end of the sentence; pass the `max_length` you want to
measure), and it may emit filler ids, which decode to `▁x<N>`-like text. Nothing of this raises.

    python -m eval.opus_arch OUT_DIR [--direction fr-en|en-fr] [--seed N]

torch, transformers and sentencepiece are imported when a model is built, not when this module is.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
import warnings
from pathlib import Path

VOCAB_SIZE = 59514
PAD_ID = VOCAB_SIZE - 1
EOS_ID = 0

#: MarianConfig fields of Helsinki-NLP/opus-mt-fr-en, with the values of its config.json on the hub (the
#: hub file also repeats `num_beams`, `max_length` and `bad_words_ids`, which transformers now reads from
#: generation_config.json, and carries bookkeeping such as `_name_or_path` and `id2label`).
OPUS_MT_CONFIG: dict[str, object] = {
    "model_type": "marian",
    "architectures": ["MarianMTModel"],
    "vocab_size": VOCAB_SIZE,
    "decoder_vocab_size": VOCAB_SIZE,
    "share_encoder_decoder_embeddings": True,
    "d_model": 512,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "decoder_ffn_dim": 2048,
    "max_position_embeddings": 512,
    "activation_function": "swish",
    "scale_embedding": True,
    "static_position_embeddings": True,
    "normalize_before": False,
    "normalize_embedding": False,
    "add_final_layer_norm": False,
    "add_bias_logits": False,
    "dropout": 0.1,
    "attention_dropout": 0.0,
    "activation_dropout": 0.0,
    "classif_dropout": 0.0,
    "classifier_dropout": 0.0,
    "encoder_layerdrop": 0.0,
    "decoder_layerdrop": 0.0,
    "init_std": 0.02,
    "is_encoder_decoder": True,
    "use_cache": True,
    "pad_token_id": PAD_ID,
    "decoder_start_token_id": PAD_ID,
    "bos_token_id": EOS_ID,
    "eos_token_id": EOS_ID,
    "forced_eos_token_id": EOS_ID,
}

#: generation_config.json of Helsinki-NLP/opus-mt-fr-en on the hub: beam 4, at most 512 tokens, and
#: `<pad>` never generated.
OPUS_MT_GENERATION_CONFIG: dict[str, object] = {
    "bad_words_ids": [[PAD_ID]],
    "bos_token_id": EOS_ID,
    "decoder_start_token_id": PAD_ID,
    "eos_token_id": EOS_ID,
    "forced_eos_token_id": EOS_ID,
    "max_length": 512,
    "num_beams": 4,
    "pad_token_id": PAD_ID,
    "renormalize_logits": True,
}

SAMPLES = Path(__file__).resolve().parent.parent / "corpora" / "samples"
SAMPLE_FILES = {
    "fr": ("court-case.fr.txt",),
    "en": ("court-case.ref.en.txt", "court-case.mt.en.txt"),
}
SPM_PIECES = 4000


def sample_text(lang: str) -> str:
    """The sample story of `corpora/samples` in `lang` ("fr" or "en"), all its versions joined."""
    if lang not in SAMPLE_FILES:
        raise ValueError(f"no sample text in {lang!r} (have {', '.join(SAMPLE_FILES)}); pass text=")
    return "\n".join((SAMPLES / name).read_text(encoding="utf-8") for name in SAMPLE_FILES[lang])


def train_spm(text: str, path: Path, vocab_size: int, *, repeat: int = 1) -> Path:
    """Train a unigram SentencePiece model on `text` (its lines, `repeat` times), write it to `path`, return `path`.

    `hard_vocab_limit=False` lets a short text give fewer pieces than `vocab_size`; every character of
    the text is covered, and there are no pad, bos or eos pieces (Marian's vocab.json adds them). The
    sentences go through an iterator, not a file, so no temporary path ends up in the model: the same
    text gives the same bytes.
    """
    import sentencepiece as spm

    lines = text.splitlines() * repeat
    longest = max((len(line.encode("utf-8")) for line in lines), default=0)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=vocab_size, hard_vocab_limit=False,
        character_coverage=1.0, pad_id=-1, bos_id=-1, eos_id=-1, unk_id=0, minloglevel=2,
        max_sentence_length=max(4192, longest + 1),  # the default, 4192 bytes, would skip longer lines
    )
    path.write_bytes(model.getvalue())
    return path


def marian_vocab(spm_models: list[Path], size: int | None = None) -> dict[str, int]:
    """A Marian vocab.json: `</s>` = 0, `<unk>` = 1, the pieces of the models, then `<pad>` last.

    With `size`, filler pieces `▁x<N>` pad the vocabulary to exactly `size` entries (`<pad>` = size - 1).
    """
    import sentencepiece as spm

    vocab = {"</s>": 0, "<unk>": 1}
    for path in spm_models:
        processor = spm.SentencePieceProcessor(model_file=str(path))
        for i in range(processor.get_piece_size()):
            vocab.setdefault(processor.id_to_piece(i), len(vocab))
    if size is not None:
        if len(vocab) >= size:
            raise ValueError(f"{len(vocab)} pieces do not fit a vocabulary of {size} entries")
        filler = 0
        while len(vocab) < size - 1:
            vocab.setdefault(f"\u2581x{filler}", len(vocab))
            filler += 1
    vocab["<pad>"] = len(vocab)
    return vocab


def build_random_opus_mt(
    directory: str | Path, *, source_lang: str = "fr", target_lang: str = "en", seed: int = 0, text: str | None = None,
    source_text: str | None = None, target_text: str | None = None, pieces: int = SPM_PIECES,
) -> Path:
    """Write a random-weight model with the opus-mt-fr-en architecture into `directory` and return its path.

    The SentencePiece models (up to `pieces` pieces each) are trained on `source_text` and `target_text`,
    else on `text` (both sides), else on the sample story in `source_lang` and `target_lang`. Trained on a
    few thousand news sentences with 8000 pieces, they cut text about as finely as opus-mt's (see
    `eval.bench`). The directory loads with `Translator.load(str(directory))`.
    """
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    source_text = source_text if source_text is not None else text if text is not None else sample_text(source_lang)
    target_text = target_text if target_text is not None else text if text is not None else sample_text(target_lang)
    with tempfile.TemporaryDirectory() as tmp:
        source_spm = train_spm(source_text, Path(tmp) / "source.spm", pieces)
        target_spm = train_spm(target_text, Path(tmp) / "target.spm", pieces)
        vocab = marian_vocab([source_spm, target_spm], VOCAB_SIZE)
        vocab_file = Path(tmp) / "vocab.json"
        vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            tokenizer = MarianTokenizer(
                source_spm=str(source_spm), target_spm=str(target_spm), vocab=str(vocab_file),
                source_lang=source_lang, target_lang=target_lang, model_max_length=512,
            )
        tokenizer.save_pretrained(str(out))
    config = MarianConfig(**OPUS_MT_CONFIG)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = MarianMTModel(config)
    model.generation_config = GenerationConfig(**OPUS_MT_GENERATION_CONFIG)
    model.save_pretrained(str(out))
    return out


def main(argv: list[str] | None = None) -> int:
    """Build one model directory and print its path, size and build time."""
    parser = argparse.ArgumentParser(
        description="Build a random-weight MarianMT model with the opus-mt-fr-en / en-fr architecture (for benchmarks)."
    )
    parser.add_argument("out_dir", metavar="OUT_DIR")
    parser.add_argument("--direction", choices=["fr-en", "en-fr"], default="fr-en")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    source, target = args.direction.split("-")
    started = time.monotonic()
    out = build_random_opus_mt(args.out_dir, source_lang=source, target_lang=target, seed=args.seed)
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    print(f"{out}: {args.direction}, seed {args.seed}, {size / 1e6:.0f} MB in {time.monotonic() - started:.1f} s",
          file=sys.stderr)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
