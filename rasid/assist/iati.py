"""Donors' projects in IATI activity XML (version 2.03): read into ``Project`` records, and
written back out.

Reading maps, for each ``iati-activity``:

- ``iati-identifier`` to the identifier; the ``title`` narrative in the activity's language
  (no ``xml:lang``, or the activity's own, else English) to the title, its Arabic narrative
  to ``title_ar``; ``description`` (type 1, else the first) to the description;
- ``activity-status/@code`` to the status; ``activity-date`` types 1..4 to the start (actual,
  else planned) and the end (actual, else planned);
- ``recipient-country/@code`` to the countries; the first ``location/name`` to the region;
- ``participating-org`` (role, ref, type, name) to the participants;
- ``sector``: vocabulary 99 with ``@vocabulary-uri`` = ``VOCABULARY_URI`` to themes (codes of
  the taxonomy), vocabulary 1 (or none: IATI's default) to DAC purpose codes;
- ``budget`` periods to budgets; disbursements (3) and expenditure (4) in the project's
  currency summed into ``spent``;
- ``result`` / ``indicator`` / ``baseline`` / ``period`` to results: the period with a target
  ending last gives the target, each period's first ``actual`` an ``Actual`` dated at the
  period's end (its ``comment`` is the note).

The project's currency is ``@default-currency``, else the first value's ``@currency``, else
USD. Our own elements, in the namespace ``NAMESPACE`` (IATI allows foreign elements at the
end of an activity), carry what IATI has no place for:

- ``<rasid:kind>offer</rasid:kind>``: an offer of assistance (absent: a project);
- ``<rasid:beneficiary>NAME</rasid:beneficiary>``: one per beneficiary institution;
- ``<rasid:marking>TLP:AMBER</rasid:marking>`` and ``<rasid:released-to>AGENCY
  </rasid:released-to>`` (one per agency; one empty element for none): written only when not
  the default for public aid data (TLP:GREEN, released to every partner);
- ``rasid:from-themes="1"`` on a vocabulary-1 ``sector``: a DAC code written only so that
  DAC-only readers see a sector for a project that has themes and no DAC codes; reading skips
  it, so ``read_iati(write_iati(p))`` gives ``p`` back;
- ``rasid:reported-by`` on an ``actual``: who reported it.

An activity that cannot be read whole (no identifier or title, an unknown status or kind, a
bad date, a value that is not a number, an identifier used twice in the file) is quarantined
as "NAME line N, activity ID: reason" and the others are read; a value that can be left out
(an unknown theme, a sector of another vocabulary, a transaction in another currency, an
indicator without a baseline or a target) is dropped and reported the same way. A document
that is not XML, declares a DOCTYPE or is not ``iati-activities`` is an ``AssistError``.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

from lxml import etree

from rasid.assist.errors import AssistError
from rasid.assist.model import (
    EVERY_PARTNER,
    ActivityStatus,
    Actual,
    Budget,
    ImportProblem,
    Indicator,
    OrgRole,
    Participant,
    Project,
    ProjectImport,
    ProjectKind,
    Result,
    Taxonomy,
)
from rasid.model.errors import ModelError
from rasid.model.markings import Marking

__all__ = ["NAMESPACE", "VOCABULARY_URI", "read_iati", "write_iati"]

NAMESPACE = "urn:rasid:iati:1"
VOCABULARY_URI = "urn:rasid:taxonomy:nexus-good-practices"
VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEASURES = {"1": "unit", "2": "percentage", "3": "nominal", "4": "ordinal", "5": "qualitative"}
RESULT_TYPES = {"1", "2", "3", "9"}  # output, outcome, impact, other
SPENDING = {"3", "4"}  # TransactionType: disbursement, expenditure
MAX_NAME = 255  # the store's limit on identifiers and institutions
DOCTYPE = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
LINE_SUFFIX = re.compile(r",? line [0-9]+, column [0-9]+.*$")
ISO_DATE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?$")
NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
DAC = re.compile(r"^[0-9]{5}$")
Element = etree._Element


def _ns(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


# --- reading ------------------------------------------------------------------------------


class _Bad(Exception):
    """The activity cannot be read whole: quarantine it."""

    def __init__(self, el: Element, reason: str) -> None:
        super().__init__(reason)
        self.el = el
        self.reason = reason


@dataclass
class _Activity:
    """One activity being read: where it is, for messages, and the values dropped."""

    name: str
    label: str  # the identifier, or "#k" when there is none
    lang: str  # the activity's language
    dropped: list[ImportProblem] = field(default_factory=list)

    def where(self, el: Element) -> str:
        """The file, line and activity of an element."""
        return f"{self.name} line {_line(el)}, activity {self.label}"

    def drop(self, el: Element, reason: str) -> None:
        """Leave a value out, saying why."""
        self.dropped.append(ImportProblem(self.where(el), reason))


def _line(el: Element) -> int:
    line = el.sourceline
    return line if isinstance(line, int) and line > 0 else 1


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text(el: Element | None) -> str:
    if el is None:
        return ""
    return "".join(t for t in el.itertext() if isinstance(t, str)).strip()


def _narratives(el: Element | None, lang: str) -> tuple[str, str]:
    """The text in the activity's language (else English, else any but Arabic) and the
    Arabic text of an element with ``narrative`` children."""
    if el is None:
        return "", ""
    found = [(n.get(XML_LANG) or lang, _text(n)) for n in el.iterchildren("narrative")]
    found = [(code.lower(), text) for code, text in found if text]
    if not found:  # IATI 1.x put the text in the element itself
        found = [(lang, _text(el))] if _text(el) else []
    arabic = next((t for code, t in found if code == "ar"), "")
    for wanted in (lang, "en"):
        main = next((t for code, t in found if code == wanted), "")
        if main:
            return main, arabic
    other = next((t for code, t in found if code != "ar"), arabic)
    return other, arabic


def _date(el: Element, attr: str = "iso-date") -> date:
    value = (el.get(attr) or "").strip()
    match = ISO_DATE.match(value)
    try:
        if match:
            return date.fromisoformat(match.group(1))
    except ValueError:
        pass
    raise _Bad(el, f"<{el.tag}> @{attr}: {value!r} is not a date (YYYY-MM-DD)")


def _number(el: Element, value: str | None, what: str) -> float:
    text = (value or "").strip()
    if not NUMBER.match(text) or abs(number := float(text)) == float("inf"):
        raise _Bad(el, f"<{el.tag}> {what}: {text!r} is not a number")
    return number


def _status(el: Element) -> ActivityStatus:
    status = el.find("activity-status")
    if status is None:
        raise _Bad(el, "no activity-status")
    code = (status.get("code") or "").strip()
    if code not in {str(s.value) for s in ActivityStatus}:
        raise _Bad(status, f"unknown activity-status code {code!r}")
    return ActivityStatus(int(code))


def _dates(el: Element) -> tuple[date | None, date | None]:
    found: dict[str, date] = {}
    for item in el.iterchildren("activity-date"):
        kind = (item.get("type") or "").strip()
        if kind in {"1", "2", "3", "4"}:
            found.setdefault(kind, _date(item))
    return found.get("2", found.get("1")), found.get("4", found.get("3"))


def _currency(el: Element) -> str:
    code = el.get("default-currency")
    if code is None:
        value = next((v for v in el.iter("value") if v.get("currency")), None)
        code = "USD" if value is None else value.get("currency")
    return _checked_currency(el, code)


def _checked_currency(el: Element, code: str | None) -> str:
    code = (code or "").strip()
    if not CURRENCY.match(code):
        raise _Bad(el, f"<{el.tag}>: currency {code!r} is not an ISO 4217 code")
    return code


def _countries(el: Element, ctx: _Activity) -> tuple[str, ...]:
    codes: list[str] = []
    for item in el.iterchildren("recipient-country"):
        code = (item.get("code") or "").strip().upper()
        if not COUNTRY.match(code):
            ctx.drop(item, f"recipient-country {code!r} is not an ISO 3166-1 alpha-2 code")
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _region(el: Element, ctx: _Activity) -> str:
    name = el.find("location/name")
    return _clean(_narratives(name, ctx.lang)[0])


def _participant(el: Element, ctx: _Activity) -> Participant | None:
    role = (el.get("role") or "").strip()
    ref, kind = _clean(el.get("ref") or ""), _clean(el.get("type") or "")
    name = _clean(_narratives(el, ctx.lang)[0]) or ref
    if role not in {"1", "2", "3", "4"}:
        ctx.drop(el, f"participating-org {name!r}: unknown role {role!r}")
        return None
    if not name:
        ctx.drop(el, "participating-org without a name or a ref")
        return None
    if kind and not re.fullmatch(r"[0-9]{1,8}", kind):
        ctx.drop(el, f"participating-org {name!r}: organisation type {kind!r} left out")
        kind = ""
    return Participant(OrgRole(int(role)), name, ref, kind)


def _sectors(el: Element, ctx: _Activity, taxonomy: Taxonomy) -> tuple[list[str], list[str]]:
    themes: list[str] = []
    dac: list[str] = []
    for item in el.iterchildren("sector"):
        vocabulary = (item.get("vocabulary") or "1").strip()
        code = (item.get("code") or "").strip()
        if vocabulary == "99" and item.get("vocabulary-uri") == VOCABULARY_URI:
            if taxonomy.get(code) is None:
                ctx.drop(item, f"theme {code!r} is not in the taxonomy")
            elif code not in themes:
                themes.append(code)
        elif vocabulary == "1":
            if item.get(_ns("from-themes")) == "1":
                continue  # written from the themes for DAC-only readers
            if not DAC.match(code):
                ctx.drop(item, f"DAC purpose code {code!r} is not five digits")
            elif code not in dac:
                dac.append(code)
        else:
            ctx.drop(item, f"sector {code!r} of vocabulary {vocabulary!r} is not read")
    return themes, dac


def _budget(el: Element, currency: str) -> Budget:
    start, end, value = el.find("period-start"), el.find("period-end"), el.find("value")
    if start is None or end is None or value is None:
        raise _Bad(el, "a budget needs period-start, period-end and value")
    amount = _number(value, value.text, "value")
    return Budget(
        _date(start),
        _date(end),
        amount,
        _checked_currency(value, value.get("currency") or currency),
    )


def _spent(el: Element, ctx: _Activity, currency: str) -> float:
    total = 0.0
    for item in el.iterchildren("transaction"):
        kind = item.find("transaction-type")
        value = item.find("value")
        if kind is None or (kind.get("code") or "").strip() not in SPENDING:
            continue
        if value is None:
            raise _Bad(item, "a transaction without a value")
        amount = _number(value, value.text, "value")
        other = _checked_currency(value, value.get("currency") or currency)
        if other != currency:
            ctx.drop(value, f"a transaction in {other}, not {currency}: left out of spent")
        else:
            total += amount
    return total


def _baseline(el: Element) -> tuple[float, date] | None:
    base = el.find("baseline")
    if base is None or base.get("value") is None:
        return None
    value = _number(base, base.get("value"), "@value")
    if base.get("iso-date"):
        return value, _date(base)
    year = (base.get("year") or "").strip()
    if not re.fullmatch(r"[0-9]{4}", year) or year == "0000":
        raise _Bad(base, f"<baseline> @year: {year!r} is not a year")
    return value, date(int(year), 1, 1)


def _periods(el: Element, lang: str) -> tuple[tuple[date, float] | None, list[Actual]]:
    """The target of the latest period with one, and every period's first actual."""
    targets: list[tuple[date, float]] = []
    actuals: list[Actual] = []
    for period in el.iterchildren("period"):
        end = period.find("period-end")
        if end is None:
            raise _Bad(period, "a period without a period-end")
        when = _date(end)
        if (start := period.find("period-start")) is not None:
            _date(start)
        goal = next((t for t in period.iterchildren("target") if t.get("value")), None)
        if goal is not None:
            targets.append((when, _number(goal, goal.get("value"), "@value")))
        done = next((a for a in period.iterchildren("actual") if a.get("value")), None)
        if done is not None:
            value = _number(done, done.get("value"), "@value")
            note = _clean(_narratives(done.find("comment"), lang)[0])
            by = _clean(done.get(_ns("reported-by")) or "")
            actuals.append(Actual(when, value, note, by))
    target = max(targets, key=lambda t: t[0], default=None)
    return target, sorted(actuals, key=lambda a: a.date)


