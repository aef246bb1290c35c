"""Request and response bodies of the HTTP API, with the limits of the settings built into the schema,
so that an over-long text or too many documents is a 422 naming the field, before any work is done."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, create_model, model_validator

from service.checks.registry import resolve_names
from service.config import Settings
from service.glossary.concept import Concept
from service.report import Report


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or whitespace only")
    return value


class ScoreOptions(BaseModel):
    """What to run for one document."""

    model_config = ConfigDict(extra="forbid")

    checks: list[str] | None = Field(default=None, description="Localization checks to run (default: the "
                                     "server's): numbers, dates, names, untranslated, length, markup, typography.")
    skip_checks: list[str] = Field(default_factory=list, description="Localization checks to leave out.")

    @model_validator(mode="after")
    def _known(self) -> ScoreOptions:
        resolve_names(self.checks, self.skip_checks)  # UnknownCheckError is a ValueError: 422 names the check
        return self

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
    fields: dict[str, Any] = {
        "source": (text, Field(description="The source document (French by default).")),
        "translation": (text, Field(description="Its machine translation.")),
        "reference": (text | None, Field(default=None, description="Optional human reference translation.")),
        "glossary": (list[Concept], Field(default_factory=list, max_length=settings.max_glossary_entries,
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
