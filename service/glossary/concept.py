"""The termbase's data model: a Concept per entry, a Glossary of concepts.

A glossary has a checksum (SHA-256 of its canonical JSON) that enters the report signature:
same checksum, same term flags.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from service.glossary.normalize import fold

Severity = Literal["minor", "major", "critical"]
Check = Literal["rendering", "mistranslation"]
"""How strictly a concept is checked: `rendering` (an institution, court, agency, named body or acronym:
the English must hold an approved rendering) or `mistranslation` (general legal vocabulary: only known
mistranslations and the French word left in the English are flagged, unless the term policy is strict)."""
CHECKS: tuple[Check, ...] = ("rendering", "mistranslation")
TermPolicy = Literal["mistranslation", "strict"]
"""What term flags mean for a run: `mistranslation` (default: concepts checked for mistranslation are
flagged only when mistranslated or left in French) or `strict` (terminology compliance: every concept
needs an approved rendering, whatever its `check`)."""
TERM_POLICIES: tuple[TermPolicy, ...] = ("mistranslation", "strict")
DOMAINS = ("court", "prosecution", "procedure", "police", "agency", "government", "other")


def _clean_list(values: list[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        value = " ".join(value.split())
        if value and value not in seen:
            seen.append(value)
    return seen


class Concept(BaseModel):
    """One termbase entry: a French legal or institutional term and how it goes into English."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120)
    domain: str = "other"
    french: list[str] = Field(min_length=1, description="Main French term first, then variants.")
    approved: list[str] = Field(min_length=1, description="Approved English renderings, preferred first.")
    forbidden: list[str] = Field(default_factory=list, description="Known mistranslations and false friends.")
    do_not_translate: bool = False
    severity: Severity = "major"
    check: Check = Field(default="rendering", description="rendering: an approved rendering is required; "
                         "mistranslation: only forbidden renderings and the French term left in the English "
                         "are flagged (unless the term policy is strict).")
    context_exclude: list[str] = Field(default_factory=list)
    context_require: list[str] = Field(default_factory=list)
    note: str = ""
    reference: str = ""

    @field_validator("french", "approved", "forbidden", "context_exclude", "context_require")
    @classmethod
    def _strip(cls, values: list[str]) -> list[str]:
        return _clean_list(values)

    @field_validator("french", "approved")
    @classmethod
    def _not_empty(cls, values: list[str]) -> list[str]:
        if not values:
            raise ValueError("needs at least one non-empty term")
        return values

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str) -> str:
        if value not in DOMAINS:
            raise ValueError(f"unknown domain {value!r} (one of {', '.join(DOMAINS)})")
        return value

    @field_validator("forbidden")
    @classmethod
    def _no_overlap(cls, values: list[str], info: ValidationInfo) -> list[str]:
        approved = {fold(a) for a in info.data.get("approved", [])}
        clash = [v for v in values if fold(v) in approved]
        if clash:
            raise ValueError(f"{', '.join(clash)} is both approved and forbidden")
        return values

    @field_validator("check")
    @classmethod
    def _names_need_their_rendering(cls, value: Check, info: ValidationInfo) -> Check:
        if value == "mistranslation" and info.data.get("do_not_translate"):
            raise ValueError("a do-not-translate name is checked for its rendering (rendering), "
                             "not for mistranslation only")
        return value

    @property
    def term(self) -> str:
        """The main French term."""
        return self.french[0]


def _canonical(concept: Concept) -> dict[str, object]:
    data = concept.model_dump()
    if data["check"] == "rendering":
        del data["check"]
    return data


class Glossary:
    """An ordered set of concepts with unique ids."""

    def __init__(self, concepts: Iterable[Concept], name: str = "glossary") -> None:
        self.name = name
        self._by_id: dict[str, Concept] = {}
        for concept in concepts:
            if concept.id in self._by_id:
                raise ValueError(f"{name}: concept id {concept.id!r} appears twice")
            self._by_id[concept.id] = concept

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._by_id

    def get(self, concept_id: str) -> Concept:
        """The concept with this id (KeyError if absent)."""
        return self._by_id[concept_id]

    @property
    def checksum(self) -> str:
        """`sha256:` + 16 hex digits of the canonical JSON of all concepts, sorted by id.

        A concept with the default `check` (rendering) hashes without that field, so a termbase written
        before the field existed keeps its checksum (and its baselines stay comparable)."""
        payload = json.dumps(
            [_canonical(self._by_id[k]) for k in sorted(self._by_id)], ensure_ascii=False, sort_keys=True
        )
        return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def merged_with(self, user: Glossary) -> Glossary:
        """This glossary overlaid with `user`: a user concept replaces the built-in one with the
        same id or with any of the same French terms (compared case- and accent-folded)."""
        user_terms = {fold(term) for concept in user for term in concept.french}
        kept = [
            c for c in self
            if c.id not in user and not any(fold(term) in user_terms for term in c.french)
        ]
        return Glossary([*kept, *user], name=f"{self.name}+{user.name}")
