"""Matching a need with projects and offers: a score from five weighted components, each
with the reason for its value, so that a coordinator sees why a project is proposed. A match
is a proposal; the coordinator accepts or rejects it.

Components and weights (``WEIGHTS``):

- **theme** (.35): the need's theme is one of the project's (1.0); a project theme lies in the
  same area of the toolkit (0.5); the DAC purpose codes nearest the need's theme meet the
  project's DAC codes (0.3); otherwise 0.
- **institution** (.20): the best ``same_institution`` of the need's institution and the
  project's beneficiaries; 0.3 when the project names none.
- **geography** (.20): the need's state is a recipient (1.0 when either region is not stated
  or both are the same, 0.7 for another region of the state); otherwise 0.
- **timing** (.10): the project runs inside the need's window (today until the date it is
  wanted by, or two years); later starts lose a twelfth a month.
- **funding** (.15): the budget left after spending and after the needs already accepted onto
  the project, against the need's estimated cost. A budget in another currency is converted
  into the need's with the need's office's exchange rate on the matching day (the rate, its
  date and its source named in the reason); without a rate it is not compared (0.5).
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache

from rasid.assist.errors import AssistError
from rasid.assist.model import (
    ActivityStatus,
    Area,
    Component,
    Match,
    Need,
    Project,
    Reason,
    Taxonomy,
    Text,
    Theme,
)
from rasid.assist.rates import Conversion, RateBook
from rasid.model.text import normalize_text

__all__ = [
    "REASONS",
    "WEIGHTS",
    "figure",
    "institution_key",
    "rank",
    "same_institution",
    "score",
]

WEIGHTS: dict[str, float] = {
    "theme": 0.35,
    "institution": 0.20,
    "geography": 0.20,
    "timing": 0.10,
    "funding": 0.15,
}
HORIZON_DAYS = 730  # the window when a need does not say by when it is wanted
MONTH_DAYS = 365.25 / 12
CLOSE_JACCARD = 0.5  # shared words at or above which two institution names are close
_ENDED = (ActivityStatus.CLOSED, ActivityStatus.CANCELLED)
# Articles and joining words carry no identity: "Ministry of Interior" and "Ministry of
# Justice" must not be close because both have "of".
_FILLER = frozenset({"the", "a", "an", "al", "el", "of", "and", "for", "و", "في"})
# The Arabic article, alone or after a joined preposition or conjunction (wa-, bi-, fa-, ka-,
# li- which makes "lil-"), when at least two letters are left.
_ARABIC_ARTICLE = re.compile(r"^(?:[وبفك]?ال|لل)(?=..)")

REASONS: dict[str, Text] = {
    "match.theme.exact": Text(
        "يعالج المشروع الموضوع نفسه: {theme} ({label_ar})",
        "The project addresses the same theme: {theme} ({label_en})",
    ),
    "match.theme.area": Text(
        "موضوع المشروع {related} في المجال نفسه ({area_ar}) الذي يقع فيه {theme}",
        "The project's theme {related} is in the same area ({area_en}) as {theme}",
    ),
    "match.theme.dac": Text(
        "لا يشترك المشروع في الموضوع، لكن رموز لجنة المساعدة الإنمائية {codes} مشتركة مع {theme}",
        "No shared theme, but the DAC purpose codes {codes} are shared with {theme}",
    ),
    "match.theme.none": Text(
        "لا صلة بين مواضيع المشروع والموضوع {theme} ({label_ar})",
        "The project's themes are unrelated to {theme} ({label_en})",
    ),
    "match.institution.same": Text(
        "المؤسسة المستفيدة هي نفسها: {beneficiary}",
        "The beneficiary is the same institution: {beneficiary}",
    ),
    "match.institution.close": Text(
        "المؤسسة المستفيدة {beneficiary} قريبة الاسم من {institution}",
        "The beneficiary {beneficiary} has a name close to {institution}",
    ),
    "match.institution.different": Text(
        "المؤسسات المستفيدة ({beneficiaries}) غير {institution}",
        "The beneficiaries ({beneficiaries}) are not {institution}",
    ),
    "match.institution.unstated": Text(
        "لا يذكر المشروع مؤسسات مستفيدة",
        "The project names no beneficiary institution",
    ),
    "match.geography.country": Text(
        "المشروع يشمل الدولة {country}",
        "The project covers the state {country}",
    ),
    "match.geography.region": Text(
        "المشروع في الدولة {country} وفي المنطقة نفسها: {region}",
        "The project is in {country}, in the same region: {region}",
    ),
    "match.geography.other_region": Text(
        "المشروع في الدولة {country} لكن في منطقة أخرى ({project_region} لا {need_region})",
        "The project is in {country} but in another region ({project_region}, not {need_region})",
    ),
    "match.geography.none": Text(
        "لا يشمل المشروع الدولة {country} (بل {countries})",
        "The project does not cover {country} (it covers {countries})",
    ),
    "match.timing.closed": Text(
        "المشروع مغلق أو ملغى",
        "The project is closed or cancelled",
    ),
    "match.timing.ended": Text(
        "انتهى المشروع في {end}",
        "The project ended on {end}",
    ),
    "match.timing.ready": Text(
        "يبدأ المشروع في {start}، قبل الموعد المطلوب {window_end}",
        "The project starts on {start}, within the time wanted (by {window_end})",
    ),
    "match.timing.suspended": Text(
        "المشروع معلّق، وموعده {start} ضمن المدة المطلوبة (حتى {window_end})",
        "The project is suspended; its start {start} is within the time wanted (by {window_end})",
    ),
    "match.timing.late": Text(
        "يبدأ المشروع في {start}، بعد {months} شهرًا من الموعد المطلوب {window_end}",
        "The project starts on {start}, {months} months after the time wanted ({window_end})",
    ),
    "match.timing.late_suspended": Text(
        "المشروع معلّق ويبدأ في {start}، بعد {months} شهرًا من الموعد المطلوب {window_end}",
        "The project is suspended and starts on {start}, {months} months after the time "
        "wanted ({window_end})",
    ),
    "match.funding.unknown": Text(
        "ميزانية المشروع غير معروفة",
        "The project's budget is not known",
    ),
    "match.funding.currency": Text(
        "لا تقارَن الميزانية بالكلفة: المشروع بعملة {project_currency} والحاجة بعملة "
        "{need_currency}",
        "The budget cannot be compared with the cost: the project is in {project_currency}, "
        "the need in {need_currency}",
    ),
    "match.funding.exhausted": Text(
        "لم يبقَ من ميزانية المشروع شيء (المتبقي {remaining} {currency})",
        "Nothing is left of the project's budget ({remaining} {currency} remaining)",
    ),
    "match.funding.enough": Text(
        "المتبقي من الميزانية {remaining} {currency} يغطي الكلفة المقدّرة {cost} {currency}",
        "The {remaining} {currency} left covers the estimated cost of {cost} {currency}",
    ),
    "match.funding.partial": Text(
        "المتبقي من الميزانية {remaining} {currency} يغطي {share}% من الكلفة المقدّرة "
        "{cost} {currency}",
        "The {remaining} {currency} left covers {share}% of the estimated cost of {cost} "
        "{currency}",
    ),
    "match.funding.converted": Text(
        "المتبقي من الميزانية {original} {project_currency} يعادل {remaining} {currency} بسعر "
        "1 {project_currency} = {rate} {currency} (سعر {rate_date}، المصدر: {source})، ويغطي "
        "{share}% من الكلفة المقدّرة {cost} {currency}",
        "The {original} {project_currency} left is {remaining} {currency} at 1 "
        "{project_currency} = {rate} {currency} (rate of {rate_date}, source: {source}), "
        "covering {share}% of the estimated cost of {cost} {currency}",
    ),
    "match.funding.share": Text(
        "كلفة الحاجة غير معروفة؛ بقي {share}% من الميزانية ({remaining} من {budget} {currency})",
        "The need's cost is not known; {share}% of the budget is left ({remaining} of {budget} "
        "{currency})",
    ),
}


def figure(value: float) -> str:
    """An amount for a reason: thousands separated, at most two decimals ("200,000",
    "12.5")."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=65536)
