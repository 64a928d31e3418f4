package crm

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
)

// SearchResult is one customer found, with enough to tell two 김민준 apart.
type SearchResult struct {
	ID          int64
	Name        string
	NameRoman   string
	Tier        string // tier code
	TierKo      string // the tier's names, from the tiers table
	TierEn      string
	Phone       string // the primary number, E.164
	Email       string
	Birthday    string // YYYY-MM-DD or ""
	LastContact time.Time
	DNC         bool
	score       int
}

// A common syllable (김) has hundreds of thousands of customers at a
// million, and the agent only reads the first screen; they type one more
// letter instead. So a query ranks at most rankPool customers, and when its
// key is not exact (a mixed 김ㅁ, a phone number longer than its key) it
// reads at most searchScan candidates to find them.
const (
	rankPool   = 60
	searchScan = 300
)

// QueryKind names what a query was read as, for the console and for
// measuring each kind.
type QueryKind string

// The kinds of query Search understands.
const (
	QueryName     QueryKind = "name"     // any part of a Korean name
	QueryInitials QueryKind = "initials" // ㄱㅁㅈ, 김ㅁ
	QueryLatin    QueryKind = "latin"    // a romanized or English name
	QueryPhone    QueryKind = "phone"    // a phone number in any format
	QueryLast4    QueryKind = "last4"    // the last four digits
	QueryEmail    QueryKind = "email"
	QueryNumber   QueryKind = "number" // the customer's number in the system they were imported from (고객번호)
)

// plan is how a query is answered: the key to look up and the check each
// candidate must pass.
type plan struct {
	kind  QueryKind
	key   string
	exact bool // every customer with the key matches the query
	// phones: the check needs the customer's numbers
	phones bool
	match  func(r SearchResult, phones []string) (bool, int)
}

// Search finds customers by any part of a name, initial consonants (also
// mixed: 김ㅁ), a romanized name, any phone format or its last four digits,
// or an e-mail address, best matches first.
func (s *Service) Search(ctx context.Context, query string, limit int) ([]SearchResult, QueryKind, error) {
	p, ok := planFor(query)
	number := strings.TrimSpace(query)
	if (!ok || p.key == "") && number == "" {
		return nil, "", nil
	}
	// Phase one reads only what the check needs (names; the phones for a
	// phone query); phase two reads the shown details of the few that win.
	phones := `''`
	if p.phones {
		phones = `coalesce((SELECT string_agg(e164, ' ') FROM phones WHERE customer_id = c.id), '')`
	}
	scan := searchScan
	if p.exact {
		scan = rankPool
	}
	var out []SearchResult
	low, high := keyRange(p.key)
	kind := p.kind
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		seen := map[int64]bool{} // a customer can have several keys in the range
		// A customer's number from the system they came from (고객번호)
		// is one look-up in its unique index: that customer comes first.
		if r, found, err := byNumber(ctx, tx, number); err != nil {
			return err
		} else if found {
			out, seen[r.ID], kind = append(out, r), true, QueryNumber
		}
		if !ok || p.key == "" {
			return shownDetails(ctx, tx, out)
		}
		rows, err := tx.QueryContext(ctx, `SELECT c.id, c.name, c.name_roman, c.tier, c.dnc, c.last_contact_at, `+phones+`,
			CASE WHEN ? = 1 THEN coalesce((SELECT address FROM emails WHERE customer_id = c.id ORDER BY is_primary DESC, id LIMIT 1), '') ELSE '' END
			FROM search_keys k JOIN customers c ON c.id = k.customer_id
			WHERE k.key >= ? AND k.key < ? ORDER BY k.key, k.customer_id LIMIT ?`, p.kind == QueryEmail, low, high, scan)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r SearchResult
			var last *int64
			var all string
			if err := rows.Scan(&r.ID, &r.Name, &r.NameRoman, &r.Tier, &r.DNC, &last, &all, &r.Email); err != nil {
				return err
			}
			r.LastContact = fromUnix(last)
			if seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			if ok, score := p.match(r, strings.Fields(all)); ok {
				r.score = score
				out = append(out, r)
				if len(out) == rankPool {
					break
				}
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		rank(out)
		if len(out) > limit {
			out = out[:limit]
		}
		return shownDetails(ctx, tx, out)
	})
	return out, kind, err
}

