"""The import formats Rasid reads, and how a format is guessed from a file."""

from collections.abc import Iterator
from pathlib import Path

from rasid.ingest.errors import IngestError
from rasid.ingest.records import Item, ReadContext, Reader, Source


def _read_un_sc(source: Source, ctx: ReadContext) -> Iterator[Item]:
    from rasid.ingest.unsc import read_un_sc

    return read_un_sc(source, ctx)


def _read_ftm(source: Source, ctx: ReadContext) -> Iterator[Item]:
    from rasid.ingest.ftm import read_ftm

    return read_ftm(source, ctx)


def _read_csv(source: Source, ctx: ReadContext) -> Iterator[Item]:
    from rasid.ingest.mapping import read_csv

    return read_csv(source, ctx)


def _read_xlsx(source: Source, ctx: ReadContext) -> Iterator[Item]:
    from rasid.ingest.mapping import read_xlsx

    return read_xlsx(source, ctx)


def _read_paxlst(source: Source, ctx: ReadContext) -> Iterator[Item]:
    from rasid.ingest.travel import read_travel

    return read_travel(source, ctx, "paxlst")


def _read_pnrgov(source: Source, ctx: ReadContext) -> Iterator[Item]:
    from rasid.ingest.travel import read_travel

    return read_travel(source, ctx, "pnrgov")


READERS: dict[str, Reader] = {
    "ftm": _read_ftm,
    "csv": _read_csv,
    "xlsx": _read_xlsx,
    "un-sc": _read_un_sc,
    "paxlst": _read_paxlst,
    "pnrgov": _read_pnrgov,
}
TRAVEL_FORMATS = frozenset({"paxlst", "pnrgov"})  # whose travellers are screened on arrival
HEAD = 64 * 1024  # bytes read to tell a file's format from its content
SUFFIXES = {
    ".json": "ftm",
    ".jsonl": "ftm",
    ".ndjson": "ftm",
    ".ftm": "ftm",
    ".csv": "csv",
    ".xlsx": "xlsx",
}


def guess_format(path: Path) -> str:
    """The format of a file from its name, or from its first bytes: the UN list for XML, and
    for any other name a travel message's type (its first UNH) when it reads as UN/EDIFACT."""
    suffix = path.suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    with path.open("rb") as fh:
        head = fh.read(HEAD)
    if suffix == ".xml":
        if b"CONSOLIDATED_LIST" in head[:4096]:
            return "un-sc"
    else:
        from rasid.travel.parse import sniff

        found = sniff(head)
        if found is not None:
            return found
    raise IngestError(f"{path}: cannot tell the format; give --format ({', '.join(READERS)})")


def get_reader(fmt: str) -> Reader:
    """The reader for a format name."""
    try:
        return READERS[fmt]
    except KeyError:
        raise IngestError(f"unknown format {fmt!r} (known: {', '.join(READERS)})") from None
