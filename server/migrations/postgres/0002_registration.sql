-- As SQLite's 0007: the 失业登记 as it stands, sealed.
ALTER TABLE records ADD COLUMN registration_json TEXT;
