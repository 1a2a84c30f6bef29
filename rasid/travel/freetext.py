"""Reading the free-text conventions inside PNR data: SSR DOCS/DOCO, ``CTC`` contacts in
other service information, IATA-encoded e-mail addresses and titles after given names."""

import re
from datetime import date

from rasid.travel.dates import day_month_name
from rasid.travel.pnr import Contact, PnrDocument

TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "REV", "CHD", "INF"})
CONTACT = re.compile(r"\bCTC(?:([A-Z])(?=\s)|(?=\s))\s*(.*)")
DIGITS = re.compile(r"[0-9]")


def split_title(given: str) -> tuple[str, str]:
    """Given names and title, when the title is a separate last word (``NINA MS``)."""
    words = given.split()
    if len(words) > 1 and words[-1].upper() in TITLES:
        return " ".join(words[:-1]), words[-1].upper()
    return " ".join(words), ""


def _field(fields: list[str], i: int) -> str:
    return fields[i].strip() if i < len(fields) else ""


def read_docs(text: str, reference: date) -> PnrDocument | None:
    """An SSR DOCS text ``/P/GBR/123456789/GBR/12JUL64/M/23AUG19/SURNAME/GIVEN/MIDDLE``:
    document type, issuing country, number, nationality, date of birth, sex (``MI``/``FI``
    for infants), expiry, then the names. None when the text has none of these fields."""
    fields = text.strip().split("/")
    if fields and fields[0].strip() == "":
        fields = fields[1:]
    if len(fields) < 2 or not any(f.strip() for f in fields):
        return None
    given = " ".join(f.strip() for f in fields[8:] if f.strip())
    return PnrDocument(
        kind="DOCS",
        type=_field(fields, 0).upper(),
        issuing_country=_field(fields, 1).upper(),
        number=_field(fields, 2),
        nationality=_field(fields, 3).upper(),
        date_of_birth=day_month_name(_field(fields, 4), reference, "past"),
        sex=_field(fields, 5).upper(),
        expiry=day_month_name(_field(fields, 6), reference, "near"),
        surname=_field(fields, 7),
        given_names=given,
    )


def read_doco(text: str, reference: date) -> PnrDocument | None:
    """An SSR DOCO text ``place of birth/type/number/place of issue/issue date/country``
    (a visa or other document). None when it has none of these fields."""
    fields = text.strip().split("/")
    if len(fields) < 3 or not any(f.strip() for f in fields):
        return None
    return PnrDocument(
        kind="DOCO",
        birth_place=_field(fields, 0),
        type=_field(fields, 1).upper(),
        number=_field(fields, 2),
        place_of_issue=_field(fields, 3),
        issued=day_month_name(_field(fields, 4), reference, "near"),
        applicable_country=_field(fields, 5).upper(),
    )


def decode_email(value: str) -> str:
    """An e-mail address as IATA free text writes it: ``//`` for ``@``, ``..`` for ``_`` and
    ``./`` for ``-``."""
    return value.strip().replace("//", "@").replace("..", "_").replace("./", "-")


def read_contact(text: str, source: str = "IFT", traveller_ref: str = "") -> Contact | None:
    """The contact in a ``CTC`` free text (``CTCP 555 1234 HOME``, ``CTCE A..B//EXAMPLE.ORG``),
    or None when the text is not one."""
    match = CONTACT.search(text)
    if match is None or not match.group(2).strip():
        return None
    qualifier, value = match.group(1) or "", match.group(2).strip()
    if qualifier == "E":
        return Contact("email", decode_email(value), qualifier, source, traveller_ref)
    kind = "phone" if len(DIGITS.findall(value)) >= 6 else "other"
    return Contact(kind, value, qualifier, source, traveller_ref)
