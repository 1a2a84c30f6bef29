"""Manifestation suggestion: declared rules over ratings and store facts, never a learned model.

Each manifestation of the nexus has a profile in ``manifestations.yml``: weighted signals of
four kinds (an indicator at or above a level with at least moderate confidence; an indicator
that rose since the previous approved assessment; a shift of several indicators across the
two assessments; a fact the store holds on a group). ``suggest`` scores each profile by the
share of its weight whose signals are met and ranks them, every signal with a reason saying
what met it or what is missing (a code worded in either language by ``rasid.monitor.wording``;
``detail`` is its English wording). Signals on indicators that do not apply to the subject (or
that its instrument version lacks), and facts for subjects that are not groups, are left out;
a profile left with nothing is not ranked. When too few of the indicators the profiles use
are assessed, the answer is "insufficient evidence" with the reason; when the top two are
within the declared margin, the answer says it is ambiguous. The analyst's judgement is
recorded apart, with a likelihood and a confidence.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from rasid.monitor.changes import compare
from rasid.monitor.errors import MonitorError
from rasid.monitor.instrument import load
from rasid.monitor.model import (
    Assessment,
    Change,
    ChangeKind,
    Confidence,
    GroupFacts,
    Instrument,
    Manifestation,
    Reason,
    Signal,
    SubjectKind,
    Suggestion,
    Suggestions,
    Text,
)
from rasid.monitor.wording import say

_FACTS = {
    "nexus_bridge": "a nexus bridge found by link analysis",
    "criminal_and_terrorist": "the group in criminal data and on a terrorism list",
}
_SIGNAL_KEYS = {"id", "kind", "label", "weight", "indicator", "at_least", "by", "indicators"}
_SIGNAL_KEYS |= {"min", "fact"}

REASONS: dict[str, Text] = {
    "signal.level.unassessed": Text(
        "{indicator}: غير مقيّم؛ المطلوب {needed} فأكثر",
        "{indicator} not assessed; {needed} or more needed",
    ),
    "signal.level.low": Text(
        "{indicator}: في المستوى {level}؛ المطلوب {needed} فأكثر",
        "{indicator} rated {level}; {needed} or more needed",
    ),
    "signal.level.unsure": Text(
        "{indicator}: في المستوى {level} لكن بثقة {confidence}",
        "{indicator} rated {level} but with {confidence} confidence",
    ),
    "signal.level.met": Text(
        "{indicator}: في المستوى {level} بثقة {confidence}",
        "{indicator} rated {level} with {confidence} confidence",
    ),
    "signal.no_previous": Text(
        "لا تقييم سابق معتمد للمقارنة", "no previous approved assessment to compare with"
    ),
    "signal.rise.none": Text(
        "{indicator}: لا تغيّر على أرض الواقع بثقة متوسطة على الأقل",
        "{indicator}: no change on the ground with at least moderate confidence",
    ),
    "signal.rise.met": Text(
        "{indicator}: انتقل من {before} إلى {after}", "{indicator} went from {before} to {after}"
    ),
    "signal.rise.short": Text(
        "{indicator}: انتقل من {before} إلى {after}؛ المطلوب ارتفاع بمقدار {needed} فأكثر",
        "{indicator} went from {before} to {after}; a rise of {needed} or more needed",
    ),
    "signal.shift": Text(
        "ارتفع {risen} من {count}، والمطلوب {needed}", "{risen} of {count} rose, {needed} needed"
    ),
    "signal.shift.parts": Text(
        "ارتفع {risen} من {count}، والمطلوب {needed}: {parts}",
        "{risen} of {count} rose, {needed} needed: {parts}",
    ),
    "signal.no_facts": Text(
        "لا معلومات في المخزن عن هذه الجماعة", "no facts from the store on this group"
    ),
    "signal.no_bridge": Text(
        "لم يكشف تحليل الروابط أي جسر ترابط", "no nexus bridge found by link analysis"
    ),
    "signal.bridges": Text(
        "كشف تحليل الروابط {count} من جسور الترابط", "{count} nexus bridge(s) found"
    ),
    "signal.bridges.parts": Text(
        "كشف تحليل الروابط {count} من جسور الترابط: {parts}",
        "{count} nexus bridge(s) found: {parts}",
    ),
    "signal.both_lists": Text(
        "في بيانات إجرامية وعلى قائمة إرهاب ({datasets})",
        "in criminal data and on a terrorism list ({datasets})",
    ),
    "signal.neither_list": Text(
        "ليست في بيانات إجرامية ولا على قائمة إرهاب",
        "in neither criminal data nor a terrorism list",
    ),
    "signal.only_criminal": Text(
        "في بيانات إجرامية فقط ({datasets})", "only in criminal data ({datasets})"
    ),
    "signal.only_terrorism": Text(
        "على قائمة إرهاب فقط ({datasets})", "only in a terrorism list ({datasets})"
    ),
    "suggest.insufficient": Text(
        "أدلة غير كافية: قُيّم {assessed} من أصل {used} مؤشرًا تستخدمها ملامح المظاهر ({share})،"
        " وهذا دون الحد الأدنى البالغ {minimum}",
        "insufficient evidence: {assessed} of the {used} indicators the manifestation"
        " profiles use are assessed ({share}), below the minimum of {minimum}",
    ),
    "suggest.ambiguous": Text(
        "ملتبس: الفارق بين {first} و{second} لا يتجاوز {margin}",
        "ambiguous: {first} and {second} are within {margin} of each other",
    ),
}
Met = tuple[bool, Reason]  # whether a signal is met, and why


@dataclass(frozen=True)
class Rule:
    """One declared signal of a profile."""

    id: str
    kind: str  # level, rise, shift, fact
    label: Text
    weight: float
    indicators: tuple[str, ...] = ()  # one for level and rise, several for shift
    threshold: int = 1  # at_least (level), by (rise), min (shift)
    fact: str = ""


@dataclass(frozen=True)
class Profile:
    """A manifestation's label and signals."""

    manifestation: Manifestation
    label: Text
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Profiles:
    """Every profile, with the minimum coverage and the ambiguity margin."""

    minimum_coverage: float
    margin: float
    profiles: tuple[Profile, ...]


