package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/tui/kit"
)

// keystrokes times `j` in minji's queue at 120×40, then the same with the
// first callback's customer open beside it.
func (f *fixture) keystrokes(ctx context.Context, r *Result) error {
	m, err := openHeadless(kit.NewCommon(ctx, f.crm, f.q, f.minji, kit.Korean, nil), 120, 40)
	if err != nil {
		return err
	}
	lat, err := m.Press("j", f.o.Samples)
	m.Close()
	if err != nil {
		return err
	}
	r.KeyP50Ms = ms(Percentile(lat, 50))
	r.KeyP99Ms = ms(Percentile(lat, 99))

	m, err = openHeadless(kit.NewCommon(ctx, f.crm, f.q, f.minji, kit.Korean, nil), 120, 40)
	if err != nil {
		return err
	}
	defer m.Close()
	// enter opens the customer and moves there; tab brings the keys back
	// to the queue while the 360 stays open beside it.
	if _, err := m.Press("enter", 1); err != nil {
		return err
	}
	if _, err := m.Press("tab", 1); err != nil {
		return err
	}
	if strings.Contains(m.Screen(), kit.TextFor(kit.Korean).NoCustomerOpen) {
		return errors.New("the customer 360 did not open beside the queue")
	}
	if lat, err = m.Press("j", f.o.Samples); err != nil {
		return err
	}
	r.Key360P99 = ms(Percentile(lat, 99))
	return nil
}

// queries are, per kind of search, queries that find random customers: a
// part of a Korean name, its initials, a syllable with initials, a
// romanized word, a phone as written, its last four digits, an e-mail.
func (f *fixture) queries(ctx context.Context, n int) (map[string][]string, error) {
	var maxID int64
	if err := f.d.Read.QueryRowContext(ctx, `SELECT max(id) FROM customers`).Scan(&maxID); err != nil {
		return nil, f.d.Describe(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	out := map[string][]string{}
	for tries := 0; len(out["name"]) < n; tries++ {
		if tries > 100*n {
			return nil, errors.New("too few customers with a Korean name, a phone and an e-mail")
		}
		var name, roman, phone, email string
		err := f.d.Read.QueryRowContext(ctx, `SELECT name, name_roman,
			coalesce((SELECT raw FROM phones WHERE customer_id = c.id ORDER BY id LIMIT 1), ''),
			coalesce((SELECT address FROM emails WHERE customer_id = c.id ORDER BY id LIMIT 1), '')
			FROM customers c WHERE id = ?`, 1+rng.Int64N(maxID)).Scan(&name, &roman, &phone, &email)
		rs := []rune(name)
		words := strings.Fields(roman)
		digits := strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return r
			}
			return -1
		}, phone)
		if err != nil || len(rs) < 3 || !unicode.Is(unicode.Hangul, rs[0]) || len(words) == 0 || len(digits) < 8 || email == "" {
			continue
		}
		out["name"] = append(out["name"], string(rs[len(rs)-2:]))
		out["initials"] = append(out["initials"], crm.Initials(name))
		out["mixed"] = append(out["mixed"], string(rs[0])+crm.Initials(string(rs[1:])))
		out["latin"] = append(out["latin"], words[len(words)-1])
		out["phone"] = append(out["phone"], phone)
		out["last4"] = append(out["last4"], digits[len(digits)-4:])
		out["email"] = append(out["email"], email)
	}
	return out, nil
}

// search times the console's search (20 results) for each kind of query,
// beside counting every LIKE match of the name queries: the scan the
// search index replaces.
func (f *fixture) search(ctx context.Context, r *Result) error {
	qs, err := f.queries(ctx, f.o.Samples)
	if err != nil {
		return err
	}
	r.SearchP99 = map[string]float64{}
	for kind, list := range qs {
		lat := make([]time.Duration, 0, len(list))
		for _, q := range list {
			start := time.Now()
			res, _, err := f.crm.Search(ctx, q, 20)
			lat = append(lat, time.Since(start))
			if err != nil {
				return fmt.Errorf("search %q: %w", q, err)
			}
			if len(res) == 0 {
				return fmt.Errorf("search %q (%s) found nobody, though it was made from a customer", q, kind)
			}
		}
		r.SearchP99[kind] = ms(Percentile(lat, 99))
	}
	base := qs["name"][:min(len(qs["name"]), 50)] // a scan each: fewer samples
	lat := make([]time.Duration, 0, len(base))
	for _, q := range base {
		var n int
		start := time.Now()
		if err := f.d.Read.QueryRowContext(ctx, `SELECT count(*) FROM customers WHERE name LIKE '%' || ? || '%'`, q).Scan(&n); err != nil {
			return f.d.Describe(err)
		}
		lat = append(lat, time.Since(start))
	}
	r.SearchBase = ms(Percentile(lat, 99))
	return nil
}

// customer360 times the profile and the first page of history of random
// customers.
func (f *fixture) customer360(ctx context.Context, r *Result) error {
	var maxID int64
	if err := f.d.Read.QueryRowContext(ctx, `SELECT max(id) FROM customers`).Scan(&maxID); err != nil {
		return f.d.Describe(err)
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	lat := make([]time.Duration, 0, f.o.Samples)
	for range f.o.Samples {
		id := 1 + rng.Int64N(maxID)
		start := time.Now()
		if _, err := f.crm.Profile(ctx, id); err != nil {
			return fmt.Errorf("customer %d: %w", id, err)
		}
		if _, err := f.crm.Timeline(ctx, id, nil, crm.Cursor{}, 30); err != nil {
			return fmt.Errorf("customer %d: %w", id, err)
		}
		lat = append(lat, time.Since(start))
	}
	r.C360P99 = ms(Percentile(lat, 99))
	return nil
}
