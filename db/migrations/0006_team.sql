-- dangol schema, version 6: the supervisor's console.

-- One row per wrap-up: how each call ended, when it was due, claimed and
-- wrapped up, and which attempt it was. The team board and the figures
-- (handling time, reach rate, on-time calls, first-contact resolution) are
-- read from here; the audit log says the same in words.
CREATE TABLE call_outcomes (
    id          INTEGER PRIMARY KEY,
    callback_id INTEGER NOT NULL REFERENCES callbacks(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    agent_id    INTEGER REFERENCES agents(id),
    kind        TEXT NOT NULL,
    disposition TEXT NOT NULL REFERENCES dispositions(code),
    reached     INTEGER NOT NULL,
    attempt     INTEGER NOT NULL,        -- 1 for the first call of this callback
    due_at      INTEGER NOT NULL,        -- when the call was due
    claimed_at  INTEGER NOT NULL,
    done_at     INTEGER NOT NULL
);
CREATE INDEX call_outcomes_done ON call_outcomes(done_at);
CREATE INDEX call_outcomes_agent ON call_outcomes(agent_id, done_at);

-- A supervisor's action on many callbacks at once, and each callback's
-- values before and after it, so the action can be undone while nothing
-- has changed them since.
CREATE TABLE bulk_actions (
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor_id  INTEGER REFERENCES agents(id),
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,             -- reassign, priority, due, cancel, release
    summary   TEXT NOT NULL,
    undone_at INTEGER,
    undone_by TEXT
);

CREATE TABLE bulk_items (
    bulk_id     INTEGER NOT NULL REFERENCES bulk_actions(id),
    callback_id INTEGER NOT NULL REFERENCES callbacks(id),
    b_state TEXT NOT NULL, b_owner INTEGER, b_due INTEGER NOT NULL, b_priority INTEGER NOT NULL,
    b_claimed_by INTEGER, b_claimed_at INTEGER, b_lease INTEGER,
    a_state TEXT NOT NULL, a_owner INTEGER, a_due INTEGER NOT NULL, a_priority INTEGER NOT NULL,
    a_claimed_by INTEGER,
    PRIMARY KEY (bulk_id, callback_id)
) WITHOUT ROWID;

-- A wrap-up code may require a note (a complaint resolved without a word
-- is no use to the next agent).
ALTER TABLE dispositions ADD COLUMN needs_note INTEGER NOT NULL DEFAULT 0;

-- Presence also says who is online with no customer open: customer_id
-- may be NULL. The table holds only live rows, so it is made again.
DROP TABLE presence;
CREATE TABLE presence (
    agent_id    INTEGER PRIMARY KEY REFERENCES agents(id),
    customer_id INTEGER REFERENCES customers(id),
    seen_at     INTEGER NOT NULL
);
CREATE INDEX presence_customer ON presence(customer_id);

-- The audit view filters by time and by who.
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_actor ON audit_log(actor, at);
