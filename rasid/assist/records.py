"""What the coordination records share: the checks of their fields, who may change them,
what partners may see of each, and the taxonomy with a state's own requirements. The records
themselves live in ``documents``, ``needs``, ``roadmaps``, ``indicators`` and ``tracking``
(and donors' projects in ``projects``).

Ownership: a document, need or roadmap belongs to the agency that recorded it (the state's
coordination office); only a coordination officer or supervisor of that agency changes it
(``rasid.access.policy.may_coordinate``). Sharing: each record has a TLP marking and a release
list, agencies by name or ``*`` for every partner; ``rasid.access.policy.may_see_released``
decides who sees it. A document is released in full or in part (partners then see its title
and summary, never its body) or not at all. Every write is in the audit log, and every read
of a document (the one record with a body).

Refusals are worded in both languages. A field is named by a ``Text`` (``Text("الملخص",
"the summary")``) so that the Arabic message reads wholly in Arabic; a plain string names it
in English only, and its message then stays English.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, select

from rasid.access.accounts import Scope
from rasid.access.policy import (
    Denied,
    Principal,
    may_coordinate,
    may_see_released,
    record,
    release_refusal,
    require,
)
from rasid.assist import taxonomy as taxonomy_mod
from rasid.assist.errors import AssistError
from rasid.assist.model import EVERY_PARTNER, Taxonomy, Text, Theme, ThemeKind
from rasid.model.markings import Marking
from rasid.store.chunks import chunks
from rasid.store.statements import utcnow
from rasid.store.tables import agency as agency_t
from rasid.store.tables import assist_release as release_t
from rasid.store.tables import assist_theme as theme_t

TEXT_MAX = 8000
KINDS = ("document", "need", "roadmap", "project")
# The one refusal of rasid.access.policy.release_refusal, in Arabic.
RED_NOT_RELEASED = "لا يُتاح للشركاء سجلٌّ موسوم TLP:RED: أرسله إلى أشخاص بأسمائهم عبر التبادل"


# Naming fields in both languages


def phrase(what: Text | str) -> Text:
    """A field's name in both languages; a plain string is English only (no Arabic)."""
    return what if isinstance(what, Text) else Text("", what)


def within(where: Text | str, what: Text) -> Text:
    """``what`` inside ``where`` ("target 1: the title"), in both languages."""
    place = phrase(where)
    return Text(f"{place.ar}: {what.ar}" if place.ar else "", f"{place.en}: {what.en}")


# Checks shared by the modules of rasid.assist


def text(
    value: str | None, what: Text | str, *, required: bool = True, limit: int = TEXT_MAX
) -> str:
    """A text field with its whitespace collapsed, checked for presence and length;
    ``what`` names the field in refusals."""
    cleaned = " ".join((value or "").split())
    name = phrase(what)
    if required and not cleaned:
        arabic = f"الحقل «{name.ar}» مطلوب" if name.ar else ""
        raise AssistError(f"{name.en} is required", arabic=arabic)
    if len(cleaned) > limit:
        raise AssistError(
            f"{name.en} is longer than {limit} characters",
            arabic=f"الحقل «{name.ar}» يتجاوز الحد الأقصى لعدد الأحرف ({limit})" if name.ar else "",
        )
    return cleaned


def country(code: str | None) -> str:
    """An ISO 3166-1 alpha-2 code, upper-case."""
    value = (code or "").strip().upper()
    if len(value) != 2 or not value.isascii() or not value.isalpha():
        raise AssistError(
            f"a country is an ISO 3166-1 alpha-2 code, not {code!r}",
            arabic=f"رمز الدولة {code!r} غير صالح: الدولة تُكتب برمز من حرفين (ISO 3166-1)",
        )
    return value


def currency(code: str | None) -> str:
    """An ISO 4217 currency code, upper-case."""
    value = (code or "").strip().upper()
    if len(value) != 3 or not value.isascii() or not value.isalpha():
        raise AssistError(
            f"a currency is an ISO 4217 code, not {code!r}",
            arabic=f"رمز العملة {code!r} غير صالح: العملة تُكتب برمز من ثلاثة أحرف (ISO 4217)",
        )
    return value


def split(value: str) -> tuple[str, ...]:
    """A comma-separated column as a tuple (empty string: empty tuple)."""
    return tuple(part for part in value.split(",") if part)


# Who may change and who may see


def require_coordinator(principal: Principal, agency: str, what: Text) -> None:
    """Refuse (``Denied``) unless the caller coordinates for ``agency``; ``what`` is the
    change refused (``Text("يسجّل الاحتياجات", "record needs")``)."""
    require(principal, Scope.ASSIST)
    if not may_coordinate(principal, agency):
        raise Denied(
            f"only a coordination officer or supervisor of {agency} may {what.en}",
            arabic=f"لا يحق إلا لموظف تنسيق أو مشرف من {agency} أن {what.ar}",
        )