def _indicator(el: Element, ctx: _Activity, result: str) -> Indicator | None:
    title = _clean(_narratives(el.find("title"), ctx.lang)[0])
    measure = MEASURES.get((el.get("measure") or "1").strip())
    ascending = (el.get("ascending") or "1").strip().lower()
    baseline = _baseline(el)
    target, actuals = _periods(el, ctx.lang)
    if measure is None:
        ctx.drop(el, f"indicator {title!r}: unknown measure {el.get('measure')!r}")
        return None
    if baseline is None or target is None:
        ctx.drop(el, f"indicator {title!r}: no baseline value or no target value")
        return None
    if ascending not in {"1", "0", "true", "false"}:
        ctx.drop(el, f"indicator {title!r}: @ascending {ascending!r} read as 1")
    return Indicator(
        id=None,
        title=title,
        ascending=ascending not in {"0", "false"},
        baseline=baseline[0],
        baseline_date=baseline[1],
        target=target[1],
        target_date=target[0],
        measure=measure,
        actuals=tuple(actuals),
        result=result,
    )


def _result(el: Element, ctx: _Activity) -> Result:
    title = _clean(_narratives(el.find("title"), ctx.lang)[0])
    code = (el.get("type") or "1").strip()
    kind = int(code) if code in RESULT_TYPES else 1
    if str(kind) != code:
        ctx.drop(el, f"result {title!r}: unknown type {code!r} read as 1 (output)")
    found = (_indicator(i, ctx, title) for i in el.iterchildren("indicator"))
    return Result(title, tuple(i for i in found if i is not None), kind)


