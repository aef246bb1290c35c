"""A perturbation benchmark: errors planted in real human translations, and how many the checks catch.

    python -m eval.perturb --data DIR [--year 13] [--limit N] [--seed 0] [--per-kind 300] [--json FILE]
                           [--out DIR] [--forward-model DIR --backward-model DIR] [--beam N]

The human references of a WMT fr-en year (default WMT13, the development split) are taken as clean
translations of their French sources, and one error is planted in a copy of each chosen segment:
a number changed, a name replaced by another of the same kind, a name removed, a glossary term
given a forbidden rendering (`eval.perturb_kinds` says how). A planted error is kept only when the
clean reference gets no flag of the check type that should see it (number, name, terminology) on
the same French span or English span, so whatever flag the perturbed copy gets there is the
planted error's (segments whose clean reference leaves a sentence out of the alignment are skipped
too: no check looks inside such a sentence). It counts as detected when the perturbed copy gets a
flag of that type on the error that the clean reference did not get; the table gives the rate for
any severity and for major or critical flags. At most `--per-kind` errors per kind (one per segment), a seeded sample.

Rules only by default (no model, as `contresens eval --no-model`). With `--forward-model` and
`--backward-model`, the same errors are checked with the models, so corroboration
(`service.corroborate`: a flag dropped or lowered when the models find the French span conveyed)
is measured too. The choice of errors is the same either way: it is made with the rules, which
flag everything the model checker flags of these types (the models only drop or lower rule flags).

Output: the table on stdout; `--json FILE` adds every planted error with its flags; `--out DIR`
writes `perturbations.tsv` (kind, line, source, reference, perturbed, span, detected) for reading.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eval.inputs import InputError
from eval.perturb_kinds import (
    KINDS,
    Perturbation,
    common_word,
    english_name,
    plant_numbers,
    plant_terms,
    remove_name,
    replace_name,
)
from service.checker import Checker, Document
from service.checks.source_names import SourceName, prefetch, source_names
from service.config import Settings
from service.report import Flag, Report
from service.translate import ModelUnavailableError

BATCH = 500  # documents per check_many call
PER_KIND = 300
NAME_LABELS = ("PER", "LOC", "ORG")
SERIOUS = ("major", "critical")
UNALIGNED = ("unaligned-source-sentence", "unaligned-translation-sentence")
"""Flags of a sentence left out of the alignment: no check looks inside it."""


def _check(checker: Checker, pairs: Sequence[tuple[str, str]]) -> list[Report]:
    """Reports of (source, translation) pairs, checked in batches."""
    reports: list[Report] = []
    for start in range(0, len(pairs), BATCH):
        reports += checker.check_many([Document(s, t) for s, t in pairs[start:start + BATCH]])
    return reports


def _overlaps(a: int | None, b: int | None, spans: Sequence[tuple[int, int]]) -> bool:
    if a is None or b is None:
        return False
    return any(a < end and start < b or a == b == start for start, end in spans)


def on_error(flag: Flag, perturbation: Perturbation, *, clean: bool) -> bool:
    """Whether `flag` (of a report on the clean reference, or on the perturbed copy) concerns the planted
    error: its type is the error's and it points at the error's French span or at its English span."""
    if flag.type != perturbation.check_type:
        return False
    english = perturbation.reference_spans if clean else (perturbation.span,)
    return (_overlaps(flag.source_start, flag.source_end, perturbation.source_spans)
            or _overlaps(flag.translation_start, flag.translation_end, english))


def _names(sources: Sequence[str], checker: Checker) -> list[list[SourceName]]:
    """The PER, LOC and ORG names of each source as the names check finds them (glossary terms left out)."""
    prefetch(sources, "fr")
    found = []
    for source in sources:
        protected = [(o.start, o.end) for o in checker.terms.find_terms(source)] if checker.terms else []
        found.append([n for n in source_names(source, "fr", protected) if n.label in NAME_LABELS])
    return found


def plant(sources: Sequence[str], references: Sequence[str], *, seed: int = 0,
          checker: Checker | None = None) -> list[Perturbation]:
    """Every candidate error of every kind the segments admit, before any filtering or sampling.

    The edits are seeded per segment (the new digit, the replacement name, the forbidden rendering), so
    a segment gets the same candidates whatever else is read. `checker` supplies the glossary (default:
    a rules-only checker with the built-in one)."""
    checker = checker or Checker.rules_only(Settings(cache=False))
    names = _names(sources, checker)
    pool = sorted({(n.label, form[0], line) for line, (ns, ref) in enumerate(zip(names, references)) for n in ns
                   if (form := english_name(n, ref)) is not None and not common_word(form[0], n.label)})
    found: list[Perturbation] = []
    for line, (source, reference) in enumerate(zip(sources, references)):
        rng = random.Random(f"{seed}:{line}")
        found += plant_numbers(line, source, reference, rng)
        for name in names[line]:
            replaced = replace_name(line, source, reference, name, pool, rng)
            removed = remove_name(line, source, reference, name)
            found += [p for p in (replaced, removed) if p is not None]
        if checker.terms is not None:
            found += plant_terms(line, source, reference, checker.terms, rng)
    return found


def build_perturbations(sources: Sequence[str], references: Sequence[str], *, seed: int = 0,
                        per_kind: int = PER_KIND, checker: Checker | None = None) -> list[Perturbation]:
    """Planted errors of the four kinds in line-aligned French sources and English references.

    Candidates (`plant`) whose clean reference already has a flag of their check type on the same span
    are dropped: a flag there could not be told from one on the planted error; so are segments where the
    clean reference has a sentence left out of the alignment (no check looks inside it). Of the rest, one per
    segment and kind, then at most `per_kind` per kind, are drawn with `seed`. `checker` (default:
    rules only, built-in glossary) finds those clean flags and supplies the glossary. Sorted by kind,
    then line."""
    checker = checker or Checker.rules_only(Settings(cache=False))
    candidates = plant(sources, references, seed=seed, checker=checker)
    lines = sorted({p.line for p in candidates})
    clean = dict(zip(lines, _check(checker, [(sources[i], references[i]) for i in lines])))
    chosen: list[Perturbation] = []
    seen = {line for line, report in clean.items() if not any(f.rule in UNALIGNED for f in report.flags)}
    for kind in KINDS:
        per_line: dict[int, list[Perturbation]] = {}
        for p in candidates:
            if p.kind == kind and p.line in seen and not any(on_error(f, p, clean=True) for f in clean[p.line].flags):
                per_line.setdefault(p.line, []).append(p)
        picked = [random.Random(f"{seed}:{kind}:{line}").choice(ps) for line, ps in sorted(per_line.items())]
        random.Random(f"{seed}:{kind}").shuffle(picked)
        chosen += sorted(picked[:per_kind], key=lambda p: p.line)
    return chosen


@dataclass(frozen=True)
class Outcome:
    """One planted error and what the checker said: `flags` are the perturbed copy's flags on the error
    that the clean reference did not get; `clean_flags` all the clean reference's flags of the type."""

    perturbation: Perturbation
    flags: tuple[Flag, ...]
    clean_flags: tuple[Flag, ...]

    @property
    def detected(self) -> bool:
        """A flag of the error's type, any severity, on the error."""
        return bool(self.flags)

    @property
    def detected_major(self) -> bool:
        """A major or critical flag of the error's type on the error."""
        return any(f.severity in SERIOUS for f in self.flags)


