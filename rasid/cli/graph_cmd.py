"""`rasid graph`: link analysis from the command line, through the same services as the
API (``rasid.graph.service``). The command line reads the whole store (it is the
operator's), personal data past its mask date masked; every read is recorded in the
audit log under the operating-system account."""

from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.table import Table

from rasid.access import audit
from rasid.access.policy import operator_visibility
from rasid.cli.common import cli_actor, console, fail, opened_store, print_json
from rasid.graph import service
from rasid.graph.errors import GraphError
from rasid.store.statements import utcnow

graph = typer.Typer(
    help="Link analysis: neighbours, paths, communities, nexus bridges, exports.",
    no_args_is_help=True,
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the JSON answer.")]
PurposeOpt = Annotated[
    str,
    typer.Option(help="Why (a case or file reference): recorded in the audit log with the read."),
]
EntityArg = Annotated[str, typer.Argument(metavar="ID", help="An entity's (canonical) id.")]


def _ask(
    ctx: typer.Context, action: str, target: str, purpose: str, ask: Callable[..., Any]
) -> Any:
    """Run one question on the operator's view, recorded in the audit log."""
    with opened_store(ctx) as store, store.uow() as uow:
        readable = operator_visibility(uow.conn, utcnow().date())
        try:
            answer = ask(uow.conn, readable)
        except GraphError as exc:
            fail(str(exc))
        nodes = answer.get("nodes", []) if isinstance(answer, dict) else []
        detail = {"via": "cli", "entities": [n["id"] for n in nodes][:500]}
        audit.append(uow.conn, cli_actor(), action, target, purpose=purpose, detail=detail)
    return answer


def _print(answer: dict[str, Any]) -> None:
    """The answer's links as a table: who is linked to whom, how, when."""
    labels = {n["id"]: n["label"] for n in answer["nodes"]}
    table = Table("from", "link", "to", "date")
    for edge in answer["edges"]:
        when = " – ".join(d for d in (edge["start"], edge["end"]) if d)
        table.add_row(labels[edge["source"]], edge["label"], labels[edge["target"]], when)
    console.print(table)


@graph.command()
def neighbours(
    ctx: typer.Context,
    entity: EntityArg,
    depth: Annotated[int, typer.Option(min=1, max=3, help="Links away, 1 to 3.")] = 1,
    types: Annotated[str, typer.Option(help="Link types, comma-separated.")] = "",
    since: Annotated[str, typer.Option(help="Links dated on or after (YYYY-MM-DD).")] = "",
    until: Annotated[str, typer.Option(help="Links dated on or before (YYYY-MM-DD).")] = "",
    as_json: JsonOpt = False,
    purpose: PurposeOpt = "",
) -> None:
    """The entities within DEPTH links of an entity, and the links between them."""
    kinds = [t.strip() for t in types.split(",") if t.strip()] or None
    answer = _ask(
        ctx,
        "graph.neighbours",
        entity,
        purpose,
        lambda conn, r: service.neighbours(conn, r, entity, depth, kinds, since, until),
    )
    print_json(answer) if as_json else _print(answer)


@graph.command()
def path(
    ctx: typer.Context,
    source: EntityArg,
    target: Annotated[str, typer.Argument(metavar="TARGET", help="The other entity's id.")],
    max_length: Annotated[int, typer.Option(min=1, max=6, help="Longest path, in links.")] = 4,
    k: Annotated[int, typer.Option(min=0, max=10, help="Paths wanted; 0: all shortest.")] = 3,
    as_json: JsonOpt = False,
    purpose: PurposeOpt = "",
) -> None:
    """The shortest paths from one entity to another."""
    answer = _ask(
        ctx,
        "graph.paths",
        f"{source}|{target}",
        purpose,
        lambda conn, r: service.paths(conn, r, source, target, max_length, k),
    )
    if as_json:
        print_json(answer)
        return
    labels = {n["id"]: n["label"] for n in answer["nodes"]}
    for found in answer["paths"]:
        console.print(" → ".join(labels[n] for n in found))
    if not answer["paths"]:
        console.print("no path")


@graph.command()
def bridges(
    ctx: typer.Context,
    max_length: Annotated[int, typer.Option(min=1, max=4, help="Longest path, in links.")] = 2,
    as_json: JsonOpt = False,
    purpose: PurposeOpt = "",
) -> None:
    """Nexus bridges: brokers and alliances between criminal and terrorist groups."""
    answer = _ask(
        ctx,
        "graph.bridges",
        "",
        purpose,
        lambda conn, r: service.bridges(conn, r, max_length),
    )
    if as_json:
        print_json(answer)
        return
    labels = {n["id"]: n["label"] for n in answer["nodes"]}
    table = Table("entity", "kind", "path")
    for bridge in answer["bridges"]:
        path_text = " → ".join(labels[n] for n in bridge["path"])
        table.add_row(labels[bridge["entity_id"]], bridge["kind"], path_text)
    console.print(table)


@graph.command()
def communities(
    ctx: typer.Context,
    community: Annotated[int | None, typer.Option(help="One community's number.")] = None,
    as_json: JsonOpt = False,
    purpose: PurposeOpt = "",
) -> None:
    """The largest communities (Leiden), or one community's members and links."""
    answer = _ask(
        ctx,
        "graph.communities",
        str(community or ""),
        purpose,
        lambda conn, r: service.communities(conn, r, community),
    )
    if as_json or community is not None:
        print_json(answer) if as_json else _print(answer)
        return
    table = Table("community", "size", "crime", "terror", "best connected")
    labels = {n["id"]: n["label"] for n in answer["nodes"]}
    for c in answer["communities"]:
        top = ", ".join(labels.get(i, i) for i in c["top"])
        table.add_row(str(c["id"]), str(c["size"]), str(c["crime"]), str(c["terror"]), top)
    console.print(table)


@graph.command()
def export(
    ctx: typer.Context,
    entity: EntityArg,
    depth: Annotated[int, typer.Option(min=1, max=3, help="Links away, 1 to 3.")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="graphml or ftm.")] = "graphml",
    purpose: PurposeOpt = "",
) -> None:
    """Write an entity's neighbourhood as GraphML or FtM JSON lines on standard output."""
    text = _ask(
        ctx,
        "graph.export",
        entity,
        purpose,
        lambda conn, r: service.export(conn, r, entity, depth, fmt),
    )
    typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    """Add the `graph` command group to the app."""
    app.add_typer(graph, name="graph")
