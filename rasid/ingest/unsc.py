"""Reader for the UN Security Council consolidated sanctions list (XML).

Each ``INDIVIDUAL`` becomes a ``Person`` and each ``ENTITY`` an ``Organization`` with the id
``make_id("un-sc", REFERENCE_NUMBER)`` (``DATAID`` when there is no reference number), and each
gets a ``Sanction`` (``make_id("un-sc-sanction", key)``). A record with no name, or with neither
a reference number nor a DATAID, is ``Rejected``; a value FtM cannot clean is ``Dropped``.

Mapping rules:
* Names: FIRST_NAME..FOURTH_NAME joined by single spaces are ``name``. The UN parts are not
  reliably given or family names (Korean entries put the family name first, Arabic entries
  give a chain of father and grandfather names), so no ``lastName`` is guessed: FIRST_NAME is
  ``firstName``, SECOND_NAME ``secondName``, THIRD_NAME and FOURTH_NAME ``middleName``; the
  order is kept in ``name``. NAME_ORIGINAL_SCRIPT is another ``name``, with lang ``ara`` when
  mostly Arabic script (also used for Persian and Pashto) and ``rus`` when mostly Cyrillic.
* Alias quality (FtM has no per-value quality, so the property carries it): ``Good`` and
  ``a.k.a.`` (or no quality) give ``alias``; ``Low`` gives ``weakAlias``; ``f.k.a.`` (a former
  name of an organisation) gives ``previousName``. Names are kept as given (``SURNAME, Given``
  included). An alias's date, city and country of birth are added to the person; its note goes
  to ``notes`` as ``Alias "NAME" (QUALITY): NOTE``.
* TITLE ``title``, DESIGNATION ``position``, NATIONALITY ``nationality``, GENDER ``gender``,
  COMMENTS1 ``notes`` (not repeated as the sanction's ``reason``).
* Date of birth: DATE or YEAR is a ``birthDate``; FROM_YEAR..TO_YEAR adds every year of the
  range (up to ``MAX_YEAR_SPAN`` years, else both ends); a NOTE goes to ``notes``.
* Place of birth: street, city, province, country and note joined are ``birthPlace``; the
  country is also ``birthCountry``.
* Documents with a NUMBER become a ``Passport`` (when a type names a passport) or an
  ``Identification`` held by the person, and the number is the person's ``passportNumber`` or
  ``idNumber``. A document without a number is described in the person's ``notes``.
* Addresses: the one-line text is ``address`` (unless only a country) and the country ``country``.
* Sanction: UN_LIST_TYPE ``program``, REFERENCE_NUMBER ``authorityId`` and ``unscId``, DATAID
  ``recordId``, LISTED_ON ``listingDate``, LAST_DAY_UPDATED ``modifiedAt``, LIST_TYPE
  ``status``. VERSIONNUM, SORT_KEY and SORT_KEY_LAST_MOD are bookkeeping and left out.
* The value ``na`` (not available) is left out as a ``Dropped``, as are unknown fields.
"""

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from followthemoney.statement.entity import StatementEntity
from lxml import etree

from rasid.ingest.errors import UnreadableInput
from rasid.ingest.records import RAW_LIMIT, Dropped, Item, ReadContext, Rejected, Source, add_value

ROOT = "CONSOLIDATED_LIST"
SCHEMATA = {"INDIVIDUAL": "Person", "ENTITY": "Organization"}
CONTAINERS = {"INDIVIDUALS", "ENTITIES"}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
PART_PROPS = {"FIRST_NAME": "firstName", "SECOND_NAME": "secondName"}
AUTHORITY = "United Nations Security Council"
SOURCE_URL = "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"
ALIAS_PROPS = {"low": "weakAlias", "f.k.a.": "previousName", "f.k.a": "previousName"}
PLACEHOLDERS = {"na", "n/a"}
MAX_YEAR_SPAN = 30
PASSPORT = re.compile(r"pass(?:port|eport)|pasaporte", re.IGNORECASE)
DOCTYPE = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
LINE_SUFFIX = re.compile(r",? line \d+, column \d+.*$")
Element = etree._Element


