-- dangol schema, version 3: customer search, presence, feedback.

-- Search keys derived from each customer's names, initials, phones and
-- emails (crm/searchkeys.go), kept in step with every write in the same
-- transaction. Every kind of query becomes an equality lookup on key.
CREATE TABLE search_keys (
    key         TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    PRIMARY KEY (key, customer_id)
) WITHOUT ROWID;
CREATE INDEX search_keys_customer ON search_keys(customer_id);

-- Which console has which customer open, refreshed while it stays open, so
-- others see "junho is on this customer".
CREATE TABLE presence (
    agent_id    INTEGER NOT NULL REFERENCES agents(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (agent_id)
);
CREATE INDEX presence_customer ON presence(customer_id);

-- Timeline reads every kind of event of a customer by time.
CREATE INDEX callbacks_customer_time ON callbacks(customer_id, created_at);
CREATE INDEX complaints_customer_time ON complaints(customer_id, opened_at);
