-- The open callbacks of each owner (0: the team pool), kept by the
-- statements that change them (see SQLite's migration 23). Here each
-- change adds a row (+1 or -1) instead of changing the owner's one:
-- inserts never wait for each other, where one row changed by every
-- wrap-up of the pool would hold each wrap-up until the one before it
-- commits. The rows of an owner are folded into one from time to time
-- (queue/counts.go); an owner's tally is the sum of its rows.
CREATE TABLE callback_tallies (
    owner_id bigint NOT NULL,
    n        bigint NOT NULL
);
CREATE INDEX callback_tallies_owner ON callback_tallies(owner_id, n);
INSERT INTO callback_tallies(owner_id, n)
    SELECT coalesce(owner_id, 0), count(*) FROM callbacks WHERE state IN ('scheduled', 'claimed') GROUP BY 1;

CREATE FUNCTION callbacks_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.state IN ('scheduled', 'claimed') THEN
        INSERT INTO callback_tallies(owner_id, n) VALUES (coalesce(OLD.owner_id, 0), -1);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.state IN ('scheduled', 'claimed') THEN
        INSERT INTO callback_tallies(owner_id, n) VALUES (coalesce(NEW.owner_id, 0), 1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER callbacks_tally_insert AFTER INSERT ON callbacks
    FOR EACH ROW WHEN (NEW.state IN ('scheduled', 'claimed'))
    EXECUTE FUNCTION callbacks_tally();
CREATE TRIGGER callbacks_tally_update AFTER UPDATE OF state, owner_id ON callbacks
    FOR EACH ROW WHEN ((OLD.state IN ('scheduled', 'claimed')) <> (NEW.state IN ('scheduled', 'claimed'))
        OR coalesce(OLD.owner_id, 0) <> coalesce(NEW.owner_id, 0))
    EXECUTE FUNCTION callbacks_tally();
CREATE TRIGGER callbacks_tally_delete AFTER DELETE ON callbacks
    FOR EACH ROW WHEN (OLD.state IN ('scheduled', 'claimed'))
    EXECUTE FUNCTION callbacks_tally();
