"""Fit the weights of the combined quality score on human judgments and write them as a weights file.

    python -m eval.meta.calibrate --data DIR --forward-model DIR --backward-model DIR
        [--target potet-hter|wmt-rankings] [--year 13] [--limit N] [--folds 5] [--seed 0]
        [--out FILE] [--version NAME] [--device auto|cpu|cuda]

The quality score's base is a weighted sum of four signals, each on 0-100 (`service.scoring`):
round-trip chrF, pseudo-reference chrF and the likelihood points of the forward and backward
log-probabilities. This command checks human-judged translations once with the models, keeps every
segment's signals and flags, and fits the four weights:

* `potet-hter` (default): a ridge regression with non-negative coefficients (scikit-learn
  `Ridge(positive=True)`, its penalty chosen by an inner grouped cross-validation) predicting
  100 * (1 - HTER), clipped to 0-100, on the Potet et al. (2012) post-edits; each line is checked as
  one document, and its features are the length-weighted mean of its segments' features (a segment
  without signals, an omitted or added sentence, counts as 0, as in the score);
* `wmt-rankings`: a logistic regression without intercept on the feature differences of the two
  outputs of each WMT pairwise judgment ("better" minus "worse"), non-negativity kept by dropping a
  signal whose weight comes out negative and refitting (scikit-learn `LogisticRegression`, its C
  chosen by an inner grouped cross-validation on log-loss).

The weights are then divided by their sum, so they sum to 1 and the base stays on 0-100 like the
shipped v1 weights (both fits rank translations the same after a positive rescaling, the intercept
is left out for the same reason); the penalties and `logprob_zero` are kept from the baseline.

Cross-validation is by document (`GroupKFold`): Potet's blocks of consecutive lines
(`eval.meta.potet`), or for WMT the source sentence (the plain-text WMT files carry no document
ids), so that no document is on both sides of a split. In every fold the weights are fitted on the
other folds, and the held-out items get the full quality score (base minus flag penalties, as the
checker computes it) under the fitted weights and under the baseline (the shipped v1 weights);
the figures are Pearson and Spearman against 100 * (1 - HTER), or the WMT Kendall tau of that year,
of the quality score and (`_base`) of the base score without flag penalties, which isolates the
weights from the flags.
The final weights are fitted on all items and written with their provenance (data, items, models
and revisions, cross-validation figures, date).

The fitting and evaluation functions take features, segments and targets, not models, so they are
tested on synthetic data. Signals come from one `Checker.check_many` pass rather than from the
per-signal scorers of `eval.meta.scorers`: all four signals and the flags of a report come from the
same model calls, so one pass serves every feature.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold

from eval.meta.data import Judgment, load_wmt_year
from eval.meta.kendall import formula_for_year, kendall_tau
from eval.meta.potet import hter, load_potet, subset
from eval.meta.stats import pearson, spearman
from service.quality_weights import FEATURES, QualityWeights, load_weights
from service.report import Segment, Signals
from service.scoring import document_score, likelihood_points, segment_score

RIDGE_ALPHAS = (0.1, 1.0, 10.0, 100.0, 1_000.0, 10_000.0, 100_000.0)
LOGISTIC_CS = (0.01, 0.1, 1.0, 10.0, 100.0)
INNER_FOLDS = 3
CHECK_BATCH = 32

Items = Sequence[Sequence[Segment]]


# --- features and scores of checked items -------------------------------------------------------------

def segment_features(signals: Signals | None, logprob_zero: float) -> np.ndarray:
    """The four features of one segment in `FEATURES` order, each on 0-100; zeros without signals
    (an omitted or added sentence, whose base score is 0)."""
    if signals is None:
        return np.zeros(len(FEATURES))
    return np.array([
        signals.roundtrip.chrf,
        signals.pseudo_reference_chrf,
        likelihood_points(signals.forward_logprob, logprob_zero),
        likelihood_points(signals.backward_logprob, logprob_zero),
    ])


def item_features(segments: Sequence[Segment], logprob_zero: float) -> np.ndarray:
    """Features of one checked item: its segments' features averaged with the document score's
    length weights, so the weighted features give the item's base score before flag penalties."""
    if not segments:
        raise ValueError("an item without segments has no features (empty source and translation?)")
    lengths = np.array([max(1, len(s.source) or len(s.translation)) for s in segments], dtype=float)
    rows = np.stack([segment_features(s.signals, logprob_zero) for s in segments])
    return np.asarray(lengths @ rows / lengths.sum())


