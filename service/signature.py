"""The signature: one string naming everything that changes the numbers, as sacreBLEU prints one.

Same signature, same numbers: model ids and revisions, device, backend and compute type, decoding
settings, thresholds, score formula and its weights (`score:v1/weights:v1` for the shipped weights,
`score:v1/weights:<version>@sha256:<16 hex>` for any other file), glossary checksum, term policy
(`termpolicy:mistranslation` or `termpolicy:strict`), localization checks, the corroboration
threshold, the named-entity pipeline of the names check and the versions of contresens, sacrebleu
(with each metric's own signature), transformers and torch.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from service import __version__
from service.config import Settings
from service.quality_weights import QualityWeights, load_weights
from service.scoring import FORMULA_VERSION
from service.signals import metric_signatures


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "none"


def _ner_part(settings: Settings) -> str:
    """The named-entity pipeline the names check uses, `package@version` (`none` without one)."""
    from service.ner import PIPELINES

    package = PIPELINES.get(settings.source_lang)
    if package is None or "names" not in settings.check_names:
        return "none"
    return f"{package}@{_version(package.replace('_', '-'))}"


def build_signature(
    *,
    settings: Settings,
    forward: str,
    backward: str,
    device: str,
    dtype: str,
    glossary_checksum: str | None = None,
    backend: str = "none",
    weights: QualityWeights | None = None,
    decoder: str = "none",
) -> str:
    """Join the parts as `key:value|key:value`; `forward`/`backward` are `name@revision`.

    `weights` are the quality weights the scores use (default: those of `settings.quality_weights`)."""
    if weights is None:
        weights = load_weights(settings.quality_weights)
    parts = [
        ("contresens", __version__),
        ("pair", f"{settings.source_lang}-{settings.target_lang}"),
        ("fwd", forward),
        ("bwd", backward),
        ("device", device),
        ("backend", backend),
        ("dtype", dtype),
        ("decoder", decoder),
        ("beam", str(settings.beam_size)),
        ("maxlen", str(settings.max_length)),
        ("lowprob", f"{settings.low_prob_threshold:g}"),
        ("thresholds", f"{settings.pass_score:g}/{settings.fail_score:g}"),
        ("score", f"{FORMULA_VERSION}/{weights.signature_part}"),
        ("glossary", glossary_checksum or "none"),
        ("termpolicy", settings.term_policy),
        ("checks", "+".join(settings.check_names) or "none"),
        ("corrob", f"{settings.corroboration_logprob:g}"),
        ("ner", _ner_part(settings)),
    ]
    parts += [(name, "[" + sig.replace("|", ",") + "]") for name, sig in sorted(metric_signatures().items())]
    parts += [("transformers", _version("transformers")), ("torch", _version("torch"))]
    return "|".join(f"{key}:{value}" for key, value in parts)
