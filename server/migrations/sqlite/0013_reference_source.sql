-- Who published a reference table and when, as the apps show it beside the data.
ALTER TABLE reference ADD COLUMN source TEXT NOT NULL DEFAULT '';
