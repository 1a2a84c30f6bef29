"""What technical-assistance coordination works with: the thematic taxonomy, needs found in
assessment visits and capacity consultations, the source documents they come from,
national implementation roadmaps, donors' projects and offers with their results, matches
between needs and projects, duplication flags, and progress on indicators.

Everything here is plain data. The taxonomy is read by ``rasid.assist.taxonomy``; IATI and
CSV by ``rasid.assist.iati`` and ``rasid.assist.csvimport``; the arithmetic lives in
``rasid.assist.matching``, ``rasid.assist.duplicates``, ``rasid.assist.progress`` and
``rasid.assist.coverage``; storage and access in ``rasid.assist.records`` (what the
records share) and the modules of each kind of record (``documents``, ``needs``...).

Explanations (why a match scored what it did, why an indicator is red) are reason codes with
arguments, worded in Arabic and English by ``rasid.assist.wording``: the same explanation
reads in either language of the UI.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum, StrEnum

from rasid.model.markings import Marking
from rasid.monitor.model import Text

__all__ = [
    "EVERY_PARTNER",
    "ActivityStatus",
    "Actual",
    "Area",
    "Budget",
    "Component",
    "Coverage",
    "CoverageCell",
    "CoverageMatrix",
    "Document",
    "DocumentKind",
    "Duplicate",
    "ImportProblem",
    "Indicator",
    "Match",
    "MatchStatus",
    "Need",
    "NeedStatus",
    "OrgRole",
    "Participant",
    "Priority",
    "Progress",
    "Project",
    "ProjectImport",
    "ProjectKind",
    "Rate",
    "Rating",
    "Reason",
    "Release",
    "Result",
    "Roadmap",
    "Rollup",
    "Step",
    "StepStatus",
    "Taxonomy",
    "Text",
    "Theme",
    "ThemeKind",
    "Trace",
    "TraceLink",
    "Transaction",
    "TransactionType",
]

EVERY_PARTNER = "*"
"""In a release list: every partner agency of the coordination portal."""


# --- the taxonomy -------------------------------------------------------------------------


class ThemeKind(StrEnum):
    """Where a theme comes from."""

    PRACTICE = "practice"  # one of the toolkit's 25 good practices
    REQUIREMENT = "requirement"  # a state's own: e.g. a resolution's operative paragraph


@dataclass(frozen=True)
class Area:
    """One of the toolkit's four areas (A legal ... D capacity building)."""

    code: str  # "A" .. "D"
    label: Text


@dataclass(frozen=True)
class Theme:
    """A thematic area of assistance: a good practice, or a requirement a state added."""

    code: str  # "gp-01" .. "gp-25", or a requirement's own code ("res-2396-op12")
    area: str  # an Area code
    label: Text
    kind: ThemeKind
    dac: tuple[str, ...]  # nearest OECD DAC CRS purpose codes (5 digits), for export
    number: int | None = None  # the good practice's number in the toolkit
    note: str = ""


@dataclass(frozen=True)
class Taxonomy:
    """The areas and themes, in order; a state's requirements after the good practices."""

    version: str
    source: str
    areas: tuple[Area, ...]
    themes: tuple[Theme, ...]

    def theme(self, code: str) -> Theme:
        """The theme with this code (KeyError if none)."""
        for theme in self.themes:
            if theme.code == code:
                return theme
        raise KeyError(code)

    def get(self, code: str) -> Theme | None:
        """The theme with this code, or None."""
        return next((t for t in self.themes if t.code == code), None)

    def area(self, code: str) -> Area:
        """The area with this code (KeyError if none)."""
        for area in self.areas:
            if area.code == code:
                return area
        raise KeyError(code)

    def in_area(self, area: str) -> tuple[Theme, ...]:
        """The themes of one area, in order."""
        return tuple(t for t in self.themes if t.area == area)


# --- explanations -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why a number is what it is: a code worded in both languages by
    ``rasid.assist.wording.explain`` with these arguments (names, dates, amounts)."""

    code: str
    args: tuple[tuple[str, str], ...] = ()

    def arg(self, key: str) -> str:
        """One argument by name ("" if absent)."""
        return dict(self.args).get(key, "")


# --- records and sharing --------------------------------------------------------------------


class Release(StrEnum):
    """How much of a document the state released to the partners it names (the state's
    consent to publish a visit report in full, in part, or not at all)."""

    NONE = "none"
    PARTIAL = "partial"  # the title and the released summary; the body stays withheld
    FULL = "full"


class DocumentKind(StrEnum):
    """Where needs were found."""

    VISIT = "visit"  # an assessment visit's report
    CONSULTATION = "consultation"  # a capacity consultation
    OTHER = "other"


@dataclass(frozen=True)
class Document:
    """A source document: a visit report or a consultation's findings. Marked and released
    like any other record; partners see the summary of a partial release, never the body."""

    id: int | None
    agency: str  # the owning agency (the state's coordination office)
    country: str  # ISO 3166-1 alpha-2
    kind: DocumentKind
    title: str
    date: date
    marking: Marking
    release: Release
    released_to: tuple[str, ...]  # agency names, or EVERY_PARTNER
    summary: str  # what a partial release shows
    body: str  # withheld unless released in full
    created_by: str = ""
    created_at: datetime | None = None


class Priority(StrEnum):
    """A need's priority, as the state and the assessors set it."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for high up to 2 for low."""
        return list(Priority).index(self)


