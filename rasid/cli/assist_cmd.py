"""`rasid assist`: technical-assistance coordination. The thematic taxonomy (the toolkit's 25
good practices and a state's own requirements), a visit's needs and roadmap loaded from
YAML, donors' projects imported from IATI 2.03 XML or CSV and exported as IATI, suggested
matches for a need with every component of the score, the coordinator's decisions, the
duplication check, progress on roadmaps and the coordination report (PDF or CSV). Every
command acts as a Rasid user (`--as`), whose agency owns what they record and whose access
the policy decides."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Connection

from rasid.access.accounts import get_user
from rasid.access.policy import Principal
from rasid.assist import coordination, csvimport, iati, needs, projects, records, roadmaps, visit
from rasid.assist import rates as exchange
from rasid.assist import report as reports
from rasid.assist.errors import AssistError, UnknownRecord
from rasid.assist.model import (
    Component,
    CoverageMatrix,
    Duplicate,
    Match,
    MatchStatus,
    Need,
    Project,
    Rollup,
    Taxonomy,
)
from rasid.assist.wording import explain
from rasid.cli.common import console, fail, opened_store, print_json
from rasid.cli.progress import count_progress
from rasid.model.markings import Marking

assist = typer.Typer(
    help="Technical-assistance coordination: the taxonomy, needs from visits, roadmaps, "
    "donors' projects (IATI 2.03 XML or CSV), suggested matches and decisions, the "
    "duplication check, progress and reports.",
    no_args_is_help=True,
)
requirement_group = typer.Typer(
    help="A state's own requirements added to the taxonomy (e.g. resolution paragraphs).",
    no_args_is_help=True,
)
assist.add_typer(requirement_group, name="requirement")

AsOpt = Annotated[str, typer.Option("--as", help="The Rasid user acting (recorded).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of labels: ar or en.")]
TodayOpt = Annotated[
    str | None,
    typer.Option("--today", help="The date to compute for (YYYY-MM-DD; default: today)."),
]
CountryOpt = Annotated[str | None, typer.Option("--country", help="An ISO 3166-1 alpha-2 code.")]
REPORT_TITLE = {
    "ar": "تقرير تنسيق المساعدة التقنية",
    "en": "Technical-assistance coordination report",
}
NeedArg = Annotated[int, typer.Argument(metavar="NEED", help="The need's number.")]


class Format(StrEnum):
    """What a project file is."""

    IATI = "iati"
    CSV = "csv"


class ReportFormat(StrEnum):
    """What `report` writes."""

    PDF = "pdf"
    CSV = "csv"


class ReportPart(StrEnum):
    """Which table a CSV report holds."""

    COVERAGE = "coverage"
    DUPLICATES = "duplicates"
    ROADMAP = "roadmap"


@contextmanager
def _acting(ctx: typer.Context, user: str) -> Iterator[tuple[Connection, Principal]]:
    """A transaction on the store and the user ``user`` as the caller; coordination errors
    as one-line exits (1 for an unknown record, 2 for a refusal or bad input)."""
    with opened_store(ctx) as opened:
        try:
            with opened.uow() as uow:
                found = get_user(uow.conn, user)
                if found is None or not found.active:
                    fail(f"no active user {user!r} (see rasid users)")
                yield uow.conn, Principal(found)
        except UnknownRecord as exc:
            fail(str(exc), 1)
        except AssistError as exc:
            fail(str(exc))


def _today(value: str | None) -> date:
    if not value:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--today: {value!r} is not a date (YYYY-MM-DD)")


def _lang(value: str) -> str:
    if value not in ("ar", "en"):
        fail("--lang is ar or en")
    return value


def _component(c: Component, lang: str) -> dict[str, Any]:
    return {
        "name": c.name,
        "score": c.score,
        "weight": c.weight,
        "reason": c.reason.code,
        "explanation": explain(c.reason, lang),
    }


def _match(m: Match, lang: str) -> dict[str, Any]:
    return {
        "need": m.need,
        "project": m.project,
        "score": m.score,
        "components": [_component(c, lang) for c in m.components],
    }


def _need(n: Need) -> dict[str, Any]:
    return {
        "id": n.id,
        "country": n.country,
        "institution": n.institution,
        "theme": n.theme,
        "priority": n.priority.value,
        "status": n.status.value,
        "gap": n.gap,
        "marking": n.marking.value,
        "released_to": list(n.released_to),
    }


@assist.command("themes")
def themes_cmd(
    ctx: typer.Context, user: AsOpt, lang: LangOpt = "en", as_json: JsonOpt = False
) -> None:
    """List the thematic taxonomy: the 25 good practices by area, then the requirements
    added in this store, each with its nearest OECD DAC purpose codes."""
    lang = _lang(lang)
    with _acting(ctx, user) as (conn, _):
        known = records.taxonomy(conn)
    if as_json:
        print_json(
            [
                {
                    "code": t.code,
                    "area": t.area,
                    "kind": t.kind.value,
                    "label": t.label.get(lang),
                    "dac": list(t.dac),
                }
                for t in known.themes
            ]
        )
        return
    table = Table("code", "area", "theme", "DAC")
    for t in known.themes:
        table.add_row(t.code, t.area, escape(t.label.get(lang)), ", ".join(t.dac))
    console.print(table)


@requirement_group.command("add")
def requirement_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Its code, e.g. res-2396-op12.")],
    user: AsOpt,
    area: Annotated[str, typer.Option("--area", help="The toolkit area: A, B, C or D.")],
    label: Annotated[str, typer.Option("--label", help="The wording in English.")],
    label_ar: Annotated[str, typer.Option("--label-ar", help="The wording in Arabic.")],
    dac: Annotated[
        list[str] | None, typer.Option("--dac", help="A nearest DAC purpose code (repeat).")
    ] = None,
) -> None:
    """Add a state's own requirement to the taxonomy (as a coordination officer)."""
    with _acting(ctx, user) as (conn, principal):
        theme = records.add_requirement(conn, principal, code, area, label, label_ar, dac or [])
    console.print(f"added {theme.code} to area {theme.area}")


