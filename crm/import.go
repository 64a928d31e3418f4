package crm

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
)

// ImportRow is one customer as a file gives them.
type ImportRow struct {
	Line       int
	ExternalID string
	Name       string
	NameRoman  string
	Phones     []string // as written
	Emails     []string
	Birthday   string // any common date form
	Joined     string
	Lang, TZ   string
	// Flags as written (yes/no, 예/아니오, 동의/거부, y/n, 1/0, true/false,
	// o/x); empty: not in the file.
	DNC, Marketing, SMS, EmailOK string
	Points                       string      // a balance to hold
	Tier                         string      // a tier's code or name
	Attrs                        [][2]string // columns without a field: kept under their header
}

// ImportResult counts what a batch did. Flags are values kept but not
// understood (a phone that is not a number, an address or a date that
// does not read): the customer is imported, the value kept as text.
type ImportResult struct {
	Created, Updated, Unchanged int
	Rejected                    []ImportIssue
	Flagged                     []ImportIssue
}

// ImportIssue is a line of the report: where and why.
type ImportIssue struct {
	Line int
	Why  string
}

// ImportBatchRows is how many rows an import reads and prepares at a
// time; two batches are in memory at once (one written, the next
// prepared). A million rows (BENCHMARKS.md, when a batch was a transaction
// and before the search keys were settled at the end): 2,000 a batch
// 2 min 42 s and 126 MB; 5,000 2 min 13 s and 158 MB; 10,000 2 min 8 s and
// 209 MB, over the 200 MB an import may take.
const ImportBatchRows = 5000

// ImportBatchesPerTx is how many batches one transaction holds (20,000
// rows): a killed import loses at most one uncommitted transaction, and
// running it again finds the committed rows by their id, phone or e-mail
// instead of copying them. Fewer commits write each page of the indexes
// fewer times (a million rows: 1 min 25 s with one batch a transaction,
// 1 min 5 s with four, 1 min 3 s with ten), but a transaction holds the
// write lock: consoles working beside an import wait for it to save
// (about a second at four).
const ImportBatchesPerTx = 4

// Add adds another batch's result to r.
func (r *ImportResult) Add(o ImportResult) {
	r.Created += o.Created
	r.Updated += o.Updated
	r.Unchanged += o.Unchanged
	r.Rejected = append(r.Rejected, o.Rejected...)
	r.Flagged = append(r.Flagged, o.Flagged...)
}

// ImportBatch brings rows in through tx: PrepareImport and ImportPlanned
// in one, with the new customers' search keys put in the index at once
// (a file of many batches is better settled once, at its end).
func (s *Service) ImportBatch(ctx context.Context, tx *db.Tx, actor Agent, rows []ImportRow, region string, now time.Time) (ImportResult, error) {
	res, err := s.ImportPlanned(ctx, tx, actor, PrepareImport(rows, region, now), now)
	if err != nil {
		return res, err
	}
	_, err = moveKeys(ctx, tx, 0, 0)
	return res, err
}

