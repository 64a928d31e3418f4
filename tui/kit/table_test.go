package kit

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestATableReloadLaysOutOnlyNewRows: rows are laid out once for what they
// show and kept across reloads, so a reload that changes nothing, or adds a
// row above the others, lays out only the new rows, and what is drawn is
// always what a table without any kept rows draws.
func TestATableReloadLaysOutOnlyNewRows(t *testing.T) {
	st := NewStyles(true)
	type item struct {
		id   int
		name string
	}
	data := []item{{1, "김민준"}, {2, "이서연"}, {3, "박도윤"}, {4, "최지우"}, {5, "정하늘"}}
	newTable := func(w int) *Table {
		tb := &Table{Cols: []Column{{Title: "#", Width: 3, Right: true}, {Title: "이름", Width: 8, Flex: true}},
			Cell: func(r, c int) string {
				if c == 0 {
					return fmt.Sprint(data[r].id)
				}
				return data[r].name
			}}
		tb.SetSize(w, 10)
		tb.SetRows(len(data))
		return tb
	}
	kept := newTable(30)
	check := func(when string, laidOut int) {
		t.Helper()
		before := len(kept.drawn)
		kept.SetRows(len(data)) // what a reload does
		got := kept.Lines(st)
		if want := newTable(kept.W).Lines(st); !slices.Equal(got, want) {
			t.Fatalf("%s: the table draws\n%q\nwithout kept rows\n%q", when, got, want)
		}
		for r, it := range data {
			if line := ansi.Strip(got[r+1]); !strings.Contains(line, fmt.Sprintf(" %d %s ", it.id, it.name)) {
				t.Fatalf("%s: row %d is drawn as %q, not %d %s", when, r, line, it.id, it.name)
			}
		}
		if n := len(kept.drawn) - before; n != laidOut {
			t.Errorf("%s: %d rows laid out, want %d", when, n, laidOut)
		}
	}
	check("the first drawing", len(data))
	check("a reload that changes nothing", 0)
	data[2].name = "박도윤 (바뀜)"
	check("one row changed", 1)
	data = append([]item{{6, "새 고객"}}, data...)
	check("a row added above", 1)
	check("the same again", 0)
	kept.SetSize(40, 10)
	check("a new width", len(data))
}