def institution_key(name: str) -> frozenset[str]:
    """The words that identify an institution's name: normalised (case, accents, punctuation,
    Arabic letter forms), without articles and joining words ("the", "al-", the Arabic
    article ``ال`` on a word, also after a joined و ب ف ك or as ``لل``, "of", "and"). Empty
    when nothing is left."""
    words = (_ARABIC_ARTICLE.sub("", w) for w in normalize_text(name).split())
    return frozenset(w for w in words if w not in _FILLER)


def same_institution(a: str, b: str) -> float:
    """Whether two institution names name the same body: 1.0 when their words are the same
    (``institution_key``), 0.6 when they share at least half of all their words (Jaccard; e.g.
    "Financial Intelligence Unit" and "National Financial Intelligence Unit"), 0.0 otherwise
    or when either name is empty.

    Names are compared as written, without translation: the Arabic and the English name of
    the same body do not match ("وحدة التحريات المالية" and "Financial Intelligence Unit"
    score 0.0); record beneficiaries in the language the need uses.
    """
    left, right = institution_key(a), institution_key(b)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    return 0.6 if len(left & right) / len(left | right) >= CLOSE_JACCARD else 0.0


def _component(name: str, value: float, code: str, **args: str) -> Component:
    reason = Reason(code, tuple(args.items()))
    return Component(name, round(value, 4), WEIGHTS[name], reason)


