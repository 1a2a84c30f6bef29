"""The compiled name matcher: used only when current, and the same results as its sources."""

import importlib
import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rasid import native
from rasid.screen.model import Subject

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fake_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package ``pkg`` with one module, a stand-in extension beside it and a manifest, as
    a fresh build leaves them; ``native`` looks at it instead of Rasid's own modules."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "mod.py").write_text("VALUE = 'source'\n")
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    (package / f"mod{suffix}").write_bytes(b"not a library")
    (package / f"native__mypyc{suffix}").write_bytes(b"not a library either")
    manifest = {
        "python": sys.implementation.cache_tag,
        "sources": {"pkg.mod": native.digest(package / "mod.py")},
    }
    (package / native.MANIFEST).write_text(json.dumps(manifest))
    monkeypatch.setattr(native, "ROOT", package)
    monkeypatch.setattr(native, "MODULES", ("pkg.mod",))
    monkeypatch.delenv(native.ENV, raising=False)
    return package


def test_a_fresh_build_may_run(fake_build: Path) -> None:
    assert native.state() == (True, "compiled")


def test_a_changed_source_keeps_the_build_from_running(fake_build: Path) -> None:
    (fake_build / "mod.py").write_text("VALUE = 'edited'\n")
    active, reason = native.state()
    assert not active
    assert reason == "sources changed since the build: pkg.mod"


def test_the_environment_can_turn_the_build_off(
    fake_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(native.ENV, "0")
    assert native.state() == (False, "RASID_NATIVE=0")


def test_a_build_for_another_python_or_without_a_manifest_does_not_run(fake_build: Path) -> None:
    manifest = json.loads((fake_build / native.MANIFEST).read_text())
    (fake_build / native.MANIFEST).write_text(json.dumps({**manifest, "python": "cpython-39"}))
    assert native.state() == (False, "built for cpython-39")
    (fake_build / native.MANIFEST).write_text("{")
    assert native.state() == (False, "no readable native.json")
    (fake_build / native.MANIFEST).unlink()
    extension = native.compiled_path("pkg.mod")
    assert extension is not None
    extension.rename(fake_build / "moved")
    assert native.state() == (False, "not compiled")
    (fake_build / "moved").rename(extension)
    library = native.library_path()
    assert library is not None
    library.unlink()  # the modules' own extensions, without the code they pass on
    assert native.state() == (False, "not compiled")


def test_source_first_loads_the_source_past_an_extension(
    fake_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (fake_build / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(fake_build.parent))
    for name in ("pkg", "pkg.mod"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    with pytest.raises(ImportError):  # Python's own order prefers the (broken) extension
        importlib.import_module("pkg.mod")
    monkeypatch.delitem(sys.modules, "pkg.mod", raising=False)
    monkeypatch.setattr(sys, "meta_path", [native.SourceFirst(["pkg.mod"]), *sys.meta_path])
    assert importlib.import_module("pkg.mod").VALUE == "source"


def test_the_compiled_modules_are_in_use_where_required() -> None:
    """CI sets RASID_REQUIRE_NATIVE: the modules tested there are the compiled ones."""
    if os.environ.get("RASID_REQUIRE_NATIVE") != "1":
        pytest.skip("RASID_REQUIRE_NATIVE is not set")
    assert native.state() == (True, "compiled")
    assert native.ACTIVE, native.REASON
    for module in native.MODULES:
        path = importlib.import_module(module).__file__ or ""
        assert not path.endswith(".py"), f"{module} ran from its source"


QUERIES = 500


def dump_matches() -> str:
    """Top-five matches (with explanations) of UN aliases, some given facts, against the
    UN persons' first names: the JSON both builds must agree on."""
    from rasid.names.index import NameIndex
    from tests.names.test_index import _un_people

    index = NameIndex()
    subjects = []
    for entity_id, primary, others in _un_people():
        index.add(entity_id, primary, ["1970-01-01"], ["iq"], "male")
        subjects.extend(Subject(str(len(subjects)), name) for name in others)
    found = []
    for number, subject in enumerate(subjects[:QUERIES]):
        if number % 3 == 0:
            subject = Subject(subject.id, subject.name, "1970", "IQ", "female")
        found.append([m.to_dict() for m in index.match(subject, limit=5)])
    return json.dumps(found, ensure_ascii=False)


def test_compiled_and_source_modules_give_the_same_matches() -> None:
    if not native.ACTIVE:
        pytest.skip(f"the compiled modules are not in use: {native.REASON}")
    compiled = json.loads(dump_matches())
    run = subprocess.run(
        [sys.executable, "-c", "import tests.test_native as t; print(t.dump_matches())"],
        cwd=ROOT,
        env={**os.environ, native.ENV: "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    source = json.loads(run.stdout)
    assert sum(len(m) for m in compiled) > QUERIES
    assert compiled == source
