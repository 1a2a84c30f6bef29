"""Evaluation scales (source reliability, information credibility), declared in gradings.yml."""

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from rasid.model.errors import ModelError


@dataclass(frozen=True)
class Grade:
    """One code of a scale with its English and Arabic labels."""

    code: str
    en: str
    ar: str


@dataclass(frozen=True)
class Scale:
    """A grading scale: codes for the source, the information and (optionally) handling."""

    name: str
    title: str
    title_ar: str
    source: dict[str, Grade]
    info: dict[str, Grade]
    handling: dict[str, Grade]
    # (source, info) given to what a system passes on (e.g. a confirmed traveller hit).
    system: tuple[str, str] = ("", "")

    def check_source(self, code: str | None) -> str | None:
        """Return the code normalised (upper case) or raise if the scale has no such grade."""
        return _check(self.source, code, f"{self.name} source grade", "تقدير المصدر")

    def check_info(self, code: str | None) -> str | None:
        """Return the code normalised (upper case) or raise if the scale has no such grade."""
        return _check(self.info, code, f"{self.name} information grade", "تقدير المعلومة")


def _check(grades: dict[str, Grade], code: str | None, what: str, what_ar: str) -> str | None:
    if code is None or not code.strip():
        return None
    key = code.strip().upper()
    if key not in grades:
        known = ", ".join(grades)
        raise ModelError(
            f"unknown {what}: {code!r} (expected one of {known})",
            arabic=f"{what_ar} غير معروف: {code!r} (المتوقع واحد من {known})",
        )
    return key


def _grades(data: dict[str, Any] | None) -> dict[str, Grade]:
    return {str(k): Grade(str(k), v["en"], v["ar"]) for k, v in (data or {}).items()}


@cache
def scales() -> dict[str, Scale]:
    """All scales shipped with Rasid, by name."""
    text = resources.files("rasid.model").joinpath("gradings.yml").read_text("utf-8")
    data = yaml.safe_load(text)["scales"]
    return {
        name: Scale(
            name,
            d["title"],
            d["title_ar"],
            _grades(d["source"]),
            _grades(d["info"]),
            _grades(d.get("handling")),
            (str(d["system"]["source"]), str(d["system"]["info"])),
        )
        for name, d in data.items()
    }


def get_scale(name: str) -> Scale:
    """The scale with this name, or a ModelError listing the known ones."""
    try:
        return scales()[name]
    except KeyError:
        raise ModelError(f"unknown grading scale {name!r} (known: {', '.join(scales())})") from None
