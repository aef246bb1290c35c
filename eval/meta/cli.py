"""`python -m eval.meta`: agreement of each scorer with human judges on WMT12/13/14 fr-en and Potet HTER.

For every scorer and WMT year it computes:

* segment-level Kendall tau against the pairwise human preferences, with that year's formula
  (`eval.meta.kendall`), a percentile-bootstrap 95% interval over judgments, and the counts;
* system-level Pearson and Spearman against the human system scores (`eval.meta.system_level`):
  for WMT12 the ratio of wins (ties ignored), that year's official score; for WMT13 expected wins,
  that year's official score; for WMT14, which ranked with TrueSkill (not reproducible from the
  pairwise file), expected wins too. A system's metric score is the mean of the scorer's segment
  scores over the segments on which that system was judged at least once (the same segments the
  segment-level figure uses);

and, on the Potet et al. post-edit corpus, Pearson and Spearman against minus HTER
(`eval.meta.potet`) for every scorer that needs no reference: the corpus' only English reference is
the post-edit itself, from which HTER is computed, so a reference-based scorer would be circular.

`--limit N` keeps at most N judged segments per year (a seeded random sample, with all their
judgments) and N Potet segments, for quick runs with models.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.inputs import InputError
from eval.meta.data import Judgment, WmtYear, full_year, load_wmt_year
from eval.meta.kendall import FORMULAS, formula_for_year, kendall_with_ci
from eval.meta.scorers import SCORER_NAMES, SENTBLEU_OPTIONS, Scorer, ScorerError, get_scorers
from service.translate import ModelUnavailableError

POTET_DIR = "potet2012-fr-en-mt-postedits"
HUMAN_METHOD = {2012: "wins", 2013: "expected-wins", 2014: "expected-wins"}
DEFAULT_YEARS = (12, 13, 14)
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The command line of `python -m eval.meta`."""
    parser = argparse.ArgumentParser(
        prog="python -m eval.meta",
        description="Meta-evaluation: agreement of scorers with WMT fr-en human rankings and Potet HTER.",
    )
    parser.add_argument("--data", type=Path, required=True,
                        help="folder holding wmt1X-newstest201X-fr-en/ (and potet2012-fr-en-mt-postedits/)")
    parser.add_argument("--scorer", nargs="+", required=True, metavar="NAME",
                        help=f"scorers to evaluate: {', '.join(SCORER_NAMES)}")
    parser.add_argument("--years", nargs="+", type=int, default=list(DEFAULT_YEARS), metavar="YY",
                        help="WMT years (12 13 14 by default)")
    potet = parser.add_mutually_exclusive_group()
    potet.add_argument("--potet", action="store_true", default=None,
                       help="correlate with HTER on the Potet post-edits (default: when the folder exists)")
    potet.add_argument("--no-potet", dest="potet", action="store_false", help="skip the Potet HTER figures")
    parser.add_argument("--forward-model", help="local fr->en MarianMT directory (model-based scorers)")
    parser.add_argument("--backward-model", help="local en->fr MarianMT directory (model-based scorers)")
    parser.add_argument("--out", type=Path, help="write meta.md, meta.json and PNG plots to this folder")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap and of --limit (default 0)")
    parser.add_argument("--limit", type=int, help="at most N judged segments per year and N Potet segments")
    return parser


def finite(value: float) -> float | None:
    """`value`, or None when it is nan or infinite (JSON has no NaN)."""
    return value if math.isfinite(value) else None


def limit_judgments(judgments: Sequence[Judgment], limit: int | None, seed: int) -> list[Judgment]:
    """The judgments of at most `limit` judged segments, drawn at random with `seed` (all when None)."""
    segments = sorted({j.segment for j in judgments})
    if limit is None or limit >= len(segments):
        return list(judgments)
    kept = set(random.Random(seed).sample(segments, limit))
    return [j for j in judgments if j.segment in kept]


def score_judged(scorer: Scorer, year: WmtYear, judgments: Sequence[Judgment]) -> dict[tuple[int, str], float]:
    """The scorer's score of every (segment, system) output that some judgment compares, and only those."""
    keys = sorted({(j.segment, s) for j in judgments for s in (j.better, j.worse)})
    scores = scorer.score([year.sources[i] for i, _ in keys], [year.outputs[s][i] for i, s in keys],
                          [year.references[i] for i, _ in keys])
    return dict(zip(keys, scores))


def metric_system_scores(scores: dict[tuple[int, str], float]) -> dict[str, float]:
    """Each system's mean segment score over the segments on which it was judged."""
    by_system: dict[str, list[float]] = {}
    for (_, system), value in scores.items():
        by_system.setdefault(system, []).append(value)
    return {system: sum(values) / len(values) for system, values in by_system.items()}


def system_figures(judgments: Sequence[Judgment], scores: dict[tuple[int, str], float], *, method: str,
                   resamples: int, seed: int) -> dict[str, Any]:
    """System-level agreement: Pearson, Spearman, their intervals, the number of systems and the human
    scoring `method`. When the intervals are undefined (too few systems for the bootstrap) the
    correlations come alone, with "error" saying why; when the correlations are too, they are null."""
    from eval.meta.stats import pearson, spearman
    from eval.meta.system_level import human_system_scores, system_agreement

    human, metric = human_system_scores(judgments, method=method), metric_system_scores(scores)
    try:
        figures = dict(system_agreement(human, metric, resamples=resamples, seed=seed))
    except ValueError as exc:
        common = sorted(set(human) & set(metric))
        figures = {"pearson": None, "spearman": None, "pearson_ci": None, "spearman_ci": None,
                   "systems": len(common), "error": str(exc)}
        try:
            xs, ys = [human[s] for s in common], [metric[s] for s in common]
            figures.update(pearson=pearson(xs, ys), spearman=spearman(xs, ys))
        except ValueError as point:
            figures["error"] = str(point)
    return {**figures, "human": method}


