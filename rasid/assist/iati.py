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
- ``budget`` periods to budgets; every ``transaction`` (type, date, value, currency,
  provider and receiver, description) to ``transactions``, and the disbursements (3) and
  expenditure (4) summed into ``spent`` in the project's currency, another currency
  converted with the importing office's exchange rates (``rasid.assist.iati_money``);
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
- ``rasid:reported-by`` on an ``actual``: who reported it;
- ``rasid:from-spent="1"`` on a ``transaction``: the one disbursement written for a
  ``spent`` that no transaction accounts for (a project recorded by hand or from CSV);
  reading adds it to ``spent`` and keeps no transaction of it.

An activity that cannot be read whole (no identifier or title, an unknown status or kind, a
bad date, a value that is not a number, an identifier used twice in the file) is quarantined
as "NAME line N, activity ID: reason" and the others are read; a value that can be left out
(an unknown theme, a sector of another vocabulary, a transaction of an unknown type or
without a date, spending in another currency without a rate (left out of ``spent`` only), an
indicator without a baseline or a target) is dropped and reported the same way, in English
and Arabic. A document
that is not XML, declares a DOCTYPE or is not ``iati-activities`` is an ``AssistError``.
"""

import re
from datetime import date

from rasid.assist.iati_money import read_budget, read_transactions
from rasid.assist.iati_write import write_iati
from rasid.assist.iati_xml import (
    MEASURES,
    NAMESPACE,
    VOCABULARY_URI,
    XML_LANG,
    Activity,
    Bad,
    Element,
    checked_currency,
    clean,
    line,
    narratives,
    ns,
    parse,
    read_date,
    read_number,
    text,
)
from rasid.assist.model import (
    EVERY_PARTNER,
    ActivityStatus,
    Actual,
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
from rasid.assist.rates import RateBook
from rasid.model.errors import ModelError
from rasid.model.markings import Marking

__all__ = ["NAMESPACE", "VOCABULARY_URI", "read_iati", "write_iati"]

RESULT_TYPES = {"1", "2", "3", "9"}  # output, outcome, impact, other
MAX_NAME = 255  # the store's limit on identifiers and institutions
COUNTRY = re.compile(r"^[A-Z]{2}$")
DAC = re.compile(r"^[0-9]{5}$")


# --- reading ------------------------------------------------------------------------------


def _status(el: Element) -> ActivityStatus:
    status = el.find("activity-status")
    if status is None:
        raise Bad(el, "no activity-status", arabic="لا حالة للنشاط (activity-status)")
    code = (status.get("code") or "").strip()
    if code not in {str(s.value) for s in ActivityStatus}:
        raise Bad(
            status,
            f"unknown activity-status code {code!r}",
            arabic=f"رمز حالة النشاط {code!r} غير معروف",
        )
    return ActivityStatus(int(code))


def _dates(el: Element) -> tuple[date | None, date | None]:
    found: dict[str, date] = {}
    for item in el.iterchildren("activity-date"):
        kind = (item.get("type") or "").strip()
        if kind in {"1", "2", "3", "4"}:
            found.setdefault(kind, read_date(item))
    return found.get("2", found.get("1")), found.get("4", found.get("3"))


def _currency(el: Element) -> str:
    code = el.get("default-currency")
    if code is None:
        value = next((v for v in el.iter("value") if v.get("currency")), None)
        code = "USD" if value is None else value.get("currency")
    return checked_currency(el, code)


def _countries(el: Element, ctx: Activity) -> tuple[str, ...]:
    codes: list[str] = []
    for item in el.iterchildren("recipient-country"):
        code = (item.get("code") or "").strip().upper()
        if not COUNTRY.match(code):
            ctx.drop(
                item,
                f"recipient-country {code!r} is not an ISO 3166-1 alpha-2 code",
                f"الدولة المستفيدة {code!r} ليست رمزًا من حرفين (ISO 3166-1)",
            )
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _region(el: Element, ctx: Activity) -> str:
    return clean(narratives(el.find("location/name"), ctx.lang)[0])


def _participant(el: Element, ctx: Activity) -> Participant | None:
    role = (el.get("role") or "").strip()
    ref, kind = clean(el.get("ref") or ""), clean(el.get("type") or "")
    name = clean(narratives(el, ctx.lang)[0]) or ref
    if role not in {"1", "2", "3", "4"}:
        ctx.drop(
            el,
            f"participating-org {name!r}: unknown role {role!r}",
            f"الجهة المشاركة {name!r}: دور غير معروف {role!r}",
        )
        return None
    if not name:
        ctx.drop(
            el,
            "participating-org without a name or a ref",
            "جهة مشاركة بلا اسم ولا معرّف",
        )
        return None
    if kind and not re.fullmatch(r"[0-9]{1,8}", kind):
        ctx.drop(
            el,
            f"participating-org {name!r}: organisation type {kind!r} left out",
            f"الجهة المشاركة {name!r}: تُرك نوع الجهة {kind!r}",
        )
        kind = ""
    return Participant(OrgRole(int(role)), name, ref, kind)


def _theme(item: Element, ctx: Activity, taxonomy: Taxonomy, themes: list[str]) -> None:
    code = (item.get("code") or "").strip()
    if taxonomy.get(code) is None:
        ctx.drop(
            item,
            f"theme {code!r} is not in the taxonomy",
            f"المجال الموضوعي {code!r} ليس في التصنيف",
        )
    elif code not in themes:
        themes.append(code)


def _dac(item: Element, ctx: Activity, dac: list[str]) -> None:
    code = (item.get("code") or "").strip()
    if item.get(ns("from-themes")) == "1":
        return  # written from the themes for DAC-only readers
    if not DAC.match(code):
        ctx.drop(
            item,
            f"DAC purpose code {code!r} is not five digits",
            f"رمز غرض لجنة المساعدة الإنمائية {code!r} ليس من خمسة أرقام",
        )
    elif code not in dac:
        dac.append(code)


def _sectors(el: Element, ctx: Activity, taxonomy: Taxonomy) -> tuple[list[str], list[str]]:
    themes: list[str] = []
    dac: list[str] = []
    for item in el.iterchildren("sector"):
        vocabulary = (item.get("vocabulary") or "1").strip()
        if vocabulary == "99" and item.get("vocabulary-uri") == VOCABULARY_URI:
            _theme(item, ctx, taxonomy, themes)
        elif vocabulary == "1":
            _dac(item, ctx, dac)
        else:
            code = (item.get("code") or "").strip()
            ctx.drop(
                item,
                f"sector {code!r} of vocabulary {vocabulary!r} is not read",
                f"القطاع {code!r} من المفردات {vocabulary!r} لا يُقرأ",
            )
    return themes, dac


def _baseline(el: Element) -> tuple[float, date] | None:
    base = el.find("baseline")
    if base is None or base.get("value") is None:
        return None
    value = read_number(base, base.get("value"), "@value")
    if base.get("iso-date"):
        return value, read_date(base)
    year = (base.get("year") or "").strip()
    if not re.fullmatch(r"[0-9]{4}", year) or year == "0000":
        raise Bad(
            base,
            f"<baseline> @year: {year!r} is not a year",
            arabic=f"<baseline> @year: القيمة {year!r} ليست سنة",
        )
    return value, date(int(year), 1, 1)


def _actual(period: Element, when: date, lang: str) -> Actual | None:
    done = next((a for a in period.iterchildren("actual") if a.get("value")), None)
    if done is None:
        return None
    value = read_number(done, done.get("value"), "@value")
    note = clean(narratives(done.find("comment"), lang)[0])
    return Actual(when, value, note, clean(done.get(ns("reported-by")) or ""))


def _periods(el: Element, lang: str) -> tuple[tuple[date, float] | None, list[Actual]]:
    """The target of the latest period with one, and every period's first actual."""
    targets: list[tuple[date, float]] = []
    actuals: list[Actual] = []
    for period in el.iterchildren("period"):
        end = period.find("period-end")
        if end is None:
            raise Bad(period, "a period without a period-end", arabic="فترة بلا نهاية (period-end)")
        when = read_date(end)
        if (start := period.find("period-start")) is not None:
            read_date(start)
        goal = next((t for t in period.iterchildren("target") if t.get("value")), None)
        if goal is not None:
            targets.append((when, read_number(goal, goal.get("value"), "@value")))
        if (done := _actual(period, when, lang)) is not None:
            actuals.append(done)
    target = max(targets, key=lambda t: t[0], default=None)
    return target, sorted(actuals, key=lambda a: a.date)


