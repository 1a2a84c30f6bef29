"""The sample travel messages (test fixtures in ``tests/travel/data``, with their licence)."""

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

SAMPLES = (
    "paxlst_gtas_airline2_custom_separators.edi",
    "paxlst_gtas_apisMessage_d05b.edi",
    "paxlst_gtas_crew_Test1.edi",
    "paxlst_gtas_multiple_flight_leg.edi",
    "pnrgov_gtas_iata_guide_pg75.edi",
    "pnrgov_gtas_iata_guide_pg76.edi",
    "pnrgov_gtas_iata_guide_pg77.edi",
    "pnrgov_gtas_pnrMessage_full.edi",
    "pnrgov_gtas_pnr_split_multipart.edi",
    "pnrgov_gtas_with_docs_doco.edi",
)


@cache
def sample(name: str) -> bytes:
    """The bytes of a sample file (an assertion error names the path when it is missing)."""
    path = DATA_DIR / name
    assert path.is_file(), f"sample travel message missing: {path.resolve()}"
    return path.read_bytes()
