-- The claims and answers of commands sent with an Idempotency-Key (engine.IdempotencyKeeper),
-- so that a retry after a restart is answered as the first was. A claim without a status is
-- still running, or its server died before answering. Claims older than
-- engine.IdempotencyRetention are deleted by the next claim (idempotency_claimed).
CREATE TABLE idempotency (
    scope        TEXT PRIMARY KEY,
    body_hash    BLOB NOT NULL,
    claimed_at   TEXT NOT NULL, -- UTC, in the store's timeFormat, so that it sorts as text
    status       INTEGER,       -- NULL until answered
    content_type TEXT NOT NULL DEFAULT '',
    body         BLOB
) WITHOUT ROWID;

CREATE INDEX idempotency_claimed ON idempotency (claimed_at);
