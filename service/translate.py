"""MarianMT translation and forced-decoding scores: the only module that touches torch.

A `Translator` wraps one MarianMT direction (MarianMTModel + MarianTokenizer) loaded from a hub
id or a local directory. It offers two operations:

- `translate(texts)`: beam or greedy generation, batched by length with the input order
  restored, so results do not depend on how texts were grouped;
- `score(sources=..., targets=...)`: forced decoding, giving the log-probability of every
  target token with the character span of the target it covers;
- `translate_and_score(sources, drafts)`: both for the same sources, as a check needs them (the
  translation of a text and the forced decoding of the other side of the pair, its draft): each
  source is encoded once, and greedy search is verified against the draft
  (`service.draft_decoding`), the draft's forced decoding being its first verification pass.

opus-mt models have 512 positions. Inputs longer than that are split (at sentence boundaries,
then at word boundaries) and the parts are processed separately; nothing is truncated.

torch and transformers are imported when a model is loaded, never when this module is
imported, so the rest of the package stays cheap to import (`--no-model` runs, the HTTP
schema, the CLI's help).
"""

from __future__ import annotations

import hashlib
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover - typing only
    import torch

    from service.draft_decoding import DraftStats

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
MODEL_FILES = ("config.json", "vocab.json", "source.spm", "target.spm") + WEIGHT_FILES
HUB_PATTERNS = ["*.json", "*.spm", "model.safetensors"]
EOS_PIECE = "</s>"


class ModelUnavailableError(RuntimeError):
    """A model could not be loaded; the message says which model and how to make it available."""

    def __init__(self, model: str, reason: str, *, role: str | None = None, hint: str | None = None) -> None:
        self.model = model
        self.reason = reason
        self.role = role
        self.hint = hint
        what = f"the {role} model {model!r}" if role else f"model {model!r}"
        lines = [f"Cannot load {what}: {reason}"]
        if hint:
            lines.append(hint)
        else:
            lines.append(
                f"Download it on a machine with internet access (`hf download {model} --local-dir DIR`, "
                "or `huggingface-cli download` with older huggingface_hub), copy DIR here and pass the "
                "directory instead of the hub id."
            )
        super().__init__("\n".join(lines))

    def with_role(self, role: str, hint: str) -> ModelUnavailableError:
        """The same error, told from the caller's side (which model, which flag or variable to set)."""
        return ModelUnavailableError(self.model, self.reason, role=role, hint=hint)


class BackendUnavailableError(ValueError):
    """The chosen backend cannot run this model here (fp16 without a GPU, int8 on a GPU, CTranslate2 with a
    model it would run differently); the message says which backend to use instead."""


@dataclass(frozen=True)
class TokenScores:
    """Forced-decoding result for one target text.

    `pieces[i]` is the i-th SentencePiece token of `text` (the last one is `</s>`), `logprobs[i]`
    its natural-log probability given the source and the previous tokens, and `spans[i]` the
    (start, end) character offsets in `text` it covers (the end-of-sentence token covers the
    empty span at the end). A piece's span includes the space its leading "▁" stands for.
    """

    text: str
    pieces: tuple[str, ...]
    logprobs: tuple[float, ...]
    spans: tuple[tuple[int, int], ...]

    @property
    def mean_logprob(self) -> float:
        """Length-normalised log-probability (equal to minus the model's cross-entropy loss)."""
        return sum(self.logprobs) / len(self.logprobs) if self.logprobs else 0.0


@dataclass(frozen=True)
class ResolvedModel:
    """Where a model's files are and which exact version they are."""

    name: str
    path: Path
    revision: str


def _file_digest(directory: Path) -> str:
    """Content hash of a local model directory (weights, vocabularies, config): its revision."""
    digest = hashlib.sha256()
    for name in MODEL_FILES:
        path = directory / name
        if path.is_file():
            digest.update(name.encode())
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return "sha256:" + digest.hexdigest()[:16]


def _looks_like_path(name: str) -> bool:
    """A name that can only be a directory: absolute, explicitly relative, or deeper than owner/repo."""
    return name.startswith(("/", "./", "../", "~", ".\\")) or name.count("/") > 1 or "\\" in name


