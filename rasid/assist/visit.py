"""A visit's findings from one YAML file: the source document (a visit report or a
consultation), the needs found with their target parameters, and the roadmap that follows,
with steps linked to the needs by key. ``rasid assist visit FILE`` and the demo load it;
everything is written in the caller's transaction, so a file loads whole or not at all.

```yaml
document:          # optional
  kind: visit      # visit | consultation | other
  country: ZZ
  title: ...
  date: 2026-03-10
  marking: TLP:AMBER
  release: partial # none | partial | full
  released_to: ["*"]
  summary: ...
  body: ...
needs:
  - key: fiu-analysis          # to link steps to it
    institution: Financial Intelligence Unit
    theme: gp-21
    gap: ...
    baseline: ...
    priority: high             # high | medium | low
    region: ""                 # optional
    cost: 250000               # optional, with currency (default USD)
    wanted_by: 2027-06-30      # optional
    marking: TLP:GREEN
    released_to: ["*"]
    targets:
      - {title: ..., ascending: false, baseline: 30, baseline_date: 2026-03-01,
         target: 10, target_date: 2028-03-01, measure: unit}
roadmap:           # optional
  requirement: gp-09
  title: ...
  marking: TLP:GREEN
  released_to: ["*"]
  steps:
    - {title: ..., recommendation: ..., institution: ..., due: 2027-01-31,
       needs: [fiu-analysis], themes: [gp-21]}
```

Errors name the file and the entry (``visit.yml: needs[2].targets[0]: ...``).
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection

from rasid.access.policy import Principal
from rasid.assist import documents, roadmaps
from rasid.assist import needs as needs_mod
from rasid.assist.errors import AssistError
from rasid.assist.model import (
    Document,
    DocumentKind,
    Indicator,
    Need,
    Priority,
    Release,
    Roadmap,
)
from rasid.assist.taxonomy import checked_mapping, yaml_place
from rasid.model.errors import ModelError
from rasid.model.markings import Marking

_DOCUMENT = {"kind", "country", "title", "date", "marking", "release", "released_to"}
_DOCUMENT_ALL = _DOCUMENT | {"summary", "body"}
_NEED = {"key", "institution", "theme", "gap", "priority", "marking"}
_NEED_ALL = _NEED | {
    "country",
    "baseline",
    "region",
    "cost",
    "currency",
    "wanted_by",
    "released_to",
    "targets",
}
_TARGET = {"title", "baseline", "baseline_date", "target", "target_date"}
_TARGET_ALL = _TARGET | {"ascending", "measure"}
_ROADMAP = {"requirement", "title", "marking", "steps"}
_ROADMAP_ALL = _ROADMAP | {"country", "released_to"}
_STEP = {"title", "recommendation", "institution"}
_STEP_ALL = _STEP | {"due", "needs", "themes"}


@dataclass(frozen=True)
class Loaded:
    """What a visit file recorded."""

    document: Document | None
    needs: dict[str, Need]  # by key
    roadmap: Roadmap | None


def _date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise AssistError(
            f"{where}: {value!r} is not a date (YYYY-MM-DD)",
            arabic=f"{where}: {value!r} ليس تاريخًا (سنة-شهر-يوم YYYY-MM-DD)",
        ) from exc


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AssistError(
            f"{where}: {value!r} is not a number", arabic=f"{where}: {value!r} ليس رقمًا"
        )
    return float(value)


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise AssistError(f"{where}: expected a list", arabic=f"{where}: المتوقع هنا قائمة")
    return value


def _marking(value: Any, where: str) -> Marking:
    try:
        return Marking.parse(str(value))
    except ModelError as exc:
        choices = ", ".join(m.value for m in Marking)
        raise AssistError(
            f"{where}: {exc}", arabic=f"{where}: وسم TLP غير معروف {value!r} (المعروف: {choices})"
        ) from exc


def _choice(kind: type[Any], value: Any, where: str) -> Any:
    try:
        return kind(str(value))
    except ValueError as exc:
        choices = ", ".join(str(c.value) for c in kind)
        raise AssistError(
            f"{where}: {value!r} is not one of {choices}",
            arabic=f"{where}: {value!r} ليس من القيم المقبولة ({choices})",
        ) from exc


def _target(raw: Any, where: str) -> Indicator:
    entry = checked_mapping(raw, where, _TARGET_ALL, _TARGET)
    return Indicator(
        id=None,
        title=str(entry["title"]),
        ascending=bool(entry.get("ascending", True)),
        baseline=_number(entry["baseline"], f"{where}.baseline"),
        baseline_date=_date(entry["baseline_date"], f"{where}.baseline_date"),
        target=_number(entry["target"], f"{where}.target"),
        target_date=_date(entry["target_date"], f"{where}.target_date"),
        measure=str(entry.get("measure", "unit")),
    )


def _at(where: str, call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a store call, naming the entry in its error."""
    try:
        return call(*args, **kwargs)
    except AssistError as exc:
        raise AssistError(f"{where}: {exc}", arabic=f"{where}: {exc.worded('ar')}") from exc


