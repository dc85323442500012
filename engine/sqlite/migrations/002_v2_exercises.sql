-- Version 2: each exercise's mode, teams in play and kind (protocol.md, scoring.md v2).
-- Exercises stored before v2 read as training, with every team that is not external in play
-- (an empty list) and live.
ALTER TABLE exercises ADD COLUMN mode TEXT NOT NULL DEFAULT 'training';
ALTER TABLE exercises ADD COLUMN teams TEXT NOT NULL DEFAULT '[]'; -- JSON: team names; [] means every team that is not external
ALTER TABLE exercises ADD COLUMN kind TEXT NOT NULL DEFAULT 'live';