@dataclass
class Record:
    """One INDIVIDUAL or ENTITY being mapped, and what it has produced so far."""

    label: str  # e.g. "INDIVIDUAL record 5 (CDi.001)"
    entity: StatementEntity
    sanction: StatementEntity
    ctx: ReadContext
    key: str
    extra: list[Item] = field(default_factory=list)

    def where(self, el: Element) -> str:
        """The location of an element of this record, for Dropped values."""
        return f"line {line_of(el)}, {self.label}"

    def add(
        self,
        entity: StatementEntity,
        prop: str,
        value: str | None,
        el: Element,
        lang: str | None = None,
    ) -> None:
        """Add a value to one of the record's entities, keeping what FtM rejects as Dropped."""
        dropped = add_value(entity, prop, value, self.where(el), lang=lang)
        if dropped is not None:
            self.extra.append(dropped)

    def drop(self, el: Element, reason: str, value: str) -> None:
        """Leave a value out, saying why."""
        self.extra.append(Dropped(self.where(el), reason, value))


Handler = Callable[[Record, Element], None]


def clean(text: str | None) -> str:
    """Text with runs of whitespace made single spaces and the ends stripped."""
    return " ".join((text or "").split())


def text_of(el: Element) -> str:
    """The cleaned text of an element and its descendants."""
    return clean("".join(t for t in el.itertext() if isinstance(t, str)))


def line_of(el: Element) -> int:
    """The line an element starts on (0 if unknown)."""
    line = el.sourceline
    return line if isinstance(line, int) else 0


def script_lang(name: str) -> str | None:
    """``ara`` for mostly Arabic-script text, ``rus`` for mostly Cyrillic, else None."""
    letters = [c for c in name if c.isalpha()]
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u08ff" or "\ufb50" <= c <= "\ufeff")
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u052f")
    if letters and arabic * 2 > len(letters):
        return "ara"
    if letters and cyrillic * 2 > len(letters):
        return "rus"
    return None


def usable(rec: Record, child: Element, known: set[str] | None = None) -> str:
    """The cleaned text of a field, or "" when it is empty, unknown or a placeholder (the last
    two are kept as Dropped)."""
    value = text_of(child)
    if not value:
        return ""
    if known is not None and child.tag not in known:
        parent = child.getparent()
        group = "" if parent is None else f"{parent.tag}/"
        rec.drop(child, f"unknown field {group}{child.tag}", value)
        return ""
    if value.lower() in PLACEHOLDERS:
        rec.drop(child, f"{child.tag}: {value!r} means not available", value)
        return ""
    return value


def fields(rec: Record, el: Element, known: set[str]) -> dict[str, tuple[str, Element]]:
    """The usable sub-fields of a group element by tag: (text, element)."""
    found: dict[str, tuple[str, Element]] = {}
    for child in el:
        value = usable(rec, child, known)
        if value:
            found[child.tag] = (value, child)
    return found


def joined(found: dict[str, tuple[str, Element]], keys: tuple[str, ...]) -> str:
    """The values of ``keys`` joined with commas, the NOTE (if any) in parentheses."""
    text = ", ".join(found[k][0] for k in keys if k in found)
    if "NOTE" in found:
        note = found["NOTE"][0]
        text = f"{text} ({note})" if text else note
    return text


