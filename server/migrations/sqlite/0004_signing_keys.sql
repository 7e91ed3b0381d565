-- The identity provider's ID-token signing keys (Ed25519). The newest signs; all are published
-- in the JWKS so tokens signed before a rotation still verify.
CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    secret     BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