@assist.command("visit")
def visit_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A visit's YAML file: document, needs, roadmap.")],
    user: AsOpt,
    as_json: JsonOpt = False,
) -> None:
    """Record a visit's findings from YAML: the source document and its release, the needs
    with their target parameters, and the roadmap with steps linked to the needs. The file
    is written whole or not at all; an error names the entry."""
    with _acting(ctx, user) as (conn, principal):
        loaded = visit.load_file(conn, principal, file)
    out = {
        "document": loaded.document.id if loaded.document else None,
        "needs": {key: n.id for key, n in loaded.needs.items()},
        "roadmap": loaded.roadmap.id if loaded.roadmap else None,
    }
    if as_json:
        print_json(out)
        return
    console.print(
        f"recorded {len(loaded.needs)} needs"
        + (f", document {out['document']}" if out["document"] else "")
        + (f", roadmap {out['roadmap']}" if out["roadmap"] else "")
    )


@assist.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An IATI 2.03 activity XML file or a CSV file.")],
    user: AsOpt,
    fmt: Annotated[Format, typer.Option("--format", help="iati or csv.")] = Format.IATI,
    as_json: JsonOpt = False,
) -> None:
    """Import donors' projects and offers. The file is saved whole or not at all; an
    activity or row that cannot be read is quarantined with where and why, and the rest is
    saved. Importing the same file again changes nothing."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"{file}: {exc.strerror or exc}")
    with _acting(ctx, user) as (conn, principal):
        known = records.taxonomy(conn)
        if fmt is Format.IATI:
            book = exchange.book(conn, principal.agency)
            batch = iati.read_iati(data, file.name, known, agency=principal.agency, rates=book)
        else:
            batch = csvimport.read_csv(data, file.name, known, agency=principal.agency)
        with count_progress("saving projects", "projects", enabled=not as_json) as progress:
            saved = projects.save_projects(conn, principal, batch, origin=file.name)
            progress(len(batch.projects), len(batch.projects))
    if as_json:
        print_json(saved.as_dict())
        return
    console.print(
        f"{len(saved.created)} created, {len(saved.updated)} updated, "
        f"{len(saved.unchanged)} unchanged, {len(saved.quarantined)} quarantined"
    )
    for problem in saved.quarantined:
        console.print(f"  quarantined: {escape(problem.where)}: {escape(problem.reason)}")
    for problem in saved.dropped:
        console.print(f"  dropped: {escape(problem.where)}: {escape(problem.reason)}")


@assist.command("export")
def export_cmd(
    ctx: typer.Context,
    user: AsOpt,
    output: Annotated[Path, typer.Option("--output", "-o", help="The IATI XML file to write.")],
    country: CountryOpt = None,
) -> None:
    """Export the projects the caller may see as IATI 2.03 activity XML."""
    with _acting(ctx, user) as (conn, principal):
        found = projects.list_projects(conn, principal, country_code=country)
        data = iati.write_iati(found, records.taxonomy(conn), generated=datetime.now(UTC))
    output.write_bytes(data)
    console.print(f"wrote {len(found)} activities to {output}")


@assist.command("needs")
def needs_cmd(
    ctx: typer.Context, user: AsOpt, country: CountryOpt = None, as_json: JsonOpt = False
) -> None:
    """List the needs the caller may see, by priority."""
    with _acting(ctx, user) as (conn, principal):
        found = needs.list_needs(conn, principal, country_code=country)
    if as_json:
        print_json([_need(n) for n in found])
        return
    table = Table("need", "country", "theme", "institution", "priority", "status")
    for n in found:
        table.add_row(
            str(n.id), n.country, n.theme, escape(n.institution), n.priority.value, n.status.value
        )
    console.print(table)


@assist.command("match")
def match_cmd(
    ctx: typer.Context,
    need: NeedArg,
    user: AsOpt,
    today: TodayOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=200, help="How many.")] = 10,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Rank the projects and offers for a need, showing every component of each score
    (theme, institution, geography, timing, remaining funding) and why. A proposal only:
    `accept` or `reject` decides."""
    lang = _lang(lang)
    with _acting(ctx, user) as (conn, principal):
        found = coordination.suggest(conn, principal, need, today=_today(today), limit=limit)
        names = {
            p.id: p.title
            for p in projects.list_projects(conn, principal)
            if p.id in {m.project for m in found}
        }
    if as_json:
        print_json([_match(m, lang) | {"title": names.get(m.project, "")} for m in found])
        return
    for m in found:
        console.print(
            f"[bold]{m.score:.2f}[/bold] project {m.project}: {escape(names.get(m.project, ''))}"
        )
        for c in m.components:
            console.print(
                f"    {c.name:<12} {c.score:.2f} × {c.weight:.2f}  "
                + escape(explain(c.reason, lang))
            )


