"""The pieces ``rasid.assist.iati`` reads and writes IATI activity XML with: the safe parser,
where an element is (file, line, activity) in English and Arabic, text, dates, numbers and
currencies read strictly, and the writing of elements, narratives and amounts.

A value that cannot be read raises ``Bad`` (the activity is quarantined); a value that can be
left out is dropped through ``Activity.drop``. Both carry the reason in English and Arabic.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from lxml import etree

from rasid.assist.errors import AssistError
from rasid.assist.model import ImportProblem

__all__ = [
    "MEASURES",
    "NAMESPACE",
    "VOCABULARY_URI",
    "XML_LANG",
    "Activity",
    "Bad",
    "Element",
    "amount",
    "checked_currency",
    "clean",
    "decimal",
    "line",
    "narrative",
    "narratives",
    "ns",
    "parse",
    "read_date",
    "read_number",
    "sub",
    "text",
]

NAMESPACE = "urn:rasid:iati:1"
VOCABULARY_URI = "urn:rasid:taxonomy:nexus-good-practices"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEASURES = {"1": "unit", "2": "percentage", "3": "nominal", "4": "ordinal", "5": "qualitative"}
DOCTYPE = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
LINE_SUFFIX = re.compile(r",? line [0-9]+, column [0-9]+.*$")
ISO_DATE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?$")
NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
Element = etree._Element


def ns(tag: str) -> str:
    """A tag or attribute in our namespace."""
    return f"{{{NAMESPACE}}}{tag}"


# --- where and why --------------------------------------------------------------------------


class Bad(Exception):
    """The activity cannot be read whole: quarantine it, saying why in both languages."""

    def __init__(self, el: Element, reason: str, *, arabic: str) -> None:
        super().__init__(reason)
        self.el = el
        self.reason = reason
        self.arabic = arabic


@dataclass
class Activity:
    """One activity being read: where it is, for messages, and the values dropped."""

    name: str
    label: str  # the identifier, or "#k" when there is none
    lang: str  # the activity's language
    dropped: list[ImportProblem] = field(default_factory=list)

    def problem(self, el: Element, reason: str, arabic: str) -> ImportProblem:
        """A problem at an element: the file, line and activity, and the reason."""
        at = line(el)
        return ImportProblem(
            f"{self.name} line {at}, activity {self.label}",
            reason,
            f"{self.name} السطر {at}، النشاط {self.label}",
            arabic,
        )

    def drop(self, el: Element, reason: str, arabic: str) -> None:
        """Leave a value out, saying why."""
        self.dropped.append(self.problem(el, reason, arabic))


def line(el: Element) -> int:
    """An element's line in its file (1 when unknown)."""
    found = el.sourceline
    return found if isinstance(found, int) and found > 0 else 1


# --- reading values -------------------------------------------------------------------------


def clean(value: str) -> str:
    """Whitespace collapsed."""
    return " ".join(value.split())


def text(el: Element | None) -> str:
    """An element's text, with its children's, stripped ("" for no element)."""
    if el is None:
        return ""
    return "".join(t for t in el.itertext() if isinstance(t, str)).strip()


def narratives(el: Element | None, lang: str) -> tuple[str, str]:
    """The text in the activity's language (else English, else any but Arabic) and the
    Arabic text of an element with ``narrative`` children."""
    if el is None:
        return "", ""
    found = [(n.get(XML_LANG) or lang, text(n)) for n in el.iterchildren("narrative")]
    found = [(code.lower(), value) for code, value in found if value]
    if not found:  # IATI 1.x put the text in the element itself
        found = [(lang, text(el))] if text(el) else []
    arabic = next((t for code, t in found if code == "ar"), "")
    for wanted in (lang, "en"):
        main = next((t for code, t in found if code == wanted), "")
        if main:
            return main, arabic
    other = next((t for code, t in found if code != "ar"), arabic)
    return other, arabic


