"""`rasid monitor`: continuous nexus monitoring. The instrument (the toolkit's watch points,
scored 1..5), subjects (countries, regions, groups), assessments rated from a file and
reviewed by a second person, the changes between approved assessments, manifestation
suggestions and judgements, and external series as advice. Every command acts as a Rasid
user (`--as`), whose agency owns what they create and whose access the policy decides."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Connection

from rasid.access.accounts import get_user
from rasid.access.policy import Principal
from rasid.cli.common import console, fail, opened_store, print_json
from rasid.cli.progress import count_progress
from rasid.model.markings import Marking
from rasid.monitor import assessments as assessment_store
from rasid.monitor import history, instrument, scoring, seriesdb, workflow
from rasid.monitor import judgements as judgement_store
from rasid.monitor import subjects as subject_store
from rasid.monitor.errors import MonitorError, UnknownAssessment
from rasid.monitor.model import (
    Assessment,
    Confidence,
    Evidence,
    EvidenceKind,
    Likelihood,
    Manifestation,
    Rating,
    Subject,
    SubjectKind,
    Trend,
)

monitor = typer.Typer(
    help="Nexus monitoring: the instrument, subjects, assessments (draft, review, approval, "
    "revision), the changes between approved assessments, manifestation suggestions and "
    "external series (advice only).",
    no_args_is_help=True,
)
subject_group = typer.Typer(help="Add subjects (countries, regions, groups).", no_args_is_help=True)
series_group = typer.Typer(help="External series: import, and advice.", no_args_is_help=True)
monitor.add_typer(subject_group, name="subject")
monitor.add_typer(series_group, name="series")

AsOpt = Annotated[str, typer.Option("--as", help="The Rasid user acting (recorded).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of labels: ar or en.")]
IdArg = Annotated[int, typer.Argument(metavar="ID", help="The assessment's number.")]
SubjectArg = Annotated[str, typer.Argument(help="A subject's number or its name.")]


@contextmanager
def _reported() -> Iterator[None]:
    """Monitoring's errors as one-line exits: 1 for an unknown thing, 2 for a refusal."""
    try:
        yield
    except UnknownAssessment as exc:
        fail(str(exc), 1)
    except MonitorError as exc:
        fail(str(exc))


@contextmanager
def _acting(ctx: typer.Context, user: str) -> Iterator[tuple[Connection, Principal]]:
    """A transaction on the store and the user ``user`` as the caller."""
    with opened_store(ctx) as opened, _reported(), opened.uow() as uow:
        found = get_user(uow.conn, user)
        if found is None or not found.active:
            fail(f"no active user {user!r} (see rasid users)")
        yield uow.conn, Principal(found)


def _jsonable(value: Any) -> Any:
    """A dataclass (or list of them) as plain JSON data."""
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return asdict(value)


@monitor.command("instrument")
def instrument_cmd(
    version: Annotated[str | None, typer.Option("--version", help="Default: current.")] = None,
    lang: LangOpt = "ar",
    as_json: JsonOpt = False,
) -> None:
    """Print the instrument: its pillars, factors and indicators (with each indicator's
    weight and the subject kinds it applies to), in Arabic (default) or English."""
    with _reported():
        if version is not None and version not in instrument.versions():
            known = ", ".join(instrument.versions())
            raise MonitorError(
                f"no instrument version {version!r}: {known}",
                arabic=f"لا يوجد إصدار للأداة باسم {version!r}: {known}",
            )
        found = instrument.load(version)
    if as_json:
        print_json(asdict(found))
        return
    console.print(f"{found.title.get(lang)} ({found.id} {found.version})", highlight=False)
    for pillar, label in found.pillars.items():
        console.print(f"\n[bold]{escape(label.get(lang))}[/bold]")
        for factor in (f for f in found.factors if f.pillar == pillar):
            console.print(f"  {factor.id}: {escape(factor.label.get(lang))}", highlight=False)
            for key in factor.indicators:
                indicator = found.indicators[key]
                kinds = ",".join(k.value for k in indicator.applies_to)
                text = escape(indicator.label.get(lang))
                console.print(f"    {key}: {text} [{indicator.weight:g}; {kinds}]", highlight=False)


