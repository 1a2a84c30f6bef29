"""The monitoring instrument: the toolkit's watch points as data, read from YAML and checked.

Each version of the instrument is one file in the package's ``instruments/`` folder
(``nexus-1.0.yml`` ...). A file declares its ``id``, ``version``, ``title``, ``source``, the two
``pillars`` and the ``factors``, each with its ``indicators`` (five anchored levels in Arabic and
English, a direction, a weight, the evidence a rating needs and the subject kinds it applies
to) and, optionally, the ``pillar_weights`` of the overall score (equal when not declared).
A later version names its ``previous`` version and a ``mapping`` from it: renamed, split,
merged, new and removed indicators, each entry optionally re-anchoring levels with
``rescale: {old_level: new_level}``; an id present in both versions without an entry is the
same indicator. Loading is strict: an unknown key, a missing Arabic wording, a level count
other than five, a duplicate id, a weight that is not positive, a factor without indicators or
a mapping that names unknown ids or leaves an indicator unaccounted for is a ``MonitorError``
naming the file and the key path.
"""

import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from rasid.monitor.errors import MonitorError
from rasid.monitor.model import (
    LEVELS,
    Confidence,
    Direction,
    Factor,
    Indicator,
    Instrument,
    MappingKind,
    Pillar,
    Rating,
    SubjectKind,
    Text,
)
from rasid.monitor.model import Mapping as VersionMapping
from rasid.monitor.wording import value