class NeedStatus(StrEnum):
    """Whether a need is still to be met."""

    OPEN = "open"
    MET = "met"  # the state and the coordinator judged it met
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Actual:
    """A reported value of an indicator at a date."""

    date: date
    value: float
    note: str = ""
    reported_by: str = ""


@dataclass(frozen=True)
class Indicator:
    """A target parameter of a need, or an indicator of a project's result (IATI's result →
    indicator → baseline → period). Descending indicators (``ascending`` false) improve as
    they fall: the backlog of cases, the days to answer a request."""

    id: int | None
    title: str
    ascending: bool
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    measure: str = "unit"  # IATI IndicatorMeasure: unit, percentage, nominal, ordinal, qualitative
    actuals: tuple[Actual, ...] = ()  # in date order
    result: str = ""  # the project result it measures (projects only)
    need: int | None = None  # the need it is a target parameter of
    project: int | None = None  # the project whose result it measures


@dataclass(frozen=True)
class Need:
    """A technical-assistance need found in a visit or a consultation."""

    id: int | None
    agency: str  # the owning agency (the state's coordination office)
    country: str  # ISO 3166-1 alpha-2
    institution: str  # the institution concerned (e.g. "Financial Intelligence Unit")
    theme: str  # a Theme code
    gap: str  # the finding: the gap or challenge found
    baseline: str  # the situation at the assessment, in words
    priority: Priority
    marking: Marking
    released_to: tuple[str, ...] = ()  # agency names, or EVERY_PARTNER
    region: str = ""  # a region inside the country, if the need is local
    document: int | None = None  # the source document
    targets: tuple[Indicator, ...] = ()  # target parameters to monitor progress
    cost: float | None = None  # estimated cost of meeting it, if known
    currency: str = "USD"
    wanted_by: date | None = None  # when assistance is needed
    status: NeedStatus = NeedStatus.OPEN
    created_by: str = ""
    created_at: datetime | None = None


class StepStatus(StrEnum):
    """Where a roadmap step stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class Step:
    """One ordered step of a roadmap, with its tailored recommendation."""

    id: int | None
    position: int  # 1, 2, ...
    title: str
    recommendation: str
    institution: str  # the responsible institution
    due: date | None
    status: StepStatus
    needs: tuple[int, ...] = ()  # linked needs
    indicators: tuple[int, ...] = ()  # indicators linked explicitly for the roll-up
    themes: tuple[str, ...] = ()  # the specific areas of assistance


@dataclass(frozen=True)
class Roadmap:
    """A national implementation roadmap: the steps for one state to meet one requirement."""

    id: int | None
    agency: str
    country: str
    requirement: str  # a Theme code (a good practice or a state's requirement)
    title: str
    marking: Marking
    released_to: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    created_by: str = ""
    created_at: datetime | None = None


# --- projects ---------------------------------------------------------------------------


class ProjectKind(StrEnum):
    """A running or planned project, or an offer of assistance not yet a project."""

    PROJECT = "project"
    OFFER = "offer"


class ActivityStatus(IntEnum):
    """IATI's ActivityStatus code list."""

    PIPELINE = 1  # planned
    IMPLEMENTATION = 2  # active
    FINALISATION = 3
    CLOSED = 4
    CANCELLED = 5
    SUSPENDED = 6

    @property
    def live(self) -> bool:
        """Planned or running: a project that may still meet a need or duplicate another."""
        return self in (ActivityStatus.PIPELINE, ActivityStatus.IMPLEMENTATION)


class OrgRole(IntEnum):
    """IATI's OrganisationRole code list."""

    FUNDING = 1
    ACCOUNTABLE = 2
    EXTENDING = 3
    IMPLEMENTING = 4


@dataclass(frozen=True)
class Participant:
    """An organisation taking part in a project, in an IATI role."""

    role: OrgRole
    name: str
    ref: str = ""  # IATI organisation identifier
    type: str = ""  # IATI OrganisationType code ("10" government, "40" multilateral ...)


@dataclass(frozen=True)
class Budget:
    """One budget period (IATI ``budget``)."""

    start: date
    end: date
    value: float
    currency: str


