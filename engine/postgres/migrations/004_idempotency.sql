-- The claims and answers of commands sent with an Idempotency-Key (engine.IdempotencyKeeper),
-- so that a retry is answered as the first was on every replica and after a restart. A claim
-- without a status is still running, or its replica died before answering. Claims older than
-- engine.IdempotencyRetention are deleted by the next claim (idempotency_claimed).
CREATE TABLE idempotency (
    scope        text PRIMARY KEY,
    body_hash    bytea NOT NULL,
    claimed_at   timestamptz NOT NULL,
    status       integer,           -- NULL until answered
    content_type text NOT NULL DEFAULT '',
    body         bytea
);

CREATE INDEX idempotency_claimed ON idempotency (claimed_at);
