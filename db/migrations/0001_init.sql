-- dangol schema, version 1.
-- Times are INTEGER Unix seconds (UTC); money is INTEGER won; flags are 0/1.
-- Rows that people change carry who and when; the audit_log says what changed.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE agents (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,           -- login name: minji
    display_name TEXT NOT NULL,                  -- 김민지
    role         TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL
);

-- SSH public keys that log an agent in (authorized_keys line, fingerprint).
CREATE TABLE agent_keys (
    id          INTEGER PRIMARY KEY,
    agent_id    INTEGER NOT NULL REFERENCES agents(id),
    public_key  TEXT NOT NULL,
    fingerprint TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES agents(id)
);

-- Membership tiers: rules on spend and tenure, and what the agent may offer.
CREATE TABLE tiers (
    code            TEXT PRIMARY KEY,
    rank            INTEGER NOT NULL UNIQUE,
    name_ko         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    min_spend       INTEGER NOT NULL,            -- won in the last 12 months
    min_tenure_days INTEGER NOT NULL,
    earn_pct        INTEGER NOT NULL,            -- points earned per 100 won
    benefits_ko     TEXT NOT NULL,
    benefits_en     TEXT NOT NULL
);

INSERT INTO tiers VALUES
    ('basic',  0, '일반', 'Basic',  0,        0,   1, '구매 금액 1% 적립', '1% points on purchases'),
    ('silver', 1, '실버', 'Silver', 300000,   90,  2, '2% 적립, 생일 쿠폰', '2% points, birthday coupon'),
    ('gold',   2, '골드', 'Gold',   1000000,  365, 3, '3% 적립, 무료 배송, 생일 쿠폰', '3% points, free shipping, birthday coupon'),
    ('vip',    3, 'VIP',  'VIP',    3000000,  730, 5, '5% 적립, 전담 상담원, 무료 배송, 행사 초대', '5% points, dedicated agent, free shipping, event invitations');

CREATE TABLE customers (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL,         -- as the customer writes it: 김민준, Emily Park
    name_roman            TEXT NOT NULL DEFAULT '',
    birthday              TEXT,                  -- YYYY-MM-DD
    lang                  TEXT NOT NULL DEFAULT 'ko',
    tz                    TEXT NOT NULL DEFAULT 'Asia/Seoul',
    tier                  TEXT NOT NULL DEFAULT 'basic' REFERENCES tiers(code),
    segment               TEXT NOT NULL DEFAULT '',
    points                INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
    dnc                   INTEGER NOT NULL DEFAULT 0,   -- do not call
    consent_marketing     INTEGER NOT NULL DEFAULT 0,
    consent_sms           INTEGER NOT NULL DEFAULT 0,
    consent_email         INTEGER NOT NULL DEFAULT 0,
    joined_at             INTEGER NOT NULL,      -- customer since
    last_contact_at       INTEGER,
    last_contact_channel  TEXT,
    last_contact_agent_id INTEGER REFERENCES agents(id),
    created_at            INTEGER NOT NULL,
    created_by            INTEGER REFERENCES agents(id),
    updated_at            INTEGER NOT NULL,
    updated_by            INTEGER REFERENCES agents(id)
);

CREATE TABLE phones (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers(id),
    e164           TEXT NOT NULL,                -- +821012345678
    raw            TEXT NOT NULL,                -- as it was given: 010-1234-5678
    kind           TEXT NOT NULL DEFAULT 'mobile' CHECK (kind IN ('mobile', 'home', 'work', 'other')),
    is_primary     INTEGER NOT NULL DEFAULT 0,
    invalid        INTEGER NOT NULL DEFAULT 0,   -- wrong number: never dialled again
    created_at     INTEGER NOT NULL
);
CREATE INDEX phones_customer ON phones(customer_id);
CREATE INDEX phones_e164 ON phones(e164);

CREATE TABLE emails (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    address     TEXT NOT NULL,
    is_primary  INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);
CREATE INDEX emails_customer ON emails(customer_id);
CREATE INDEX emails_address ON emails(address COLLATE NOCASE);

CREATE TABLE purchases (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    item         TEXT NOT NULL,
    amount       INTEGER NOT NULL,               -- won; negative for a refund
    channel      TEXT NOT NULL DEFAULT 'store' CHECK (channel IN ('store', 'online', 'phone')),
    purchased_at INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES agents(id)
);
CREATE INDEX purchases_customer ON purchases(customer_id, purchased_at);

-- Every change to a points balance; customers.points is the running total.
CREATE TABLE loyalty_ledger (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    kind          TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'adjust', 'expire')),
    delta         INTEGER NOT NULL,
    balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
    reason        TEXT NOT NULL,
    purchase_id   INTEGER REFERENCES purchases(id),
    created_at    INTEGER NOT NULL,
    created_by    INTEGER REFERENCES agents(id)
);
CREATE INDEX loyalty_customer ON loyalty_ledger(customer_id, created_at);

CREATE TABLE complaints (
    id                INTEGER PRIMARY KEY,
    customer_id       INTEGER NOT NULL REFERENCES customers(id),
    subject           TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'responded', 'resolved')),
    opened_at         INTEGER NOT NULL,
    opened_by         INTEGER REFERENCES agents(id),
    first_response_at INTEGER,
    resolved_at       INTEGER,
    resolved_by       INTEGER REFERENCES agents(id)
);
CREATE INDEX complaints_customer ON complaints(customer_id, status);
CREATE INDEX complaints_open ON complaints(status, opened_at);

