-- When an application arrived, as a number, for the demo auto-review and for ordering.
ALTER TABLE applications ADD COLUMN submitted_unix INTEGER NOT NULL DEFAULT 0;
