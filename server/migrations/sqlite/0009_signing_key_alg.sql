-- Signing keys of more than one algorithm (RS256 beside EdDSA); keys made before are Ed25519.
-- From now on `secret` holds the key sealed with the server's key (as text bytes); a key stored
-- before is read as it was (32 raw bytes) and sealed again at the next start.
ALTER TABLE signing_keys ADD COLUMN alg TEXT NOT NULL DEFAULT 'EdDSA';
