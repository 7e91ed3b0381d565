-- Persons known to the identity platform, and the OAuth/OIDC artefacts issued to them.
CREATE TABLE persons (
    subject       TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    id_type       TEXT NOT NULL,
    id_number     TEXT NOT NULL UNIQUE,
    phone         TEXT NOT NULL,
    gender        TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    persona       TEXT NOT NULL
);

-- Authorization codes: stored as SHA-256 hashes, single use, short-lived, bound to the client's
-- redirect URI and PKCE challenge.
CREATE TABLE auth_codes (
    code_hash      BLOB PRIMARY KEY,
    client_id      TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    subject        TEXT NOT NULL REFERENCES persons(subject),
    scope          TEXT NOT NULL,
    nonce          TEXT,
    expires_at     INTEGER NOT NULL,
    used_at        INTEGER
);

-- Access and refresh tokens, stored hashed. Every token descending from one authorization code
-- shares a family, so a replayed code (or, later, a reused refresh token) can revoke them all.
CREATE TABLE tokens (
    token_hash BLOB PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    subject    TEXT NOT NULL REFERENCES persons(subject),
    client_id  TEXT NOT NULL,
    scope      TEXT NOT NULL,
    family     BLOB NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX tokens_family ON tokens(family);
