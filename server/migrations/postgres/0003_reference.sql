-- As SQLite's 0008: reference data published over the bundled snapshot, versioned.
CREATE TABLE reference (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    body TEXT NOT NULL
);
