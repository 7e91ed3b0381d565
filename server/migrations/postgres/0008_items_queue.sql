-- The reviewer's queue read from the items alone: each item carries its application's order number,
-- and the undecided ones have an index of their own, so a page costs its own size, not the queue's.
ALTER TABLE items ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
UPDATE items SET seq = a.seq FROM applications a WHERE a.id = items.application_id AND a.seq <> 0;
CREATE INDEX items_queue ON items(seq, application_id) WHERE status IN ('submitted', 'in_review');