def feature_matrix(items: Items, logprob_zero: float) -> np.ndarray:
    """One row of `item_features` per item."""
    return np.stack([item_features(segments, logprob_zero) for segments in items])


def item_score(segments: Sequence[Segment], weights: QualityWeights) -> float:
    """The item's quality score under `weights`, exactly as the checker would compute it: every
    segment rescored (base minus flag penalties), then the length-weighted document score."""
    rescored = [s.model_copy(update={"score": segment_score(s.signals, s.flags, weights=weights)}) for s in segments]
    return document_score(rescored)


def item_scores(items: Items, weights: QualityWeights) -> list[float]:
    """`item_score` of every item."""
    return [item_score(segments, weights) for segments in items]


# --- fitting ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fit:
    """A fitted linear model: `weights` sum to 1 (feature name -> weight), `raw` are the model's own
    coefficients, `intercept` its intercept (0 for the pairwise model) and `alpha` its penalty
    (ridge alpha, or 1/C of the logistic regression)."""

    weights: dict[str, float]
    raw: list[float]
    intercept: float
    alpha: float


def _normalised(coef: np.ndarray) -> dict[str, float]:
    total = float(np.sum(coef))
    if total <= 0.0:
        raise ValueError("no signal got a positive weight: none of them agrees with the human judgments on this data")
    return {name: round(float(c) / total, 4) for name, c in zip(FEATURES, coef)}


