"""Writing projects as IATI 2.03 activity XML (``write_iati``, also reached as
``rasid.assist.iati.write_iati``): the schema's order, sector vocabulary 99 for our themes
and 1 for DAC codes, every transaction, and our extensions in ``urn:rasid:iati:1``. What is
written reads back as the same projects (``rasid.assist.iati`` describes the mapping)."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

from lxml import etree

from rasid.assist.errors import AssistError
from rasid.assist.iati_money import write_money
from rasid.assist.iati_xml import (
    MEASURES,
    NAMESPACE,
    VOCABULARY_URI,
    XML_LANG,
    Element,
    amount,
    decimal,
    narrative,
    ns,
    sub,
)
from rasid.assist.model import (
    EVERY_PARTNER,
    ActivityStatus,
    Indicator,
    OrgRole,
    Participant,
    Project,
    ProjectKind,
    Taxonomy,
)
from rasid.model.markings import Marking

__all__ = ["VERSION", "write_iati"]

VERSION = "2.03"


def _shares(count: int) -> list[str]:
    """Percentages for ``count`` items, split evenly and summing to exactly 100."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [decimal(share)] * (count - 1) + [decimal(Decimal(100) - share * (count - 1))]


def _org(parent: Element, tag: str, org: Participant, **attrs: str) -> None:
    if org.ref:
        attrs["ref"] = org.ref
    if org.type:
        attrs["type"] = org.type
    narrative(parent, tag, org.name, **attrs)


def _reporting(project: Project, given: Participant | None) -> Participant | None:
    if given is not None:
        return given
    funder = next((p for p in project.participants if p.role is OrgRole.FUNDING), None)
    if funder is None and project.agency:
        return Participant(OrgRole.FUNDING, project.agency)
    return funder


def _dates_xml(act: Element, project: Project, today: date) -> None:
    if project.start is not None:
        begun = project.status is not ActivityStatus.PIPELINE and project.start <= today
        sub(act, "activity-date", type="2" if begun else "1", iso_date=project.start.isoformat())
    if project.end is not None:
        over = project.status in (ActivityStatus.FINALISATION, ActivityStatus.CLOSED)
        actual = over and project.end <= today
        sub(act, "activity-date", type="4" if actual else "3", iso_date=project.end.isoformat())


def _places_xml(act: Element, project: Project) -> None:
    shares = _shares(len(project.countries)) if project.countries else []
    for code, share in zip(project.countries, shares, strict=True):
        sub(act, "recipient-country", code=code, percentage=share)
    if project.region:
        location = sub(act, "location")
        narrative(location, "name", project.region)


def _sectors_xml(act: Element, project: Project, taxonomy: Taxonomy) -> None:
    for code, share in zip(project.themes, _shares(len(project.themes) or 1), strict=False):
        sub(act, "sector", vocabulary="99", vocabulary_uri=VOCABULARY_URI, code=code,
            percentage=share)  # fmt: skip
    derived = not project.dac
    codes = list(project.dac)
    if derived:
        for theme in filter(None, map(taxonomy.get, project.themes)):
            codes.extend(c for c in theme.dac if c not in codes)
    for code, share in zip(codes, _shares(len(codes) or 1), strict=False):
        el = sub(act, "sector", vocabulary="1", code=code, percentage=share)
        if derived:
            el.set(ns("from-themes"), "1")


def _period(parent: Element, start: date, end: date, tag: str, value: float) -> Element:
    period = sub(parent, "period")
    sub(period, "period-start", iso_date=start.isoformat())
    sub(period, "period-end", iso_date=end.isoformat())
    return sub(period, tag, value=amount(value))


def _indicator_xml(parent: Element, indicator: Indicator) -> None:
    measure = next((k for k, v in MEASURES.items() if v == indicator.measure), "1")
    ascending = "1" if indicator.ascending else "0"
    el = sub(parent, "indicator", measure=measure, ascending=ascending)
    narrative(el, "title", indicator.title)
    day = indicator.baseline_date
    sub(el, "baseline", year=str(day.year), iso_date=day.isoformat(),
        value=amount(indicator.baseline))  # fmt: skip
    _period(el, day, indicator.target_date, "target", indicator.target)
    start = day
    for actual in indicator.actuals:
        done = _period(el, start, actual.date, "actual", actual.value)
        if actual.reported_by:
            done.set(ns("reported-by"), actual.reported_by)
        if actual.note:
            narrative(done, "comment", actual.note)
        start = actual.date


def _results_xml(act: Element, project: Project) -> None:
    for result in project.results:
        el = sub(act, "result", type=str(result.type), aggregation_status="0")
        narrative(el, "title", result.title)
        for indicator in result.indicators:
            _indicator_xml(el, indicator)


def _extension_xml(act: Element, project: Project) -> None:
    if project.kind is not ProjectKind.PROJECT:
        sub(act, ns("kind"), project.kind.value)
    if project.marking is not Marking.GREEN:
        sub(act, ns("marking"), project.marking.value)
    if project.released_to != (EVERY_PARTNER,):
        for agency in project.released_to or ("",):
            sub(act, ns("released-to"), agency)
    for institution in project.beneficiaries:
        sub(act, ns("beneficiary"), institution)


def _activity_xml(
    root: Element, project: Project, taxonomy: Taxonomy, generated: datetime,
    reporting: Participant | None,
) -> None:  # fmt: skip
    stamp = generated.isoformat(timespec="seconds")
    act = sub(root, "iati-activity", last_updated_datetime=stamp, default_currency=project.currency)
    act.set(XML_LANG, "en")
    sub(act, "iati-identifier", project.identifier)
    org = _reporting(project, reporting)
    if org is not None:
        _org(act, "reporting-org", org)
    narrative(act, "title", project.title, project.title_ar)
    if project.description:
        narrative(act, "description", project.description, type="1")
    for participant in project.participants:
        _org(act, "participating-org", participant, role=str(participant.role.value))
    sub(act, "activity-status", code=str(project.status.value))
    _dates_xml(act, project, generated.date())
    _places_xml(act, project)
    _sectors_xml(act, project, taxonomy)
    write_money(act, project, generated.date())
    _results_xml(act, project)
    _extension_xml(act, project)


def write_iati(
    projects: Sequence[Project],
    taxonomy: Taxonomy,
    *,
    generated: datetime,
    reporting_org: Participant | None = None,
) -> bytes:
    """An IATI 2.03 activity file of the projects, dated ``generated``. The reporting
    organisation is ``reporting_org``, else each project's first funder, else its agency.
    Raises ``AssistError`` naming the project when a value holds a character XML cannot
    carry."""
    root = etree.Element("iati-activities", nsmap={"rasid": NAMESPACE})
    root.set("version", VERSION)
    root.set("generated-datetime", generated.isoformat(timespec="seconds"))
    for project in projects:
        try:
            _activity_xml(root, project, taxonomy, generated, reporting_org)
        except ValueError as exc:
            raise AssistError(
                f"project {project.identifier!r}: cannot be written: {exc}",
                arabic=f"المشروع {project.identifier!r}: لا يمكن كتابته ({exc})",
            ) from None
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