// byNumber finds the customer whose external number is number (the one
// they were merged into, if they were).
func byNumber(ctx context.Context, tx *db.Tx, number string) (SearchResult, bool, error) {
	var r SearchResult
	var last *int64
	err := tx.QueryRowContext(ctx, `SELECT k.id, k.name, k.name_roman, k.tier, k.dnc, k.last_contact_at
		FROM customers x JOIN customers k ON k.id = coalesce(x.merged_into, x.id) WHERE x.external_id = ?`, number).
		Scan(&r.ID, &r.Name, &r.NameRoman, &r.Tier, &r.DNC, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	r.LastContact, r.score = fromUnix(last), 1000
	return r, err == nil, err
}

// shownDetails reads, in one query, what the results on screen show and
// the check did not need: the primary number and e-mail, the birthday,
// the tier's names.
func shownDetails(ctx context.Context, tx *db.Tx, out []SearchResult) error {
	if len(out) == 0 {
		return nil
	}
	at := make(map[int64]int, len(out))
	args := make([]any, len(out))
	for i, r := range out {
		at[r.ID], args[i] = i, r.ID
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.id,
		coalesce((SELECT e164 FROM phones WHERE customer_id = c.id ORDER BY is_primary DESC, invalid, id LIMIT 1), ''),
		coalesce((SELECT address FROM emails WHERE customer_id = c.id ORDER BY is_primary DESC, id LIMIT 1), ''),
		coalesce(c.birthday, ''), coalesce(t.name_ko, c.tier), coalesce(t.name_en, c.tier)
		FROM customers c LEFT JOIN tiers t ON t.code = c.tier
		WHERE c.id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(out)), ",")+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var d SearchResult
		if err := rows.Scan(&id, &d.Phone, &d.Email, &d.Birthday, &d.TierKo, &d.TierEn); err != nil {
			return err
		}
		r := &out[at[id]]
		r.Phone, r.Email, r.Birthday, r.TierKo, r.TierEn = d.Phone, d.Email, d.Birthday, d.TierKo, d.TierEn
	}
	return rows.Err()
}

// rank orders results: better matches first, then the most recently
// contacted (the customer who called yesterday is likelier the caller).
func rank(out []SearchResult) {
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if !a.LastContact.Equal(b.LastContact) {
			return a.LastContact.After(b.LastContact)
		}
		return a.ID < b.ID
	})
}

