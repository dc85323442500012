-- A credential replaced (SetCredential: the admin's new facilitator token) is indexed too:
-- migration 003's trigger fired on insert only, so the index kept the old token and missed
-- the new one. Rebuilt from the records, then kept whole by a trigger on update.
CREATE INDEX credentials_exercise ON credentials (exercise_id);

DELETE FROM credentials;
INSERT OR IGNORE INTO credentials (hash, exercise_id, key)
    SELECT j.value, exercises.id, j.key FROM exercises, json_each(exercises.credentials) AS j;

CREATE TRIGGER exercises_credentials_replaced AFTER UPDATE OF credentials ON exercises BEGIN
    DELETE FROM credentials WHERE exercise_id = NEW.id;
    INSERT OR IGNORE INTO credentials (hash, exercise_id, key)
        SELECT j.value, NEW.id, j.key FROM json_each(NEW.credentials) AS j;
END;
