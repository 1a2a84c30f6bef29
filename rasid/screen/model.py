"""What screening takes and gives: subjects, matches with explanations.

A match only proposes: ``alert`` says the score reached the documented threshold, and a
person reviews every hit before anything happens to the subject.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Subject:
    """Someone to screen: a name and, when known, identifying facts."""

    id: str
    name: str
    birth_date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    nationality: str | None = None  # ISO 3166-1 alpha-2 code or a country name
    gender: str | None = None  # male, female, other
    document_number: str | None = None


@dataclass(frozen=True)
class Reason:
    """One step of an explanation: what was compared, how it came out, and its effect."""

    feature: str  # e.g. "name_part", "birth_date", "nationality"
    detail: str  # in English, e.g. "Youssef ~ يوسف: same letters across scripts (YSF)"
    effect: float  # contribution to the score (negative for a conflict)
    # The same step in a form both languages can word (``rasid.screen.wording``): a code
    # and its arguments (names, keys, numbers). "" for a step that only has its detail.
    code: str = ""
    args: tuple[tuple[str, str], ...] = ()


MATCH_KINDS = ("name", "document", "rule")  # what a match (and a hit) may be on


@dataclass(frozen=True)
class Match:
    """A watchlist entity proposed for a subject."""

    entity_id: str
    score: float  # 0..1
    alert: bool  # score >= the alert threshold
    name: str  # the watchlist name that matched best
    explanation: list[Reason] = field(default_factory=list)
    # What was matched: "name" (a watchlist entity's names), "document" (a listed lost or
    # stolen travel document: entity_id is the document), "rule" (a targeting rule:
    # entity_id is "rule:<id>").
    kind: str = "name"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by `rasid screen` and the API."""
        return {
            "entity_id": self.entity_id,
            "score": round(self.score, 4),
            "alert": self.alert,
            "name": self.name,
            "explanation": [
                {"feature": r.feature, "detail": r.detail, "effect": round(r.effect, 4)}
                for r in self.explanation
            ],
        }