@monitor.command("subjects")
def subjects_cmd(ctx: typer.Context, user: AsOpt, as_json: JsonOpt = False) -> None:
    """List the subjects the user may see: their agency's, and those of which they may read
    an assessment."""
    with _acting(ctx, user) as (conn, principal):
        found = subject_store.list_subjects(conn, principal)
    if as_json:
        print_json(_jsonable(found))
        return
    table = Table("id", "kind", "name", "الاسم", "country", "entity", "parent")
    for s in found:
        table.add_row(
            str(s.id),
            s.kind.value,
            s.name,
            s.name_ar,
            s.country or "",
            s.entity_id or "",
            str(s.parent or ""),
        )
    console.print(table)


@subject_group.command("add")
def subject_add(
    ctx: typer.Context,
    user: AsOpt,
    kind: Annotated[SubjectKind, typer.Argument(help="country, region or group.")],
    name: Annotated[str, typer.Argument(help="The English name.")],
    name_ar: Annotated[str, typer.Argument(help="The Arabic name.")],
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code.")] = None,
    entity: Annotated[str | None, typer.Option(help="A group's Organization entity.")] = None,
    parent: Annotated[str | None, typer.Option(help="A region's country subject.")] = None,
) -> None:
    """Add a subject for the user's agency and print its number."""
    with _acting(ctx, user) as (conn, principal):
        above = _subject(conn, principal, parent).id if parent else None
        found = subject_store.add_subject(
            conn, principal, kind, name, name_ar, country=country, entity_id=entity, parent=above
        )
    console.print(f"subject {found.id}: {found.kind.value} {found.name}", highlight=False)


def _subject(conn: Connection, principal: Principal, key: str) -> Subject:
    """A subject by its number, or its English or Arabic name."""
    if key.isdigit():
        return subject_store.get_subject(conn, principal, int(key))
    wanted = key.strip().casefold()
    found = [
        s
        for s in subject_store.list_subjects(conn, principal)
        if wanted in (s.name.casefold(), s.name_ar.casefold())
    ]
    if not found:
        raise UnknownAssessment(f"no subject named {key!r}", arabic=f"لا يوجد موضوع باسم {key!r}")
    if len(found) > 1:
        ids = ", ".join(str(s.id) for s in found)
        raise MonitorError(
            f"{key!r} names subjects {ids}", arabic=f"الاسم {key!r} يطابق المواضيع {ids}"
        )
    return found[0]


@monitor.command("assess")
def assess(
    ctx: typer.Context,
    subject: SubjectArg,
    user: AsOpt,
    start: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="Period start.")],
    end: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Period end.")],
    ratings: Annotated[
        Path | None, typer.Option(help="Ratings to set: a YAML or JSON file.", exists=True)
    ] = None,
    marking: Annotated[str, typer.Option(help="TLP marking.")] = Marking.AMBER.value,
    revises: Annotated[int | None, typer.Option(help="The approved assessment revised.")] = None,
    submit: Annotated[bool, typer.Option("--submit", help="Submit it for review.")] = False,
) -> None:
    """Start a draft assessment of SUBJECT for a period, set its ratings from a file (a list
    of ratings, or a mapping of indicator id to rating: level or not-assessed reason,
    confidence, trend, rationale, evidence), and optionally submit it for review."""
    with _acting(ctx, user) as (conn, principal):
        read = _read_ratings(ratings) if ratings else []
        found = workflow.create_assessment(
            conn,
            principal,
            _subject(conn, principal, subject).id,
            start.date(),
            end.date(),
            marking=_marking(marking),
            revises=revises,
        )
        for rating in read:
            found = workflow.rate(conn, principal, found.id, rating)
        if submit:
            found = workflow.submit(conn, principal, found.id)
    console.print(
        f"assessment {found.id}: {found.status.value}, {len(found.ratings)} ratings",
        highlight=False,
    )


def _marking(value: str) -> Marking:
    try:
        return Marking(value if value.upper().startswith("TLP:") else f"TLP:{value}".upper())
    except ValueError:
        known = ", ".join(m.value for m in Marking)
        raise MonitorError(
            f"unknown marking {value!r}: {known}", arabic=f"تصنيف غير معروف {value!r}: {known}"
        ) from None


def _read_ratings(path: Path) -> list[Rating]:
    """Ratings from a YAML or JSON file (MonitorError naming the file and the entry)."""
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else ""
        raise MonitorError(
            f"{path}: cannot read ratings: {first}",
            arabic=f"{path}: تتعذّر قراءة تقديرات المؤشرات: {first}",
        ) from None
    if isinstance(data, dict):
        data = [{"indicator": k, **(v or {})} for k, v in data.items()]
    if not isinstance(data, list):
        raise MonitorError(
            f"{path}: expected a list of ratings or a mapping by indicator",
            arabic=f"{path}: المتوقع قائمة بتقديرات المؤشرات أو تقديرات مرتبة حسب المؤشر",
        )
    return [_rating(path, n, item) for n, item in enumerate(data, 1)]


