package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// Setting is one number of the policy an admin may change from the console
// or the command line: a meta row with its default and its bounds.
type Setting struct {
	Key      string // the meta row: policy.lease_minutes, sla.resolution_hours, ...
	Value    int
	Default  int
	Min, Max int
	Unit     string // minutes, hours, o'clock, switch (0 off, 1 on) or "" (a count)
}

// settingDefs are the policy's numbers, in the order the console lists them.
func settingDefs() []Setting {
	p, sla := DefaultPolicy(), crm.DefaultSLA
	return []Setting{
		{Key: "policy.lease_minutes", Default: int(p.Lease / time.Minute), Min: 1, Max: 240, Unit: "minutes"},
		{Key: "policy.auto_pool_minutes", Default: int(p.AutoPool / time.Minute), Min: 0, Max: 7 * 24 * 60, Unit: "minutes"},
		{Key: "policy.max_active", Default: p.MaxActive, Min: 0, Max: 10000},
		{Key: "policy.max_attempts", Default: p.MaxAttempts, Min: 1, Max: 20},
		{Key: "policy.reminder_lead_minutes", Default: int(p.ReminderLead / time.Minute), Min: 0, Max: 240, Unit: "minutes"},
		{Key: "policy.default_due_hour", Default: p.DefaultDueHour, Min: 6, Max: 20, Unit: "o'clock"},
		{Key: "policy.best_time_first", Default: 0, Min: 0, Max: 1, Unit: "switch"},
		{Key: "sla.first_response_hours", Default: int(sla.FirstResponse / time.Hour), Min: 1, Max: 24 * 30, Unit: "hours"},
		{Key: "sla.resolution_hours", Default: int(sla.Resolution / time.Hour), Min: 1, Max: 24 * 90, Unit: "hours"},
	}
}

