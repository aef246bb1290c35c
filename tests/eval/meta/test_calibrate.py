"""Calibration of the quality weights: fits on synthetic features with known weights, grouped folds,
the data readers and the command on small synthetic corpora, and the checker using a written file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from eval.meta import calibrate
from eval.meta.calibrate import (
    CalibrationData,
    cross_validate,
    document_folds,
    feature_matrix,
    fit_pairwise,
    fit_regression,
    item_score,
    mean_figures,
    potet_data,
    weights_from_fit,
    without_penalties,
    wmt_data,
)
from service.checker import Checker
from service.config import Settings
from service.quality_weights import FEATURES, load_weights
from service.report import Flag, MetricScores, Segment, Signals

SHIPPED = load_weights(None)
ZERO = SHIPPED.logprob_zero


def _signals(features: Sequence[float]) -> Signals:
    """Signals whose four features (0-100, FEATURES order) are exactly `features`."""
    rt, pr, forward, backward = features
    return Signals(roundtrip=MetricScores(bleu=0.0, chrf=rt, ter=0.0), pseudo_reference_chrf=pr,
                   forward_logprob=ZERO * (1 - forward / 100), backward_logprob=ZERO * (1 - backward / 100))


def _segment(features: Sequence[float] | None, length: int = 40, severities: Sequence[str] = ()) -> Segment:
    flags = [Flag(type="omission", rule="unaligned-source-sentence", severity=s, message="m")  # type: ignore[arg-type]
             for s in severities]
    return Segment(index=0, alignment="1-1", source_start=0, source_end=length, source="s" * length,
                   translation_start=0, translation_end=1, translation="t", flags=flags, score=0.0, verdict="pass",
                   signals=None if features is None else _signals(features))


def _synthetic(true: Sequence[float], n: int = 600, noise: float = 3.0, seed: int = 0) -> CalibrationData:
    """Items of one segment with uniform random features and target = true . features + noise."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, size=(n, len(FEATURES)))
    target = np.clip(x @ np.asarray(true) + rng.normal(0, noise, n), 0, 100)
    return CalibrationData(items=[[_segment(row)] for row in x], groups=[f"doc-{i // 10}" for i in range(n)],
                           target=target)


def test_features_are_the_length_weighted_mean_of_segments() -> None:
    item = [_segment([80, 60, 50, 25], length=30), _segment(None, length=10)]
    assert feature_matrix([item], ZERO)[0] == pytest.approx([60, 45, 37.5, 18.75])
    # the weighted features give the item's base score: 0.3*60 + 0.3*45 + 0.2*37.5 + 0.2*18.75
    assert item_score(item, SHIPPED) == pytest.approx((30 * (0.3 * 80 + 0.3 * 60 + 0.2 * 50 + 0.2 * 25)) / 40)
    flagged = [_segment([80, 60, 50, 25], severities=["major", "minor"])]
    assert item_score(flagged, SHIPPED) == pytest.approx(57.0 - 25.0 - 5.0)
    assert item_score(flagged, without_penalties(SHIPPED)) == pytest.approx(57.0)
    with pytest.raises(ValueError, match="without segments"):
        feature_matrix([[]], ZERO)


def test_regression_recovers_known_non_negative_weights() -> None:
    true = [0.5, 0.1, 0.0, 0.4]
    data = _synthetic(true)
    assert data.target is not None
    fit = fit_regression(feature_matrix(data.items, ZERO), data.target, data.groups)
    assert sum(fit.weights.values()) == pytest.approx(1.0, abs=1e-3)
    assert [fit.weights[f] for f in FEATURES] == pytest.approx(true, abs=0.03)
    assert fit.intercept == pytest.approx(0.0, abs=3.0)


def test_regression_keeps_weights_non_negative() -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 100, size=(400, 4))
    target = np.clip(0.8 * x[:, 0] - 0.5 * x[:, 2] + 40 + rng.normal(0, 2, 400), 0, 100)  # forward hurts
    fit = fit_regression(x, target, [f"d{i // 8}" for i in range(400)])
    assert min(fit.weights.values()) >= 0.0 and fit.weights["forward"] == 0.0
    assert fit.weights["roundtrip_chrf"] > 0.9
    with pytest.raises(ValueError, match="no signal got a positive weight"):
        fit_regression(x, 400 - x.sum(axis=1), [f"d{i // 8}" for i in range(400)])  # every signal hurts