def _decide(
    ctx: typer.Context,
    need: int,
    project: int,
    user: str,
    status: MatchStatus,
    note: str,
    today: str | None,
) -> None:
    with _acting(ctx, user) as (conn, principal):
        done = coordination.decide(
            conn, principal, need, project, status, today=_today(today), note=note
        )
    console.print(f"{done.status.value}: need {need}, project {project} (score {done.score:.2f})")


ProjectArg = Annotated[int, typer.Argument(metavar="PROJECT", help="The project's number.")]
NoteOpt = Annotated[str, typer.Option("--note", help="Why (recorded with the decision).")]


@assist.command("accept")
def accept_cmd(
    ctx: typer.Context,
    need: NeedArg,
    project: ProjectArg,
    user: AsOpt,
    note: NoteOpt = "",
    today: TodayOpt = None,
) -> None:
    """Accept a match: link the need and the project (recorded with the score now)."""
    _decide(ctx, need, project, user, MatchStatus.ACCEPTED, note, today)


@assist.command("reject")
def reject_cmd(
    ctx: typer.Context,
    need: NeedArg,
    project: ProjectArg,
    user: AsOpt,
    note: NoteOpt = "",
    today: TodayOpt = None,
) -> None:
    """Reject a match: it is no longer suggested for the need."""
    _decide(ctx, need, project, user, MatchStatus.REJECTED, note, today)


def _duplicate(d: Duplicate) -> dict[str, Any]:
    return {
        "left": d.left,
        "right": d.right,
        "country": d.country,
        "themes": list(d.themes),
        "institutions": list(d.institutions),
        "start": d.start.isoformat(),
        "end": d.end.isoformat(),
        "days": d.days,
        "funders": [list(d.funders[0]), list(d.funders[1])],
        "budgets": [list(d.budgets[0]), list(d.budgets[1])],
    }


@assist.command("duplicates")
def duplicates_cmd(
    ctx: typer.Context,
    user: AsOpt,
    country: CountryOpt = None,
    min_days: Annotated[
        int, typer.Option("--min-days", min=0, help="Flag overlaps longer than this.")
    ] = 90,
    as_json: JsonOpt = False,
) -> None:
    """Flag live projects in the same state whose thematic areas and beneficiary
    institutions overlap for longer than --min-days: for a coordination meeting, not a
    decision."""
    with _acting(ctx, user) as (conn, principal):
        found = coordination.duplicates(conn, principal, country_code=country, min_days=min_days)
    if as_json:
        print_json([_duplicate(d) for d in found])
        return
    for d in found:
        console.print(
            f"projects {d.left} and {d.right} in {d.country}: {d.days} days "
            f"({d.start} to {d.end}); themes {', '.join(d.themes)}; "
            f"institutions {escape(', '.join(d.institutions))}; funders "
            f"{escape(', '.join(d.funders[0]))} / {escape(', '.join(d.funders[1]))}"
        )
    if not found:
        console.print("no overlap flagged")


def _rollup(r: Rollup, lang: str) -> dict[str, Any]:
    return {
        "achieved": r.achieved,
        "elapsed": r.elapsed,
        "rating": r.rating.value,
        "reason": explain(r.reason, lang),
    }