_TOP_KEYS = {"id", "version", "title", "source", "pillars", "factors", "previous", "mapping"}
_TOP_KEYS |= {"pillar_weights"}
_FACTOR_KEYS = {"id", "pillar", "label", "weight", "indicators", "note"}
_INDICATOR_KEYS = {
    "id",
    "label",
    "levels",
    "direction",
    "weight",
    "evidence",
    "applies_to",
    "note",
}
_E = TypeVar("_E", Pillar, Direction, SubjectKind, MappingKind)
_MAPPING_KEYS = {"kind", "old", "new", "note", "rescale"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# How many old and new ids each kind of mapping entry takes: (old min, old max, new min, new max).
_ARITY: dict[MappingKind, tuple[int, int, int, int]] = {
    MappingKind.SAME: (1, 1, 1, 1),
    MappingKind.RENAMED: (1, 1, 1, 1),
    MappingKind.SPLIT: (1, 1, 2, 99),
    MappingKind.MERGED: (2, 99, 1, 1),
    MappingKind.NEW: (0, 0, 1, 99),
    MappingKind.REMOVED: (1, 99, 0, 0),
}


class _Where:
    """The file being read and the key path inside it, for error messages."""

    def __init__(self, file: str, path: str = "") -> None:
        self.file = file
        self.path = path

    def at(self, key: str | int) -> "_Where":
        """The key path one step further down."""
        step = f"[{key}]" if isinstance(key, int) else (f".{key}" if self.path else key)
        return _Where(self.file, self.path + step)

    def error(self, reason: str) -> MonitorError:
        """A MonitorError naming the file and the key path (in English only: the instrument
        files are written by the people who maintain the instrument, not through the UI)."""
        where = f"{self.file}: {self.path}" if self.path else self.file
        return MonitorError(f"{where}: {reason}")


def _mapping(
    value: Any, where: _Where, allowed: set[str], required: Iterable[str]
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise where.error("expected a mapping of keys")
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise where.error(f"unknown key(s): {', '.join(unknown)}")
    for key in required:
        if value.get(key) is None:
            raise where.error(f"missing key '{key}'")
    return value


def _string(value: Any, where: _Where) -> str:
    if (
        not isinstance(value, str | int | float)
        or isinstance(value, bool)
        or not str(value).strip()
    ):
        raise where.error("expected a non-empty text")
    return str(value).strip()


def _text(value: Any, where: _Where) -> Text:
    data = _mapping(value, where, {"ar", "en"}, ())
    if not isinstance(data.get("ar"), str) or not data["ar"].strip():
        raise where.at("ar").error("missing Arabic wording")
    if not isinstance(data.get("en"), str) or not data["en"].strip():
        raise where.at("en").error("missing English wording")
    return Text(ar=data["ar"].strip(), en=data["en"].strip())


def _weight(value: Any, where: _Where) -> float:
    if value is None:
        return 1.0
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise where.error(f"weight must be a number above 0, not {value!r}")
    return float(value)


def _choice(kind: type[_E], value: Any, where: _Where) -> _E:
    try:
        return kind(value)
    except ValueError:
        options = ", ".join(e.value for e in kind)
        raise where.error(f"unknown value {value!r} (expected one of {options})") from None


def _ids(value: Any, where: _Where) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(_string(item, where.at(i)) for i, item in enumerate(items))


def _indicator(data: Any, factor: str, where: _Where) -> Indicator:
    required = ("id", "label", "levels", "direction", "evidence", "applies_to")
    d = _mapping(data, where, _INDICATOR_KEYS, required)
    ident = _string(d["id"], where.at("id"))
    prefix, _, short = ident.partition(".")
    if prefix != factor or not _ID.match(short):
        raise where.at("id").error(f"indicator id {ident!r} must read '{factor}.<short_name>'")
    levels = d["levels"]
    if not isinstance(levels, list) or len(levels) != len(LEVELS):
        count = len(levels) if isinstance(levels, list) else 0
        raise where.at("levels").error(f"expected exactly 5 anchored levels, found {count}")
    kinds = d["applies_to"] if isinstance(d["applies_to"], list) else [d["applies_to"]]
    if not kinds:
        raise where.at("applies_to").error("names no subject kind")
    return Indicator(
        id=ident,
        factor=factor,
        label=_text(d["label"], where.at("label")),
        levels=tuple(_text(x, where.at("levels").at(i)) for i, x in enumerate(levels)),
        direction=_choice(Direction, d["direction"], where.at("direction")),
        weight=_weight(d.get("weight"), where.at("weight")),
        evidence=_text(d["evidence"], where.at("evidence")),
        applies_to=tuple(
            _choice(SubjectKind, k, where.at("applies_to").at(i)) for i, k in enumerate(kinds)
        ),
        note=str(d.get("note") or "").strip(),
    )


def _factor(data: Any, where: _Where, seen: dict[str, Indicator]) -> Factor:
    d = _mapping(data, where, _FACTOR_KEYS, ("id", "pillar", "label"))
    ident = _string(d["id"], where.at("id"))
    if not _ID.match(ident):
        raise where.at("id").error(f"factor id {ident!r} must be lower case letters and _")
    items = d.get("indicators")
    if not isinstance(items, list) or not items:
        raise where.at("indicators").error(f"factor {ident!r} has no indicators")
    ids = []
    for i, item in enumerate(items):
        indicator = _indicator(item, ident, where.at("indicators").at(i))
        if indicator.id in seen:
            raise where.at("indicators").at(i).error(f"duplicate indicator id {indicator.id!r}")
        seen[indicator.id] = indicator
        ids.append(indicator.id)
    return Factor(
        id=ident,
        pillar=_choice(Pillar, d["pillar"], where.at("pillar")),
        label=_text(d["label"], where.at("label")),
        weight=_weight(d.get("weight"), where.at("weight")),
        indicators=tuple(ids),
        note=str(d.get("note") or "").strip(),
    )


def _rescale(value: Any, where: _Where) -> dict[int, int]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise where.error("expected a mapping {old_level: new_level}")
    out = {}
    for old, new in value.items():
        if old not in LEVELS or new not in LEVELS or isinstance(old, bool) or isinstance(new, bool):
            raise where.error(f"levels must be 1..5, not {old!r}: {new!r}")
        out[int(old)] = int(new)
    return out


def _entry(data: Any, where: _Where) -> VersionMapping:
    d = _mapping(data, where, _MAPPING_KEYS, ("kind",))
    kind = _choice(MappingKind, d["kind"], where.at("kind"))
    old, new = _ids(d.get("old"), where.at("old")), _ids(d.get("new"), where.at("new"))
    lo_old, hi_old, lo_new, hi_new = _ARITY[kind]
    if not lo_old <= len(old) <= hi_old or not lo_new <= len(new) <= hi_new:
        raise where.error(
            f"a '{kind.value}' entry takes {lo_old}-{hi_old} old and {lo_new}-{hi_new} new ids,"
            f" not {len(old)} and {len(new)}"
        )
    if kind is MappingKind.SAME and old != new:
        raise where.error("a 'same' entry names one id present in both versions")
    rescale = _rescale(d.get("rescale"), where.at("rescale"))
    if rescale and kind in (MappingKind.NEW, MappingKind.REMOVED):
        raise where.at("rescale").error(f"a '{kind.value}' entry has no levels to re-anchor")
    return VersionMapping(kind, old, new, str(d.get("note") or "").strip(), rescale)


def _check_mapping(
    entries: tuple[VersionMapping, ...], old: Instrument, new: Mapping[str, Indicator], w: _Where
) -> None:
    """Every id named exists on its side, none twice, and every indicator of both versions
    is accounted for (an id in both versions without an entry counts as the same)."""
    old_seen: set[str] = set()
    new_seen: set[str] = set()
    for i, entry in enumerate(entries):
        for ident in entry.old:
            if ident not in old.indicators:
                raise w.at(i).at("old").error(f"{ident!r} is not in version {old.version}")
            if ident in old_seen:
                raise w.at(i).at("old").error(f"{ident!r} is mapped twice")
            old_seen.add(ident)
        for ident in entry.new:
            if ident not in new:
                raise w.at(i).at("new").error(f"{ident!r} is not in this version")
            if ident in new_seen:
                raise w.at(i).at("new").error(f"{ident!r} is mapped twice")
            new_seen.add(ident)
    for ident in old.indicators:
        if ident not in old_seen and ident not in new:
            raise w.error(f"indicator {ident!r} of version {old.version} is unaccounted for")
    for ident in new:
        if ident not in new_seen and ident not in old.indicators:
            raise w.error(f"indicator {ident!r} is not in version {old.version} and not mapped")


def _pillar_weights(
    value: Any, where: _Where, pillars: Mapping[Pillar, Text]
) -> dict[Pillar, float]:
    """The pillars' weights in the overall score: each a number above 0, for a declared
    pillar; a pillar not named weighs 1 (none named: the pillars weigh the same)."""
    if value is None:
        return {}
    data = _mapping(value, where, {p.value for p in Pillar}, ())
    found = {}
    for key, weight in data.items():
        pillar = Pillar(key)
        if pillar not in pillars:
            raise where.at(key).error(f"pillar {key!r} not declared")
        found[pillar] = _weight(weight, where.at(key))
    return found


def _instrument(data: Any, where: _Where, folder: Path | None) -> Instrument:
    d = _mapping(data, where, _TOP_KEYS, ("id", "version", "title", "source", "pillars"))
    pillars_in = _mapping(d["pillars"], where.at("pillars"), {p.value for p in Pillar}, ())
    pillars = {Pillar(k): _text(v, where.at("pillars").at(k)) for k, v in pillars_in.items()}
    factors_in = d.get("factors")
    if not isinstance(factors_in, list) or not factors_in:
        raise where.at("factors").error("no factors declared")
    indicators: dict[str, Indicator] = {}
    factors = tuple(
        _factor(f, where.at("factors").at(i), indicators) for i, f in enumerate(factors_in)
    )
    if len({f.id for f in factors}) != len(factors):
        raise where.at("factors").error("duplicate factor id")
    for i, factor in enumerate(factors):
        if factor.pillar not in pillars:
            raise where.at("factors").at(i).error(f"pillar {factor.pillar.value!r} not declared")
    previous = None if d.get("previous") is None else _string(d["previous"], where.at("previous"))
    entries_in = d.get("mapping") or []
    if entries_in and previous is None:
        raise where.at("mapping").error("a mapping needs a 'previous' version")
    if not isinstance(entries_in, list):
        raise where.at("mapping").error("expected a list of entries")
    entries = tuple(_entry(e, where.at("mapping").at(i)) for i, e in enumerate(entries_in))
    version = _string(d["version"], where.at("version"))
    if previous is not None:
        if previous == version:
            raise where.at("previous").error("a version cannot map from itself")
        before = _find(previous, folder, where.at("previous"))
        _check_mapping(entries, before, indicators, where.at("mapping"))
    return Instrument(
        id=_string(d["id"], where.at("id")),
        version=version,
        title=_text(d["title"], where.at("title")),
        source=_string(d["source"], where.at("source")),
        pillars=pillars,
        factors=factors,
        indicators=indicators,
        previous=previous,
        mapping=entries,
        pillar_weights=_pillar_weights(
            d.get("pillar_weights"), where.at("pillar_weights"), pillars
        ),
    )


def _read(path: Path, folder: Path | None) -> Instrument:
    where = _Where(path.name)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise where.error(f"cannot read the file ({exc.strerror or exc})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise where.error(f"not valid YAML: {exc}") from None
    return _instrument(data, where, folder)


def _find(version: str, folder: Path | None, where: _Where) -> Instrument:
    """A version from ``folder`` (a file beside the one being read) or else the package."""
    if folder is not None:
        for candidate in sorted(folder.glob("*.yml")):
            if _declared_version(candidate) == version:
                return _read(candidate, folder)
    if version in _package_files():
        return load(version)
    raise where.error(f"version {version!r} not found")


def _declared_version(path: Path) -> str | None:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    return str(data.get("version")) if isinstance(data, dict) else None


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


@cache
def _package_files() -> dict[str, Path]:
    folder = resources.files("rasid.monitor").joinpath("instruments")
    found: dict[str, Path] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".yml"):
            path = Path(str(entry))
            version = _declared_version(path)
            if version is not None:
                found[version] = path
    return found


def versions() -> list[str]:
    """The instrument versions shipped in the package, oldest first."""
    return sorted(_package_files(), key=_version_key)


def load(version: str | None = None) -> Instrument:
    """A shipped version of the instrument (None: the current one, the highest), validated
    and cached."""
    chosen = version if version is not None else versions()[-1]
    if chosen not in _package_files():
        known = ", ".join(versions())
        raise MonitorError(
            f"unknown instrument version {chosen!r} (known: {known})",
            arabic=f"إصدار الأداة {chosen!r} غير معروف (الإصدارات المعروفة: {known})",
        )
    return _load(chosen)


@cache
def _load(version: str) -> Instrument:
    return _read(_package_files()[version], None)


def load_file(path: Path) -> Instrument:
    """An instrument read from a file outside the package (a later version in preparation, a
    test version), validated; its ``previous`` version is looked for beside it first, then in
    the package."""
    return _read(path, path.parent)


def applicable(instrument: Instrument, kind: SubjectKind) -> list[Indicator]:
    """The indicators rated for a subject of this kind, in the instrument's order."""
    return [i for i in instrument.indicators.values() if kind in i.applies_to]


def check_rating(instrument: Instrument, kind: SubjectKind, rating: Rating) -> None:
    """Refuse a rating the instrument does not allow, with a MonitorError naming the indicator
    and the reason: an unknown or inapplicable indicator, a level outside 1..5, a level
    without a confidence, "not assessed" without a reason, a high confidence without any
    evidence, an evidence item without a reference."""
    name = rating.indicator
    indicator = instrument.indicators.get(name)
    if indicator is None:
        raise MonitorError(
            f"{name}: no such indicator in instrument {instrument.version}",
            arabic=f"{name}: لا يوجد هذا المؤشر في الإصدار {instrument.version} من الأداة",
        )
    if kind not in indicator.applies_to:
        raise MonitorError(
            f"{name}: does not apply to a subject of kind '{kind.value}'",
            arabic=f"{name}: لا ينطبق على موضوع من نوع {value('kind', kind.value).ar}",
        )
    _check_level(name, rating)
    if rating.confidence is Confidence.HIGH and not rating.evidence:
        raise MonitorError(
            f"{name}: high confidence needs at least one evidence item",
            arabic=f"{name}: الثقة العالية تحتاج إلى دليل واحد على الأقل",
        )
    for i, item in enumerate(rating.evidence, start=1):
        if not item.reference.strip():
            raise MonitorError(
                f"{name}: evidence item {i} has no reference",
                arabic=f"{name}: الدليل {i} بلا مرجع",
            )


def _check_level(name: str, rating: Rating) -> None:
    """A level 1..5 with a confidence, or not assessed with a reason."""
    if rating.level is None:
        if not rating.reason.strip():
            raise MonitorError(
                f"{name}: 'not assessed' needs a reason",
                arabic=f"{name}: «غير مقيّم» يحتاج إلى سبب",
            )
    elif isinstance(rating.level, bool) or rating.level not in LEVELS:
        raise MonitorError(
            f"{name}: level must be 1 to 5, not {rating.level!r}",
            arabic=f"{name}: المستوى من 1 إلى 5، لا {rating.level!r}",
        )
    elif rating.confidence is None:
        raise MonitorError(
            f"{name}: a level needs a confidence (low, moderate or high)",
            arabic=f"{name}: المستوى يحتاج إلى درجة ثقة (منخفضة أو متوسطة أو عالية)",
        )
