-- Issue 17: history that weighs nothing. A start-up reads the catalogue, never the sources
-- or the logs of ended exercises.
--
-- catalog holds what a start-up reads of each exercise: reading a column of exercises that
-- comes after sources walks the sources' overflow pages. credentials indexes every hashed
-- token and join code of every record (engine.CredentialFinder), so that a start-up reads
-- none of them. Triggers fill both, so every writer of exercises keeps them whole.
CREATE TABLE catalog (
    id          TEXT PRIMARY KEY REFERENCES exercises (id),
    scenario    TEXT NOT NULL,
    plan        TEXT NOT NULL,
    speed       REAL NOT NULL,
    created_at  TEXT NOT NULL,
    mode        TEXT NOT NULL,
    kind        TEXT NOT NULL
) WITHOUT ROWID;

-- A hash is random and so unique in practice; the key is (hash, exercise_id) all the same, so
-- that no record is ever refused for its credentials.
CREATE TABLE credentials (
    hash        TEXT NOT NULL,
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    key         TEXT NOT NULL, -- the key of the record's credentials: "reviewer", "team:NAME", ...
    PRIMARY KEY (hash, exercise_id)
) WITHOUT ROWID;

INSERT INTO catalog (id, scenario, plan, speed, created_at, mode, kind)
    SELECT id, scenario, plan, speed, created_at, mode, kind FROM exercises;
INSERT OR IGNORE INTO credentials (hash, exercise_id, key)
    SELECT j.value, exercises.id, j.key FROM exercises, json_each(exercises.credentials) AS j;

CREATE TRIGGER exercises_catalog AFTER INSERT ON exercises BEGIN
    INSERT INTO catalog (id, scenario, plan, speed, created_at, mode, kind)
        VALUES (NEW.id, NEW.scenario, NEW.plan, NEW.speed, NEW.created_at, NEW.mode, NEW.kind);
    INSERT OR IGNORE INTO credentials (hash, exercise_id, key)
        SELECT j.value, NEW.id, j.key FROM json_each(NEW.credentials) AS j;
END;

-- The ends of exercises, so that a start-up tells ended exercises without reading their logs
-- (the WHERE term is engine.EndsExercise's).
CREATE INDEX events_ended ON events (exercise_id) WHERE kind = 'exercise_ended';

-- What is derived from a log and cannot change (reports, charts, readiness rows), kept.
CREATE TABLE derived (
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    name        TEXT NOT NULL,    -- what it is: "report.json", "chart.team", "row", ...
    seq         INTEGER NOT NULL, -- the last event it was computed from
    body        BLOB NOT NULL,
    PRIMARY KEY (exercise_id, name)
) WITHOUT ROWID;