// ImportPlanned brings a prepared batch in through tx. A row that matches
// an existing customer (external id, then a normalised phone, then an
// e-mail address) updates them instead of making a twin: a name or
// birthday that differs is replaced, numbers, addresses and attributes not
// yet held are added; a row that changes nothing writes nothing. Each
// creation and change is audited with the line it came from. The caller
// commits (or, for a dry run, rolls back). New customers' search keys are
// left waiting: they are found by search once SettleSearchKeys has run.
func (s *Service) ImportPlanned(ctx context.Context, tx *db.Tx, actor Agent, plan ImportPlan, now time.Time) (ImportResult, error) {
	var res ImportResult
	if err := lockImports(ctx, tx); err != nil {
		return res, err
	}
	created := newNewCustomers(actor, now)
	known, err := lookUpBatch(ctx, tx, plan.rows)
	if err != nil {
		return res, err
	}
	for i, im := range plan.rows {
		line := im.row.Line
		if why, ok := plan.rejected[i]; ok {
			res.Rejected = append(res.Rejected, ImportIssue{Line: line, Why: why})
			continue
		}
		for _, f := range im.flags {
			res.Flagged = append(res.Flagged, ImportIssue{Line: line, Why: f})
		}
		id, how := known.find(im)
		if how == matchNone || how == matchTwin {
			newID, err := created.add(ctx, tx, im)
			if err != nil {
				return res, fmt.Errorf("line %d: %w", line, err)
			}
			known.hold(newID, im, im.row.ExternalID)
			res.Created++
			if how == matchTwin {
				res.Flagged = append(res.Flagged, ImportIssue{Line: line, Why: fmt.Sprintf("possibly the same person as customer %d, "+
					"who shares a number or an e-mail; their customer numbers differ (%s, %s), so they are two customers: dangol merge settles it",
					id, known.extOf[id], im.row.ExternalID)})
			}
			continue
		}
		// the customer may be one of this batch's new ones
		if err := created.written(ctx, tx); err != nil {
			return res, err
		}
		if how != matchByID {
			// Found by a number or an address, which a household may share:
			// a different name is kept beside the customer's, never over it.
			var name string
			if err := tx.QueryRowContext(ctx, `SELECT name FROM customers WHERE id = ?`, id).Scan(&name); err != nil {
				return res, err
			}
			if name != im.row.Name {
				im.attrs["name (import)"] = im.row.Name
				res.Flagged = append(res.Flagged, ImportIssue{Line: line,
					Why: fmt.Sprintf("matched customer %d (%s) by number or e-mail; the name %q is kept beside theirs", id, name, im.row.Name)})
				im.row.Name = name
			}
		}
		changed, ext, err := s.updateImported(ctx, tx, actor, id, im, now)
		if err != nil {
			return res, fmt.Errorf("line %d: %w", line, err)
		}
		known.hold(id, im, ext)
		if changed {
			res.Updated++
		} else {
			res.Unchanged++
		}
	}
	return res, created.written(ctx, tx)
}

// batchKnown are the customers a batch's rows may be: its external ids,
// numbers and addresses as the file held them before the batch (asked in
// three queries, not three a row), and as the batch's own rows add them;
// and each of those customers' own external id.
type batchKnown struct {
	ext, phone, email map[string]int64 // email by lowerASCII (as SQLite's lower folds)
	extOf             map[int64]string
}

func lookUpBatch(ctx context.Context, tx *db.Tx, rows []importing) (batchKnown, error) {
	k := batchKnown{ext: map[string]int64{}, phone: map[string]int64{}, email: map[string]int64{}, extOf: map[int64]string{}}
	var exts, phones, emails []string
	for _, im := range rows {
		if im.row.ExternalID != "" {
			exts = append(exts, im.row.ExternalID)
		}
		for _, p := range im.phones {
			if p.e164 != "" {
				phones = append(phones, p.e164)
			}
		}
		for _, e := range im.emails {
			emails = append(emails, lowerASCII(e))
		}
	}
	values := tx.Engine().JSONValues("j")
	for _, q := range []struct {
		query string
		keys  []string
		into  map[string]int64
	}{
		// a merged customer's number finds the one they were merged into
		{`SELECT x.external_id, k.id, coalesce(k.external_id, '') FROM customers x JOIN customers k ON k.id = coalesce(x.merged_into, x.id)
			WHERE x.external_id IN (SELECT j.value FROM ` + values + `)`, exts, k.ext},
		{`SELECT p.e164, c.id, coalesce(c.external_id, '') FROM customers c JOIN phones p ON p.customer_id = c.id
			WHERE p.id IN (SELECT min(id) FROM phones WHERE e164 IN (SELECT j.value FROM ` + values + `) GROUP BY e164)`, phones, k.phone},
		{`SELECT j.value, c.id, coalesce(c.external_id, '') FROM ` + values + ` JOIN customers c ON c.id =
			(SELECT min(e.customer_id) FROM emails e WHERE lower(e.address) = lower(j.value))`, emails, k.email},
	} {
		if len(q.keys) == 0 {
			continue
		}
		list, err := json.Marshal(q.keys)
		if err != nil {
			return k, err
		}
		rs, err := tx.QueryContext(ctx, q.query, string(list))
		if err != nil {
			return k, err
		}
		for rs.Next() {
			var key, ext string
			var id int64
			if err := rs.Scan(&key, &id, &ext); err != nil {
				rs.Close()
				return k, err
			}
			q.into[key], k.extOf[id] = id, ext
		}
		if err := rs.Close(); err != nil {
			return k, err
		}
	}
	return k, nil
}

// A row is matched to a customer dangol has (find) by its external id
// first; a row with an id matches by number or address only a customer
// without one, since two rows with different ids are two customers (a
// household shares a phone, a company an address); a row without an id by
// number, then address.
type match int