def alias(rec: Record, el: Element) -> None:
    """INDIVIDUAL_ALIAS / ENTITY_ALIAS: a name by quality, with birth data and a note."""
    known = {"QUALITY", "ALIAS_NAME", "NOTE", "DATE_OF_BIRTH", "CITY_OF_BIRTH", "COUNTRY_OF_BIRTH"}
    found = fields(rec, el, known)
    quality = found.get("QUALITY", ("", el))[0]
    name, name_el = found.get("ALIAS_NAME", ("", el))
    rec.add(rec.entity, ALIAS_PROPS.get(quality.lower(), "alias"), name, name_el)
    if "NOTE" in found:
        about = f'Alias "{name}" ({quality or "?"})' if name else "Alias"
        rec.add(rec.entity, "notes", f"{about}: {found['NOTE'][0]}", found["NOTE"][1])
    if "DATE_OF_BIRTH" in found:
        rec.add(rec.entity, "birthDate", *found["DATE_OF_BIRTH"])
    place = ", ".join(found[k][0] for k in ("CITY_OF_BIRTH", "COUNTRY_OF_BIRTH") if k in found)
    if place:
        rec.add(rec.entity, "birthPlace", place, el)
    if "COUNTRY_OF_BIRTH" in found:
        rec.add(rec.entity, "birthCountry", *found["COUNTRY_OF_BIRTH"])


def address(rec: Record, el: Element) -> None:
    """INDIVIDUAL_ADDRESS / ENTITY_ADDRESS: a one-line address and its country."""
    keys = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
    found = fields(rec, el, {*keys, "NOTE"})
    if set(found) - {"COUNTRY"}:
        rec.add(rec.entity, "address", joined(found, keys), el)
    if "COUNTRY" in found:
        rec.add(rec.entity, "country", *found["COUNTRY"])


def year_range(start: str, end: str) -> list[str]:
    """Every year from ``start`` to ``end`` if both are years a plausible span apart."""
    if not (start.isdecimal() and end.isdecimal()):
        return []
    first, last = int(start), int(end)
    return [str(y) for y in range(first, last + 1)] if last - first <= MAX_YEAR_SPAN else []


def birth_date(rec: Record, el: Element) -> None:
    """INDIVIDUAL_DATE_OF_BIRTH: EXACT/APPROXIMATELY dates and years, BETWEEN year ranges."""
    found = fields(rec, el, {"TYPE_OF_DATE", "DATE", "YEAR", "FROM_YEAR", "TO_YEAR", "NOTE"})
    for key in ("DATE", "YEAR"):
        if key in found:
            rec.add(rec.entity, "birthDate", *found[key])
    start, end = found.get("FROM_YEAR"), found.get("TO_YEAR")
    years = year_range(start[0], end[0]) if start and end else []
    bounds = [(y, start[1]) for y in years] if start and years else [b for b in (start, end) if b]
    for value, child in bounds:
        rec.add(rec.entity, "birthDate", value, child)
    if "NOTE" in found:
        kind = found.get("TYPE_OF_DATE", ("", el))[0].lower()
        note, child = found["NOTE"]
        rec.add(rec.entity, "notes", f"Date of birth ({kind or 'unspecified'}): {note}", child)


def birth_place(rec: Record, el: Element) -> None:
    """INDIVIDUAL_PLACE_OF_BIRTH: the place as text, and the country."""
    keys = ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")
    found = fields(rec, el, {*keys, "NOTE"})
    if found:
        rec.add(rec.entity, "birthPlace", joined(found, keys), el)
    if "COUNTRY" in found:
        rec.add(rec.entity, "birthCountry", *found["COUNTRY"])


DOCUMENT_FIELDS = {  # sub-field: property of the Passport/Identification
    **dict.fromkeys(("TYPE_OF_DOCUMENT", "TYPE_OF_DOCUMENT2"), "type"),
    **dict.fromkeys(("ISSUING_COUNTRY", "COUNTRY_OF_ISSUE"), "country"),
    **{"NUMBER": "number", "DATE_OF_ISSUE": "startDate", "CITY_OF_ISSUE": "authority"},
    "NOTE": "summary",
}


