package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// NewCustomer is a customer as an agent or an import first records them.
type NewCustomer struct {
	Name      string
	NameRoman string
	Phones    []string // as given; stored as E.164 with the original kept
	Emails    []string
	Lang      string // ko when empty
	TZ        string // Asia/Seoul when empty
	Birthday  string // YYYY-MM-DD or empty
}

// AddCustomer records a new customer, searchable at once, audited.
func (s *Service) AddCustomer(ctx context.Context, actor Agent, n NewCustomer) (int64, error) {
	n.Name = strings.TrimSpace(n.Name)
	if n.Name == "" {
		return 0, problem.New("customer_no_name", "a customer needs a name")
	}
	if n.Lang == "" {
		n.Lang = "ko"
	}
	if n.TZ == "" {
		n.TZ = "Asia/Seoul"
	}
	if _, err := time.LoadLocation(n.TZ); err != nil {
		return 0, problem.New("tz_unknown", "time zone %q is unknown", n.TZ)
	}
	if n.Birthday != "" {
		if _, err := time.Parse("2006-01-02", n.Birthday); err != nil {
			return 0, problem.New("birthday_format", "birthday %q: use YYYY-MM-DD", n.Birthday)
		}
	}
	phones := make([]string, len(n.Phones))
	for i, p := range n.Phones {
		e, err := NormalizePhone(p)
		if err != nil {
			return 0, err
		}
		phones[i] = e
	}
	for _, e := range n.Emails {
		if err := checkEmail(e); err != nil {
			return 0, err
		}
	}
	now := s.now()
	var id int64
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO customers(name, name_roman, birthday, lang, tz, joined_at,
			created_at, created_by, updated_at, updated_by) VALUES (?, ?, nullif(?, ''), ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			n.Name, strings.TrimSpace(n.NameRoman), n.Birthday, n.Lang, n.TZ, now.Unix(), now.Unix(), actorID(actor), now.Unix(), actorID(actor)).Scan(&id); err != nil {
			return err
		}
		for i, e164 := range phones {
			if _, err := tx.ExecContext(ctx, `INSERT INTO phones(customer_id, e164, raw, kind, is_primary, created_at)
				VALUES (?, ?, ?, 'mobile', ?, ?)`, id, e164, strings.TrimSpace(n.Phones[i]), i == 0, now.Unix()); err != nil {
				return err
			}
		}
		for i, e := range n.Emails {
			if _, err := tx.ExecContext(ctx, `INSERT INTO emails(customer_id, address, is_primary, created_at) VALUES (?, ?, ?, ?)`,
				id, strings.TrimSpace(e), i == 0, now.Unix()); err != nil {
				return err
			}
		}
		if err := reindex(ctx, tx, id); err != nil {
			return err
		}
		return WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "customer", EntityID: id, Action: "create", To: n.Name})
	})
	if err != nil {
		return 0, s.DB.Describe(err)
	}
	s.publishCustomer(id, actor, "create")
	return id, nil
}

func actorID(a Agent) any {
	if a.ID == 0 {
		return nil
	}
	return a.ID
}

func checkEmail(e string) error {
	addr, err := mail.ParseAddress(strings.TrimSpace(e))
	if err != nil || addr.Address != strings.TrimSpace(e) {
		return problem.New("email_invalid", "e-mail %q is not an address", e)
	}
	return nil
}

// ContactEdit is a change to a customer's names, numbers, addresses or
// consent. Nil fields are left as they are.
type ContactEdit struct {
	Name, NameRoman              *string
	AddPhone                     string  // a number to add, any format
	RemovePhone                  int64   // a phone id to remove
	AddEmail                     string  // an address to add
	RemoveEmail                  int64   // an email id to remove
	DNC                          *bool   // do not call
	Marketing, SMS, EmailConsent *bool   // consent
	Reason                       string  // why, for the audit log
	TZ                           *string // the customer's time zone
}