const (
	matchNone    match = iota
	matchByID          // the same record: its name may be corrected
	matchContact       // by number or address
	matchTwin          // a customer with another id shares a number or address: a new customer, flagged
)

// find is the customer a row is, if dangol has them already, and how it
// was matched; for matchTwin, the customer who shares a number or address.
func (k batchKnown) find(im importing) (int64, match) {
	ext := im.row.ExternalID
	if id, ok := k.ext[ext]; ok && ext != "" {
		return id, matchByID
	}
	twin := int64(0)
	try := func(id int64) (int64, match, bool) {
		if ext != "" && k.extOf[id] != "" {
			if twin == 0 {
				twin = id
			}
			return 0, matchNone, false
		}
		return id, matchContact, true
	}
	for _, p := range im.phones {
		if id, ok := k.phone[p.e164]; ok && p.e164 != "" {
			if id, m, ok := try(id); ok {
				return id, m
			}
		}
	}
	for _, e := range im.emails {
		if id, ok := k.email[lowerASCII(e)]; ok {
			if id, m, ok := try(id); ok {
				return id, m
			}
		}
	}
	if twin != 0 {
		return twin, matchTwin
	}
	return 0, matchNone
}

// hold notes that customer id now has the row's numbers and addresses
// (and ext, when stored), for the batch's later rows. A number already
// held keeps its first holder, as the lookup by the lowest id does.
func (k batchKnown) hold(id int64, im importing, ext string) {
	if ext != "" {
		k.ext[ext], k.extOf[id] = id, ext
	}
	for _, p := range im.phones {
		if _, ok := k.phone[p.e164]; !ok && p.e164 != "" {
			k.phone[p.e164] = id
		}
	}
	for _, e := range im.emails {
		if _, ok := k.email[lowerASCII(e)]; !ok {
			k.email[lowerASCII(e)] = id
		}
	}
}

// lowerASCII folds A–Z only, as SQLite's NOCASE does.
func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// addImportedContacts adds the numbers and addresses the customer does not
// have yet; the first of a customer's becomes primary.
func addImportedContacts(ctx context.Context, tx *db.Tx, id int64, im importing, now time.Time) ([]string, error) {
	var added []string
	for _, p := range im.phones {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM phones WHERE customer_id = ? AND (e164 = ? AND e164 <> '' OR raw = ?)`,
			id, p.e164, p.raw).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO phones(customer_id, e164, raw, ext, kind, is_primary, invalid, created_at)
			VALUES (?, ?, ?, ?, 'mobile', NOT EXISTS (SELECT 1 FROM phones WHERE customer_id = ?), ?, ?)`,
			id, p.e164, p.raw, p.ext, id, p.e164 == "", now.Unix()); err != nil {
			return nil, err
		}
		added = append(added, "phone "+p.raw)
	}
	for _, e := range im.emails {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM emails WHERE customer_id = ? AND lower(address) = lower(?)`,
			id, e).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO emails(customer_id, address, is_primary, created_at)
			VALUES (?, ?, NOT EXISTS (SELECT 1 FROM emails WHERE customer_id = ?), ?)`, id, e, id, now.Unix()); err != nil {
			return nil, err
		}
		added = append(added, "e-mail "+e)
	}
	return added, nil
}

