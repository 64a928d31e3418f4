-- dangol schema, version 4: the calling rules of a callback, kept on its row.
--
-- Claim-next used to join every candidate to its customer, phone and call
-- window to apply the calling rules; each join is a B-tree lookup, and they
-- made a claim cost three plain updates. Now each open callback carries what
-- the rules need, and these triggers keep it in step with the customer,
-- phone and window rows, whatever writes them. The claim reads only the
-- callbacks_next index.

ALTER TABLE callbacks ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;     -- DNC customer or wrong number
ALTER TABLE callbacks ADD COLUMN tz TEXT NOT NULL DEFAULT 'Asia/Seoul';  -- the customer's zone
ALTER TABLE callbacks ADD COLUMN win_start INTEGER NOT NULL DEFAULT 0;   -- calling window in local minutes,
ALTER TABLE callbacks ADD COLUMN win_end INTEGER NOT NULL DEFAULT 1440;  -- [start, end); 0–1440 when exempt

-- What the rules say for one callback, from the rows they come from.
CREATE VIEW callback_rules AS
SELECT cb.id,
       (c.dnc OR coalesce((SELECT invalid FROM phones WHERE id = cb.phone_id), 1)) AS blocked,
       c.tz AS tz,
       CASE WHEN cw.exempt THEN 0 ELSE coalesce(cb.window_start_min, cw.start_min) END AS win_start,
       CASE WHEN cw.exempt THEN 1440 ELSE coalesce(cb.window_end_min, cw.end_min) END AS win_end
FROM callbacks cb JOIN customers c ON c.id = cb.customer_id JOIN call_windows cw ON cw.kind = cb.kind;

UPDATE callbacks SET (blocked, tz, win_start, win_end) =
    (SELECT blocked, tz, win_start, win_end FROM callback_rules r WHERE r.id = callbacks.id);

CREATE TRIGGER callbacks_rules_insert AFTER INSERT ON callbacks
BEGIN
    UPDATE callbacks SET (blocked, tz, win_start, win_end) =
        (SELECT blocked, tz, win_start, win_end FROM callback_rules r WHERE r.id = NEW.id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER callbacks_rules_update AFTER UPDATE OF customer_id, phone_id, kind, window_start_min, window_end_min ON callbacks
BEGIN
    UPDATE callbacks SET (blocked, tz, win_start, win_end) =
        (SELECT blocked, tz, win_start, win_end FROM callback_rules r WHERE r.id = NEW.id)
    WHERE id = NEW.id;
END;

CREATE TRIGGER customers_rules AFTER UPDATE OF dnc, tz ON customers
BEGIN
    UPDATE callbacks SET (blocked, tz) = (SELECT blocked, tz FROM callback_rules r WHERE r.id = callbacks.id)
    WHERE customer_id = NEW.id AND state IN ('scheduled', 'claimed');
END;

CREATE TRIGGER phones_rules AFTER UPDATE OF invalid ON phones
BEGIN
    UPDATE callbacks SET blocked = (SELECT blocked FROM callback_rules r WHERE r.id = callbacks.id)
    WHERE phone_id = NEW.id AND state IN ('scheduled', 'claimed');
END;

CREATE TRIGGER call_windows_rules AFTER UPDATE ON call_windows
BEGIN
    UPDATE callbacks SET (win_start, win_end) = (SELECT win_start, win_end FROM callback_rules r WHERE r.id = callbacks.id)
    WHERE kind = NEW.kind AND state IN ('scheduled', 'claimed');
END;

-- Claim-next reads everything it needs from this index, in its order.
DROP INDEX callbacks_next;
CREATE INDEX callbacks_next ON callbacks(state, priority, due_at, owner_id IS NULL, owner_id, blocked, win_start, win_end, tz);