// Settings lists the policy's numbers with the values in force.
func (s *Service) Settings(ctx context.Context) ([]Setting, error) {
	defs := settingDefs()
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT key, value FROM meta WHERE key LIKE 'policy.%' OR key LIKE 'sla.%'`)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	defer rows.Close()
	stored := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		stored[k] = v
	}
	for i := range defs {
		defs[i].Value = defs[i].Default
		if n, err := strconv.Atoi(stored[defs[i].Key]); err == nil && n >= defs[i].Min && n <= defs[i].Max {
			defs[i].Value = n
		}
	}
	return defs, rows.Err()
}

// SettingError is a policy value refused: unknown key or out of bounds.
type SettingError struct {
	Key      string
	Value    string
	Min, Max int
}

func (e SettingError) Error() string {
	if e.Max == 0 && e.Min == 0 {
		return fmt.Sprintf("%s is not a policy setting", e.Key)
	}
	return fmt.Sprintf("%s = %s: use a whole number from %d to %d", e.Key, e.Value, e.Min, e.Max)
}

// SetSetting changes one policy number; only admins may. It is audited with
// the old and new value, and this service's policy follows at once (other
// consoles read it at their next start or reload).
func (s *Service) SetSetting(ctx context.Context, actor crm.Agent, key, value string) error {
	if err := s.CRM.Require(ctx, actor, crm.PermPolicy, "policy"); err != nil {
		return err
	}
	var def *Setting
	for _, d := range settingDefs() {
		if d.Key == key {
			def = &d
		}
	}
	if def == nil {
		return SettingError{Key: key}
	}
	n, err := strconv.Atoi(strings.TrimSpace(value))
	if err != nil || n < def.Min || n > def.Max {
		return SettingError{Key: key, Value: value, Min: def.Min, Max: def.Max}
	}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *db.Tx) error { return crm.SetMeta(ctx, tx, actor, key, strconv.Itoa(n), now) })
	if err != nil {
		return s.DB.Describe(err)
	}
	if _, err := s.LoadPolicy(ctx); err != nil {
		return err
	}
	s.DB.Changes.Publish(changeOf("policy", 0, actor, "edit"))
	return nil
}

// KindWindow is when one kind of call may ring the customer.
type KindWindow struct {
	Kind     string
	StartMin int // minutes after local midnight
	EndMin   int
	Exempt   bool // any hour: the customer asked for the call
}

// Windows lists the calling windows by kind.
func (s *Service) Windows(ctx context.Context) ([]KindWindow, error) {
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT kind, start_min, end_min, exempt FROM call_windows ORDER BY kind`)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	defer rows.Close()
	var out []KindWindow
	for rows.Next() {
		var w KindWindow
		if err := rows.Scan(&w.Kind, &w.StartMin, &w.EndMin, &w.Exempt); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SetWindow changes when a kind of call may ring; only admins may. Open
// callbacks of that kind follow at once (a trigger keeps their rules).
func (s *Service) SetWindow(ctx context.Context, actor crm.Agent, w KindWindow) error {
	if err := s.CRM.Require(ctx, actor, crm.PermPolicy, "policy"); err != nil {
		return err
	}
	if w.StartMin < 0 || w.EndMin > 24*60 || w.StartMin >= w.EndMin {
		return fmt.Errorf("calling window %s–%s: the start must come before the end, within one day",
			clockText(w.StartMin), clockText(w.EndMin))
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var old KindWindow
		err := tx.QueryRowContext(ctx, `SELECT kind, start_min, end_min, exempt FROM call_windows WHERE kind = ? FOR UPDATE`, w.Kind).
			Scan(&old.Kind, &old.StartMin, &old.EndMin, &old.Exempt)
		if err != nil {
			return fmt.Errorf("kind of call %q: %w", w.Kind, crm.ErrNotFound)
		}
		if old == w {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE call_windows SET start_min = ?, end_min = ?, exempt = ? WHERE kind = ?`,
			w.StartMin, w.EndMin, w.Exempt, w.Kind); err != nil {
			return err
		}
		return crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: actor, Entity: "policy", Action: "window",
			From: windowText(old), To: windowText(w)})
	})
	if err != nil {
		return s.DB.Describe(err)
	}
	s.DB.Changes.Publish(changeOf("policy", 0, actor, "window"))
	return nil
}

func clockText(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

func windowText(w KindWindow) string {
	s := fmt.Sprintf("%s %s-%s", w.Kind, clockText(w.StartMin), clockText(w.EndMin))
	if w.Exempt {
		s += " exempt"
	}
	return s
}

// DispositionChange changes a wrap-up code; nil fields stay as they are.
type DispositionChange struct {
	LabelKo, LabelEn *string
	RetryMinutes     *int
	NeedsNote        *bool
}

// SetDisposition changes a wrap-up code's labels, first retry delay or
// whether it needs a note; only admins may. What a code does (its next
// state, its effect) is not changed here: history depends on it.
func (s *Service) SetDisposition(ctx context.Context, actor crm.Agent, code string, c DispositionChange) error {
	if err := s.CRM.Require(ctx, actor, crm.PermPolicy, "policy"); err != nil {
		return err
	}
	if c.RetryMinutes != nil && (*c.RetryMinutes < 0 || *c.RetryMinutes > 7*24*60) {
		return fmt.Errorf("retry delay %d minutes: use 0 to %d", *c.RetryMinutes, 7*24*60)
	}
	for _, l := range []*string{c.LabelKo, c.LabelEn} {
		if l != nil && strings.TrimSpace(*l) == "" {
			return fmt.Errorf("a wrap-up code needs a label in both languages")
		}
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var locked string
		if err := tx.QueryRowContext(ctx, `SELECT code FROM dispositions WHERE code = ? FOR UPDATE`, code).Scan(&locked); err != nil &&
			!errors.Is(err, sql.ErrNoRows) {
			return err
		}
		d, err := dispositionByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		change := func(col, what, from, to string, value any) error {
			if from == to {
				return nil
			}
			if _, err := tx.ExecContext(ctx, `UPDATE dispositions SET `+col+` = ? WHERE code = ?`, value, code); err != nil {
				return err
			}
			return crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: actor, Entity: "policy", Action: "disposition",
				From: code + "." + what + "=" + from, To: code + "." + what + "=" + to})
		}
		if c.LabelKo != nil {
			if err := change("label_ko", "label_ko", d.LabelKo, strings.TrimSpace(*c.LabelKo), strings.TrimSpace(*c.LabelKo)); err != nil {
				return err
			}
		}
		if c.LabelEn != nil {
			if err := change("label_en", "label_en", d.LabelEn, strings.TrimSpace(*c.LabelEn), strings.TrimSpace(*c.LabelEn)); err != nil {
				return err
			}
		}
		if c.RetryMinutes != nil {
			if err := change("retry_minutes", "retry_minutes", fmt.Sprint(int(d.RetryDelay/time.Minute)), fmt.Sprint(*c.RetryMinutes), *c.RetryMinutes); err != nil {
				return err
			}
		}
		if c.NeedsNote != nil {
			if err := change("needs_note", "needs_note", fmt.Sprint(d.NeedsNote), fmt.Sprint(*c.NeedsNote), *c.NeedsNote); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return s.DB.Describe(err)
	}
	s.DB.Changes.Publish(changeOf("policy", 0, actor, "disposition"))
	return nil
}
