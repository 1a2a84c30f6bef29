"""The JSON form of parsed travel records, as the travel tables store them.

A record (a frozen dataclass of ``rasid.travel.pnr`` or ``rasid.travel.manifest``) is written
as an object of its fields, without its place in the file; dates in ISO form, amounts as
text; keys sorted and no spaces, so that equal content gives equal text (a booking version's
content hash is the hash of this text).
"""

import json
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

UNPLACED = ("position", "line")  # where a record was in its file: not part of its content


def plain(value: Any) -> Any:
    """A record as JSON-ready values: dataclasses as dicts (without their place in the file),
    dates in ISO form, amounts as text."""
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name)) for f in fields(value) if f.name not in UNPLACED
        }
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def to_json(value: Any) -> str:
    """Compact, key-sorted JSON of a record (the JSON of ``plain(value)``; records' dicts
    have text keys): equal content gives equal text."""
    return _ENCODER.encode(value)


# Field names of each dataclass met, without their place in the file.
_FIELDS: dict[type, tuple[str, ...]] = {}


def _json_value(value: Any) -> Any:
    """What ``plain`` makes of a value the JSON encoder cannot write itself (a record, a
    date, an amount). The encoder walks lists and dicts in C and calls this only for those,
    which makes ``to_json`` several times faster than encoding ``plain(value)``."""
    names = _FIELDS.get(type(value))
    if names is not None:
        return {name: getattr(value, name) for name in names}
    if is_dataclass(value) and not isinstance(value, type):
        _FIELDS[type(value)] = tuple(f.name for f in fields(value) if f.name not in UNPLACED)
        return _json_value(value)
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a record JSON can hold")


# Records hold no cycles (frozen dataclasses of tuples), so the encoder need not check.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False,
    sort_keys=True,
    separators=(",", ":"),
    default=_json_value,
    check_circular=False,
)