// EditContact applies an edit, writes one audit row per field changed with
// its old and new value, and keeps the search keys in step. Setting DNC
// also cancels the customer's open callbacks, each audited.
func (s *Service) EditContact(ctx context.Context, actor Agent, id int64, e ContactEdit) error {
	newPhone, err := e.check()
	if err != nil {
		return err
	}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if err := LockCustomer(ctx, tx, id); err != nil {
			return err
		}
		c, err := scanCustomer(tx.QueryRowContext(ctx, `SELECT `+customerColumns+customerFrom+` WHERE c.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("customer %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		audit := func(what, from, to string) error {
			return WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "customer", EntityID: id, Action: "edit",
				From: what + "=" + from, To: what + "=" + to, Reason: e.Reason})
		}
		set := func(column string, value any, what, from, to string) error {
			if from == to {
				return nil
			}
			if _, err := tx.ExecContext(ctx, `UPDATE customers SET `+column+` = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
				value, now.Unix(), actorID(actor), id); err != nil {
				return err
			}
			return audit(what, from, to)
		}
		flag := func(b bool) string { return fmt.Sprint(b) }
		steps := []func() error{}
		if e.Name != nil {
			v := strings.TrimSpace(*e.Name)
			steps = append(steps, func() error { return set("name", v, "name", c.Name, v) })
		}
		if e.NameRoman != nil {
			v := strings.TrimSpace(*e.NameRoman)
			steps = append(steps, func() error { return set("name_roman", v, "name_roman", c.NameRoman, v) })
		}
		if e.TZ != nil {
			steps = append(steps, func() error { return set("tz", *e.TZ, "tz", c.TZ, *e.TZ) })
		}
		for _, f := range []struct {
			p      *bool
			col    string
			before bool
		}{{e.DNC, "dnc", c.DNC}, {e.Marketing, "consent_marketing", c.ConsentMarketing},
			{e.SMS, "consent_sms", c.ConsentSMS}, {e.EmailConsent, "consent_email", c.ConsentEmail}} {
			if f.p != nil {
				f := f
				steps = append(steps, func() error { return set(f.col, *f.p, f.col, flag(f.before), flag(*f.p)) })
			}
		}
		if newPhone != "" {
			steps = append(steps, func() error {
				if err := addPhone(ctx, tx, id, newPhone, e.AddPhone, now); err != nil {
					return err
				}
				return audit("phone", "", newPhone)
			})
		}
		if e.RemovePhone != 0 {
			steps = append(steps, func() error {
				return removeContact(ctx, tx, "phones", "e164", e.RemovePhone, id, func(v string) error { return audit("phone", v, "") })
			})
		}
		if e.AddEmail != "" {
			steps = append(steps, func() error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO emails(customer_id, address, is_primary, created_at)
					VALUES (?, ?, CAST(NOT EXISTS (SELECT 1 FROM emails WHERE customer_id = ?) AS INTEGER), ?)`,
					id, strings.TrimSpace(e.AddEmail), id, now.Unix()); err != nil {
					return err
				}
				return audit("email", "", strings.TrimSpace(e.AddEmail))
			})
		}
		if e.RemoveEmail != 0 {
			steps = append(steps, func() error {
				return removeContact(ctx, tx, "emails", "address", e.RemoveEmail, id, func(v string) error { return audit("email", v, "") })
			})
		}
		if e.DNC != nil && *e.DNC && !c.DNC {
			steps = append(steps, func() error {
				if s.DoNotCall == nil {
					return errors.New("do-not-call needs the callback queue to cancel the customer's callbacks")
				}
				_, err := s.DoNotCall(ctx, tx, actor, id, now, "customer asked not to be called")
				return err
			})
		}
		for _, step := range steps {
			if err := step(); err != nil {
				return err
			}
		}
		return reindex(ctx, tx, id)
	})
	if err != nil {
		return s.DB.Describe(err)
	}
	s.publishCustomer(id, actor, "edit")
	return nil
}

// check refuses an edit a person must fix before anything is written, and
// gives the number to add in E.164.
func (e ContactEdit) check() (newPhone string, err error) {
	if e.AddPhone != "" {
		if newPhone, err = NormalizePhone(e.AddPhone); err != nil {
			return "", err
		}
	}
	if e.AddEmail != "" {
		if err := checkEmail(e.AddEmail); err != nil {
			return "", err
		}
	}
	if e.Name != nil && strings.TrimSpace(*e.Name) == "" {
		return "", problem.New("customer_no_name", "a customer needs a name")
	}
	if e.TZ != nil {
		if _, err := time.LoadLocation(*e.TZ); err != nil || *e.TZ == "" {
			return "", problem.New("tz_unknown", "time zone %q is unknown", *e.TZ)
		}
	}
	return newPhone, nil
}

// addPhone adds a mobile number (e164, as typed in raw) to the customer,
// primary when it is their first; a number they have already is refused.
func addPhone(ctx context.Context, tx *db.Tx, id int64, e164, raw string, now time.Time) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM phones WHERE customer_id = ? AND e164 = ?`, id, e164).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return problem.New("phone_duplicate", "%s is already a number of this customer", FormatPhone(e164))
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO phones(customer_id, e164, raw, kind, is_primary, created_at)
		VALUES (?, ?, ?, 'mobile', CAST(NOT EXISTS (SELECT 1 FROM phones WHERE customer_id = ?) AS INTEGER), ?)`,
		id, e164, strings.TrimSpace(raw), id, now.Unix())
	return err
}

// removeContact deletes a phone or e-mail row of the customer. A phone that
// a callback names is kept (marked invalid instead), so history stays whole.
func removeContact(ctx context.Context, tx *db.Tx, table, column string, rowID, customerID int64, audit func(string) error) error {
	var value string
	err := tx.QueryRowContext(ctx, `SELECT `+column+` FROM `+table+` WHERE id = ? AND customer_id = ?`, rowID, customerID).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %d is not this customer's", strings.TrimSuffix(table, "s"), rowID)
	}
	if err != nil {
		return err
	}
	if table == "phones" {
		var used int
		tx.QueryRowContext(ctx, `SELECT count(*) FROM callbacks WHERE phone_id = ?`, rowID).Scan(&used)
		if used > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE phones SET invalid = 1 WHERE id = ?`, rowID); err != nil {
				return err
			}
			return audit(value)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, rowID); err != nil {
		return err
	}
	return audit(value)
}