class TransactionType(IntEnum):
    """IATI's TransactionType code list."""

    INCOMING_FUNDS = 1
    OUTGOING_COMMITMENT = 2
    DISBURSEMENT = 3
    EXPENDITURE = 4
    INTEREST_PAYMENT = 5
    LOAN_REPAYMENT = 6
    REIMBURSEMENT = 7
    PURCHASE_OF_EQUITY = 8
    SALE_OF_EQUITY = 9
    CREDIT_GUARANTEE = 10
    INCOMING_COMMITMENT = 11
    OUTGOING_PLEDGE = 12
    INCOMING_PLEDGE = 13

    @property
    def spending(self) -> bool:
        """Money spent: a disbursement or an expenditure (what ``Project.spent`` sums)."""
        return self in (TransactionType.DISBURSEMENT, TransactionType.EXPENDITURE)


@dataclass(frozen=True)
class Transaction:
    """One IATI transaction of a project: money committed, pledged, disbursed, spent or
    received, between the organisations named."""

    type: TransactionType
    date: date
    value: float
    currency: str
    provider: str = ""  # the providing organisation's name
    provider_ref: str = ""  # its IATI organisation identifier
    receiver: str = ""
    receiver_ref: str = ""
    description: str = ""


@dataclass(frozen=True)
class Result:
    """One result of a project, with the indicators that measure it."""

    title: str
    indicators: tuple[Indicator, ...] = ()
    type: int = 1  # IATI ResultType: 1 output, 2 outcome, 3 impact, 9 other


@dataclass(frozen=True)
class Project:
    """A donor's project or an offer of assistance."""

    id: int | None
    identifier: str  # the IATI activity identifier, unique
    kind: ProjectKind
    title: str
    description: str
    status: ActivityStatus
    countries: tuple[str, ...]  # ISO 3166-1 alpha-2 recipient countries
    start: date | None
    end: date | None
    currency: str
    budgets: tuple[Budget, ...] = ()
    spent: float = 0.0  # disbursements and expenditure, in the project's currency
    participants: tuple[Participant, ...] = ()
    themes: tuple[str, ...] = ()  # Theme codes (IATI sector vocabulary 99, ours)
    dac: tuple[str, ...] = ()  # OECD DAC CRS purpose codes (IATI sector vocabulary 1)
    beneficiaries: tuple[str, ...] = ()  # beneficiary institutions
    region: str = ""  # a region inside the country, or a regional programme's name
    results: tuple[Result, ...] = ()
    agency: str = ""  # the agency that recorded it
    marking: Marking = Marking.GREEN
    released_to: tuple[str, ...] = (EVERY_PARTNER,)
    source: str = ""  # "iati", "csv" or "form", with the file name when imported
    title_ar: str = ""
    transactions: tuple[Transaction, ...] = ()  # every IATI transaction, in file order

    @property
    def budget(self) -> float:
        """The total of the budget periods."""
        return sum(b.value for b in self.budgets)

    def totals(self, kind: TransactionType | int) -> dict[str, float]:
        """The transactions of one type (or its IATI code) summed by currency, the
        project's own currency first."""
        out: dict[str, float] = {self.currency: 0.0}
        for item in self.transactions:
            if item.type == kind:
                out[item.currency] = out.get(item.currency, 0.0) + item.value
        return out

    @property
    def committed(self) -> float:
        """The outgoing commitments in the project's currency."""
        return self.totals(TransactionType.OUTGOING_COMMITMENT)[self.currency]

    def in_role(self, role: OrgRole) -> tuple[str, ...]:
        """The names of the participants in a role."""
        return tuple(p.name for p in self.participants if p.role is role)

    @property
    def funders(self) -> tuple[str, ...]:
        """The funding organisations."""
        return self.in_role(OrgRole.FUNDING)

    @property
    def implementers(self) -> tuple[str, ...]:
        """The implementing organisations."""
        return self.in_role(OrgRole.IMPLEMENTING)


# --- matching and duplication --------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    """One part of a match's score, shown to the coordinator."""

    name: str  # "theme", "institution", "geography", "timing", "funding"
    score: float  # 0..1
    weight: float  # its share of the total (weights sum to 1)
    reason: Reason


@dataclass(frozen=True)
class Match:
    """A project or offer proposed for a need, with every component of its score."""

    need: int
    project: int
    score: float  # 0..1, the weighted sum of the components
    components: tuple[Component, ...]


