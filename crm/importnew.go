package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
)

// Writing an import's new customers: a batch's rows for each table go in
// many to a statement. One statement a row was most of a large import's
// time (five a customer, a million customers).

// bulkRows are rows for one table, written many to an INSERT.
type bulkRows struct {
	insert string // INSERT INTO t(columns) VALUES
	row    string // one row's values: (?, ?, ...)
	per    int    // parameters a row
	tail   string // after the rows: ON CONFLICT …
	args   []any
}

func newBulk(insert, row string) *bulkRows {
	return &bulkRows{insert: insert, row: row, per: strings.Count(row, "?")}
}

func (b *bulkRows) add(values ...any) { b.args = append(b.args, values...) }

// ignoringDuplicates makes the inserts skip a row whose key is there.
func (b *bulkRows) ignoringDuplicates() *bulkRows {
	b.tail = " ON CONFLICT DO NOTHING"
	return b
}

// bulkRowsPerInsert is at most how many rows one INSERT carries (SQLite
// takes up to 32,766 parameters a statement).
const bulkRowsPerInsert = 500

// write inserts the rows gathered and forgets them.
func (b *bulkRows) write(ctx context.Context, tx *db.Tx) error {
	rows := len(b.args) / b.per
	for start := 0; start < rows; start += bulkRowsPerInsert {
		n := min(bulkRowsPerInsert, rows-start)
		query := b.insert + b.row + strings.Repeat(", "+b.row, n-1) + b.tail
		if _, err := tx.ExecContext(ctx, query, b.args[start*b.per:(start+n)*b.per]...); err != nil {
			return err
		}
	}
	b.args = b.args[:0]
	return nil
}

// newCustomers gathers a batch's new customers and writes them, with their
// numbers, addresses, attributes, audit rows and waiting search keys
// (see SettleSearchKeys), when written is called. A new customer's id is
// known before it is written: the batch holds the write transaction, so
// nobody else adds a customer meanwhile.
type newCustomers struct {
	actor Agent
	now   time.Time
	next  int64 // the id of the next new customer; 0: not asked yet

	tables                                         []*bulkRows // in the order they are written
	customers, phones, emails, attrs, audits, keys *bulkRows
	points                                         []heldPoints
	first, last                                    int // the lines gathered
}

// heldPoints is a balance a new customer's row held, put in the ledger
// once the customer is written.
type heldPoints struct {
	id     int64
	points int64
}

func newNewCustomers(actor Agent, now time.Time) *newCustomers {
	n := &newCustomers{actor: actor, now: now,
		customers: newBulk(`INSERT INTO customers(id, name, name_roman, birthday, external_id, joined_at, lang, tz, tier,
		dnc, consent_marketing, consent_sms, consent_email, created_at, created_by, updated_at, updated_by) VALUES `,
			`(?, ?, ?, nullif(?, ''), nullif(?, ''), ?, ?, ?, coalesce(nullif(?, ''), 'basic'), ?, ?, ?, ?, ?, ?, ?, ?)`),
		phones: newBulk(`INSERT INTO phones(customer_id, e164, raw, ext, kind, is_primary, invalid, created_at) VALUES `,
			`(?, ?, ?, ?, 'mobile', ?, ?, ?)`),
		emails: newBulk(`INSERT INTO emails(customer_id, address, is_primary, created_at) VALUES `, `(?, ?, ?, ?)`),
		attrs:  newBulk(`INSERT INTO customer_attributes(customer_id, key, value) VALUES `, `(?, ?, ?)`),
		audits: newBulk(`INSERT INTO audit_log(at, actor_id, actor, entity, entity_id, action, to_value, reason) VALUES `,
			`(?, ?, ?, 'customer', ?, 'create', ?, ?)`),
		keys: newBulk(`INSERT INTO search_keys_pending(customer_id, key) VALUES `, `(?, ?)`).ignoringDuplicates(),
	}
	// customers first: the others refer to them
	n.tables = []*bulkRows{n.customers, n.phones, n.emails, n.attrs, n.audits, n.keys}
	return n
}

// add gathers one new customer and gives their id.
func (n *newCustomers) add(ctx context.Context, tx *db.Tx, im importing) (int64, error) {
	if n.next == 0 {
		if err := db.HoldIDs(ctx, tx, "customers"); err != nil {
			return 0, err
		}
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM customers`).Scan(&n.next); err != nil {
			return 0, err
		}
	}
	id := n.next
	n.next++
	if n.first == 0 {
		n.first = im.row.Line
	}
	n.last = im.row.Line
	lang, tz := im.lang, im.tz
	if lang == "" {
		lang = "ko"
	}
	if tz == "" {
		tz = "Asia/Seoul"
	}
	by, at := actorID(n.actor), n.now.Unix()
	n.customers.add(id, im.row.Name, strings.TrimSpace(im.row.NameRoman), im.birthday, im.row.ExternalID, im.joined, lang, tz, im.tier,
		is(im.dnc), is(im.consent[0]), is(im.consent[1]), is(im.consent[2]), at, by, at, by)
	for i, p := range im.phones {
		n.phones.add(id, p.e164, p.raw, p.ext, i == 0, p.e164 == "", at)
	}
	for i, e := range im.emails {
		n.emails.add(id, e, i == 0, at)
	}
	for k, v := range im.attrs {
		n.attrs.add(id, k, v)
	}
	n.audits.add(at, by, n.actor.Name, id, im.row.Name, fmt.Sprintf("import, line %d", im.row.Line))
	for _, k := range im.keys {
		n.keys.add(id, k)
	}
	if im.points != nil && *im.points > 0 {
		n.points = append(n.points, heldPoints{id, *im.points})
	}
	return id, nil
}

// written writes the customers gathered so far.
func (n *newCustomers) written(ctx context.Context, tx *db.Tx) error {
	for _, t := range n.tables {
		if err := t.write(ctx, tx); err != nil {
			return fmt.Errorf("the new customers of lines %d–%d: %w", n.first, n.last, err)
		}
	}
	n.first = 0
	if err := db.IDsTaken(ctx, tx, "customers"); err != nil {
		return err
	}
	for _, p := range n.points {
		if _, err := addLedger(ctx, tx, n.actor, p.id, "adjust", p.points, "imported balance", 0, n.now); err != nil {
			return fmt.Errorf("customer %d: %w", p.id, err)
		}
	}
	n.points = n.points[:0]
	return nil
}
