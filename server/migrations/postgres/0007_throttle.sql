-- Guessing limits every instance shares: one row per counted attempt, by hashed key.
CREATE TABLE throttle_events (
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX throttle_events_key ON throttle_events(key, at);
CREATE INDEX throttle_events_at ON throttle_events(at);
