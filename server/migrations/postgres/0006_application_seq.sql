-- The order number of applications from a sequence, so that intake needs no lock shared by every
-- person: it continues after the largest number already given.
CREATE SEQUENCE IF NOT EXISTS application_seq;
SELECT setval('application_seq', COALESCE((SELECT MAX(seq) FROM applications), 0) + 1, false);
