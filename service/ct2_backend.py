"""The `ct2` backend: MarianMT through CTranslate2 (int8 by default), the `contresens[ct2]` extra.

`CT2Translator.load(name)` resolves the model like `Translator.load` (a hub id or a local
directory), converts the transformers directory with CTranslate2's own converter on first use,
and keeps the conversion in a cache directory keyed by the model's revision and the compute
type, so a changed model is converted again and an unchanged one never is:

    <cache>/<name>-<revision>-<compute_type>-ct2-<ctranslate2 version>/    (model.bin, config.json, ...)

`<cache>` is the `cache_dir` argument, else `$CONTRESENS_CT2_CACHE`, else `ct2/` in the user
cache directory (`platformdirs.user_cache_dir("contresens")` when platformdirs is installed,
`~/.cache/contresens` otherwise). A conversion is written into a temporary directory next to
its final place and renamed into it, so concurrent processes never see half a model.

Only the two per-batch hooks differ from the torch `Translator`; tokenization, splitting,
batching and the reassembly of results are shared. CTranslate2 works on token strings:
sources are the SentencePiece pieces with the final `</s>` (as the Marian tokenizer encodes
them), targets for scoring are given without `</s>` and CTranslate2 scores the `</s>` it
appends itself.

CTranslate2's converter drops the `<pad>` token that transformers adds to Marian vocabularies
(it only serves as the decoder start, which CTranslate2 replaces by a zero embedding, as Marian
does), so its probabilities are normalised over the original Marian vocabulary: they can be
slightly higher than the transformers port's, which gives `<pad>` a (small) share.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

from service.translate import (
    DECODERS,
    BackendUnavailableError,
    ModelUnavailableError,
    ResolvedModel,
    Translator,
    resolve_model,
)

INSTALL_HINT = "pip install 'contresens[ct2]'"
CACHE_ENV = "CONTRESENS_CT2_CACHE"
# The weight types CTranslate2's converter can quantize to (and compute in).
COMPUTE_TYPES = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32")


def _import_ctranslate2(name: str) -> Any:
    """The ctranslate2 module, or `ModelUnavailableError` (for model `name`) saying how to install it."""
    try:
        import ctranslate2
    except ImportError as exc:
        raise ModelUnavailableError(
            name, f"the ct2 backend needs CTranslate2, which is not installed: {INSTALL_HINT}",
            hint=f"Install the extra with `{INSTALL_HINT}`, or choose another backend (fp32, int8, bf16).",
        ) from exc
    return ctranslate2


def cache_root(cache_dir: str | Path | None = None) -> Path:
    """Where converted models live: `cache_dir`, else `$CONTRESENS_CT2_CACHE`, else `<user cache>/ct2`."""
    if cache_dir:
        return Path(cache_dir).expanduser()
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    try:
        from platformdirs import user_cache_dir
    except ImportError:
        return Path("~/.cache/contresens/ct2").expanduser()
    return Path(user_cache_dir("contresens")) / "ct2"


def _safe(text: str) -> str:
    """`text` as a single, portable file name component."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "model"


def _ct2_version() -> str:
    """The installed CTranslate2 version ("none" without it): a conversion is only reused by the same one."""
    try:
        return importlib.metadata.version("ctranslate2")
    except importlib.metadata.PackageNotFoundError:
        return "none"


def conversion_dir(resolved: ResolvedModel, compute_type: str, cache_dir: str | Path | None = None) -> Path:
    """The cache directory of `resolved` converted for `compute_type` by this CTranslate2 version (it may not
    exist yet): a new revision, compute type or converter gets a new conversion."""
    local = Path(resolved.name).expanduser().is_dir()
    stem = resolved.path.name if local else resolved.name.replace("/", "--")
    return cache_root(cache_dir) / (f"{_safe(stem)}-{_safe(resolved.revision)}-{_safe(compute_type)}"
                                    f"-ct2-{_safe(_ct2_version())}")


def _is_converted(directory: Path) -> bool:
    return (directory / "model.bin").is_file() and (directory / "config.json").is_file()