def year_figures(scorer: Scorer, year: WmtYear, judgments: Sequence[Judgment], *, resamples: int,
                 seed: int) -> dict[str, Any]:
    """Segment-level tau (with counts and interval) and system-level figures of one scorer on one year."""
    scores = score_judged(scorer, year, judgments)
    formula = formula_for_year(year.year)
    figures: dict[str, Any]
    try:
        result, ci = kendall_with_ci(judgments, scores, formula, resamples=resamples, seed=seed)
        figures = {"tau": finite(result.tau), "ci": [ci[0], ci[1]]}
    except ValueError as exc:  # the interval is undefined (e.g. the metric ties on every pair)
        from eval.meta.kendall import kendall_tau

        result = kendall_tau(judgments, scores, formula)
        figures = {"tau": finite(result.tau), "ci": None, "error": str(exc)}
    figures.update(pairs=result.pairs, concordant=result.concordant, discordant=result.discordant,
                   ties=result.ties, formula=formula,
                   system=system_figures(judgments, scores, method=HUMAN_METHOD[year.year], resamples=resamples,
                                         seed=seed))
    return figures


def potet_figures(scorers: Sequence[Scorer], data_dir: Path, *, limit: int | None, resamples: int,
                  seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """HTER agreement of every reference-free scorer on the Potet corpus, and what was run. The corpus
    is not even read when every scorer needs a reference (HTER of 10,881 segments takes a minute)."""
    from eval.meta.potet import hter, hter_agreement, load_potet, subset

    free = [s for s in scorers if not s.needs_reference]
    about: dict[str, Any] = {"skipped_reference_based": [s.name for s in scorers if s.needs_reference]}
    if not free:
        return {}, about
    data = load_potet(data_dir / POTET_DIR)
    if limit is not None:
        data = subset(data, limit, seed)
    about["segments"] = len(data.sources)
    values = hter(data.mt, data.post_edits)
    results: dict[str, Any] = {}
    for scorer in free:
        print(f"potet: {scorer.name} on {len(data.sources)} segments", file=sys.stderr, flush=True)
        scores = scorer.score(data.sources, data.mt_detok, None)
        try:
            results[scorer.name] = dict(hter_agreement(scores, values, resamples=resamples, seed=seed))
        except ValueError as exc:
            results[scorer.name] = {"pearson": None, "spearman": None, "segments": len(scores), "error": str(exc)}
    return results, about


def run(args: argparse.Namespace) -> dict[str, Any]:
    """All figures for the parsed command line, as the JSON document (see the module docstring)."""
    scorers = get_scorers(args.scorer, forward_model=args.forward_model, backward_model=args.backward_model)
    results: dict[str, Any] = {}
    about: dict[str, Any] = {
        "data": str(args.data), "resamples": args.resamples, "seed": args.seed, "limit": args.limit,
        "scorers": {s.name: s.description for s in scorers}, "sentbleu": SENTBLEU_OPTIONS,
        "formulas": FORMULAS, "years": {},
        "system_score": "mean segment score over the segments on which the system was judged",
    }
    for number in args.years:
        year = load_wmt_year(args.data, number)
        key = f"wmt{year.year % 100:02d}"
        judgments = limit_judgments(year.judgments, args.limit, args.seed)
        about["years"][key] = {"judgments": len(judgments), "segments": len({j.segment for j in judgments}),
                               "systems": sorted({s for j in judgments for s in (j.better, j.worse)}),
                               "formula": formula_for_year(year.year)}
        results[key] = {}
        for scorer in scorers:
            print(f"{key}: {scorer.name} on {len(judgments)} judgments", file=sys.stderr, flush=True)
            results[key][scorer.name] = year_figures(scorer, year, judgments, resamples=args.resamples,
                                                     seed=args.seed)
    if args.potet is not False and (args.potet or (args.data / POTET_DIR).is_dir()):
        results["potet-hter"], about["potet"] = potet_figures(scorers, args.data, limit=args.limit,
                                                             resamples=args.resamples, seed=args.seed)
    results["run"] = about
    return results


def _usage_problem(args: argparse.Namespace) -> str | None:
    """Why the command cannot start, before any data is read (None when it can)."""
    if not args.data.is_dir():
        return f"data folder {args.data} not found"
    for number in args.years:
        full = full_year(number)
        if full not in (2012, 2013, 2014):
            return f"--years {number}: only the WMT fr-en years 12, 13 and 14 are supported"
    if args.potet and not (args.data / POTET_DIR).is_dir():
        return f"--potet: folder {args.data / POTET_DIR} not found"
    if args.limit is not None and args.limit < 1:
        return f"--limit must be at least 1, got {args.limit}"
    if args.resamples < 1:
        return f"--resamples must be at least 1, got {args.resamples}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the meta-evaluation; 0 on success, 2 for bad usage or unusable data (message on stderr)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    problem = _usage_problem(args)
    if problem is None:
        try:
            get_scorers(args.scorer, forward_model=args.forward_model, backward_model=args.backward_model)
        except ScorerError as exc:
            problem = str(exc)
    if problem is not None:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        results = run(args)
    except (InputError, ValueError, ModelUnavailableError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    text = json.dumps(results, indent=2, ensure_ascii=False)
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    if args.out is not None:
        from eval.meta.report import write_report

        for path in write_report(results, args.out):
            print(f"wrote {path}", file=sys.stderr)
    if args.json is None and args.out is None:
        print(text)
    return 0
