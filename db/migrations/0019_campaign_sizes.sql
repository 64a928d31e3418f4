-- A campaign's two groups are fixed when it is made: their sizes are kept
-- on it, so the list of campaigns, which consoles read again after every
-- change on the floor, does not count every member each time.
ALTER TABLE campaigns ADD COLUMN called INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN held_out INTEGER NOT NULL DEFAULT 0;
UPDATE campaigns SET
    called = (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = campaigns.id AND m.grp = 'contact'),
    held_out = (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = campaigns.id AND m.grp = 'control');
