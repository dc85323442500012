-- Issue 17: history that weighs nothing. The ends of exercises are indexed so that a start-up
-- tells ended exercises without reading their logs (the WHERE term is engine.EndsExercise's),
-- and what is derived from a log that cannot change (reports, charts, readiness rows) is kept.
CREATE INDEX events_ended ON events (exercise_id) WHERE kind = 'exercise_ended';

CREATE TABLE derived (
    exercise_id TEXT NOT NULL REFERENCES exercises (id),
    name        TEXT NOT NULL,    -- what it is: "report.json", "chart.team", "row", ...
    seq         INTEGER NOT NULL, -- the last event it was computed from
    body        BLOB NOT NULL,
    PRIMARY KEY (exercise_id, name)
) WITHOUT ROWID;