class _Lookup:
    """The taxonomy's themes and areas by code, built once for a ranking."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.themes: dict[str, Theme] = {t.code: t for t in taxonomy.themes}
        self.areas: dict[str, Area] = {a.code: a for a in taxonomy.areas}


@lru_cache(maxsize=4096)
def _region(text: str) -> str:
    return normalize_text(text)


def _theme(need: Need, project: Project, lookup: _Lookup) -> Component:
    theme = lookup.themes.get(need.theme)
    label = theme.label if theme else Text(need.theme, need.theme)
    named = {"theme": need.theme, "label_ar": label.ar, "label_en": label.en}
    if need.theme in project.themes:
        return _component("theme", 1.0, "match.theme.exact", **named)
    if theme is None:
        return _component("theme", 0.0, "match.theme.none", **named)
    related = [c for c in project.themes if (t := lookup.themes.get(c)) and t.area == theme.area]
    if related:
        area = lookup.areas[theme.area].label
        args = {"related": ", ".join(related), "area_ar": area.ar, "area_en": area.en}
        return _component("theme", 0.5, "match.theme.area", theme=need.theme, **args)
    shared = sorted(set(theme.dac) & set(project.dac))
    if shared:
        return _component(
            "theme", 0.3, "match.theme.dac", theme=need.theme, codes=", ".join(shared)
        )
    return _component("theme", 0.0, "match.theme.none", **named)


def _institution(need: Need, project: Project) -> Component:
    if not project.beneficiaries:
        return _component("institution", 0.3, "match.institution.unstated")
    best = max(project.beneficiaries, key=lambda b: same_institution(need.institution, b))
    value = same_institution(need.institution, best)
    if value == 0.0:
        names = "; ".join(project.beneficiaries)
        args = {"institution": need.institution, "beneficiaries": names}
        return _component("institution", 0.0, "match.institution.different", **args)
    code = "match.institution.same" if value == 1.0 else "match.institution.close"
    args = {"institution": need.institution, "beneficiary": best}
    return _component("institution", value, code, **args)


def _geography(need: Need, project: Project) -> Component:
    if need.country not in project.countries:
        countries = ", ".join(project.countries) or "-"
        return _component(
            "geography", 0.0, "match.geography.none", country=need.country, countries=countries
        )
    wanted, offered = _region(need.region), _region(project.region)
    if not wanted or not offered:
        return _component("geography", 1.0, "match.geography.country", country=need.country)
    if wanted == offered:
        return _component(
            "geography", 1.0, "match.geography.region", country=need.country, region=need.region
        )
    args = {"country": need.country, "need_region": need.region, "project_region": project.region}
    return _component("geography", 0.7, "match.geography.other_region", **args)


def _timing(need: Need, project: Project, today: date) -> Component:
    window_end = need.wanted_by or today + timedelta(days=HORIZON_DAYS)
    if project.status in _ENDED:
        return _component("timing", 0.0, "match.timing.closed")
    if project.end is not None and project.end <= today:
        return _component("timing", 0.0, "match.timing.ended", end=project.end.isoformat())
    start = project.start or today
    suspended = project.status is ActivityStatus.SUSPENDED
    factor = 0.5 if suspended else 1.0
    dates = {"start": start.isoformat(), "window_end": window_end.isoformat()}
    if start <= window_end:
        code = "match.timing.suspended" if suspended else "match.timing.ready"
        return _component("timing", factor, code, **dates)
    months = (start - window_end).days / MONTH_DAYS
    code = "match.timing.late_suspended" if suspended else "match.timing.late"
    value = max(0.0, 1.0 - months / 12) * factor
    return _component("timing", value, code, months=f"{months:.1f}", **dates)


def _converted(
    remaining: float, cost: float, need: Need, project: Project, used: Conversion
) -> Component:
    """The funding component when the remaining budget was converted into the need's
    currency."""
    share = min(1.0, used.amount / cost)
    args = {
        "original": figure(remaining),
        "project_currency": project.currency,
        "remaining": figure(used.amount),
        "currency": need.currency,
        "rate": f"{used.factor:.6g}",
        "rate_date": used.rate.on.isoformat(),
        "source": used.rate.source,
        "share": f"{share * 100:.0f}",
        "cost": figure(cost),
    }
    return _component("funding", share, "match.funding.converted", **args)


def _funding(
    need: Need, project: Project, committed: float, today: date, rates: RateBook | None
) -> Component:
    budget = project.budget
    if budget <= 0:
        return _component("funding", 0.5, "match.funding.unknown")
    remaining = budget - project.spent - committed
    money = {"remaining": figure(remaining), "currency": project.currency}
    cost = need.cost if need.cost is not None and need.cost > 0 else None
    if remaining <= 0:
        return _component("funding", 0.0, "match.funding.exhausted", **money)
    if cost is not None and project.currency != need.currency:
        used = (
            rates.conversion(remaining, project.currency, need.currency, today) if rates else None
        )
        if used is not None:
            return _converted(remaining, cost, need, project, used)
        args = {"project_currency": project.currency, "need_currency": need.currency}
        return _component("funding", 0.5, "match.funding.currency", **args)
    if cost is None:
        share = min(1.0, remaining / budget)
        args = {"share": f"{share * 100:.0f}", "budget": figure(budget)}
        return _component("funding", share, "match.funding.share", **money, **args)
    if remaining >= cost:
        return _component("funding", 1.0, "match.funding.enough", cost=figure(cost), **money)
    share = remaining / cost
    args = {"share": f"{share * 100:.0f}", "cost": figure(cost)}
    return _component("funding", share, "match.funding.partial", **money, **args)


def _unstored(project: Project) -> AssistError:
    return AssistError(
        f"project {project.identifier!r} has no id: store it first",
        arabic=f"المشروع {project.identifier!r} بلا رقم: يُحفظ أولًا",
    )


def _score(
    need: Need,
    project: Project,
    lookup: _Lookup,
    today: date,
    committed: float,
    rates: RateBook | None,
) -> Match:
    if need.id is None:
        raise AssistError(
            f"need {need.institution!r} ({need.theme}) has no id: store it first",
            arabic=f"الحاجة {need.institution!r} ({need.theme}) بلا رقم: تُحفظ أولًا",
        )
    if project.id is None:
        raise _unstored(project)
    components = (
        _theme(need, project, lookup),
        _institution(need, project),
        _geography(need, project),
        _timing(need, project, today),
        _funding(need, project, committed, today, rates),
    )
    total = round(sum(c.score * c.weight for c in components), 4)
    return Match(need.id, project.id, total, components)


def score(
    need: Need,
    project: Project,
    taxonomy: Taxonomy,
    *,
    today: date,
    committed: float = 0.0,
    rates: RateBook | None = None,
) -> Match:
    """How well ``project`` may meet ``need`` at ``today``: every component with its reason
    and the weighted sum (rounded to 4 places). ``committed`` is the cost of the needs already
    accepted onto the project, taken from what is left of its budget; ``rates`` (the need's
    office's) convert a budget in another currency. Both records must have been stored
    (have an id)."""
    return _score(need, project, _Lookup(taxonomy), today, committed, rates)


def rank(
    need: Need,
    projects: Iterable[Project],
    taxonomy: Taxonomy,
    *,
    today: date,
    committed: Mapping[int, float] | None = None,
    limit: int = 20,
    minimum: float = 0.05,
    rates: RateBook | None = None,
) -> list[Match]:
    """The projects and offers that may meet ``need``, best first (ties by project id), at
    most ``limit``, none scoring under ``minimum``. Closed and cancelled projects are left
    out, and so are projects in other states: another state's project cannot meet this
    state's need. ``committed`` maps a project id to the cost already accepted onto it;
    ``rates`` convert budgets in other currencies."""
    spent = committed or {}
    lookup = _Lookup(taxonomy)
    found: list[Match] = []
    for project in projects:
        if project.status in _ENDED or need.country not in project.countries:
            continue
        if project.id is None:
            raise _unstored(project)
        match = _score(need, project, lookup, today, spent.get(project.id, 0.0), rates)
        if match.score >= minimum:
            found.append(match)
    found.sort(key=lambda m: (-m.score, m.project))
    return found[: max(limit, 0)]
