-- dangol schema, version 11: one person, two customer rows, merged.
--
-- A merge moves everything of one customer to the one kept and records
-- each moved row, so an undo moves exactly those back. The merged row
-- stays (merged_into names the kept one) without search keys.
ALTER TABLE customers ADD COLUMN merged_into INTEGER REFERENCES customers(id);

CREATE TABLE merges (
    id          INTEGER PRIMARY KEY,
    keep_id     INTEGER NOT NULL REFERENCES customers(id),
    other_id    INTEGER NOT NULL REFERENCES customers(id),
    at          INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES agents(id),
    actor       TEXT NOT NULL,
    keep_points INTEGER NOT NULL,   -- the balances before, for an undo
    other_points INTEGER NOT NULL,
    keep_before TEXT NOT NULL,      -- the kept customer's flags before (JSON), for an undo
    undone_at   INTEGER,
    undone_by   TEXT
);

CREATE TABLE merge_moves (
    merge_id INTEGER NOT NULL REFERENCES merges(id),
    tbl      TEXT NOT NULL,         -- phones, emails, interactions, callbacks, ...
    row_id   INTEGER NOT NULL,
    key      TEXT NOT NULL DEFAULT '' -- customer_attributes and drafts: the row's key
);
CREATE INDEX merge_moves_merge ON merge_moves(merge_id);

-- Likely duplicates are found by a shared number or address (indexed
-- already) or the same name and birthday.
CREATE INDEX customers_name_birthday ON customers(name, birthday) WHERE birthday IS NOT NULL;
