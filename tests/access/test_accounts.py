"""Accounts: creation, sign-in with password and TOTP, lock-out, resets and API tokens, on
SQLite and PostgreSQL, each step checked in the audit log."""

from datetime import datetime, timedelta

import pytest

from rasid.access import audit
from rasid.access.accounts import (
    LOCK_AFTER,
    Role,
    Scope,
    add_user,
    authenticate_token,
    change_password,
    create_token,
    get_user,
    list_tokens,
    list_users,
    parse_role,
    parse_scopes,
    reset_user,
    revoke_token,
    set_disabled,
    set_role,
    sign_in,
    totp_secret,
    unlock,
)
from rasid.access.errors import AccessError
from rasid.access.registry import add_agency
from rasid.access.totp import code_at
from rasid.model.registry import Agency
from rasid.store import Store

NOW = datetime(2026, 11, 24, 9, 0, 0)
T0 = 1_800_000_000.0  # Unix time used for TOTP steps


@pytest.fixture
def police(store: Store) -> Store:
    with store.uow() as uow:
        add_agency(uow.conn, Agency("police", "Police", "الشرطة", "police"))
        add_agency(uow.conn, Agency("border", "Border police"))
    return store


def _enrol(store: Store, name: str = "amina", password: str | None = None) -> tuple[str, str]:
    with store.uow() as uow:
        made = add_user(uow.conn, name, "police", Role.ANALYST, "cli:admin", "Amina K.", password)
    return made.password, made.totp_secret


def _sign_in(store: Store, name: str, password: str, secret: str, when: float = T0) -> bool:
    with store.uow() as uow:
        return sign_in(uow.conn, name, password, code_at(secret, when), "test", NOW, when).ok


def test_a_new_user_gets_a_one_time_password_and_signs_in_with_totp(police: Store) -> None:
    password, secret = _enrol(police)
    with police.uow() as uow:
        user = get_user(uow.conn, "amina")
        assert user is not None and user.must_change_password and user.role is Role.ANALYST
        assert totp_secret(uow.conn, "amina") == secret
    assert _sign_in(police, "amina", password, secret)
    # The same code cannot be used again, even within its 30 seconds.
    assert not _sign_in(police, "amina", password, secret)
    assert _sign_in(police, "amina", password, secret, T0 + 30)
    with police.uow() as uow:
        records = audit.search(uow.conn, action="sign_in")
    assert [r.outcome for r in records] == ["ok", "failed", "ok"]
    assert records[1].detail["reason"] == "wrong or reused TOTP code"


def test_wrong_password_or_code_fails_and_the_account_locks(police: Store) -> None:
    password, secret = _enrol(police)
    for attempt in range(LOCK_AFTER):
        assert not _sign_in(police, "amina", "wrong password!", secret, T0 + 30 * attempt)
    # Locked: even the right password and code fail now.
    assert not _sign_in(police, "amina", password, secret, T0 + 300)
    with police.uow() as uow:
        user = get_user(uow.conn, "amina")
        assert user is not None and user.locked_until == NOW + timedelta(minutes=15)
        reasons = [r.detail["reason"] for r in audit.search(uow.conn, action="sign_in")]
    assert reasons[0].startswith("locked until")
    assert "locked for 15 minutes" in reasons[1]
    with police.uow() as uow:
        unlock(uow.conn, "amina", "cli:admin")
    assert _sign_in(police, "amina", password, secret, T0 + 330)


def test_unknown_and_disabled_users_cannot_sign_in(police: Store) -> None:
    password, secret = _enrol(police)
    assert not _sign_in(police, "nobody", password, secret)
    with police.uow() as uow:
        set_disabled(uow.conn, "amina", True, "cli:admin")
    assert not _sign_in(police, "amina", password, secret)
    with police.uow() as uow:
        set_disabled(uow.conn, "amina", False, "cli:admin")
    assert _sign_in(police, "amina", password, secret, T0 + 60)


