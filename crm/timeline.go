package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
)

// TimelineKind is a kind of event in a customer's history.
type TimelineKind string

// Everything that happened with a customer, in one stream.
const (
	KindInteraction TimelineKind = "interaction"
	KindPurchase    TimelineKind = "purchase"
	KindComplaint   TimelineKind = "complaint"
	KindPoints      TimelineKind = "points"
	KindCallback    TimelineKind = "callback"
	KindOutcome     TimelineKind = "outcome" // how a call on a callback ended
)

// TimelineKinds lists the kinds in filter order.
var TimelineKinds = []TimelineKind{KindInteraction, KindPurchase, KindComplaint, KindPoints, KindCallback, KindOutcome}

// TimelineItem is one event of a customer's history.
type TimelineItem struct {
	Kind    TimelineKind
	ID      int64
	At      time.Time
	Channel string // interactions: the channel; callbacks: the state; outcomes: the disposition code
	Agent   string
	Title   string // purchase item, complaint subject, points kind, callback reason
	Body    string // the note; the complaint's status; the points reason; the outcome's labels (ko, tab, en)
	Amount  int64  // purchase won, points delta, the outcome's attempt
	Rank    int    // orders events at the same second
}

// Cursor marks where the next page of a timeline starts: just after Item.
type Cursor struct {
	At   time.Time
	Rank int
	ID   int64
}

// Next is the cursor after the last item of a page.
func (it TimelineItem) Next() Cursor { return Cursor{At: it.At, Rank: it.Rank, ID: it.ID} }

// timelineBranches are the events of each kind, as SQL over one table.
var timelineBranches = map[TimelineKind]struct {
	rank  int
	query string // columns: id, at, channel, agent, title, body, amount; binds ?customer
}{
	KindInteraction: {1, `SELECT i.id, i.created_at AS at, i.channel, coalesce(a.name, ''), '', i.body, 0
		FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id WHERE i.customer_id = ?`},
	KindPurchase: {2, `SELECT p.id, p.purchased_at AS at, p.channel, coalesce(a.name, ''), p.item, '', p.amount
		FROM purchases p LEFT JOIN agents a ON a.id = p.created_by WHERE p.customer_id = ?`},
	KindComplaint: {3, `SELECT c.id, c.opened_at AS at, '', coalesce(a.name, ''), c.subject, c.status, 0
		FROM complaints c LEFT JOIN agents a ON a.id = c.opened_by WHERE c.customer_id = ?`},
	KindPoints: {4, `SELECT l.id, l.created_at AS at, l.kind, coalesce(a.name, ''), l.kind, l.reason, l.delta
		FROM loyalty_ledger l LEFT JOIN agents a ON a.id = l.created_by WHERE l.customer_id = ?`},
	KindCallback: {5, `SELECT cb.id, cb.created_at AS at, cb.state, coalesce(a.name, ''), cb.reason, cb.state, 0
		FROM callbacks cb LEFT JOIN agents a ON a.id = cb.created_by WHERE cb.customer_id = ?`},
	// channel: the disposition code; body: its Korean and English labels
	// (tab between); amount: which attempt it was.
	KindOutcome: {6, `SELECT o.id, o.done_at AS at, o.disposition, coalesce(a.name, ''), cb.reason,
		d.label_ko || '` + "\t" + `' || d.label_en, o.attempt
		FROM call_outcomes o JOIN callbacks cb ON cb.id = o.callback_id JOIN dispositions d ON d.code = o.disposition
		LEFT JOIN agents a ON a.id = o.agent_id WHERE o.customer_id = ?`},
}

// Timeline returns up to limit events of a customer, newest first, of the
// given kinds (all when none), after the cursor (the zero cursor starts at
// the newest). Each kind reads at most limit rows from its own index, so a
// customer with thousands of events costs the same as one with ten.
func (s *Service) Timeline(ctx context.Context, customerID int64, kinds []TimelineKind, after Cursor, limit int) ([]TimelineItem, error) {
	if len(kinds) == 0 {
		kinds = TimelineKinds
	}
	var parts []string
	var args []any
	for _, k := range kinds {
		b, ok := timelineBranches[k]
		if !ok {
			return nil, fmt.Errorf("timeline kind %q: use one of %v", k, TimelineKinds)
		}
		q := `SELECT * FROM (SELECT '` + string(k) + `' AS kind, ` + fmt.Sprint(b.rank) + ` AS rank, * FROM (` + b.query + `) b`
		args = append(args, customerID)
		if !after.At.IsZero() {
			// Strictly after the cursor in (at desc, rank desc, id desc).
			q += ` WHERE at < ? OR (at = ? AND (? > ` + fmt.Sprint(b.rank) + ` OR (? = ` + fmt.Sprint(b.rank) + ` AND id < ?)))`
			args = append(args, after.At.Unix(), after.At.Unix(), after.Rank, after.Rank, after.ID)
		}
		q += ` ORDER BY at DESC, id DESC LIMIT ?) ` + string(k)
		args = append(args, limit)
		parts = append(parts, q)
	}
	query := strings.Join(parts, " UNION ALL ") + ` ORDER BY at DESC, rank DESC, id DESC LIMIT ?`
	args = append(args, limit)
	var out []TimelineItem
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var it TimelineItem
			var at int64
			if err := rows.Scan(&it.Kind, &it.Rank, &it.ID, &at, &it.Channel, &it.Agent, &it.Title, &it.Body, &it.Amount); err != nil {
				return err
			}
			it.At = time.Unix(at, 0)
			out = append(out, it)
		}
		return rows.Err()
	})
	return out, err
}
