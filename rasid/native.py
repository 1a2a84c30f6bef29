"""Compiled modules: which of Rasid's modules run as C extensions, and when they may.

The name matcher's inner loops (``rasid.names``) are plain, strictly typed Python. ``make
install`` also compiles them with mypyc (``scripts/build_native.py``) into extension modules
beside their sources, which Python prefers to the ``.py`` files. The results are the same;
queries run 12 to 27 % faster and an index builds a third faster. Compiling is optional:
without a C compiler the sources run as they are.

A compiled module must never run in place of a source that has changed since: the build
writes ``native.json`` with a hash of each compiled source, and ``guard`` (run when the
``rasid`` package is imported, before any compiled module is) checks it. If any source
differs, or ``RASID_NATIVE=0`` is set, every compiled module is loaded from its source
instead: the compiled modules of one build call each other directly, so they are used all
together or not at all.
"""

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

# The modules compiled, in the order the build gives them to mypyc. They must be strictly
# typed and may not be monkeypatched (compiled code calls its own functions directly).
MODULES = (
    "rasid.names.keys",
    "rasid.names.korean",
    "rasid.names.parts",
    "rasid.names.near",
    "rasid.names.score",
    "rasid.names.arrays",
    "rasid.names.bounds",
    "rasid.names.index",
)
GROUP = "rasid.native"  # the shared library holding them all: rasid/native__mypyc.*.so
MANIFEST = "native.json"
ENV = "RASID_NATIVE"  # "0": run the sources even where a fresh build exists

ROOT = Path(__file__).resolve().parent


def source_path(module: str) -> Path:
    """The ``.py`` file of one of Rasid's modules."""
    return ROOT.parent.joinpath(*module.split(".")).with_suffix(".py")


def digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _extension(stem: Path) -> Path | None:
    """The extension module at ``stem`` (a path without suffix), if there is one."""
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = stem.with_name(stem.name + suffix)
        if candidate.exists():
            return candidate
    return None


def compiled_path(module: str) -> Path | None:
    """The extension module built for ``module`` beside its source, if there is one."""
    return _extension(source_path(module).with_suffix(""))


def library_path() -> Path | None:
    """The group's shared library, which holds the compiled code of every module (each
    module's own extension only passes it on), if there is one."""
    return _extension(ROOT / (GROUP.rsplit(".", 1)[1] + "__mypyc"))


def state() -> tuple[bool, str]:
    """Whether the compiled modules may run, and why (or why not)."""
    if os.environ.get(ENV, "").strip() == "0":
        return False, f"{ENV}=0"
    if library_path() is None or not all(compiled_path(m) for m in MODULES):
        return False, "not compiled"
    try:
        built = json.loads((ROOT / MANIFEST).read_text(encoding="utf-8"))
        hashes = built["sources"]
    except (OSError, ValueError, KeyError, TypeError):
        return False, f"no readable {MANIFEST}"
    if built.get("python") != sys.implementation.cache_tag:
        return False, f"built for {built.get('python')}"
    stale = [m for m in MODULES if hashes.get(m) != digest(source_path(m))]
    if stale:
        return False, f"sources changed since the build: {', '.join(stale)}"
    return True, "compiled"


class SourceFirst(importlib.abc.MetaPathFinder):
    """Loads the listed modules from their ``.py`` sources, passing over built extensions."""

    def __init__(self, modules: Sequence[str]) -> None:
        self.modules = frozenset(modules)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """The source's spec for a listed module; None (the usual search) for the rest."""
        if fullname not in self.modules:
            return None
        return importlib.util.spec_from_file_location(fullname, source_path(fullname))


ACTIVE, REASON = False, "not checked"


def guard() -> None:
    """Decide once per process whether the compiled modules run; when they may not, make
    every listed module load from its source. ``ACTIVE`` and ``REASON`` say what was
    decided."""
    global ACTIVE, REASON
    if REASON != "not checked":
        return
    ACTIVE, REASON = state()
    if not ACTIVE and any(compiled_path(m) for m in MODULES):
        sys.meta_path.insert(0, SourceFirst(MODULES))
