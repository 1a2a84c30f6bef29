"""The sample travel messages (test fixtures in ``tests/travel/data``, with their licence)."""

import json
from functools import cache
from pathlib import Path

from rasid.ingest.run import IngestRequest, ingest
from rasid.store import Store

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


DOCO = "pnrgov_gtas_with_docs_doco.edi"


def push(number: int, last_transaction: str, seat: str, bag: bool = False) -> bytes:
    """The DOCO sample as pushed again: its own UNB and UNH references, a last transaction
    (``DDMMYY:HHMM``), the seat on its last leg and, with ``bag``, a checked bag there."""
    text = sample(DOCO).decode("utf-8")
    text = text.replace("+361553663005'", f"+36155366300{number}'")
    text = text.replace("+123456789'", f"+PUSH{number}'")
    text = text.replace("DAT+700:110518:1307", f"DAT+700:{last_transaction}")
    checked = "TBD++1:20:700++MP+016:0123456789:1:IAD'\n" if bag else ""
    text = text.replace("++23K::1'", f"++{seat}::1'")
    return text.replace("SSD+23K++++Y'\n", f"SSD+{seat}++++Y'\n{checked}").encode("utf-8")


# The three pushes of one PNR: 48 hours before departure, 24 hours before, at departure.
PUSHES = {
    "48h": push(1, "100518:1120", "23K"),
    "24h": push(2, "110518:1120", "24A"),
    "departure": push(3, "120518:1100", "24A", bag=True),
}

# A PNR with sensitive data everywhere the safeguard looks: a PNR remark (halal), traveller
# SSRs (Muslim meal, wheelchair, a pregnancy in free text), an Arabic remark (pregnant), a
# leg SSR (Asian vegetarian meal) and history (kosher meal); and what must stay: a no-smoking
# seat request, a VIP remark and the traveller's name, MUHAMMAD.
SENSITIVE_PNR = """UNA:+.?*'
UNB+IATA:1+XY+RASID+240301:0900+MADEUP1'
UNH+1+PNRGOV:13:1:IA+MADEUP1'
MSG+:22'
ORG+XY:CAI'
TVL+050324:1000:050324:1400+CAI+DXB+XY+123'
EQN+1'
SRC'
RCI+XY:ABC123::010324:0800'
DAT+700:010324:0900'
IFT+4:28+REQUESTS HALAL FOOD'
IFT+4:28+VIP PASSENGER'
TIF+HASSAN+MUHAMMAD MR:A:1'
SSR+DOCS:HK:1:XY:::::/P/EGY/A1234567/EGY/01JAN80/M/01JAN30/HASSAN/MUHAMMAD'
SSR+MOML:HK:1:XY'
SSR+WCHR:HK:1:XY'
SSR+OTHS:HK:1:XY:::::PAX PREGNANT 7 MONTHS'
SSR+NSST:HK:1:XY'
IFT+4:28+الراكبة حامل'
TVL+050324:1000:050324:1400+CAI+DXB+XY+123'
SSR+AVML:HK:1:XY:::CAI:DXB+::1'
LTS+0/O/SR/SSR KSML XY HK1'
UNT+21+1'
UNZ+1+MADEUP1'
""".encode()
SENSITIVE_WORDS = ("HALAL", "MOML", "WCHR", "PREGNANT", "حامل", "AVML", "KSML")

# An API manifest of the DOCO sample's last flight (UA988 FRA-IAD on 12 May 2018, its number
# written with a leading zero), with the same traveller.
API_UA988 = b"""UNA:+.? '
UNB+UNOA:4+UA+RASID+180512:0900+API1'
UNH+1+PAXLST:D:05B:UN:IATA'
BGM+745'
NAD+MS+++UA OPS'
TDT+20+UA0988+++UA'
LOC+125+FRA'
DTM+189:1805121220'
LOC+87+IAD'
DTM+232:1805121505'
NAD+FL+++ACKARY:CHARLES'
ATT+2++M'
DTM+329:481226'
NAT+2+GBR'
DOC+P+602120901'
DTM+36:210130'
LOC+91+GBR'
CNT+42:1'
UNT+17+1'
UNZ+1+API1'
"""

# A manifest without a flight leg (TDT): the message is not usable.
API_WITHOUT_FLIGHT = b"""UNA:+.? '
UNB+UNOA:4+AIR1+DHS+070218:1545+000006640'
UNH+PAX001+PAXLST:D:05B:UN:IATA'
BGM+745'
NAD+FL+++CLARK:MICHAEL'
ATT+2++M'
DTM+329:720907'
CNT+42:1'
UNT+7+PAX001'
UNZ+1+000006640'
"""

# Two PNRs, the first without a record locator (left out), the second whole.
PNR_WITHOUT_LOCATOR = SENSITIVE_PNR.replace(
    b"SRC'\nRCI+XY:ABC123",
    b"SRC'\nDAT+700:010324:0900'\nTIF+NOBODY+KNOWN:A:1'\nSRC'\nRCI+XY:ABC123",
).replace(b"EQN+1'", b"EQN+2'")


# A national watchlist naming, in Arabic, the traveller of SENSITIVE_PNR (HASSAN MUHAMMAD,
# born 1 January 1980, Egyptian), and a list of lost and stolen documents holding the
# passport of API_UA988's traveller (602120901, GBR), the same number issued by France,
# and a document without an issuing state.
WATCHLIST = [
    {
        "id": "wl-hassan",
        "schema": "Person",
        "properties": {"name": ["محمد حسن"], "birthDate": ["1980-01-01"], "nationality": ["eg"]},
    },
    {"id": "wl-other", "schema": "Person", "properties": {"name": ["Zayd Qurashi"]}},
]
DOCUMENTS = [
    {
        "id": "sltd-1",
        "schema": "Passport",
        "properties": {"number": ["602120901"], "country": ["gb"], "summary": ["stolen"]},
    },
    {
        "id": "sltd-2",
        "schema": "Passport",
        "properties": {"number": ["602120901"], "country": ["fr"]},
    },
    {"id": "sltd-3", "schema": "Passport", "properties": {"number": ["A1234567"]}},
]


def _lines(path: Path, entities: list[dict[str, object]]) -> str:
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n")
    return str(path)


def arrive(store: Store, tmp_path: Path, name: str, data: bytes) -> str:
    """Import a travel file into the PIU's dataset; the import's run id."""
    path = tmp_path / name
    path.write_bytes(data)
    return ingest(store, IngestRequest(str(path), "piu", agency="piu")).run_id


def add_lists(store: Store, tmp_path: Path) -> Store:
    """The watchlist (of the police) and the document list (of the border police)."""
    watchlist = _lines(tmp_path / "national.jsonl", WATCHLIST)
    ingest(store, IngestRequest(watchlist, "national", agency="police", kind="watchlist"))
    documents = _lines(tmp_path / "sltd.jsonl", DOCUMENTS)
    ingest(store, IngestRequest(documents, "sltd", agency="border", kind="documents"))
    return store