def document(rec: Record, el: Element) -> None:
    """INDIVIDUAL_DOCUMENT: a Passport or Identification held by the person."""
    found = fields(rec, el, set(DOCUMENT_FIELDS))
    if "NUMBER" not in found:
        if found:
            text = "; ".join(value for value, _ in found.values())
            rec.add(rec.entity, "notes", f"Document without number: {text}", el)
        return
    kinds = " ".join(found[k][0] for k in ("TYPE_OF_DOCUMENT", "TYPE_OF_DOCUMENT2") if k in found)
    is_passport = PASSPORT.search(kinds) is not None
    number, number_el = found["NUMBER"]
    doc_id = rec.ctx.make_id("un-sc-doc", rec.key, kinds, number)
    doc = rec.ctx.make_entity("Passport" if is_passport else "Identification", doc_id)
    rec.add(doc, "holder", rec.entity.id, el)
    for tag, (value, child) in found.items():
        rec.add(doc, DOCUMENT_FIELDS[tag], value, child)
    rec.add(rec.entity, "passportNumber" if is_passport else "idNumber", number, number_el)
    rec.extra.append(doc)


def plain(prop: str, on_sanction: bool = False, grouped: bool = False) -> Handler:
    """A handler adding a leaf element's text (or, ``grouped``, the text of each of its VALUE
    elements) to ``prop`` of the entity or the sanction."""

    def handle(rec: Record, el: Element) -> None:
        target = rec.sanction if on_sanction else rec.entity
        for child in el if grouped else [el]:
            rec.add(target, prop, usable(rec, child, {"VALUE"} if grouped else None), child)

    return handle


def gender(rec: Record, el: Element) -> None:
    """GENDER, lower-cased to FtM's male/female/other."""
    rec.add(rec.entity, "gender", usable(rec, el).lower(), el)


def original_name(rec: Record, el: Element) -> None:
    """NAME_ORIGINAL_SCRIPT: another name, with the language its script suggests."""
    value = usable(rec, el)
    rec.add(rec.entity, "name", value, el, lang=script_lang(value))


def ignore(rec: Record, el: Element) -> None:
    """Fields that are bookkeeping only, or read before the others."""


HANDLERS: dict[str, Handler] = {
    **dict.fromkeys((*NAME_PARTS, "REFERENCE_NUMBER", "VERSIONNUM"), ignore),
    **dict.fromkeys(("SORT_KEY", "SORT_KEY_LAST_MOD"), ignore),
    "DATAID": plain("recordId", on_sanction=True),
    "UN_LIST_TYPE": plain("program", on_sanction=True),
    "LISTED_ON": plain("listingDate", on_sanction=True),
    "LIST_TYPE": plain("status", on_sanction=True, grouped=True),
    "LAST_DAY_UPDATED": plain("modifiedAt", on_sanction=True, grouped=True),
    "NAME_ORIGINAL_SCRIPT": original_name,
    "GENDER": gender,
    "COMMENTS1": plain("notes"),
    "TITLE": plain("title", grouped=True),
    "DESIGNATION": plain("position", grouped=True),
    "NATIONALITY": plain("nationality", grouped=True),
    "INDIVIDUAL_ALIAS": alias,
    "ENTITY_ALIAS": alias,
    "INDIVIDUAL_ADDRESS": address,
    "ENTITY_ADDRESS": address,
    "INDIVIDUAL_DATE_OF_BIRTH": birth_date,
    "INDIVIDUAL_PLACE_OF_BIRTH": birth_place,
    "INDIVIDUAL_DOCUMENT": document,
}


