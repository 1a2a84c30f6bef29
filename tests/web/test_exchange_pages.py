"""The exchange pages: compose, send, inbox, read, acknowledge (SQLite and PostgreSQL)."""

import re

from rasid.access.accounts import Role
from rasid.store import Store
from tests.web.helpers import session_client


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_compose_send_read_acknowledge(loaded: Store) -> None:
    police = session_client(loaded, "police")
    form = police.get("/messages/new", params={"entity": "o-nur", "lang": "en"})
    assert form.status_code == 200 and 'value="o-nur"' in form.text
    fields = {
        "csrf_token": csrf(form.text),
        "kind": "report",
        "subject": "Al-Nur <b>charity</b>",
        "body": "تقرير",
        "recipients": ["fiu"],
        "marking": "TLP:AMBER",
        "source_grade": "2",
        "info_grade": "B",
        "entity_ids": "o-nur",
    }
    refused = police.post("/messages/new", data={**fields, "source_grade": ""})
    assert refused.status_code == 422 and "evaluation" in refused.text
    assert 'value="Al-Nur &lt;b&gt;charity&lt;/b&gt;"' in refused.text  # kept, escaped
    forged = police.post("/messages/new", data={**fields, "csrf_token": "forged"})
    assert forged.status_code == 403
    sent = police.post("/messages/new", data=fields, follow_redirects=False)
    assert sent.status_code == 303
    location = sent.headers["location"]
    fiu = session_client(loaded, "fiu", Role.ANALYST)
    inbox = fiu.get("/inbox", params={"lang": "en"}).text
    assert "Al-Nur &lt;b&gt;charity&lt;/b&gt;" in inbox and "<b>charity" not in inbox
    page = fiu.get(location)
    assert page.status_code == 200 and "tlp-amber" in page.text
    ack = fiu.post(f"{location}/acknowledge", data={"csrf_token": csrf(page.text)})
    assert ack.status_code == 200 and 'action="' + location + '/acknowledge"' not in ack.text
    receipts = police.get(location).text
    assert re.search(r'class="ack">[^<]*fiu', receipts)
    border = session_client(loaded, "border", Role.ANALYST)
    assert border.get(location).status_code == 404
    dpo = session_client(loaded, "police", Role.DPO)
    assert dpo.get("/inbox").status_code == 403