def read_date(el: Element, attr: str = "iso-date") -> date:
    """A date attribute (YYYY-MM-DD, a time zone allowed); ``Bad`` when it is not one."""
    value = (el.get(attr) or "").strip()
    match = ISO_DATE.match(value)
    try:
        if match:
            return date.fromisoformat(match.group(1))
    except ValueError:
        pass
    raise Bad(
        el,
        f"<{el.tag}> @{attr}: {value!r} is not a date (YYYY-MM-DD)",
        arabic=f"<{el.tag}> @{attr}: القيمة {value!r} ليست تاريخًا (YYYY-MM-DD)",
    )


def read_number(el: Element, value: str | None, what: str) -> float:
    """A finite decimal number; ``Bad`` naming ``what`` (the attribute or "value")."""
    found = (value or "").strip()
    if not NUMBER.match(found) or abs(number := float(found)) == float("inf"):
        raise Bad(
            el,
            f"<{el.tag}> {what}: {found!r} is not a number",
            arabic=f"<{el.tag}> {what}: القيمة {found!r} ليست عددًا",
        )
    return number


def checked_currency(el: Element, code: str | None) -> str:
    """An ISO 4217 code as written; ``Bad`` otherwise."""
    found = (code or "").strip()
    if not CURRENCY.match(found):
        raise Bad(
            el,
            f"<{el.tag}>: currency {found!r} is not an ISO 4217 code",
            arabic=f"<{el.tag}>: العملة {found!r} ليست رمزًا من رموز ISO 4217",
        )
    return found


# --- the document ---------------------------------------------------------------------------


def _doctype(name: str, at: int) -> AssistError:
    return AssistError(
        f"{name} line {at}: a DOCTYPE (DTD or entities) is not accepted",
        arabic=f"{name} السطر {at}: لا يُقبل تعريف DOCTYPE (DTD أو كيانات)",
    )


def parse(data: bytes, name: str) -> Element:
    """The root ``iati-activities`` element, from a parser that neither loads DTDs nor
    expands entities; ``AssistError`` (file and line) when the document is refused."""
    doctype = DOCTYPE.match(data)
    if doctype:
        raise _doctype(name, data[: doctype.end()].count(b"\n") + 1)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        reason = LINE_SUFFIX.sub("", str(exc.msg or "")) or "cannot be parsed"
        at = max(exc.lineno or 1, 1)
        raise AssistError(
            f"{name} line {at}: not XML: {reason}",
            arabic=f"{name} السطر {at}: الملف ليس XML صالحًا ({reason})",
        ) from None
    except (etree.LxmlError, ValueError, UnicodeError, LookupError) as exc:
        raise AssistError(
            f"{name} line 1: not XML: {exc}",
            arabic=f"{name} السطر 1: الملف ليس XML صالحًا ({exc})",
        ) from None
    info = root.getroottree().docinfo
    declared: str = info.doctype  # type: ignore[union-attr]
    if declared or info.internalDTD is not None or info.externalDTD is not None:
        raise _doctype(name, 1)
    if root.tag != "iati-activities":
        at = line(root)
        raise AssistError(
            f"{name} line {at}: the root element is <{root.tag}>, not <iati-activities>",
            arabic=f"{name} السطر {at}: العنصر الجذر هو <{root.tag}> لا <iati-activities>",
        )
    return root


# --- writing --------------------------------------------------------------------------------


def decimal(value: Decimal) -> str:
    """A decimal without trailing zeros."""
    written = format(value, "f")
    return written.rstrip("0").rstrip(".") if "." in written else written


def amount(value: float) -> str:
    """A number as xsd:decimal text that reads back as the same float."""
    return decimal(Decimal(repr(float(value))))


def sub(parent: Element, tag: str, content: str = "", **attrs: str) -> Element:
    """A child element; attribute names written with ``-`` for ``_``."""
    el = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if content:
        el.text = content
    return el


def narrative(parent: Element, tag: str, content: str, arabic: str = "", **attrs: str) -> Element:
    """A child with a ``narrative`` (and an Arabic one when given)."""
    el = sub(parent, tag, **attrs)
    sub(el, "narrative", content)
    if arabic:
        sub(el, "narrative", arabic).set(XML_LANG, "ar")
    return el