def test_pairwise_fit_recovers_the_direction_of_known_weights() -> None:
    rng = np.random.default_rng(2)
    true = np.array([0.0, 0.2, 0.0, 0.8])
    a, b = rng.uniform(0, 100, size=(3000, 4)), rng.uniform(0, 100, size=(3000, 4))
    a_better = (a - b) @ true / 5 + rng.logistic(size=3000) > 0
    differences = np.where(a_better[:, None], a - b, b - a)
    fit = fit_pairwise(differences, [f"s{i // 5}" for i in range(3000)])
    assert [fit.weights[f] for f in FEATURES] == pytest.approx(true, abs=0.06)


def test_folds_keep_each_document_in_one_test_fold() -> None:
    groups = [f"doc-{i % 13}" for i in range(130)]  # a document's items are not even consecutive
    folds = document_folds(groups, 5)
    assert len(folds) == 5
    seen: dict[str, int] = {}
    for number, (train, test) in enumerate(folds):
        train_docs, test_docs = {groups[i] for i in train}, {groups[i] for i in test}
        assert not train_docs & test_docs
        for doc in test_docs:
            assert doc not in seen
            seen[doc] = number
    assert sorted(np.concatenate([test for _, test in folds]).tolist()) == list(range(130))
    with pytest.raises(ValueError, match="5 folds need at least 5 documents, got 3"):
        document_folds(["a", "b", "c"], 5)


def test_cross_validation_beats_v1_when_humans_weigh_signals_differently() -> None:
    data = _synthetic([0.0, 0.0, 0.1, 0.9], noise=5.0)  # humans here only care about the backward signal
    results = cross_validate(data, SHIPPED, folds=5)
    assert [r.fold for r in results] == [1, 2, 3, 4, 5] and sum(r.items for r in results) == 600
    for r in results:
        assert r.fitted["pearson"] > r.baseline["pearson"] + 0.1
        assert r.weights["backward"] > 0.8
    fitted, base = mean_figures(results, "fitted"), mean_figures(results, "baseline")
    assert fitted["pearson"] > 0.95 and base["pearson"] < 0.8
    assert set(fitted) == {"pearson", "spearman", "pearson_base", "spearman_base"}
    assert fitted["pearson_base"] == fitted["pearson"]  # no flags here: the score is the base score


def _fake_check(pairs: Sequence[tuple[str, str]]) -> list[list[Segment]]:
    """A model-free stand-in for the checker: a translation "w x y z ..." has features (w, x, y, z)."""
    return [[_segment([float(v) for v in translation.split()[:4]])] for _, translation in pairs]


def _write_wmt(root: Path, qualities: dict[str, list[list[float]]]) -> Path:
    """A WMT13-shaped folder: system outputs carry their features as text; judges prefer higher backward."""
    folder = root / "wmt13-newstest2013-fr-en"
    (folder / "system-outputs").mkdir(parents=True)
    (folder / "manual-evaluation").mkdir()
    n = len(next(iter(qualities.values())))
    (folder / "newstest2013-src.fr").write_text("".join(f"phrase {i}\n" for i in range(n)), encoding="utf-8")
    (folder / "newstest2013-ref.en").write_text("".join(f"sentence {i}\n" for i in range(n)), encoding="utf-8")
    systems = sorted(qualities, key=str.lower)
    for name in systems:
        lines = "".join(" ".join(f"{v:g}" for v in row) + "\n" for row in qualities[name])
        (folder / "system-outputs" / name).write_text(lines, encoding="utf-8")
    ranks = []
    for i in range(n):
        for a in range(len(systems)):
            for b in range(a + 1, len(systems)):
                qa, qb = qualities[systems[a]][i][3], qualities[systems[b]][i][3]
                better, worse = (a, b) if qa > qb else (b, a)
                ranks.append(f"{i + 1}\tfr-en\tsys{better + 1}\tfr-en\tsys{worse + 1}\n")
    (folder / "manual-evaluation" / "fr-en.rank").write_text("".join(ranks), encoding="utf-8")
    return root


