"""The Potet et al. (2012) French-English post-edit corpus and HTER agreement on it.

The corpus (LREC 2012, "Collection of a Large Database of French-English SMT Output Corrections")
is five line-aligned files; this module reads three of them from `potet2012-fr-en-mt-postedits/`:

- `src-ref-all.fr`: the French source sentences;
- `tgt-mt-all.en`: the output of LIG's Moses system, **lowercased and Moses-tokenized**
  ("russia 's threat of ... treaty .");
- `tgt-pe-all.en`: a human post-edit of that output, truecased and *not* tokenized
  ("Russia's threat of ... treaty.").

Because the two English sides come in different forms, they are used in two explicit ways:

- scorers (chrF, round-trip, cross-likelihood...) get `PotetData.mt_detok`: the MT detokenized with
  sacremoses' English MosesDetokenizer and recased by rule (first letter and the pronoun "i" upper
  case), since models and reference-free signals expect natural text. Other capitals (names,
  acronyms) are lost in the MT and stay lower case;
- HTER compares MT and post-edit in the MT's own form: the post-edit is Moses-tokenized (sacremoses,
  English, no escaping, no aggressive dash splitting: the settings that reproduce the MT's
  tokenization, e.g. "russia 's", "--estonia ,") and then lowercased, as the MT was; the MT is only
  lowercased and whitespace-normalised. So an MT that equals its post-edit up to case and
  tokenization has HTER 0. (Re-tokenizing the MT is avoided: Moses tokenization is not idempotent,
  it would split "'s" into "' s".) `hter(..., mt_tokenized=False)` tokenizes the MT the same way
  as the post-edit, for MT in natural form.

The corpus has no document ids. `PotetData.documents` therefore groups consecutive lines in
blocks of `block_size` (default 20) segments, "block-0000", "block-0001", ...: consecutive lines
come from the same news-commentary article, so cross-validation by these groups keeps most of an
article's segments on one side of a split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sacrebleu.metrics import TER
from sacremoses import MosesDetokenizer, MosesTokenizer

from eval.inputs import InputError, read_text
from eval.meta.stats import Correlations, correlation_with_ci

DIRNAME = "potet2012-fr-en-mt-postedits"
SOURCE_FILE = "src-ref-all.fr"
MT_FILE = "tgt-mt-all.en"
POST_EDIT_FILE = "tgt-pe-all.en"
DEFAULT_BLOCK_SIZE = 20

_TOKENIZER = MosesTokenizer(lang="en")
_DETOKENIZER = MosesDetokenizer(lang="en")
# "i" on its own (not a letter inside a word, not "i.e."), including "i'm" once detokenized.
_PRONOUN_I = re.compile(r"(?<![\w.'’-])i(?![\w-]|\.\w)")


class HterAgreement(Correlations):
    """`Correlations` of a scorer with negated HTER, and the number of segments they cover."""

    segments: int


@dataclass
class PotetData:
    """The aligned corpus: one entry per segment in every list, every line whitespace-normalised.

    `mt` is the MT as in the file (lowercased, tokenized; used for HTER), `mt_detok` the
    same MT as natural text (used by scorers), `documents` the group id of each segment (blocks
    of consecutive lines, see the module docstring) and `line_indices` the 0-based line of each
    segment in the files (0..n-1 for the whole corpus; the sampled lines after `subset`).
    """

    sources: list[str]
    mt: list[str]
    post_edits: list[str]
    documents: list[str]
    mt_detok: list[str]
    line_indices: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.line_indices:
            self.line_indices = list(range(len(self.sources)))
        sizes = {len(self.sources), len(self.mt), len(self.post_edits), len(self.documents), len(self.mt_detok),
                 len(self.line_indices)}
        if len(sizes) != 1:
            raise ValueError(f"PotetData fields differ in length: {sorted(sizes)}")

    def __len__(self) -> int:
        return len(self.sources)


def _read_lines(path: Path, what: str) -> list[str]:
    """The whitespace-normalised lines of a UTF-8 file, split on LF only (so that a U+2028 inside a
    line cannot shift the alignment); InputError naming file and line for bad UTF-8 or an empty line."""
    if not path.is_file():
        raise InputError(f"{what} file {path}: not found (expected the Potet et al. 2012 corpus here)")
    lines = read_text(str(path), what).removeprefix("\ufeff").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [" ".join(line.split()) for line in lines]
    for number, line in enumerate(lines, start=1):
        if not line:
            raise InputError(f"{what} file {path}, line {number}: empty; every segment needs a source, an MT "
                             "and a post-edit")
    return lines


def corpus_directory(directory: Path) -> Path:
    """The corpus folder: `directory` itself, or its `potet2012-fr-en-mt-postedits/` subfolder when
    `directory` is the whole data folder (the harness's --data)."""
    nested = directory / DIRNAME
    return nested if nested.is_dir() else directory


def detokenize(tokenized: str) -> str:
    """Natural text from one lowercased Moses-tokenized line: Moses-detokenized (English), with its
    first letter and the pronoun "i" upper-cased (the only capitals that can be restored by rule)."""
    text = _DETOKENIZER.detokenize(tokenized.split())
    text = _PRONOUN_I.sub("I", text)
    for position, character in enumerate(text):
        if character.isalpha():
            return text[:position] + character.upper() + text[position + 1:]
    return text


def load_potet(directory: Path, *, block_size: int = DEFAULT_BLOCK_SIZE) -> PotetData:
    """Read the source, MT and post-edit files of the Potet corpus from `directory` (the corpus
    folder or the data folder holding it), check that they are aligned, and add the document
    blocks and the detokenized MT (see the module docstring for both). Lines are whitespace-normalised;
    a missing file, bad UTF-8, an empty line or unequal line counts raise InputError naming the file."""
    if block_size < 1:
        raise ValueError(f"block_size must be at least 1, got {block_size}")
    folder = corpus_directory(Path(directory))
    paths = [folder / SOURCE_FILE, folder / MT_FILE, folder / POST_EDIT_FILE]
    sources, mt, post_edits = (_read_lines(path, what) for path, what in zip(paths, ("source", "MT", "post-edit")))
    counts = {path.name: len(lines) for path, lines in zip(paths, (sources, mt, post_edits))}
    if len(set(counts.values())) != 1:
        listing = ", ".join(f"{name}: {count} lines" for name, count in counts.items())
        raise InputError(f"{folder}: the corpus files are not line-aligned ({listing})")
    documents = [f"block-{index // block_size:04d}" for index in range(len(sources))]
    return PotetData(sources=sources, mt=mt, post_edits=post_edits, documents=documents,
                     mt_detok=[detokenize(line) for line in mt])


def subset(data: PotetData, n: int, seed: int = 0) -> PotetData:
    """A deterministic sample of `n` segments (without replacement, same seed same sample), kept in
    corpus order with their document ids and line indices; all of `data` when n >= len(data).

    Model-based scorers cannot score all 10,881 segments quickly on a CPU; this backs --limit."""
    if n < 1:
        raise ValueError(f"a subset needs at least one segment, got n={n}")
    if n >= len(data):
        return data
    chosen = sorted(np.random.default_rng(seed).choice(len(data), size=n, replace=False).tolist())
    return PotetData(sources=[data.sources[i] for i in chosen], mt=[data.mt[i] for i in chosen],
                     post_edits=[data.post_edits[i] for i in chosen], documents=[data.documents[i] for i in chosen],
                     mt_detok=[data.mt_detok[i] for i in chosen], line_indices=[data.line_indices[i] for i in chosen])


def tokenized_form(text: str) -> str:
    """`text` as the Potet MT was prepared: Moses-tokenized (English, no escaping, no aggressive dash
    splitting) in its original case, since the tokenizer uses case to find sentence ends, then
    lowercased."""
    return " ".join(_TOKENIZER.tokenize(text, escape=False)).lower()


def hter(mt: Sequence[str], post_edits: Sequence[str], *, mt_tokenized: bool = True) -> list[float]:
    """HTER of each MT segment: the TER of the MT against its human post-edit, as a fraction
    (edits per post-edit word; 0 = nothing to change, can exceed 1).

    Case and tokenization are handled here, explicitly: each post-edit goes through
    `tokenized_form` (Moses tokenization, then lowercase); the MT, already tokenized and lowercased
    in the Potet corpus, is only lowercased and whitespace-normalised (or, with
    `mt_tokenized=False`, goes through `tokenized_form` too). sacrebleu's TER is then told to
    change nothing more (case-sensitive, no normalisation, no punctuation removal). sacrebleu's TER
    takes about 8 ms a segment (some 80 s for the whole corpus on one idle core): use `subset` for quick runs.
    """
    if len(mt) != len(post_edits):
        raise ValueError(f"HTER needs one post-edit per MT segment, got {len(mt)} MT and {len(post_edits)} post-edits")
    metric = TER(case_sensitive=True, normalized=False, no_punct=False)
    values = []
    for index, (hypothesis, post_edit) in enumerate(zip(mt, post_edits)):
        reference = tokenized_form(post_edit)
        if not reference:
            raise ValueError(f"segment {index}: the post-edit is empty, so HTER is undefined")
        candidate = " ".join(hypothesis.lower().split()) if mt_tokenized else tokenized_form(hypothesis)
        values.append(metric.sentence_score(candidate, [reference]).score / 100.0)
    return values


def hter_agreement(scores: Sequence[float], hter_values: Sequence[float], *, resamples: int = 1000,
                   seed: int = 0) -> HterAgreement:
    """Agreement of a scorer (higher = better) with HTER (lower = better) over segments.

    The correlations are computed against NEGATED HTER, so a scorer that agrees with the
    post-editors gets a positive Pearson and Spearman. The 95% intervals are percentile bootstrap
    intervals over segments (`eval.meta.stats.bootstrap_ci`). Returns {"pearson", "spearman",
    "pearson_ci": [lo, hi], "spearman_ci": [lo, hi], "segments": n}.
    """
    if len(scores) != len(hter_values):
        raise ValueError(f"got {len(scores)} scores for {len(hter_values)} HTER values")
    correlations = correlation_with_ci(scores, [-value for value in hter_values], resamples=resamples, seed=seed)
    return HterAgreement(**correlations, segments=len(scores))
