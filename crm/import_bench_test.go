package crm

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dangol/dangol/db"
)

// BenchmarkImport brings b.N new customers in, in batches of
// importBenchBatch, and settles their search keys at the end, as `dangol
// import customers` does:
//
//	go test ./crm -run X -bench Import -benchtime 20000x
func BenchmarkImport(b *testing.B) {
	s := newDemo(b, 100)
	ctx := context.Background()
	rows := make([]ImportRow, b.N)
	for i := range rows {
		name := string([]rune("김이박최정강조윤장임")[i%10]) + []string{"민준", "서연", "하준", "지우", "도윤", "서윤", "예준"}[i%7]
		rows[i] = ImportRow{Line: i + 2, ExternalID: fmt.Sprintf("K%d", i), Name: name,
			Phones: []string{fmt.Sprintf("010-%04d-%04d", 5000+i/10000, i%10000)}, Emails: []string{fmt.Sprintf("c%d@example.com", i)},
			Birthday: "1980-01-02", Attrs: [][2]string{{"등급", "실버"}}}
	}
	b.ResetTimer()
	for start := 0; start < len(rows); start += importBenchBatch {
		batch := rows[start:min(start+importBenchBatch, len(rows))]
		err := s.DB.Tx(ctx, func(tx *db.Tx) error {
			_, err := s.ImportPlanned(ctx, tx, System, PrepareImport(batch, "KR", time.Now()), time.Now())
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if _, err := s.SettleSearchKeys(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

var importBenchBatch = 5000