def _inner_splits(groups: np.ndarray, folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Grouped splits for choosing the penalty inside a training set."""
    k = min(folds, len(np.unique(groups)))
    if k < 2:
        raise ValueError("choosing the penalty needs items from at least 2 documents")
    return list(GroupKFold(n_splits=k).split(np.zeros(len(groups)), groups=groups))


def fit_regression(features: np.ndarray, target: np.ndarray, groups: Sequence[str], *,
                   alphas: Sequence[float] = RIDGE_ALPHAS, inner_folds: int = INNER_FOLDS) -> Fit:
    """Non-negative ridge regression of `target` (0-100) on `features` (items x FEATURES), the
    alpha chosen by grouped inner cross-validation (R^2); weights normalised to sum 1."""
    x, y, g = np.asarray(features, dtype=float), np.asarray(target, dtype=float), np.asarray(groups)
    if x.ndim != 2 or x.shape[1] != len(FEATURES) or len(x) != len(y) or len(y) != len(g):
        raise ValueError(f"expected items x {len(FEATURES)} features and one target and group per item, got "
                         f"features {x.shape}, {len(y)} targets, {len(g)} groups")
    search = GridSearchCV(Ridge(positive=True), {"alpha": list(alphas)}, cv=_inner_splits(g, inner_folds))
    search.fit(x, y)
    best: Ridge = search.best_estimator_
    return Fit(weights=_normalised(best.coef_), raw=[float(c) for c in best.coef_],
               intercept=float(best.intercept_), alpha=float(search.best_params_["alpha"]))


def fit_pairwise(differences: np.ndarray, groups: Sequence[str], *, cs: Sequence[float] = LOGISTIC_CS,
                 inner_folds: int = INNER_FOLDS) -> Fit:
    """Logistic regression without intercept of "the first output is better" on feature
    differences (better minus worse, one row per judgment; each row also enters mirrored with the
    opposite label). C chosen by grouped inner cross-validation (log-loss); a signal whose weight comes out
    negative is dropped and the model refitted, until all weights are non-negative."""
    d = np.asarray(differences, dtype=float) / 100.0  # features are 0-100; keep the problem well scaled
    g = np.asarray(groups)
    if d.ndim != 2 or d.shape[1] != len(FEATURES) or len(d) != len(g):
        raise ValueError(f"expected judgments x {len(FEATURES)} differences and one group per judgment, got "
                         f"{d.shape} and {len(g)} groups")
    x = np.concatenate([d, -d])
    y = np.concatenate([np.ones(len(d)), np.zeros(len(d))])
    gg = np.concatenate([g, g])
    active = list(range(len(FEATURES)))
    while active:
        search = GridSearchCV(LogisticRegression(fit_intercept=False), {"C": list(cs)},
                              cv=_inner_splits(gg, inner_folds), scoring="neg_log_loss")
        search.fit(x[:, active], y)
        coef = search.best_estimator_.coef_[0]
        if np.all(coef >= 0.0):
            full = np.zeros(len(FEATURES))
            full[active] = coef
            return Fit(weights=_normalised(full), raw=[float(c) / 100.0 for c in full], intercept=0.0,
                       alpha=float(1.0 / search.best_params_["C"]))
        active = [a for a, c in zip(active, coef) if c >= 0.0]
    raise ValueError("no signal got a positive weight: none of them agrees with the human judgments on this data")


def weights_from_fit(fit: Fit, baseline: QualityWeights, *, version: str, provenance: dict[str, Any]) -> QualityWeights:
    """A weights file from a fit: the fitted feature weights, intercept 0, and the baseline's
    `logprob_zero` and penalties (the features were computed with that `logprob_zero`)."""
    data = baseline.model_dump()
    data.update(version=version, features=fit.weights, intercept=0.0, provenance=provenance)
    return QualityWeights.model_validate(data)


# --- cross-validation ---------------------------------------------------------------------------------

@dataclass
class FoldResult:
    """One held-out fold: its size, the weights fitted without it and the figures of the fitted and
    the baseline weights on it."""

    fold: int
    items: int
    weights: dict[str, float]
    fitted: dict[str, float]
    baseline: dict[str, float]


@dataclass
class CalibrationData:
    """Checked items with what is known of them: `items[i]` are the segments of item i's report,
    `groups[i]` its document; `target[i]` its 100 * (1 - HTER) (regression), or `judgments` refer
    to items through `keys` (pairwise: item i is the output `keys[i]` = (segment, system))."""

    items: list[list[Segment]]
    groups: list[str]
    target: np.ndarray | None = None
    keys: list[tuple[int, str]] = field(default_factory=list)
    judgments: list[Judgment] = field(default_factory=list)
    year: int = 0


def without_penalties(weights: QualityWeights) -> QualityWeights:
    """The same weights with every flag penalty 0: scores are then the base score alone, which
    isolates the feature weights from the flags (on lowercased MT, for instance, the names check
    fires on every proper noun)."""
    return weights.model_copy(update={"penalty": weights.penalty.model_copy(
        update={"minor": 0.0, "major": 0.0, "critical": 0.0})})


def _correlations(scores: Sequence[float], target: Sequence[float], suffix: str = "") -> dict[str, float]:
    return {f"pearson{suffix}": pearson(scores, target), f"spearman{suffix}": spearman(scores, target)}


def _tau(year: int, judgments: Sequence[Judgment], scores: dict[tuple[int, str], float],
         suffix: str = "") -> dict[str, float]:
    result = kendall_tau(judgments, scores, formula_for_year(year))
    figures = {f"tau{suffix}": result.tau}
    if not suffix:
        figures["pairs"] = float(result.pairs)
    return figures


def _fit_on(data: CalibrationData, train: np.ndarray, logprob_zero: float) -> Fit:
    """Fit on the items `train` (regression), or on the judgments whose two outputs are both in `train`."""
    if data.target is not None:
        features = feature_matrix([data.items[i] for i in train], logprob_zero)
        return fit_regression(features, data.target[train], [data.groups[i] for i in train])
    chosen = set(train.tolist())
    index = {key: i for i, key in enumerate(data.keys)}
    by_item = {i: item_features(data.items[i], logprob_zero) for i in chosen}
    rows, groups = [], []
    for j in data.judgments:
        better, worse = index[(j.segment, j.better)], index[(j.segment, j.worse)]
        if better in chosen and worse in chosen:
            rows.append(by_item[better] - by_item[worse])
            groups.append(data.groups[better])
    return fit_pairwise(np.array(rows), groups)


def _evaluate(data: CalibrationData, test: np.ndarray, weights: QualityWeights) -> dict[str, float]:
    """The figures of `weights` on the held-out items `test`: of the quality score, and (suffix
    `_base`) of the base score without flag penalties."""
    figures: dict[str, float] = {}
    for suffix, used in (("", weights), ("_base", without_penalties(weights))):
        scores = item_scores([data.items[i] for i in test], used)
        if data.target is not None:
            figures.update(_correlations(scores, data.target[test].tolist(), suffix))
            continue
        by_key = {data.keys[i]: score for i, score in zip(test.tolist(), scores)}
        held_out = [j for j in data.judgments if (j.segment, j.better) in by_key and (j.segment, j.worse) in by_key]
        figures.update(_tau(data.year, held_out, by_key, suffix))
    return figures


def document_folds(groups: Sequence[str], folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) item indices of each of `folds` folds, every document (group) entirely in one
    test fold (scikit-learn `GroupKFold`)."""
    if folds < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, got {folds}")
    documents = len(set(groups))
    if documents < folds:
        raise ValueError(f"{folds} folds need at least {folds} documents, got {documents}")
    return list(GroupKFold(n_splits=folds).split(np.zeros(len(groups)), groups=np.asarray(groups)))


def cross_validate(data: CalibrationData, baseline: QualityWeights, *, folds: int = 5) -> list[FoldResult]:
    """Grouped k-fold cross-validation (by `data.groups`) of the fitted weights against `baseline`."""
    results = []
    for number, (train, test) in enumerate(document_folds(data.groups, folds), start=1):
        fit = _fit_on(data, train, baseline.logprob_zero)
        fitted = weights_from_fit(fit, baseline, version=f"cv-fold-{number}", provenance={})
        results.append(FoldResult(fold=number, items=len(test), weights=fit.weights,
                                  fitted=_evaluate(data, test, fitted), baseline=_evaluate(data, test, baseline)))
    return results


def mean_figures(results: Sequence[FoldResult], side: str) -> dict[str, float]:
    """The mean over folds of each figure of the `side` ("fitted" or "baseline") weights."""
    rows: list[dict[str, float]] = [getattr(r, side) for r in results]
    return {name: round(float(np.mean([row[name] for row in rows])), 4) for name in rows[0]}


def fit_all(data: CalibrationData, baseline: QualityWeights) -> Fit:
    """The final fit, on every item."""
    return _fit_on(data, np.arange(len(data.items)), baseline.logprob_zero)


# --- data: checking human-judged translations with the models -----------------------------------------

def check_items(check_many: Callable[[list[tuple[str, str]]], list[list[Segment]]], pairs: Sequence[tuple[str, str]],
                *, progress: Callable[[int, int], None] | None = None) -> list[list[Segment]]:
    """The segments of each (source, translation) pair's report, checked in batches of CHECK_BATCH."""
    items: list[list[Segment]] = []
    for start in range(0, len(pairs), CHECK_BATCH):
        items += check_many(list(pairs[start:start + CHECK_BATCH]))
        if progress is not None:
            progress(len(items), len(pairs))
    return items


def potet_data(data_dir: Path, check: Callable[[Sequence[tuple[str, str]]], list[list[Segment]]],
               limit: int | None, seed: int) -> tuple[CalibrationData, dict[str, Any]]:
    """Potet segments (a seeded sample of `limit`, see `eval.meta.potet.subset`), checked, with
    100 * (1 - HTER) clipped to 0-100 as the target (an HTER above 1 means a useless translation)."""
    corpus = load_potet(data_dir)
    if limit is not None:
        corpus = subset(corpus, limit, seed=seed)
    values = np.array(hter(corpus.mt, corpus.post_edits))
    items = check(list(zip(corpus.sources, corpus.mt_detok)))
    target = np.clip(100.0 * (1.0 - values), 0.0, 100.0)
    about = {"corpus": "Potet et al. 2012 fr-en post-edits (LIG Moses MT, detokenized and recased)",
             "target": "100 * (1 - HTER), clipped to 0-100", "segments": len(corpus),
             "documents": len(set(corpus.documents)), "groups": "blocks of 20 consecutive lines",
             "sample_seed": seed if limit is not None else None, "mean_hter": round(float(values.mean()), 4)}
    return CalibrationData(items=items, groups=list(corpus.documents), target=target), about


def wmt_data(data_dir: Path, year: int, check: Callable[[Sequence[tuple[str, str]]], list[list[Segment]]],
             limit: int | None, seed: int) -> tuple[CalibrationData, dict[str, Any]]:
    """The judged outputs of a WMT year, checked: source sentences in a seeded random order, each
    with all its judged outputs, until `limit` outputs; the judgments between them."""
    wmt = load_wmt_year(data_dir, year)
    by_segment: dict[int, set[str]] = {}
    for j in wmt.judgments:
        by_segment.setdefault(j.segment, set()).update((j.better, j.worse))
    order = np.random.default_rng(seed).permutation(sorted(by_segment)).tolist()
    keys: list[tuple[int, str]] = []
    for segment in order:
        if limit is not None and keys and len(keys) + len(by_segment[segment]) > limit:
            break
        keys += [(segment, system) for system in sorted(by_segment[segment])]
    chosen = {segment for segment, _ in keys}
    judgments = [j for j in wmt.judgments if j.segment in chosen]
    items = check([(wmt.sources[s], wmt.outputs[system][s]) for s, system in keys])
    about = {"corpus": f"WMT{wmt.year % 100} newstest fr-en pairwise human judgments (manual-evaluation/fr-en.rank)",
             "target": f"pairwise preferences, Kendall tau with the {formula_for_year(wmt.year)} formula",
             "outputs": len(keys), "source_sentences": len(chosen), "judgments": len(judgments),
             "groups": "source sentence", "sample_seed": seed}
    data = CalibrationData(items=items, groups=[f"segment-{s}" for s, _ in keys], keys=keys, judgments=judgments,
                           year=wmt.year)
    return data, about


# --- command line -------------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m eval.meta.calibrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="Folder of the public data (holding "
                        "potet2012-fr-en-mt-postedits/ and wmt1X-newstest201X-fr-en/).")
    parser.add_argument("--forward-model", required=True, help="fr->en MarianMT directory or hub id.")
    parser.add_argument("--backward-model", required=True, help="en->fr MarianMT directory or hub id.")
    parser.add_argument("--target", choices=("potet-hter", "wmt-rankings"), default="potet-hter")
    parser.add_argument("--year", type=int, default=13, help="WMT year for --target wmt-rankings (default 13).")
    parser.add_argument("--limit", type=int, help="Check at most this many translations (a seeded sample).")
    parser.add_argument("--folds", type=int, default=5, help="Cross-validation folds, by document (default 5).")
    parser.add_argument("--seed", type=int, default=0, help="Seed of the --limit sample (default 0).")
    parser.add_argument("--out", type=Path, help="Write the fitted weights here (default: print them only).")
    parser.add_argument("--version", default="fitted", help="Version name written in the weights file.")
    parser.add_argument("--baseline", help="Weights file to compare with (default: the shipped v1).")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    return parser


