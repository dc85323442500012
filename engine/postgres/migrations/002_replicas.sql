-- Replicas (design/scale.md): when a replica last held each exercise's clock, so that the next
-- holder knows whether every replica was down; and the guessing limit's failed attempts by
-- client, so that it holds across replicas.
CREATE TABLE exercise_clocks (
    exercise_id text PRIMARY KEY REFERENCES exercises (id),
    seen        timestamptz NOT NULL -- the holder's last heartbeat
);

-- Exercises stored before replicas have no row: nobody is known to have held their clocks.

CREATE TABLE guesses (
    client  text PRIMARY KEY,          -- the client's IP
    tokens  double precision NOT NULL, -- attempts left in its bucket at last
    last    timestamptz NOT NULL
);
