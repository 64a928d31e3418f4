package crm

import (
	"context"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/db"
)

// benchService opens the database the search benchmarks run on: the file
// in DANGOL_BENCH_DB (make one with `dangol seed --customers 1000000
// --interactions 5000000`), or else a 20,000-customer demo in a temp dir.
func benchService(b *testing.B) *Service {
	b.Helper()
	path := os.Getenv("DANGOL_BENCH_DB")
	if path == "" {
		return newDemo(b, 20000)
	}
	d, err := db.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	s := New(d)
	if _, err := s.EnsureSearchIndex(context.Background(), nil); err != nil { // as the console does at start
		b.Fatal(err)
	}
	return s
}

// sample picks customers and writes, for each kind of query, queries that
// find them: a part of a Korean name, its initials, a mixed syllable and
// initials, a romanized word, a phone as people write it, the last four
// digits, an e-mail address.
func sample(b *testing.B, s *Service, n int) map[QueryKind][]string {
	b.Helper()
	var max int64
	s.DB.Read.QueryRow(`SELECT max(id) FROM customers`).Scan(&max)
	r := rand.New(rand.NewPCG(9, 9))
	out := map[QueryKind][]string{}
	mixed := QueryKind("mixed")
	for len(out[QueryName]) < n {
		id := 1 + r.Int64N(max)
		var name, roman, phone, email string
		err := s.DB.Read.QueryRow(`SELECT name, name_roman, coalesce((SELECT raw FROM phones WHERE customer_id = c.id LIMIT 1), ''),
			coalesce((SELECT address FROM emails WHERE customer_id = c.id LIMIT 1), '') FROM customers c WHERE id = ?`, id).
			Scan(&name, &roman, &phone, &email)
		if err != nil || !hasHangul(name) || phone == "" || email == "" {
			continue
		}
		rs := []rune(name)
		out[QueryName] = append(out[QueryName], string(rs[len(rs)-2:]))
		out[QueryInitials] = append(out[QueryInitials], Initials(name))
		out[mixed] = append(out[mixed], string(rs[0])+Initials(string(rs[1:])))
		words := latinWords(roman)
		out[QueryLatin] = append(out[QueryLatin], words[len(words)-1])
		out[QueryPhone] = append(out[QueryPhone], phone)
		d := digitsOf(phone)
		out[QueryLast4] = append(out[QueryLast4], d[len(d)-4:])
		out[QueryEmail] = append(out[QueryEmail], email)
	}
	return out
}

// reportLatency runs fn b.N times and reports the median and the p99.
func reportLatency(b *testing.B, fn func(i int)) {
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		fn(i)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkSearch measures every kind of query against the key index and,
// in the same run, the plain LIKE '%…%' scan it replaces.
func BenchmarkSearch(b *testing.B) {
	s := benchService(b)
	qs := sample(b, s, 200)
	ctx := context.Background()
	kinds := []QueryKind{QueryName, QueryInitials, "mixed", QueryLatin, QueryPhone, QueryLast4, QueryEmail}
	for _, k := range kinds {
		b.Run("keys/"+string(k), func(b *testing.B) {
			reportLatency(b, func(i int) {
				q := qs[k][i%len(qs[k])]
				res, _, err := s.Search(ctx, q, 20)
				if err != nil || len(res) == 0 {
					b.Fatalf("%q: %d results, %v", q, len(res), err)
				}
			})
		})
	}
	for _, k := range []QueryKind{QueryName, QueryPhone} {
		b.Run("like-scan/"+string(k), func(b *testing.B) {
			reportLatency(b, func(i int) {
				q := qs[k][i%len(qs[k])]
				if k == QueryPhone {
					q = digitsOf(q)[1:] // LIKE on E.164 needs the digits without the leading 0
				}
				if _, err := s.LikeSearch(ctx, q, 20); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkCustomer360 measures what the first screen of the 360 reads:
// the profile and the first page of the timeline.
func BenchmarkCustomer360(b *testing.B) {
	s := benchService(b)
	var max int64
	s.DB.Read.QueryRow(`SELECT max(id) FROM customers`).Scan(&max)
	r := rand.New(rand.NewPCG(3, 3))
	ids := make([]int64, 500)
	for i := range ids {
		ids[i] = 1 + r.Int64N(max)
	}
	ctx := context.Background()
	reportLatency(b, func(i int) {
		id := ids[i%len(ids)]
		if _, err := s.Profile(ctx, id); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Timeline(ctx, id, nil, Cursor{}, 40); err != nil {
			b.Fatal(err)
		}
	})
}

// LikeSearch is the plain scan the key index replaces, the baseline the
// benchmarks measure against: it finds any part of a name or a phone by
// reading every row.
func (s *Service) LikeSearch(ctx context.Context, query string, limit int) ([]int64, error) {
	like := "%" + strings.NewReplacer("%", `\%`, "_", `\_`).Replace(strings.TrimSpace(query)) + "%"
	ids, err := IDs(ctx, s.DB.Read, `SELECT id FROM customers WHERE name LIKE ? ESCAPE '\'
		OR name_roman LIKE ? ESCAPE '\' OR id IN (SELECT customer_id FROM phones WHERE e164 LIKE ? ESCAPE '\')
		LIMIT ?`, like, like, like, limit)
	return ids, s.DB.Describe(err)
}