// DoNotCall is how crm asks the callback queue, which owns the callbacks
// table, to cancel a customer's open callbacks when they ask not to be
// called. queue.New sets it; q is the transaction that sets the flag, so
// both commit together.
type DoNotCall func(ctx context.Context, tx *db.Tx, actor Agent, customerID int64, now time.Time, reason string) (cancelled int, err error)

// SetDNC puts a customer on the do-not-call list through q, audited. It
// does not touch their callbacks: the caller (the queue, or EditContact
// through DoNotCall) cancels them in the same transaction.
func SetDNC(ctx context.Context, q db.Querier, actor Agent, customerID int64, now time.Time, reason string) error {
	if _, err := q.ExecContext(ctx, `UPDATE customers SET dnc = 1, updated_at = ?, updated_by = ? WHERE id = ?`,
		now.Unix(), actorID(actor), customerID); err != nil {
		return err
	}
	return WriteAudit(ctx, q, Audit{At: now, Actor: actor, Entity: "customer", EntityID: customerID,
		Action: "edit", From: "dnc=0", To: "dnc=1", Reason: reason})
}

// MarkPhoneInvalid marks one of a customer's numbers as wrong through q,
// audited, so no callback dials it again.
func MarkPhoneInvalid(ctx context.Context, q db.Querier, actor Agent, customerID, phoneID int64, e164 string, now time.Time, reason string) error {
	if _, err := q.ExecContext(ctx, `UPDATE phones SET invalid = 1 WHERE id = ? AND customer_id = ?`, phoneID, customerID); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `UPDATE customers SET updated_at = ?, updated_by = ? WHERE id = ?`,
		now.Unix(), actorID(actor), customerID); err != nil {
		return err
	}
	return WriteAudit(ctx, q, Audit{At: now, Actor: actor, Entity: "customer", EntityID: customerID,
		Action: "phone_invalid", From: e164, To: "invalid", Reason: reason})
}

// publishCustomer tells the consoles of this process that a customer changed.
func (s *Service) publishCustomer(id int64, actor Agent, action string) {
	s.DB.Changes.Publish(db.Change{Entity: "customer", ID: id, Actor: actor.Name, Action: action})
}
