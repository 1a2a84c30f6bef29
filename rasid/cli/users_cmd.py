"""`rasid users`, `rasid tokens` and `rasid keys`: accounts, their sign-in secrets, their API
tokens, and the server key that seals the TOTP secrets in the store.

Secrets (a one-time password, a TOTP secret, a token) are printed once, when they are made;
Rasid keeps only what it needs to check them. Nothing here prompts: a password chosen by the
administrator comes on standard input with ``--password-stdin``.
"""

import sys
from datetime import timedelta
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from rasid.access.accounts import (
    Enrolment,
    Role,
    Scope,
    add_user,
    create_token,
    list_tokens,
    list_users,
    parse_scopes,
    reseal_secrets,
    reset_user,
    revoke_token,
    set_disabled,
    set_role,
    unlock,
)
from rasid.access.sealing import add_key, key_file, load_keys
from rasid.access.totp import provisioning_uri
from rasid.cli.common import cli_actor, console, err_console, fail, opened_store, print_json
from rasid.store.statements import utcnow

users = typer.Typer(
    help="Accounts: list (with no sub-command), add, reset, disable, enable, unlock, role.",
    invoke_without_command=True,
)
tokens = typer.Typer(
    help="API tokens (Authorization: Bearer): list (with no sub-command), create, revoke.",
    invoke_without_command=True,
)
keys = typer.Typer(
    help="The server key file (RASID_SECRET_KEY_FILE) that seals TOTP secrets: seal, rotate.",
    no_args_is_help=True,
)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
UserArg = Annotated[str, typer.Argument(metavar="USER", help="The user name.")]


def _show_enrolment(made: Enrolment, as_json: bool, what: str) -> None:
    uri = provisioning_uri(made.totp_secret, f"{made.user.name}@{made.user.agency}")
    if as_json:
        print_json(
            {
                "user": made.user.name,
                "agency": made.user.agency,
                "role": made.user.role.value,
                "password": made.password,
                "must_change_password": made.user.must_change_password,
                "totp_secret": made.totp_secret,
                "totp_uri": uri,
            }
        )
        return
    console.print(f"{what} {made.user.name} ({made.user.role.value}, {made.user.agency})")
    if made.user.must_change_password:
        console.print(f"one-time password: {escape(made.password)}  (to change at first sign-in)")
    console.print(f"TOTP secret:       {made.totp_secret}")
    console.print(f"authenticator URI: {escape(uri)}")
    console.print("These are shown once. Give them to the user by a trusted channel.")