def _names(el: Element, tag: str, ctx: _Activity) -> list[str]:
    names: list[str] = []
    for item in el.iterchildren(_ns(tag)):
        name = _clean(_text(item))
        if len(name) > MAX_NAME:
            ctx.drop(item, f"{tag} longer than {MAX_NAME} characters")
        elif name and name not in names:
            names.append(name)
    return names


def _extension(el: Element, ctx: _Activity) -> tuple[ProjectKind, Marking, tuple[str, ...]]:
    kind_el, marking_el = el.find(_ns("kind")), el.find(_ns("marking"))
    kind = _text(kind_el) or ProjectKind.PROJECT.value
    if kind not in {k.value for k in ProjectKind}:
        raise _Bad(el if kind_el is None else kind_el, f"unknown kind {kind!r}")
    marking = Marking.GREEN
    if marking_el is not None:
        try:
            marking = Marking.parse(_text(marking_el))
        except ModelError as exc:
            raise _Bad(marking_el, str(exc)) from None
    released: tuple[str, ...] = (EVERY_PARTNER,)
    if el.find(_ns("released-to")) is not None:
        released = tuple(_names(el, "released-to", ctx))
    return ProjectKind(kind), marking, released


def _project(el: Element, ctx: _Activity, taxonomy: Taxonomy, source: str, agency: str) -> Project:
    identifier = _clean(_text(el.find("iati-identifier")))
    if not identifier or len(identifier) > MAX_NAME:
        raise _Bad(el, f"no iati-identifier (or one over {MAX_NAME} characters)")
    title, title_ar = (_clean(t) for t in _narratives(el.find("title"), ctx.lang))
    if not title:
        raise _Bad(el, "no title")
    descriptions = list(el.iterchildren("description"))
    chosen = next((d for d in descriptions if d.get("type") == "1"), None)
    chosen = descriptions[0] if chosen is None and descriptions else chosen
    currency = _currency(el)
    themes, dac = _sectors(el, ctx, taxonomy)
    kind, marking, released = _extension(el, ctx)
    start, end = _dates(el)
    found = (_participant(p, ctx) for p in el.iterchildren("participating-org"))
    return Project(
        id=None,
        identifier=identifier,
        kind=kind,
        title=title,
        description=_narratives(chosen, ctx.lang)[0],
        status=_status(el),
        countries=_countries(el, ctx),
        start=start,
        end=end,
        currency=currency,
        budgets=tuple(_budget(b, currency) for b in el.iterchildren("budget")),
        spent=_spent(el, ctx, currency),
        participants=tuple(p for p in found if p is not None),
        themes=tuple(themes),
        dac=tuple(dac),
        beneficiaries=tuple(_names(el, "beneficiary", ctx)),
        region=_region(el, ctx),
        results=tuple(_result(r, ctx) for r in el.iterchildren("result")),
        agency=agency,
        marking=marking,
        released_to=released,
        source=source,
        title_ar=title_ar,
    )


