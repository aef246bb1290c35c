"""Quality weights files: the shipped v1 file, custom files, bad files and the signature (no model involved)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from pydantic import ValidationError

from service.checker import Checker
from service.config import Settings
from service.quality_weights import SHIPPED_CHECKSUM, SHIPPED_PATH, QualityWeightsError, load_weights
from service.report import Flag, MetricScores, Signals
from service.scoring import base_score, segment_score
from service.signature import build_signature

V1_FEATURES = {"roundtrip_chrf": 0.3, "pseudo_reference_chrf": 0.3, "forward": 0.2, "backward": 0.2}
V1 = {
    "version": "v1",
    "features": V1_FEATURES,
    "intercept": 0.0,
    "logprob_zero": -4.0,
    "penalty": {"minor": 5, "major": 25, "critical": 50},
    "provenance": {"method": "test"},
}


def _signals(rt: float, pr: float, fwd: float, bwd: float) -> Signals:
    return Signals(roundtrip=MetricScores(bleu=0.0, chrf=rt, ter=0.0), pseudo_reference_chrf=pr,
                   forward_logprob=fwd, backward_logprob=bwd)


def _flag(severity: str) -> Flag:
    return Flag(type="omission", rule="unaligned-source-sentence", severity=severity, message="m")  # type: ignore[arg-type]


def _write(path: Path, **changes: object) -> Path:
    data = json.loads(json.dumps(V1))
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _v1_by_hand(s: Signals, severities: list[str]) -> float:
    """Formula v1 as documented in the README, written out independently of the weights file."""
    def points(lp: float) -> float:
        return max(0.0, min(100.0, 100.0 * (1.0 - lp / -4.0)))

    base = max(0.0, min(100.0, 0.30 * s.roundtrip.chrf + 0.30 * s.pseudo_reference_chrf
                        + 0.20 * points(s.forward_logprob) + 0.20 * points(s.backward_logprob)))
    penalty = {"minor": 5.0, "major": 25.0, "critical": 50.0}
    return round(max(0.0, min(100.0, base - sum(penalty[x] for x in severities))), 2)


def test_shipped_file_is_v1_and_reproduces_v1_scores_exactly() -> None:
    shipped = load_weights(None)
    assert shipped == load_weights(SHIPPED_PATH)
    assert shipped.version == "v1" and shipped.is_shipped and shipped.checksum == SHIPPED_CHECKSUM
    assert shipped.features.model_dump() == V1_FEATURES and shipped.logprob_zero == -4.0
    assert shipped.provenance["method"] == "hand-set"
    rng = random.Random(8)
    for _ in range(500):
        s = _signals(rng.uniform(0, 100), rng.uniform(0, 100), rng.uniform(-6, 0), rng.uniform(-6, 0))
        severities = rng.choices(["minor", "major", "critical"], k=rng.randint(0, 2))
        flags = [_flag(x) for x in severities]
        assert segment_score(s, flags) == segment_score(s, flags, weights=shipped) == _v1_by_hand(s, severities)


def test_custom_weights_change_scores_as_written(tmp_path: Path) -> None:
    path = _write(tmp_path / "rt-only.json", version="rt-only",
                  features={"roundtrip_chrf": 1.0, "pseudo_reference_chrf": 0.0, "forward": 0.0, "backward": 0.0},
                  penalty={"minor": 10, "major": 30, "critical": 60})
    weights = load_weights(path)
    s = _signals(62.5, 10.0, -1.0, -3.0)
    assert base_score(s, weights) == 62.5
    assert segment_score(s, [_flag("minor")], weights=weights) == 52.5
    assert segment_score(s, [_flag("major")], weights=weights) == 32.5
    likelihood = load_weights(_write(tmp_path / "lp.json", version="lp", logprob_zero=-2.0, intercept=5.0,
                                     features={"roundtrip_chrf": 0, "pseudo_reference_chrf": 0, "forward": 0.5,
                                               "backward": 0.5}))
    # forward -1 -> 50 points, backward -3 -> 0 points with zero at -2; plus the intercept
    assert base_score(s, likelihood) == pytest.approx(30.0)
    assert segment_score(s, [], rules_only=True, weights=weights) == 100.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"version": None}, "version: Field required"),
        ({"version": "v1|x"}, "version: String should match pattern"),
        ({"features": {**V1_FEATURES, "bleu": 0.1}}, "features.bleu: Extra inputs are not permitted"),
        ({"features": {"roundtrip_chrf": 1.0, "pseudo_reference_chrf": 0, "forward": 0}}, "features.backward: Field required"),
        ({"features": {**V1_FEATURES, "forward": -0.1}}, "features.forward: Input should be greater than or equal to 0"),
        ({"penalty": {"minor": -5, "major": 25, "critical": 50}}, "penalty.minor: Input should be greater than or equal to 0"),
        ({"logprob_zero": 1.0}, "logprob_zero: Input should be less than 0"),
        ({"features": {"roundtrip_chrf": 0, "pseudo_reference_chrf": 0, "forward": 0, "backward": 0}}, "all feature weights are 0"),
        ({"provenance": None}, "provenance: Field required"),
    ],
)
def test_bad_files_name_the_file_and_the_field(tmp_path: Path, changes: dict[str, object], message: str) -> None:
    path = _write(tmp_path / "bad.json", **changes)
    with pytest.raises(QualityWeightsError) as caught:
        load_weights(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(QualityWeightsError, match="missing.json: cannot read"):
        load_weights(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "version": "v2",\n  "features": {,\n}', encoding="utf-8")
    with pytest.raises(QualityWeightsError, match=r"broken.json: line 3 column 16: not valid JSON"):
        load_weights(broken)
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(QualityWeightsError, match="list.json: expected a JSON object"):
        load_weights(listed)


def test_edited_file_is_read_again(tmp_path: Path) -> None:
    path = _write(tmp_path / "w.json", version="first")
    assert load_weights(path).version == "first"
    _write(path, version="second")
    import os

    os.utime(path, ns=(1, 1))  # a different modification time, even on a coarse clock
    assert load_weights(path).version == "second"


def _signature(settings: Settings) -> str:
    return build_signature(settings=settings, forward="f@1", backward="b@1", device="cpu", dtype="float32")


def _score_part(signature: str) -> str:
    return dict(part.split(":", 1) for part in signature.split("|") if ":" in part)["score"]


def test_signature_names_the_weights(tmp_path: Path) -> None:
    assert _score_part(_signature(Settings())) == "v1/weights:v1"
    # the shipped numbers under a new provenance text are the same weights
    same = _write(tmp_path / "same.json", provenance={"method": "copied"})
    assert _score_part(_signature(Settings(quality_weights=str(same)))) == "v1/weights:v1"
    # a custom file reusing the name v1 never passes for the shipped weights
    other = _write(tmp_path / "other.json", penalty={"minor": 6, "major": 25, "critical": 50})
    checksum = load_weights(other).checksum
    assert checksum.startswith("sha256:") and checksum != SHIPPED_CHECKSUM
    assert _score_part(_signature(Settings(quality_weights=str(other)))) == f"v1/weights:v1@{checksum}"
    fitted = _write(tmp_path / "fitted.json", version="hter-2026")
    assert _score_part(_signature(Settings(quality_weights=str(fitted)))).startswith("v1/weights:hter-2026@sha256:")


def test_setting_from_environment_and_validated_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "env.json", version="from-env")
    monkeypatch.setenv("CONTRESENS_QUALITY_WEIGHTS", str(path))
    assert Settings().quality_weights == str(path)
    bad = _write(tmp_path / "bad.json", version=None)
    with pytest.raises(ValidationError, match=r"bad.json: version: Field required"):
        Settings(quality_weights=str(bad))


def test_checker_scores_with_the_settings_weights(tmp_path: Path) -> None:
    source, translation = "Il a payé 500 euros le 3 mars.", "He paid 600 euros on March 3."
    default = Checker.rules_only(Settings()).check(source=source, translation=translation)
    assert [f.severity for f in default.flags] == ["major"] and default.score == 75.0
    path = _write(tmp_path / "strict.json", version="strict", penalty={"minor": 5, "major": 45, "critical": 50})
    checker = Checker.rules_only(Settings(quality_weights=str(path)))
    report = checker.check(source=source, translation=translation)
    assert report.score == 55.0 and report.verdict == "review"
    assert f"|score:v1/weights:strict@{load_weights(path).checksum}|" in report.signature
