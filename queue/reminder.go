package queue

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// ReminderKind says which reminder of a callback fires.
type ReminderKind string

// A callback reminds its agent shortly before its due time and at it; a
// snoozed reminder fires again when the snooze ends.
const (
	RemindBefore ReminderKind = "before"
	RemindDue    ReminderKind = "due"
	RemindSnooze ReminderKind = "snooze"
)

// Reminder is one reminder for one agent.
type Reminder struct {
	Kind     ReminderKind
	FireAt   time.Time
	Callback Callback
}

// Reminders returns the reminders that have fired for agent by now and no
// console has shown yet: the "before" and "due" reminders of their open
// personal callbacks and of the callbacks they hold, and their snoozes.
// When both reminders of a callback are pending, only the later is
// returned: it says everything the earlier would.
func (s *Service) Reminders(ctx context.Context, agent crm.Agent, now time.Time) ([]Reminder, error) {
	lead := s.Policy().ReminderLead
	var out []Reminder
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		// From the due index, the minutes ahead and the week behind: a
		// reminder older than that cannot fire again (see reminderMemory),
		// and at most maxReminders of them.
		from, to := now.Add(-reminderMemory).Unix(), now.Add(lead).Unix()
		cbs, err := queryCallbacks(ctx, tx, callbackSelect+`
			WHERE (cb.owner_id = ? AND cb.state = 'scheduled' AND cb.due_at BETWEEN ? AND ?)
				OR (cb.state = 'claimed' AND cb.claimed_by = ? AND cb.due_at BETWEEN ? AND ?)
			ORDER BY cb.due_at DESC, cb.id LIMIT ?`, agent.ID, from, to, agent.ID, from, to, maxReminders)
		slices.Reverse(cbs)
		if err != nil {
			return err
		}
		delivered, snoozes, err := reminderRows(ctx, tx, agent.ID, now.Add(-reminderMemory))
		if err != nil {
			return err
		}
		byID := map[int64]Callback{}
		for _, cb := range cbs {
			byID[cb.ID] = cb
			r := Reminder{Kind: RemindDue, FireAt: cb.Due, Callback: cb}
			if now.Before(cb.Due) {
				r = Reminder{Kind: RemindBefore, FireAt: cb.Due.Add(-lead), Callback: cb}
			}
			if lead == 0 && r.Kind == RemindBefore {
				continue
			}
			if !delivered[reminderKey{cb.ID, r.Kind, r.FireAt.Unix()}] {
				out = append(out, r)
			}
		}
		for _, sn := range snoozes {
			if sn.FireAt.After(now) {
				continue
			}
			cb, ok := byID[sn.Callback.ID]
			if !ok {
				// A snooze outlives the callback's own reminders (it may be
				// set far ahead), so read the callback if it is still open.
				cb, err = getCallback(ctx, tx, sn.Callback.ID)
				if err != nil || !cb.State.Open() {
					continue
				}
			}
			sn.Callback = cb
			out = append(out, sn)
		}
		return nil
	})
	return out, err
}

type reminderKey struct {
	callback int64
	kind     ReminderKind
	fireAt   int64
}

// maxReminders is how many callbacks' reminders one check returns at
// most: the latest, when an agent comes back to more.
const maxReminders = 200

// reminderMemory is how far back delivered reminders are looked up. An
// agent's own callback more than this overdue has long moved to the pool
// (and a claim lasts minutes), so older deliveries cannot fire again; the
// check every second reads a week, not the agent's whole history.
const reminderMemory = 7 * 24 * time.Hour

// reminderRows reads what the agent's consoles delivered since a moment,
// and the snoozes still to fire.
func reminderRows(ctx context.Context, tx *db.Tx, agentID int64, since time.Time) (map[reminderKey]bool, []Reminder, error) {
	rows, err := tx.QueryContext(ctx, `SELECT callback_id, kind, fire_at, CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END FROM reminders
		WHERE agent_id = ? AND fire_at >= ? AND (delivered_at IS NOT NULL OR kind = 'snooze')
		UNION ALL SELECT callback_id, kind, fire_at, 0 FROM reminders
		WHERE agent_id = ? AND fire_at < ? AND kind = 'snooze' AND delivered_at IS NULL`,
		agentID, since.Unix(), agentID, since.Unix())
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	delivered := map[reminderKey]bool{}
	var snoozes []Reminder
	for rows.Next() {
		var k reminderKey
		var done bool
		if err := rows.Scan(&k.callback, &k.kind, &k.fireAt, &done); err != nil {
			return nil, nil, err
		}
		if done {
			delivered[k] = true
		} else {
			snoozes = append(snoozes, Reminder{Kind: RemindSnooze, FireAt: time.Unix(k.fireAt, 0), Callback: Callback{ID: k.callback}})
		}
	}
	return delivered, snoozes, rows.Err()
}

// Delivered records that a console showed these reminders to agent, so no
// console shows them again. Call it only after the reminder is on screen.
// A "due" reminder also retires the "before" one of the same callback.
func (s *Service) Delivered(ctx context.Context, agent crm.Agent, rs []Reminder) error {
	if len(rs) == 0 {
		return nil
	}
	now := s.now()
	lead := s.Policy().ReminderLead
	err := s.DB.Tx(db.About(ctx, db.Delivered), func(tx *db.Tx) error {
		for _, r := range rs {
			keys := []reminderKey{{r.Callback.ID, r.Kind, r.FireAt.Unix()}}
			if r.Kind == RemindDue && lead > 0 {
				keys = append(keys, reminderKey{r.Callback.ID, RemindBefore, r.FireAt.Add(-lead).Unix()})
			}
			for _, k := range keys {
				if _, err := tx.ExecContext(ctx, `INSERT INTO reminders(callback_id, agent_id, kind, fire_at, delivered_at)
					VALUES (?, ?, ?, ?, ?) ON CONFLICT(callback_id, agent_id, kind, fire_at)
					DO UPDATE SET delivered_at = coalesce(reminders.delivered_at, excluded.delivered_at)`,
					k.callback, agent.ID, k.kind, k.fireAt, now.Unix()); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return s.DB.Describe(err)
}

// Snooze asks for the reminder of a callback again at until. The callback
// itself does not move: a snooze is the agent's, not the customer's.
func (s *Service) Snooze(ctx context.Context, agent crm.Agent, callbackID int64, until time.Time) error {
	now := s.now()
	if !until.After(now) {
		return problem.New("snooze_past", "snooze until %s: that is not in the future", until.Format("15:04"))
	}
	cb, err := s.Get(ctx, callbackID)
	if err != nil {
		return err
	}
	if !cb.State.Open() {
		return problem.New("snooze_closed", "callback %d is %s; nothing to remind", callbackID, cb.State)
	}
	_, err = s.DB.ExecContext(ctx, `INSERT INTO reminders(callback_id, agent_id, kind, fire_at) VALUES (?, ?, 'snooze', ?)
		ON CONFLICT DO NOTHING`, callbackID, agent.ID, until.Unix())
	return s.DB.Describe(err)
}

// String is a one-line summary for logs and the CLI.
func (r Reminder) String() string {
	return strings.TrimSpace(fmt.Sprintf("%s %s callback %d %s due %s", r.Kind, r.Callback.CustomerName,
		r.Callback.ID, r.Callback.Reason, r.Callback.Due.Format("15:04")))
}
