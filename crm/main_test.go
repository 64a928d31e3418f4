package crm

import (
	"database/sql"
	"errors"
	"testing"

	"github.com/dangol/dangol/db/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// indexDef is how the schema defines an index, "" when there is none.
func indexDef(t *testing.T, s *Service, name string) string {
	t.Helper()
	q := `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`
	if s.DB.Engine().Name() == "postgres" {
		q = `SELECT indexdef FROM pg_indexes WHERE indexname = ?`
	}
	var def string
	if err := s.DB.Read.QueryRow(q, name).Scan(&def); err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatal(err)
	}
	return def
}
