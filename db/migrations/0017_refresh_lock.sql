-- The row claimers take turns on to work out the calling windows that have
-- opened or closed (queue.refreshReady): on PostgreSQL two refreshes at
-- once each kept every row they looked at locked, and claimers passed them
-- all by (SKIP LOCKED) and found nothing to call.
INSERT INTO meta(key, value) VALUES ('lock.refresh', '');