def resolve_model(name: str, *, revision: str | None = None, offline: bool = False) -> ResolvedModel:
    """Find a model's files: a local directory as is, a hub id through the local cache or a download.

    Raises `ModelUnavailableError` with the reason when the directory lacks files, the id is not
    in the cache and cannot be downloaded (offline machine, `HF_HUB_OFFLINE=1`), or the id is wrong.
    """
    local = Path(name).expanduser()
    if local.is_dir():
        missing = [f for f in ("config.json", "vocab.json", "source.spm", "target.spm") if not (local / f).is_file()]
        if not any((local / w).is_file() for w in WEIGHT_FILES):
            missing.append(" or ".join(WEIGHT_FILES))
        if missing:
            raise ModelUnavailableError(
                name,
                f"the directory {local} is not a MarianMT model (missing {', '.join(missing)})",
                hint="Point to the directory holding config.json, vocab.json, source.spm, target.spm and the weights.",
            )
        return ResolvedModel(name=name, path=local.resolve(), revision=_file_digest(local))
    if _looks_like_path(name):
        raise ModelUnavailableError(name, f"no such directory: {local}")
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    try:
        path = snapshot_download(
            repo_id=name, revision=revision, allow_patterns=HUB_PATTERNS, local_files_only=offline
        )
    except LocalEntryNotFoundError as exc:
        how = "offline mode is on" if offline else "the hub could not be reached"
        reason = f"it is not in the local Hugging Face cache and {how}"
        if local.parent != Path(".") and local.parent.is_dir():
            reason += f" (and there is no directory {local})"
        raise ModelUnavailableError(name, reason) from exc
    except (OSError, ValueError, HfHubHTTPError) as exc:
        detail = " ".join(str(exc).split())[:300]
        reason = f"it is neither a local directory nor a usable hub id ({type(exc).__name__}: {detail})"
        raise ModelUnavailableError(name, reason) from exc
    snapshot = Path(path)
    if not any((snapshot / w).is_file() for w in WEIGHT_FILES):
        raise ModelUnavailableError(name, f"the cached snapshot {snapshot} has no weights file")
    return ResolvedModel(name=name, path=snapshot, revision=snapshot.name[:12])


def _byte_to_char(text: str) -> list[int]:
    """Map every UTF-8 byte offset of `text` (and the end) to its character offset."""
    table: list[int] = []
    for index, char in enumerate(text):
        table.extend([index] * len(char.encode("utf-8")))
    table.append(len(text))
    return table


