-- The best time to call, kept with the scores: the first local minute of
-- the customer's best two-hour band when the scoring was sure of one, else
-- NULL. Claim-next's tie-break (policy.best_time_first) reads it.
ALTER TABLE customer_scores ADD COLUMN best_from INTEGER;