@dataclass(frozen=True)
class KindFigures:
    """Detection figures of one kind (or of all: kind "overall")."""

    kind: str
    planted: int
    detected: int
    detected_major: int
    by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        return self.detected / self.planted if self.planted else None

    @property
    def major_rate(self) -> float | None:
        return self.detected_major / self.planted if self.planted else None


@dataclass
class PerturbResult:
    """The outcome of every planted error, and the checker's signature."""

    outcomes: list[Outcome]
    signature: str

    def figures(self) -> list[KindFigures]:
        """Figures per kind, in `KINDS` order, then overall."""
        rows = []
        for kind in (*KINDS, "overall"):
            mine = [o for o in self.outcomes if kind in ("overall", o.perturbation.kind)]
            rules = Counter(f"{f.rule} {f.severity}" for o in mine for f in o.flags)
            rows.append(KindFigures(kind, len(mine), sum(o.detected for o in mine),
                                    sum(o.detected_major for o in mine), dict(sorted(rules.items()))))
        return rows


def _key(flag: Flag) -> tuple[object, ...]:
    return flag.type, flag.rule, flag.source_start, flag.source_end, flag.source_text


def detect(checker: Checker, perturbations: Sequence[Perturbation]) -> PerturbResult:
    """Check every perturbed copy and its clean reference with `checker`; an error is detected when the copy
    gets a flag of the error's type on the error (French or English span) that the clean reference did not
    get (same rule on the same French span). Clean references are checked once per segment."""
    lines = sorted({p.line for p in perturbations})
    by_line = {p.line: p for p in perturbations}
    clean = dict(zip(lines, _check(checker, [(by_line[i].source, by_line[i].reference) for i in lines])))
    perturbed = _check(checker, [(p.source, p.perturbed) for p in perturbations])
    outcomes = []
    for p, report in zip(perturbations, perturbed):
        before = {_key(f) for f in clean[p.line].flags}
        new = tuple(f for f in report.flags if on_error(f, p, clean=False) and _key(f) not in before)
        outcomes.append(Outcome(p, new, tuple(f for f in clean[p.line].flags if f.type == p.check_type)))
    return PerturbResult(outcomes, checker.signature)


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_table(result: PerturbResult) -> str:
    """The figures as a plain text table: planted, detected (any severity), rate, major or critical, rate."""
    lines = [f"{'kind':<16} {'planted':>7} {'detected':>8} {'rate':>6} {'major+':>7} {'rate':>6}"]
    for row in result.figures():
        lines.append(f"{row.kind:<16} {row.planted:>7} {row.detected:>8} {_rate(row.rate):>6} "
                     f"{row.detected_major:>7} {_rate(row.major_rate):>6}")
    return "\n".join(lines)


