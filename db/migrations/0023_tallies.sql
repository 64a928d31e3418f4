-- The open callbacks of each owner (0: the team pool), kept by the
-- statements that change them, so a queue's header and a supervisor's
-- Callbacks screen read a few rows instead of counting every open
-- callback (16–25 ms cold at 100,000 on SQLite, 40–135 ms on PostgreSQL).
-- A claim changes neither whether a callback is open nor its owner, and
-- does not fire these triggers. SQLite has one writer: each owner has one
-- row, changed in place. PostgreSQL's migration 23 adds a row per change
-- instead, folded later (queue/counts.go): one row changed by every
-- wrap-up of the pool would make them wait for each other.
CREATE TABLE callback_tallies (
    owner_id INTEGER NOT NULL PRIMARY KEY,
    n        INTEGER NOT NULL
);
INSERT INTO callback_tallies(owner_id, n)
    SELECT coalesce(owner_id, 0), count(*) FROM callbacks WHERE state IN ('scheduled', 'claimed') GROUP BY 1;

CREATE TRIGGER callbacks_tally_insert AFTER INSERT ON callbacks
WHEN NEW.state IN ('scheduled', 'claimed')
BEGIN
    INSERT INTO callback_tallies(owner_id, n) VALUES (coalesce(NEW.owner_id, 0), 1)
        ON CONFLICT(owner_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER callbacks_tally_update AFTER UPDATE OF state, owner_id ON callbacks
WHEN (OLD.state IN ('scheduled', 'claimed')) <> (NEW.state IN ('scheduled', 'claimed'))
    OR coalesce(OLD.owner_id, 0) <> coalesce(NEW.owner_id, 0)
BEGIN
    INSERT INTO callback_tallies(owner_id, n) SELECT coalesce(OLD.owner_id, 0), -1
        WHERE OLD.state IN ('scheduled', 'claimed')
        ON CONFLICT(owner_id) DO UPDATE SET n = n - 1;
    INSERT INTO callback_tallies(owner_id, n) SELECT coalesce(NEW.owner_id, 0), 1
        WHERE NEW.state IN ('scheduled', 'claimed')
        ON CONFLICT(owner_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER callbacks_tally_delete AFTER DELETE ON callbacks
WHEN OLD.state IN ('scheduled', 'claimed')
BEGIN
    INSERT INTO callback_tallies(owner_id, n) VALUES (coalesce(OLD.owner_id, 0), -1)
        ON CONFLICT(owner_id) DO UPDATE SET n = n - 1;
END;
