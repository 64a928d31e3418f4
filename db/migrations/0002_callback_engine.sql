-- dangol schema, version 2: the callback engine.

-- A callback may carry the customer's own window ("between 2 and 4 pm"),
-- in minutes after local midnight; NULL means the kind's window.
ALTER TABLE callbacks ADD COLUMN window_start_min INTEGER;
ALTER TABLE callbacks ADD COLUMN window_end_min INTEGER;

-- Claim-next walks this index in order: priority, then due time.
CREATE INDEX callbacks_next ON callbacks(state, priority, due_at);
CREATE INDEX callbacks_lease ON callbacks(lease_until) WHERE state = 'claimed';

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
