"""TOTP secrets sealed at rest with the server key: a database copy alone does not give
them away, a sealed secret does not open on another account, rotation keeps sign-in
working, and secrets stored before sealing are sealed at the next sign-in."""

import os
import stat
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from rasid.access.accounts import Role, add_user, reseal_secrets, sign_in, totp_secret
from rasid.access.errors import AccessError
from rasid.access.registry import add_agency
from rasid.access.sealing import add_key, is_sealed, key_id, load_keys, seal, unseal
from rasid.access.totp import code_at
from rasid.model.registry import Agency
from rasid.store import Store
from rasid.store.tables import app_user

NOW = datetime(2026, 11, 24, 9, 0, 0)
T0 = 1_800_000_000.0


def test_a_new_key_file_is_made_for_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "rasid.key"
    keys = load_keys(path)
    assert len(keys.keys) == 1 and len(keys.current) == 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_keys(path).current == keys.current  # read again, not made again


def test_sealed_values_open_only_with_their_key_and_their_row(tmp_path: Path) -> None:
    keys = load_keys(tmp_path / "k")
    sealed = seal("JBSWY3DPEHPK3PXP", "amina", keys)
    assert is_sealed(sealed) and "JBSWY3DP" not in sealed
    assert sealed.split(":")[1] == key_id(keys.current)
    assert unseal(sealed, "amina", keys) == "JBSWY3DPEHPK3PXP"
    assert seal("JBSWY3DPEHPK3PXP", "amina", keys) != sealed  # a fresh nonce each time
    with pytest.raises(AccessError, match="does not open"):
        unseal(sealed, "omar", keys)  # copied onto another account
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(AccessError, match="does not open"):
        unseal(tampered, "amina", keys)
    with pytest.raises(AccessError, match="not in"):
        unseal(sealed, "amina", load_keys(tmp_path / "other"))


def test_a_rotated_key_file_still_opens_older_values(tmp_path: Path) -> None:
    path = tmp_path / "k"
    old = seal("SECRET", "amina", load_keys(path))
    rotated = add_key(path)
    assert len(rotated.keys) == 2
    assert unseal(old, "amina", rotated) == "SECRET"
    assert seal("SECRET", "amina", rotated).split(":")[1] == key_id(rotated.keys[1])


def test_a_bad_key_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "k"
    path.write_text("# keys\nnot a key\n", encoding="ascii")
    with pytest.raises(AccessError, match="line 2"):
        load_keys(path)


@pytest.fixture
def police(store: Store) -> Store:
    with store.uow() as uow:
        add_agency(uow.conn, Agency("police", "Police", "الشرطة", "police"))
    return store


def _stored(store: Store, name: str) -> str:
    with store.uow() as uow:
        return str(
            uow.conn.execute(
                select(app_user.c.totp_secret).where(app_user.c.name == name)
            ).scalar_one()
        )


def _signs_in(store: Store, name: str, password: str, secret: str, when: float) -> bool:
    with store.uow() as uow:
        return sign_in(uow.conn, name, password, code_at(secret, when), "test", NOW, when).ok


def test_the_store_holds_sealed_secrets_and_sign_in_reads_them(police: Store) -> None:
    with police.uow() as uow:
        made = add_user(
            uow.conn, "amina", "police", Role.ANALYST, "test", "", "a long test passphrase"
        )
    stored = _stored(police, "amina")
    assert is_sealed(stored) and made.totp_secret not in stored
    with police.uow() as uow:
        assert totp_secret(uow.conn, "amina") == made.totp_secret
    assert _signs_in(police, "amina", "a long test passphrase", made.totp_secret, T0)


def test_a_secret_stored_before_sealing_is_sealed_at_sign_in(police: Store) -> None:
    with police.uow() as uow:
        made = add_user(
            uow.conn, "amina", "police", Role.ANALYST, "test", "", "a long test passphrase"
        )
        uow.conn.execute(
            update(app_user).where(app_user.c.name == "amina").values(totp_secret=made.totp_secret)
        )
    assert _stored(police, "amina") == made.totp_secret
    assert _signs_in(police, "amina", "a long test passphrase", made.totp_secret, T0)
    assert is_sealed(_stored(police, "amina"))


def test_a_secret_moved_to_another_account_fails_sign_in(police: Store) -> None:
    with police.uow() as uow:
        add_user(uow.conn, "amina", "police", Role.ANALYST, "test", "", "a long test passphrase")
        omar = add_user(
            uow.conn, "omar", "police", Role.ANALYST, "test", "", "a long test passphrase"
        )
    with police.uow() as uow:
        uow.conn.execute(
            update(app_user)
            .where(app_user.c.name == "amina")
            .values(totp_secret=_stored(police, "omar"))
        )
    assert not _signs_in(police, "amina", "a long test passphrase", omar.totp_secret, T0)


def test_resealing_after_a_rotation_keeps_sign_in(police: Store, server_key_file: Path) -> None:
    with police.uow() as uow:
        made = add_user(
            uow.conn, "amina", "police", Role.ANALYST, "test", "", "a long test passphrase"
        )
    before = _stored(police, "amina")
    with police.uow() as uow:
        assert reseal_secrets(uow.conn, "test", add_key(server_key_file)) == 1
    after = _stored(police, "amina")
    assert after.split(":")[1] != before.split(":")[1]
    assert after.split(":")[1] == key_id(load_keys(server_key_file).current)
    assert _signs_in(police, "amina", "a long test passphrase", made.totp_secret, T0)