def _checker_call(args: argparse.Namespace) -> tuple[Callable[[Sequence[tuple[str, str]]], list[list[Segment]]],
                                                     dict[str, str]]:
    from service.checker import Checker, Document
    from service.config import Settings

    settings = Settings(forward_model=args.forward_model, backward_model=args.backward_model, cache=True,
                        device=args.device, quality_weights=args.baseline)
    checker = Checker.from_settings(settings)
    models = {"forward": checker.forward.describe() if checker.forward else "none",
              "backward": checker.backward.describe() if checker.backward else "none"}

    def check_many(pairs: list[tuple[str, str]]) -> list[list[Segment]]:
        return [report.segments for report in checker.check_many([Document(s, t) for s, t in pairs])]

    def progress(done: int, total: int) -> None:
        if done == total or done % (CHECK_BATCH * 8) == 0:
            print(f"checked {done}/{total}", file=sys.stderr, flush=True)

    return (lambda pairs: check_items(check_many, pairs, progress=progress)), models


def _table(results: Sequence[FoldResult]) -> str:
    names = list(results[0].fitted)
    head = ["fold", "items"] + [f"fitted {n}" for n in names] + [f"baseline {n}" for n in names] + list(FEATURES)
    lines = ["\t".join(head)]
    for r in results:
        lines.append("\t".join([str(r.fold), str(r.items)] + [f"{r.fitted[n]:.4f}" for n in names]
                               + [f"{r.baseline[n]:.4f}" for n in names] + [f"{r.weights[f]:.3f}" for f in FEATURES]))
    fitted, base = mean_figures(results, "fitted"), mean_figures(results, "baseline")
    lines.append("\t".join(["mean", str(sum(r.items for r in results))] + [f"{fitted[n]:.4f}" for n in names]
                           + [f"{base[n]:.4f}" for n in names]))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the calibration; print the per-fold table and the weights, write them with --out."""
    args = _parser().parse_args(argv)
    if args.limit is not None and args.limit < 1:
        raise SystemExit("--limit must be at least 1")
    baseline = load_weights(args.baseline)
    started = time.monotonic()
    check, models = _checker_call(args)
    if args.target == "potet-hter":
        data, about = potet_data(args.data, check, args.limit, args.seed)
    else:
        data, about = wmt_data(args.data, args.year, check, args.limit, args.seed)
    checked = time.monotonic() - started
    results = cross_validate(data, baseline, folds=args.folds)
    fit = fit_all(data, baseline)
    print(_table(results))
    provenance = {
        "method": "ridge regression, non-negative, on 100 * (1 - HTER)" if args.target == "potet-hter"
        else "pairwise logistic regression, non-negative, on human preferences",
        "command": "python -m eval.meta.calibrate " + " ".join(sys.argv[1:] if argv is None else argv),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "fitted_on": {"data": str(args.data), **about, "models": models},
        "fit": {"raw_coefficients": dict(zip(FEATURES, fit.raw)), "intercept": fit.intercept, "alpha": fit.alpha},
        "cross_validation": {
            "folds": args.folds, "grouped_by": about["groups"], "baseline": f"{baseline.version}@{baseline.checksum}",
            "per_fold": [{"fold": r.fold, "items": r.items, "weights": r.weights, "fitted": r.fitted,
                          "baseline": r.baseline} for r in results],
            "mean_fitted": mean_figures(results, "fitted"), "mean_baseline": mean_figures(results, "baseline")},
        "seconds": {"checking": round(checked, 1), "total": round(time.monotonic() - started, 1)},
    }
    weights = weights_from_fit(fit, baseline, version=args.version, provenance=provenance)
    print("weights: " + ", ".join(f"{k} {v:.4f}" for k, v in fit.weights.items()))
    print(f"checking {checked:.1f} s, total {time.monotonic() - started:.1f} s")
    if args.out is not None:
        args.out.write_text(weights.to_json(), encoding="utf-8")
        print(f"wrote {args.out} ({weights.signature_part})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