def load(conn: Connection, principal: Principal, data: Any, file: str) -> Loaded:
    """Record a visit's document, needs and roadmap from a parsed YAML document."""
    top = checked_mapping(data, file, {"document", "needs", "roadmap"}, {"needs"})
    document = None
    country: str | None = None
    if top.get("document") is not None:
        where = f"{file}: document"
        entry = checked_mapping(top["document"], where, _DOCUMENT_ALL, _DOCUMENT)
        document = _at(
            where,
            documents.add_document,
            conn,
            principal,
            country_code=str(entry["country"]),
            kind=_choice(DocumentKind, entry["kind"], f"{where}.kind"),
            title=str(entry["title"]),
            on=_date(entry["date"], f"{where}.date"),
            marking=_marking(entry["marking"], f"{where}.marking"),
            release=_choice(Release, entry["release"], f"{where}.release"),
            recipients=[str(a) for a in _list(entry["released_to"], f"{where}.released_to")],
            summary=str(entry.get("summary") or ""),
            body=str(entry.get("body") or ""),
        )
        country = document.country
    needs: dict[str, Need] = {}
    for i, raw in enumerate(_list(top["needs"], f"{file}: needs")):
        where = f"{file}: needs[{i}]"
        entry = checked_mapping(raw, where, _NEED_ALL, _NEED)
        key = str(entry["key"])
        if key in needs:
            raise AssistError(
                f"{where}: the key {key!r} is used twice",
                arabic=f"{where}: المفتاح {key!r} مستعمل مرتين",
            )
        need_country = str(entry.get("country") or country or "")
        need = Need(
            id=None,
            agency=principal.agency,
            country=need_country,
            institution=str(entry["institution"]),
            theme=str(entry["theme"]),
            gap=str(entry["gap"]),
            baseline=str(entry.get("baseline") or ""),
            priority=_choice(Priority, entry["priority"], f"{where}.priority"),
            marking=_marking(entry["marking"], f"{where}.marking"),
            released_to=tuple(str(a) for a in _list(entry.get("released_to"), where)),
            region=str(entry.get("region") or ""),
            document=document.id if document else None,
            targets=tuple(
                _target(t, f"{where}.targets[{j}]")
                for j, t in enumerate(_list(entry.get("targets"), f"{where}.targets"))
            ),
            cost=_number(entry["cost"], f"{where}.cost") if "cost" in entry else None,
            currency=str(entry.get("currency") or "USD"),
            wanted_by=_date(entry["wanted_by"], f"{where}.wanted_by")
            if entry.get("wanted_by")
            else None,
        )
        needs[key] = _at(where, needs_mod.add_need, conn, principal, need)
    roadmap = None
    if top.get("roadmap") is not None:
        where = f"{file}: roadmap"
        entry = checked_mapping(top["roadmap"], where, _ROADMAP_ALL, _ROADMAP)
        made = _at(
            where,
            roadmaps.add_roadmap,
            conn,
            principal,
            country_code=str(entry.get("country") or country or ""),
            requirement=str(entry["requirement"]),
            title=str(entry["title"]),
            marking=_marking(entry["marking"], f"{where}.marking"),
            recipients=[str(a) for a in _list(entry.get("released_to"), where)],
        )
        for j, raw_step in enumerate(_list(entry["steps"], f"{where}.steps")):
            at = f"{where}.steps[{j}]"
            step = checked_mapping(raw_step, at, _STEP_ALL, _STEP)
            keys = [str(k) for k in _list(step.get("needs"), f"{at}.needs")]
            for key in keys:
                if key not in needs:
                    raise AssistError(
                        f"{at}.needs: no need with the key {key!r} in this file",
                        arabic=f"{at}.needs: لا احتياج بالمفتاح {key!r} في هذا الملف",
                    )
            _at(
                at,
                roadmaps.add_step,
                conn,
                principal,
                made.id or 0,
                title=str(step["title"]),
                recommendation=str(step["recommendation"]),
                institution=str(step["institution"]),
                due=_date(step["due"], f"{at}.due") if step.get("due") else None,
                needs=[needs[k].id or 0 for k in keys],
                themes=[str(t) for t in _list(step.get("themes"), f"{at}.themes")],
            )
        roadmap = roadmaps.get_roadmap(conn, principal, made.id or 0)
    return Loaded(document, needs, roadmap)


def load_file(conn: Connection, principal: Principal, path: Path) -> Loaded:
    """Record a visit from a YAML file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AssistError(
            f"{path.name}: cannot be read: {exc}",
            arabic=f"{path.name}: تعذرت قراءة الملف{yaml_place(exc).ar}",
        ) from exc
    return load(conn, principal, data, path.name)
