-- dangol schema, version 12: search keys waiting to be put in order.
--
-- An import appends its new customers' search keys here, in customer
-- order (cheap: always the end of the table), in the same transaction as
-- the customers; crm moves them into search_keys in one sorted pass when
-- the import ends, or at the next start of a console or the server if the
-- import was stopped. Written into search_keys row by row, a million
-- customers' keys land all over its B-tree and rewrite its pages once a
-- batch. A customer whose keys change or go (an edit, a merge, forget)
-- loses their waiting keys too.
--
-- No REFERENCES: a key is written here only in the transaction that
-- writes its customer, and customers are never deleted (forget empties a
-- row, merge marks it); checking ten million keys against customers took
-- about a ninth of a million-row import.
CREATE TABLE search_keys_pending (
    customer_id INTEGER NOT NULL,
    key         TEXT NOT NULL,
    PRIMARY KEY (customer_id, key)
) WITHOUT ROWID;
