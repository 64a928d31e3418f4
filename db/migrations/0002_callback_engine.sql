-- dangol schema, version 2: the callback engine.

-- A callback may carry the customer's own window ("between 2 and 4 pm"),
-- in minutes after local midnight; NULL means the kind's window.
ALTER TABLE callbacks ADD COLUMN window_start_min INTEGER;
ALTER TABLE callbacks ADD COLUMN window_end_min INTEGER;

-- Claim-next walks this index in its order: priority, due time, personal
-- before pool (then rowid), so it stops at the first callable row without
-- sorting. It also serves every lookup by state, so the first schema's
-- state indexes go: each index is written on every claim.
CREATE INDEX callbacks_next ON callbacks(state, priority, due_at, owner_id IS NULL);
DROP INDEX callbacks_open;
DROP INDEX callbacks_claimed;

-- Per-agent cap on active personal callbacks; NULL means the policy default.
ALTER TABLE agents ADD COLUMN max_active INTEGER;

-- Reminders an agent's console showed, and snoozes they asked for. The
-- "before" and "due" reminders of a callback are implied by its due time;
-- a row here records that a console delivered one (or when to fire a snooze).
CREATE TABLE reminders (
    id           INTEGER PRIMARY KEY,
    callback_id  INTEGER NOT NULL REFERENCES callbacks(id),
    agent_id     INTEGER NOT NULL REFERENCES agents(id),
    kind         TEXT NOT NULL CHECK (kind IN ('before', 'due', 'snooze')),
    fire_at      INTEGER NOT NULL,
    delivered_at INTEGER,
    UNIQUE (callback_id, agent_id, kind, fire_at)
);
CREATE INDEX reminders_agent ON reminders(agent_id, delivered_at);

-- A claim and its audit row are one statement: this trigger writes the row
-- when a callback goes from scheduled to claimed, so claim-next stays a
-- single atomic UPDATE (the other transitions are audited by the code that
-- makes them, with their reasons).
CREATE TRIGGER callbacks_claim_audit AFTER UPDATE OF state ON callbacks
WHEN OLD.state = 'scheduled' AND NEW.state = 'claimed'
BEGIN
    INSERT INTO audit_log(at, actor_id, actor, entity, entity_id, action, from_value, to_value, reason)
    VALUES (NEW.claimed_at, NEW.claimed_by, coalesce((SELECT name FROM agents WHERE id = NEW.claimed_by), ''),
            'callback', NEW.id, 'claim', 'scheduled', 'claimed',
            'lease until ' || strftime('%Y-%m-%dT%H:%M:%SZ', NEW.lease_until, 'unixepoch'));
END;

-- Every callback names the number it will dial (the customer's best one
-- when it was scheduled), so the calling rules check one phone row.
UPDATE callbacks SET phone_id = (SELECT id FROM phones WHERE customer_id = callbacks.customer_id
    ORDER BY invalid, is_primary DESC, id LIMIT 1) WHERE phone_id IS NULL;
