"""Build tiny, randomly initialised MarianMT models for tests (recipe: ../shared/DESIGN.md).

Two SentencePiece models are trained on the project's own text, a vocab.json joins them with
`</s>` = 0 and `<pad>` last (also the decoder start; both helpers come from eval.opus_arch, which
builds full-size random models for benchmarks the same way), and a one-layer MarianConfig with
d_model 32 is saved with `save_pretrained`, so the directory loads through the same
`Translator.load` that production uses. Such a model translates badly but for real.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from pathlib import Path

from transformers import MarianConfig, MarianMTModel, MarianTokenizer

from eval.opus_arch import marian_vocab, train_spm


def build_tiny_marian(out: Path, source_text: str, target_text: str, source_lang: str, target_lang: str,
                      seed: int = 0) -> Path:
    """Write a tiny MarianMT model translating `source_lang` -> `target_lang` into `out`."""
    import torch

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src_model = train_spm(source_text, Path(tmp) / "source.spm", 200, repeat=5)
        tgt_model = train_spm(target_text, Path(tmp) / "target.spm", 200, repeat=5)
        vocab = marian_vocab([src_model, tgt_model])
        (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        shutil.copy(src_model, out / "source.spm")
        shutil.copy(tgt_model, out / "target.spm")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        tokenizer = MarianTokenizer(
            source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"), vocab=str(out / "vocab.json"),
            source_lang=source_lang, target_lang=target_lang,
        )
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab), d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=512,
        pad_token_id=pad, eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=0,
    )
    torch.manual_seed(seed)
    tokenizer.save_pretrained(str(out))
    model = MarianMTModel(config)
    # As in the opus-mt releases, <pad> is never generated; a random model would also stop at
    # once, so </s> is made unlikely and translations run to max_length (long enough to test).
    model.generation_config.bad_words_ids = [[pad]]
    with torch.no_grad():
        model.final_logits_bias[0, 0] = -8.0
    model.save_pretrained(str(out))
    return out
