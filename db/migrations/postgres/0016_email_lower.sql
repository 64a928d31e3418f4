-- SQLite's 0016 makes the index on lower(address) that PostgreSQL's 0015
-- already has (emails_lower). Nothing to do here.
SELECT 1;
