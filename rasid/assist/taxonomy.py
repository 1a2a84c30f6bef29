"""The thematic taxonomy: the toolkit's 25 good practices in four areas, read from
``taxonomy.yml`` in the package, and the requirements a state adds (stored in the database,
passed in here as extra themes).

Loading is strict: an unknown key, a missing wording, a number out of order, an unknown area
or a DAC code that is not five digits is an ``AssistError`` naming the file and the entry.
"""

import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from rasid.assist.errors import AssistError
from rasid.assist.model import Area, Taxonomy, Text, Theme, ThemeKind

PRACTICES = 25
DAC_CODE = re.compile(r"^\d{5}$")
THEME_CODE = re.compile(r"^[a-z0-9][a-z0-9.-]{0,62}$")
_TOP = {"id", "version", "source", "areas", "practices"}
_AREA = {"code", "ar", "en"}
_PRACTICE = {"number", "area", "ar", "en", "dac", "note"}


def practice_code(number: int) -> str:
    """The theme code of a good practice: ``gp-01`` .. ``gp-25``."""
    return f"gp-{number:02d}"


def checked_mapping(
    value: Any, where: str, keys: set[str], required: set[str]
) -> Mapping[str, Any]:
    """A YAML mapping with only ``keys`` and every key of ``required``, else an AssistError
    naming ``where``."""
    if not isinstance(value, dict):
        raise AssistError(
            f"{where}: expected a mapping", arabic=f"{where}: المتوقع هنا مفاتيح وقيم"
        )
    unknown = set(value) - keys
    if unknown:
        key = sorted(unknown)[0]
        raise AssistError(
            f"{where}: unknown key {key!r}", arabic=f"{where}: مفتاح غير معروف {key!r}"
        )
    missing = required - set(value)
    if missing:
        key = sorted(missing)[0]
        raise AssistError(f"{where}: missing key {key!r}", arabic=f"{where}: المفتاح {key!r} ناقص")
    return value


def _text(entry: Mapping[str, Any], where: str) -> Text:
    ar, en = entry.get("ar"), entry.get("en")
    if not isinstance(ar, str) or not ar.strip() or not isinstance(en, str) or not en.strip():
        raise AssistError(
            f"{where}: needs wording in Arabic (ar) and English (en)",
            arabic=f"{where}: يحتاج إلى صياغة بالعربية (ar) وبالإنجليزية (en)",
        )
    return Text(ar.strip(), en.strip())


def check_dac(codes: Iterable[str], where: Text | str) -> tuple[str, ...]:
    """DAC CRS purpose codes, checked to be five digits; ``where`` names the entry in
    refusals (a plain string is a place, a file and entry, the same in both languages)."""
    place = where if isinstance(where, Text) else Text(where, where)
    out = tuple(str(c) for c in codes)
    for code in out:
        if not DAC_CODE.match(code):
            raise AssistError(
                f"{place.en}: DAC purpose code {code!r} is not five digits",
                arabic=f"{place.ar}: رمز غاية لجنة المساعدة الإنمائية {code!r} ليس من خمسة أرقام",
            )
    return out


def parse(data: Any, file: str) -> Taxonomy:
    """A taxonomy from the YAML document ``data`` (read from ``file``, for messages)."""
    top = checked_mapping(data, file, _TOP, _TOP)
    areas: list[Area] = []
    for i, raw in enumerate(top["areas"] or ()):
        where = f"{file}: areas[{i}]"
        entry = checked_mapping(raw, where, _AREA, _AREA)
        areas.append(Area(str(entry["code"]), _text(entry, where)))
    codes = {a.code for a in areas}
    if len(codes) != len(areas):
        raise AssistError(f"{file}: areas: duplicate code", arabic=f"{file}: areas: رمز مكرر")
    themes: list[Theme] = []
    for i, raw in enumerate(top["practices"] or ()):
        where = f"{file}: practices[{i}]"
        entry = checked_mapping(raw, where, _PRACTICE, _PRACTICE - {"note"})
        number = entry["number"]
        if number != i + 1:
            raise AssistError(
                f"{where}: number {number!r}, expected {i + 1}",
                arabic=f"{where}: الرقم {number!r}، والمتوقع {i + 1}",
            )
        if entry["area"] not in codes:
            area = entry["area"]
            raise AssistError(
                f"{where}: unknown area {area!r}", arabic=f"{where}: مجال غير معروف {area!r}"
            )
        themes.append(
            Theme(
                code=practice_code(number),
                area=str(entry["area"]),
                label=_text(entry, where),
                kind=ThemeKind.PRACTICE,
                dac=check_dac(entry["dac"] or (), where),
                number=number,
                note=str(entry.get("note") or ""),
            )
        )
    if len(themes) != PRACTICES:
        raise AssistError(
            f"{file}: {len(themes)} good practices, expected {PRACTICES}",
            arabic=f"{file}: عدد الممارسات الجيدة {len(themes)}، والمتوقع {PRACTICES}",
        )
    return Taxonomy(str(top["version"]), str(top["source"]), tuple(areas), tuple(themes))


def yaml_place(exc: BaseException) -> Text:
    """Where in its file a YAML error is (" (line 3, column 7)"), or nothing."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return Text("", "")
    line, column = mark.line + 1, mark.column + 1
    return Text(f" (السطر {line}، العمود {column})", f" (line {line}, column {column})")


def load_file(path: Path) -> Taxonomy:
    """A taxonomy from a YAML file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise AssistError(
            f"{path.name}: not valid YAML: {exc}",
            arabic=f"{path.name}: ليس YAML صالحًا{yaml_place(exc).ar}",
        ) from exc
    return parse(data, path.name)


@cache
def builtin() -> Taxonomy:
    """The taxonomy shipped in the package (the 25 good practices)."""
    text = resources.files("rasid.assist").joinpath("taxonomy.yml").read_text(encoding="utf-8")
    return parse(yaml.safe_load(text), "taxonomy.yml")


def requirement(code: str, area: str, label: Text, dac: Iterable[str], note: str = "") -> Theme:
    """A state's own requirement as a theme, checked (its area must be one of the
    taxonomy's; its code must not be a good practice's)."""
    where = Text(f"المتطلب {code!r}", f"requirement {code!r}")
    if not THEME_CODE.match(code) or code.startswith("gp-"):
        raise AssistError(
            f"{where.en}: a code is lower-case letters, digits, '.' and '-' (not gp-...)",
            arabic=f"{where.ar}: الرمز حروف لاتينية صغيرة وأرقام و'.' و'-' (ولا يبدأ بـ gp-)",
        )
    if area not in {a.code for a in builtin().areas}:
        raise AssistError(
            f"{where.en}: unknown area {area!r}", arabic=f"{where.ar}: مجال غير معروف {area!r}"
        )
    if not label.ar.strip() or not label.en.strip():
        raise AssistError(
            f"{where.en}: needs wording in Arabic and English",
            arabic=f"{where.ar}: يحتاج إلى صياغة بالعربية وبالإنجليزية",
        )
    return Theme(code, area, label, ThemeKind.REQUIREMENT, check_dac(dac, where), note=note)


def with_requirements(requirements: Iterable[Theme]) -> Taxonomy:
    """The built-in taxonomy followed by a state's requirements."""
    base = builtin()
    return Taxonomy(base.version, base.source, base.areas, base.themes + tuple(requirements))