// planFor reads a query: which key finds its candidates, and how each is
// checked and scored (an exact match above a prefix above a part).
func planFor(query string) (plan, bool) {
	q := strings.TrimSpace(query)
	if q == "" {
		return plan{}, false
	}
	if strings.Contains(q, "@") {
		lq := strings.ToLower(q)
		local, domain, _ := strings.Cut(lq, "@")
		if !strings.Contains(domain, ".") && len(local) < 3 {
			return plan{}, false
		}
		key, exact := "m:"+lq[:min(len(lq), maxEmailKey)], len(lq) <= maxEmailKey
		return plan{kind: QueryEmail, key: key, exact: exact, match: func(r SearchResult, _ []string) (bool, int) {
			e := strings.ToLower(r.Email)
			return strings.HasPrefix(e, lq), scoreOf(e == lq, true)
		}}, true
	}
	if isPhoneLike(q) {
		d := digitsOf(q)
		switch {
		case len(d) == 4:
			return plan{kind: QueryLast4, key: "p:" + reverseDigits(d), exact: true, match: func(SearchResult, []string) (bool, int) {
				return true, 50
			}}, true
		case len(d) >= 7:
			// The last digits find the number however it was written
			// (with or without 0, +82, 0082, spaces or dashes); a number
			// that is the same in E.164 ranks first.
			tail := d[max(0, len(d)-8):]
			exact, _ := NormalizePhone(q)
			return plan{kind: QueryPhone, key: "p:" + reverseDigits(tail), phones: true, match: func(_ SearchResult, phones []string) (bool, int) {
				best := 0
				for _, p := range phones {
					switch {
					case p == exact:
						best = 100
					case strings.HasSuffix(digitsOf(p), tail):
						best = max(best, 80)
					}
				}
				return best > 0, best
			}}, true
		}
		return plan{}, false
	}
	if hasHangul(q) && len(latinWords(q)) > 0 {
		return mixedPlan(q), true
	}
	if hasHangul(q) {
		compact := []rune(strings.Join(strings.Fields(q), ""))
		head := compact[:min(len(compact), maxRun)]
		kind, key := QueryName, "s:"+string(head)
		syllables, jamo := 0, 0
		for _, r := range compact {
			switch {
			case isInitial(r):
				jamo++
			case isSyllable(r):
				syllables++
			}
		}
		// One syllable then initials (김ㅁ, 김ㅁㅈ) has its own exact key;
		// other mixes (ㄱ민ㅈ) are found by their initials and checked.
		headMixed := syllables == 1 && isSyllable(compact[0]) && jamo == len(compact)-1
		switch {
		case jamo > 0 && headMixed:
			kind, key = QueryInitials, "x:"+string(compact[0])+Initials(string(head[1:]))
		case jamo > 0:
			kind, key = QueryInitials, "i:"+Initials(string(head))
		}
		exact := len(compact) <= maxRun && jamo+syllables == len(compact) && (jamo == 0 || syllables == 0 || headMixed)
		qs := string(compact)
		return plan{kind: kind, key: key, exact: exact, match: func(r SearchResult, _ []string) (bool, int) {
			name := strings.Join(strings.Fields(r.Name), "")
			if !matchHangul(name, qs) {
				return false, 0
			}
			return true, scoreOf(name == qs, matchHangul(string([]rune(name)[:min(len([]rune(name)), len(compact))]), qs))
		}}, true
	}
	words := latinWords(q)
	if len(words) == 0 || len(strings.Join(words, "")) < 2 {
		return plan{}, false
	}
	joined := strings.Join(words, "")
	// The longest word finds the candidates, so the words may come in any
	// order (jiyu kim finds Kim Jiyu); the check then wants every word.
	longest := words[0]
	for _, w := range words {
		if len(w) > len(longest) {
			longest = w
		}
	}
	key := "w:" + longest[:min(len(longest), maxWordKey)]
	exact := len(words) == 1 && len(words[0]) <= maxWordKey
	return plan{kind: QueryLatin, key: key, exact: exact, match: func(r SearchResult, _ []string) (bool, int) {
		best, ok := 0, false
		for _, text := range []string{r.NameRoman, r.Name} {
			nw := latinWords(text)
			if len(nw) == 0 {
				continue
			}
			all := strings.Join(nw, "")
			switch {
			case all == joined:
				return true, 100
			case strings.HasPrefix(all, joined):
				ok, best = true, max(best, 50)
			case wordsPrefix(nw, words):
				ok, best = true, max(best, 30)
			}
		}
		return ok, best
	}}, true
}

// mixedPlan reads a query of Latin and Hangul together (emily 박 for
// Emily 박): the Latin words find the candidates, and the Hangul must match
// the Hangul of the name.
func mixedPlan(q string) plan {
	words := latinWords(q)
	longest := words[0]
	for _, w := range words {
		if len(w) > len(longest) {
			longest = w
		}
	}
	hangul := hangulOnly(q)
	return plan{kind: QueryLatin, key: "w:" + longest[:min(len(longest), maxWordKey)],
		match: func(r SearchResult, _ []string) (bool, int) {
			if !wordsPrefix(latinWords(r.Name+" "+r.NameRoman), words) || !matchHangul(hangulOnly(r.Name), hangul) {
				return false, 0
			}
			return true, 60
		}}
}

// hangulOnly keeps the Hangul of a text, run together.
func hangulOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isSyllable(r) || isInitial(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// wordsPrefix reports whether every query word starts some word of the name.
func wordsPrefix(name, query []string) bool {
	for _, q := range query {
		found := false
		for _, w := range name {
			if strings.HasPrefix(w, q) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func scoreOf(exact, prefix bool) int {
	switch {
	case exact:
		return 100
	case prefix:
		return 50
	}
	return 20
}

// isPhoneLike reports whether a query is made of what phone numbers are
// written with, and has digits.
func isPhoneLike(q string) bool {
	digits := 0
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" -+().", r):
		default:
			return false
		}
	}
	return digits > 0
}
