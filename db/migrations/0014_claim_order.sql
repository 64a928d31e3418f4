-- dangol schema, version 14: the claim's order is written in its SQL.
--
-- Claim-next takes the first callback of the next-best order (priority,
-- due time, personal before pool, id), the order of the agent's queue
-- (callbacks_window). It used to rely on the walk of callbacks_ready, which
-- an INDEXED BY hint forced, without an ORDER BY: the order was whatever
-- the index's columns gave, and within one due time that was the calling
-- window, not the id. The index now holds the id right after personal or
-- pool, so the claim's ORDER BY is the index's order, read without a sort,
-- and any engine's planner can see it.
DROP INDEX callbacks_ready;
CREATE INDEX callbacks_ready ON callbacks(state, ready, priority, due_at, (owner_id IS NULL), id, owner_id, blocked, win_start, win_end, tz);
