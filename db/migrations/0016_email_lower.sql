-- E-mail addresses are compared as lower(address) = lower(?), which both
-- engines index (PostgreSQL has no COLLATE NOCASE): SQLite's lower folds
-- ASCII letters, as NOCASE did.
DROP INDEX emails_address;
CREATE INDEX emails_lower ON emails(lower(address));
