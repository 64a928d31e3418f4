-- dangol schema, version 5: each console asks every second which reminders
-- of its agent fired; this index answers from the agent's last week.
CREATE INDEX reminders_agent_fire ON reminders(agent_id, fire_at);
