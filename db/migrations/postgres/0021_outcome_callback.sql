-- SQLite's migration 21 adds the indexes PostgreSQL's 17 made: the
-- outcomes and the notes of a call, by callback. Here they are there.
CREATE INDEX IF NOT EXISTS call_outcomes_callback ON call_outcomes(callback_id);
CREATE INDEX IF NOT EXISTS interactions_callback ON interactions(callback_id) WHERE callback_id IS NOT NULL;
