"""The link graph in the browser: the network around an entity, drawn with Cytoscape.js.

The page itself holds no graph: ``static/graph.js`` asks the graph API (``/api/graph/...``)
with the user's session and the purpose stated on the page, so a read through the page and
a read through the API are the same read, recorded the same way. The page gives the script
what it needs to speak the reader's language: its messages, the labels of schemata and
properties, and the titles of the readable datasets with their agencies.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from followthemoney import model
from sqlalchemy import Connection
from starlette.responses import Response

from rasid.access.accounts import Scope
from rasid.access.policy import PURPOSE_MAX, record, require
from rasid.graph.errors import UnknownNode
from rasid.web import views
from rasid.web.deps import Caller, Readable, Uow
from rasid.web.i18n import Translator
from rasid.web.pages import display_name, page_purpose
from rasid.web.render import page_lang, render, render_error

router = APIRouter(include_in_schema=False)

API = "/api/graph"
ENTITY_MAX = 1000
DEPTHS = (1, 2, 3)
PATH_LENGTHS = (2, 3, 4, 5, 6)

# Messages the script shows (the page's own are in the template).
CLIENT_MESSAGES = (
    "graph.js.loading",
    "graph.js.loaded",
    "graph.js.empty",
    "graph.js.error",
    "graph.js.expand",
    "graph.js.expanded",
    "graph.js.open_entity",
    "graph.js.path_from",
    "graph.js.path_to",
    "graph.js.schema",
    "graph.js.group",
    "graph.js.group_crime",
    "graph.js.group_terror",
    "graph.js.group_none",
    "graph.js.community",
    "graph.js.datasets",
    "graph.js.agencies",
    "graph.js.link",
    "graph.js.from",
    "graph.js.to",
    "graph.js.start",
    "graph.js.end",
    "graph.js.evidence",
    "graph.js.no_evidence",
    "graph.js.evidence_value",
    "graph.js.no_paths",
    "graph.js.paths_found",
    "graph.js.pick_two",
    "graph.js.show_path",
    "graph.js.no_bridges",
    "graph.js.bridges_found",
    "graph.js.bridge_between",
    "graph.js.bridge_broker",
    "graph.js.bridge_alliance",
    "graph.js.shown",
    "graph.js.exported",
)
# Pivots: links made by a shared value rather than by an FtM relationship entity.
# Their names are those of rasid/graph/links.yml; their labels there are English only.
PIVOTS = ("phone", "email", "address", "account", "document", "travel")


def _schema_labels(t: Translator) -> dict[str, str]:
    return {name: t.schema(schema) for name, schema in model.schemata.items()}


def _prop_labels(t: Translator) -> dict[str, str]:
    labels: dict[str, str] = {}
    for schema in model.schemata.values():
        for name, prop in schema.properties.items():
            labels.setdefault(name, t.prop(prop, schema))
    return labels


def _datasets(conn: Connection, readable: Readable, t: Translator) -> dict[str, dict[str, str]]:
    refs = views.dataset_refs(conn, readable)
    return {
        name: {"title": r.title, "agency": t.pick(r.agency_label, r.agency_label_ar)}
        for name, r in refs.items()
    }


def _agencies(conn: Connection, readable: Readable, t: Translator) -> dict[str, str]:
    return {a.name: t.pick(a.label, a.label_ar) for a in views.agencies(conn, readable)}


def client_config(
    conn: Connection, readable: Readable, t: Translator, entity: str, purpose: str
) -> dict[str, Any]:
    """What ``graph.js`` is given: where the API is, the starting entity and the purpose,
    and every label it shows, in the reader's language."""
    types = {name: t.schema(name) for name in model.schemata}
    types.update({p: t(f"graph.pivot.{p}") for p in PIVOTS})
    return {
        "api": API,
        "entity": entity,
        "purpose": purpose,
        "lang": t.lang,
        "messages": {key.removeprefix("graph.js."): t(key) for key in CLIENT_MESSAGES},
        "schemata": _schema_labels(t),
        "props": _prop_labels(t),
        "types": types,
        "pivots": list(PIVOTS),
        "datasets": _datasets(conn, readable, t),
        "agencies": _agencies(conn, readable, t),
    }


@router.get("/graph", name="graph")
def graph_page(
    request: Request,
    uow: Uow,
    caller: Caller,
    readable: Readable,
    entity: Annotated[str, Query(max_length=ENTITY_MAX)] = "",
    purpose: Annotated[str | None, Query(max_length=PURPOSE_MAX)] = None,
) -> Response:
    """The link graph: the neighbourhood of ``entity`` (or, without one, an empty canvas
    to show the nexus bridges on), to expand, filter, search for paths and export. Asks
    for the purpose first when none is stated."""
    require(caller, Scope.READ)
    t = Translator(page_lang(request))
    stated = page_purpose(request, uow, purpose)
    context: dict[str, Any] = {
        "nav": "graph",
        "entity_id": entity,
        "name": "",
        "purpose": stated,
        "depths": DEPTHS,
        "path_lengths": PATH_LENGTHS,
    }
    if not stated:
        return render(request, "graph.html", context, status=428)
    if entity:
        found = views.summaries(uow.conn, readable, [entity]).get(entity)
        outcome = "ok" if found is not None else "not_found"
        record(uow.conn, caller, "graph.view", entity, stated, outcome=outcome)
        if found is None:  # answered, not raised, so that the record commits
            unknown = UnknownNode(
                f"no entity {entity!r}", arabic=f"لا يوجد كيان بالمعرّف {entity!r}"
            )
            return render_error(request, 404, unknown.worded(t.lang))
        context["name"] = display_name(found, t.lang)
    context["config"] = client_config(uow.conn, readable, t, entity, stated)
    return render(request, "graph.html", context)
