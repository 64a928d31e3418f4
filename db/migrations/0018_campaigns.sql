-- Retention campaigns (#27). A campaign is a set of customers chosen by a
-- segment expression, split at random into those called and a control
-- group that is not, so its report can compare the two.

-- RFM segment and churn flag per customer, computed in bulk (crm.ScoreAll)
-- and kept with the moment they were computed: a campaign built on them says
-- which scoring it used.
CREATE TABLE customer_scores (
    customer_id  INTEGER PRIMARY KEY REFERENCES customers(id),
    segment      TEXT NOT NULL,
    churn        INTEGER NOT NULL,   -- 1: at churn risk
    recency_days INTEGER NOT NULL,   -- days since the last purchase; -1 none
    frequency    INTEGER NOT NULL,   -- purchases in the last 12 months
    monetary     INTEGER NOT NULL,   -- won in the last 12 months
    scored_at    INTEGER NOT NULL
);
CREATE INDEX customer_scores_segment ON customer_scores(segment, churn);

CREATE TABLE campaigns (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    segment      TEXT NOT NULL,      -- the expression, as written
    kind         TEXT NOT NULL REFERENCES call_windows(kind),
    reason       TEXT NOT NULL,
    metric       TEXT NOT NULL,      -- the one primary metric
    control_pct  INTEGER NOT NULL,
    seed         INTEGER NOT NULL,   -- of the random split
    measure_days INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('active', 'paused', 'stopped')),
    starts_at    INTEGER NOT NULL,
    until_at     INTEGER,
    scores_at    INTEGER,            -- the scoring the segment was read from
    pool         INTEGER NOT NULL DEFAULT 0,
    agents       TEXT NOT NULL DEFAULT '',
    hold_bulk    INTEGER REFERENCES bulk_actions(id), -- the pause or stop that took its calls off the queue
    created_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES agents(id),
    actor        TEXT NOT NULL
);

CREATE TABLE campaign_members (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    grp         TEXT NOT NULL CHECK (grp IN ('contact', 'control')),
    agent_id    INTEGER REFERENCES agents(id), -- who the call was given to; NULL: the pool (or control)
    PRIMARY KEY (campaign_id, customer_id)
);
CREATE INDEX campaign_members_customer ON campaign_members(customer_id, campaign_id);

ALTER TABLE callbacks ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
CREATE INDEX callbacks_campaign ON callbacks(campaign_id, state) WHERE campaign_id IS NOT NULL;
INSERT INTO meta(key, value) VALUES ('lock.campaign', ''); -- campaigns are created one at a time
-- A campaign's report counts each member's referrals.
CREATE INDEX referrals_referrer ON referrals(referrer_id, created_at);
