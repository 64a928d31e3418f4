package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
)

// personParts are the rows about one customer, each a query with the
// customer's id as its argument: everything dangol holds about a person.
var personParts = []struct{ name, query string }{
	{"customer", `SELECT * FROM customers WHERE id = ?`},
	{"phones", `SELECT * FROM phones WHERE customer_id = ? ORDER BY id`},
	{"emails", `SELECT * FROM emails WHERE customer_id = ? ORDER BY id`},
	{"attributes", `SELECT key, value FROM customer_attributes WHERE customer_id = ? ORDER BY key`},
	{"purchases", `SELECT * FROM purchases WHERE customer_id = ? ORDER BY id`},
	{"points", `SELECT * FROM loyalty_ledger WHERE customer_id = ? ORDER BY id`},
	{"complaints", `SELECT * FROM complaints WHERE customer_id = ? ORDER BY id`},
	{"interactions", `SELECT i.*, coalesce(a.name, '') AS agent FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id
		WHERE i.customer_id = ? ORDER BY i.created_at, i.id`},
	{"callbacks", `SELECT id, phone_id, kind, reason, priority, due_at, owner_id, state, attempts, disposition, created_at, updated_at
		FROM callbacks WHERE customer_id = ? ORDER BY id`},
	{"referrals", `SELECT * FROM referrals WHERE ? IN (referrer_id, referred_id) ORDER BY id`},
	{"drafts", `SELECT d.customer_id, a.name AS agent, d.body, d.updated_at FROM drafts d JOIN agents a ON a.id = d.agent_id
		WHERE d.customer_id = ?`},
}

// ExportPerson writes everything about customer id as one JSON object (a
// data-subject request): the profile with consent, contacts, purchases,
// points, complaints, every interaction, callbacks, referrals, drafts and
// the audit rows about them. Times are RFC 3339 in loc. It reads in one
// snapshot.
func (s *Service) ExportPerson(ctx context.Context, w io.Writer, id int64, loc *time.Location) error {
	out := map[string]any{}
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		for _, p := range personParts {
			rows, err := rowMaps(ctx, tx, loc, p.query, id)
			if err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			if p.name == "customer" {
				if len(rows) == 0 {
					return fmt.Errorf("customer %d: %w", id, ErrNotFound)
				}
				out[p.name] = rows[0]
				continue
			}
			out[p.name] = rows
		}
		// The best time to call, as the 360 shows it, from the same calls.
		c := out["customer"].(map[string]any)
		tz, _ := c["tz"].(string)
		segment, _ := c["segment"].(string)
		b, err := bestTimeIn(ctx, tx, id, tz, segment)
		if err != nil {
			return fmt.Errorf("best time: %w", err)
		}
		best := map[string]any{"calls": b.Calls, "confident": b.Confident(), "sure": math.Round(100*b.Sure) / 100}
		if b.Band >= 0 {
			best["from_hour"], best["to_hour"], best["calls_in_band"], best["answered_in_band"] = b.From(), b.To(), b.InBand, b.Answered
		}
		if d := b.Days; d.Group >= 0 {
			g := DayGroups[d.Group]
			best["days"] = map[string]any{"from": strings.ToLower(dayNames[g[0]]), "to": strings.ToLower(dayNames[g[1]]),
				"confident": d.Confident(), "sure": math.Round(100*d.Sure) / 100, "calls_on_days": d.In, "answered_on_days": d.Answered}
		}
		out["best_time"] = best
		where, args := AuditFilter{CustomerID: id}.where()
		rows, err := rowMaps(ctx, tx, loc, `SELECT at, actor, entity, entity_id, action, from_value, to_value, reason
			FROM audit_log`+where+` ORDER BY id`, args...)
		out["audit"] = rows
		return err
	})
	if err != nil {
		return s.DB.Describe(err)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// rowMaps reads a query's rows as column → value, unix times in columns
// named at or *_at as RFC 3339.
func rowMaps(ctx context.Context, tx *db.Tx, loc *time.Location, query string, args ...any) ([]map[string]any, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			v := vals[i]
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			if n, ok := v.(int64); ok && (c == "at" || strings.HasSuffix(c, "_at")) {
				v = time.Unix(n, 0).In(loc).Format(time.RFC3339)
			}
			m[c] = v
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
