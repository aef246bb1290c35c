"""Draft-verified greedy decoding for MarianMT: greedy output, fewer sequential decoder passes.

A check runs two generations that each come with a draft of their output: the forward translation of
the source has the MT itself, the back-translation of the MT has the French source. Forced decoding of
the draft (which the check needs anyway, for its likelihood signals) gives the model's argmax at every
draft position; greedy search would emit the draft up to the first position where the argmax differs,
then that argmax. From there the draft is re-synchronised with what was generated (the continuation
after the last generated tokens, found in the draft as prompt-lookup and aggressive decoding do) and
the next few draft tokens are verified in one parallel pass, again and again until the end of the
sentence (Sun et al. 2021, "Instantaneous Grammatical Error Correction with Shallow Aggressive
Decoding"; Ge et al. 2022, "Lossless Acceleration for Seq2seq Generation with Aggressive Decoding").

Every emitted token is the model's argmax given the tokens before it, so the output is greedy search's;
only the arithmetic differs (several positions per decoder call instead of one), which can flip the
argmax where the two best logits are within float rounding of each other (`eval.bench_draft` counts
those). The logits processors that greedy search applies for a Marian generation config are applied the
same way: banned tokens (`bad_words_ids` of one token, `suppress_tokens`) and the forced end of sentence
at `max_length`; a configuration with any other processor is not supported (`supported` says why) and
the caller falls back to plain `generate`.

Rows of a batch advance by different numbers of tokens per pass. Their self-attention cache is one
tensor per layer that grows by the pass width for every row; a per-row mask hides the slots a row
rejected or padded, and each input carries its row's own position (Marian's sinusoidal positions are
looked up by position id), so a row's attention sees exactly its own sequence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from service.translate import LOGIT_ROWS, Translator

WINDOW = 8  # at most this many draft tokens proposed per verification pass
MIN_WINDOW = 2  # proposed after a re-synchronising match of 2+ tokens, even by a row that stopped proposing


@dataclass
class DraftStats:
    """What the decoder did: sentences, decoder passes (the first is the forced decoding of the draft),
    tokens emitted, draft tokens proposed after the first pass and how many of them were accepted."""

    sentences: int = 0
    passes: int = 0
    tokens: int = 0
    first_pass_tokens: int = 0
    proposed: int = 0
    accepted: int = 0
    positions: int = 0  # decoder positions computed by the verification passes (padding included)
    per_sentence_passes: list[int] = field(default_factory=list)

    def add(self, other: DraftStats) -> None:
        """Accumulate another batch's counts."""
        self.sentences += other.sentences
        self.passes += other.passes
        self.tokens += other.tokens
        self.first_pass_tokens += other.first_pass_tokens
        self.proposed += other.proposed
        self.accepted += other.accepted
        self.positions += other.positions
        self.per_sentence_passes.extend(other.per_sentence_passes)

    def as_dict(self) -> dict[str, float]:
        """The counts and the rates `eval.bench` prints: tokens accepted per verification pass and passes
        per sentence (a pass counted once per sentence it advanced)."""
        row_passes = sum(self.per_sentence_passes)
        return {
            "sentences": self.sentences, "batch_passes": self.passes, "tokens": self.tokens,
            "passes_per_sentence": round(row_passes / self.sentences, 3) if self.sentences else 0.0,
            "tokens_per_pass": round(self.tokens / row_passes, 3) if row_passes else 0.0,
            "first_pass_share": round(self.first_pass_tokens / self.tokens, 3) if self.tokens else 0.0,
            "proposal_acceptance": round(self.accepted / self.proposed, 3) if self.proposed else 0.0,
            "verification_positions": self.positions,
        }


@dataclass(frozen=True)
class GreedyRules:
    """The logits processors greedy search applies for a generation config, as this decoder applies them."""

    banned: tuple[int, ...]
    forced_eos: int | None