def _flag_json(flag: Flag) -> dict[str, Any]:
    return flag.model_dump(exclude_none=True)


def _detected(outcome: Outcome) -> str:
    return "major" if outcome.detected_major else "minor" if outcome.detected else "no"


def to_json(result: PerturbResult, **about: Any) -> dict[str, Any]:
    """Figures per kind and every planted error with its flags (lines 1-based)."""
    figures = {row.kind: {**asdict(row), "rate": row.rate, "major_rate": row.major_rate}
               for row in result.figures()}
    records = []
    for o in result.outcomes:
        p = o.perturbation
        records.append({"kind": p.kind, "line": p.line + 1, "label": p.label, "source": p.source,
                        "reference": p.reference, "perturbed": p.perturbed, "span": list(p.span),
                        "original": p.original, "replacement": p.replacement,
                        "source_spans": [list(s) for s in p.source_spans], "detected": _detected(o),
                        "flags": [_flag_json(f) for f in o.flags],
                        "clean_flags": [_flag_json(f) for f in o.clean_flags]})
    overall = figures.pop("overall")
    return {**about, "signature": result.signature, "kinds": figures, "overall": overall, "records": records}


def write_tsv(result: PerturbResult, path: Path) -> None:
    """One row per planted error: kind, line (1-based), source, reference, perturbed, span, detected."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(["kind", "line", "source", "reference", "perturbed", "span", "detected"])
        for o in result.outcomes:
            p = o.perturbation
            span = f"{p.span[0]}-{p.span[1]} {p.original} -> {p.replacement or '(removed)'}"
            writer.writerow([p.kind, p.line + 1, p.source, p.reference, p.perturbed, span, _detected(o)])


def build_checker(args: argparse.Namespace) -> Checker:
    """Rules only, or with both models when they are given (`--beam` sets their beam)."""
    if not args.forward_model:
        return Checker.rules_only(Settings(cache=False))
    from eval.run_check import quiet_model_loading

    quiet_model_loading()
    extra = {} if args.beam is None else {"beam_size": args.beam}
    return Checker.from_settings(Settings(cache=False, forward_model=args.forward_model,
                                          backward_model=args.backward_model, **extra))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: plant, check, print the table; --json and --out write the details."""
    from eval.meta.data import full_year, load_wmt_year

    parser = argparse.ArgumentParser(prog="python -m eval.perturb", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding wmtYY-newstestYYYY-fr-en/")
    parser.add_argument("--year", type=int, default=13, help="WMT year, 12 or 2012 (default 13, the dev split)")
    parser.add_argument("--limit", type=int, help="read only the first N segments")
    parser.add_argument("--seed", type=int, default=0, help="seed of the edits and of the sample (default 0)")
    parser.add_argument("--per-kind", type=int, default=PER_KIND, help=f"errors per kind at most ({PER_KIND})")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write figures and every planted error here")
    parser.add_argument("--out", type=Path, metavar="DIR", help="write perturbations.tsv to this folder")
    parser.add_argument("--forward-model", help="local fr->en MarianMT directory (check with the models)")
    parser.add_argument("--backward-model", help="local en->fr MarianMT directory (check with the models)")
    parser.add_argument("--beam", type=int, help="beam size of the models (default: the settings', 4)")
    args = parser.parse_args(argv)
    if bool(args.forward_model) != bool(args.backward_model):
        parser.error("give both --forward-model and --backward-model, or neither")
    if args.limit is not None and args.limit < 1 or args.per_kind < 1:
        parser.error("--limit and --per-kind must be at least 1")
    try:
        year = load_wmt_year(args.data, args.year)
        checker = build_checker(args)
    except (InputError, ModelUnavailableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sources, references = year.sources[:args.limit], year.references[:args.limit]
    rules = None if args.forward_model else checker  # the errors are chosen with the rules either way
    perturbations = build_perturbations(sources, references, seed=args.seed, per_kind=args.per_kind, checker=rules)
    result = detect(checker, perturbations)
    models = f"models {args.forward_model} + {args.backward_model}" if args.forward_model else "rules only"
    print(f"WMT{full_year(args.year) % 100:02d} references, {len(sources)} segments, seed {args.seed}; {models}")
    print(format_table(result))
    if args.json:
        about = {"data": str(args.data), "year": full_year(args.year), "segments": len(sources), "seed": args.seed,
                 "per_kind": args.per_kind, "checker": models}
        args.json.write_text(json.dumps(to_json(result, **about), ensure_ascii=False, indent=1), encoding="utf-8")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        write_tsv(result, args.out / "perturbations.tsv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