// setAttributes stores attributes and says which changed. A value the
// customer already holds under that name is left; a different one is
// added on a line of its own, never over the old: a file that lists a
// person twice with two memos keeps both, and importing it again changes
// nothing.
func setAttributes(ctx context.Context, tx *db.Tx, id int64, attrs map[string]string) ([]string, error) {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var changed []string
	for _, k := range keys {
		var old string
		err := tx.QueryRowContext(ctx, `SELECT value FROM customer_attributes WHERE customer_id = ? AND key = ?`, id, k).Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO customer_attributes(customer_id, key, value) VALUES (?, ?, ?)`, id, k, attrs[k])
		case err == nil && !hasLine(old, attrs[k]):
			_, err = tx.ExecContext(ctx, `UPDATE customer_attributes SET value = ? WHERE customer_id = ? AND key = ?`,
				old+"\n"+attrs[k], id, k)
		default:
			if err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		changed = append(changed, k)
	}
	return changed, nil
}

// hasLine reports whether v is text or one of its lines (v may itself
// span lines).
func hasLine(text, v string) bool {
	return text == v || strings.HasPrefix(text, v+"\n") || strings.HasSuffix(text, "\n"+v) ||
		strings.Contains(text, "\n"+v+"\n")
}

func (s *Service) updateImported(ctx context.Context, tx *db.Tx, actor Agent, id int64, im importing, now time.Time) (changed bool, ext string, err error) {
	var name, roman, birthday, external, lang, tz, tier string
	var dnc bool
	var consent [3]bool
	var points int64
	if err := tx.QueryRowContext(ctx, `SELECT name, name_roman, coalesce(birthday, ''), coalesce(external_id, ''), lang, tz,
		tier, dnc, consent_marketing, consent_sms, consent_email, points FROM customers WHERE id = ? FOR UPDATE`, id).
		Scan(&name, &roman, &birthday, &external, &lang, &tz, &tier, &dnc, &consent[0], &consent[1], &consent[2], &points); err != nil {
		return false, "", err
	}
	var changes []string
	set := func(col, old, new string) error {
		if new == "" || new == old {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE customers SET `+col+` = ? WHERE id = ?`, new, id); err != nil {
			return err
		}
		changes = append(changes, fmt.Sprintf("%s %q → %q", col, old, new))
		return nil
	}
	ext = im.row.ExternalID
	if ext != "" && ext != external {
		// the number may be a merged customer's, who found this one
		var held int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE external_id = ? AND id <> ?`, ext, id).Scan(&held); err != nil {
			return false, "", err
		}
		if held > 0 {
			ext = ""
		}
	}
	for _, c := range []struct{ col, old, new string }{
		{"name", name, im.row.Name}, {"name_roman", roman, strings.TrimSpace(im.row.NameRoman)},
		{"birthday", birthday, im.birthday}, {"external_id", external, ext}, {"lang", lang, im.lang}, {"tz", tz, im.tz},
		{"tier", tier, im.tier},
	} {
		if err := set(c.col, c.old, c.new); err != nil {
			return false, "", err
		}
	}
	for i, col := range []string{"consent_marketing", "consent_sms", "consent_email"} {
		if v := im.consent[i]; v != nil && *v != consent[i] {
			if _, err := tx.ExecContext(ctx, `UPDATE customers SET `+col+` = ? WHERE id = ?`, *v, id); err != nil {
				return false, "", err
			}
			changes = append(changes, fmt.Sprintf("%s %v → %v", col, consent[i], *v))
		}
	}
	// A do-not-call request is never lifted by a file; a new one ends the
	// customer's open callbacks (the queue, through DoNotCall).
	if im.dnc != nil && *im.dnc && !dnc {
		if s.DoNotCall == nil {
			return false, "", errors.New("do-not-call needs the callback queue to cancel the customer's callbacks")
		}
		reason := fmt.Sprintf("import, line %d", im.row.Line)
		if err := SetDNC(ctx, tx, actor, id, now, reason); err != nil {
			return false, "", err
		}
		if _, err := s.DoNotCall(ctx, tx, actor, id, now, reason); err != nil {
			return false, "", err
		}
		changes = append(changes, "do_not_call false → true")
	}
	if im.points != nil && *im.points != points {
		if _, err := addLedger(ctx, tx, actor, id, "adjust", *im.points-points, "imported balance", 0, now); err != nil {
			return false, "", err
		}
		changes = append(changes, fmt.Sprintf("points %d → %d", points, *im.points))
	}
	added, err := addImportedContacts(ctx, tx, id, im, now)
	if err != nil {
		return false, "", err
	}
	attrs, err := setAttributes(ctx, tx, id, im.attrs)
	if err != nil {
		return false, "", err
	}
	changes = append(changes, added...)
	for _, a := range attrs {
		changes = append(changes, "attribute "+a)
	}
	if len(changes) == 0 {
		return false, ext, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE customers SET updated_at = ?, updated_by = ? WHERE id = ?`,
		now.Unix(), actorID(actor), id); err != nil {
		return false, "", err
	}
	if err := reindex(ctx, tx, id); err != nil {
		return false, "", err
	}
	return true, ext, WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "customer", EntityID: id, Action: "edit",
		To: strings.Join(changes, "; "), Reason: fmt.Sprintf("import, line %d", im.row.Line)})
}

// is is a said flag, false when not said.
func is(b *bool) bool { return b != nil && *b }
