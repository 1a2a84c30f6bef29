"""A small linked world for the graph tests, imported through the real import path.

The police know a terrorist cell and a criminal gang, each with a member; the FIU (which
shares its reports with the police) knows a broker paid by the cell's member who pays the
gang's member, and a phone number the broker shares with the cell member's brother; the
prisons (sharing with nobody) know that the two members met in prison. One FIU payment is
marked TLP:RED: the police may not see it.
"""

import json
from pathlib import Path
from typing import Any

from rasid.access.policy import share_dataset
from rasid.access.registry import add_agency
from rasid.ingest.run import IngestRequest, ingest
from rasid.model.markings import Marking
from rasid.model.registry import Agency
from rasid.store import Store


def _e(id: str, schema: str, **props: Any) -> dict[str, Any]:
    values = {k: v if isinstance(v, list) else [v] for k, v in props.items()}
    return {"id": id, "schema": schema, "properties": values}


POLICE = [
    _e("cell", "Organization", name="Valley cell", topics="crime.terror"),
    _e("gang", "Organization", name="Coral network", topics="crime.traffick.human"),
    _e("p-cell", "Person", name="Test Person One"),
    _e("p-brother", "Person", name="Test Person Two", phone="+44 20 7946 0001"),
    _e("p-gang", "Person", name="Test Person Three"),
    _e("m-cell", "Membership", member="p-cell", organization="cell", role="member"),
    _e("m-gang", "Membership", member="p-gang", organization="gang", startDate="2021-01-01"),
    _e("f-brothers", "Family", person="p-cell", relative="p-brother", relationship="brother"),
]
FIU = [
    _e("p-broker", "Person", name="Test Broker", phone="+442079460001"),
    _e(
        "pay-1",
        "Payment",
        payer="p-cell",
        beneficiary="p-broker",
        amount="5000",
        currency="USD",
        date="2023-04-01",
    ),
    _e(
        "pay-2",
        "Payment",
        payer="p-broker",
        beneficiary="p-gang",
        amount="4000",
        currency="USD",
        date="2023-05-02",
    ),
]
FIU_RED = [
    _e(
        "pay-red",
        "Payment",
        payer="p-brother",
        beneficiary="p-gang",
        amount="100",
        date="2023-06-01",
    ),
]
RED = Marking.RED
PRISONS = [
    _e("p-cell", "Person", name="Test Inmate One"),
    _e("p-gang", "Person", name="Test Inmate Three"),
    _e("a-prison", "Associate", person="p-cell", associate="p-gang", relationship="cellmate"),
]


def _write(folder: Path, name: str, rows: list[dict[str, Any]]) -> str:
    path = folder / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return str(path)


def load(store: Store, folder: Path) -> None:
    """Import the sample: police and FIU data shared as said above, prisons unshared."""
    with store.uow() as uow:
        for name in ("police", "fiu", "prisons"):
            add_agency(uow.conn, Agency(name, name.title(), name, name))
    for dataset, agency, rows in (
        ("police_cases", "police", POLICE),
        ("fiu_reports", "fiu", FIU),
        ("prison_register", "prisons", PRISONS),
    ):
        ingest(store, IngestRequest(_write(folder, dataset, rows), dataset, agency=agency))
    red = IngestRequest(_write(folder, "red", FIU_RED), "fiu_red", agency="fiu", marking=RED)
    ingest(store, red)
    with store.uow() as uow:
        share_dataset(uow.conn, "fiu_reports", "police", "test")
        share_dataset(uow.conn, "fiu_red", "police", "test")  # shares withhold TLP:RED
        share_dataset(uow.conn, "police_cases", "fiu", "test")
