-- Issue 17 on PostgreSQL: history that weighs nothing, as engine/sqlite's migration 003. A
-- start-up reads the catalogue (engine.Cataloguer), never the sources or the logs of ended
-- exercises.
--
-- No catalog table, unlike SQLite: the catalogue is read from exercises itself, whose sources
-- (kilobytes of HCL) are stored out of line by TOAST and not read unless selected. Whether an
-- exercise ended and where its log ends come from the indexes of events, which the very
-- INSERT that appends the events keeps current, in the transaction that appends them.

-- The ends of exercises, so that a start-up tells ended exercises without reading their logs
-- (the WHERE term is engine.EndsExercise's).
CREATE INDEX events_ended ON events (exercise_id) WHERE kind = 'exercise_ended';

-- Every hashed token and join code of every record (engine.CredentialIndex): a replica finds
-- the exercise of a credential, created on another replica or ended and not in memory, by one
-- index probe. A hash is random and so unique in practice; the key is (hash, exercise_id) all
-- the same, so that no record is ever refused for its credentials.
CREATE TABLE credentials (
    hash        text NOT NULL,
    exercise_id text NOT NULL REFERENCES exercises (id),
    key         text NOT NULL, -- the key of the record's credentials: "reviewer", "team:NAME", ...
    PRIMARY KEY (hash, exercise_id)
);
CREATE INDEX credentials_exercise ON credentials (exercise_id);

INSERT INTO credentials (hash, exercise_id, key)
    SELECT c.value, x.id, c.key FROM exercises x, jsonb_each_text(x.credentials) AS c
    ON CONFLICT DO NOTHING;

-- A trigger keeps the index whole whoever writes exercises: created, or a credential replaced
-- (the admin's new facilitator token), in the writer's transaction.
CREATE FUNCTION index_credentials() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM credentials WHERE exercise_id = NEW.id;
    END IF;
    INSERT INTO credentials (hash, exercise_id, key)
        SELECT c.value, NEW.id, c.key FROM jsonb_each_text(NEW.credentials) AS c
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER exercises_credentials AFTER INSERT OR UPDATE OF credentials ON exercises
    FOR EACH ROW EXECUTE FUNCTION index_credentials();

-- What is derived from a log and cannot change (reports, charts, readiness rows), kept and
-- shared by every replica. A row is valid while its seq is the log's last.
CREATE TABLE derived (
    exercise_id text NOT NULL REFERENCES exercises (id),
    name        text NOT NULL,   -- what it is: "report.json", "chart.team", "row", ...
    seq         bigint NOT NULL, -- the last event it was computed from
    body        bytea NOT NULL,
    PRIMARY KEY (exercise_id, name)
);
CREATE INDEX derived_name ON derived (name, exercise_id); -- DerivedAll: one name of every exercise
