-- dangol serve: agents log in over SSH, and who they are comes from their
-- key (agent_keys, from the first migration: one agent per key, found by
-- its SHA256 fingerprint as ssh-keygen -lf prints it).
ALTER TABLE agent_keys ADD COLUMN comment TEXT NOT NULL DEFAULT '';
CREATE INDEX agent_keys_agent ON agent_keys(agent_id);

ALTER TABLE agents ADD COLUMN lang TEXT;       -- ko or en; NULL: the client's LANG, else the server's
ALTER TABLE agents ADD COLUMN extension TEXT;  -- the extension a click-to-call command dials from
