package crm

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dangol/dangol/db"
)

// Search design. mattn/go-sqlite3 has no FTS5 without a build tag, and FTS4
// matches Korean only as whole words or prefixes, so dangol keeps its own
// index: for every customer a set of keys, each a short string, in the
// primary key of search_keys. A query of each kind is turned into a key
// prefix and finds the customers with a key that starts with it (a range
// on the primary key), so a key stands for all of its prefixes and no
// prefix is stored on its own. The keys are:
//
//	s:김민준 every run of syllables of a Korean name from each syllable to
//	         the end (민준 and 민 are prefixes of s:민준: any part of the name)
//	i:ㄱㅁㅈ the same runs as initial consonants
//	x:김ㅁㅈ the same runs with the first syllable whole and the rest as
//	         initials, the way people type a name they half remember (김ㅁ)
//	w:minjun every Latin word of the name and the romanized name, and all
//	         words run together (kimminjun)
//	p:8765   the digits of every phone, last first: the last 4 digits of a
//	         number, in any format, are a prefix of its key
//	m:kim.m@ every e-mail address: a prefix of the local part is a prefix
//
// A key finds candidates; each candidate is then checked against the query
// exactly (a typed initial matches any syllable with it, so 김ㅁ checks 김
// too), so a key only has to be selective, never exact. Keys are written in
// the same transaction as the customer's names, phones and emails. A
// customer has about a dozen keys (SearchVersion 3 stored every prefix
// itself: 27 for a Korean name, a mobile number and an e-mail, which made
// the index most of the cost of an import).

const (
	maxRun      = 6  // longest syllable run indexed; longer queries use their first 6
	maxWordKey  = 10 // longest word indexed
	maxJoined   = 12 // longest run of words run together indexed
	maxEmailKey = 40 // longest e-mail address indexed
	maxPhoneKey = 8  // digits of a phone indexed, from the last
)

// SearchVersion changes whenever the key derivation changes; a database with
// another version has its keys rebuilt (EnsureSearchIndex).
const SearchVersion = "4"

// searchKeys derives every key of one customer.
func searchKeys(name, roman string, phones, emails []string) []string {
	seen := map[string]bool{}
	var keys []string
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	if hasHangul(name) {
		compact := []rune(strings.Join(strings.Fields(name), ""))
		initials := []rune(Initials(string(compact)))
		for i := range compact {
			j := min(len(compact), i+maxRun)
			add("s:" + string(compact[i:j]))
			add("i:" + string(initials[i:j]))
			if j-i >= 2 {
				add("x:" + string(compact[i]) + string(initials[i+1:j]))
			}
		}
	}
	for _, text := range []string{name, roman} {
		words := latinWords(text)
		for _, w := range words {
			if len(w) >= 2 {
				add("w:" + w[:min(len(w), maxWordKey)])
			}
		}
		if len(words) > 1 {
			joined := strings.Join(words, "")
			add("w:" + joined[:min(len(joined), maxJoined)])
		}
	}
	for _, p := range phones {
		if d := reverseDigits(p); len(d) >= 4 {
			add("p:" + d[:min(len(d), maxPhoneKey)])
		}
	}
	for _, e := range emails {
		if e = strings.ToLower(strings.TrimSpace(e)); len(e) >= 3 {
			add("m:" + e[:min(len(e), maxEmailKey)])
		}
	}
	return keys
}

// reverseDigits is the digits of a phone number, last first.
func reverseDigits(s string) string {
	d := []byte(digitsOf(s))
	for i, j := 0, len(d)-1; i < j; i, j = i+1, j-1 {
		d[i], d[j] = d[j], d[i]
	}
	return string(d)
}

// keyRange is the range of keys that start with prefix, for
// key >= low AND key < high: high is prefix with its last character
// replaced by the next one (a last character that has none is dropped
// first). Both are valid UTF-8, which every engine takes, and text
// compares by code point in the byte order of its UTF-8, so nothing that
// starts with prefix reaches high. An empty prefix has no high: "".
func keyRange(prefix string) (low, high string) {
	r := []rune(prefix)
	for len(r) > 0 {
		last := r[len(r)-1]
		if last < utf8.MaxRune {
			next := last + 1
			if next >= 0xD800 && next <= 0xDFFF { // surrogates are not characters
				next = 0xE000
			}
			r[len(r)-1] = next
			return prefix, string(r)
		}
		r = r[:len(r)-1]
	}
	return prefix, ""
}

// joiners are marks inside a Latin name that do not split it: Ji-yu is
// one word, jiyu, as O'Neil is oneil.
var joiners = strings.NewReplacer("-", "", "'", "", "’", "")