def _rating(path: Path, n: int, item: Any) -> Rating:
    where = f"{path}: rating {n}"
    try:
        if not isinstance(item, dict):
            raise TypeError("not a mapping")
        where = f"{path}: {item.get('indicator', f'rating {n}')}"
        confidence = item.get("confidence")
        evidence = tuple(_evidence(e) for e in item.get("evidence") or ())
        return Rating(
            indicator=str(item["indicator"]),
            level=None if item.get("level") is None else int(item["level"]),
            reason=str(item.get("reason", "")),
            confidence=Confidence(confidence) if confidence else None,
            trend=Trend(item.get("trend", Trend.UNKNOWN.value)),
            rationale=str(item.get("rationale", "")),
            evidence=evidence,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise MonitorError(
            f"{where}: {exc.__class__.__name__}: {exc}",
            arabic=f"{where}: تقدير غير صالح ({exc.__class__.__name__}: {exc})",
        ) from None


def _evidence(item: dict[str, Any]) -> Evidence:
    day = item.get("date")
    return Evidence(
        kind=EvidenceKind(item.get("kind", EvidenceKind.CITATION.value)),
        reference=str(item["reference"]),
        date=datetime.fromisoformat(str(day)).date() if day else None,
        source_grade=None if item.get("source_grade") is None else str(item["source_grade"]),
        info_grade=None if item.get("info_grade") is None else str(item["info_grade"]),
        marking=Marking(item.get("marking", Marking.AMBER.value)),
        note=str(item.get("note", "")),
    )


@monitor.command("review")
def review(
    ctx: typer.Context,
    assessment_id: IdArg,
    user: AsOpt,
    approve: Annotated[bool, typer.Option("--approve", help="Approve it.")] = False,
    send_back: Annotated[bool, typer.Option("--send-back", help="Return it to draft.")] = False,
    note: Annotated[str, typer.Option(help="The reviewer's note (required to send back).")] = "",
) -> None:
    """Approve an assessment in review (the reviewer is not its assessor), or send it back
    to draft with a note."""
    if approve == send_back:
        fail("give one of --approve or --send-back")
    with _acting(ctx, user) as (conn, principal):
        if approve:
            found = workflow.approve(conn, principal, assessment_id, note)
        else:
            found = workflow.send_back(conn, principal, assessment_id, note)
    hashed = f" (SHA-256 {found.content_hash})" if found.content_hash else ""
    console.print(f"assessment {found.id}: {found.status.value}{hashed}", highlight=False)


@monitor.command("show")
def show(
    ctx: typer.Context,
    assessment_id: IdArg,
    user: AsOpt,
    lang: LangOpt = "ar",
    as_json: JsonOpt = False,
) -> None:
    """Show an assessment: its ratings and its factor, pillar and overall scores, each with
    its coverage (the share of applicable indicators assessed)."""
    with _acting(ctx, user) as (conn, principal):
        found = assessment_store.get_assessment(conn, principal, assessment_id)
        verified = assessment_store.verify_hash(conn, assessment_id) if found.content_hash else None
    version = instrument.load(found.instrument_version)
    scores = scoring.score(version, found.subject.kind, found.ratings)
    if as_json:
        print_json(
            {"assessment": asdict(found), "scores": asdict(scores), "hash_verified": verified}
        )
        return
    _print_assessment(found, lang, verified)
    table = Table("score", "value", "coverage")
    for s in [*scores.factors.values(), *scores.pillars.values(), scores.overall]:
        value = "-" if s.score is None else f"{s.score:.2f}"
        table.add_row(s.key, value, f"{s.coverage:.0%} ({s.assessed}/{s.applicable})")
    console.print(table)


def _print_assessment(found: Assessment, lang: str, verified: bool | None) -> None:
    name = found.subject.name_ar if lang == "ar" else found.subject.name
    console.print(
        f"assessment {found.id} of {escape(name)}: {found.period_start} – {found.period_end}, "
        f"{found.status.value}, {found.marking.value}, instrument {found.instrument_version}, "
        f"assessor {found.assessor}, reviewer {found.reviewer or '-'}",
        highlight=False,
    )
    if verified is not None:
        console.print(
            f"content hash {'verified' if verified else 'DOES NOT MATCH'}", highlight=False
        )
    table = Table("indicator", "level", "confidence", "trend", "evidence", "rationale / reason")
    for key, r in found.ratings.items():
        level = "n/a" if r.level is None else str(r.level)
        confidence = r.confidence.value if r.confidence else "-"
        table.add_row(
            key, level, confidence, r.trend.value, str(len(r.evidence)), r.rationale or r.reason
        )
    console.print(table)


@monitor.command("changes")
def changes_cmd(
    ctx: typer.Context, subject: SubjectArg, user: AsOpt, as_json: JsonOpt = False
) -> None:
    """The changes between consecutive approved assessments of SUBJECT, oldest first;
    differences caused by a new instrument version are marked `instrument`."""
    with _acting(ctx, user) as (conn, principal):
        found = history.history(conn, principal, _subject(conn, principal, subject).id)
    if as_json:
        print_json(_jsonable(found))
        return
    for change_set in found:
        console.print(
            f"{change_set.before} → {change_set.after} (instrument {change_set.instrument_before}"
            f" → {change_set.instrument_after})",
            highlight=False,
        )
        for c in change_set.changes:
            console.print(
                f"  {c.kind.value}: {c.indicator}: {escape(c.explanation)}", highlight=False
            )


@monitor.command("suggest")
def suggest(
    ctx: typer.Context, assessment_id: IdArg, user: AsOpt, as_json: JsonOpt = False
) -> None:
    """The manifestations suggested for an assessment, ranked, with the signals met and
    missing (or why the evidence is insufficient)."""
    with _acting(ctx, user) as (conn, principal):
        found = judgement_store.suggestions(conn, principal, assessment_id)
    if as_json:
        print_json(asdict(found))
        return
    if found.insufficient:
        console.print(f"insufficient evidence: {escape(found.reason)}", highlight=False)
        return
    for s in found.ranked:
        console.print(f"{s.manifestation.value}: {s.score:.0%}", highlight=False)
        for signal in s.matched:
            console.print(f"  + {signal.id}: {escape(signal.detail)}", highlight=False)
        for signal in s.missing:
            console.print(f"  - {signal.id}: {escape(signal.detail)}", highlight=False)


@monitor.command("judge")
def judge(
    ctx: typer.Context,
    assessment_id: IdArg,
    user: AsOpt,
    manifestation: Annotated[Manifestation, typer.Option(help="The manifestation judged.")],
    likelihood: Annotated[Likelihood, typer.Option(help="ICD 203 likelihood term.")],
    confidence: Annotated[Confidence, typer.Option(help="Confidence (kept apart).")],
    rationale: Annotated[str, typer.Option(help="Why (required).")],
) -> None:
    """Record the user's judgement on a manifestation for an assessment: a likelihood term
    and a confidence level, kept apart, and the rationale."""
    with _acting(ctx, user) as (conn, principal):
        found = judgement_store.judge(
            conn, principal, assessment_id, manifestation, likelihood, confidence, rationale
        )
    console.print(
        f"judgement on {found.assessment}: {found.manifestation.value}, {found.likelihood.value},"
        f" {found.confidence.value} confidence",
        highlight=False,
    )


@series_group.command("import")
def series_import(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A CSV series file.")],
    user: AsOpt,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Import an external series (CSV) for the user's agency. Advice only: a series never
    sets a score. Prints what was stored and each rejected row."""
    with (
        _acting(ctx, user) as (conn, principal),
        count_progress("series", "points", not quiet) as bar,
    ):
        stored, rejected = seriesdb.import_series(conn, principal, path, bar)
    console.print(f"stored {stored} points, rejected {len(rejected)} rows", highlight=False)
    for line in rejected:
        console.print(f"  {escape(line)}", highlight=False)


@series_group.command("advice")
def series_advice(
    ctx: typer.Context,
    user: AsOpt,
    region: Annotated[str | None, typer.Option(help="Only this region.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """ "Review suggested": values of the agency's series that depart from their trailing
    window. Advice only."""
    with _acting(ctx, user) as (conn, principal):
        found = seriesdb.advice(conn, principal, region)
    if as_json:
        print_json(_jsonable(found))
        return
    for a in found:
        console.print(f"review suggested: {escape(a.message)}", highlight=False)
    if not found:
        console.print("no advice", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `monitor` command group to the app."""
    app.add_typer(monitor, name="monitor")
