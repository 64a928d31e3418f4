-- A wrap-up counts the call's earlier outcomes, and its undo finds the
-- outcome it made, by callback: without an index each read the whole
-- table (16 ms a wrap-up at 575,000 outcomes, growing with every call
-- made). The notes of a call are found by callback likewise. PostgreSQL
-- has had both since its migration 17.
CREATE INDEX IF NOT EXISTS call_outcomes_callback ON call_outcomes(callback_id);
CREATE INDEX IF NOT EXISTS interactions_callback ON interactions(callback_id) WHERE callback_id IS NOT NULL;
