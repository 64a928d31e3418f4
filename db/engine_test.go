package db

import "testing"

func TestEachEngineRebindsTheSameSQL(t *testing.T) {
	cases := []struct{ in, sqlite, postgres string }{
		{`SELECT id FROM callbacks WHERE id = ? AND owner_id = ?`,
			`SELECT id FROM callbacks WHERE id = ? AND owner_id = ?`,
			`SELECT id FROM callbacks WHERE id = $1 AND owner_id = $2`},
		{`SELECT state FROM callbacks WHERE id = ? FOR UPDATE`,
			`SELECT state FROM callbacks WHERE id = ?`,
			`SELECT state FROM callbacks WHERE id = $1 FOR UPDATE`},
		{"UPDATE callbacks SET state = 'claimed' WHERE id = (SELECT id FROM callbacks\n\t\tWHERE due_at <= ? ORDER BY priority LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED) RETURNING id",
			"UPDATE callbacks SET state = 'claimed' WHERE id = (SELECT id FROM callbacks\n\t\tWHERE due_at <= ? ORDER BY priority LIMIT 1) RETURNING id",
			"UPDATE callbacks SET state = 'claimed' WHERE id = (SELECT id FROM callbacks\n\t\tWHERE due_at <= $1 ORDER BY priority LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED) RETURNING id"},
		// Quotes and comments are text, never rewritten.
		{`SELECT '?', "a?b", 'it''s ? FOR UPDATE' FROM t WHERE x = ? -- why?
			AND y = ? /* and ? */ AND z = ?`,
			`SELECT '?', "a?b", 'it''s ? FOR UPDATE' FROM t WHERE x = ? -- why?
			AND y = ? /* and ? */ AND z = ?`,
			`SELECT '?', "a?b", 'it''s ? FOR UPDATE' FROM t WHERE x = $1 -- why?
			AND y = $2 /* and ? */ AND z = $3`},
		{`SELECT 1 FROM t WHERE a = ? FOR SHARE NOWAIT`, `SELECT 1 FROM t WHERE a = ?`, `SELECT 1 FROM t WHERE a = $1 FOR SHARE NOWAIT`},
		{`SELECT cb.id FROM callbacks cb LEFT JOIN agents a ON a.id = cb.owner_id WHERE cb.id = ? FOR UPDATE OF cb`,
			`SELECT cb.id FROM callbacks cb LEFT JOIN agents a ON a.id = cb.owner_id WHERE cb.id = ?`,
			`SELECT cb.id FROM callbacks cb LEFT JOIN agents a ON a.id = cb.owner_id WHERE cb.id = $1 FOR UPDATE OF cb`},
		{"SELECT id FROM c, d WHERE c.x = d.y FOR UPDATE OF c, d SKIP LOCKED\n\tLIMIT 1",
			"SELECT id FROM c, d WHERE c.x = d.y\n\tLIMIT 1", "SELECT id FROM c, d WHERE c.x = d.y FOR UPDATE OF c, d SKIP LOCKED\n\tLIMIT 1"},
		// A word that only contains the clause's words is not a clause.
		{`SELECT updated_at, before FROM t`, `SELECT updated_at, before FROM t`, `SELECT updated_at, before FROM t`},
		{`SELECT 'unterminated ?`, `SELECT 'unterminated ?`, `SELECT 'unterminated ?`},
	}
	for _, c := range cases {
		for range 2 { // the second time from the cache
			if got := (SQLite{}).Rebind(c.in); got != c.sqlite {
				t.Errorf("sqlite:\n%s\ngave\n%s\nwant\n%s", c.in, got, c.sqlite)
			}
			if got := (Postgres{}).Rebind(c.in); got != c.postgres {
				t.Errorf("postgres:\n%s\ngave\n%s\nwant\n%s", c.in, got, c.postgres)
			}
		}
	}
}
