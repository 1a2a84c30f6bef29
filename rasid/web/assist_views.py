"""What the coordination pages show, assembled from ``rasid.assist`` for one caller and one
language, and what their forms send, read into the model's types.

Nothing here decides who may see or do what: every value comes from the functions of
``rasid.assist`` (which ask ``rasid.access.policy``). A form value the page cannot read (a
date that is no date, a number that is none, a need without a target) is a ``FormProblem``
the template words in the reader's language; what the services refuse comes back as their
``AssistError``, shown beside the form with the values the user typed.
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Annotated, Any, TypeVar

from babel import Locale
from fastapi import Form
from markupsafe import Markup
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from rasid.access.policy import Principal, may_coordinate, may_record_project
from rasid.access.registry import list_agencies
from rasid.assist import charts, coordination, progress_charts, records
from rasid.assist import documents as documents_mod
from rasid.assist import needs as needs_mod
from rasid.assist import progress as progress_mod
from rasid.assist import projects as projects_mod
from rasid.assist import roadmaps as roadmaps_mod
from rasid.assist.duplicates import reason as duplicate_reason
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.indicators import linked_indicators
from rasid.assist.matching import figure
from rasid.assist.model import (
    EVERY_PARTNER,
    ActivityStatus,
    Indicator,
    Match,
    Need,
    NeedStatus,
    OrgRole,
    Priority,
    Progress,
    Project,
    Rating,
    Reason,
    Release,
    Roadmap,
    Rollup,
    StepStatus,
    Taxonomy,
    Text,
    Theme,
)
from rasid.assist.wording import explain
from rasid.model.markings import Marking, most_restrictive
from rasid.store.uow import transaction_state
from rasid.web.models import MAX_ID

TEXT_MAX = records.TEXT_MAX
ROWS_MAX = 20  # target rows a need form may send
BLANK_TARGETS = 2  # empty target rows offered below those typed
RECENT = 8  # documents on the dashboard
DEFAULT_MARKING = Marking.AMBER

_E = TypeVar("_E", bound=Enum)


class FormProblem(ValueError):
    """A form value the page cannot read: ``code`` names the problem (the template words
    it), ``field`` the form field, ``value`` what was typed, ``row`` the target row (from
    1) when the field is one of a row's."""

    def __init__(self, code: str, field: str = "", value: str = "", row: int = 0) -> None:
        super().__init__(f"{code}: {field} {value!r} (row {row})")
        self.code = code
        self.field = field
        self.value = value
        self.row = row


# Reading form values


def required(value: str, name: str) -> str:
    """A field that must not be blank."""
    if not value.strip():
        raise FormProblem("required", name)
    return value.strip()


def optional_date(value: str, name: str, row: int = 0) -> date | None:
    """An ISO date typed in a form, or None when blank."""
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise FormProblem("date", name, value, row) from exc


def form_date(value: str, name: str, row: int = 0) -> date:
    """An ISO date that must be given."""
    found = optional_date(value, name, row)
    if found is None:
        raise FormProblem("required", name, row=row)
    return found


