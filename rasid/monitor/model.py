"""What nexus monitoring works with: the instrument (the toolkit's watch points as data),
assessments of a subject for a period, their scores, the changes between two of them,
manifestation suggestions, and advice from external series.

The instrument (``rasid.monitor.instrument``) is read from a YAML file in the package and is
versioned; an assessment names the version it was made with. Everything here is plain data:
storage and the workflow live in ``rasid.monitor.assessments``, the arithmetic in
``rasid.monitor.scoring``, ``rasid.monitor.changes``, ``rasid.monitor.manifest`` and
``rasid.monitor.series``.
"""

import datetime as _dt
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from rasid.model.markings import Marking

LEVELS = (1, 2, 3, 4, 5)
"""The anchored scale of every indicator: 1 = no nexus-conducive condition observed,
5 = strong and entrenched."""


@dataclass(frozen=True)
class Text:
    """A wording in both languages of the UI (Arabic from the seed, English rendering)."""

    ar: str
    en: str

    def get(self, lang: str) -> str:
        """The wording in ``lang`` ("ar" or "en"), falling back to the other one."""
        return (self.ar or self.en) if lang == "ar" else (self.en or self.ar)


@dataclass(frozen=True)
class Reason:
    """Why something is what it is, in a form both languages can word: a code declared in a
    ``REASONS`` table (``rasid.monitor.wording`` gathers them) with its arguments (ids,
    levels, versions, codes of values), and the clauses under it (``parts``: the instrument's
    steps behind an earlier reading, the rises of a shift, the bridges found)."""

    code: str
    args: dict[str, str] = field(default_factory=dict)
    parts: tuple["Reason", ...] = ()


class Pillar(StrEnum):
    """The toolkit's two groups of watch points."""

    ENVIRONMENTAL = "environmental"
    ORGANISATIONAL = "organisational"


class Direction(StrEnum):
    """How the observed condition relates to the nexus: ``present`` when more of it is more
    conducive (poverty), ``absent`` when less of it is (law-enforcement capacity). The
    anchored levels are always written so that 5 is the most conducive."""

    PRESENT = "present"
    ABSENT = "absent"


class SubjectKind(StrEnum):
    """What an assessment is of. Organisational indicators apply to groups; environmental
    ones to countries and regions (an assessment of a group may rate both)."""

    COUNTRY = "country"
    REGION = "region"
    GROUP = "group"


@dataclass(frozen=True)
class Indicator:
    """One watch point, rated on the anchored 1..5 scale."""

    id: str  # stable dotted id, e.g. "economy.poverty"
    factor: str  # the factor's id
    label: Text
    levels: tuple[Text, ...]  # five anchors, for levels 1..5
    direction: Direction
    weight: float  # within its factor, > 0
    evidence: Text  # what evidence a rating needs
    applies_to: tuple[SubjectKind, ...]  # the subject kinds it is rated for
    note: str = ""  # a remark on the wording (e.g. reconstructed from a garbled source)


@dataclass(frozen=True)
class Factor:
    """One of the eleven factors (geography ... external support)."""

    id: str  # e.g. "economy"
    pillar: Pillar
    label: Text
    weight: float  # within its pillar, > 0
    indicators: tuple[str, ...]  # indicator ids, in the instrument's order
    note: str = ""  # a remark on the wording


class MappingKind(StrEnum):
    """How an indicator of a later instrument version relates to the previous version."""

    SAME = "same"  # unchanged (the default for an id present in both)
    RENAMED = "renamed"  # one old indicator, new id or wording, same meaning
    SPLIT = "split"  # one old indicator became several new ones
    MERGED = "merged"  # several old indicators became one
    NEW = "new"  # no counterpart in the previous version
    REMOVED = "removed"  # an old indicator with no successor