def map_record(el: Element, kind: str, index: int, ctx: ReadContext) -> Iterator[Item]:
    """Map one INDIVIDUAL or ENTITY element to entities, or reject it."""
    ref = clean(el.findtext("REFERENCE_NUMBER"))
    key = ref or clean(el.findtext("DATAID"))
    label = f"{kind} record {index} ({key or 'no reference'})"
    found = [(c.tag, text_of(c), c) for c in el.iterchildren(*NAME_PARTS)]
    all_parts = sorted(found, key=lambda part: NAME_PARTS.index(str(part[0])))
    parts = [p for p in all_parts if p[1] and p[1].lower() not in PLACEHOLDERS]
    reason = "no name" if not parts else None if key else "no REFERENCE_NUMBER or DATAID"
    if reason is not None:
        raw = etree.tostring(el, encoding="unicode")[:RAW_LIMIT]
        yield Rejected(f"line {line_of(el)}, {label}", reason, raw)
        return
    entity = ctx.make_entity(SCHEMATA[kind], ctx.make_id("un-sc", key))
    sanction = ctx.make_entity("Sanction", ctx.make_id("un-sc-sanction", key))
    rec = Record(label, entity, sanction, ctx, key)
    rec.add(entity, "name", " ".join(p[1] for p in parts), el)
    for tag, part, child in all_parts:  # usable() also reports placeholders as Dropped
        if usable(rec, child) and kind == "INDIVIDUAL":
            rec.add(entity, PART_PROPS.get(tag, "middleName"), part, child)
    rec.add(entity, "topics", "sanction", el)
    constants = {"entity": entity.id, "authority": AUTHORITY, "sourceUrl": SOURCE_URL}
    for prop, value in {**constants, "authorityId": ref, "unscId": ref}.items():
        rec.add(sanction, prop, value, el)
    for child in el:
        handler = HANDLERS.get(child.tag)
        if handler is not None:
            handler(rec, child)
        elif text_of(child):
            rec.drop(child, f"unknown field {child.tag}", text_of(child))
    yield entity
    yield sanction
    yield from rec.extra


def unreadable(source: Source, reason: str, line: int | None) -> UnreadableInput:
    """The one-line error for a file that cannot be read."""
    reason = " ".join(LINE_SUFFIX.sub("", reason).split()) or "cannot be parsed"
    return UnreadableInput(f"{source.label}: {reason} (line {max(line or 1, 1)})")


def check_prolog(source: Source, stream: io.BufferedReader) -> None:
    """Refuse a document whose first bytes show a DOCTYPE (DTDs and entities are unsafe)."""
    head = stream.peek(1 << 16)
    match = DOCTYPE.match(head)
    if match is not None:
        line = head[: match.end()].count(b"\n") + 1
        raise unreadable(source, "a DOCTYPE (DTD or entity declarations) is not accepted", line)


def check_document(source: Source, el: Element) -> None:
    """At the first element: no DTD of any kind, and the right root element."""
    tree = el.getroottree()
    info = tree.docinfo
    doctype: str = info.doctype  # type: ignore[attr-defined]
    if doctype or info.internalDTD is not None or info.externalDTD is not None:
        reason = "a DOCTYPE (DTD or entity declarations) is not accepted"
        raise unreadable(source, reason, line_of(tree.getroot()))
    root = tree.getroot()
    if root.tag != ROOT:
        raise unreadable(source, f"root element is {root.tag!r}, not {ROOT}", line_of(root))


def events(source: Source, stream: io.BufferedReader) -> Iterator[Element]:
    """Elements as they end, from a safe parser; parse errors become UnreadableInput."""
    parser = etree.iterparse(
        stream,
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    line = 1
    while True:
        try:
            _, el = next(parser)
        except StopIteration:
            return
        except etree.XMLSyntaxError as exc:
            raise unreadable(source, str(exc.msg), exc.lineno or line) from None
        except (etree.LxmlError, UnicodeError, LookupError, ValueError, OSError) as exc:
            raise unreadable(source, str(exc), line) from None
        line = line_of(el) or line
        yield el


def read_un_sc(source: Source, ctx: ReadContext) -> Iterator[Item]:
    """Read the UN SC consolidated list: Person/Organization, Sanction, Passport and
    Identification entities, Rejected records and Dropped values."""
    counts = dict.fromkeys(SCHEMATA, 0)
    with source.open_binary() as stream:
        check_prolog(source, stream)
        first = True
        for el in events(source, stream):
            if first:
                check_document(source, el)
                first = False
            parent = el.getparent()
            if el.tag not in SCHEMATA or parent is None or parent.tag not in CONTAINERS:
                continue
            counts[el.tag] += 1
            yield from map_record(el, el.tag, counts[el.tag], ctx)
            el.clear()
            while el.getprevious() is not None:
                del parent[0]
