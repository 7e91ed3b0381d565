-- The service side: each person's records, applications and their items, idempotency keys, SMS
-- codes, and the audit trail of every state change.

-- Records are kept as the JSON of shiye-core's wire types, so the server and the app read them
-- with the same code; the full benefit account number stays on the server.
CREATE TABLE records (
    subject           TEXT PRIMARY KEY REFERENCES persons(subject),
    beijing_hukou     INTEGER NOT NULL,
    registered        INTEGER NOT NULL DEFAULT 0,
    contribution_json TEXT,
    benefit_json      TEXT,
    benefit_card      TEXT
);

CREATE TABLE applications (
    id           TEXT PRIMARY KEY,
    subject      TEXT NOT NULL REFERENCES persons(subject),
    bundle       TEXT NOT NULL,
    answers_json TEXT NOT NULL,
    submitted_at TEXT NOT NULL
);
CREATE INDEX applications_subject ON applications(subject);

CREATE TABLE items (
    case_number       TEXT PRIMARY KEY,
    application_id    TEXT NOT NULL REFERENCES applications(id),
    position          INTEGER NOT NULL,
    item              TEXT NOT NULL,
    status            TEXT NOT NULL,
    reason            TEXT,
    expected_decision TEXT
);
CREATE INDEX items_application ON items(application_id);

-- Idempotency-Key (IETF draft): one row per (person, key); the stored answer is replayed.
CREATE TABLE idempotency (
    subject      TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash BLOB NOT NULL,
    status       INTEGER,
    body         TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (subject, key)
);

CREATE TABLE sms_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    subject    TEXT NOT NULL REFERENCES persons(subject),
    purpose    TEXT NOT NULL,
    code_hash  BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sms_codes_subject ON sms_codes(subject, purpose);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    subject TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL
);
