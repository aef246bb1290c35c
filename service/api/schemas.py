"""Request and response bodies of the HTTP API, with the limits of the settings built into the schema,
so that an over-long text or too many documents is a 422 naming the field, before any work is done."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, create_model, field_validator

from service.checks.registry import resolve_names
from service.config import Settings
from service.glossary.concept import Concept, TermPolicy
from service.glossary.normalize import fold
from service.report import Report


def _not_blank(value: str) -> str:
    """Refuse texts with nothing to translate (only spaces or invisible format characters such as a
    zero-width space) and texts with control characters other than tab and line breaks."""
    if all(c.isspace() or unicodedata.category(c) == "Cf" for c in value):
        raise ValueError("must not be empty or whitespace only")
    bad = next((c for c in value if unicodedata.category(c) == "Cc" and c not in "\t\n\r"), None)
    if bad is not None:
        raise ValueError(f"contains the control character U+{ord(bad):04X} at position {value.index(bad)}")
    return value


def _distinct_entries(entries: list[Concept]) -> list[Concept]:
    """Two request entries with one id, or one French term, would leave it undefined which one applies."""
    ids: dict[str, int] = {}
    terms: dict[str, int] = {}
    for index, concept in enumerate(entries):
        if concept.id in ids:
            raise ValueError(f"entry {index}: id {concept.id!r} appears twice (first in entry {ids[concept.id]})")
        ids[concept.id] = index
        for term in concept.french:
            key = fold(term)
            if key in terms and terms[key] != index:
                raise ValueError(f"entry {index}: French term {term!r} is also in entry {terms[key]}")
            terms[key] = index
    return entries


class ScoreOptions(BaseModel):
    """What to run for one document."""

    model_config = ConfigDict(extra="forbid")

    checks: list[str] | None = Field(default=None, description="Localization checks to run (default: the "
                                     "server's): numbers, dates, names, untranslated, length, markup, typography.")
    skip_checks: list[str] = Field(default_factory=list, description="Localization checks to leave out.")
    term_policy: TermPolicy | None = Field(default=None, description="What term flags mean for this document "
                                           "(default: the server's): mistranslation (general legal vocabulary "
                                           "is flagged only when mistranslated or left in French) or strict "
                                           "(every concept needs an approved rendering).")

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, names: list[str] | None) -> list[str] | None:
        resolve_names(names)  # UnknownCheckError is a ValueError: 422 at options.checks, naming the check
        return names

    @field_validator("skip_checks")
    @classmethod
    def _known_skips(cls, names: list[str]) -> list[str]:
        resolve_names(None, names)
        return names

    def check_names(self, default: list[str]) -> list[str] | None:
        """The checks for this request, or None for the server's default."""
        if self.checks is None and not self.skip_checks:
            return None
        return resolve_names(self.checks if self.checks is not None else default, self.skip_checks)


class BatchResponse(BaseModel):
    """Reports in the order of the documents."""

    reports: list[Report]


class GlossaryPage(BaseModel):
    """Concepts of the termbase in use, filtered and paged."""

    total: int = Field(description="Concepts matching the filters, before paging.")
    concepts: list[Concept]


def request_models(settings: Settings) -> tuple[type[BaseModel], type[BaseModel]]:
    """The score and batch request models, with this server's limits (characters per text, documents
    per batch, termbase entries per request)."""
    text = Annotated[str, StringConstraints(min_length=1, max_length=settings.max_chars), AfterValidator(_not_blank)]
    entries = Annotated[list[Concept], AfterValidator(_distinct_entries)]
    fields: dict[str, Any] = {
        "source": (text, Field(description="The source document (French by default).")),
        "translation": (text, Field(description="Its machine translation.")),
        "reference": (text | None, Field(default=None, description="Optional human reference translation.")),
        "context": (Annotated[str, StringConstraints(max_length=settings.max_chars)],
                    Field(default="", description="Optional source text before this document (the earlier "
                          "sentences of its article), not checked: a person named there may be \"he\" here "
                          "without a missing-name flag.")),
        "glossary": (entries, Field(default_factory=list, max_length=settings.max_glossary_entries,
                                          description="Termbase entries for this request only, laid over the "
                                          "server's (they win on the same id or French term).")),
        "options": (ScoreOptions, Field(default_factory=ScoreOptions)),
    }
    score = create_model("ScoreRequest", __config__=ConfigDict(extra="forbid"), **fields)
    batch = create_model(
        "BatchRequest", __config__=ConfigDict(extra="forbid"),
        documents=(list[score], Field(min_length=1, max_length=settings.max_documents,  # type: ignore[valid-type]
                                       description="Documents to score, answered in this order.")),
    )
    return score, batch
