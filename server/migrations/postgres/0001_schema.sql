-- The whole schema for PostgreSQL, equal to SQLite's migrations 0001-0006 applied in order.
-- Integers are BIGINT (SQLite's INTEGER), byte strings BYTEA (BLOB), booleans 0/1 integers.

CREATE TABLE persons (
    subject       TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    id_type       TEXT NOT NULL,
    id_number     TEXT NOT NULL UNIQUE,
    phone         TEXT NOT NULL,
    gender        TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    persona       TEXT NOT NULL,
    id_lookup     BYTEA UNIQUE,
    phone_lookup  BYTEA
);
CREATE INDEX persons_phone_lookup ON persons(phone_lookup);

CREATE TABLE auth_codes (
    code_hash      BYTEA PRIMARY KEY,
    client_id      TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    subject        TEXT NOT NULL REFERENCES persons(subject),
    scope          TEXT NOT NULL,
    nonce          TEXT,
    expires_at     BIGINT NOT NULL,
    used_at        BIGINT
);

CREATE TABLE tokens (
    token_hash BYTEA PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    subject    TEXT NOT NULL REFERENCES persons(subject),
    client_id  TEXT NOT NULL,
    scope      TEXT NOT NULL,
    family     BYTEA NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX tokens_family ON tokens(family);

CREATE TABLE records (
    subject           TEXT PRIMARY KEY REFERENCES persons(subject),
    beijing_hukou     BIGINT NOT NULL,
    registered        BIGINT NOT NULL DEFAULT 0,
    contribution_json TEXT,
    benefit_json      TEXT,
    benefit_card      TEXT
);

CREATE TABLE applications (
    id             TEXT PRIMARY KEY,
    subject        TEXT NOT NULL REFERENCES persons(subject),
    bundle         TEXT NOT NULL,
    answers_json   TEXT NOT NULL,
    submitted_at   TEXT NOT NULL,
    submitted_unix BIGINT NOT NULL DEFAULT 0,
    seq            BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX applications_subject ON applications(subject);
CREATE UNIQUE INDEX applications_seq ON applications(seq) WHERE seq > 0;

CREATE TABLE items (
    case_number       TEXT PRIMARY KEY,
    application_id    TEXT NOT NULL REFERENCES applications(id),
    position          BIGINT NOT NULL,
    item              TEXT NOT NULL,
    status            TEXT NOT NULL,
    reason            TEXT,
    expected_decision TEXT,
    subject           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX items_application ON items(application_id);
CREATE UNIQUE INDEX items_one_pending ON items(subject, item) WHERE status IN ('submitted', 'in_review');
CREATE INDEX items_subject ON items(subject, item, status);
CREATE INDEX items_status ON items(status);

CREATE TABLE idempotency (
    subject      TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash BYTEA NOT NULL,
    status       BIGINT,
    body         TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (subject, key)
);
CREATE INDEX idempotency_created ON idempotency(created_at);

CREATE TABLE sms_codes (
    id         BIGSERIAL PRIMARY KEY,
    subject    TEXT NOT NULL REFERENCES persons(subject),
    purpose    TEXT NOT NULL,
    code_hash  BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    attempts   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sms_codes_subject ON sms_codes(subject, purpose);

CREATE TABLE audit (
    id      BIGSERIAL PRIMARY KEY,
    at      BIGINT NOT NULL,
    subject TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL
);

CREATE TABLE sms_outbox (
    id      BIGSERIAL PRIMARY KEY,
    subject TEXT NOT NULL,
    purpose TEXT NOT NULL,
    text    TEXT NOT NULL,
    sent_at BIGINT NOT NULL
);

CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    secret     BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
