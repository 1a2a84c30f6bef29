"""What changed between two assessments of the same subject, indicator by indicator.

The earlier assessment's ratings are first carried into the later assessment's instrument
version, step by step along the versions' mappings (1.0 → 2.0 → ...):

- an indicator that is the same, or renamed, keeps its reading; a ``rescale`` re-anchors its
  level (an old 2 that reads as 3 on the new anchors becomes 3);
- each part of a split indicator takes the old reading;
- a merged indicator takes the range of its old parts' levels (lowest to highest) and the
  lowest of their confidences;
- a new indicator has no earlier reading; a removed one is reported on its own.

Then each indicator's later rating is compared with the carried reading, and each difference
gets one kind (``model.ChangeKind``):

- INSTRUMENT: the difference is explained by the instrument alone: the later level equals the
  carried one (or lies within a merged range) after a rename, a re-anchoring, a split or a
  merge; a new indicator rated for the first time; a removed indicator that had been rated.
  It is never change on the ground.
- SIGNIFICANT: the level moved one level or more beyond the carried reading, with at least
  moderate confidence on both sides; CRITICAL: the same, and two levels or more, or reaching
  level 5.
- MINOR: the level moved but a side's confidence is low (or missing).
- CONFIDENCE: the level is the same (as carried), the confidence changed.
- ASSESSED: rated on one side only.

Only the part of a level change not explained by the instrument counts: ``before_level`` of a
change is the carried level, in the later version's anchors, and the explanation says what
the instrument did to the earlier reading. Each explanation is a list of coded sentences
(``Change.reasons``, worded in either language by ``rasid.monitor.wording``); ``explanation``
is their English wording.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from rasid.monitor.errors import MonitorError
from rasid.monitor.instrument import load
from rasid.monitor.model import (
    Assessment,
    Change,
    ChangeKind,
    ChangeSet,
    Confidence,
    Instrument,
    MappingKind,
    Rating,
    Reason,
    Text,
)
from rasid.monitor.wording import sentences

REASONS: dict[str, Text] = {
    # What the instrument did to an earlier reading (the clauses of "change.earlier").
    "step.rescaled": Text(
        "أُعيدت معايرته في الإصدار {version}: المستوى {was} يُقرأ {now}",
        "re-anchored in version {version}: level {was} reads as {now}",
    ),
    "step.merged": Text(
        "دُمج من {old} في الإصدار {version}", "merged from {old} in version {version}"
    ),
    "step.new": Text("جديد في الإصدار {version}", "new in version {version}"),
    "step.renamed": Text(
        "أُعيدت تسميته من {old} في الإصدار {version}", "renamed from {old} in version {version}"
    ),
    "step.split": Text(
        "قُسّم من {old} في الإصدار {version}", "split from {old} in version {version}"
    ),
    "step.removed": Text("حُذف في الإصدار {version}", "removed in version {version}"),
    # The sentences of a change's explanation.
    "change.minor": Text(
        "{indicator}: {direction} المستوى من {before} إلى {after}، لكن الثقة في أحد الطرفين"
        " دون المتوسطة ({before_confidence}، {after_confidence}).",
        "{indicator} {direction} from {before} to {after}, but a side's confidence is below"
        " moderate ({before_confidence}, {after_confidence}).",
    ),
    "change.critical": Text(
        "{indicator}: {direction} المستوى من {before} إلى {after} ({reach}) بثقة متوسطة على"
        " الأقل في الطرفين ({before_confidence}، {after_confidence}).",
        "{indicator} {direction} from {before} to {after} ({reach}) with at least moderate"
        " confidence on both sides ({before_confidence}, {after_confidence}).",
    ),
    "change.significant": Text(
        "{indicator}: {direction} المستوى من {before} إلى {after} بثقة متوسطة على الأقل في"
        " الطرفين ({before_confidence}، {after_confidence}).",
        "{indicator} {direction} from {before} to {after} with at least moderate confidence"
        " on both sides ({before_confidence}, {after_confidence}).",
    ),
    "change.partial": Text(
        "ويعود الباقي إلى الأداة: لا يُحسب تغيّرًا على أرض الواقع إلا هذا الجزء.",
        "The instrument explains the rest: only this part is counted as change on the ground.",
    ),
    "change.earlier": Text("القراءة السابقة: {parts}.", "The earlier reading was {parts}."),
    "change.new": Text(
        "{indicator}: مؤشر جديد في الأداة، ولا قراءة سابقة له للمقارنة.",
        "{indicator} is new in the instrument and has no earlier reading to compare with.",
    ),
    "change.assessed_now": Text(
        "{indicator}: مقيّم الآن ولم يكن مقيّمًا من قبل.", "{indicator} is assessed now, not before."
    ),
    "change.no_longer_assessed": Text(
        "{indicator}: لم يعد مقيّمًا.", "{indicator} is no longer assessed."
    ),
    "change.confidence": Text(
        "{indicator}: باقٍ في المستوى {level}؛ تغيّرت الثقة من {before_confidence}"
        " إلى {after_confidence}.",
        "{indicator} stays at level {level}; confidence went from {before_confidence}"
        " to {after_confidence}.",
    ),
    "change.instrument": Text(
        "{indicator}: في المستوى {level}، وهو ما تعطيه القراءة السابقة أصلًا ({parts}):"
        " تغيّر في الأداة لا على أرض الواقع.",
        "{indicator} reads {level}, which the earlier reading ({parts}) already gives:"
        " a change of instrument, not on the ground.",
    ),
    "change.removed": Text(
        "{indicator}: كان في المستوى {was} لكنه {parts}: لا قراءة لاحقة.",
        "{indicator} was rated {was} but is {parts}: no later reading.",
    ),
}


@dataclass(frozen=True)
class _Reading:
    """The earlier reading of one indicator, carried into a later version."""

    low: int | None  # None: not assessed, or nothing to carry
    high: int | None
    confidence: Confidence | None
    steps: tuple[Reason, ...] = ()  # what the instrument did to it
    new: bool = False  # no counterpart in the earlier version


def _instrument(version: str, extra: Mapping[str, Instrument] | None) -> Instrument:
    if extra is not None and version in extra:
        return extra[version]
    return load(version)


def _chain(before: str, after: str, extra: Mapping[str, Instrument] | None) -> list[Instrument]:
    """The versions after ``before`` up to ``after``, oldest first."""
    chain: list[Instrument] = []
    current = _instrument(after, extra)
    while current.version != before:
        chain.append(current)
        if current.previous is None:
            raise MonitorError(
                f"cannot compare: instrument version {after} does not descend from {before}",
                arabic=f"تتعذّر المقارنة: إصدار الأداة {after} لا يتفرّع من الإصدار {before}",
            )
        current = _instrument(current.previous, extra)
    return list(reversed(chain))


def _step(code: str, version: str, **args: str) -> Reason:
    return Reason(f"step.{code}", {"version": version, **args})


def _rescaled(reading: _Reading, table: Mapping[int, int], version: str) -> _Reading:
    if reading.low is None or reading.high is None or not table:
        return reading
    low, high = table.get(reading.low, reading.low), table.get(reading.high, reading.high)
    if (low, high) == (reading.low, reading.high):
        return reading
    was, now = _span(reading.low, reading.high), _span(low, high)
    step = _step("rescaled", version, was=was, now=now)
    return replace(reading, low=min(low, high), high=max(low, high), steps=(*reading.steps, step))


def _span(low: int | None, high: int | None = None) -> str:
    return str(low) if high is None or high == low else f"{low}-{high}"


def _merge(parts: list[_Reading], names: tuple[str, ...], version: str) -> _Reading:
    rated = [p for p in parts if p.low is not None and p.high is not None]
    step = _step("merged", version, old=", ".join(names))
    steps = (*(s for p in parts for s in p.steps), step)
    if not rated:
        return _Reading(None, None, None, steps)
    confidences = [p.confidence for p in rated]
    lowest = None if None in confidences else min(confidences, key=lambda c: c.rank if c else 0)
    low = min(p.low for p in rated if p.low is not None)
    high = max(p.high for p in rated if p.high is not None)
    return _Reading(low, high, lowest, steps)


def _carry(
    readings: dict[str, _Reading], instrument: Instrument
) -> tuple[dict[str, _Reading], list[tuple[str, _Reading]]]:
    """Carry readings one version forward; also return the removed indicators' readings."""
    entries = {ident: entry for entry in instrument.mapping for ident in entry.new}
    nothing = _Reading(None, None, None)
    carried: dict[str, _Reading] = {}
    v = instrument.version
    for ident in instrument.indicators:
        entry = entries.get(ident)
        if entry is None:
            carried[ident] = readings.get(ident, nothing)
        elif entry.kind is MappingKind.NEW:
            carried[ident] = _Reading(None, None, None, (_step("new", v),), new=True)
        elif entry.kind is MappingKind.MERGED:
            parts = [_rescaled(readings.get(o, nothing), entry.rescale, v) for o in entry.old]
            carried[ident] = _merge(parts, entry.old, v)
        else:
            source = readings.get(entry.old[0], nothing)
            if entry.kind in (MappingKind.RENAMED, MappingKind.SPLIT):
                step = _step(entry.kind.value, v, old=entry.old[0])
                source = replace(source, steps=(*source.steps, step))
            carried[ident] = _rescaled(source, entry.rescale, v)
    removed = [
        (old, replace(readings.get(old, nothing), steps=(_step("removed", v),)))
        for entry in instrument.mapping
        if entry.kind is MappingKind.REMOVED
        for old in entry.old
    ]
    return carried, removed