class MatchStatus(StrEnum):
    """A coordinator's decision on a proposed match."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Duplicate:
    """Two live projects in the same state whose themes and beneficiary institutions overlap
    for longer than the set period: a flag for a coordination meeting, not a decision."""

    left: int  # project ids, left < right
    right: int
    country: str
    themes: tuple[str, ...]  # shared theme codes
    institutions: tuple[str, ...]  # shared beneficiary institutions (as written on the left)
    start: date  # the overlap of the two periods
    end: date
    days: int
    funders: tuple[tuple[str, ...], tuple[str, ...]]  # left's and right's
    budgets: tuple[tuple[float, str], tuple[float, str]]  # (total, currency) of each


# --- progress ---------------------------------------------------------------------------


class Rating(StrEnum):
    """Red / amber / green against elapsed time; none when it cannot be judged yet."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"  # no actual reported, or the period has not begun


@dataclass(frozen=True)
class Progress:
    """One indicator's progress at a date."""

    indicator: int | None
    title: str
    as_of: date
    actual: float | None  # the latest actual reported on or before as_of
    actual_date: date | None
    achieved: float | None  # (actual - baseline) / (target - baseline); may be < 0 or > 1
    elapsed: float  # share of the baseline-to-target period elapsed at as_of, 0..1
    rating: Rating
    reason: Reason


@dataclass(frozen=True)
class Rollup:
    """Progress of a need or a roadmap step, from the indicators linked to it explicitly."""

    achieved: float | None  # mean of the parts that have one
    elapsed: float | None  # mean of the parts' elapsed time
    rating: Rating
    parts: tuple[Progress, ...]
    reason: Reason


# --- coverage ---------------------------------------------------------------------------


class Coverage(StrEnum):
    """How far the needs of a state in a thematic area are met by live projects."""

    COVERED = "covered"  # every need has an accepted match with a live project
    PARTLY = "partly"  # some have
    UNCOVERED = "uncovered"  # none has
    NONE = "none"  # no need recorded


@dataclass(frozen=True)
class CoverageCell:
    """One cell of the needs-coverage matrix."""

    country: str
    theme: str
    coverage: Coverage
    needs: tuple[int, ...] = ()  # the open needs in the cell
    covered: tuple[int, ...] = ()  # those with an accepted match to a live project


@dataclass(frozen=True)
class CoverageMatrix:
    """Thematic area x state."""

    countries: tuple[str, ...]
    themes: tuple[str, ...]
    cells: dict[tuple[str, str], CoverageCell] = field(default_factory=dict)

    def cell(self, country: str, theme: str) -> CoverageCell:
        """The cell for a state and a theme (an empty one if no need is recorded)."""
        return self.cells.get((country, theme), CoverageCell(country, theme, Coverage.NONE))


# --- imports ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    """A record quarantined (or a value dropped) while importing, with where and why, in
    English and, when the reader words it, in Arabic (the import page shows the page's
    language). Two problems are equal when their English is."""

    where: str  # e.g. "donors.xml line 12, activity XM-DAC-41301-CT-07" or "offers.csv line 4"
    reason: str
    where_ar: str = field(default="", compare=False)
    reason_ar: str = field(default="", compare=False)

    def place(self, lang: str) -> str:
        """Where, in ``lang`` (English when there is no Arabic wording)."""
        return self.where_ar if lang == "ar" and self.where_ar else self.where

    def why(self, lang: str) -> str:
        """Why, in ``lang`` (English when there is no Arabic wording)."""
        return self.reason_ar if lang == "ar" and self.reason_ar else self.reason


@dataclass(frozen=True)
class ProjectImport:
    """What an IATI or CSV file gave: the projects read whole, the records quarantined (not
    imported, with the reason) and the values dropped from imported records."""

    projects: tuple[Project, ...]
    quarantined: tuple[ImportProblem, ...] = ()
    dropped: tuple[ImportProblem, ...] = ()


# --- exchange rates ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """An exchange rate a coordination office uses: one ``base`` is worth ``rate`` of
    ``quote`` from ``on`` (until a later rate of the pair)."""

    id: int | None
    base: str  # ISO 4217
    quote: str
    rate: float  # > 0
    on: date  # the date the rate is as of
    source: str  # where it comes from (a central bank's fixing, a UN operational rate...)
    agency: str = ""
    recorded_by: str = ""
    recorded_at: datetime | None = None


# --- the trace ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TraceLink:
    """A project accepted for a need, with the progress of its indicators linked to the
    need."""

    project: Project
    progress: tuple[Progress, ...] = ()


@dataclass(frozen=True)
class Trace:
    """From good practice to progress: the theme, the finding's source document, the need,
    the roadmap steps it belongs to, the projects accepted for it and the progress of the
    indicators linked to it explicitly (the need's own targets and projects' indicators)."""

    theme: Theme
    document: Document | None  # None when there is none, or the caller may not see it
    need: Need
    steps: tuple[tuple[Roadmap, Step], ...]
    projects: tuple[TraceLink, ...]
    targets: tuple[Progress, ...]  # the need's own target parameters
    rollup: Rollup
