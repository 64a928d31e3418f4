-- dangol schema, version 13: a console reads the rows it shows.
--
-- The agent's queue and the team's Callbacks screen read a window of open
-- callbacks along the next-best order (overdue first, then priority, due
-- time, personal before pool, id) instead of every open callback. The
-- order splits into ten runs (overdue or not, times five priorities), and
-- within a run this index holds the rows in order, so a window is a few
-- short range reads whatever the number of open callbacks. Only open rows
-- are in it: the done and cancelled ones, most of the table after a year,
-- cost nothing. The owner and the claimant come last, so whose queue a
-- row belongs to is decided from the index alone, counts included.
CREATE INDEX callbacks_window ON callbacks(priority, due_at, (owner_id IS NULL), id, owner_id, claimed_by)
    WHERE state IN ('scheduled', 'claimed');
