"""Server-rendered pages: search, entity (every value with its provenance) and datasets.

Pages read the store through the same ``views`` as the JSON API, with the same readable
datasets; they only add labels in the reader's language.
"""

from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from followthemoney import model
from followthemoney.property import Property
from followthemoney.schema import Schema
from followthemoney.types import registry
from starlette.responses import Response

from rasid.access import sessions
from rasid.access.policy import PURPOSE_MAX, check_purpose
from rasid.model.gradings import get_scale
from rasid.model.retention import retention_classes
from rasid.store import UnitOfWork
from rasid.web import views
from rasid.web.deps import SESSION_COOKIE, Caller, Readable, Uow, open_session
from rasid.web.errors import NotFound
from rasid.web.i18n import Translator
from rasid.web.models import MAX_OFFSET, EntityDetail, EntityOut, EntityPage, StatementOut
from rasid.web.render import page_lang, render, render_error, segment

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
# Values of these types read left to right in any language (a phone's "+" must stay first).
LTR_TYPES = frozenset(
    t.name
    for t in (
        registry.phone,
        registry.date,
        registry.identifier,
        registry.number,
        registry.email,
        registry.url,
        registry.ip,
        registry.checksum,
    )
)
# Shown under a search result's caption, when the entity has them.
FACTS = ("birthDate", "nationality", "country", "idNumber", "program")


@dataclass
class Fact:
    """A labelled property of a search result, values already in the reader's language."""

    label: str
    values: list[str]
    dir: str = "auto"


@dataclass
class ValueRow:
    """One value on the entity page, with its statement (the provenance) and, for a value
    naming another entity, that entity."""

    text: str
    stmt: StatementOut
    link: EntityOut | None = None
    dir: str = "auto"
    type: str = "string"  # the FtM property type, for styling (long text is not bold)


@dataclass
class PropGroup:
    """The values of one property on the entity page."""

    name: str
    label: str
    rows: list[ValueRow]


def result_facts(entity: EntityOut, t: Translator) -> list[Fact]:
    """The few telling properties shown under a search result."""
    schema = model.get(entity.schema_)
    if schema is None:
        return []
    facts = []
    for name in FACTS:
        prop = schema.get(name)
        values = entity.properties.get(name)
        if prop is not None and values:
            texts = [t.value(prop, v) for v in values[:3]]
            facts.append(Fact(t.prop(prop, schema), texts, value_dir(prop)))
    return facts


def value_dir(prop: Property | None) -> str:
    """The ``dir`` of a value: 'ltr' for numbers, dates, codes; else 'auto' (by its text)."""
    return "ltr" if prop is not None and prop.type.name in LTR_TYPES else "auto"


def is_arabic(text: str) -> bool:
    """True when the text has Arabic letters."""
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" for c in text)


def display_name(entity: EntityOut, lang: str) -> str:
    """The name to show in the reader's language: a name in Arabic script on Arabic pages,
    in another script on English pages, else FtM's caption."""
    if is_arabic(entity.caption) == (lang == "ar"):
        return entity.caption
    fitting = [n for n in entity.properties.get("name", []) if is_arabic(n) == (lang == "ar")]
    return fitting[0] if fitting else entity.caption


def schema_options(by_schema: dict[str, int], t: Translator) -> list[tuple[str, str, int]]:
    """(name, label, count) of the schemata present, for the search filter."""
    options = [(name, t.schema(name), n) for name, n in by_schema.items() if model.get(name)]
    return sorted(options, key=lambda o: o[1])


def page_purpose(request: Request, uow: UnitOfWork, given: str | None) -> str:
    """The purpose the user works under: ``given`` (remembered in the session from now
    on), else the session's; "" when none was stated."""
    if given is not None and given.strip():
        purpose = check_purpose(given)
        session = open_session(request, uow)
        if session is not None and purpose != session.purpose:
            sessions.set_purpose(uow.conn, request.cookies.get(SESSION_COOKIE, ""), purpose)
            request.state.session = replace(session, purpose=purpose)
        return purpose
    session = open_session(request, uow)
    return session.purpose if session is not None else ""


@router.get("/", name="search")
def search_page(
    request: Request,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    q: str = "",
    schema: str = "",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    purpose: Annotated[str | None, Query(max_length=PURPOSE_MAX)] = None,
) -> Response:
    """The search page: a name search (or a list of all entities), filtered by schema,
    once the user has stated the purpose of their work."""
    t = Translator(page_lang(request))
    stated = page_purpose(request, uow, purpose)
    if stated:
        found = views.search_entities(
            uow.conn, caller, readable, stated, q, schema or None, PAGE_SIZE, offset
        )
    else:
        found = EntityPage(
            q=q or None,
            schema=schema or None,
            limit=PAGE_SIZE,
            offset=0,
            next_offset=None,
            results=[],
        )
    by_schema = views.schema_counts(uow.conn, readable)
    titles = {d.name: d.title for d in views.dataset_refs(uow.conn, readable).values()}
    context = {
        "nav": "search",
        "page": found,
        "q": q,
        "schema": schema,
        "purpose": stated,
        "options": schema_options(by_schema, t),
        "facts": {e.id: result_facts(e, t) for e in found.results},
        "names": {e.id: display_name(e, t.lang) for e in found.results},
        "titles": titles,
        "total_entities": sum(by_schema.values()),
        "prev_offset": max(offset - PAGE_SIZE, 0) if offset > 0 else None,
    }
    return render(request, "search.html", context)


