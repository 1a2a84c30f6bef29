"""Downloading a remote file (e.g. the UN list's official address) before importing it."""

import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from rasid.ingest.errors import UnreadableInput

MAX_BYTES = 512 * 1024 * 1024


def is_url(location: str) -> bool:
    """True for an http(s) address."""
    return location.startswith(("http://", "https://"))


def download(url: str, timeout: float) -> Path:
    """Fetch ``url`` into a temporary file and return its path (the caller deletes it).

    Any network or HTTP failure is an UnreadableInput naming the address.
    """
    request = urllib.request.Request(url, headers={"User-Agent": "rasid"})
    fd, name = tempfile.mkstemp(prefix="rasid-", suffix=Path(url).suffix)
    target = Path(name)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, open(fd, "wb") as handle:
            shutil.copyfileobj(_limited(response), handle)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        target.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise UnreadableInput(f"{url}: cannot download ({reason})") from None
    return target


class _limited:
    """A response wrapper that refuses to read past MAX_BYTES."""

    def __init__(self, response: object) -> None:
        self._response = response
        self._count = 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._response.read(size)  # type: ignore[attr-defined]
        self._count += len(data)
        if self._count > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES} bytes")
        return data
