"""`rasid users`, `rasid tokens` and `rasid audit` through Typer's runner."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from rasid.access.accounts import authenticate_token, sign_in
from rasid.access.sealing import key_id, load_keys
from rasid.access.totp import code_at
from rasid.cli.main import app
from rasid.settings import get_settings
from rasid.store import open_store
from rasid.store.tables import app_user, audit_event

runner = CliRunner()


def _run(*args: str, stdin: str | None = None) -> dict[str, object] | list[object]:
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_an_administrator_enrols_users_and_tokens(settings_env: str) -> None:
    assert runner.invoke(app, ["agencies", "add", "police", "--label", "Police"]).exit_code == 0
    made = _run("users", "add", "amina", "--agency", "police", "--role", "analyst", "--json")
    assert isinstance(made, dict) and made["must_change_password"]
    assert str(made["totp_uri"]).startswith("otpauth://totp/Rasid%3Aamina%40police")
    store = open_store(settings_env)
    try:
        with store.uow() as uow:
            code = code_at(str(made["totp_secret"]), 1_800_000_000)
            assert sign_in(uow.conn, "amina", str(made["password"]), code, when=1_800_000_000).ok
        # A chosen password comes on standard input; the text output shows no password.
        chosen = runner.invoke(
            app,
            ["users", "add", "omar", "--agency", "police", "--role", "dpo", "--password-stdin"],
            input="a long chosen passphrase\n",
        )
        assert chosen.exit_code == 0, chosen.output
        assert "TOTP secret" in chosen.output and "one-time password" not in chosen.output
        listed = _run("users", "--json")
        assert [u["name"] for u in listed] == ["amina", "omar"]  # type: ignore[index]
        # The token alone goes to standard output.
        created = runner.invoke(app, ["tokens", "create", "amina", "--scope", "read,screen"])
        assert created.exit_code == 0, created.output
        text = created.stdout.strip()
        assert text.startswith("rasid_") and "\n" not in text
        with store.uow() as uow:
            bearer = authenticate_token(uow.conn, text)
            assert bearer is not None and bearer.user.name == "amina"
        tokens = _run("tokens", "--json")
        assert isinstance(tokens, list) and tokens[0]["scopes"] == ["read", "screen"]  # type: ignore[index]
        assert "secret" not in json.dumps(tokens)
        assert runner.invoke(app, ["tokens", "revoke", tokens[0]["id"]]).exit_code == 0  # type: ignore[index]
        with store.uow() as uow:
            assert authenticate_token(uow.conn, text) is None
        records = _run("audit", "--json", "--action", "token.*")
        assert [r["action"] for r in records] == ["token.revoke", "token.create"]  # type: ignore[index]
        assert all(str(r["actor"]).startswith("cli") for r in records)  # type: ignore[index]
    finally:
        store.dispose()


def test_bad_requests_fail_with_a_message(settings_env: str) -> None:
    runner.invoke(app, ["agencies", "add", "police"])
    unknown = runner.invoke(app, ["users", "add", "x1", "--agency", "customs", "--role", "analyst"])
    assert unknown.exit_code == 2 and "unknown agency" in unknown.output
    role = runner.invoke(app, ["users", "add", "x1", "--agency", "police", "--role", "boss"])
    assert role.exit_code == 2 and "boss" in role.output
    empty = runner.invoke(
        app,
        ["users", "add", "x1", "--agency", "police", "--role", "analyst", "--password-stdin"],
        input="",
    )
    assert empty.exit_code == 2 and "no password" in empty.output
    assert runner.invoke(app, ["tokens", "create", "ghost"]).exit_code == 2
    assert runner.invoke(app, ["tokens", "revoke", "nope"]).exit_code == 2
    bad_scope = runner.invoke(app, ["users", "reset", "ghost"])
    assert bad_scope.exit_code == 2 and "unknown user" in bad_scope.output


def test_audit_verify_catches_tampering(settings_env: str) -> None:
    runner.invoke(app, ["agencies", "add", "police"])
    for name in ("amina", "omar", "huda"):
        _run("users", "add", name, "--agency", "police", "--role", "analyst", "--json")
    intact = runner.invoke(app, ["audit", "verify"])
    assert intact.exit_code == 0 and "intact: 3 records" in intact.output
    head = runner.invoke(app, ["audit", "head"]).stdout.strip()
    assert head.startswith("3:") and len(head) == 66
    assert runner.invoke(app, ["audit", "verify", "--anchor", head]).exit_code == 0
    store = open_store(settings_env)
    try:
        with store.uow() as uow:
            uow.conn.execute(
                update(audit_event).where(audit_event.c.seq == 2).values(target="someone")
            )
    finally:
        store.dispose()
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "broken at record 2" in broken.output and "altered" in broken.output
    report = runner.invoke(app, ["audit", "verify", "--json"])
    assert report.exit_code == 1 and json.loads(report.stdout)["bad_seq"] == 2
    assert runner.invoke(app, ["audit", "verify", "--anchor", "3:xyz"]).exit_code == 2
    assert runner.invoke(app, ["audit", "--since", "yesterday"]).exit_code == 2


def test_every_new_command_has_help() -> None:
    for command in (
        ["users"], ["users", "add"], ["users", "reset"], ["users", "disable"],
        ["users", "enable"], ["users", "unlock"], ["users", "role"], ["tokens"],
        ["tokens", "create"], ["tokens", "revoke"], ["audit"], ["audit", "verify"],
        ["audit", "head"],
    ):  # fmt: skip
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, command


def test_keys_rotate_seals_every_secret_again_and_sign_in_goes_on(
    settings_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RASID_SECRET_KEY_FILE", str(tmp_path / "server.key"))
    get_settings.cache_clear()
    assert runner.invoke(app, ["agencies", "add", "police", "--label", "Police"]).exit_code == 0
    made = _run("users", "add", "amina", "--agency", "police", "--role", "analyst", "--json")
    rotated = runner.invoke(app, ["keys", "rotate"])
    assert rotated.exit_code == 0, rotated.output
    assert "1 secret(s) sealed" in rotated.output
    keys = load_keys(tmp_path / "server.key")
    assert len(keys.keys) == 2
    store = open_store(settings_env)
    try:
        with store.uow() as uow:
            stored = uow.conn.execute(select(app_user.c.totp_secret)).scalar_one()
            assert stored.split(":")[1] == key_id(keys.current)
            code = code_at(str(made["totp_secret"]), 1_800_000_000)
            assert sign_in(uow.conn, "amina", str(made["password"]), code, when=1_800_000_000).ok
    finally:
        store.dispose()
    assert runner.invoke(app, ["keys", "seal"]).exit_code == 0