def test_password_change_and_reset(police: Store) -> None:
    password, secret = _enrol(police)
    with police.uow() as uow, pytest.raises(AccessError, match="current password"):
        change_password(uow.conn, "amina", "not it", "a much better passphrase")
    with police.uow() as uow, pytest.raises(AccessError, match="at least 12"):
        change_password(uow.conn, "amina", password, "short")
    with police.uow() as uow:
        user = change_password(uow.conn, "amina", password, "a much better passphrase")
    assert not user.must_change_password
    assert not _sign_in(police, "amina", password, secret)
    assert _sign_in(police, "amina", "a much better passphrase", secret, T0 + 30)
    with police.uow() as uow:
        _, text = create_token(uow.conn, "amina", frozenset({Scope.READ}), "cli:admin")
        fresh = reset_user(uow.conn, "amina", "cli:admin")
        assert authenticate_token(uow.conn, text, NOW) is None  # reset revokes tokens
    assert fresh.password != password and fresh.totp_secret != secret
    assert not _sign_in(police, "amina", "a much better passphrase", secret, T0 + 60)
    assert _sign_in(police, "amina", fresh.password, fresh.totp_secret, T0 + 90)


def test_user_names_agencies_roles_are_checked(police: Store) -> None:
    with police.uow() as uow:
        with pytest.raises(AccessError, match="invalid user name"):
            add_user(uow.conn, "Amina K", "police", Role.ANALYST, "cli:admin")
        with pytest.raises(AccessError, match="unknown agency"):
            add_user(uow.conn, "amina", "customs", Role.ANALYST, "cli:admin")
        with pytest.raises(AccessError, match="at least 12"):
            add_user(uow.conn, "amina", "police", Role.ANALYST, "cli:admin", password="short")
    _enrol(police)
    with police.uow() as uow, pytest.raises(AccessError, match="exists already"):
        add_user(uow.conn, "amina", "police", Role.ANALYST, "cli:admin")
    with pytest.raises(AccessError, match="unknown role 'boss'"):
        parse_role("boss")
    assert parse_role("piu_officer") is Role.PIU_OFFICER
    with police.uow() as uow:
        assert set_role(uow.conn, "amina", Role.SUPERVISOR, "cli:admin").role is Role.SUPERVISOR
        assert [u.name for u in list_users(uow.conn, "police")] == ["amina"]
        assert list_users(uow.conn, "border") == []
    with police.uow() as uow:  # audit records are written when the transaction commits
        assert audit.search(uow.conn, action="user.role")[0].detail == {
            "from": "analyst",
            "to": "supervisor",
        }


def test_tokens_are_scoped_shown_once_and_revocable(police: Store) -> None:
    _enrol(police)
    with police.uow() as uow:
        token, text = create_token(
            uow.conn, "amina", parse_scopes(["read,screen"]), "cli:admin", label="bulk"
        )
    assert text.startswith(f"rasid_{token.id}_") and len(text) > 50
    with police.uow() as uow:
        bearer = authenticate_token(uow.conn, text, NOW)
        assert bearer is not None and bearer.user.name == "amina"
        assert bearer.token.scopes == {Scope.READ, Scope.SCREEN}
        # A wrong secret, a malformed value or an unknown id is refused.
        assert authenticate_token(uow.conn, text[:-2] + "xx", NOW) is None
        assert authenticate_token(uow.conn, "Bearer nonsense", NOW) is None
        assert authenticate_token(uow.conn, f"rasid_000000000000_{text[-10:]}", NOW) is None
    with police.uow() as uow:  # the last use is written when the transaction commits
        listed = list_tokens(uow.conn, "amina")
        assert [t.id for t in listed] == [token.id] and listed[0].last_used_at == NOW
    with police.uow() as uow:
        revoke_token(uow.conn, token.id, "cli:admin")
        assert authenticate_token(uow.conn, text, NOW) is None
    with police.uow() as uow:
        actions = [r.action for r in audit.search(uow.conn, target="amina")]
    assert actions == ["token.revoke", "token.create", "user.add"]


def test_tokens_expire_and_die_with_a_disabled_user(police: Store) -> None:
    _enrol(police)
    with police.uow() as uow:
        _, short = create_token(
            uow.conn, "amina", frozenset({Scope.READ}), "cli:admin", expires_at=NOW
        )
        _, long = create_token(uow.conn, "amina", frozenset({Scope.READ}), "cli:admin")
        assert authenticate_token(uow.conn, short, NOW - timedelta(seconds=1)) is not None
        assert authenticate_token(uow.conn, short, NOW) is None
        set_disabled(uow.conn, "amina", True, "cli:admin")
        assert authenticate_token(uow.conn, long, NOW) is None
        with pytest.raises(AccessError, match="disabled"):
            create_token(uow.conn, "amina", frozenset({Scope.READ}), "cli:admin")
        with pytest.raises(AccessError, match="unknown scope"):
            parse_scopes(["read", "everything"])