def prop_order(schema: Schema, names: set[str], t: Translator) -> list[tuple[str, Property | None]]:
    """Featured properties first (in the schema's order), then the rest by label."""
    found = {name: schema.get(name) for name in names}
    props = {n: p for n, p in found.items() if p is None or not p.hidden}
    featured = [n for n in schema.featured if n in props]

    def label(name: str) -> str:
        prop = props[name]
        return t.prop(prop, schema) if prop is not None else name

    rest = sorted((n for n in props if n not in featured), key=label)
    return [(n, props[n]) for n in featured + rest]


def value_row(
    stmt: StatementOut, prop: Property | None, links: dict[str, EntityOut], t: Translator
) -> ValueRow:
    """A value as shown: linked when it names a readable entity, else in the reader's words."""
    if prop is not None and prop.type == registry.entity:
        return ValueRow(stmt.value, stmt, links.get(stmt.value), "ltr", prop.type.name)
    text = t.value(prop, stmt.value) if prop else stmt.value
    return ValueRow(text, stmt, None, value_dir(prop), prop.type.name if prop else "string")


def property_groups(
    entity: EntityDetail, links: dict[str, EntityOut], t: Translator
) -> list[PropGroup]:
    """The entity's values grouped by property, each value keeping its own provenance."""
    schema = model.get(entity.schema_)
    assert schema is not None
    by_prop: dict[str, list[StatementOut]] = {}
    for stmt in entity.statements:
        by_prop.setdefault(stmt.prop, []).append(stmt)
    groups = []
    for name, prop in prop_order(schema, set(by_prop), t):
        stmts = sorted(by_prop[name], key=lambda s: (s.value, s.dataset))
        rows = [value_row(s, prop, links, t) for s in stmts]
        groups.append(PropGroup(name, t.prop(prop, schema) if prop else name, rows))
    return groups


def linked_ids(entity: EntityDetail) -> set[str]:
    """Ids named by the entity's entity-typed values."""
    schema = model.get(entity.schema_)
    ids = set()
    for stmt in entity.statements:
        prop = schema.get(stmt.prop) if schema else None
        if prop is not None and prop.type == registry.entity:
            ids.add(stmt.value)
    return ids


@router.get("/entities/{entity_id:path}", name="entity")
def entity_page(
    request: Request,
    entity_id: str,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    purpose: Annotated[str | None, Query(max_length=PURPOSE_MAX)] = None,
) -> Response:
    """One entity: its properties, every value with the dataset, agency, marking, grades,
    dates and retention it comes with. Asks for the purpose first when none is stated."""
    stated = page_purpose(request, uow, purpose)
    if not stated:
        return render(request, "purpose.html", {"nav": "", "entity_id": entity_id}, status=428)
    t = Translator(page_lang(request))
    entity = views.read_entity(uow.conn, caller, readable, entity_id, stated)
    if isinstance(entity, NotFound):  # answered, not raised, so that the record commits
        return render_error(request, 404, str(entity))
    if entity.id != entity_id:  # a member of a merged entity: its page is the entity's
        return RedirectResponse(f"/entities/{segment(entity.id)}", status_code=303)
    links = views.summaries(uow.conn, readable, linked_ids(entity))
    context = {
        "nav": "",
        "entity": entity,
        "groups": property_groups(entity, links, t),
        "name": display_name(entity, t.lang),
        "link_names": {i: display_name(e, t.lang) for i, e in links.items()},
        "datasets": views.dataset_refs(uow.conn, readable),
        "retention": retention_classes(),
        "scale": get_scale(entity.grading_scale),
    }
    return render(request, "entity.html", context)


@router.get("/datasets", name="datasets")
def datasets_page(request: Request, uow: Uow, caller: Caller, readable: Readable) -> Response:
    """The readable datasets with their owners, rules and counts, and the agencies."""
    context = {
        "nav": "datasets",
        "datasets": views.datasets(uow.conn, readable),
        "agencies": views.agencies(uow.conn, readable),
        "stats": views.stats(uow.conn, readable),
        "retention": retention_classes(),
    }
    return render(request, "datasets.html", context)