def visible(principal: Principal, row: Any, released: tuple[str, ...]) -> bool:
    """Whether the caller may see a record (a row with ``agency`` and ``marking``)."""
    return may_see_released(principal, row.agency, Marking(row.marking), frozenset(released))


# Releases


def released_to(conn: Connection, kind: str, ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The release lists of records of one kind, by id."""
    wanted = list(ids)
    out: dict[int, list[str]] = {i: [] for i in wanted}
    for chunk in chunks(wanted):
        rows = conn.execute(
            select(release_t.c.record, release_t.c.agency).where(
                release_t.c.kind == kind, release_t.c.record.in_(chunk)
            )
        )
        for record_id, agency in rows:
            out[record_id].append(agency)
    return {i: tuple(sorted(agencies)) for i, agencies in out.items()}


def _check_recipients(conn: Connection, recipients: Iterable[str]) -> tuple[str, ...]:
    wanted = sorted({r.strip() for r in recipients if r.strip()})
    known = set(conn.scalars(select(agency_t.c.name)))
    for name in wanted:
        if name != EVERY_PARTNER and name not in known:
            raise AssistError(
                f"no agency {name!r} to release to",
                arabic=f"لا جهة باسم {name!r} لإتاحة السجل لها",
            )
    return tuple(wanted)


def write_release(
    conn: Connection,
    principal: Principal,
    kind: str,
    record_id: int,
    marking: Marking,
    recipients: Iterable[str],
) -> tuple[str, ...]:
    """Replace a record's release list (the caller's rights checked by the caller)."""
    if kind not in KINDS:
        raise AssistError(f"unknown kind of record {kind!r}")  # english-only: callers pass KINDS
    wanted = tuple(a for a in _check_recipients(conn, recipients) if a != principal.agency)
    refusal = release_refusal(marking, frozenset(wanted))
    if refusal:
        raise AssistError(refusal, arabic=RED_NOT_RELEASED if marking is Marking.RED else "")
    conn.execute(delete(release_t).where(release_t.c.kind == kind, release_t.c.record == record_id))
    now = utcnow()
    for agency in wanted:
        conn.execute(
            release_t.insert().values(
                kind=kind,
                record=record_id,
                agency=agency,
                released_by=principal.name,
                released_at=now,
            )
        )
    return wanted


# The taxonomy with a state's requirements


def taxonomy(conn: Connection) -> Taxonomy:
    """The built-in good practices followed by the requirements added in this store."""
    rows = conn.execute(select(theme_t).order_by(theme_t.c.created_at, theme_t.c.code))
    return taxonomy_mod.with_requirements(
        Theme(
            r.code,
            r.area,
            Text(r.label_ar, r.label),
            ThemeKind.REQUIREMENT,
            split(r.dac),
            note=r.note,
        )
        for r in rows
    )


def add_requirement(
    conn: Connection,
    principal: Principal,
    code: str,
    area: str,
    label: str,
    label_ar: str,
    dac: Sequence[str] = (),
    note: str = "",
) -> Theme:
    """Add a state's own requirement (e.g. a resolution's operative paragraph) to the
    taxonomy, as a coordination officer."""
    require_coordinator(principal, principal.agency, Text("يضيف المتطلبات", "add requirements"))
    theme = taxonomy_mod.requirement(
        code.strip(),
        area.strip(),
        Text(
            text(label_ar, Text("الصياغة العربية", "the Arabic wording")),
            text(label, Text("الصياغة الإنجليزية", "the English wording")),
        ),
        dac,
        note=text(note, Text("الملاحظة", "the note"), required=False),
    )
    if taxonomy(conn).get(theme.code) is not None:
        raise AssistError(
            f"the taxonomy already has a theme {theme.code!r}",
            arabic=f"في التصنيف الموضوعي مجالٌ رمزه {theme.code!r} من قبل",
        )
    conn.execute(
        theme_t.insert().values(
            code=theme.code,
            area=theme.area,
            label=theme.label.en,
            label_ar=theme.label.ar,
            dac=",".join(theme.dac),
            note=theme.note,
            agency=principal.agency,
            created_by=principal.name,
            created_at=utcnow(),
        )
    )
    record(conn, principal, "assist.requirement.add", theme.code, area=theme.area)
    return theme


def known_theme(conn: Connection, code: str) -> str:
    """``code`` when the taxonomy (with the state's requirements) has such a theme."""
    if taxonomy(conn).get(code) is None:
        raise AssistError(
            f"unknown thematic area {code!r}", arabic=f"مجال موضوعي غير معروف: {code!r}"
        )
    return code