@users.callback()
def users_list(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="Only this agency's users.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the accounts (with no sub-command)."""
    if ctx.invoked_subcommand is not None:
        return
    with opened_store(ctx) as store, store.uow() as uow:
        found = list_users(uow.conn, agency)
    if as_json:
        print_json(
            [
                {
                    "name": u.name,
                    "agency": u.agency,
                    "role": u.role.value,
                    "display_name": u.display_name,
                    "active": u.active,
                    "locked_until": u.locked_until,
                    "must_change_password": u.must_change_password,
                    "last_sign_in": u.last_sign_in,
                }
                for u in found
            ]
        )
        return
    table = Table("name", "agency", "role", "display name", "state", "last sign-in")
    now = utcnow()
    for u in found:
        state = (
            "disabled"
            if not u.active
            else "locked"
            if u.locked_until and u.locked_until > now
            else "active"
        )
        table.add_row(
            u.name, u.agency, u.role.value, u.display_name, state, str(u.last_sign_in or "")
        )
    console.print(table)


@users.command("add")
def users_add(
    ctx: typer.Context,
    name: UserArg,
    agency: Annotated[str, typer.Option(help="The user's agency (must exist).")],
    role: Annotated[Role, typer.Option(case_sensitive=False, help="What the user does.")],
    display_name: Annotated[str, typer.Option(help="Full name, as shown in the UI.")] = "",
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from standard input instead of generating a one-time password.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Create an account. Prints a one-time password (unless --password-stdin) and the
    TOTP secret for the user's authenticator app, once."""
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("--password-stdin: no password on standard input")
    with opened_store(ctx) as store, store.uow() as uow:
        made = add_user(uow.conn, name, agency, role, cli_actor(), display_name, password)
    _show_enrolment(made, as_json, "user")


@users.command("reset")
def users_reset(ctx: typer.Context, name: UserArg, as_json: JsonOpt = False) -> None:
    """A new one-time password and TOTP secret (lost phone or password). Lifts a lock-out
    and revokes the user's tokens."""
    with opened_store(ctx) as store, store.uow() as uow:
        made = reset_user(uow.conn, name, cli_actor())
    _show_enrolment(made, as_json, "reset")


@users.command("disable")
def users_disable(ctx: typer.Context, name: UserArg) -> None:
    """Stop an account from signing in or using its tokens."""
    with opened_store(ctx) as store, store.uow() as uow:
        set_disabled(uow.conn, name, True, cli_actor())
    console.print(f"user {name} disabled")


@users.command("enable")
def users_enable(ctx: typer.Context, name: UserArg) -> None:
    """Let a disabled account sign in again."""
    with opened_store(ctx) as store, store.uow() as uow:
        set_disabled(uow.conn, name, False, cli_actor())
    console.print(f"user {name} enabled")


@users.command("unlock")
def users_unlock(ctx: typer.Context, name: UserArg) -> None:
    """Lift a lock-out after failed sign-ins before it ends."""
    with opened_store(ctx) as store, store.uow() as uow:
        unlock(uow.conn, name, cli_actor())
    console.print(f"user {name} unlocked")


@users.command("role")
def users_role(
    ctx: typer.Context,
    name: UserArg,
    role: Annotated[Role, typer.Argument(case_sensitive=False, help="The new role.")],
) -> None:
    """Give a user another role."""
    with opened_store(ctx) as store, store.uow() as uow:
        set_role(uow.conn, name, role, cli_actor())
    console.print(f"user {name} is now {role.value}")


@tokens.callback()
def tokens_list(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option(help="Only this user's tokens.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List tokens without their secrets (with no sub-command)."""
    if ctx.invoked_subcommand is not None:
        return
    with opened_store(ctx) as store, store.uow() as uow:
        found = list_tokens(uow.conn, user)
    now = utcnow()
    rows = [
        {
            "id": t.id,
            "user": t.user_name,
            "scopes": sorted(s.value for s in t.scopes),
            "label": t.label,
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "revoked_at": t.revoked_at,
            "last_used_at": t.last_used_at,
            "usable": t.usable(now),
        }
        for t in found
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "user", "scopes", "label", "expires", "state", "last used")
    for r in rows:
        state = "usable" if r["usable"] else "revoked" if r["revoked_at"] else "expired"
        table.add_row(
            str(r["id"]),
            str(r["user"]),
            " ".join(r["scopes"]),  # type: ignore[arg-type]
            str(r["label"]),
            str(r["expires_at"] or ""),
            state,
            str(r["last_used_at"] or ""),
        )
    console.print(table)


@tokens.command("create")
def tokens_create(
    ctx: typer.Context,
    user: UserArg,
    scope: Annotated[
        list[str] | None,
        typer.Option(
            help="What the token may do (repeat, or comma-separated): "
            + ", ".join(s.value for s in Scope)
            + ". Default: read."
        ),
    ] = None,
    days: Annotated[
        int | None, typer.Option(min=1, help="Expire after this many days (default: never).")
    ] = None,
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Create an API token for a user and print it once (clients send it as
    Authorization: Bearer <token>)."""
    scopes = parse_scopes(scope or ["read"])
    expires = utcnow() + timedelta(days=days) if days else None
    with opened_store(ctx) as store, store.uow() as uow:
        token, text = create_token(uow.conn, user, scopes, cli_actor(), label, expires)
    if as_json:
        print_json({"id": token.id, "user": user, "token": text, "expires_at": expires})
        return
    sys.stdout.write(text + "\n")  # alone on standard output, for scripts
    err_console.print(
        f"token {token.id} for {user} ({' '.join(sorted(scopes))}): shown once, keep it safe"
    )


@tokens.command("revoke")
def tokens_revoke(
    ctx: typer.Context,
    token_id: Annotated[str, typer.Argument(metavar="ID", help="The token's id (see list).")],
) -> None:
    """Revoke a token for good."""
    with opened_store(ctx) as store, store.uow() as uow:
        token = revoke_token(uow.conn, token_id, cli_actor())
    console.print(f"token {token.id} of {token.user_name} revoked")


@keys.command("seal")
def keys_seal(ctx: typer.Context) -> None:
    """Seal every TOTP secret with the current key (secrets stored before sealing existed
    included). The key file is created if there is none."""
    found = load_keys()
    with opened_store(ctx) as store, store.uow() as uow:
        count = reseal_secrets(uow.conn, cli_actor(), found)
    console.print(f"{count} secret(s) sealed with the current key of {found.path}", soft_wrap=True)


@keys.command("rotate")
def keys_rotate(ctx: typer.Context) -> None:
    """Add a new current key to the key file and seal every TOTP secret with it. The older
    keys stay in the file (they open nothing any more; remove them once every server uses
    the new file)."""
    with opened_store(ctx) as store:
        found = add_key(key_file())
        with store.uow() as uow:
            count = reseal_secrets(uow.conn, cli_actor(), found)
    console.print(
        f"new key added to {found.path}; {count} secret(s) sealed with it", soft_wrap=True
    )


def register(app: typer.Typer) -> None:
    """Add the command groups to the app."""
    app.add_typer(users, name="users")
    app.add_typer(tokens, name="tokens")
    app.add_typer(keys, name="keys")
