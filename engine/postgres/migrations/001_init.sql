-- Exercises and their append-only event logs: the meaning of engine/sqlite's schema, with the
-- v2 record fields (mode, teams, kind) from the start.
CREATE TABLE exercises (
    id          text PRIMARY KEY,
    scenario    text NOT NULL,
    plan        text NOT NULL,
    sources     json NOT NULL DEFAULT '{}',  -- file name -> HCL text, kept byte for byte
    credentials jsonb NOT NULL DEFAULT '{}', -- opaque to the engine
    speed       double precision NOT NULL,
    created_at  timestamptz NOT NULL,
    -- created_at keeps microseconds; the nanoseconds below them, so that the time the
    -- facilitator gave comes back exactly, as on SQLite.
    created_ns  integer NOT NULL DEFAULT 0 CHECK (created_ns BETWEEN 0 AND 999),
    mode        text NOT NULL DEFAULT 'training', -- evaluation or training
    teams       text[] NOT NULL DEFAULT '{}',     -- the teams in play
    kind        text NOT NULL DEFAULT 'live'      -- live or rehearsal
);

CREATE INDEX exercises_created ON exercises (created_at, created_ns, id);

CREATE TABLE events (
    exercise_id text NOT NULL REFERENCES exercises (id),
    seq         bigint NOT NULL CHECK (seq > 0),
    t_ns        bigint NOT NULL,      -- simulated time since the start
    wall        timestamptz NOT NULL, -- to the microsecond; the payload has it exactly
    kind        text NOT NULL,
    payload     json NOT NULL,        -- the whole event (json, not jsonb: any text, as sent)
    PRIMARY KEY (exercise_id, seq)
);