def _fail(where: str, reason: str) -> MonitorError:
    # English only: the profiles file ships with the package; no user writes it.
    return MonitorError(f"manifestations.yml: {where}: {reason}")


def _text(value: Any, where: str) -> Text:
    if not isinstance(value, dict) or not value.get("ar") or not value.get("en"):
        raise _fail(where, "a label needs both 'ar' and 'en'")
    return Text(str(value["ar"]), str(value["en"]))


def _number(value: Any, where: str, low: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < low:
        raise _fail(where, f"expected a number of at least {low}, not {value!r}")
    return float(value)


def _rule(data: Any, where: str) -> Rule:
    if not isinstance(data, dict) or set(data) - _SIGNAL_KEYS:
        raise _fail(where, f"unknown keys {sorted(set(data) - _SIGNAL_KEYS)}")
    kind, ident = data.get("kind"), str(data.get("id") or "")
    label, weight = _text(data.get("label"), where), _number(data.get("weight"), where, 0.01)
    if not ident:
        raise _fail(where, "a signal needs an id")
    if kind == "fact":
        if data.get("fact") not in _FACTS:
            raise _fail(where, f"unknown fact {data.get('fact')!r}")
        return Rule(ident, kind, label, weight, fact=str(data["fact"]))
    if kind == "shift":
        ids = data.get("indicators")
        if not isinstance(ids, list) or not ids:
            raise _fail(where, "a shift needs a list of indicators")
        count = int(_number(data.get("min", 1), where, 1))
        return Rule(ident, kind, label, weight, tuple(map(str, ids)), count)
    if kind not in ("level", "rise") or not data.get("indicator"):
        raise _fail(where, "expected kind level, rise, shift or fact, with its indicator")
    key = "at_least" if kind == "level" else "by"
    count = int(_number(data.get(key), where, 1))
    return Rule(ident, kind, label, weight, (str(data["indicator"]),), count)


@cache
def profiles() -> Profiles:
    """The declared profiles, read from the package and checked."""
    text = resources.files("rasid.monitor").joinpath("manifestations.yml").read_text("utf-8")
    data = yaml.safe_load(text)
    out = []
    for name, body in (data.get("manifestations") or {}).items():
        try:
            manifestation = Manifestation(name)
        except ValueError:
            raise _fail(name, "not a manifestation") from None
        signals = body.get("signals") or []
        rules = tuple(_rule(s, f"{name}.signals[{i}]") for i, s in enumerate(signals))
        out.append(Profile(manifestation, _text(body.get("label"), name), rules))
    return Profiles(
        minimum_coverage=_number(data.get("minimum_coverage"), "minimum_coverage", 0),
        margin=_number(data.get("margin"), "margin", 0),
        profiles=tuple(out),
    )


def _usable(rule: Rule, kind: SubjectKind, rated: set[str]) -> Rule | None:
    """The rule as it applies to the subject, or None when it does not apply at all."""
    if rule.kind == "fact":
        return rule if kind is SubjectKind.GROUP else None
    ids = tuple(i for i in rule.indicators if i in rated)
    if not ids:
        return None
    return Rule(rule.id, rule.kind, rule.label, rule.weight, ids, rule.threshold, rule.fact)


def _level(rule: Rule, assessment: Assessment) -> Met:
    ident = rule.indicators[0]
    rating = assessment.ratings.get(ident)
    args = {"indicator": ident, "needed": str(rule.threshold)}
    if rating is None or rating.level is None:
        return False, Reason("signal.level.unassessed", args)
    args |= {"level": str(rating.level)}
    if rating.level < rule.threshold:
        return False, Reason("signal.level.low", args)
    args |= {"confidence": rating.confidence.value if rating.confidence else "no"}
    if rating.confidence is None or rating.confidence.rank < Confidence.MODERATE.rank:
        return False, Reason("signal.level.unsure", args)
    return True, Reason("signal.level.met", args)


def _rise(ident: str, changes: Mapping[str, Change] | None, by: int) -> Met:
    if changes is None:
        return False, Reason("signal.no_previous")
    change = changes.get(ident)
    real = (ChangeKind.SIGNIFICANT, ChangeKind.CRITICAL)
    if change is None or change.kind not in real:
        return False, Reason("signal.rise.none", {"indicator": ident})
    assert change.before_level is not None and change.after_level is not None
    rise = change.after_level - change.before_level
    args = {"indicator": ident, "before": str(change.before_level)}
    args |= {"after": str(change.after_level), "needed": str(by)}
    return rise >= by, Reason("signal.rise.met" if rise >= by else "signal.rise.short", args)


def _shift(rule: Rule, changes: Mapping[str, Change] | None) -> Met:
    if changes is None:
        return False, Reason("signal.no_previous")
    found = [_rise(i, changes, 1) for i in rule.indicators]
    risen = tuple(why for met, why in found if met)
    args = {"risen": str(len(risen)), "count": str(len(rule.indicators))}
    args |= {"needed": str(rule.threshold)}
    code = "signal.shift.parts" if risen else "signal.shift"
    return len(risen) >= rule.threshold, Reason(code, args, risen)


def _fact(rule: Rule, facts: GroupFacts | None) -> Met:
    if facts is None:
        return False, Reason("signal.no_facts")
    if rule.fact == "nexus_bridge":
        if facts.nexus_bridges < 1:
            return False, Reason("signal.no_bridge")
        code = "signal.bridges.parts" if facts.bridge_evidence else "signal.bridges"
        return True, Reason(code, {"count": str(facts.nexus_bridges)}, facts.bridge_evidence)
    where = {"datasets": ", ".join(facts.datasets)}
    if facts.in_criminal_data and facts.on_terrorism_list:
        return True, Reason("signal.both_lists", where)
    if facts.in_criminal_data:
        return False, Reason("signal.only_criminal", where)
    if facts.on_terrorism_list:
        return False, Reason("signal.only_terrorism", where)
    return False, Reason("signal.neither_list")


def _signal(
    rule: Rule,
    assessment: Assessment,
    changes: Mapping[str, Change] | None,
    facts: GroupFacts | None,
) -> Signal:
    if rule.kind == "level":
        matched, why = _level(rule, assessment)
    elif rule.kind == "rise":
        matched, why = _rise(rule.indicators[0], changes, rule.threshold)
    elif rule.kind == "shift":
        matched, why = _shift(rule, changes)
    else:
        matched, why = _fact(rule, facts)
    return Signal(rule.id, rule.label, rule.weight, matched, say(why, "en"), why)


def _coverage(rules: list[Rule], assessment: Assessment) -> tuple[int, int]:
    used = {i for rule in rules for i in rule.indicators}
    assessed = sum(
        1 for i in used if (r := assessment.ratings.get(i)) is not None and r.level is not None
    )
    return assessed, len(used)


def suggest(
    assessment: Assessment,
    previous: Assessment | None,
    facts: GroupFacts | None,
    *,
    instruments: Mapping[str, Instrument] | None = None,
) -> Suggestions:
    """The manifestations ranked by the share of their profile met in ``assessment`` (with
    ``previous``, the subject's previous approved assessment, for rises and shifts, and
    ``facts`` from the store for a group), or ``insufficient`` with the reason."""
    version = assessment.instrument_version
    instrument = (instruments or {}).get(version) or load(version)
    kind = assessment.subject.kind
    rated = {i.id for i in instrument.indicators.values() if kind in i.applies_to}
    declared = profiles()
    usable = {
        p.manifestation: [r for rule in p.rules if (r := _usable(rule, kind, rated)) is not None]
        for p in declared.profiles
    }
    assessed, used = _coverage([r for rules in usable.values() for r in rules], assessment)
    share = assessed / used if used else 0.0
    if share < declared.minimum_coverage:
        args = {"assessed": str(assessed), "used": str(used), "share": f"{share:.0%}"}
        args |= {"minimum": f"{declared.minimum_coverage:.0%}"}
        why = Reason("suggest.insufficient", args)
        return Suggestions((), insufficient=True, reason=say(why, "en"), why=why)
    changes = None
    if previous is not None:
        changeset = compare(previous, assessment, instruments=instruments)
        changes = {c.indicator: c for c in changeset.changes}
    ranked = []
    for manifestation, rules in usable.items():
        if not rules:
            continue
        signals = [_signal(r, assessment, changes, facts) for r in rules]
        total = sum(s.weight for s in signals)
        met = sum(s.weight for s in signals if s.matched)
        ranked.append(
            Suggestion(
                manifestation,
                met / total,
                tuple(s for s in signals if s.matched),
                tuple(s for s in signals if not s.matched),
            )
        )
    ranked.sort(key=lambda s: -s.score)  # stable: ties keep the declared order
    close = len(ranked) > 1 and ranked[0].score > 0
    ambiguous = close and ranked[0].score - ranked[1].score <= declared.margin + 1e-9
    if not ambiguous:
        return Suggestions(tuple(ranked))
    args = {"first": ranked[0].manifestation.value, "second": ranked[1].manifestation.value}
    why = Reason("suggest.ambiguous", args | {"margin": f"{declared.margin:.0%}"})
    return Suggestions(tuple(ranked), reason=say(why, "en"), ambiguous=True, why=why)
