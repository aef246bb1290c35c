"""Typed settings for contresens, read from `CONTRESENS_*` environment variables.

Everything that changes the numbers (language pair, models, decoding, thresholds, score weights) is a
setting, validated once when it is built, so a bad value fails at start-up rather than at the
first document. The command line overrides individual fields with `Settings.model_copy`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.checks.registry import resolve_names
from service.glossary.concept import TermPolicy
from service.quality_weights import load_weights

HUB_MODEL_TEMPLATE = "Helsinki-NLP/opus-mt-{src}-{tgt}"


class Settings(BaseSettings):
    """All knobs of the engine. Field `x` is read from the environment variable `CONTRESENS_X`."""

    model_config = SettingsConfigDict(env_prefix="CONTRESENS_", extra="ignore")

    source_lang: str = Field(default="fr", pattern=r"^[a-z]{2,3}$", description="Language of the source text.")
    target_lang: str = Field(default="en", pattern=r"^[a-z]{2,3}$", description="Language of the translation.")
    forward_model: str | None = Field(
        default=None,
        description="Hub id or local directory of the source->target MarianMT model "
        "(default Helsinki-NLP/opus-mt-{source}-{target}).",
    )
    backward_model: str | None = Field(
        default=None,
        description="Hub id or local directory of the target->source MarianMT model "
        "(default Helsinki-NLP/opus-mt-{target}-{source}).",
    )
    offline: bool = Field(default=False, description="Never contact the model hub; use local files only.")
    device: Literal["auto", "cpu", "cuda"] = "auto"
    backend: Literal["fp32", "int8", "bf16", "fp16", "ct2"] = Field(
        default="fp32", description="Numeric path: fp32 (reference), int8 (dynamic quantization, CPU), bf16 "
        "(autocast on CPU, weights on GPU), fp16 (GPU), ct2 (CTranslate2 int8, extra contresens[ct2]).")
    ct2_compute_type: Literal["int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16",
                              "bfloat16", "float32"] = Field(
        default="int8", description="CTranslate2 compute type of the ct2 backend (int8 on CPU; float16 or "
        "int8_float16 on GPU).")
    threads: int | None = Field(default=None, ge=1, le=256, description="torch intra-op threads on CPU "
                                "(default: one per core).")
    cache: bool = Field(default=True, description="Keep translations and scores in the persistent cache.")
    cache_path: str | None = Field(default=None, description="SQLite file of the translation cache (default: "
                                   "translations.sqlite3 in the user cache directory).")
    cache_memory_items: int = Field(default=10_000, ge=0, description="Entries of the in-memory LRU in front of "
                                    "the cache file.")
    beam_size: int = Field(default=4, ge=1, le=16)
    shortlist: int = Field(
        default=0, ge=0, le=1_000_000, description="Draft decoder only: choose each generated token among this many "
        "most frequent target pieces and the pieces of the batch's texts (0: the whole vocabulary). Faster "
        "output layer, but it may change translations: off by default.")
    decoder: Literal["auto", "plain", "draft", "shared"] = Field(
        default="auto", description="How generation and forced decoding run: draft (greedy, verified against "
        "the other side of the pair, one encoder pass per text), shared (generate and forced decoding from one "
        "encoder pass per text, any beam), plain (each encodes its texts) or auto (draft for greedy and shared "
        "for beam search on the torch backends, plain on ct2).")
    max_length: int = Field(default=512, ge=8, le=1024, description="Maximum generated tokens per chunk.")
    batch_size: int = Field(default=16, ge=1, le=512)
    low_prob_threshold: float = Field(
        default=0.05, gt=0.0, lt=1.0, description="Tokens of the translation below this probability are suspicious."
    )
    glossary: list[str] = Field(
        default_factory=list, description="User termbases (CSV, TSV or TBX) laid over the built-in one, in order."
    )
    builtin_glossary: bool = Field(default=True, description="Use the shipped fr->en justice and police termbase.")
    term_policy: TermPolicy = Field(
        default="mistranslation", description="What term flags mean: mistranslation (concepts of general legal "
        "vocabulary are flagged only when mistranslated or left in French) or strict (terminology compliance: "
        "every concept needs an approved rendering)."
    )
    checks: list[str] | None = Field(
        default=None, description="Localization checks to run (default all: numbers, dates, names, "
        "untranslated, length, markup, typography)."
    )
    skip_checks: list[str] = Field(default_factory=list, description="Localization checks to leave out.")
    quality_weights: str | None = Field(
        default=None, description="JSON file of the quality score's weights (default: the shipped "
        "service/weights/quality-v1.json; `python -m eval.meta.calibrate` writes one)."
    )
    corroboration_logprob: float = Field(
        default=-2.0, le=0.0, description="With models: a rule flag on a source span whose tokens have at least "
        "this mean log-probability given the translation (reverse forced decoding) is lowered to minor, or "
        "dropped when the back-translation also holds the span.")
    pass_score: float = Field(default=70.0, ge=0.0, le=100.0, description="Segments at or above this score pass.")
    fail_score: float = Field(default=40.0, ge=0.0, le=100.0, description="Segments below this score fail.")

    # HTTP service (contresens serve)
    api_key: SecretStr | None = Field(default=None, description="When set, requests must send it as X-API-Key.")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS (none by default).")
    max_chars: int = Field(default=20_000, ge=1, description="Most characters in one source, translation or "
                           "reference.")
    max_documents: int = Field(default=32, ge=1, description="Most documents in one batch request.")
    max_glossary_entries: int = Field(default=200, ge=0, description="Most termbase entries in one request.")
    max_body_bytes: int = Field(default=2_000_000, ge=1024, description="Largest request body accepted (413 above).")
    batching: bool = Field(default=True, description="Coalesce concurrent requests into shared model batches.")
    batch_max_tokens: int = Field(default=8192, ge=1, description="Most tokens in one coalesced model batch.")
    batch_max_wait_ms: float = Field(default=10.0, ge=0.0, le=1000.0, description="How long a batch waits for "
                                     "more requests.")
    queue_size: int = Field(default=256, ge=1, description="Most requests checked at once (waiting for or in "
                            "the models); one more is answered 503 + Retry-After before it queues any work.")
    request_timeout_s: float = Field(default=120.0, gt=0.0, description="A request still waiting for the model "
                                     "after this long is answered 504.")

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.source_lang == self.target_lang:
            raise ValueError(f"source_lang and target_lang are both {self.source_lang!r}")
        resolve_names(self.checks, self.skip_checks)  # unknown names fail here, at start-up
        if self.quality_weights is not None:
            load_weights(self.quality_weights)  # a missing or bad weights file too
        if self.fail_score > self.pass_score:
            raise ValueError(f"fail_score ({self.fail_score}) is above pass_score ({self.pass_score})")
        return self

    @property
    def check_names(self) -> list[str]:
        """The localization checks this run uses, in registry order."""
        return resolve_names(self.checks, self.skip_checks)

    @property
    def forward_model_name(self) -> str:
        """The forward (source->target) model actually used."""
        return self.forward_model or HUB_MODEL_TEMPLATE.format(src=self.source_lang, tgt=self.target_lang)

    @property
    def backward_model_name(self) -> str:
        """The backward (target->source) model actually used."""
        return self.backward_model or HUB_MODEL_TEMPLATE.format(src=self.target_lang, tgt=self.source_lang)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings from the environment, built once."""
    return Settings()