def _indicator(el: Element, ctx: Activity, result: str) -> Indicator | None:
    title = clean(narratives(el.find("title"), ctx.lang)[0])
    measure = MEASURES.get((el.get("measure") or "1").strip())
    ascending = (el.get("ascending") or "1").strip().lower()
    baseline = _baseline(el)
    target, actuals = _periods(el, ctx.lang)
    if measure is None:
        given = el.get("measure")
        ctx.drop(
            el,
            f"indicator {title!r}: unknown measure {given!r}",
            f"المؤشر {title!r}: نوع قياس غير معروف {given!r}",
        )
        return None
    if baseline is None or target is None:
        ctx.drop(
            el,
            f"indicator {title!r}: no baseline value or no target value",
            f"المؤشر {title!r}: لا قيمة أساس له أو لا قيمة مستهدفة",
        )
        return None
    if ascending not in {"1", "0", "true", "false"}:
        ctx.drop(
            el,
            f"indicator {title!r}: @ascending {ascending!r} read as 1",
            f"المؤشر {title!r}: قُرئت قيمة @ascending {ascending!r} على أنها 1",
        )
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


def _result(el: Element, ctx: Activity) -> Result:
    title = clean(narratives(el.find("title"), ctx.lang)[0])
    code = (el.get("type") or "1").strip()
    kind = int(code) if code in RESULT_TYPES else 1
    if str(kind) != code:
        ctx.drop(
            el,
            f"result {title!r}: unknown type {code!r} read as 1 (output)",
            f"النتيجة {title!r}: نوع غير معروف {code!r} قُرئ على أنه 1 (مُخرَج)",
        )
    found = (_indicator(i, ctx, title) for i in el.iterchildren("indicator"))
    return Result(title, tuple(i for i in found if i is not None), kind)