def _parse(data: bytes, name: str) -> Element:
    """The root element, from a parser that neither loads DTDs nor expands entities."""
    doctype = DOCTYPE.match(data)
    if doctype:
        line = data[: doctype.end()].count(b"\n") + 1
        raise AssistError(f"{name} line {line}: a DOCTYPE (DTD or entities) is not accepted")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        reason = LINE_SUFFIX.sub("", str(exc.msg or "")) or "cannot be parsed"
        raise AssistError(f"{name} line {max(exc.lineno or 1, 1)}: not XML: {reason}") from None
    except (etree.LxmlError, ValueError, UnicodeError, LookupError) as exc:
        raise AssistError(f"{name} line 1: not XML: {exc}") from None
    info = root.getroottree().docinfo
    declared: str = info.doctype  # type: ignore[union-attr]
    if declared or info.internalDTD is not None or info.externalDTD is not None:
        raise AssistError(f"{name} line 1: a DOCTYPE (DTD or entities) is not accepted")
    if root.tag != "iati-activities":
        raise AssistError(
            f"{name} line {_line(root)}: the root element is <{root.tag}>, not <iati-activities>"
        )
    return root


def read_iati(data: bytes, name: str, taxonomy: Taxonomy, *, agency: str = "") -> ProjectImport:
    """The projects of an IATI activity file (``name`` names it in messages), with the
    activities quarantined and the values dropped. Themes are checked against ``taxonomy``;
    projects belong to ``agency``. Raises ``AssistError`` when the file cannot be read."""
    root = _parse(data, name)
    projects: list[Project] = []
    quarantined: list[ImportProblem] = []
    dropped: list[ImportProblem] = []
    seen: dict[str, int] = {}
    for k, el in enumerate(root.iterchildren("iati-activity"), 1):
        label = _clean(_text(el.find("iati-identifier")))[:MAX_NAME] or f"#{k}"
        ctx = _Activity(name, label, (el.get(XML_LANG) or "en").strip().lower())
        try:
            project = _project(el, ctx, taxonomy, f"iati:{name}", agency)
            if project.identifier in seen:
                raise _Bad(el, f"identifier already used on line {seen[project.identifier]}")
        except _Bad as bad:
            quarantined.append(ImportProblem(ctx.where(bad.el), bad.reason))
            continue
        seen[project.identifier] = _line(el)
        projects.append(project)
        dropped.extend(ctx.dropped)
    return ProjectImport(tuple(projects), tuple(quarantined), tuple(dropped))


