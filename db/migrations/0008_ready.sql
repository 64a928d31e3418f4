-- Claim-next walks only the callbacks that may be called now, so its cost
-- does not grow with the callbacks it may not take (a closed window, a
-- do-not-call customer). `ready` is 1 when a scheduled callback is not
-- blocked and its calling window is open; `flip_at` is when that next
-- changes (its window opens or closes). Before each claim the queue
-- recomputes the rows whose flip_at has come (queue.refreshReadySQL); a
-- change of the rules resets flip_at so the row is recomputed. The claim
-- statement still applies the window itself: a stale row is never taken.
ALTER TABLE callbacks ADD COLUMN ready INTEGER NOT NULL DEFAULT 0;
ALTER TABLE callbacks ADD COLUMN flip_at INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER callbacks_ready_rules AFTER UPDATE OF blocked, tz, win_start, win_end ON callbacks
BEGIN
    UPDATE callbacks SET flip_at = 0 WHERE id = NEW.id;
END;

DROP INDEX callbacks_next;
CREATE INDEX callbacks_ready ON callbacks(state, ready, priority, due_at, owner_id IS NULL, owner_id, blocked, win_start, win_end, tz);
CREATE INDEX callbacks_flip ON callbacks(state, flip_at);

-- Sweep finds overdue personal callbacks agent by agent.
DROP INDEX callbacks_owner;
CREATE INDEX callbacks_owner_due ON callbacks(owner_id, state, due_at);
