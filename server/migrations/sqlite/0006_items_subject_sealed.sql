-- Each item names its person, so that "one pending item of a kind per person" is a unique index
-- and "has an open claim" an index lookup: neither scans the person's history.
ALTER TABLE items ADD COLUMN subject TEXT NOT NULL DEFAULT '';
UPDATE items SET subject = (SELECT a.subject FROM applications a WHERE a.id = items.application_id);
-- Duplicates accepted before the rule existed: the oldest stays pending, later ones are refused.
UPDATE items SET status = 'rejected', reason = '同类事项已有待审核的申请，本次申请不予受理'
WHERE status IN ('submitted', 'in_review')
  AND EXISTS (SELECT 1 FROM items o WHERE o.subject = items.subject AND o.item = items.item
              AND o.status IN ('submitted', 'in_review') AND o.rowid < items.rowid);
CREATE UNIQUE INDEX items_one_pending ON items(subject, item) WHERE status IN ('submitted', 'in_review');
CREATE INDEX items_subject ON items(subject, item, status);
CREATE INDEX items_status ON items(status);

-- Order of arrival as a column both databases have (case numbers and the review queue use it).
ALTER TABLE applications ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE applications SET seq = rowid;
CREATE UNIQUE INDEX applications_seq ON applications(seq) WHERE seq > 0;

-- Expiring idempotency keys is a range delete, not a scan.
CREATE INDEX idempotency_created ON idempotency(created_at);

-- Personal data is sealed at rest (XChaCha20-Poly1305, key outside the database); lookups by
-- 证件号码 and phone go through keyed hashes (HMAC-SHA-256). Rows are sealed by the server at start.
ALTER TABLE persons ADD COLUMN id_lookup BLOB;
ALTER TABLE persons ADD COLUMN phone_lookup BLOB;
CREATE UNIQUE INDEX persons_id_lookup ON persons(id_lookup);
CREATE INDEX persons_phone_lookup ON persons(phone_lookup);