-- Notes of every contact, on every channel.
CREATE TABLE interactions (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    agent_id     INTEGER REFERENCES agents(id),  -- NULL: the customer wrote in unattended
    channel      TEXT NOT NULL CHECK (channel IN ('phone', 'inbound080', 'sms', 'email', 'chat', 'visit')),
    direction    TEXT NOT NULL DEFAULT 'out' CHECK (direction IN ('in', 'out')),
    body         TEXT NOT NULL,
    complaint_id INTEGER REFERENCES complaints(id),
    callback_id  INTEGER REFERENCES callbacks(id),
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    recommend    INTEGER CHECK (recommend BETWEEN 0 AND 10),
    created_at   INTEGER NOT NULL
);
CREATE INDEX interactions_customer ON interactions(customer_id, created_at);

CREATE TABLE referrals (
    id          INTEGER PRIMARY KEY,
    referrer_id INTEGER NOT NULL REFERENCES customers(id),
    referred_id INTEGER NOT NULL UNIQUE REFERENCES customers(id),
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES agents(id),
    CHECK (referrer_id <> referred_id)
);

-- A note being written and not yet saved, one per agent and customer.
CREATE TABLE drafts (
    agent_id    INTEGER NOT NULL REFERENCES agents(id),
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    body        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (agent_id, customer_id)
);

-- Wrap-up codes: what happened on the call decides the next state. Data, not code.
CREATE TABLE dispositions (
    code          TEXT PRIMARY KEY,
    label_ko      TEXT NOT NULL,
    label_en      TEXT NOT NULL,
    reached       INTEGER NOT NULL,              -- the customer was spoken to
    next_state    TEXT NOT NULL CHECK (next_state IN ('done', 'scheduled', 'cancelled')),
    retry_minutes INTEGER NOT NULL DEFAULT 0,    -- first retry delay; doubles with each attempt
    asks_due      INTEGER NOT NULL DEFAULT 0,    -- the agent gives the next due time
    effect        TEXT NOT NULL DEFAULT '' CHECK (effect IN ('', 'invalid_phone', 'dnc')),
    sort          INTEGER NOT NULL
);

INSERT INTO dispositions VALUES
    ('resolved',           '해결',           'Resolved',            1, 'done',      0,   0, '',              1),
    ('follow_up',          '후속 조치 필요', 'Follow-up needed',    1, 'scheduled', 0,   1, '',              2),
    ('no_answer',          '부재중',         'No answer',           0, 'scheduled', 30,  0, '',              3),
    ('busy',               '통화 중',        'Busy',                0, 'scheduled', 15,  0, '',              4),
    ('voicemail',          '음성 메시지 남김', 'Voicemail left',    0, 'scheduled', 120, 0, '',              5),
    ('callback_requested', '고객 요청 시간', 'Callback requested',  1, 'scheduled', 0,   1, '',              6),
    ('wrong_number',       '잘못된 번호',    'Wrong number',        0, 'cancelled', 0,   0, 'invalid_phone', 7),
    ('do_not_call',        '연락 거부',      'Do not call',         1, 'cancelled', 0,   0, 'dnc',           8);

-- When a kind of call may ring the customer, in the customer's local time.
CREATE TABLE call_windows (
    kind      TEXT PRIMARY KEY,
    start_min INTEGER NOT NULL,                  -- minutes after local midnight
    end_min   INTEGER NOT NULL,
    exempt    INTEGER NOT NULL DEFAULT 0         -- the customer asked for this call: any hour
);

INSERT INTO call_windows VALUES
    ('service',   480, 1260, 0),
    ('complaint', 480, 1260, 1),
    ('sales',     480, 1260, 0),
    ('marketing', 480, 1260, 0);

CREATE TABLE callbacks (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    phone_id     INTEGER REFERENCES phones(id),  -- NULL: the customer's primary phone
    kind         TEXT NOT NULL DEFAULT 'service' REFERENCES call_windows(kind),
    reason       TEXT NOT NULL DEFAULT '',
    priority     INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5), -- 1 is most urgent
    due_at       INTEGER NOT NULL,
    owner_id     INTEGER REFERENCES agents(id),  -- NULL: the team pool
    state        TEXT NOT NULL DEFAULT 'scheduled'
                 CHECK (state IN ('scheduled', 'claimed', 'done', 'cancelled', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    claimed_by   INTEGER REFERENCES agents(id),
    claimed_at   INTEGER,
    lease_until  INTEGER,
    disposition  TEXT REFERENCES dispositions(code),
    created_at   INTEGER NOT NULL,
    created_by   INTEGER REFERENCES agents(id),
    updated_at   INTEGER NOT NULL,
    updated_by   INTEGER REFERENCES agents(id),
    CHECK ((state = 'claimed') = (claimed_by IS NOT NULL AND lease_until IS NOT NULL))
);
CREATE INDEX callbacks_open ON callbacks(state, due_at);
CREATE INDEX callbacks_owner ON callbacks(owner_id, state);
CREATE INDEX callbacks_customer ON callbacks(customer_id, state);
CREATE INDEX callbacks_claimed ON callbacks(claimed_by) WHERE state = 'claimed';

-- Who changed what, when: every change to a callback, a customer or a note.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   INTEGER REFERENCES agents(id),    -- NULL: dangol itself (lease expiry, rules)
    actor      TEXT NOT NULL,                    -- the name at the time, kept if the agent goes
    entity     TEXT NOT NULL,                    -- callback, customer, interaction, complaint, ...
    entity_id  INTEGER NOT NULL,
    action     TEXT NOT NULL,                    -- create, claim, release, disposition, edit, ...
    from_value TEXT NOT NULL DEFAULT '',
    to_value   TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