@dataclass(frozen=True)
class Mapping:
    """One line of a version's mapping to its predecessor."""

    kind: MappingKind
    old: tuple[str, ...]  # indicator ids in the previous version
    new: tuple[str, ...]  # indicator ids in this version
    note: str = ""
    # re-anchored levels: an old level that now reads as another one on the new anchors
    rescale: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Instrument:
    """One version of the monitoring instrument."""

    id: str  # e.g. "nexus-watch-points"
    version: str  # e.g. "1.0"
    title: Text
    source: str  # where its wording comes from (the seed)
    pillars: dict[Pillar, Text]
    factors: tuple[Factor, ...]
    indicators: dict[str, Indicator]  # by id, in order
    previous: str | None = None  # the version this one maps from
    mapping: tuple[Mapping, ...] = ()
    # the pillars' weights in the overall score (declared in the file; equal by default)
    pillar_weights: dict[Pillar, float] = field(default_factory=dict)

    def pillar_weight(self, pillar: Pillar) -> float:
        """A pillar's weight in the overall score (1 when the file declares none)."""
        return self.pillar_weights.get(pillar, 1.0)


class Confidence(StrEnum):
    """Confidence in a rating or a judgement (ICD 203 wording)."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 for low up to 2 for high."""
        return list(Confidence).index(self)


class Trend(StrEnum):
    """Where the condition is heading, in the assessor's view (not computed)."""

    IMPROVING = "improving"  # towards level 1
    STABLE = "stable"
    WORSENING = "worsening"  # towards level 5
    UNKNOWN = "unknown"


class Likelihood(StrEnum):
    """ICD 203's terms of likelihood, kept apart from confidence."""

    ALMOST_NO_CHANCE = "almost_no_chance"  # 1-5 %
    VERY_UNLIKELY = "very_unlikely"  # 5-20 %
    UNLIKELY = "unlikely"  # 20-45 %
    ROUGHLY_EVEN = "roughly_even"  # 45-55 %
    LIKELY = "likely"  # 55-80 %
    VERY_LIKELY = "very_likely"  # 80-95 %
    ALMOST_CERTAIN = "almost_certain"  # 95-99 %


class EvidenceKind(StrEnum):
    """What an evidence item points at."""

    CITATION = "citation"  # a document outside the store, cited
    ENTITY = "entity"  # an entity in the store
    STATEMENT = "statement"  # one statement in the store


@dataclass(frozen=True)
class Evidence:
    """One item supporting a rating."""

    kind: EvidenceKind
    reference: str  # the citation text, the entity id or the statement id
    date: _dt.date | None = None  # when the evidence is from (the field's name hides the type)
    source_grade: str | None = None  # the configured grading scale's source code
    info_grade: str | None = None  # its information code
    marking: Marking = Marking.AMBER
    note: str = ""


@dataclass(frozen=True)
class Rating:
    """The assessor's reading of one indicator: a level, or not assessed with a reason."""

    indicator: str
    level: int | None  # 1..5, None = not assessed
    reason: str = ""  # why not assessed (required when level is None)
    confidence: Confidence | None = None  # required when level is set
    trend: Trend = Trend.UNKNOWN
    rationale: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Subject:
    """A country, a region inside one, or a group (an FtM Organization in the store)."""

    id: int
    kind: SubjectKind
    name: str  # English
    name_ar: str
    country: str | None = None  # ISO 3166-1 alpha-2, lower case (country and region)
    entity_id: str | None = None  # the group's entity (group)
    parent: int | None = None  # a region's country subject


