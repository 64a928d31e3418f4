-- dangol schema, version 15: a row to lock for work that no row of its own
-- can guard.
--
-- Two imports at once would each match a new row's phone against the
-- customers before the other's are written, and both create the customer.
-- No row can be locked for a customer that does not exist yet, so every
-- import batch takes this row's lock first: imports take turns, and each
-- sees what the one before it wrote. (SQLite's write transaction holds the
-- whole database anyway; see db.SQLite.)
INSERT INTO meta(key, value) VALUES ('lock.import', '');
