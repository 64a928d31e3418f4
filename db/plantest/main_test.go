package plantest

import (
	"testing"

	"github.com/dangol/dangol/db/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