class Status(StrEnum):
    """The workflow of an assessment."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"  # frozen by its content hash
    SUPERSEDED = "superseded"  # an approved assessment a later revision replaced


@dataclass(frozen=True)
class Assessment:
    """An assessment of a subject for a period, with its ratings by indicator id."""

    id: int
    subject: Subject
    period_start: date
    period_end: date
    instrument_version: str
    status: Status
    agency: str  # the assessor's agency, which owns it
    marking: Marking
    assessor: str
    reviewer: str | None = None
    ratings: dict[str, Rating] = field(default_factory=dict)
    revises: int | None = None  # the approved assessment this one revises
    content_hash: str | None = None  # set on approval: SHA-256 of the canonical content
    created_at: datetime | None = None
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    review_note: str = ""


@dataclass(frozen=True)
class Score:
    """A factor's or a pillar's score: the weighted mean of the assessed levels (1..5), and
    the coverage beside it. ``score`` is None when nothing under it was assessed."""

    key: str  # factor id, or pillar value, or "overall"
    score: float | None
    coverage: float  # share of the applicable indicators that were assessed, 0..1
    assessed: int
    applicable: int


@dataclass(frozen=True)
class Scores:
    """Every score of one assessment."""

    factors: dict[str, Score]
    pillars: dict[str, Score]
    overall: Score


class ChangeKind(StrEnum):
    """How one indicator differs between two approved assessments of a subject."""

    CRITICAL = "critical"  # two levels or more, or reaching 5 (confidence moderate+ both sides)
    SIGNIFICANT = "significant"  # one level or more, confidence moderate+ on both sides
    MINOR = "minor"  # a level change not backed by enough confidence
    CONFIDENCE = "confidence"  # same level, confidence changed
    INSTRUMENT = "instrument"  # a difference caused by the instrument version alone
    ASSESSED = "assessed"  # newly assessed, or no longer assessed


@dataclass(frozen=True)
class Change:
    """One indicator's change, with what it was and what it is."""

    indicator: str  # the indicator id in the later assessment's version (or the old id)
    kind: ChangeKind
    before_level: int | None
    after_level: int | None
    before_confidence: Confidence | None
    after_confidence: Confidence | None
    explanation: str  # in English (the API, the CLI, the alerts), worded from ``reasons``
    reasons: tuple[Reason, ...] = ()  # the explanation's sentences, for either language


@dataclass(frozen=True)
class ChangeSet:
    """The changes from one approved assessment to the next of the same subject."""

    before: int  # assessment ids
    after: int
    instrument_before: str
    instrument_after: str
    changes: tuple[Change, ...]


class Manifestation(StrEnum):
    """The toolkit's manifestations of the nexus (and its extreme environment)."""

    ALLIANCE = "alliance"
    ADOPTION = "adoption"  # adoption of tactics
    INTEGRATION = "integration"
    HYBRID = "hybrid"
    TRANSFORMATION = "transformation"
    BLACK_HOLE = "black_hole"


@dataclass(frozen=True)
class GroupFacts:
    """What the store says about a group subject, for the manifestation rules (each value
    only from what the asking user may read)."""

    nexus_bridges: int = 0  # bridges found by link analysis that touch the group
    bridge_evidence: tuple[Reason, ...] = ()  # those paths, by entity ids
    in_criminal_data: bool = False  # the group (resolved) appears in a criminal dataset
    on_terrorism_list: bool = False  # ... and on a terrorism list
    datasets: tuple[str, ...] = ()  # the datasets that hold it


@dataclass(frozen=True)
class Signal:
    """One signal of a manifestation's profile, and whether it was met."""

    id: str
    label: Text
    weight: float
    matched: bool
    detail: str  # what met it, or what is missing (English)
    reason: Reason | None = None  # the same, for either language


@dataclass(frozen=True)
class Suggestion:
    """One manifestation, ranked by the share of its profile's weight that is met."""

    manifestation: Manifestation
    score: float  # 0..1
    matched: tuple[Signal, ...]
    missing: tuple[Signal, ...]


@dataclass(frozen=True)
class Suggestions:
    """The ranked list, or ``insufficient`` with the reason when coverage is too low."""

    ranked: tuple[Suggestion, ...]
    insufficient: bool = False
    reason: str = ""  # English
    ambiguous: bool = False  # the top two are within the declared margin
    why: Reason | None = None  # the reason, for either language


@dataclass(frozen=True)
class Judgement:
    """The analyst's final word on a manifestation, likelihood and confidence kept apart."""

    assessment: int
    manifestation: Manifestation
    likelihood: Likelihood
    confidence: Confidence
    rationale: str
    by: str
    at: datetime


@dataclass(frozen=True)
class SeriesPoint:
    """One value of an external series: a subject's count or score for a period."""

    series: str  # e.g. "events.battles" or "index.gi-toc"
    region: str  # the subject's key as the file names it (a country code or region name)
    period: str  # YYYY-MM or YYYY
    value: float


@dataclass(frozen=True)
class Advice:
    """A "review suggested": a value departing from its trailing window. Advice only: it
    never sets a score."""

    series: str
    region: str
    period: str
    value: float
    window_mean: float
    window_spread: float  # the robust spread used (scaled MAD)
    deviation: float  # (value - mean) / spread
    message: str  # English
    reason: Reason | None = None  # the message, for either language
