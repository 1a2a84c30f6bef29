"""Property-based calls to every API operation, generated from the OpenAPI document by
schemathesis: whatever the parameters and bodies, no server error (5xx), with and without
a valid token.

The app and its store are made when the module is collected (schemathesis reads the
document then): the web sample in a SQLite file in a temporary folder.
"""

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from rasid.store import open_store
from rasid.web.app import create_app
from tests.web.conftest import load_sample
from tests.web.helpers import PURPOSE, new_user, token_for

pytestmark = pytest.mark.slow

FOLDER = Path(tempfile.mkdtemp(prefix="rasid-schemathesis-"))
STORE = open_store(f"sqlite:///{FOLDER / 'rasid.db'}", create=True)
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)
atexit.register(STORE.dispose)
load_sample(STORE, FOLDER)
TOKEN = token_for(STORE, new_user(STORE, "police"))
schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(STORE))


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same calls on every run
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case: Any) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "X-Rasid-Purpose": PURPOSE}
    case.call_and_validate(headers=headers, checks=[not_a_server_error])
    case.call_and_validate(checks=[not_a_server_error])  # anonymous