def _names(el: Element, tag: str, ctx: Activity) -> list[str]:
    names: list[str] = []
    for item in el.iterchildren(ns(tag)):
        name = clean(text(item))
        if len(name) > MAX_NAME:
            ctx.drop(
                item,
                f"{tag} longer than {MAX_NAME} characters",
                f"{tag} أطول من {MAX_NAME} حرفًا",
            )
        elif name and name not in names:
            names.append(name)
    return names


def _marking(el: Element | None) -> Marking:
    if el is None:
        return Marking.GREEN
    try:
        return Marking.parse(text(el))
    except ModelError as exc:
        raise Bad(el, str(exc), arabic=exc.worded("ar")) from None


def _extension(el: Element, ctx: Activity) -> tuple[ProjectKind, Marking, tuple[str, ...]]:
    kind_el = el.find(ns("kind"))
    kind = text(kind_el) or ProjectKind.PROJECT.value
    if kind not in {k.value for k in ProjectKind}:
        at = el if kind_el is None else kind_el
        raise Bad(at, f"unknown kind {kind!r}", arabic=f"نوع غير معروف {kind!r}")
    marking = _marking(el.find(ns("marking")))
    released: tuple[str, ...] = (EVERY_PARTNER,)
    if el.find(ns("released-to")) is not None:
        released = tuple(_names(el, "released-to", ctx))
    return ProjectKind(kind), marking, released


