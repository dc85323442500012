-- Exercises and their append-only event logs.
CREATE TABLE exercises (
    id          TEXT PRIMARY KEY,
    scenario    TEXT NOT NULL,
    plan        TEXT NOT NULL,
    sources     TEXT NOT NULL DEFAULT '{}', -- JSON: file name -> HCL text
    credentials TEXT NOT NULL DEFAULT '{}', -- JSON: opaque to the engine
    speed       REAL NOT NULL,
    created_at  TEXT NOT NULL               -- RFC 3339, UTC
);

CREATE TABLE events (
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    seq         INTEGER NOT NULL,
    t_ns        INTEGER NOT NULL, -- simulated time since the start
    wall        TEXT NOT NULL,    -- RFC 3339, UTC
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,    -- JSON: the whole event
    PRIMARY KEY (exercise_id, seq)
) WITHOUT ROWID;
