"""A check shared by the packages' tests: every error a user can cause is worded in Arabic as
well as English (``rasid.model.errors.ModelError``'s ``arabic``), so that the Arabic pages
never show an English refusal."""

import ast
from collections.abc import Iterable
from pathlib import Path

OPT_OUT = "# english-only:"
"""A raise that no user can cause (an internal invariant) says so on its line, with why."""


def unworded(paths: Iterable[Path], errors: Iterable[str]) -> list[str]:
    """``file:line`` of every ``raise E(...)`` of one of ``errors`` (class names) that gives
    a message but no ``arabic=`` wording and is not marked with ``OPT_OUT``."""
    names = set(errors)
    found = []
    for path in paths:
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                continue
            call = node.exc
            func = call.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in names or not (call.args or call.keywords):
                continue
            if any(k.arg == "arabic" for k in call.keywords):
                continue
            end = node.end_lineno or node.lineno
            if any(OPT_OUT in line for line in lines[node.lineno - 1 : end]):
                continue
            found.append(f"{path.as_posix()}:{node.lineno}")
    return found


def package_files(package: str) -> list[Path]:
    """The Python files of ``rasid.<package>`` (a folder of the source tree)."""
    root = Path(__file__).resolve().parent.parent / "rasid" / package
    return sorted(root.rglob("*.py"))