def convert(resolved: ResolvedModel, compute_type: str, cache_dir: str | Path | None = None) -> Path:
    """The converted model directory of `resolved`, converting it first unless the cache has it."""
    target = conversion_dir(resolved, compute_type, cache_dir)
    if _is_converted(target):
        return target
    _import_ctranslate2(resolved.name)
    check_zero_start_embedding(resolved)
    import ctranslate2.converters

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            converter = ctranslate2.converters.TransformersConverter(str(resolved.path))
            converter.convert(str(tmp), quantization=compute_type, force=True)
        if target.exists() and not _is_converted(target):
            # the leftover of an interrupted copy by hand, or another tool: move it aside, then drop it
            shutil.rmtree(target.rename(tmp.with_suffix(".old")), ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if not _is_converted(target):  # not merely another process that finished first
                raise
    except (OSError, ValueError, KeyError, NotImplementedError) as exc:
        raise ModelUnavailableError(
            resolved.name, f"CTranslate2 could not convert {resolved.path} into {target.parent}: {exc}"
        ) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def check_zero_start_embedding(resolved: ResolvedModel) -> None:
    """Refuse a model CTranslate2 would run differently from transformers.

    CTranslate2's Marian converter drops the `<pad>` row and starts the decoder from a zero embedding,
    which is what Marian-trained models (all opus-mt) have there. A MarianMT model trained with
    transformers may have learnt a non-zero embedding for its decoder start token; under CTranslate2
    its first decoding step would then differ, and so would every translation (the first word is
    often lost). Checked once, before conversion, from the safetensors weights; raises
    `BackendUnavailableError` with the fix."""
    weights = resolved.path / "model.safetensors"
    config_file = resolved.path / "config.json"
    if not weights.is_file() or not config_file.is_file():
        return  # another weights format: the converter reads it and we cannot check cheaply
    config = json.loads(config_file.read_text(encoding="utf-8"))
    start = config.get("decoder_start_token_id", config.get("pad_token_id"))
    if not isinstance(start, int):
        return
    from safetensors import safe_open

    with safe_open(str(weights), "pt") as handle:
        available = set(handle.keys())
        names = [n for n in ("model.decoder.embed_tokens.weight", "model.shared.weight") if n in available]
        if not names:
            return
        row = handle.get_slice(names[0])[start : start + 1]
    largest = float(row.abs().max())
    if largest > 1e-6:
        raise BackendUnavailableError(
            f"the ct2 backend cannot run {resolved.name}: its decoder start token (id {start}) has a non-zero "
            f"embedding (largest value {largest:.3g}), but CTranslate2 starts Marian decoders from a zero "
            "embedding, so its translations would not be this model's; use --backend int8 (or fp32)"
        )


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class CT2Translator(Translator):
    """A `Translator` whose batches run in a `ctranslate2.Translator` (`model`)."""

    def __init__(self, model: Any, tokenizer: Any, resolved: ResolvedModel, device: str,
                 backend: str = "ct2", compute_type: str = "int8", max_positions: int | None = None,
                 forced_eos: bool = True) -> None:
        super().__init__(model, tokenizer, resolved, device, backend)
        self.compute_type = compute_type
        self.forced_eos = forced_eos
        if max_positions:
            self.max_positions = min(self.max_positions, max_positions)

    @classmethod
    def load(
        cls, name: str, *, device: str = "auto", revision: str | None = None, offline: bool = False,
        backend: str = "ct2", threads: int | None = None, compute_type: str | None = "int8",
        cache_dir: str | Path | None = None,
    ) -> CT2Translator:
        """Load a MarianMT model (hub id or directory) and run it with CTranslate2.

        The model is converted on first use into the cache (see the module). `device="auto"` picks
        CUDA when CTranslate2 sees a GPU. On CPU, `threads` (default: one per available core) sets
        the threads of each translation. Raises `ModelUnavailableError` when CTranslate2 is not
        installed (the message says `pip install 'contresens[ct2]'`) or the model cannot be found,
        read or converted, and ValueError for a compute type CTranslate2 does not know. `backend`
        is only there for `Translator.load`'s signature and must be "ct2".
        """
        if backend != "ct2":
            raise ValueError(f"CT2Translator runs the ct2 backend, not {backend!r}")
        compute_type = compute_type or "int8"
        if compute_type not in COMPUTE_TYPES:
            raise ValueError(f"unknown CTranslate2 compute type {compute_type!r} (known: {', '.join(COMPUTE_TYPES)})")
        ctranslate2 = _import_ctranslate2(name)
        resolved = resolve_model(name, revision=revision, offline=offline)
        from transformers import MarianTokenizer

        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
                tokenizer = MarianTokenizer.from_pretrained(str(resolved.path))
            config = json.loads((resolved.path / "config.json").read_text(encoding="utf-8"))
            generation = resolved.path / "generation_config.json"
            if generation.is_file():
                config = {**config, **json.loads(generation.read_text(encoding="utf-8"))}
        except (OSError, ValueError) as exc:
            raise ModelUnavailableError(name, f"its files in {resolved.path} could not be read: {exc}") from exc
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        directory = convert(resolved, compute_type, cache_dir)
        options: dict[str, Any] = {"device": device, "compute_type": compute_type}
        if device == "cpu":
            options["intra_threads"] = threads or _cpu_count()
        model = ctranslate2.Translator(str(directory), **options)
        positions = config.get("max_position_embeddings")
        return cls(model, tokenizer, resolved, device, "ct2", compute_type,
                   int(positions) if isinstance(positions, int) else None,
                   forced_eos=config.get("forced_eos_token_id") is not None)

    @property
    def dtype(self) -> str:
        """The compute type asked of CTranslate2 ("int8", "float32", ...); with the device it fixes what
        runs (`model.compute_type` says it in full, e.g. "int8_float32" for int8 on CPU)."""
        return self.compute_type

    def _tokens(self, ids: list[int]) -> list[str]:
        return list(self.tokenizer.convert_ids_to_tokens(ids))

    def _generate(self, texts: list[str], ids: list[list[int]], *, beam_size: int, max_length: int) -> list[str]:
        """Translations of one batch: `translate_batch` on the source pieces (`</s>` included).

        Lengths as in transformers, whose `max_length` counts the decoder start token and, when the
        model forces `</s>` at the last position (`forced_eos_token_id`, set for Marian), that `</s>`
        too; CTranslate2's `max_decoding_length` counts the generated tokens before `</s>`."""
        limit = max_length - 1 - (1 if self.forced_eos else 0)
        if limit <= 0:
            return [""] * len(texts)
        results = self.model.translate_batch(
            [self._tokens(row) for row in ids], beam_size=beam_size, max_decoding_length=limit,
            max_batch_size=0, return_scores=False,
        )
        hypotheses = [self.tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results]
        return list(self.tokenizer.batch_decode(hypotheses, skip_special_tokens=True))

    def draft_support(self) -> str:
        """CTranslate2 runs its own decoding loop: no draft-verified decoding (`service.draft_decoding`)."""
        return "the ct2 backend runs CTranslate2's own decoding loop"

    def shortlist_support(self) -> str:
        """The output shortlist belongs to the draft decoder, which ct2 has not."""
        return "the ct2 backend has no draft decoder (CTranslate2 has its own vocabulary_mapping)"

    def decoder_for(self, decoder: str, beam_size: int) -> str:
        """Always "plain": generation and forced decoding are CTranslate2 calls of their own."""
        if decoder not in DECODERS:
            raise ValueError(f"unknown decoder {decoder!r} (known: {', '.join(DECODERS)})")
        if decoder in ("draft", "shared"):
            raise ValueError(f"the {decoder} decoder needs a torch backend (fp32, int8, bf16 or fp16), not ct2")
        return "plain"

    def _forced_logprobs(self, sources: list[str], source_ids: list[list[int]],
                         target_ids: list[list[int]], encoder: Any = None) -> list[list[float]]:
        """Log-probability of every target id of one batch (`</s>` included) with `score_batch`.

        The targets are passed without their `</s>`: CTranslate2 appends it and returns its
        log-probability last, one value per target id."""
        eos = int(self.tokenizer.eos_token_id)
        targets = [self._tokens(ids[:-1] if ids and ids[-1] == eos else ids) for ids in target_ids]
        results = self.model.score_batch([self._tokens(row) for row in source_ids], targets, max_batch_size=0)
        out: list[list[float]] = []
        for ids, result in zip(target_ids, results):
            values = [float(v) for v in result.log_probs]
            if len(values) != len(ids):
                raise ValueError(f"CTranslate2 scored {len(values)} target tokens, expected {len(ids)}")
            out.append(values)
        return out
