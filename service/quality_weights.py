"""The weights of the combined quality score, read from a versioned JSON file.

The score formula (`service.scoring`, formula v1) is fixed; its numbers are not: the weight of each
model signal, an intercept, the log-probability that maps to 0 points and the penalty of each flag
severity live in a weights file, so they can be fitted on human judgments
(`python -m eval.meta.calibrate`) and swapped without touching the code. The shipped default is
`service/weights/quality-v1.json`; `CONTRESENS_QUALITY_WEIGHTS` (setting `quality_weights`) points
to another file.

A file looks like::

    {"version": "v1",
     "features": {"roundtrip_chrf": 0.3, "pseudo_reference_chrf": 0.3, "forward": 0.2, "backward": 0.2},
     "intercept": 0.0, "logprob_zero": -4.0,
     "penalty": {"minor": 5, "major": 25, "critical": 50},
     "provenance": {"method": "...", "fitted_on": null or {...}}}

All four features and all three severities are required, weights and penalties are non-negative,
unknown keys are refused. The numbers (not the free-form provenance) have a checksum, so that the
report signature can tell any two sets of weights apart: same signature, same numbers.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SHIPPED_PATH = Path(__file__).resolve().parent / "weights" / "quality-v1.json"
# Checksum of the shipped file's numbers. It is written here, not computed from the file, so that an
# edit of the shipped file that is not also made here shows in the signature (and misses the report
# cache, whose key includes the bytes of this module) instead of passing for the old weights.
SHIPPED_CHECKSUM = "sha256:cf89ec4e44b0c573"
FEATURES = ("roundtrip_chrf", "pseudo_reference_chrf", "forward", "backward")


class QualityWeightsError(ValueError):
    """A weights file that cannot be used; the message names the file and the field."""


class FeatureWeights(BaseModel):
    """Weight of each model signal in the base score (all on a 0-100 scale before weighting)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    roundtrip_chrf: float = Field(ge=0.0, description="chrF of the source against its round trip.")
    pseudo_reference_chrf: float = Field(ge=0.0, description="chrF of the translation against the forward "
                                         "model's own translation.")
    forward: float = Field(ge=0.0, description="Likelihood points of the translation given the source.")
    backward: float = Field(ge=0.0, description="Likelihood points of the source given the translation.")


class Penalties(BaseModel):
    """Points taken off a segment's score per flag of each severity."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    minor: float = Field(ge=0.0)
    major: float = Field(ge=0.0)
    critical: float = Field(ge=0.0)

    def of(self, severity: str) -> float:
        """The penalty of one flag severity."""
        return float(getattr(self, severity))


class QualityWeights(BaseModel):
    """One weights file, validated. `checksum` and `is_shipped` feed the report signature."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
                         description="Name of this set of weights; it appears in the signature.")
    features: FeatureWeights
    intercept: float = Field(default=0.0, ge=-100.0, le=100.0, description="Points added to the weighted sum.")
    logprob_zero: float = Field(lt=0.0, description="Mean token log-probability that gets 0 likelihood points "
                                "(0 gets 100, linear in between).")
    penalty: Penalties
    provenance: dict[str, Any] = Field(description="How the numbers were obtained (method, data, figures, date).")

    @model_validator(mode="after")
    def _some_weight(self) -> QualityWeights:
        if sum(self.features.model_dump().values()) <= 0.0:
            raise ValueError("all feature weights are 0: the base score would not depend on any signal")
        return self

    @property
    def checksum(self) -> str:
        """`sha256:` + 16 hex digits of the canonical JSON of everything but the provenance."""
        numbers = self.model_dump(exclude={"provenance"})
        payload = json.dumps(numbers, sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    @property
    def is_shipped(self) -> bool:
        """True when the numbers are exactly those of the shipped default file."""
        return self.checksum == SHIPPED_CHECKSUM

    @property
    def signature_part(self) -> str:
        """How the weights appear in the `score:` part of the signature: the version for the shipped
        numbers, the version and checksum for any others (so that a custom file reusing a version
        name never looks comparable)."""
        return f"weights:{self.version}" if self.is_shipped else f"weights:{self.version}@{self.checksum}"

    def to_json(self) -> str:
        """The file's text: indented JSON in the schema's key order, ending with a newline."""
        return json.dumps(self.model_dump(), indent=2, ensure_ascii=False) + "\n"


def _describe(error: ValidationError) -> str:
    """One line per problem: `field.path: message`."""
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        lines.append(f"{where}: {item['msg']}")
    return "; ".join(lines)


def parse_weights(text: str, *, source: str) -> QualityWeights:
    """Validate the JSON `text` of a weights file; errors name `source` and the field or line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise QualityWeightsError(f"{source}: line {exc.lineno} column {exc.colno}: not valid JSON: {exc.msg}")\
            from exc
    if not isinstance(data, dict):
        raise QualityWeightsError(f"{source}: expected a JSON object with version, features, intercept, "
                                  f"logprob_zero, penalty and provenance, got {type(data).__name__}")
    try:
        return QualityWeights.model_validate(data)
    except ValidationError as exc:
        raise QualityWeightsError(f"{source}: {_describe(exc)}") from exc


@lru_cache(maxsize=16)
def _load(path: Path, mtime_ns: int) -> QualityWeights:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QualityWeightsError(f"{path}: cannot read the quality weights file: {exc}") from exc
    return parse_weights(text, source=str(path))


def load_weights(path: str | Path | None = None) -> QualityWeights:
    """The weights in `path`, or the shipped default (`service/weights/quality-v1.json`) for None.

    Raises `QualityWeightsError` naming the file and the field for a missing file, bad JSON, an
    unknown or missing feature or severity, a negative weight or penalty, or a missing version.
    A file is read once per modification time.
    """
    resolved = SHIPPED_PATH if path is None else Path(path).expanduser()
    try:
        mtime = resolved.stat().st_mtime_ns
    except OSError as exc:
        raise QualityWeightsError(f"{resolved}: cannot read the quality weights file: {exc}") from exc
    return _load(resolved, mtime)