def test_wmt_rankings_data_and_cross_validation(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    outputs = {name: rng.uniform(1, 99, size=(150, 4)).round(1).tolist() for name in ("A", "b", "C")}
    root = _write_wmt(tmp_path, outputs)
    data, about = wmt_data(root, 13, _fake_check, 300, seed=0)  # 100 of the 150 sentences, 3 outputs each
    assert len(data.items) == 300 and about["source_sentences"] == 100 and about["judgments"] == 300
    assert all(g == f"segment-{s}" for g, (s, _) in zip(data.groups, data.keys))
    assert data.year == 2013
    results = cross_validate(data, SHIPPED, folds=3)
    assert sum(r.fitted["pairs"] for r in results) == 300  # every judgment held out once, with both its outputs
    for r in results:
        assert r.fitted["tau"] >= 0.85 and r.fitted["tau"] > r.baseline["tau"] + 0.5
        assert r.weights["backward"] > 0.85


def _write_potet(root: Path, n: int) -> Path:
    """A Potet-shaped folder: MT i has features (f, f, f, f) with f = 100 - 10 * (i % 5) and edits
    (i % 5) of its 10 words, so HTER = (i % 5) / 10 and the target is f."""
    folder = root / "potet2012-fr-en-mt-postedits"
    folder.mkdir()
    sources, mts, edits = [], [], []
    for i in range(n):
        k = i % 5
        f = 100 - 10 * k
        words = [str(f)] * 4 + ["w"] * 6
        post = words[: 10 - k] + ["z"] * k
        sources.append(f"phrase {i}")
        mts.append(" ".join(words))
        edits.append(" ".join(post))
    for name, lines in (("src-ref-all.fr", sources), ("tgt-mt-all.en", mts), ("tgt-pe-all.en", edits)):
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_potet_data_targets_groups_and_limit(tmp_path: Path) -> None:
    root = _write_potet(tmp_path, 200)
    data, about = potet_data(root, _fake_check, None, seed=0)
    assert data.target is not None and len(data.items) == 200
    assert data.target[:5].tolist() == pytest.approx([100, 90, 80, 70, 60])
    assert data.groups[0] == data.groups[19] != data.groups[20]
    assert about["segments"] == 200 and about["documents"] == 10
    sample, about = potet_data(root, _fake_check, 50, seed=0)
    assert len(sample.items) == 50 and about["sample_seed"] == 0
    features = feature_matrix(sample.items, ZERO)
    assert features[:, 0] == pytest.approx(sample.target)  # each item's features are its own target


def test_command_writes_a_weights_file_with_provenance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = _write_potet(tmp_path, 200)
    models = {"forward": "fr-en@sha256:1", "backward": "en-fr@sha256:2"}
    monkeypatch.setattr(calibrate, "_checker_call", lambda args: (_fake_check, models))
    out = tmp_path / "fitted.json"
    code = calibrate.main(["--data", str(root), "--forward-model", "f", "--backward-model", "b", "--limit", "150",
                           "--folds", "3", "--out", str(out), "--version", "hter-test"])
    assert code == 0
    weights = load_weights(out)
    assert weights.version == "hter-test" and sum(weights.features.model_dump().values()) == pytest.approx(1, abs=1e-3)
    assert weights.penalty == SHIPPED.penalty and weights.intercept == 0.0
    provenance = weights.provenance
    assert provenance["fitted_on"]["segments"] == 150 and provenance["fitted_on"]["models"] == models
    cv = provenance["cross_validation"]
    assert len(cv["per_fold"]) == 3 and cv["baseline"] == f"v1@{SHIPPED.checksum}"
    assert cv["mean_fitted"]["pearson"] == pytest.approx(1.0, abs=1e-6)
    assert "mean" in capsys.readouterr().out


def test_written_weights_are_used_by_the_checker(tmp_path: Path, tiny_models: dict[str, Path]) -> None:
    data = _synthetic([0.0, 0.0, 0.0, 1.0], n=100)
    fit = calibrate.fit_all(data, SHIPPED)
    weights = weights_from_fit(fit, SHIPPED, version="backward-only", provenance={"method": "test"})
    path = tmp_path / "backward-only.json"
    path.write_text(weights.to_json(), encoding="utf-8")
    assert load_weights(path) == weights and json.loads(path.read_text())["version"] == "backward-only"

    def settings(quality_weights: str | None = None) -> Settings:
        return Settings(forward_model=str(tiny_models["fr-en"]), backward_model=str(tiny_models["en-fr"]),
                        device="cpu", beam_size=1, max_length=16, cache=False, quality_weights=quality_weights)

    source = "Trois hommes ont été mis en examen vendredi. Ils avaient été interpellés mardi."
    translation = "Three men were charged on Friday. They had been arrested on Tuesday."
    default = Checker.from_settings(settings()).check(source=source, translation=translation)
    checker = Checker.from_settings(settings(quality_weights=str(path)))
    report = checker.check(source=source, translation=translation)
    assert checker.weights == weights
    assert f"|score:v1/weights:backward-only@{weights.checksum}|" in report.signature
    assert "|score:v1/weights:v1|" in default.signature
    # the calibration's rescoring gives the checker's own numbers, under either set of weights
    assert item_score(default.segments, SHIPPED) == default.score
    assert item_score(default.segments, weights) == report.score
    assert report.score != default.score
