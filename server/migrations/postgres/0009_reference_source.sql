-- As SQLite's 0013: who published a reference table and when.
ALTER TABLE reference ADD COLUMN source TEXT NOT NULL DEFAULT '';