def _moderate(*confidences: Confidence | None) -> bool:
    return all(c is not None and c.rank >= Confidence.MODERATE.rank for c in confidences)


def _name(confidence: Confidence | None) -> str:
    return confidence.value if confidence is not None else "none"


def _earlier(reading: _Reading) -> tuple[Reason, ...]:
    """The sentence saying what the instrument did to the earlier reading, if anything."""
    return (Reason("change.earlier", parts=reading.steps),) if reading.steps else ()


def _made(
    ident: str,
    kind: ChangeKind,
    levels: tuple[int | None, int | None],
    confidences: tuple[Confidence | None, Confidence | None],
    reasons: tuple[Reason, ...],
) -> Change:
    """A change, its English explanation worded from its reasons."""
    text = sentences(reasons, "en")
    return Change(ident, kind, *levels, *confidences, text, reasons)


def _level_change(ident: str, reading: _Reading, after: Rating) -> Change:
    assert reading.low is not None and reading.high is not None and after.level is not None
    base = reading.high if after.level > reading.high else reading.low
    delta = after.level - base
    args = {
        "indicator": ident,
        "direction": "rose" if delta > 0 else "fell",
        "before": str(base),
        "after": str(after.level),
        "before_confidence": _name(reading.confidence),
        "after_confidence": _name(after.confidence),
    }
    if not _moderate(reading.confidence, after.confidence):
        kind = ChangeKind.MINOR
    elif abs(delta) >= 2 or (after.level == 5 and base < 5):
        kind = ChangeKind.CRITICAL
        args["reach"] = "two_levels" if abs(delta) >= 2 else "level_5"
    else:
        kind = ChangeKind.SIGNIFICANT
    reasons: tuple[Reason, ...] = (Reason(f"change.{kind.value}", args),)
    if reading.steps:
        reasons += (Reason("change.partial"), *_earlier(reading))
    confidences = (reading.confidence, after.confidence)
    return _made(ident, kind, (base, after.level), confidences, reasons)


