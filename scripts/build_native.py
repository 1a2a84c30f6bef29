"""Compile the modules listed in rasid.native with mypyc, in place, and record their hashes.

    .venv/bin/python scripts/build_native.py          build, unless the build is current
    .venv/bin/python scripts/build_native.py --force  build again (about 25 s)
    .venv/bin/python scripts/build_native.py --clean  remove what a build left

Run from anywhere; needs mypy (mypyc comes with it), a C compiler and Python's headers.
Exits non-zero when the build fails; the sources then run as they are, since nothing
compiled is left behind.
"""

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from rasid import native  # noqa: E402  (this process never imports a compiled module)


def built_files() -> list[Path]:
    """Every file a build leaves in the package: extensions and the manifest."""
    found = [native.compiled_path(m) for m in native.MODULES]
    found += [native.library_path(), native.ROOT / native.MANIFEST]
    return [p for p in found if p is not None and p.exists()]


def clean() -> None:
    """Remove a previous build, so that a failed one leaves the sources in charge."""
    for path in built_files():
        path.unlink()


def build() -> None:
    """Compile the listed modules beside their sources and write the manifest last."""
    from mypyc.build import mypycify
    from setuptools import setup

    sources = {m: native.source_path(m) for m in native.MODULES}
    hashes = {m: native.digest(p) for m, p in sources.items()}
    paths = [str(p.relative_to(ROOT)) for p in sources.values()]
    with tempfile.TemporaryDirectory(prefix="rasid-native-") as tmp:
        os.chdir(ROOT)  # module names come from the paths, relative to the checkout
        warnings.filterwarnings("ignore", module="setuptools")
        extensions = mypycify(paths, group_name=native.GROUP, target_dir=f"{tmp}/c")
        setup(
            name="rasid-native",
            ext_modules=extensions,
            script_args=["-q", "build_ext", "--inplace", "--build-temp", f"{tmp}/o", "-j", "2"],
        )
    if any(native.digest(p) != hashes[m] for m, p in sources.items()):
        raise SystemExit("a source changed during the build; run it again")
    manifest = {"python": sys.implementation.cache_tag, "sources": hashes}
    (native.ROOT / native.MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clean", action="store_true", help="only remove a previous build")
    parser.add_argument("--force", action="store_true", help="build even if the build is current")
    args = parser.parse_args()
    current, _ = native.state()
    if current and not (args.clean or args.force):
        print(f"compiled modules are current ({len(native.MODULES)} modules)")
        return
    clean()
    if args.clean:
        return
    try:
        import mypyc  # noqa: F401
    except ImportError:
        raise SystemExit("mypyc is missing (pip install mypy); the sources will run") from None
    start = time.perf_counter()
    try:
        build()
    except BaseException:
        clean()
        raise
    names = ", ".join(m.rsplit(".", 1)[1] for m in native.MODULES)
    seconds = time.perf_counter() - start
    print(f"compiled {len(native.MODULES)} modules ({names}) in {seconds:.0f} s")


if __name__ == "__main__":
    main()
