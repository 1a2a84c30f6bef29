"""Reference data bundled with Rasid (see README.md in this folder for provenance)."""

from importlib.resources import files
from pathlib import Path

UN_SC_FILE = "un_sc_consolidated.xml"


def un_sc_path() -> Path:
    """The path of the bundled UN Security Council consolidated list (XML).

    The package must be installed as plain files (not from a zip archive).
    """
    resource = files(__name__) / UN_SC_FILE
    if not isinstance(resource, Path):
        raise FileNotFoundError(f"{UN_SC_FILE} is not available as a file in {__name__}")
    return resource
