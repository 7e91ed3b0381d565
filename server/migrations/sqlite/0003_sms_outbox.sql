-- The reference server's stand-in for an SMS gateway: messages it would have sent, readable
-- through the admin API so that demos and tests can use the codes.
CREATE TABLE sms_outbox (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    purpose TEXT NOT NULL,
    text    TEXT NOT NULL,
    sent_at INTEGER NOT NULL
);