def _change(ident: str, reading: _Reading, after: Rating | None) -> Change | None:
    level = after.level if after is not None else None
    confidence = after.confidence if after is not None else None
    named = {"indicator": ident}
    if reading.new:
        if level is None:
            return None
        found: tuple[Reason, ...] = (Reason("change.new", named),)
        return _made(ident, ChangeKind.INSTRUMENT, (None, level), (None, confidence), found)
    if reading.low is None and level is None:
        return None
    if reading.low is None or level is None:
        code = "change.assessed_now" if reading.low is None else "change.no_longer_assessed"
        before = reading.low if reading.high == reading.low else None
        found = (Reason(code, named), *_earlier(reading))
        pair = (reading.confidence, confidence)
        return _made(ident, ChangeKind.ASSESSED, (before, level), pair, found)
    assert after is not None and reading.high is not None
    if not reading.low <= level <= reading.high:
        return _level_change(ident, reading, after)
    pair = (reading.confidence, confidence)
    if reading.confidence != confidence:
        args = named | {"level": str(level)}
        args |= {"before_confidence": _name(reading.confidence)}
        args |= {"after_confidence": _name(confidence)}
        found = (Reason("change.confidence", args), *_earlier(reading))
        return _made(ident, ChangeKind.CONFIDENCE, (level, level), pair, found)
    if reading.steps:
        found = (Reason("change.instrument", named | {"level": str(level)}, reading.steps),)
        return _made(ident, ChangeKind.INSTRUMENT, (reading.low, level), pair, found)
    return None


def _removed(ident: str, reading: _Reading) -> Change | None:
    if reading.low is None:
        return None
    args = {"indicator": ident, "was": _span(reading.low, reading.high)}
    found = (Reason("change.removed", args, reading.steps[:1]),)
    pair = (reading.confidence, None)
    return _made(ident, ChangeKind.INSTRUMENT, (reading.low, None), pair, found)


def compare(
    before: Assessment,
    after: Assessment,
    *,
    instruments: Mapping[str, Instrument] | None = None,
) -> ChangeSet:
    """The changes from ``before`` to ``after`` (two assessments of the same subject), each
    with its kind and an explanation. Both instrument versions are loaded with
    ``instrument.load``; ``instruments`` can supply versions not shipped (by version)."""
    if before.subject.id != after.subject.id:
        raise MonitorError(
            f"cannot compare assessments {before.id} and {after.id}: different subjects",
            arabic=f"تتعذّر مقارنة التقييمين {before.id} و{after.id}: موضوعاهما مختلفان",
        )
    readings = {
        ident: _Reading(r.level, r.level, r.confidence if r.level is not None else None)
        for ident, r in before.ratings.items()
    }
    removed: list[tuple[str, _Reading]] = []
    if before.instrument_version == after.instrument_version:
        target = _instrument(after.instrument_version, instruments)
    else:
        chain = _chain(before.instrument_version, after.instrument_version, instruments)
        for version in chain:
            readings, gone = _carry(readings, version)
            removed.extend(gone)
        target = chain[-1]
    nothing = _Reading(None, None, None)
    found = [
        _change(ident, readings.get(ident, nothing), after.ratings.get(ident))
        for ident in target.indicators
    ]
    found.extend(_removed(ident, reading) for ident, reading in removed)
    return ChangeSet(
        before=before.id,
        after=after.id,
        instrument_before=before.instrument_version,
        instrument_after=after.instrument_version,
        changes=tuple(c for c in found if c is not None),
    )
