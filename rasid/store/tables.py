"""The database schema, as SQLAlchemy Core tables.

Migrations in ``rasid/store/migrations`` create exactly these tables (a test compares them);
the full-text index over names is dialect-specific DDL kept in the migration (``fts.py``).
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

agency = Table(
    "agency",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("label", Text, nullable=False),
    Column("label_ar", Text, nullable=False, default=""),
    Column("kind", String(64), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
)

dataset = Table(
    "dataset",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("purpose", Text, nullable=False, default=""),
    Column("legal_basis", Text, nullable=False, default=""),
    Column("default_marking", String(20), nullable=False),
    Column("retention_class", String(64), nullable=False),
    Column("kind", String(16), nullable=False, default="source"),
    Column("created_at", DateTime, nullable=False),
)

statement = Table(
    "statement",
    metadata,
    Column("id", String(40), primary_key=True),
    # Indexed only where it differs from canonical_id (see the index below).
    Column("entity_id", String(255), nullable=False),
    Column("canonical_id", String(255), nullable=False, index=True),
    Column("schema", String(64), nullable=False),
    Column("prop", String(64), nullable=False),
    Column("prop_type", String(32), nullable=False),
    Column("value", Text, nullable=False),
    Column("lang", String(16)),
    Column("original_value", Text),
    Column("dataset", String(64), ForeignKey("dataset.name"), nullable=False),
    Column("origin", String(255)),
    Column("external", Boolean, nullable=False, default=False),
    Column("first_seen", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    # Rasid's columns.
    Column("marking", String(20), nullable=False),
    Column("handling", Text),
    Column("source_grade", String(4)),
    Column("info_grade", String(4)),
    Column("legal_basis", Text),
    Column("retention_class", String(64)),
    Column("mask_after", Date),
    Column("delete_after", Date),
    Index("ix_statement_dataset_prop_schema", "dataset", "prop", "schema"),
    # An entity's statements carry its own id as canonical_id unless it was merged into
    # another, so the canonical_id index finds them; this one holds only the merged
    # entities' statements. A full index on entity_id cost an import of travel files an
    # eighth of its time (each new entity one more page to write). ``of_entities`` asks both.
    Index(
        "ix_statement_entity_id_merged",
        "entity_id",
        sqlite_where=text("entity_id != canonical_id"),
        postgresql_where=text("entity_id != canonical_id"),
    ),
    # Document numbers, for the exact check of travellers' documents against lists of lost
    # and stolen documents (only the "number" statements: a small part of the table).
    Index(
        "ix_statement_document_number",
        "value",
        sqlite_where=text("prop = 'number'"),
        postgresql_where=text("prop = 'number'"),
    ),
    # Identity documents by their holder: a grant to see a masked person again covers the
    # person's documents (rasid.retention.grants).
    Index(
        "ix_statement_holder",
        "value",
        sqlite_where=text("prop = 'holder'"),
        postgresql_where=text("prop = 'holder'"),
    ),
)

# One row per name-typed statement, normalised for search; the dialect's full-text index
# (SQLite FTS5 table ``name_fts``, PostgreSQL ``tsv`` column) is built over ``text_norm``.
name_index = Table(
    "name_index",
    metadata,
    # An integer key: SQLite's FTS5 external-content table refers to rows by it (an implicit
    # rowid could be renumbered by VACUUM).
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "statement_id",
        String(40),
        ForeignKey("statement.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("entity_id", String(255), nullable=False, index=True),
    Column("dataset", String(64), nullable=False, index=True),
    Column("text_norm", Text, nullable=False),
)

# What an import knows of the entities a record became, so that the next import of the
# same record can mark them seen again instead of building and writing them anew
# (``rasid.ingest.fingerprints``): the record's lead entity, a hash of every value the
# reader would add (with the dataset's defaults), when its statements were last written,
# how many, and the entities (id to schema, JSON). Deleted with the first of its statements
# (``delete_after``): the hash is of personal data.
entity_fingerprint = Table(
    "entity_fingerprint",
    metadata,
    Column("dataset", String(64), ForeignKey("dataset.name"), primary_key=True),
    Column("entity_id", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("seen", DateTime, nullable=False),
    Column("statements", Integer, nullable=False),
    Column("members", Text, nullable=False),
    Column("delete_after", Date, index=True),
    sqlite_with_rowid=False,  # one b-tree, by key: a row is written where it is looked up
)

ingest_run = Table(
    "ingest_run",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("dataset", String(64), ForeignKey("dataset.name"), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("format", String(32), nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=False),
    Column("entities", Integer, nullable=False),
    Column("statements", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(32), ForeignKey("ingest_run.id"), nullable=False, index=True),
    Column("dataset", String(64), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("location", Text, nullable=False),
    # "record": the record was rejected whole; "value": one value was dropped, the rest kept.
    Column("kind", String(8), nullable=False),
    Column("reason", Text, nullable=False),
    Column("raw", Text),
    Column("created_at", DateTime, nullable=False),
)

# Screening: who was screened, the hits a person reviews, and each decision on them.
# Nothing here acts on a person: the queue records proposals and the decisions people take.
screening_subject = Table(
    "screening_subject",
    metadata,
    # A content key (sha1), see ``rasid.screen.hits.subject_key``: the same subject screened
    # again is the same row.
    Column("id", String(40), primary_key=True),
    Column("source", Text, nullable=False),  # "cli", "api", "batch:<file>"
    Column("external_id", Text),  # the caller's id of the subject, if any
    Column("name", Text, nullable=False),
    Column("birth_date", Text),
    Column("nationality", Text),
    Column("gender", Text),
    Column("document_number", Text),
    Column("first_screened", DateTime, nullable=False),
    Column("last_screened", DateTime, nullable=False),
    # The dataset the subject's data comes from (a traveller's travel dataset), if any: a
    # hit on it is shown only to those who may read that dataset too.
    Column("dataset", String(64), index=True),
    Index("ix_screening_subject_external_id", "external_id"),
)

hit = Table(
    "hit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", String(40), ForeignKey("screening_subject.id"), nullable=False),
    Column("entity_id", String(255), nullable=False),
    Column("watchlist", String(64)),  # the entity's dataset; None when the caller did not say
    Column("score", Float, nullable=False),
    Column("alert", Boolean, nullable=False),
    Column("matched_name", Text, nullable=False),
    Column("explanation", Text, nullable=False),  # JSON list of {feature, detail, effect}
    Column("status", String(16), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # "name": a watchlist entity's names matched; "document": the subject's travel document
    # is on a lost/stolen list (entity_id is the listed document); "rule": a targeting rule
    # matched (entity_id is "rule:<id>", watchlist the subject's dataset).
    Column("kind", String(16), nullable=False, server_default="name"),
    Index("ix_hit_subject_id_entity_id", "subject_id", "entity_id"),
)

hit_decision = Table(
    "hit_decision",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("hit_id", Integer, ForeignKey("hit.id"), nullable=False, index=True),
    Column("from_status", String(16), nullable=False),
    Column("to_status", String(16), nullable=False),
    Column("reviewer", String(255), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_at", DateTime, nullable=False),
)

app_user = Table(
    "app_user",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("display_name", Text, nullable=False, default=""),
    Column("password_hash", Text, nullable=False),  # Argon2id, in the PHC string format
    Column("must_change_password", Boolean, nullable=False),
    Column("totp_secret", String(200), nullable=False),  # sealed (rasid.access.sealing)
    Column("last_totp_step", Integer, nullable=False, default=0),  # no code is used twice
    Column("failed_sign_ins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
    Column("disabled_at", DateTime),
    Column("created_at", DateTime, nullable=False),
    Column("last_sign_in", DateTime),
)

api_token = Table(
    "api_token",
    metadata,
    Column("id", String(16), primary_key=True),  # public: the part of the token before the secret
    Column("user_name", String(64), ForeignKey("app_user.name"), nullable=False, index=True),
    Column("secret_hash", String(64), nullable=False),  # SHA-256 of the secret part
    Column("scopes", Text, nullable=False),  # space-separated
    Column("label", Text, nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime),
    Column("revoked_at", DateTime),
    Column("last_used_at", DateTime),
)

audit_event = Table(
    "audit_event",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", DateTime, nullable=False, index=True),
    Column("actor", String(255), nullable=False, index=True),
    Column("agency", String(64), index=True),
    Column("action", String(64), nullable=False, index=True),
    Column("target", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("detail", Text, nullable=False),  # JSON object
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # one row: 1
    Column("seq", Integer, nullable=False),  # the last record's number (0: none yet)
    Column("hash", String(64), nullable=False),  # and its hash
)

policy_epoch = Table(
    "policy_epoch",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # one row: 1
    Column("epoch", BigInteger, nullable=False),  # redrawn when agencies, datasets, shares change
)

dataset_share = Table(
    "dataset_share",
    metadata,
    Column("dataset", String(64), ForeignKey("dataset.name"), primary_key=True),
    Column("agency", String(64), primary_key=True),  # an agency's name, or "*": every agency
    Column("granted_by", String(255), nullable=False),
    Column("granted_at", DateTime, nullable=False),
)

web_session = Table(
    "web_session",
    metadata,
    Column("id_hash", String(64), primary_key=True),  # SHA-256 of the cookie's value
    Column("user_name", String(64), ForeignKey("app_user.name"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("purpose", Text, nullable=False, default=""),  # the purpose the user works under
    Column("source", Text, nullable=False, default=""),  # the client's address at sign-in
    Column("created_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),  # the absolute time-out
    Column("ended_at", DateTime),
)

sign_in_throttle = Table(
    "sign_in_throttle",
    metadata,
    Column("source", String(64), primary_key=True),  # the client's address
    Column("window_start", DateTime, nullable=False),
    Column("failures", Integer, nullable=False),
)

message = Table(
    "message",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(16), nullable=False),  # message, rfi, answer, report
    Column("sender", String(64), ForeignKey("app_user.name"), nullable=False, index=True),
    Column("sender_agency", String(64), nullable=False, index=True),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("marking", String(20), nullable=False),
    Column("handling", Text, nullable=False),
    Column("source_grade", String(4), nullable=False),
    Column("info_grade", String(4), nullable=False),
    Column("in_reply_to", String(32), ForeignKey("message.id"), index=True),
    Column("due_at", DateTime),  # a request for information's deadline
    Column("closed_at", DateTime),  # a request answered
    Column("created_at", DateTime, nullable=False),
)

message_recipient = Table(
    "message_recipient",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(32), ForeignKey("message.id"), nullable=False, index=True),
    Column("agency", String(64), nullable=False, index=True),
    Column("user_name", String(64)),  # a named recipient; None: the whole agency
    Column("via_reshare", Integer),  # the re-share that added this recipient, if one did
    Column("delivered_at", DateTime, nullable=False),
    Column("read_at", DateTime),
    Column("read_by", String(64)),
    Column("acknowledged_at", DateTime),
    Column("acknowledged_by", String(64)),
)

message_entity = Table(
    "message_entity",
    metadata,
    Column("message_id", String(32), ForeignKey("message.id"), primary_key=True),
    Column("entity_id", String(255), primary_key=True),
)

disclosure = Table(
    "disclosure",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(32), ForeignKey("message.id"), nullable=False, index=True),
    Column("statement_id", String(40), nullable=False),
    Column("agency", String(64), nullable=False),
    Column("user_name", String(64)),  # for TLP:RED, the named recipient
    Column("granted_at", DateTime, nullable=False),
    Index("ix_disclosure_agency_statement_id", "agency", "statement_id"),
)

reshare = Table(
    "reshare",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(32), ForeignKey("message.id"), nullable=False, index=True),
    Column("requested_by", String(64), nullable=False),
    Column("requester_agency", String(64), nullable=False),
    Column("to_agency", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("owner_agency", String(64), nullable=False, index=True),  # decides
    Column("status", String(16), nullable=False),  # pending, approved, refused
    Column("requested_at", DateTime, nullable=False),
    Column("decided_by", String(64)),
    Column("decided_at", DateTime),
    Column("decision_reason", Text),
)

# Travel data (API and PNR), see rasid/travel/store.py. The people are FtM entities too
# (statements carry their provenance, marking and retention); these tables keep what FtM has
# no schema for. Ids are hashes of natural keys, so a re-import finds the same rows.
travel_message = Table(
    "travel_message",
    metadata,
    Column("id", String(40), primary_key=True),  # of the dataset and the content hash
    Column("dataset", String(64), ForeignKey("dataset.name"), nullable=False, index=True),
    Column("run_id", String(32), ForeignKey("ingest_run.id"), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("format", String(16), nullable=False),  # paxlst, pnrgov
    Column("sender", Text, nullable=False),
    Column("recipient", Text, nullable=False),
    Column("control_reference", Text, nullable=False),
    Column("prepared_at", DateTime),  # UNB, as sent
    Column("received_at", DateTime, nullable=False),
    Column("content_hash", String(64), nullable=False),  # SHA-256 of the file's bytes
    Column("messages", Integer, nullable=False),  # usable manifests or PNR batches
    Column("flights", Integer, nullable=False),
    Column("travellers", Integer, nullable=False),
    Column("bookings", Integer, nullable=False),
    Column("errors", Integer, nullable=False),  # also in the quarantine
    Column("warnings", Integer, nullable=False),
    Column("filtered", Integer, nullable=False),  # sensitive items removed on receipt
    Column("problems", Text, nullable=False),  # JSON list of {severity, location, reason}
)

# One row per flight leg, shared by every dataset: the same flight from API and PNR meets.
flight = Table(
    "flight",
    metadata,
    Column("id", String(40), primary_key=True),  # of carrier, number, departure airport and day
    Column("carrier", Text, nullable=False),  # the operating carrier where known
    Column("flight_number", Text, nullable=False),  # without leading zeros
    Column("departure_airport", Text, nullable=False),
    Column("arrival_airport", Text, nullable=False),
    Column("departure_date", Date, nullable=False, index=True),  # local, as scheduled
    Column("scheduled_departure", DateTime),  # local times, as sent
    Column("scheduled_arrival", DateTime),
    Column("created_at", DateTime, nullable=False),
)

# A booking (PNR) as its newest version has it; every version received is in booking_version.
booking = Table(
    "booking",
    metadata,
    Column("id", String(40), primary_key=True),  # of the dataset, carrier and record locator
    Column("dataset", String(64), ForeignKey("dataset.name"), nullable=False, index=True),
    Column("carrier", Text, nullable=False),  # the airline or system owning the locator (RCI)
    Column("record_locator", Text, nullable=False, index=True),
    Column("booked_at", DateTime),  # the PNR's creation
    Column("last_transaction_at", DateTime),
    Column("point_of_sale", Text, nullable=False),  # JSON: the agency or office (ORG)
    Column("contacts", Text, nullable=False),  # JSON lists, from the newest version
    Column("addresses", Text, nullable=False),
    Column("payments", Text, nullable=False),  # card numbers masked to their last four digits
    Column("tickets", Text, nullable=False),
    Column("bags", Text, nullable=False),
    Column("current_version", String(40), nullable=False),
    Column("as_of", DateTime),  # the newest version's last transaction (else message time)
    Column("first_received", DateTime, nullable=False),
    Column("last_received", DateTime, nullable=False),
)

booking_version = Table(
    "booking_version",
    metadata,
    Column("id", String(40), primary_key=True),  # of booking, message and content hash
    Column("booking_id", String(40), ForeignKey("booking.id"), nullable=False, index=True),
    Column("message_id", String(40), ForeignKey("travel_message.id"), nullable=False, index=True),
    Column("received_at", DateTime, nullable=False),
    Column("message_hash", String(64), nullable=False),  # SHA-256 of the file it came in
    Column("content_hash", String(64), nullable=False),  # SHA-256 of data: same hash, no change
    Column("as_of", DateTime),
    Column("data", Text, nullable=False),  # JSON: the booking as parsed, after the safeguard
    Column("filtered", Integer, nullable=False),  # sensitive items removed on receipt
    Column("filtered_categories", Text, nullable=False),  # JSON {category: count}, no content
)

# The itinerary of a booking's newest version, as links to flights.
booking_flight = Table(
    "booking_flight",
    metadata,
    Column("booking_id", String(40), ForeignKey("booking.id"), primary_key=True),
    Column("flight_id", String(40), ForeignKey("flight.id"), primary_key=True, index=True),
    Column("position", Integer, nullable=False),
    Column("marketing_carrier", Text, nullable=False),
    Column("marketing_flight_number", Text, nullable=False),
    Column("booking_class", Text, nullable=False),
    Column("status", Text, nullable=False),
)

# A person on a flight: from API (passenger or crew) or from a booking's newest version.
traveller = Table(
    "traveller",
    metadata,
    Column("id", String(40), primary_key=True),  # of the dataset, flight and person entity
    Column("dataset", String(64), ForeignKey("dataset.name"), nullable=False, index=True),
    Column("flight_id", String(40), ForeignKey("flight.id"), index=True),
    Column("booking_id", String(40), ForeignKey("booking.id"), index=True),
    # Indexed: screening on arrival finds a file's travellers by their newest message.
    Column("message_id", String(40), ForeignKey("travel_message.id"), nullable=False, index=True),
    Column("source", String(8), nullable=False),  # api, pnr
    Column("role", String(16), nullable=False),  # passenger, crew
    Column("role_code", Text, nullable=False),  # PAXLST NAD code (FL, FM...), PNR type (A, C...)
    Column("surname", Text, nullable=False),
    Column("given_names", Text, nullable=False),
    Column("sex", Text, nullable=False),
    Column("birth_date", Date),
    Column("nationality", Text, nullable=False),
    Column("residence_country", Text, nullable=False),
    Column("seat", Text, nullable=False),
    Column("booking_reference", Text, nullable=False),
    Column("documents", Text, nullable=False),  # JSON list: type, number, issuing state, expiry
    Column("entity_id", String(255), nullable=False, index=True),  # the FtM Person
    Column("first_seen", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
)

# For data quality: each usable message of a file (a manifest, a PNR batch) and the flight it
# was sent for, with the counts it declared (CNT, EQN) beside what it held. No personal data.
message_flight = Table(
    "message_flight",
    metadata,
    Column("id", String(40), primary_key=True),  # of the message, its place and the flight
    Column("message_id", String(40), ForeignKey("travel_message.id"), nullable=False, index=True),
    Column("flight_id", String(40), ForeignKey("flight.id"), nullable=False, index=True),
    Column("dataset", String(64), ForeignKey("dataset.name"), nullable=False, index=True),
    Column("kind", String(8), nullable=False),  # api, pnr
    Column("reference", Text, nullable=False),  # UNH message reference
    Column("function", Text, nullable=False),  # BGM document code (API), MSG function (PNR)
    Column("received_at", DateTime, nullable=False),  # the file's, as travel_message has it
    Column("declared_passengers", Integer),  # CNT+42
    Column("declared_crew", Integer),  # CNT+41
    Column("declared_bookings", Integer),  # EQN
    Column("passengers", Integer, nullable=False),  # what the message held
    Column("crew", Integer, nullable=False),
    Column("bookings", Integer, nullable=False),
)

# Flights the passenger information unit expects data for, from a schedule it loaded.
flight_schedule = Table(
    "flight_schedule",
    metadata,
    Column("flight_id", String(40), ForeignKey("flight.id"), primary_key=True),
    Column("departure_utc", DateTime),  # when the schedule gave the time's UTC offset
    Column("pnr_expected", Boolean, nullable=False),  # API is always expected
    Column("source", Text, nullable=False),  # the file it came from
    Column("loaded_by", String(255), nullable=False),
    Column("loaded_at", DateTime, nullable=False),
)

# Targeting rules: pre-determined criteria a PIU screens travellers with. Each change is kept
# as a version (who, when, why); a rule on sensitive traits is refused when saved.
targeting_rule = Table(
    "targeting_rule",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False),
    Column("owner", String(255), nullable=False),  # the user answerable for the rule
    Column("justification", Text, nullable=False),
    Column("review_date", Date, nullable=False),
    Column("criteria", Text, nullable=False),  # JSON
    Column("status", String(16), nullable=False),  # active, disabled
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

targeting_rule_version = Table(
    "targeting_rule_version",
    metadata,
    Column("rule_id", Integer, ForeignKey("targeting_rule.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("owner", String(255), nullable=False),
    Column("justification", Text, nullable=False),
    Column("review_date", Date, nullable=False),
    Column("criteria", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("changed_by", String(255), nullable=False),
    Column("changed_at", DateTime, nullable=False),
    Column("note", Text, nullable=False),
)

# A request to see masked (depersonalised) data again, and a supervisor's decision on it.
unmask_request = Table(
    "unmask_request",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target_kind", String(16), nullable=False),  # entity, booking, traveller
    Column("target_id", String(255), nullable=False, index=True),
    Column("dataset", String(64), ForeignKey("dataset.name"), nullable=False),
    Column("requested_by", String(255), nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_at", DateTime, nullable=False),
    Column("status", String(16), nullable=False, index=True),  # pending, approved, refused
    Column("decided_by", String(255)),
    Column("decided_at", DateTime),
    Column("decision_reason", Text),
    Column("expires_at", DateTime),
)

# Each run of the retention schedule: what it masked and deleted, as of which day.
retention_run = Table(
    "retention_run",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),  # none while the run is under way (or if it stopped)
    Column("as_of", Date, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("masked", Integer, nullable=False),
    Column("deleted", Integer, nullable=False),
    Column("counts", Text, nullable=False),  # JSON: per table, kept up to date as it runs
    Column("error", Text),  # why the run failed (it then does not count as the day's)
)

# Entity resolution (rasid/resolve): the pairs the engine proposed, every judgement on them
# (append-only: an undo marks a judgement undone and adds nothing), the runs, and the
# canonical id of each entity merged into another (only those: the others are their own).
resolution_pair = Table(
    "resolution_pair",
    metadata,
    Column("left_id", String(255), primary_key=True),  # left_id < right_id
    Column("right_id", String(255), primary_key=True, index=True),
    Column("left_dataset", String(64), nullable=False, index=True),
    Column("right_dataset", String(64), nullable=False, index=True),
    Column("score", Float, nullable=False),
    Column("explanation", Text, nullable=False),  # JSON list of {feature, detail, effect}
    Column("shared_identifiers", Text, nullable=False),  # JSON list of [kind, value]
    Column("status", String(16), nullable=False, index=True),  # rasid.resolve.model.Status
    Column("proposed_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("run_id", String(32)),  # the last run that proposed it
    # A side was built with TLP:AMBER+STRICT statements (see rasid.resolve.judgements).
    Column("strict", Boolean, nullable=False, default=False),
)

resolution_judgement = Table(
    "resolution_judgement",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("left_id", String(255), nullable=False),
    Column("right_id", String(255), nullable=False),
    Column("judgement", String(16), nullable=False),  # same, not_same, unsure, auto
    Column("by_user", String(255), nullable=False),  # a user, or the rule ("rule:auto")
    Column("at", DateTime, nullable=False),
    Column("reason", Text, nullable=False),
    Column("undone_at", DateTime),
    Column("undone_by", String(255)),
    Index("ix_resolution_judgement_pair", "left_id", "right_id"),
)

resolution_run = Table(
    "resolution_run",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("datasets", Text, nullable=False),  # JSON list; empty: every dataset
    Column("stats", Text, nullable=False),  # JSON: records, candidates, proposed, ...
)

resolution_canonical = Table(
    "resolution_canonical",
    metadata,
    Column("entity_id", String(255), primary_key=True),
    Column("canonical_id", String(255), nullable=False, index=True),
    Column("updated_at", DateTime, nullable=False),
)

# Nexus monitoring (rasid/monitor): subjects, assessments with their ratings and evidence,
# judgements, alerts and imported series. An approved assessment is frozen: triggers made by
# migration 0011 refuse changes to it, its ratings and its evidence, except its becoming
# superseded.
monitor_subject = Table(
    "monitor_subject",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # rasid.monitor.model.SubjectKind
    Column("name", Text, nullable=False),
    Column("name_ar", Text, nullable=False),
    Column("country", String(2)),
    Column("entity_id", String(255)),
    Column("parent", Integer, ForeignKey("monitor_subject.id")),
    Column("created_by", String(255), nullable=False),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

monitor_assessment = Table(
    "monitor_assessment",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", Integer, ForeignKey("monitor_subject.id"), nullable=False, index=True),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("instrument_version", String(32), nullable=False),
    Column("status", String(16), nullable=False, index=True),  # rasid.monitor.model.Status
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False),
    Column("marking", String(20), nullable=False),
    Column("assessor", String(255), nullable=False),
    Column("reviewer", String(255)),
    Column("revises", Integer, ForeignKey("monitor_assessment.id")),
    Column("content_hash", String(64)),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("submitted_at", DateTime),
    Column("approved_at", DateTime),
    Column("review_note", Text, nullable=False),
)

monitor_rating = Table(
    "monitor_rating",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment", Integer, ForeignKey("monitor_assessment.id"), nullable=False),
    Column("indicator", String(128), nullable=False),
    Column("level", Integer),  # 1..5, NULL: not assessed
    Column("reason", Text, nullable=False),
    Column("confidence", String(16)),
    Column("trend", String(16), nullable=False),
    Column("rationale", Text, nullable=False),
    Index("ix_monitor_rating_indicator", "assessment", "indicator", unique=True),
)

monitor_evidence = Table(
    "monitor_evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("rating", Integer, ForeignKey("monitor_rating.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # citation, entity, statement
    Column("reference", Text, nullable=False),
    Column("date", Date),
    Column("source_grade", String(8)),
    Column("info_grade", String(8)),
    Column("marking", String(20), nullable=False),
    Column("note", Text, nullable=False),
)

monitor_judgement = Table(
    "monitor_judgement",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assessment", Integer, ForeignKey("monitor_assessment.id"), nullable=False, index=True),
    Column("manifestation", String(32), nullable=False),
    Column("likelihood", String(32), nullable=False),
    Column("confidence", String(16), nullable=False),
    Column("rationale", Text, nullable=False),
    Column("by_user", String(255), nullable=False),
    Column("at", DateTime, nullable=False),
)

# A significant or critical change found on approval, for the owning agency's analysts.
monitor_alert = Table(
    "monitor_alert",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject", Integer, ForeignKey("monitor_subject.id"), nullable=False),
    Column("assessment", Integer, ForeignKey("monitor_assessment.id"), nullable=False),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False, index=True),
    Column("change_kind", String(16), nullable=False),
    Column("indicator", String(128), nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("dismissed_at", DateTime),
    Column("dismissed_by", String(255)),
)

# External series imported as advice (never a score), kept per importing agency.
monitor_series_point = Table(
    "monitor_series_point",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False),
    Column("series", String(128), nullable=False),
    Column("region", String(128), nullable=False),
    Column("period", String(7), nullable=False),  # YYYY-MM or YYYY
    Column("value", Float, nullable=False),
    Column("imported_by", String(255), nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Column("file", Text, nullable=False),
    Index("ix_monitor_series_point_key", "agency", "series", "region", "period", unique=True),
)

# Technical-assistance coordination (rasid/assist): a state's requirements added to the
# taxonomy, source documents, needs, roadmaps and their steps, projects and offers with their
# organisations, themes, beneficiaries and results, indicators with actuals, explicit links
# for roll-ups, matches and notes on duplication flags. What partners may see of a record is
# its release list (assist_release).
assist_theme = Table(
    "assist_theme",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("area", String(8), nullable=False),
    Column("label", Text, nullable=False),
    Column("label_ar", Text, nullable=False),
    Column("dac", Text, nullable=False),  # comma-separated CRS purpose codes
    Column("note", Text, nullable=False),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

assist_document = Table(
    "assist_document",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False, index=True),
    Column("country", String(2), nullable=False),
    Column("kind", String(16), nullable=False),  # rasid.assist.model.DocumentKind
    Column("title", Text, nullable=False),
    Column("date", Date, nullable=False),
    Column("marking", String(20), nullable=False),
    Column("release", String(16), nullable=False),  # rasid.assist.model.Release
    Column("summary", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# Which partner agencies may see a record ("*": every partner). kind: document, need,
# roadmap or project.
assist_release = Table(
    "assist_release",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("record", Integer, primary_key=True),
    Column("agency", String(64), primary_key=True),
    Column("released_by", String(255), nullable=False),
    Column("released_at", DateTime, nullable=False),
)

assist_need = Table(
    "assist_need",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False, index=True),
    Column("country", String(2), nullable=False),
    Column("region", Text, nullable=False),
    Column("institution", Text, nullable=False),
    Column("theme", String(64), nullable=False),
    Column("gap", Text, nullable=False),
    Column("baseline", Text, nullable=False),
    Column("priority", String(8), nullable=False),
    Column("marking", String(20), nullable=False),
    Column("document", Integer, ForeignKey("assist_document.id")),
    Column("cost", Float),
    Column("currency", String(3), nullable=False),
    Column("wanted_by", Date),
    Column("status", String(16), nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

assist_roadmap = Table(
    "assist_roadmap",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False, index=True),
    Column("country", String(2), nullable=False),
    Column("requirement", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("marking", String(20), nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

assist_step = Table(
    "assist_step",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("roadmap", Integer, ForeignKey("assist_roadmap.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("recommendation", Text, nullable=False),
    Column("institution", Text, nullable=False),
    Column("due", Date),
    Column("status", String(16), nullable=False),
    Column("themes", Text, nullable=False),  # comma-separated theme codes
    Column("updated_at", DateTime, nullable=False),
)

assist_step_need = Table(
    "assist_step_need",
    metadata,
    Column("step", Integer, ForeignKey("assist_step.id"), primary_key=True),
    Column("need", Integer, ForeignKey("assist_need.id"), primary_key=True),
)

assist_project = Table(
    "assist_project",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("identifier", String(255), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("title_ar", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("status", Integer, nullable=False),  # IATI ActivityStatus
    Column("countries", Text, nullable=False),  # comma-separated ISO codes
    Column("region", Text, nullable=False),
    Column("start", Date),
    Column("end", Date),
    Column("currency", String(3), nullable=False),
    Column("spent", Float, nullable=False),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False, index=True),
    Column("marking", String(20), nullable=False),
    Column("source", Text, nullable=False),
    Column("created_by", String(255), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

assist_budget = Table(
    "assist_budget",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project", Integer, ForeignKey("assist_project.id"), nullable=False, index=True),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("currency", String(3), nullable=False),
)

assist_participant = Table(
    "assist_participant",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project", Integer, ForeignKey("assist_project.id"), nullable=False, index=True),
    Column("role", Integer, nullable=False),  # IATI OrganisationRole
    Column("name", Text, nullable=False),
    Column("ref", Text, nullable=False),
    Column("type", String(8), nullable=False),
)

# A project's themes (vocabulary "99": ours) and DAC purpose codes (vocabulary "1").
assist_project_sector = Table(
    "assist_project_sector",
    metadata,
    Column("project", Integer, ForeignKey("assist_project.id"), primary_key=True),
    Column("vocabulary", String(4), primary_key=True),
    Column("code", String(64), primary_key=True),
)

assist_beneficiary = Table(
    "assist_beneficiary",
    metadata,
    Column("project", Integer, ForeignKey("assist_project.id"), primary_key=True),
    Column("institution", String(255), primary_key=True),
)

assist_indicator = Table(
    "assist_indicator",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("need", Integer, ForeignKey("assist_need.id"), index=True),
    Column("project", Integer, ForeignKey("assist_project.id"), index=True),
    Column("result", Text, nullable=False),
    Column("result_type", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("measure", String(16), nullable=False),
    Column("ascending", Boolean, nullable=False),
    Column("baseline", Float, nullable=False),
    Column("baseline_date", Date, nullable=False),
    Column("target", Float, nullable=False),
    Column("target_date", Date, nullable=False),
)

assist_actual = Table(
    "assist_actual",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator", Integer, ForeignKey("assist_indicator.id"), nullable=False, index=True),
    Column("date", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("note", Text, nullable=False),
    Column("reported_by", String(255), nullable=False),
    Column("reported_at", DateTime, nullable=False),
)

# An indicator linked explicitly to a need or a roadmap step: roll-ups go through these only.
assist_indicator_link = Table(
    "assist_indicator_link",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator", Integer, ForeignKey("assist_indicator.id"), nullable=False, index=True),
    Column("need", Integer, ForeignKey("assist_need.id")),
    Column("step", Integer, ForeignKey("assist_step.id")),
    Column("linked_by", String(255), nullable=False),
    Column("linked_at", DateTime, nullable=False),
)

assist_match = Table(
    "assist_match",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("need", Integer, ForeignKey("assist_need.id"), nullable=False, index=True),
    Column("project", Integer, ForeignKey("assist_project.id"), nullable=False, index=True),
    Column("score", Float, nullable=False),
    Column("components", Text, nullable=False),  # JSON: the components at decision time
    Column("status", String(16), nullable=False),  # rasid.assist.model.MatchStatus
    Column("note", Text, nullable=False),
    Column("decided_by", String(255), nullable=False),
    Column("decided_at", DateTime, nullable=False),
    Index("ix_assist_match_pair", "need", "project", unique=True),
)

# What a coordination meeting made of a duplication flag (the flag itself is computed).
assist_duplicate_note = Table(
    "assist_duplicate_note",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("left", Integer, ForeignKey("assist_project.id"), nullable=False),
    Column("right", Integer, ForeignKey("assist_project.id"), nullable=False),
    Column("note", Text, nullable=False),
    Column("by_user", String(255), nullable=False),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_assist_duplicate_note_pair", "left", "right"),
)

# Every IATI transaction of a project, in file order (its id): type (IATI TransactionType),
# date, value and currency, the providing and receiving organisations.
assist_transaction = Table(
    "assist_transaction",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("project", Integer, ForeignKey("assist_project.id"), nullable=False, index=True),
    Column("type", Integer, nullable=False),
    Column("date", Date, nullable=False),
    Column("value", Float, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("provider", Text, nullable=False),
    Column("provider_ref", Text, nullable=False),
    Column("receiver", Text, nullable=False),
    Column("receiver_ref", Text, nullable=False),
    Column("description", Text, nullable=False),
)

# The exchange rates a coordination office uses: one base is worth `rate` of quote.
assist_rate = Table(
    "assist_rate",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency", String(64), ForeignKey("agency.name"), nullable=False),
    Column("base", String(3), nullable=False),
    Column("quote", String(3), nullable=False),
    Column("rate", Float, nullable=False),
    Column("as_of", Date, nullable=False),
    Column("source", Text, nullable=False),
    Column("recorded_by", String(255), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Index("ix_assist_rate_pair", "agency", "base", "quote", "as_of"),
)
