package queue

import (
	"testing"

	"github.com/dangol/dangol/db/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// sqliteOnly skips a test that makes its fault with SQLite's own means.
func sqliteOnly(t *testing.T, why string) {
	t.Helper()
	if pgtest.Engine() != "sqlite" {
		t.Skip(why)
	}
}
