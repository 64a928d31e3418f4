-- The row claimers take turns on to work out the calling windows that have
-- opened or closed (queue.refreshReady): on PostgreSQL two refreshes at
-- once each kept every row they looked at locked, and claimers passed them
-- all by (SKIP LOCKED) and found nothing to call.
INSERT INTO meta(key, value) VALUES ('lock.refresh', '');

-- The references to a callback, indexed: PostgreSQL checks each reference
-- when a callback is deleted (the bench's cleanup; SQLite's is run with
-- the checks off), and without these read every interaction for each.
CREATE INDEX interactions_callback ON interactions(callback_id) WHERE callback_id IS NOT NULL;
CREATE INDEX call_outcomes_callback ON call_outcomes(callback_id);
CREATE INDEX bulk_items_callback ON bulk_items(callback_id);