// latinWords are the lowercased ASCII letter-and-digit words of a text.
func latinWords(s string) []string {
	return strings.FieldsFunc(joiners.Replace(strings.ToLower(s)), func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
}

// digitsOf keeps the digits of a phone number.
func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// reindex rewrites one customer's search keys from their rows, inside the
// caller's transaction.
func reindex(ctx context.Context, q db.Querier, customerID int64) error {
	var name, roman string
	if err := q.QueryRowContext(ctx, `SELECT name, name_roman FROM customers WHERE id = ?`, customerID).Scan(&name, &roman); err != nil {
		return err
	}
	phones, err := strings1(ctx, q, `SELECT e164 FROM phones WHERE customer_id = ?`, customerID)
	if err != nil {
		return err
	}
	emails, err := strings1(ctx, q, `SELECT address FROM emails WHERE customer_id = ?`, customerID)
	if err != nil {
		return err
	}
	if err := dropKeys(ctx, q, customerID); err != nil {
		return err
	}
	for _, k := range searchKeys(name, roman, phones, emails) {
		if _, err := q.ExecContext(ctx, `INSERT INTO search_keys(key, customer_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, k, customerID); err != nil {
			return err
		}
	}
	return nil
}

// dropKeys removes a customer's search keys, those in the index and those
// an import left waiting (see SettleSearchKeys).
func dropKeys(ctx context.Context, q db.Querier, customerID int64) error {
	for _, table := range []string{"search_keys", "search_keys_pending"} {
		if _, err := q.ExecContext(ctx, `DELETE FROM `+table+` WHERE customer_id = ?`, customerID); err != nil {
			return err
		}
	}
	return nil
}

// settleRebuildShare says when settling drops the index by customer and
// builds it again after the sorted insert: when more keys wait than
// settleRebuildShare a customer (a fifth of all keys or more, at about ten
// a customer). Kept, the index takes the waiting keys in key order, which
// is no order by customer, and rewrites its pages all over.
const settleRebuildShare = 2

// settleChunk is how many customers' waiting keys one transaction moves
// when the index is kept: a transaction holds the write lock, and
// consoles working meanwhile give up saving after db.BusyTimeout (a
// hundred thousand customers' keys into a million's index: 3.5 s in one).
var settleChunk = 20000

// SettleSearchKeys moves the search keys an import left waiting into the
// index, in key order, and says how many it moved. Until then their
// customers are not found by search. Anything waiting may be settled at
// any time: keys wait only beside their customer. Most keys new (a
// site's first import) are moved in one transaction with the index by
// customer built again; otherwise settleChunk customers' at a time.
func (s *Service) SettleSearchKeys(ctx context.Context) (int, error) {
	var waits bool // most starts: nothing waits, and no write turn is taken
	if err := s.DB.Read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_keys_pending)`).Scan(&waits); err != nil || !waits {
		return 0, s.DB.Describe(err)
	}
	var first, last int64
	moved, chunks := 0, false
	// Counted on the write connection, whose page cache the move then
	// uses: a read connection would fill a cache of its own with the
	// waiting table (50 MB more for a million customers).
	// Unchecked: every waiting key was checked against its customer as it
	// was written, and checking ten million again takes most of the time.
	err := s.DB.TxUnchecked(ctx, func(tx *db.Tx) error {
		// Settling moves what imports write: it takes their turn.
		if err := lockImports(ctx, tx); err != nil {
			return err
		}
		var waiting, customers int
		if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(min(customer_id), 0), coalesce(max(customer_id), 0)
			FROM search_keys_pending`).Scan(&waiting, &first, &last); err != nil {
			return err
		}
		if waiting == 0 { // settled by another process meanwhile
			return nil
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&customers); err != nil {
			return err
		}
		if waiting <= settleRebuildShare*customers {
			chunks = true // in transactions of their own, below
			return nil
		}
		var err error
		moved, err = settleAll(ctx, tx)
		return err
	})
	if err != nil || !chunks {
		return moved, s.DB.Describe(err)
	}
	for from := first; from <= last; from += int64(settleChunk) {
		var n int
		err := s.DB.TxUnchecked(ctx, func(tx *db.Tx) error {
			if err := lockImports(ctx, tx); err != nil {
				return err
			}
			var err error
			n, err = moveKeys(ctx, tx, from, from+int64(settleChunk))
			return err
		})
		if err != nil {
			return moved, s.DB.Describe(err) // the keys moved before stay moved
		}
		moved += n
	}
	return moved, nil
}

// settleAll moves every waiting key through tx with the index by customer
// dropped and built again after. SQLite sorts with the connection's page
// cache: ten million keys sorted and indexed with 64 MiB took 13.4 + 4.2 s
// and 139 MB, with 8 MiB 7.7 + 3.6 s and 22 MB (measured in the sqlite3
// shell), so the cache is 8 MiB for the move and then what it was.
func settleAll(ctx context.Context, tx *db.Tx) (int, error) {
	if tx.Engine().Name() == "sqlite" {
		var cache int
		if err := tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -8192`); err != nil {
			return 0, err
		}
		defer tx.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = %d`, cache))
	}
	if _, err := tx.ExecContext(ctx, `DROP INDEX search_keys_customer`); err != nil {
		return 0, err
	}
	moved, err := moveKeys(ctx, tx, 0, 0)
	if err != nil {
		return 0, err
	}
	// as db/migrations/0003_search.sql has it
	_, err = tx.ExecContext(ctx, `CREATE INDEX search_keys_customer ON search_keys(customer_id)`)
	return moved, err
}

// moveKeys moves the waiting keys of customers from..to-1 into the index,
// in key order, through tx; to 0 moves every key waiting (emptying the
// table at once, not row by row).
func moveKeys(ctx context.Context, tx *db.Tx, from, to int64) (int, error) {
	where, args := "", []any{}
	if to > 0 {
		where, args = ` WHERE customer_id >= ? AND customer_id < ?`, []any{from, to}
	}
	if where == "" {
		where = ` WHERE true` // SQLite reads ON CONFLICT after a bare FROM as a join's
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO search_keys(key, customer_id)
		SELECT key, customer_id FROM search_keys_pending`+where+` ORDER BY key, customer_id ON CONFLICT DO NOTHING`, args...); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM search_keys_pending`+where, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func strings1(ctx context.Context, q db.Querier, query string, args ...any) ([]string, error) {
	return column[string](ctx, q, query, args...)
}

// column runs a query of one column and returns its values.
func column[T any](ctx context.Context, q db.Querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// EnsureSearchIndex builds the search keys of every customer when the
// database has none yet or was indexed by another version of the key
// derivation, and reports whether it rebuilt, telling progress (done,
// total) as it goes. Otherwise it settles the keys an import left waiting
// (it was stopped before it settled them).
//
// A rebuild is one transaction: the old keys go (a whole table emptied is
// SQLite's quickest delete), every customer's keys are derived again into
// the waiting table, and they are settled in one sorted pass, as a first
// import's are. Key by key into the index, a million customers took 2 min
// 15 s. Done in one transaction, no customer is ever without keys to
// another process, and an interrupted rebuild leaves the old index and
// starts over at the next open.
func (s *Service) EnsureSearchIndex(ctx context.Context, progress func(done, total int)) (bool, error) {
	var version string
	err := s.DB.Read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'search_version'`).Scan(&version)
	if err != nil && err != sql.ErrNoRows {
		return false, s.DB.Describe(err)
	}
	if version == SearchVersion {
		_, err := s.SettleSearchKeys(ctx) // a stopped import's
		return false, err
	}
	// A rebuild derives every key again, those waiting too: settling them
	// first would only move keys it then deletes.
	// Unchecked, as settling is: every key is written for a customer read
	// in the same transaction.
	err = s.DB.TxUnchecked(ctx, func(tx *db.Tx) error {
		if err := lockImports(ctx, tx); err != nil {
			return err
		}
		var total int
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(max(id), 0) FROM customers`).Scan(&total, &last); err != nil {
			return err
		}
		// Waiting keys too: an import by another process may have left
		// some since they were settled; they are derived again below.
		for _, table := range []string{"search_keys", "search_keys_pending"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
				return err
			}
		}
		keys := newBulk(`INSERT INTO search_keys_pending(customer_id, key) VALUES `, `(?, ?)`).ignoringDuplicates()
		done := 0
		for from := int64(0); from <= last; from += rebuildBatch {
			n, err := deriveKeys(ctx, tx, keys, from, from+rebuildBatch)
			if err != nil {
				return err
			}
			if err := keys.write(ctx, tx); err != nil {
				return err
			}
			done += n
			if progress != nil {
				progress(done, total)
			}
		}
		if _, err := settleAll(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('search_version', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, SearchVersion)
		return err
	})
	return err == nil, s.DB.Describe(err)
}

// rebuildBatch is how many customers' keys a rebuild derives and writes at
// a time (a variable for tests).
var rebuildBatch int64 = 20000

// deriveKeys gathers into keys the search keys of the customers with ids
// from..to-1, and says how many customers there were.
func deriveKeys(ctx context.Context, tx *db.Tx, keys *bulkRows, from, to int64) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.name, c.name_roman,
		coalesce((SELECT string_agg(e164, ' ') FROM phones WHERE customer_id = c.id), ''),
		coalesce((SELECT string_agg(address, ' ') FROM emails WHERE customer_id = c.id), '')
		FROM customers c WHERE c.id >= ? AND c.id < ? ORDER BY c.id`, from, to)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var name, roman, phones, emails string
		if err := rows.Scan(&id, &name, &roman, &phones, &emails); err != nil {
			return n, err
		}
		for _, k := range searchKeys(name, roman, strings.Fields(phones), strings.Fields(emails)) {
			keys.add(id, k)
		}
		n++
	}
	return n, rows.Err()
}

// IDs runs a query of one integer column and returns its values: the
// ids a statement selects.
func IDs(ctx context.Context, q db.Querier, query string, args ...any) ([]int64, error) {
	return column[int64](ctx, q, query, args...)
}
