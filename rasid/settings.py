"""Runtime settings, read from the environment (prefix ``RASID_``).

Every setting is documented here and in ``docs/architecture.md``; a test keeps the two in step.
"""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

UN_SC_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"


class Settings(BaseSettings):
    """Rasid's settings. Each field is read from ``RASID_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="RASID_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///rasid.db",
        description="SQLAlchemy URL of the store: SQLite (default, a file in the working "
        "directory) or PostgreSQL (postgresql+psycopg://user@host/db).",
    )
    grading_scale: str = Field(
        default="uk-3x5x2",
        description="Evaluation scale for source_grade and info_grade: uk-3x5x2 or eu-4x4.",
    )
    un_sc_url: str = Field(
        default=UN_SC_URL,
        description="Official address of the UN Security Council consolidated list, used by "
        "`rasid ingest --format un-sc --update`.",
    )
    fetch_timeout: float = Field(
        default=60.0, description="Seconds to wait for a remote file (e.g. the UN list URL)."
    )
    batch_size: int = Field(
        default=5000, description="Statements written per round-trip during an import."
    )
    retention_schedule: bool = Field(
        default=True,
        description="`rasid serve` runs retention at start-up and once a day (one run a day "
        "whatever the number of server processes); off to leave it to `rasid retention run`.",
    )
    retention_hour: int = Field(
        default=3,
        ge=0,
        le=23,
        description="The hour (UTC, 0-23) from which the day's scheduled retention run starts.",
    )
    unmask_hours: int = Field(
        default=24,
        ge=1,
        le=720,
        description="Hours an approved request to see masked data again lasts.",
    )

    session_idle_minutes: int = Field(
        default=30, description="Minutes without a request after which a browser session ends."
    )
    session_hours: int = Field(
        default=12, description="Hours after sign-in after which a browser session ends anyway."
    )
    server_threads: int = Field(
        default=8,
        ge=1,
        le=400,
        description="Requests a server process works on at once, and the threads that run "
        "them (each request holds a database connection while it runs). Others wait in "
        "order of arrival. Many make requests take turns, which lengthens the slowest "
        "responses under load.",
    )
    db_pool_size: int = Field(
        default=10, ge=1, description="Database connections kept open in the pool."
    )
    db_pool_overflow: int = Field(
        default=10,
        ge=0,
        description="Connections opened beyond the pool under load. Pool and overflow "
        "together should be at least twice RASID_SERVER_THREADS (a refused request writes "
        "its audit record on a second connection).",
    )
    travel_alert_agencies: str = Field(
        default="",
        description="Agencies (names, comma-separated) that receive an alert when a "
        "traveller hit is confirmed. Empty: every agency of kind border or police other "
        "than the reviewer's.",
    )
    resolve_auto_accept: str = Field(
        default="document,account",
        description="Kinds of strong identifier (comma-separated: document, phone, email, "
        "account, registration) on which entity resolution accepts a pair automatically "
        "when both records carry the same one; empty turns the rule off. Reversible: "
        "`rasid resolve auto` applies the current setting, `--undo` takes every acceptance "
        "back.",
    )
    cookie_secure: bool = Field(
        default=True,
        description="Send the session cookie over HTTPS only. Browsers also accept it from "
        "http://127.0.0.1 and http://localhost; set false only to test over plain HTTP on "
        "another address.",
    )
    secret_key_file: str = Field(
        default="rasid.key",
        description="The server's key file (created on first use, owner-only): it seals the "
        "users' TOTP secrets in the store. Back it up apart from the database; without it the "
        "accounts must be reset.",
    )
    sign_in_throttle: int = Field(
        default=20,
        ge=1,
        description="Failed sign-ins from one client address, in 15 minutes and across every "
        "server process, after which that address must wait.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (read once from the environment)."""
    return Settings()
