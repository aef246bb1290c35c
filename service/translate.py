"""MarianMT translation and forced-decoding scores: the only module that touches torch.

A `Translator` wraps one MarianMT direction (MarianMTModel + MarianTokenizer) loaded from a hub
id or a local directory. It offers two operations:

- `translate(texts)`: beam or greedy generation, batched by length with the input order
  restored, so results do not depend on how texts were grouped;
- `score(sources=..., targets=...)`: forced decoding, giving the log-probability of every
  target token with the character span of the target it covers.

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
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    import torch

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


class Translator:
    """One MarianMT direction, loaded once, used for generation and forced decoding.

    Build it with `Translator.load(name_or_dir)`. Decoding settings are arguments of
    `translate`, so callers record them (they enter the report signature).
    """

    def __init__(self, model: Any, tokenizer: Any, resolved: ResolvedModel, device: str) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.resolved = resolved
        self.device = device
        self.source_lang: str = getattr(tokenizer, "source_lang", None) or "und"
        self.target_lang: str = getattr(tokenizer, "target_lang", None) or "und"
        positions = int(getattr(model.config, "max_position_embeddings", 512))
        self.max_positions = min(positions, int(getattr(tokenizer, "model_max_length", positions) or positions))

    @classmethod
    def load(
        cls, name: str, *, device: str = "auto", revision: str | None = None, offline: bool = False
    ) -> Translator:
        """Load a MarianMT model and tokenizer from a hub id or a local directory.

        `device="auto"` picks CUDA when available. Raises `ModelUnavailableError` when the model
        cannot be found or read.
        """
        resolved = resolve_model(name, revision=revision, offline=offline)
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        device = pick_device(device)
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
                tokenizer = MarianTokenizer.from_pretrained(str(resolved.path))
            model = MarianMTModel.from_pretrained(str(resolved.path))
        except (OSError, ValueError) as exc:
            raise ModelUnavailableError(name, f"its files in {resolved.path} could not be read: {exc}") from exc
        model.to(torch.device(device))
        model.eval()
        return cls(model, tokenizer, resolved, device)

    @property
    def dtype(self) -> str:
        """Weight type of the loaded model, e.g. "float32"."""
        return str(next(self.model.parameters()).dtype).removeprefix("torch.")

    def describe(self) -> str:
        """`name@revision` of the model, for signatures."""
        return f"{self.resolved.name}@{self.resolved.revision}"

    # -- lengths and splitting -------------------------------------------------------------

    def _source_length(self, text: str) -> int:
        return len(self.tokenizer.spm_source.encode(text)) + 1

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

        Texts are sorted by length and translated `batch_size` at a time, then put back in
        order. Empty or whitespace-only texts translate to "". Texts longer than the model's
        positions are split and their parts' translations joined with a space.
        """
        import torch

        parts: list[str] = []
        owners: list[int] = []
        for index, text in enumerate(texts):
            if text.strip():
                for chunk in self._chunks(text):
                    parts.append(chunk)
                    owners.append(index)
        outputs = [""] * len(parts)
        order = sorted(range(len(parts)), key=lambda i: self._source_length(parts[i]), reverse=True)
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                batch = order[start : start + batch_size]
                encoded = self.tokenizer([parts[i] for i in batch], return_tensors="pt", padding=True).to(self.device)
                generated = self.model.generate(
                    **encoded, num_beams=beam_size, max_length=max_length, do_sample=False
                )
                decoded = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
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
        """Forced decoding of pairs that fit the model, batched by length, order restored."""
        import torch

        prepared = [self._target_pieces(target) for _, target in pairs]
        results: list[TokenScores | None] = [None] * len(pairs)
        order = sorted(
            range(len(pairs)), key=lambda i: self._source_length(pairs[i][0]) + len(prepared[i][0]), reverse=True
        )
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                batch = order[start : start + batch_size]
                encoded = self.tokenizer([pairs[i][0] for i in batch], return_tensors="pt", padding=True)
                width = max(len(prepared[i][0]) for i in batch)
                labels = torch.full((len(batch), width), -100, dtype=torch.long)
                for row, i in enumerate(batch):
                    ids = prepared[i][0]
                    labels[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
                logits = self.model(
                    input_ids=encoded["input_ids"].to(self.device),
                    attention_mask=encoded["attention_mask"].to(self.device),
                    labels=labels.to(self.device),
                ).logits
                logprobs = self._gather(logits, labels.to(self.device))
                for row, i in enumerate(batch):
                    ids, pieces, spans = prepared[i]
                    values = tuple(float(v) for v in logprobs[row, : len(ids)].tolist())
                    results[i] = TokenScores(pairs[i][1], tuple(pieces), values, tuple(spans))
        return [r for r in results if r is not None]

    @staticmethod
    def _gather(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        import torch

        logprobs = torch.log_softmax(logits.float(), dim=-1)
        safe = labels.clamp(min=0)
        return logprobs.gather(-1, safe.unsqueeze(-1)).squeeze(-1)

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