def optional_number(value: str, name: str, row: int = 0) -> float | None:
    """A number typed in a form (a comma as the thousands separator is allowed), or None."""
    text = value.strip().replace(",", "").replace("٬", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError as exc:
        raise FormProblem("number", name, value, row) from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise FormProblem("number", name, value, row)
    return number


def form_number(value: str, name: str, row: int = 0) -> float:
    """A number that must be given."""
    found = optional_number(value, name, row)
    if found is None:
        raise FormProblem("required", name, row=row)
    return found


def optional_id(value: str, name: str) -> int | None:
    """A record's number chosen in a form, or None when blank."""
    if not value.strip():
        return None
    try:
        number = int(value.strip())
    except ValueError as exc:
        raise FormProblem("choice", name, value) from exc
    if not 1 <= number <= MAX_ID:
        raise FormProblem("choice", name, value)
    return number


def form_id(value: str, name: str) -> int:
    """A record's number that must be chosen."""
    found = optional_id(value, name)
    if found is None:
        raise FormProblem("required", name)
    return found


def ids(values: Sequence[str], name: str) -> tuple[int, ...]:
    """Record numbers chosen with checkboxes (blanks skipped)."""
    return tuple(i for v in values if (i := optional_id(v, name)) is not None)


def choice(kind: type[_E], value: str, name: str) -> _E:
    """One of an enumeration's values, chosen in a form."""
    try:
        return kind(value)
    except ValueError as exc:
        raise FormProblem("choice", name, value) from exc


def activity_status(value: str) -> ActivityStatus:
    """An IATI activity status chosen by its code."""
    try:
        return ActivityStatus(int(value))
    except ValueError as exc:
        raise FormProblem("choice", "status", value) from exc


@contextmanager
def undone_on_refusal(conn: Connection) -> Iterator[None]:
    """Run a write the services may refuse part-way (a release list refused after the
    record was inserted, a project of a batch refused after others were saved). On a
    refusal (an ``AssistError`` or a ``FormProblem``; an unknown record is left to the
    error pages) what the
    write did is rolled back, the audit records it queued are dropped, and a new
    transaction is begun for the page that shows the form again."""
    state = transaction_state(conn) or {}
    before = len(state.get("audit") or ())
    try:
        yield
    except UnknownRecord:
        raise
    except (AssistError, FormProblem):
        conn.rollback()
        conn.begin()
        pending = state.get("audit")
        if pending:
            del pending[before:]
        raise


# The forms


class NeedForm(BaseModel):
    """What the form of a new need sends: the need's fields, its release list and its
    target parameters as rows (title, direction, baseline and its date, target and its
    date)."""

    csrf_token: str = Field(default="", max_length=64)
    country: str = Field(default="", max_length=8)
    region: str = Field(default="", max_length=200)
    institution: str = Field(default="", max_length=300)
    theme: str = Field(default="", max_length=64)
    gap: str = Field(default="", max_length=TEXT_MAX)
    baseline: str = Field(default="", max_length=TEXT_MAX)
    priority: str = Field(default=Priority.MEDIUM.value, max_length=12)
    document: str = Field(default="", max_length=12)
    cost: str = Field(default="", max_length=40)
    currency: str = Field(default="USD", max_length=8)
    wanted_by: str = Field(default="", max_length=12)
    marking: str = Field(default=DEFAULT_MARKING.value, max_length=24)
    released_to: list[str] = Field(default_factory=list, max_length=200)
    t_title: list[str] = Field(default_factory=list, max_length=ROWS_MAX)
    t_direction: list[str] = Field(default_factory=list, max_length=ROWS_MAX)
    t_baseline: list[str] = Field(default_factory=list, max_length=ROWS_MAX)
    t_baseline_date: list[str] = Field(default_factory=list, max_length=ROWS_MAX)
    t_target: list[str] = Field(default_factory=list, max_length=ROWS_MAX)
    t_target_date: list[str] = Field(default_factory=list, max_length=ROWS_MAX)

    def rows(self) -> list[dict[str, str]]:
        """The target rows as typed (to read them, or show them again)."""
        columns = {
            "title": self.t_title,
            "direction": self.t_direction,
            "baseline": self.t_baseline,
            "baseline_date": self.t_baseline_date,
            "target": self.t_target,
            "target_date": self.t_target_date,
        }
        count = max((len(v) for v in columns.values()), default=0)
        return [
            {k: (v[i].strip() if i < len(v) else "") for k, v in columns.items()}
            for i in range(count)
        ]


def _blank(row: Mapping[str, str]) -> bool:
    return not any(v for k, v in row.items() if k != "direction")


def target(row: Mapping[str, str], number: int) -> Indicator:
    """One target row read into an indicator (checked further by the services)."""
    direction = row.get("direction") or "ascending"
    if direction not in ("ascending", "descending"):
        raise FormProblem("choice", "t_direction", direction, number)
    title = row.get("title", "").strip()
    if not title:
        raise FormProblem("required", "t_title", row=number)
    return Indicator(
        id=None,
        title=title,
        ascending=direction == "ascending",
        baseline=form_number(row.get("baseline", ""), "t_baseline", number),
        baseline_date=form_date(row.get("baseline_date", ""), "t_baseline_date", number),
        target=form_number(row.get("target", ""), "t_target", number),
        target_date=form_date(row.get("target_date", ""), "t_target_date", number),
    )


def need_of(form: NeedForm, agency: str) -> Need:
    """The need a form describes (at least one target row filled in)."""
    targets = tuple(target(r, i + 1) for i, r in enumerate(form.rows()) if not _blank(r))
    if not targets:
        raise FormProblem("no_target")
    return Need(
        id=None,
        agency=agency,
        country=required(form.country, "country"),
        institution=required(form.institution, "institution"),
        theme=required(form.theme, "theme"),
        gap=required(form.gap, "gap"),
        baseline=form.baseline.strip(),
        priority=choice(Priority, form.priority, "priority"),
        marking=choice(Marking, form.marking, "marking"),
        released_to=tuple(r for r in form.released_to if r.strip()),
        region=form.region.strip(),
        document=optional_id(form.document, "document"),
        targets=targets,
        cost=optional_number(form.cost, "cost"),
        currency=form.currency.strip() or "USD",
        wanted_by=optional_date(form.wanted_by, "wanted_by"),
    )


class DocumentForm(BaseModel):
    """What the form of a new source document sends."""

    csrf_token: str = Field(default="", max_length=64)
    country: str = Field(default="", max_length=8)
    kind: str = Field(default="visit", max_length=20)
    title: str = Field(default="", max_length=TEXT_MAX)
    date: str = Field(default="", max_length=12)
    marking: str = Field(default=DEFAULT_MARKING.value, max_length=24)
    release: str = Field(default="none", max_length=12)
    released_to: list[str] = Field(default_factory=list, max_length=200)
    summary: str = Field(default="", max_length=TEXT_MAX)
    body: str = Field(default="", max_length=documents_mod.BODY_MAX)


class RoadmapForm(BaseModel):
    """What the form of a new roadmap sends."""

    csrf_token: str = Field(default="", max_length=64)
    country: str = Field(default="", max_length=8)
    requirement: str = Field(default="", max_length=64)
    title: str = Field(default="", max_length=500)
    marking: str = Field(default=DEFAULT_MARKING.value, max_length=24)
    released_to: list[str] = Field(default_factory=list, max_length=200)


PostedNeed = Annotated[NeedForm, Form()]
PostedDocument = Annotated[DocumentForm, Form()]
PostedRoadmap = Annotated[RoadmapForm, Form()]


class StepForm(BaseModel):
    """What the form of a new roadmap step sends."""

    csrf_token: str = Field(default="", max_length=64)
    title: str = Field(default="", max_length=500)
    recommendation: str = Field(default="", max_length=TEXT_MAX)
    institution: str = Field(default="", max_length=300)
    due: str = Field(default="", max_length=12)
    needs: list[str] = Field(default_factory=list, max_length=200)
    themes: list[str] = Field(default_factory=list, max_length=50)


PostedStep = Annotated[StepForm, Form()]


# Words and numbers


# ISO 3166 leaves these to its users (a fictional state of an exercise may be "ZZ"): they
# are shown as their codes, never as CLDR's "Unknown Region" or "Outlying Oceania".
_USER_ASSIGNED = frozenset(
    {"AA", "ZZ"}
    | {f"Q{c}" for c in "MNOPQRSTUVWXYZ"}
    | {f"X{c}" for c in "ABCDEFGHIJLMNOPQRSTUVWXYZ"}
)


@cache
def _territories(lang: str) -> dict[str, str]:
    names = Locale.parse(lang).territories
    return {
        str(k): str(v)
        for k, v in names.items()
        if len(k) == 2 and k.isalpha() and k not in _USER_ASSIGNED
    }


def country_name(code: str, lang: str) -> str:
    """A country's name in the language (the code itself when unknown, e.g. "ZZ")."""
    return _territories("ar" if lang == "ar" else "en").get(code.upper(), code)


def country_names(codes: Sequence[str]) -> dict[str, Text]:
    """Countries' names in both languages, for the charts and exports."""
    return {c: Text(country_name(c, "ar"), country_name(c, "en")) for c in codes}


def country_options(lang: str) -> list[tuple[str, str]]:
    """Every country as (code, name) in the language, by name."""
    names = _territories("ar" if lang == "ar" else "en")
    return sorted(names.items(), key=lambda p: p[1])


def theme_label(theme: Theme, lang: str) -> str:
    """A theme as a select shows it: "21 — Increase financial-investigation capacity", or
    a requirement's code and wording."""
    head = str(theme.number) if theme.number is not None else theme.code
    return f"{head} — {theme.label.get(lang)}"


def theme_text(taxonomy: Taxonomy, code: str, lang: str) -> str:
    """The label of a theme code (the code itself when the taxonomy has no such theme)."""
    theme = taxonomy.get(code)
    return theme_label(theme, lang) if theme is not None else code


def theme_groups(taxonomy: Taxonomy, lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The themes by area, for a select with option groups: (area label, [(code, label)])."""
    return [
        (
            f"{area.code} — {area.label.get(lang)}",
            [(t.code, theme_label(t, lang)) for t in taxonomy.in_area(area.code)],
        )
        for area in taxonomy.areas
    ]


def amount(value: float | None) -> str:
    """An amount with thousands separated ("" when unknown)."""
    return "" if value is None else figure(value)


def percent(share: float | None) -> str:
    """A share as a whole percentage ("—" when unknown)."""
    return "—" if share is None else f"{round(share * 100)}%"


def when(moment: datetime | None) -> str:
    """A moment to the minute ("" when unknown)."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def worded(reason: Reason, lang: str) -> str:
    """A reason in the reader's language."""
    return explain(reason, lang)


def partners(conn: Connection, principal: Principal, lang: str) -> list[tuple[str, str]]:
    """The agencies a record may be released to, as (value, label): every partner first,
    then the agencies by name (not the caller's own)."""
    found = [
        (a.name, (a.label_ar if lang == "ar" and a.label_ar else a.label) or a.name)
        for a in list_agencies(conn)
        if a.name != principal.agency
    ]
    return [(EVERY_PARTNER, ""), *sorted(found)]


def release_choices(
    conn: Connection, principal: Principal, agency: str, lang: str
) -> dict[str, Any]:
    """What the form "what partners may see" offers on a record of ``agency``: the release
    levels, the partner agencies, and whether the caller may use it (a coordinator of the
    owning agency, as the service checks)."""
    allowed = may_coordinate(principal, agency)
    return {
        "may_release": allowed,
        "releases": list(Release),
        "partners": partners(conn, principal, lang) if allowed else [],
    }


# What the need page shows


@dataclass(frozen=True)
class ShownProgress:
    """An indicator's progress as a row shows it."""

    progress: Progress
    text: str
    indicator: Indicator | None = None


@dataclass(frozen=True)
class ShownComponent:
    """One part of a match's score, worded."""

    name: str
    score: float
    weight: float
    text: str


@dataclass(frozen=True)
class ShownMatch:
    """A suggested match as the table shows it."""

    match: Match
    project: Project | None
    components: tuple[ShownComponent, ...]


@dataclass(frozen=True)
class ShownDecision:
    """A decision taken on a match, with the project when the caller may see it."""

    decision: coordination.Decision
    project: Project | None
    components: tuple[ShownComponent, ...]


@dataclass(frozen=True)
class Linkable:
    """An accepted project with its indicators, each linked to the need or not yet."""

    project: Project
    indicators: tuple[tuple[Indicator, bool], ...] = field(default_factory=tuple)


def components(parts: Sequence[Any], lang: str) -> tuple[ShownComponent, ...]:
    """Match components with their explanations in the language."""
    return tuple(ShownComponent(c.name, c.score, c.weight, worded(c.reason, lang)) for c in parts)


def shown_progress(
    parts: Sequence[Progress], lang: str, indicators: Mapping[int, Indicator] | None = None
) -> list[ShownProgress]:
    """Progress rows with their explanations."""
    known = indicators or {}
    return [ShownProgress(p, worded(p.reason, lang), known.get(p.indicator or 0)) for p in parts]


def match_rows(
    matches: Sequence[Match], projects: Mapping[int, Project], lang: str
) -> list[ShownMatch]:
    """The suggested matches, best first, each with its components worded."""
    return [ShownMatch(m, projects.get(m.project), components(m.components, lang)) for m in matches]


def decision_rows(
    found: Sequence[coordination.Decision], projects: Mapping[int, Project], lang: str
) -> list[ShownDecision]:
    """The decisions on a need's matches with the projects the caller may see."""
    return [
        ShownDecision(d, projects.get(d.project), components(d.components, lang)) for d in found
    ]


def linkable(accepted: Sequence[Project], linked: set[int]) -> list[Linkable]:
    """The accepted projects' indicators, each marked linked to the need or not."""
    return [
        Linkable(
            p,
            tuple((i, i.id in linked) for r in p.results for i in r.indicators if i.id is not None),
        )
        for p in accepted
    ]


def progress_of(indicator: Indicator, as_of: date) -> Progress:
    """An indicator's progress at a date."""
    return progress_mod.progress(indicator, as_of)


# What the roadmap page shows


@dataclass(frozen=True)
class ShownStep:
    """A roadmap step with its roll-up worded, the needs it links, the indicators linked to
    it and those that could be."""

    position: int
    step: Any
    rollup: Rollup | None
    text: str
    needs: tuple[Need, ...]
    linked: tuple[Indicator, ...]
    candidates: tuple[Indicator, ...]


def step_rows(
    conn: Connection,
    principal: Principal,
    roadmap: Roadmap,
    rollups: Mapping[int, Rollup],
    needs: Mapping[int, Need],
    lang: str,
) -> list[ShownStep]:
    """The steps in order, each with the indicators that could be linked to it: the targets
    of its needs and the indicators of the projects accepted for them."""
    rows = []
    answered = {n: needs[n] for s in roadmap.steps for n in s.needs if n in needs}
    accepted = coordination.accepted_projects(conn, principal, list(answered.values()))
    for step in roadmap.steps:
        rollup = rollups.get(step.id or 0)
        mine = tuple(needs[n] for n in step.needs if n in needs)
        linked = linked_indicators(conn, step=step.id) if step.id is not None else []
        taken = {i.id for i in linked}
        offered: dict[int, Indicator] = {}
        for need in mine:
            for ind in need.targets:
                offered[ind.id or 0] = ind
        for need in mine:
            for project in accepted[need.id or 0]:
                for result in project.results:
                    for ind in result.indicators:
                        offered[ind.id or 0] = ind
        candidates = tuple(i for k, i in sorted(offered.items()) if k and k not in taken)
        text = worded(rollup.reason, lang) if rollup is not None else ""
        rows.append(ShownStep(step.position, step, rollup, text, mine, tuple(linked), candidates))
    return rows


def roadmap_summary(roadmap: Roadmap, rollups: Mapping[int, Rollup]) -> dict[str, int]:
    """Counts for the dashboard: steps, steps done, and steps by rating."""
    counts = {"steps": len(roadmap.steps), "done": 0, **{r.value: 0 for r in Rating}}
    for step in roadmap.steps:
        if step.status.value == "done":
            counts["done"] += 1
        rollup = rollups.get(step.id or 0)
        counts[(rollup.rating if rollup is not None else Rating.NONE).value] += 1
    return counts


def indicator_title(indicator: Indicator) -> str:
    """An indicator as a select shows it: its result (for a project's) and its title."""
    return f"{indicator.result} · {indicator.title}" if indicator.result else indicator.title


def need_title(need: Need, taxonomy: Taxonomy, lang: str) -> str:
    """A need as a list shows it: the institution and the theme's number."""
    theme = taxonomy.get(need.theme)
    head = str(theme.number) if theme is not None and theme.number is not None else need.theme
    return f"{need.institution} ({head})"


def country_filter(value: str) -> str:
    """A country typed in a filter: its code when it looks like one, else "" (no filter)."""
    code = value.strip().upper()
    return code if len(code) == 2 and code.isascii() and code.isalpha() else ""


# What each page shows, for one caller in one language


def form_choices(conn: Connection, principal: Principal, lang: str) -> dict[str, Any]:
    """The choices the record forms offer: themes by area, agencies to release to,
    countries, markings and priorities."""
    return {
        "themes": theme_groups(records.taxonomy(conn), lang),
        "partners": partners(conn, principal, lang),
        "countries": country_options(lang),
        "markings": list(Marking),
        "priorities": list(Priority),
    }


def _summary(
    conn: Connection, principal: Principal, roadmap: Roadmap, today: date
) -> dict[str, int]:
    rollups = coordination.roadmap_progress(conn, principal, roadmap.id or 0, today)
    return roadmap_summary(roadmap, rollups)


def dashboard_context(
    conn: Connection, principal: Principal, lang: str, today: date, filters: Mapping[str, str]
) -> dict[str, Any]:
    """The dashboard: the needs (filtered by country, theme and status), the coverage
    matrix and its picture, the roadmaps with their progress, the flags, recent
    documents."""
    known = records.taxonomy(conn)
    status = filters["status"]
    needs = needs_mod.list_needs(
        conn,
        principal,
        country_code=filters["country"] or None,
        theme=filters["theme"] or None,
        status=NeedStatus(status) if status in {s.value for s in NeedStatus} else None,
    )
    seen = projects_mod.list_projects(conn, principal)
    matrix = coordination.coverage(conn, principal, visible=coordination.projects_by_id(seen))
    roadmaps = roadmaps_mod.list_roadmaps(conn, principal)
    names = country_names(matrix.countries)
    picture = charts.coverage_svg(matrix, known, lang, country_names=names)
    return {
        "needs": needs,
        "matrix": matrix,
        "picture": Markup(picture) if matrix.countries else "",  # escaped by charts
        "roadmaps": [(r, _summary(conn, principal, r, today)) for r in roadmaps],
        "flags": len(coordination.duplicates(conn, principal, projects=seen)),
        "documents": documents_mod.list_documents(conn, principal)[:RECENT],
        "filters": filters,
        "statuses": list(NeedStatus),
        "themes": theme_groups(known, lang),
    }


def report_arguments(conn: Connection, principal: Principal, today: date) -> dict[str, Any]:
    """What the PDF report holds of what the caller sees (all but its title and language):
    coverage, roadmaps, flags and the traces of the needs, marked with the most
    restrictive of their markings."""
    needs = needs_mod.list_needs(conn, principal)
    roadmaps = roadmaps_mod.list_roadmaps(conn, principal)
    projects = projects_mod.list_projects(conn, principal)
    markings = [n.marking for n in needs] + [r.marking for r in roadmaps]
    markings += [p.marking for p in projects]
    by_id = coordination.projects_by_id(projects)
    return {
        "marking": most_restrictive(markings) if markings else Marking.GREEN,
        "generated_by": principal.name,
        "as_of": today,
        "taxonomy": records.taxonomy(conn),
        "coverage": coordination.coverage(conn, principal, visible=by_id),
        "roadmaps": [
            (r, coordination.roadmap_progress(conn, principal, r.id or 0, today)) for r in roadmaps
        ],
        "duplicates": coordination.duplicates(conn, principal, projects=projects),
        "projects": by_id,
        "traces": [
            coordination.trace(conn, principal, n.id or 0, today, visible=by_id) for n in needs
        ],
        "country_names": country_names(sorted({n.country for n in needs})),
    }


def need_context(
    conn: Connection, principal: Principal, need_id: int, lang: str, today: date
) -> dict[str, Any]:
    """A need's page: its targets with their progress and charts, the indicators linked to
    it, the trace, the decisions, the suggested matches and the accepted projects'
    indicators to link."""
    need = needs_mod.get_need(conn, principal, need_id)
    own, linked, rollup = coordination.need_progress(conn, principal, need_id, today)
    seen = projects_mod.list_projects(conn, principal)
    visible = coordination.projects_by_id(seen)
    trace = coordination.trace(conn, principal, need_id, today, visible=visible)
    matches = coordination.suggest(conn, principal, need_id, today=today, projects=seen)
    return {
        "need": need,
        "document": trace.document,
        "targets": shown_progress(own, lang, {i.id or 0: i for i in need.targets}),
        "target_charts": {
            i.id: Markup(
                progress_charts.indicator_svg(i, lang, as_of=today, ident=f"target-{i.id}")
            )
            for i in need.targets
        },
        "linked": shown_progress(linked, lang),
        "rollup": rollup,
        "rollup_text": worded(rollup.reason, lang),
        "trace": trace,
        "trace_texts": {p.project.id: shown_progress(p.progress, lang) for p in trace.projects},
        "decisions": decision_rows(coordination.decisions(conn, principal, need_id), visible, lang),
        "matches": match_rows(matches, visible, lang),
        "linkable": linkable(
            [p.project for p in trace.projects], {p.indicator or 0 for p in linked}
        ),
        "may_decide": may_coordinate(principal, need.agency),
        "statuses": list(NeedStatus),
        "priorities": list(Priority),
        "today": today,
    }


def roadmap_context(
    conn: Connection, principal: Principal, roadmap_id: int, lang: str, today: date
) -> dict[str, Any]:
    """A roadmap's page: the steps with their progress, the chart, the needs a new step may
    link."""
    found = roadmaps_mod.get_roadmap(conn, principal, roadmap_id)
    rollups = coordination.roadmap_progress(conn, principal, roadmap_id, today)
    needs = {
        n.id or 0: n for n in needs_mod.list_needs(conn, principal, country_code=found.country)
    }
    return {
        "roadmap": found,
        "picture": Markup(progress_charts.roadmap_svg(found, rollups, lang, as_of=today)),
        "steps": step_rows(conn, principal, found, rollups, needs, lang),
        "needs": [n for n in needs.values() if n.agency == found.agency],
        "may_change": may_coordinate(principal, found.agency),
        "step_statuses": list(StepStatus),
        "themes": theme_groups(records.taxonomy(conn), lang),
        "indicator_title": indicator_title,
    }


def project_context(
    conn: Connection, principal: Principal, project_id: int, lang: str, today: date
) -> dict[str, Any]:
    """A project's page: participants by role, its indicators' progress and charts."""
    found = projects_mod.get_project(conn, principal, project_id)
    indicators = [i for r in found.results for i in r.indicators]
    return {
        "project": found,
        "roles": [(role, found.in_role(role)) for role in OrgRole if found.in_role(role)],
        "progress": {i.id: shown_progress([progress_of(i, today)], lang)[0] for i in indicators},
        "indicator_charts": {
            i.id: Markup(
                progress_charts.indicator_svg(i, lang, as_of=today, ident=f"indicator-{i.id}")
            )
            for i in indicators
        },
        "may_report": may_record_project(principal, found.agency),
        "statuses": list(ActivityStatus),
        "today": today,
    }


def duplicates_context(conn: Connection, principal: Principal, lang: str) -> dict[str, Any]:
    """The flags with their explanations, the projects they name, the picture, the notes."""
    flags = coordination.duplicates(conn, principal)
    by_id = coordination.projects_by_id(projects_mod.list_projects(conn, principal))
    return {
        "flags": [(d, worded(duplicate_reason(d), lang)) for d in flags],
        "projects": by_id,
        "picture": Markup(charts.duplicates_svg(flags, by_id, lang)) if flags else "",
        "notes": coordination.notes(conn, principal),
    }
