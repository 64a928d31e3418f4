-- dangol schema, version 7: calls that need the customer's consent.
--
-- A kind of call may need a consent of the customer (정보통신망법 §50: prior
-- consent for advertising calls): call_windows.consent names it ('' none,
-- 'marketing', 'sms', 'email'). A callback of that kind is blocked while
-- the customer has not given it, like a do-not-call customer, so claim-next
-- skips it and the queue says why. Which kinds need which consent is data.

ALTER TABLE call_windows ADD COLUMN consent TEXT NOT NULL DEFAULT ''
    CHECK (consent IN ('', 'marketing', 'sms', 'email'));
UPDATE call_windows SET consent = 'marketing' WHERE kind = 'marketing';

DROP VIEW callback_rules;
CREATE VIEW callback_rules AS
SELECT cb.id,
       (c.dnc OR coalesce((SELECT invalid FROM phones WHERE id = cb.phone_id), 1)
        OR (cw.consent = 'marketing' AND NOT c.consent_marketing)
        OR (cw.consent = 'sms' AND NOT c.consent_sms)
        OR (cw.consent = 'email' AND NOT c.consent_email)) AS blocked,
       c.tz AS tz,
       CASE WHEN cw.exempt THEN 0 ELSE coalesce(cb.window_start_min, cw.start_min) END AS win_start,
       CASE WHEN cw.exempt THEN 1440 ELSE coalesce(cb.window_end_min, cw.end_min) END AS win_end
FROM callbacks cb JOIN customers c ON c.id = cb.customer_id JOIN call_windows cw ON cw.kind = cb.kind;

DROP TRIGGER customers_rules;
CREATE TRIGGER customers_rules AFTER UPDATE OF dnc, tz, consent_marketing, consent_sms, consent_email ON customers
BEGIN
    UPDATE callbacks SET (blocked, tz) = (SELECT blocked, tz FROM callback_rules r WHERE r.id = callbacks.id)
    WHERE customer_id = NEW.id AND state IN ('scheduled', 'claimed');
END;

DROP TRIGGER call_windows_rules;
CREATE TRIGGER call_windows_rules AFTER UPDATE ON call_windows
BEGIN
    UPDATE callbacks SET (blocked, win_start, win_end) =
        (SELECT blocked, win_start, win_end FROM callback_rules r WHERE r.id = callbacks.id)
    WHERE kind = NEW.kind AND state IN ('scheduled', 'claimed');
END;

UPDATE callbacks SET blocked = (SELECT blocked FROM callback_rules r WHERE r.id = callbacks.id)
WHERE state IN ('scheduled', 'claimed');

-- The customer 360's history lists each call's outcome.
CREATE INDEX call_outcomes_customer ON call_outcomes(customer_id, done_at);