# --- writing ------------------------------------------------------------------------------


def _decimal(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _amount(value: float) -> str:
    """A number as xsd:decimal text that reads back as the same float."""
    return _decimal(Decimal(repr(float(value))))


def _shares(count: int) -> list[str]:
    """Percentages for ``count`` items, split evenly and summing to exactly 100."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [_decimal(share)] * (count - 1) + [_decimal(Decimal(100) - share * (count - 1))]


def _sub(parent: Element, tag: str, text: str = "", **attrs: str) -> Element:
    el = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text:
        el.text = text
    return el


def _narrative(parent: Element, tag: str, text: str, arabic: str = "", **attrs: str) -> Element:
    el = _sub(parent, tag, **attrs)
    _sub(el, "narrative", text)
    if arabic:
        _sub(el, "narrative", arabic).set(XML_LANG, "ar")
    return el


def _org(parent: Element, tag: str, org: Participant, **attrs: str) -> None:
    if org.ref:
        attrs["ref"] = org.ref
    if org.type:
        attrs["type"] = org.type
    _narrative(parent, tag, org.name, **attrs)


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
        _sub(act, "activity-date", type="2" if begun else "1", iso_date=project.start.isoformat())
    if project.end is not None:
        over = project.status in (ActivityStatus.FINALISATION, ActivityStatus.CLOSED)
        actual = over and project.end <= today
        _sub(act, "activity-date", type="4" if actual else "3", iso_date=project.end.isoformat())


def _places_xml(act: Element, project: Project) -> None:
    shares = _shares(len(project.countries)) if project.countries else []
    for code, share in zip(project.countries, shares, strict=True):
        _sub(act, "recipient-country", code=code, percentage=share)
    if project.region:
        location = _sub(act, "location")
        _narrative(location, "name", project.region)


def _sectors_xml(act: Element, project: Project, taxonomy: Taxonomy) -> None:
    for code, share in zip(project.themes, _shares(len(project.themes) or 1), strict=False):
        _sub(act, "sector", vocabulary="99", vocabulary_uri=VOCABULARY_URI, code=code,
             percentage=share)  # fmt: skip
    derived = not project.dac
    codes = list(project.dac)
    if derived:
        for theme in filter(None, map(taxonomy.get, project.themes)):
            codes.extend(c for c in theme.dac if c not in codes)
    for code, share in zip(codes, _shares(len(codes) or 1), strict=False):
        el = _sub(act, "sector", vocabulary="1", code=code, percentage=share)
        if derived:
            el.set(_ns("from-themes"), "1")


def _money_xml(act: Element, project: Project, today: date) -> None:
    for budget in project.budgets:
        el = _sub(act, "budget", type="1", status="1")
        _sub(el, "period-start", iso_date=budget.start.isoformat())
        _sub(el, "period-end", iso_date=budget.end.isoformat())
        start = budget.start.isoformat()
        _sub(el, "value", _amount(budget.value), currency=budget.currency, value_date=start)
    if project.spent > 0:
        when = max((b.end for b in project.budgets), default=today).isoformat()
        el = _sub(act, "transaction")
        _sub(el, "transaction-type", code="3")
        _sub(el, "transaction-date", iso_date=when)
        _sub(el, "value", _amount(project.spent), currency=project.currency, value_date=when)


def _period(parent: Element, start: date, end: date, tag: str, value: float) -> Element:
    period = _sub(parent, "period")
    _sub(period, "period-start", iso_date=start.isoformat())
    _sub(period, "period-end", iso_date=end.isoformat())
    return _sub(period, tag, value=_amount(value))


def _indicator_xml(parent: Element, indicator: Indicator) -> None:
    measure = next((k for k, v in MEASURES.items() if v == indicator.measure), "1")
    ascending = "1" if indicator.ascending else "0"
    el = _sub(parent, "indicator", measure=measure, ascending=ascending)
    _narrative(el, "title", indicator.title)
    day = indicator.baseline_date
    _sub(el, "baseline", year=str(day.year), iso_date=day.isoformat(),
         value=_amount(indicator.baseline))  # fmt: skip
    _period(el, day, indicator.target_date, "target", indicator.target)
    start = day
    for actual in indicator.actuals:
        done = _period(el, start, actual.date, "actual", actual.value)
        if actual.reported_by:
            done.set(_ns("reported-by"), actual.reported_by)
        if actual.note:
            _narrative(done, "comment", actual.note)
        start = actual.date


def _results_xml(act: Element, project: Project) -> None:
    for result in project.results:
        el = _sub(act, "result", type=str(result.type), aggregation_status="0")
        _narrative(el, "title", result.title)
        for indicator in result.indicators:
            _indicator_xml(el, indicator)


def _extension_xml(act: Element, project: Project) -> None:
    if project.kind is not ProjectKind.PROJECT:
        _sub(act, _ns("kind"), project.kind.value)
    if project.marking is not Marking.GREEN:
        _sub(act, _ns("marking"), project.marking.value)
    if project.released_to != (EVERY_PARTNER,):
        for agency in project.released_to or ("",):
            _sub(act, _ns("released-to"), agency)
    for institution in project.beneficiaries:
        _sub(act, _ns("beneficiary"), institution)


def _activity_xml(
    root: Element, project: Project, taxonomy: Taxonomy, generated: datetime,
    reporting: Participant | None,
) -> None:  # fmt: skip
    stamp = generated.isoformat(timespec="seconds")
    act = _sub(
        root, "iati-activity", last_updated_datetime=stamp, default_currency=project.currency
    )
    act.set(XML_LANG, "en")
    _sub(act, "iati-identifier", project.identifier)
    org = _reporting(project, reporting)
    if org is not None:
        _org(act, "reporting-org", org)
    _narrative(act, "title", project.title, project.title_ar)
    if project.description:
        _narrative(act, "description", project.description, type="1")
    for participant in project.participants:
        _org(act, "participating-org", participant, role=str(participant.role.value))
    _sub(act, "activity-status", code=str(project.status.value))
    _dates_xml(act, project, generated.date())
    _places_xml(act, project)
    _sectors_xml(act, project, taxonomy)
    _money_xml(act, project, generated.date())
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
            raise AssistError(f"project {project.identifier!r}: cannot be written: {exc}") from None
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data
