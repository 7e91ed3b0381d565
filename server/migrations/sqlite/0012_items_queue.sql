-- The reviewer's queue read from the items alone: each item carries its application's order number,
-- and the undecided ones have an index of their own, so a page costs its own size, not the queue's.
ALTER TABLE items ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE items SET seq = COALESCE((SELECT seq FROM applications WHERE applications.id = items.application_id), 0);
CREATE INDEX items_queue ON items(seq, application_id) WHERE status IN ('submitted', 'in_review');