def _named(el: Element, ctx: Activity) -> tuple[str, str, str]:
    """The identifier, the title and the Arabic title; ``Bad`` without the first two."""
    identifier = clean(text(el.find("iati-identifier")))
    if not identifier or len(identifier) > MAX_NAME:
        raise Bad(
            el,
            f"no iati-identifier (or one over {MAX_NAME} characters)",
            arabic=f"لا معرّف للنشاط iati-identifier (أو معرّف يتجاوز {MAX_NAME} حرفًا)",
        )
    title, title_ar = (clean(t) for t in narratives(el.find("title"), ctx.lang))
    if not title:
        raise Bad(el, "no title", arabic="لا عنوان للنشاط")
    return identifier, title, title_ar


def _description(el: Element, ctx: Activity) -> str:
    descriptions = list(el.iterchildren("description"))
    chosen = next((d for d in descriptions if d.get("type") == "1"), None)
    chosen = descriptions[0] if chosen is None and descriptions else chosen
    return narratives(chosen, ctx.lang)[0]


def _project(
    el: Element, ctx: Activity, taxonomy: Taxonomy, rates: RateBook | None, agency: str
) -> Project:
    identifier, title, title_ar = _named(el, ctx)
    currency = _currency(el)
    themes, dac = _sectors(el, ctx, taxonomy)
    kind, marking, released = _extension(el, ctx)
    start, end = _dates(el)
    found = (_participant(p, ctx) for p in el.iterchildren("participating-org"))
    transactions, spent = read_transactions(el, ctx, currency, rates)
    return Project(
        id=None,
        identifier=identifier,
        kind=kind,
        title=title,
        description=_description(el, ctx),
        status=_status(el),
        countries=_countries(el, ctx),
        start=start,
        end=end,
        currency=currency,
        budgets=tuple(read_budget(b, currency) for b in el.iterchildren("budget")),
        spent=spent,
        participants=tuple(p for p in found if p is not None),
        themes=tuple(themes),
        dac=tuple(dac),
        beneficiaries=tuple(_names(el, "beneficiary", ctx)),
        region=_region(el, ctx),
        results=tuple(_result(r, ctx) for r in el.iterchildren("result")),
        agency=agency,
        marking=marking,
        released_to=released,
        source=f"iati:{ctx.name}",
        title_ar=title_ar,
        transactions=transactions,
    )


def read_iati(
    data: bytes,
    name: str,
    taxonomy: Taxonomy,
    *,
    agency: str = "",
    rates: RateBook | None = None,
) -> ProjectImport:
    """The projects of an IATI activity file (``name`` names it in messages), with the
    activities quarantined and the values dropped. Themes are checked against ``taxonomy``;
    projects belong to ``agency``; spending in another currency is converted with
    ``rates`` (the importing office's). Raises ``AssistError`` when the file cannot be
    read."""
    root = parse(data, name)
    projects: list[Project] = []
    quarantined: list[ImportProblem] = []
    dropped: list[ImportProblem] = []
    seen: dict[str, int] = {}
    for k, el in enumerate(root.iterchildren("iati-activity"), 1):
        label = clean(text(el.find("iati-identifier")))[:MAX_NAME] or f"#{k}"
        ctx = Activity(name, label, (el.get(XML_LANG) or "en").strip().lower())
        try:
            project = _project(el, ctx, taxonomy, rates, agency)
            if project.identifier in seen:
                first = seen[project.identifier]
                raise Bad(
                    el,
                    f"identifier already used on line {first}",
                    arabic=f"المعرّف مستخدم من قبل في السطر {first}",
                )
        except Bad as bad:
            quarantined.append(ctx.problem(bad.el, bad.reason, bad.arabic))
            continue
        seen[project.identifier] = line(el)
        projects.append(project)
        dropped.extend(ctx.dropped)
    return ProjectImport(tuple(projects), tuple(quarantined), tuple(dropped))