def _word_windows(text: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Greedy split of `text` at spaces into parts of at most `limit` tokens each (`</s>` included).

    SentencePiece segments each space-delimited word on its own, so a part's length is the sum
    of its words' lengths and one pass suffices.
    """
    parts: list[str] = []
    current: list[str] = []
    used = 1  # the end-of-sentence token
    for word in text.split():
        cost = count_tokens(word) - 1
        if current and used + cost > limit:
            parts.append(" ".join(current))
            current, used = [], 1
        current.append(word)
        used += cost
    if current:
        parts.append(" ".join(current))
    return parts


def _split_even(text: str, parts: int) -> list[tuple[int, int]]:
    """Character ranges that cut `text` at spaces into `parts` pieces of similar length."""
    if parts <= 1:
        return [(0, len(text))]
    bounds = [0]
    for k in range(1, parts):
        target = round(len(text) * k / parts)
        cut = text.rfind(" ", bounds[-1] + 1, target + 1)
        if cut <= bounds[-1]:
            cut = text.find(" ", target)
        if cut <= bounds[-1] or cut == -1:
            cut = max(bounds[-1], min(len(text), target))
        bounds.append(cut)
    bounds.append(len(text))
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b >= a]


def pick_device(device: str) -> str:
    """`"auto"` -> `"cuda"` when torch sees a GPU, else `"cpu"`; other values unchanged."""
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class TranslationModel(Protocol):
    """What the checker needs of a model direction: a Translator, or a wrapper with its interface
    (DynamicBatcher, CachedModel)."""

    device: str

    @property
    def dtype(self) -> str: ...

    def describe(self) -> str: ...

    def translate(self, texts: Sequence[str], *, beam_size: int = 4, max_length: int = 512,
                  batch_size: int = 16) -> list[str]: ...

    def score(self, *, sources: Sequence[str], targets: Sequence[str], batch_size: int = 16) -> list[TokenScores]: ...


class DraftModel(TranslationModel, Protocol):
    """A model direction that can also run draft-verified generation (a torch Translator, or a wrapper)."""

    def decoder_for(self, decoder: str, beam_size: int) -> str: ...

    def translate_and_score(self, sources: Sequence[str], drafts: Sequence[str], *, beam_size: int = 4,
                            max_length: int = 512, batch_size: int = 16,
                            decoder: str = "auto") -> tuple[list[str], list[TokenScores]]: ...


DECODERS = ("auto", "plain", "draft", "shared")
"""How `translate_and_score` generates: `draft` (draft-verified greedy search, one encoder pass per
source; greedy only), `shared` (`generate` and forced decoding from one encoder pass per source: beam
search), `plain` (generate, then forced decoding, each encoding its sources, as `translate` and `score`
do), `auto` (draft for greedy search on a torch backend whose generation config it supports, shared for
beam search on a torch backend, plain otherwise)."""


LOGIT_ROWS = 256  # target positions per output-layer call in forced decoding (256 x 59,514 floats: 61 MB)
BACKENDS = ("fp32", "int8", "bf16", "fp16", "ct2")


def batches(order: Sequence[int], lengths: Sequence[int], batch_size: int, max_tokens: int) -> list[list[int]]:
    """Cut `order` (indices sorted by length, longest first) into batches of at most `batch_size` items
    whose padded size (items x longest) stays within `max_tokens`; a single longer item goes alone."""
    out: list[list[int]] = []
    current: list[int] = []
    widest = 0
    for i in order:
        wider = max(widest, lengths[i])
        if current and (len(current) >= batch_size or wider * (len(current) + 1) > max_tokens):
            out.append(current)
            current, wider = [], lengths[i]
        current.append(i)
        widest = wider
    if current:
        out.append(current)
    return out


def quantize_int8(module: Any) -> Any:
    """`module` with its linear layers dynamically quantized to int8 (the int8 backend's numeric path).

    torch 2.13 deprecates this eager-mode quantization (torchao succeeds it) and warns on every call; the
    pinned torch still runs it, and the warnings are noise to a CLI user, so they are silenced here."""
    import torch

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"torch\.quantize_per_tensor", category=UserWarning)
        warnings.filterwarnings("ignore", message=r"torch\.ao\.quantization is deprecated",
                                category=DeprecationWarning)
        return torch.ao.quantization.quantize_dynamic(module, {torch.nn.Linear}, dtype=torch.qint8)


class Translator:
    """One MarianMT direction, loaded once, used for generation and forced decoding.

    Build it with `Translator.load(name_or_dir, backend=...)`. Decoding settings are arguments of
    `translate`, so callers record them (they enter the report signature). `translate` and `score`
    are the same for every backend: they split, sort by length, batch within a token budget and put
    results back in order; a backend only runs one batch (`_generate`, `_forced_logprobs`).

    Backends: `fp32` (the reference), `int8` (dynamic quantization of the linear layers, CPU),
    `bf16` (bfloat16 autocast on CPU where supported, bfloat16 weights on GPU), `fp16` (GPU only),
    and `ct2` (CTranslate2, `service.ct2_backend`, the `contresens[ct2]` extra).
    """

    max_batch_tokens = 8192  # padded tokens per model batch

    def __init__(self, model: Any, tokenizer: Any, resolved: ResolvedModel, device: str,
                 backend: str = "fp32") -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.resolved = resolved
        self.device = device
        self.backend = backend
        self.source_lang: str = getattr(tokenizer, "source_lang", None) or "und"
        self.target_lang: str = getattr(tokenizer, "target_lang", None) or "und"
        positions = int(getattr(getattr(model, "config", None), "max_position_embeddings", 512))
        self.max_positions = min(positions, int(getattr(tokenizer, "model_max_length", positions) or positions))
        self._ids: dict[str, list[int]] = {}
        from service.draft_decoding import DraftStats

        self.draft_stats: DraftStats = DraftStats()  # what draft-verified decoding did, for benchmarks
        self.shortlist = 0  # most frequent target pieces of a draft decoder's output shortlist (0: none)
        self._frequent: list[int] | None = None

    @classmethod
    def load(
        cls, name: str, *, device: str = "auto", revision: str | None = None, offline: bool = False,
        backend: str = "fp32", threads: int | None = None, compute_type: str | None = None,
    ) -> Translator:
        """Load a MarianMT model and tokenizer from a hub id or a local directory.

        `device="auto"` picks CUDA when available. `backend` picks the numeric path (see the class).
        `threads` sets torch's intra-op threads on CPU (default: torch's, one per core). `compute_type`
        is CTranslate2's for the ct2 backend (default int8) and must be None for the others. Raises
        `ModelUnavailableError` when the model cannot be found or read, and ValueError for a backend
        the device cannot run.
        """
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r} (known: {', '.join(BACKENDS)})")
        if backend == "ct2":
            from service.ct2_backend import CT2Translator

            return CT2Translator.load(name, device=device, revision=revision, offline=offline, threads=threads,
                                      compute_type=compute_type)
        if compute_type is not None:
            raise ValueError(f"compute_type is for the ct2 backend; the {backend} backend fixes its own")
        resolved = resolve_model(name, revision=revision, offline=offline)
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        device = pick_device(device)
        if backend == "fp16" and device != "cuda":
            raise BackendUnavailableError("the fp16 backend needs a GPU (--device cuda); on CPU use int8 or fp32")
        if backend == "int8" and device != "cpu":
            raise BackendUnavailableError("the int8 backend (dynamic quantization) runs on CPU; on GPU use fp16 or "
                                          "bf16")
        if threads and device == "cpu":
            torch.set_num_threads(threads)
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
                tokenizer = MarianTokenizer.from_pretrained(str(resolved.path))
            model = MarianMTModel.from_pretrained(str(resolved.path))
        except (OSError, ValueError) as exc:
            raise ModelUnavailableError(name, f"its files in {resolved.path} could not be read: {exc}") from exc
        model.eval()
        if backend == "int8":
            model = quantize_int8(model)
        elif backend == "fp16":
            model = model.half()
        elif backend == "bf16" and device == "cuda":
            model = model.to(torch.bfloat16)
        model.to(torch.device(device))
        return cls(model, tokenizer, resolved, device, backend)

    @property
    def dtype(self) -> str:
        """The compute type: weight type of the model ("float32", "float16", "bfloat16"), "int8" for
        dynamically quantized linear layers, "bfloat16" for CPU autocast."""
        if self.backend == "int8":
            return "int8"
        if self.backend == "bf16":
            return "bfloat16"
        return str(next(self.model.parameters()).dtype).removeprefix("torch.")

    def describe(self) -> str:
        """`name@revision` of the model, for signatures."""
        return f"{self.resolved.name}@{self.resolved.revision}"

    def _autocast(self) -> Any:
        """bfloat16 autocast for the bf16 backend on CPU; a no-op context otherwise."""
        import contextlib

        import torch

        if self.backend == "bf16" and self.device == "cpu":
            return torch.autocast("cpu", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def source_ids(self, text: str) -> list[int]:
        """Source token ids of `text` (`</s>` included), tokenized once per text and kept (bounded)."""
        ids = self._ids.get(text)
        if ids is None:
            ids = list(self.tokenizer(text)["input_ids"])
            if len(self._ids) >= 20_000:
                self._ids.clear()
            self._ids[text] = ids
        return ids

    def _padded(self, rows: Sequence[Sequence[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        """input_ids and attention_mask tensors of token id rows, right-padded, on the device."""
        import torch

        width = max(len(r) for r in rows)
        pad = int(self.tokenizer.pad_token_id)
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for k, row in enumerate(rows):
            ids[k, : len(row)] = torch.tensor(row, dtype=torch.long)
            mask[k, : len(row)] = 1
        return ids.to(self.device), mask.to(self.device)

    def _generate(self, texts: list[str], ids: list[list[int]], *, beam_size: int, max_length: int) -> list[str]:
        """Translations of one batch."""
        import torch

        input_ids, mask = self._padded(ids)
        with torch.inference_mode(), self._autocast():
            generated = self.model.generate(input_ids=input_ids, attention_mask=mask, num_beams=beam_size,
                                            max_length=max_length, do_sample=False)
        return list(self.tokenizer.batch_decode(generated, skip_special_tokens=True))

    def _forced_logprobs(self, sources: list[str], source_ids: list[list[int]],
                         target_ids: list[list[int]], encoder: Any = None) -> list[list[float]]:
        """Log-probability of every target id of one batch, given its source and the previous ids.

        The decoder inputs are the targets shifted right (as the model does for its own loss, which is
        not asked for: that would be a second pass over the whole vocabulary), and each token's value
        is its logit minus the log-sum-exp of its row, without a full log-softmax tensor. The output
        layer (59,514 words wide for opus-mt) runs on the real target positions only, padding left out,
        `LOGIT_ROWS` positions at a time: the logits of a whole batch of 32 news sentences would take
        over half a gigabyte, twice over with the log-sum-exp. `encoder`: the batch's encoder output, when
        its generation already computed it (`translate_and_score`)."""
        import torch

        input_ids, mask = self._padded(source_ids)
        width = max(len(t) for t in target_ids)
        pad = int(self.tokenizer.pad_token_id)
        start = int(getattr(self.model.config, "decoder_start_token_id", None) or pad)
        labels = torch.full((len(target_ids), width), pad, dtype=torch.long)
        decoder_ids = torch.full((len(target_ids), width), pad, dtype=torch.long)
        for row, ids in enumerate(target_ids):
            labels[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
            decoder_ids[row, 0] = start
            decoder_ids[row, 1 : len(ids)] = torch.tensor(ids[:-1], dtype=torch.long)
        valid = torch.zeros((len(target_ids), width), dtype=torch.bool)
        for row, ids in enumerate(target_ids):
            valid[row, : len(ids)] = True
        valid = valid.to(self.device)
        with torch.inference_mode(), self._autocast():
            given = {"input_ids": input_ids} if encoder is None else {"encoder_outputs": (encoder,)}
            hidden = self.model.model(**given, attention_mask=mask, use_cache=False,
                                      decoder_input_ids=decoder_ids.to(self.device)).last_hidden_state[valid]
            wanted = labels.to(self.device)[valid]
            values = torch.cat([
                self._gather(self.model.lm_head(hidden[a : a + LOGIT_ROWS]) + self.model.final_logits_bias,
                             wanted[a : a + LOGIT_ROWS])
                for a in range(0, hidden.shape[0], LOGIT_ROWS)
            ]).tolist()
        out: list[list[float]] = []
        offset = 0
        for ids in target_ids:
            out.append([float(v) for v in values[offset : offset + len(ids)]])
            offset += len(ids)
        return out

    # -- lengths and splitting -------------------------------------------------------------

    def _source_length(self, text: str) -> int:
        return len(self.source_ids(text))

    def _target_length(self, text: str) -> int:
        return len(self.tokenizer.spm_target.encode(text)) + 1

    def _chunks(self, text: str) -> list[str]:
        """Pieces of `text` that each fit the model: sentences packed together, long ones cut at spaces."""
        limit = self.max_positions - 2
        if self._source_length(text) <= limit:
            return [text]
        from service.segment import split_sentences

        chunks: list[str] = []
        current = ""
        for sentence in split_sentences(text, self.source_lang):
            pieces = (
                [sentence.text]
                if self._source_length(sentence.text) <= limit
                else _word_windows(sentence.text, self._source_length, limit)
            )
            for piece in pieces:
                candidate = f"{current} {piece}" if current else piece
                if current and self._source_length(candidate) > limit:
                    chunks.append(current)
                    current = piece
                else:
                    current = candidate
        if current:
            chunks.append(current)
        return chunks

    # -- generation ------------------------------------------------------------------------

    def translate(
        self, texts: Sequence[str], *, beam_size: int = 4, max_length: int = 512, batch_size: int = 16
    ) -> list[str]:
        """Translate `texts`; the i-th output is the translation of the i-th input.

        Texts are sorted by length and translated in batches of at most `batch_size` texts and
        `max_batch_tokens` padded tokens, then put back in order. Empty or whitespace-only texts
        translate to "". Texts longer than the model's positions are split and their parts'
        translations joined with a space.
        """
        parts: list[str] = []
        owners: list[int] = []
        for index, text in enumerate(texts):
            if text.strip():
                for chunk in self._chunks(text):
                    parts.append(chunk)
                    owners.append(index)
        ids = [self.source_ids(p) for p in parts]
        lengths = [len(i) for i in ids]
        outputs = [""] * len(parts)
        order = sorted(range(len(parts)), key=lambda i: lengths[i], reverse=True)
        for batch in batches(order, lengths, batch_size, self.max_batch_tokens):
            decoded = self._generate([parts[i] for i in batch], [ids[i] for i in batch], beam_size=beam_size,
                                     max_length=max_length)
            for i, out in zip(batch, decoded):
                outputs[i] = out
        joined: list[list[str]] = [[] for _ in texts]
        for owner, out in zip(owners, outputs):
            joined[owner].append(out)
        return [" ".join(p for p in pieces if p) for pieces in joined]

    # -- forced decoding -------------------------------------------------------------------

    def _target_pieces(self, text: str) -> tuple[list[int], list[str], list[tuple[int, int]]]:
        """Token ids, pieces and character spans of `text` on the target side, `</s>` included."""
        proto = self.tokenizer.spm_target.encode(text, out_type="proto")
        table = _byte_to_char(text)
        pieces = [p.piece for p in proto.pieces]
        spans = [(table[p.begin], table[p.end]) for p in proto.pieces]
        ids = list(self.tokenizer(text_target=text)["input_ids"])
        if len(ids) != len(pieces) + 1:
            raise ValueError(
                f"cannot align target tokens with characters for {text[:60]!r}: "
                "it contains a special token string of the tokenizer"
            )
        return ids, pieces + [EOS_PIECE], spans + [(len(text), len(text))]

    def _score_pairs(self, pairs: Sequence[tuple[str, str]], batch_size: int) -> list[TokenScores]:
        """Forced decoding of pairs that fit the model, batched by length within the token budget,
        order restored."""
        prepared = [self._target_pieces(target) for _, target in pairs]
        sources = [self.source_ids(source) for source, _ in pairs]
        lengths = [len(sources[i]) + len(prepared[i][0]) for i in range(len(pairs))]
        results: list[TokenScores | None] = [None] * len(pairs)
        order = sorted(range(len(pairs)), key=lambda i: lengths[i], reverse=True)
        widths = [max(len(sources[i]), len(prepared[i][0])) for i in range(len(pairs))]
        for batch in batches(order, widths, batch_size, self.max_batch_tokens):
            values = self._forced_logprobs([pairs[i][0] for i in batch], [sources[i] for i in batch],
                                           [prepared[i][0] for i in batch])
            for row, i in enumerate(batch):
                _, pieces, spans = prepared[i]
                results[i] = TokenScores(pairs[i][1], tuple(pieces), tuple(values[row]), tuple(spans))
        return [r for r in results if r is not None]

    @staticmethod
    def _gather(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """log p(label) per position: the label's logit minus the row's log-sum-exp (in float32)."""
        import torch

        picked = logits.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1).float()
        return picked - torch.logsumexp(logits.float(), dim=-1)

    # -- generation and forced decoding of the same sources ----------------------------------

    def draft_support(self) -> str:
        """Why draft-verified decoding cannot run on this model, or "" when it can."""
        from service.draft_decoding import rules_for

        _, why = rules_for(getattr(self.model, "generation_config", None), int(self.tokenizer.pad_token_id))
        return why

    def decoder_for(self, decoder: str, beam_size: int) -> str:
        """The decoder `translate_and_score` runs for a requested one: "draft", "shared" or "plain".

        Raises ValueError for `draft` where it cannot run (beam search, an unsupported generation config)."""
        if decoder not in DECODERS:
            raise ValueError(f"unknown decoder {decoder!r} (known: {', '.join(DECODERS)})")
        if decoder in ("plain", "shared"):
            return decoder
        why = "beam search keeps the plain decoder (draft verification is greedy)" if beam_size != 1 \
            else self.draft_support()
        if decoder == "draft" and why:
            raise ValueError(f"the draft decoder cannot run here: {why}")
        return "shared" if why else "draft"

    def translate_and_score(self, sources: Sequence[str], drafts: Sequence[str], *, beam_size: int = 4,
                            max_length: int = 512, batch_size: int = 16,
                            decoder: str = "auto") -> tuple[list[str], list[TokenScores]]:
        """`translate(sources)` and `score(sources=sources, targets=drafts)` in one go.

        With the draft decoder (`decoder_for`), each batch of sources is encoded once and greedy search
        runs verified against the drafts (`service.draft_decoding`): its output is greedy search's, and
        the drafts' forced decoding is its first pass. Pairs the model cannot take whole (too long for
        its positions, or an empty side) and the plain decoder go through `translate` and `score`."""
        if len(sources) != len(drafts):
            raise ValueError(f"translate_and_score() needs as many drafts as sources, got {len(sources)} and "
                             f"{len(drafts)}")
        used = self.decoder_for(decoder, beam_size)
        if used == "plain":
            return (self.translate(sources, beam_size=beam_size, max_length=max_length, batch_size=batch_size),
                    self.score(sources=sources, targets=drafts, batch_size=batch_size))
        limit = self.max_positions - 2
        whole = [i for i, (s, d) in enumerate(zip(sources, drafts)) if s.strip() and d.strip()
                 and self._source_length(s) <= limit and self._target_length(d) <= limit]
        rest = sorted(set(range(len(sources))) - set(whole))
        translations: list[str] = [""] * len(sources)
        scores: list[TokenScores | None] = [None] * len(sources)
        if rest:
            for i, text, scored in zip(rest, self.translate([sources[i] for i in rest], beam_size=beam_size,
                                                            max_length=max_length, batch_size=batch_size),
                                       self.score(sources=[sources[i] for i in rest],
                                                  targets=[drafts[i] for i in rest], batch_size=batch_size)):
                translations[i], scores[i] = text, scored
        prepared = {i: self._target_pieces(drafts[i]) for i in whole}
        ids = {i: self.source_ids(sources[i]) for i in whole}
        widths = {i: max(len(ids[i]), len(prepared[i][0])) for i in whole}
        order = sorted(whole, key=lambda i: len(ids[i]) + len(prepared[i][0]), reverse=True)
        lengths = [widths.get(i, 0) for i in range(len(sources))]
        for batch in batches(order, lengths, batch_size, self.max_batch_tokens):
            run = self._draft_batch if used == "draft" else partial(self._shared_batch, beam_size=beam_size)
            outputs, values = run([ids[i] for i in batch], [prepared[i][0] for i in batch], max_length=max_length)
            for i, text, logprobs in zip(batch, outputs, values):
                _, pieces, spans = prepared[i]
                translations[i] = text
                scores[i] = TokenScores(drafts[i], tuple(pieces), tuple(logprobs), tuple(spans))
        return translations, [s for s in scores if s is not None]

    def shortlist_support(self) -> str:
        """Why an output shortlist cannot apply to this model's generations, or "" when it can."""
        import torch

        if not isinstance(self.model.lm_head, torch.nn.Linear):
            return f"the {self.backend} backend's output layer is quantized: shortlists run on fp32, bf16 and fp16"
        return ""

    def frequent_pieces(self, count: int) -> list[int]:
        """The ids of the `count` most frequent target pieces (highest SentencePiece unigram score)."""
        if self._frequent is None or len(self._frequent) < count:
            spm = self.tokenizer.spm_target
            vocab = self.tokenizer.get_vocab()
            ranked = sorted(range(spm.GetPieceSize()), key=lambda i: spm.GetScore(i), reverse=True)
            self._frequent = [vocab[p] for p in (spm.IdToPiece(i) for i in ranked) if p in vocab]
        return self._frequent[:count]

    def _shared_batch(self, source_ids: list[list[int]], draft_ids: list[list[int]], *, max_length: int,
                      beam_size: int) -> tuple[list[str], list[list[float]]]:
        """One batch through the encoder once, then `generate` (beam search) and the drafts' forced
        decoding from that encoder output: translations and draft log-probabilities."""
        import torch
        from transformers.modeling_outputs import BaseModelOutput

        input_ids, mask = self._padded(source_ids)
        with torch.inference_mode(), self._autocast():
            encoder = self.model.model.encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state
            logprobs = self._forced_logprobs([], source_ids, draft_ids, encoder=encoder)
            generated = self.model.generate(encoder_outputs=BaseModelOutput(last_hidden_state=encoder),
                                            attention_mask=mask, num_beams=beam_size, max_length=max_length,
                                            do_sample=False)
        return list(self.tokenizer.batch_decode(generated, skip_special_tokens=True)), logprobs

    def _draft_batch(self, source_ids: list[list[int]], draft_ids: list[list[int]], *,
                     max_length: int) -> tuple[list[str], list[list[float]]]:
        """One batch through the encoder once and the draft decoder: translations and draft log-probabilities."""
        import torch

        from service.draft_decoding import DraftDecoder, rules_for

        rules, _ = rules_for(getattr(self.model, "generation_config", None), int(self.tokenizer.pad_token_id))
        assert rules is not None
        pad = int(self.tokenizer.pad_token_id)
        config = self.model.config
        decoder = DraftDecoder(self.model, start_id=int(getattr(config, "decoder_start_token_id", None) or pad),
                               eos_id=int(config.eos_token_id), pad_id=pad, rules=rules)
        input_ids, mask = self._padded(source_ids)
        with torch.inference_mode(), self._autocast():
            encoder = self.model.model.encoder(input_ids=input_ids, attention_mask=mask).last_hidden_state
            shortlist = None
            if self.shortlist and not self.shortlist_support():
                # candidates of the batch: frequent pieces, and every piece of its sources and drafts
                # (opus-mt vocabularies are shared between the two languages)
                shortlist = {*self.frequent_pieces(self.shortlist), *(i for row in draft_ids for i in row)}
                if not getattr(self.tokenizer, "separate_vocabs", False):
                    shortlist.update(i for row in source_ids for i in row)
            tokens, logprobs, stats = decoder.decode(encoder, mask, draft_ids, max_length=max_length,
                                                     shortlist=sorted(shortlist) if shortlist else None)
        self.draft_stats.add(stats)
        return list(self.tokenizer.batch_decode(tokens, skip_special_tokens=True)), logprobs

    def score(self, *, sources: Sequence[str], targets: Sequence[str], batch_size: int = 16) -> list[TokenScores]:
        """Log-probability of each target token given its source, by forced decoding.

        `sources[i]` and `targets[i]` form a pair. Pairs too long for the model are cut into
        the same number of parts on both sides at spaces (proportionally to their lengths),
        each part pair is scored, and the parts' tokens are joined back with spans in the
        whole target; the inner end-of-sentence tokens are dropped.
        """
        if len(sources) != len(targets):
            raise ValueError(f"score() needs as many sources as targets, got {len(sources)} and {len(targets)}")
        limit = self.max_positions - 2
        units: list[tuple[str, str]] = []
        plan: list[list[tuple[int, int]]] = []  # per pair: (unit index, target char offset)
        for source, target in zip(sources, targets):
            need = max(self._source_length(source), self._target_length(target))
            parts = max(1, math.ceil(need / limit))
            while True:
                src_ranges, tgt_ranges = _split_even(source, parts), _split_even(target, parts)
                fits = all(self._source_length(source[a:b]) <= limit for a, b in src_ranges) and all(
                    self._target_length(target[a:b]) <= limit for a, b in tgt_ranges
                )
                if fits or parts >= max(len(source), len(target)):
                    break
                parts += 1
            entries = []
            for (sa, sb), (ta, tb) in zip(src_ranges, tgt_ranges):
                entries.append((len(units), ta))
                units.append((source[sa:sb], target[ta:tb]))
            plan.append(entries)
        scored = self._score_pairs(units, batch_size)
        results: list[TokenScores] = []
        for target, entries in zip(targets, plan):
            pieces: list[str] = []
            values: list[float] = []
            spans: list[tuple[int, int]] = []
            for k, (unit, offset) in enumerate(entries):
                part = scored[unit]
                keep = len(part.pieces) if k == len(entries) - 1 else len(part.pieces) - 1
                shifted = [(a + offset, b + offset) for a, b in part.spans[:keep]]
                if spans and shifted and shifted[0][0] > spans[-1][1]:
                    # the space at the cut opens this part; SentencePiece drops leading spaces
                    shifted[0] = (spans[-1][1], shifted[0][1])
                pieces.extend(part.pieces[:keep])
                values.extend(part.logprobs[:keep])
                spans.extend(shifted)
            if entries:
                spans[-1] = (len(target), len(target))
            results.append(TokenScores(target, tuple(pieces), tuple(values), tuple(spans)))
        return results