@assist.command("progress")
def progress_cmd(
    ctx: typer.Context,
    roadmap: Annotated[int, typer.Argument(metavar="ROADMAP", help="The roadmap's number.")],
    user: AsOpt,
    today: TodayOpt = None,
    lang: LangOpt = "en",
    as_json: JsonOpt = False,
) -> None:
    """Progress of a roadmap's steps, each from the indicators linked to it explicitly:
    achieved against elapsed time, rated red, amber or green."""
    lang = _lang(lang)
    with _acting(ctx, user) as (conn, principal):
        found = roadmaps.get_roadmap(conn, principal, roadmap)
        rollups = coordination.roadmap_progress(conn, principal, roadmap, _today(today))
    rows = [
        {"step": s.id, "position": s.position, "title": s.title, "status": s.status.value}
        | _rollup(rollups[s.id or 0], lang)
        for s in found.steps
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("#", "step", "status", "achieved", "expected", "rating")
    for row in rows:
        table.add_row(
            str(row["position"]),
            escape(str(row["title"])),
            str(row["status"]),
            "—" if row["achieved"] is None else f"{row['achieved']:.0%}",
            "—" if row["elapsed"] is None else f"{row['elapsed']:.0%}",
            str(row["rating"]),
        )
    console.print(table)


def _report_parts(
    conn: Connection, principal: Principal, seen: Sequence[Project]
) -> tuple[Taxonomy, CoverageMatrix, list[Duplicate]]:
    """The taxonomy, the coverage matrix and the flags, from the caller's projects ``seen``."""
    return (
        records.taxonomy(conn),
        coordination.coverage(conn, principal, visible=coordination.projects_by_id(seen)),
        coordination.duplicates(conn, principal, projects=seen),
    )


@assist.command("report")
def report_cmd(
    ctx: typer.Context,
    user: AsOpt,
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    fmt: Annotated[ReportFormat, typer.Option("--format", help="pdf or csv.")] = ReportFormat.PDF,
    part: Annotated[
        ReportPart, typer.Option("--part", help="For CSV: coverage, duplicates or roadmap.")
    ] = ReportPart.COVERAGE,
    roadmap: Annotated[
        int | None, typer.Option("--roadmap", help="For --part roadmap: its number.")
    ] = None,
    lang: LangOpt = "ar",
    marking: Annotated[str, typer.Option("--marking", help="The report's marking.")] = "TLP:GREEN",
    today: TodayOpt = None,
) -> None:
    """Write the coordination report: a PDF (the needs-coverage matrix, every roadmap's
    progress, the duplication flags and the trace of each need), or one of its tables as
    CSV; in Arabic (default) or English."""
    lang = _lang(lang)
    as_of = _today(today)
    try:
        mark = Marking.parse(marking)
    except Exception as exc:
        fail(str(exc))
    with _acting(ctx, user) as (conn, principal):
        visible = projects.list_projects(conn, principal)
        known, matrix, flags = _report_parts(conn, principal, visible)
        seen = coordination.projects_by_id(visible)
        if fmt is ReportFormat.CSV:
            if part is ReportPart.COVERAGE:
                text = reports.coverage_csv(matrix, known, lang)
            elif part is ReportPart.DUPLICATES:
                text = reports.duplicates_csv(flags, seen, lang)
            else:
                if roadmap is None:
                    fail("--part roadmap needs --roadmap")
                found = roadmaps.get_roadmap(conn, principal, roadmap)
                rollups = coordination.roadmap_progress(conn, principal, roadmap, as_of)
                text = reports.roadmap_csv(found, rollups, lang)
            output.write_text(text, encoding="utf-8")
            console.print(f"wrote {output}")
            return
        maps = [
            (r, coordination.roadmap_progress(conn, principal, r.id or 0, as_of))
            for r in roadmaps.list_roadmaps(conn, principal)
        ]
        traces = [
            coordination.trace(conn, principal, n.id or 0, as_of, visible=seen)
            for n in needs.list_needs(conn, principal)
        ]
        data = reports.pdf(
            lang=lang,
            marking=mark,
            title="تقرير تنسيق المساعدة التقنية"
            if lang == "ar"
            else "Technical-assistance coordination report",
            generated_by=principal.name,
            as_of=as_of,
            taxonomy=known,
            coverage=matrix,
            roadmaps=maps,
            duplicates=flags,
            projects=seen,
            traces=traces,
        )
    output.write_bytes(data)
    console.print(f"wrote {output}")


def register(app: typer.Typer) -> None:
    """Add the `assist` command group to the app."""
    from rasid.cli import assist_rates  # noqa: F401  (adds `rate add` and `rates` to the group)

    app.add_typer(assist, name="assist")
