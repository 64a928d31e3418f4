-- dangol schema, version 10: customers brought in from other systems.
--
-- external_id is the customer's number in the system a file came from:
-- a re-import finds them by it first. A number's extension is kept beside
-- it (+1-940-986-3836x4639). Columns of an imported file that have no
-- field here are kept as attributes, never dropped.
ALTER TABLE customers ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX customers_external ON customers(external_id) WHERE external_id IS NOT NULL;
ALTER TABLE phones ADD COLUMN ext TEXT NOT NULL DEFAULT '';

CREATE TABLE customer_attributes (
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (customer_id, key)
);