def rules_for(generation_config: Any, pad_id: int) -> tuple[GreedyRules | None, str]:
    """The greedy rules of a model's generation config, or None and the reason it is not supported."""
    if generation_config is None:
        return GreedyRules((), None), ""
    for name, neutral in (("no_repeat_ngram_size", 0), ("encoder_no_repeat_ngram_size", 0), ("min_length", 0),
                          ("min_new_tokens", None), ("repetition_penalty", 1.0), ("forced_bos_token_id", None),
                          ("begin_suppress_tokens", None), ("sequence_bias", None), ("exponential_decay_length_penalty",
                                                                                      None)):
        value = getattr(generation_config, name, neutral)
        if value not in (neutral, None) and not (neutral == 0 and value == 0):
            return None, f"generation config sets {name}={value!r}"
    banned: list[int] = []
    for words in getattr(generation_config, "bad_words_ids", None) or []:
        if len(words) != 1:
            return None, "generation config bans a sequence of several tokens (bad_words_ids)"
        banned.append(int(words[0]))
    banned.extend(int(t) for t in getattr(generation_config, "suppress_tokens", None) or [])
    forced = getattr(generation_config, "forced_eos_token_id", None)
    if isinstance(forced, list):
        if len(forced) != 1:
            return None, "generation config forces one of several end tokens"
        forced = forced[0]
    return GreedyRules(tuple(sorted(set(banned))), None if forced is None else int(forced)), ""


@dataclass
class _Row:
    """One sentence being decoded: its draft, what greedy emitted so far, and where the draft stands."""

    draft: list[int]
    tokens: list[int] = field(default_factory=list)
    pointer: int = 0  # index in the draft of the token expected next
    window: int = WINDOW  # draft tokens to propose next: 0 after an outright rejection, doubled after a full accept
    passes: int = 0
    done: bool = False
    ngrams: dict[tuple[int, ...], list[int]] = field(default_factory=dict)  # 1- to 3-grams -> their starts

    def __post_init__(self) -> None:
        for n in (1, 2, 3):
            for j in range(len(self.draft) - n + 1):
                self.ngrams.setdefault(tuple(self.draft[j : j + n]), []).append(j)


def _propose(row: _Row, window: int) -> tuple[list[int], int]:
    """The draft tokens to verify after what the row emitted, and the draft index of the first one.

    The last emitted tokens are looked up in the draft near where it stands (3-, 2-, then 1-gram): a
    match says where greedy output and draft agree again. With no match, the emitted token is read as
    a substitution of the expected draft token. A row whose last proposal was rejected outright
    (`_Row.window` 0) proposes again only on a match of two tokens or more: with a weak draft, a
    proposal is extra positions for nothing."""
    draft, tokens, q = row.draft, row.tokens, row.pointer
    for n in (3, 2, 1):
        if len(tokens) < n or (n == 1 and row.window == 0):
            continue
        starts = row.ngrams.get(tuple(tokens[-n:]), [])
        hits = [j for j in starts if q - n - 4 <= j <= q + 6]
        if not hits and n >= 2:
            hits = starts
        if hits:
            j = min(hits, key=lambda h: abs(h + n - q))
            return draft[j + n : j + n + max(window, MIN_WINDOW if n >= 2 else 0)], j + n
    if row.window == 0:
        return [], q + 1
    return draft[q + 1 : q + 1 + window], q + 1


def _argmax(logits: Any, positions: Any, rules: GreedyRules, max_length: int) -> Any:
    """Greedy's choice at each row of `logits` (positions: the generated index each row predicts); float32
    logits are overwritten where the rules mask them."""
    import torch

    scores = logits.float()
    if rules.banned:
        scores[:, list(rules.banned)] = float("-inf")
    if rules.forced_eos is not None:
        at_end = positions == max_length - 2
        if bool(at_end.any()):
            scores[at_end] = float("-inf")
            scores[at_end, rules.forced_eos] = 0.0
    return torch.argmax(scores, dim=-1)


def _compact(cache: Any, kept: Any) -> Any:
    """Move each row's kept self-attention slots to the front of the cache and drop the slots no row
    keeps, when that at least halves the cache; the mask of kept slots after it.

    Rejected proposals and padding stay in the cache as masked slots; without this, attention would
    run over all of them at every later pass."""
    import torch

    counts = kept.sum(dim=1)
    longest = int(counts.max())
    if 2 * longest > kept.shape[1]:
        return kept
    # a stable order: kept slots first, in their order, then the others
    order = torch.argsort((~kept).to(torch.int8), dim=1, stable=True)[:, :longest]
    for layer in cache.self_attention_cache.layers:
        index = order[:, None, :, None].expand(-1, layer.keys.shape[1], -1, layer.keys.shape[3])
        layer.keys = layer.keys.gather(2, index)
        layer.values = layer.values.gather(2, index)
    return torch.arange(longest, device=kept.device)[None, :] < counts[:, None]


