"""The real translations `eval.precision` checks: human references (where a flag is a false alarm) and
machine outputs (where a flag should be a real error), with the development / test split.

Human translations, French source and professional English, from the shared data folder:

    dev   WMT12 and WMT13 newstest references, Potet 2012 post-edits of MT (`potet2012-fr-en-mt-postedits/`)
    test  WMT14 newstest references, NTREX-128 (`ntrex128-newstest2019-en-fr/`: newstest2019's English
          original `newstest2019-src.eng.txt` read as the translation of its French `newstest2019-ref.fra.txt`)

Machine translations: every system output of WMT12, WMT13 and WMT14 (`system-outputs/`) and the Potet
MT (LIG's Moses, lowercased and tokenized in the corpus: detokenized here, but names and acronyms stay
lower case, so its names figures say little). By default a system is checked on the segments the WMT
judges ranked it on, which are all the discrimination figures need and keep the run to minutes;
`all_mt=True` checks every line. `limit` samples that many lines of each human corpus and that many
segments of each WMT year (one sample for all its systems, so judged pairs stay whole; a fixed sample).

Each line is checked with the source lines before it in its article as context (`Document.context`:
WMT's SGML document ids, NTREX-128's `DOCUMENT_IDS.tsv`; the Potet post-edits have none).

Rules are developed on the dev split; the test split is only ever reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from eval.documents import contexts, listed_document_ids
from eval.inputs import InputError
from eval.meta.data import WmtYear, load_wmt_year, read_segments, year_directory
from eval.meta.potet import DIRNAME as POTET_DIRNAME
from eval.meta.potet import load_potet

Split = Literal["dev", "test"]
Kind = Literal["human", "mt"]

DEV_YEARS = (12, 13)
TEST_YEARS = (14,)
NTREX_DIR = "ntrex128-newstest2019-en-fr"
NTREX_FRENCH = "newstest2019-ref.fra.txt"
NTREX_ENGLISH = "newstest2019-src.eng.txt"
NTREX_DOCUMENTS = "DOCUMENT_IDS.tsv"


@dataclass
class Corpus:
    """Line-aligned French sources and English translations of one origin, with their 0-based lines."""

    name: str
    split: Split
    kind: Kind
    sources: list[str]
    translations: list[str]
    lines: list[int]
    year: int | None = None
    system: str | None = None
    contexts: list[str] = field(default_factory=list)
    """The source before each line in its article (`eval.documents`), checked as `Document.context`;
    empty strings where the corpus gives no document ids (the Potet post-edits)."""

    def __post_init__(self) -> None:
        if not self.contexts:
            self.contexts = [""] * len(self.sources)
        if not len(self.sources) == len(self.translations) == len(self.lines) == len(self.contexts):
            raise ValueError(f"{self.name}: {len(self.sources)} sources, {len(self.translations)} translations, "
                             f"{len(self.lines)} line numbers, {len(self.contexts)} contexts")

    def pairs(self) -> list[tuple[str, str, str]]:
        """(source, translation, context) of each line: what is checked, and the key of its flags."""
        return list(zip(self.sources, self.translations, self.contexts))

    def __len__(self) -> int:
        return len(self.sources)


def sample_lines(n: int, limit: int | None, seed: int = 0) -> list[int]:
    """All of range(n), or a fixed sample of `limit` of them in order (same seed, same sample)."""
    if limit is None or limit >= n:
        return list(range(n))
    return sorted(np.random.default_rng(seed).choice(n, size=limit, replace=False).tolist())


def _corpus(name: str, split: Split, kind: Kind, sources: Sequence[str], translations: Sequence[str],
            lines: Sequence[int], *, year: int | None = None, system: str | None = None,
            contexts: Sequence[str] = ()) -> Corpus:
    return Corpus(name, split, kind, [sources[i] for i in lines], [translations[i] for i in lines], list(lines),
                  year=year, system=system, contexts=[contexts[i] for i in lines] if contexts else [])


def load_years(data: Path, years: Sequence[int]) -> dict[int, WmtYear]:
    """The WMT years found in `data` (a year whose folder is missing is left out)."""
    found = {}
    for year in years:
        try:
            year_directory(data, year)
        except InputError:
            continue
        found[year] = load_wmt_year(data, year)
    return found


def _ntrex(data: Path, limit: int | None, seed: int) -> Corpus | None:
    folder = data / NTREX_DIR
    if not folder.is_dir():
        return None
    french = read_segments(folder / NTREX_FRENCH, "NTREX-128 French")
    english = read_segments(folder / NTREX_ENGLISH, "NTREX-128 English")
    if len(french) != len(english):
        raise InputError(f"{folder}: {NTREX_FRENCH} has {len(french)} lines, {NTREX_ENGLISH} {len(english)}")
    ids = folder / NTREX_DOCUMENTS
    documents = listed_document_ids(ids) if ids.is_file() else []
    return _corpus("NTREX-128", "test", "human", french, english, sample_lines(len(french), limit, seed),
                   contexts=contexts(french, documents))


def human_corpora(data: Path, years: dict[int, WmtYear], *, limit: int | None = None, seed: int = 0) -> list[Corpus]:
    """The professional translations: WMT references of each year, the Potet post-edits and NTREX-128."""
    corpora = []
    for year, wmt in sorted(years.items()):
        split: Split = "dev" if year in DEV_YEARS else "test"
        corpora.append(_corpus(f"WMT{year} references", split, "human", wmt.sources, wmt.references,
                               sample_lines(len(wmt.sources), limit, seed), year=year, contexts=wmt.contexts))
    if (data / POTET_DIRNAME).is_dir():
        potet = load_potet(data)
        corpora.append(_corpus("Potet post-edits", "dev", "human", potet.sources, potet.post_edits,
                               sample_lines(len(potet), limit, seed)))
    ntrex = _ntrex(data, limit, seed)
    if ntrex is not None:
        corpora.append(ntrex)
    if not corpora:
        raise InputError(f"{data}: no corpus found (expected wmt12-newstest2012-fr-en/ and the others of "
                         "../shared/data)")
    return corpora


def mt_corpora(data: Path, years: dict[int, WmtYear], *, all_mt: bool = False, limit: int | None = None,
               seed: int = 0) -> list[Corpus]:
    """The machine outputs: each WMT system (on its judged segments unless `all_mt`) and the Potet MT."""
    corpora = []
    for year, wmt in sorted(years.items()):
        split: Split = "dev" if year in DEV_YEARS else "test"
        judged: dict[str, set[int]] = {}
        for judgment in wmt.judgments:
            judged.setdefault(judgment.better, set()).add(judgment.segment)
            judged.setdefault(judgment.worse, set()).add(judgment.segment)
        # One sample of segments for the whole year, so that both outputs of a judged pair are in it.
        pool = list(range(len(wmt.sources))) if all_mt else sorted(set().union(*judged.values()))
        chosen = {pool[i] for i in sample_lines(len(pool), limit, seed)}
        for system, outputs in sorted(wmt.outputs.items()):
            lines = sorted(chosen if all_mt else chosen & judged.get(system, set()))
            if lines:
                corpora.append(_corpus(f"WMT{year} {system}", split, "mt", wmt.sources, outputs, lines, year=year,
                                       system=system, contexts=wmt.contexts))
    if (data / POTET_DIRNAME).is_dir():
        potet = load_potet(data)
        corpora.append(_corpus("Potet MT", "dev", "mt", potet.sources, potet.mt_detok,
                               sample_lines(len(potet), limit, seed)))
    return corpora
