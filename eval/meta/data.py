"""Reading one WMT fr-en year: source, reference, system outputs and pairwise human judgments.

Layout of a year directory (the public WMT12/13/14 files, see the README's meta-evaluation section):

    wmt14-newstest2014-fr-en/
        newstest2014-fren-src.fr          the French source, one segment a line (`*src.fr`)
        newstest2014-fren-ref.en          the English human reference (`*-ref.en`)
        system-outputs/<file>             one English output per system, line-aligned with the source
        manual-evaluation/fr-en.rank      pairwise human preferences
        sgm/*src*.sgm                     the source in SGML, read for its document ids (optional)

A line of `fr-en.rank` is `srcIndex TAB fr-en TAB better TAB fr-en TAB worse`: in one WMT ranking
task the judge ranked `better` strictly above `worse` on the segment at line `srcIndex` (1-based).
Systems are anonymised as `sysN`, the N-th file of `system-outputs/` (1-based) in case-insensitive
alphabetical order of file name. Here every system is named by its output file name.

Every line of every text is whitespace-normalised (runs of spaces collapsed, ends stripped): some
output files carry trailing spaces that the judges never saw, and a metric should not score them.
Bad input raises `eval.inputs.InputError` naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from eval.documents import contexts, sgm_document_ids
from eval.inputs import InputError, read_text

RANK_FILE = Path("manual-evaluation") / "fr-en.rank"
OUTPUTS_DIR = "system-outputs"
LANGUAGE_PAIR = "fr-en"
_SYSTEM_ID = re.compile(r"sys([1-9][0-9]*)")


@dataclass(frozen=True)
class Judgment:
    """One pairwise human preference: on line `segment` (0-based), system `better` beat system `worse`."""

    segment: int
    better: str
    worse: str


@dataclass
class WmtYear:
    """The texts and judgments of one WMT fr-en year; `outputs` maps system name (file name) to its lines."""

    year: int
    sources: list[str]
    references: list[str]
    outputs: dict[str, list[str]] = field(default_factory=dict)
    judgments: list[Judgment] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    """The source before each line in its article (`eval.documents.contexts`), from `sgm/*src*.sgm`;
    empty strings when the year has no SGML source."""

    def context(self, line: int) -> str:
        """The source text before `line` (0-based) in its article, or "" when unknown."""
        return self.contexts[line] if self.contexts else ""

    @property
    def judged_systems(self) -> list[str]:
        """Systems that occur in at least one judgment, in name order."""
        return sorted({j.better for j in self.judgments} | {j.worse for j in self.judgments})


def full_year(year: int) -> int:
    """2012 for 12 or 2012: users may write either."""
    return year + 2000 if 0 <= year < 100 else year


def year_directory(data_dir: Path, year: int) -> Path:
    """`DATA/wmtYY-newstestYYYY-fr-en`, or InputError saying which directory is missing."""
    full = full_year(year)
    path = Path(data_dir) / f"wmt{full % 100:02d}-newstest{full}-fr-en"
    if not path.is_dir():
        raise InputError(f"WMT{full % 100:02d} data: directory {path} not found (give the data root with --data)")
    return path


def normalise(line: str) -> str:
    """One line with whitespace runs collapsed to single spaces and both ends stripped."""
    return " ".join(line.split())


def read_segments(path: Path, what: str) -> list[str]:
    """The lines of a UTF-8 text file, whitespace-normalised. Lines end only at LF (or CRLF): other
    Unicode line separators inside a segment do not shift the alignment as `str.splitlines` would."""
    text = read_text(str(path), what)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [normalise(line) for line in lines]


def _single(directory: Path, patterns: tuple[str, ...], what: str) -> Path:
    """The one file of `directory` matching the first pattern that matches any; InputError if none or several."""
    for pattern in patterns:
        found = sorted(p for p in directory.glob(pattern) if p.is_file())
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise InputError(f"{what}: several files match {pattern} in {directory}: {names}")
    raise InputError(f"{what}: no file matching {' or '.join(patterns)} in {directory}")


def system_files(directory: Path) -> list[Path]:
    """The files of `system-outputs/` in the order that defines `sysN`: case-insensitive by name."""
    outputs = directory / OUTPUTS_DIR
    if not outputs.is_dir():
        raise InputError(f"system outputs: directory {outputs} not found")
    files = sorted((p for p in outputs.iterdir() if p.is_file()), key=lambda p: p.name.lower())
    if not files:
        raise InputError(f"system outputs: directory {outputs} holds no files")
    return files


def parse_rank_line(line: str, *, path: Path, number: int, systems: list[str], segments: int) -> Judgment:
    """One line of `fr-en.rank` as a Judgment; InputError naming `path:number` when it is malformed or
    its srcIndex / sysN fall outside the texts (`segments` lines, `systems` in sysN order)."""
    where = f"{path}:{number}"
    fields = line.split("\t")
    if len(fields) != 5:
        raise InputError(f"{where}: expected 5 tab-separated fields (srcIndex, fr-en, better, fr-en, worse), "
                         f"found {len(fields)}: {line!r}")
    index, pair_a, better, pair_b, worse = (f.strip() for f in fields)
    if pair_a != LANGUAGE_PAIR or pair_b != LANGUAGE_PAIR:
        raise InputError(f"{where}: fields 2 and 4 must be {LANGUAGE_PAIR!r}, found {pair_a!r} and {pair_b!r}")
    if not index.isdigit():
        raise InputError(f"{where}: srcIndex {index!r} is not a positive integer")
    if not 1 <= int(index) <= segments:
        raise InputError(f"{where}: srcIndex {index} is outside the {segments} source lines (1-based)")
    names = []
    for label in (better, worse):
        match = _SYSTEM_ID.fullmatch(label)
        if match is None:
            raise InputError(f"{where}: system {label!r} is not of the form sysN")
        n = int(match.group(1))
        if n > len(systems):
            raise InputError(f"{where}: {label} does not exist: system-outputs/ holds {len(systems)} files")
        names.append(systems[n - 1])
    if names[0] == names[1]:
        raise InputError(f"{where}: a system ({better}) is compared with itself")
    return Judgment(segment=int(index) - 1, better=names[0], worse=names[1])


def read_judgments(path: Path, *, systems: list[str], segments: int) -> list[Judgment]:
    """All judgments of a rank file, in file order; repeated lines are kept (each is one human decision)."""
    text = read_text(str(path), "judgments")
    judgments = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        judgments.append(parse_rank_line(line.rstrip("\r"), path=path, number=number, systems=systems,
                                         segments=segments))
    if not judgments:
        raise InputError(f"{path}: no judgments")
    return judgments


def load_wmt_year(data_dir: Path, year: int) -> WmtYear:
    """Read the WMT fr-en year `year` (12 or 2012) under `data_dir`, checking that all texts have the same
    number of lines and that every judgment points at an existing line and system."""
    directory = year_directory(data_dir, year)
    source_path = _single(directory, ("*-src.fr", "*src.fr"), "source")
    reference_path = _single(directory, ("*-ref.en",), "reference")
    sources = read_segments(source_path, "source")
    references = read_segments(reference_path, "reference")
    if len(references) != len(sources):
        raise InputError(f"{reference_path}: {len(references)} lines, but the source {source_path.name} has "
                         f"{len(sources)}")
    outputs: dict[str, list[str]] = {}
    for path in system_files(directory):
        lines = read_segments(path, "system output")
        if len(lines) != len(sources):
            raise InputError(f"{path}: {len(lines)} lines, but the source {source_path.name} has {len(sources)}")
        outputs[path.name] = lines
    rank_path = directory / RANK_FILE
    if not rank_path.is_file():
        raise InputError(f"judgments: {rank_path} not found")
    judgments = read_judgments(rank_path, systems=list(outputs), segments=len(sources))
    sgm = sorted((directory / "sgm").glob("*src*.sgm"))
    documents = sgm_document_ids(sgm[0]) if sgm else []
    if documents and len(documents) != len(sources):
        raise InputError(f"{sgm[0]}: {len(documents)} segments, but the source {source_path.name} has {len(sources)}")
    return WmtYear(year=full_year(year), sources=sources, references=references, outputs=outputs,
                   judgments=judgments, contexts=contexts(sources, documents))