def _width(proposals: Sequence[Sequence[int]], acceptance: Sequence[Sequence[int]]) -> int:
    """How many proposed tokens to verify in this pass, for every row: the cut that maximises the tokens
    expected per position computed. Every row of a pass computes as many positions as the longest
    proposal, so one row proposing 8 tokens while 31 propose none would make 32 x 9 positions for a few
    tokens. `acceptance[j]` counts how often a proposal's token j was accepted once the ones before were."""
    longest = max((len(p) for p in proposals), default=0)
    rate = [a / t for a, t in acceptance]
    best, best_value = 0, 0.0
    for cut in range(longest + 1):
        expected = float(len(proposals))  # each row emits one token anyway
        for proposal in proposals:
            chance = 1.0
            for j in range(min(cut, len(proposal))):
                chance *= rate[j]
                expected += chance
        value = expected / (len(proposals) * (1 + cut) + len(proposals))  # + a call's cost, about a row each
        if value > best_value:
            best, best_value = cut, value
    return best


class DraftDecoder:
    """Greedy decoding of a loaded MarianMTModel, verified against drafts, batch by batch."""

    def __init__(self, model: Any, *, start_id: int, eos_id: int, pad_id: int, rules: GreedyRules,
                 window: int = WINDOW) -> None:
        self.model = model
        self.start_id, self.eos_id, self.pad_id = start_id, eos_id, pad_id
        self.rules = rules
        self.window = window

    def _layers(self, ids: Any, positions: Any, self_mask: Any, encoder: Any, encoder_mask: Any, cache: Any) -> Any:
        """Marian's decoder stack on `ids` at per-row `positions`, attending with `self_mask`."""
        decoder = self.model.model.decoder
        hidden = decoder.embed_tokens(ids) * decoder.embed_scale
        hidden = hidden + decoder.embed_positions(ids.shape, 0, position_ids=positions)
        for layer in decoder.layers:
            hidden = layer(hidden, self_mask, encoder, encoder_attention_mask=encoder_mask, cache=cache,
                           use_cache=True)
        return hidden

    def _choose(self, hidden: Any, positions: Any, max_length: int, *, labels: Any = None,
                candidates: Any = None) -> tuple[list[int], list[float]]:
        """Greedy's choice at each row of `hidden` (a position each) and, given `labels`, their
        log-probabilities over the whole vocabulary, `LOGIT_ROWS` rows at a time, as forced decoding
        computes them (`Translator._gather`): a batch's whole logits tensor is never held."""
        import torch

        choices, logprobs = [], []
        for a in range(0, hidden.shape[0], LOGIT_ROWS):
            rows, at = hidden[a : a + LOGIT_ROWS], positions[a : a + LOGIT_ROWS]
            if candidates is not None:
                choices.append(self._shortlisted(rows, at, candidates, max_length))
                continue
            logits = self.model.lm_head(rows) + self.model.final_logits_bias[0]
            if labels is not None:
                logprobs.append(Translator._gather(logits, labels[a : a + LOGIT_ROWS]))
            choices.append(_argmax(logits, at, self.rules, max_length))
        return torch.cat(choices).tolist(), torch.cat(logprobs).tolist() if logprobs else []

    def _shortlisted(self, hidden: Any, positions: Any, candidates: Any, max_length: int) -> Any:
        """Greedy's choice among `candidates` (ids, with the end token, without banned ones) only: the
        output layer's rows of those ids, as Marian's lexical shortlists and CTranslate2's
        `vocabulary_mapping` compute it."""
        weight = self.model.lm_head.weight[candidates]
        bias = self.model.final_logits_bias[0, candidates]
        logits = hidden @ weight.T + bias
        eos = int((candidates == self.eos_id).nonzero()[0, 0]) if self.rules.forced_eos is not None else None
        return candidates[_argmax(logits, positions, GreedyRules((), eos), max_length)]

    def _mask(self, allowed: Any, dtype: Any) -> Any:
        """An attention mask from where attention is allowed: boolean for SDPA, additive otherwise."""
        import torch

        if getattr(self.model.config, "_attn_implementation", "eager") == "sdpa":
            return allowed
        return torch.where(allowed, 0.0, torch.finfo(dtype).min).to(dtype)

    def decode(self, encoder: Any, encoder_mask: Any, drafts: Sequence[Sequence[int]], *,
               max_length: int, shortlist: Sequence[int] | None = None,
               ) -> tuple[list[list[int]], list[list[float]], DraftStats]:
        """Greedy output ids of each row (end token included when emitted), the forced-decoding
        log-probability of every draft token, and the counts.

        `encoder` is the encoder's last hidden state of the batch (rows in the drafts' order),
        `encoder_mask` its attention mask; each draft ends with the end-of-sentence id. `shortlist`: the
        ids the verification passes choose among (the first pass, the drafts' forced decoding, always
        sees the whole vocabulary, whose log-sum-exp its scores need); the end token is added and banned
        ids are removed. A shortlist may change the output (when greedy's choice is not in it)."""
        import torch
        from transformers import DynamicCache, EncoderDecoderCache

        rows = [_Row(list(d)) for d in drafts]
        stats = DraftStats(sentences=len(rows))
        cache = EncoderDecoderCache(DynamicCache(), DynamicCache())
        cross = self._mask(encoder_mask.bool(), encoder.dtype)[:, None, None, :]
        scores, kept, agreement = self._first_pass(rows, encoder, cross, cache, stats, max_length)
        candidates = None
        if shortlist is not None:
            ids = sorted((set(shortlist) | {self.eos_id}) - set(self.rules.banned))
            candidates = torch.tensor(ids, dtype=torch.long, device=encoder.device)
        self._verify(rows, encoder, cross, cache, kept, agreement, stats, max_length, candidates)
        stats.tokens = sum(len(row.tokens) for row in rows)
        stats.per_sentence_passes = [row.passes for row in rows]
        return [row.tokens for row in rows], scores, stats

    def _first_pass(self, rows: list[_Row], encoder: Any, cross: Any, cache: Any, stats: DraftStats,
                    max_length: int) -> tuple[list[list[float]], Any, tuple[int, int]]:
        """Forced decoding of the drafts, filling `cache`: each draft token's log-probability, what greedy
        emits up to its first difference with the draft, the mask of cache slots each row keeps, and
        (agreeing positions, positions): how often the draft is the model's choice, teacher-forced."""
        import torch

        device = encoder.device
        width = max(len(row.draft) for row in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        valid = torch.zeros((len(rows), width), dtype=torch.bool)
        labels = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        for b, row in enumerate(rows):
            n = len(row.draft)
            ids[b, 0] = self.start_id
            ids[b, 1:n] = torch.tensor(row.draft[:-1], dtype=torch.long)
            labels[b, :n] = torch.tensor(row.draft, dtype=torch.long)
            valid[b, :n] = True
        positions = torch.arange(width).expand(len(rows), width)
        ids, valid, labels, positions = ids.to(device), valid.to(device), labels.to(device), positions.to(device)
        causal = torch.tril(torch.ones((width, width), dtype=torch.bool, device=device))
        self_mask = self._mask(causal.unsqueeze(0) & valid.unsqueeze(1), encoder.dtype).unsqueeze(1)
        hidden = self._layers(ids, positions, self_mask, encoder, cross, cache)
        choice, logprobs = self._choose(hidden[valid], positions[valid], max_length, labels=labels[valid])
        scores: list[list[float]] = []
        kept = valid.clone()  # physical cache slots each row keeps (its own sequence)
        offset = agree = 0
        for b, row in enumerate(rows):
            n = len(row.draft)
            scores.append([float(v) for v in logprobs[offset : offset + n]])
            greedy = choice[offset : offset + n]
            offset += n
            agree += sum(g == d for g, d in zip(greedy, row.draft))
            k = next((i for i in range(n) if greedy[i] != row.draft[i]), n)
            row.tokens = row.draft[:k] + ([greedy[k]] if k < n else [])
            row.pointer = k
            row.passes = 1
            stats.first_pass_tokens += len(row.tokens)
            kept[b, k + 1 :] = False
            row.done = row.tokens[-1] == self.eos_id or len(row.tokens) >= max_length - 1
        stats.passes = 1
        return scores, kept, (agree, offset)

    def _verify(self, rows: list[_Row], encoder: Any, cross: Any, cache: Any, kept: Any,
                agreement: tuple[int, int], stats: DraftStats, max_length: int, candidates: Any) -> None:
        """Verification passes until every row has ended: each row's last token and the draft tokens
        proposed after it, the longest run greedy agrees with kept, the rest masked out of the cache."""
        import torch

        device = encoder.device
        active = [b for b, row in enumerate(rows) if not row.done]
        if len(active) < len(rows):
            cache.batch_select_indices(torch.tensor(active, dtype=torch.long, device=device))
        kept = kept[active]
        encoder, cross = encoder[active], cross[active]
        limit = int(self.model.config.max_position_embeddings) - 1
        # per proposal index: [accepted, tried], first the drafts' agreement with the argmax at every position of
        # the first pass (teacher-forced): how often a draft token is the model's choice once the prefix agrees
        acceptance = [[agreement[0] + 1, agreement[1] + 2] for _ in range(self.window)]
        while active:
            proposals: list[list[int]] = []
            starts: list[int] = []
            for b in active:
                row = rows[b]
                room = max_length - 2 - len(row.tokens)
                proposal, begin = _propose(row, min(row.window, self.window, room))
                proposal = proposal[:room]
                proposals.append(proposal)
                starts.append(begin)
            cut = _width(proposals, acceptance)
            proposals = [p[:cut] for p in proposals]
            width = 1 + max(len(p) for p in proposals)
            ids = torch.full((len(active), width), self.pad_id, dtype=torch.long)
            positions = torch.zeros((len(active), width), dtype=torch.long)
            new = torch.zeros((len(active), width), dtype=torch.bool)
            for r, b in enumerate(active):
                row = rows[b]
                chain = [row.tokens[-1], *proposals[r]]
                ids[r, : len(chain)] = torch.tensor(chain, dtype=torch.long)
                positions[r] = torch.arange(len(row.tokens), len(row.tokens) + width).clamp(max=limit)
                new[r, : len(chain)] = True
            ids, positions, new = ids.to(device), positions.to(device), new.to(device)
            causal = torch.tril(torch.ones((width, width), dtype=torch.bool, device=device))
            allowed = torch.cat([kept.unsqueeze(1).expand(-1, width, -1), causal.unsqueeze(0) & new.unsqueeze(1)],
                                dim=-1)
            self_mask = self._mask(allowed, encoder.dtype).unsqueeze(1)
            hidden = self._layers(ids, positions, self_mask, encoder, cross, cache)
            choice, _ = self._choose(hidden[new], positions[new], max_length, candidates=candidates)
            stats.passes += 1
            stats.positions += len(active) * width
            keep_new = torch.zeros_like(new)
            offset = 0
            for r, b in enumerate(active):
                row, proposal, begin = rows[b], proposals[r], starts[r]
                greedy = choice[offset : offset + 1 + len(proposal)]
                offset += 1 + len(proposal)
                accepted = 0
                while accepted < len(proposal) and greedy[accepted] == proposal[accepted] \
                        and proposal[accepted] != self.eos_id:
                    accepted += 1
                row.tokens.extend(proposal[:accepted] + [greedy[accepted]])
                after = begin + accepted  # the draft token the last emitted one stands for
                if accepted == len(proposal) and after < len(row.draft) and greedy[accepted] == row.draft[after]:
                    after += 1  # it is that token: the draft goes on after it
                row.pointer = after
                if proposal:
                    row.window = min(self.window, max(1, 2 * row.window)) if accepted == len(proposal) \
                        else 0 if accepted == 0 else max(1, row.window // 2)
                row.passes += 1
                stats.proposed += len(proposal)
                stats.accepted += accepted
                for j in range(min(accepted + 1, len(proposal))):
                    acceptance[j][1] += 1
                    acceptance[j][0] += j < accepted
                keep_new[r, : 1 + accepted] = True
                row.done = row.tokens[-1] == self.eos_id or len(row.tokens) >= max_length - 1
            kept = torch.cat([kept, keep_new], dim=-1)
            kept = _compact(cache, kept)
            still = [r for r, b in enumerate(active) if not rows[b].done]
            if len(still) < len(active):
                index = torch.tensor(still, dtype=torch.long, device=device)
                if still:
                    cache.batch_select_indices(index)
                kept, encoder, cross = kept[index], encoder[index], cross[index]
                active = [active[r] for r in still]
