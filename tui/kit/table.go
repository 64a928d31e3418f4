package kit

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Column is one column of a table: its header, its width in cells (flex:
// it takes what the others leave) and whether it lines up on the right.
type Column struct {
	Title string
	Width int // for the flex column, the least it gets
	Flex  bool
	Right bool
	Drop  int // when the table is too narrow, columns go in this order (1 first); 0: after those, from the right
}

// Table draws rows in columns under a header and keeps a cursor. It asks
// for the cells of the visible rows only, so a table of 100,000 rows costs
// what a screenful costs; cells must already be safe to draw.
type Table struct {
	Cols   []Column
	N      int
	Cell   func(row, col int) string
	Style  func(row int) (lipgloss.Style, bool) // a row's own look, if any
	Marked func(row int) bool                   // multi-selection marks, if any
	Cursor int
	Offset int
	W, h   int
	// top is the line of its pane the header is on (FitPane), for the
	// mouse.
	top int
	// cache keeps drawn rows (without the cursor's highlight) until the
	// rows or the size change, so a cursor move redraws two rows' styles
	// and measures nothing.
	cache map[int]cachedRow
	// drawn keeps rows laid out, by what they show, across reloads and
	// until the width changes: a reload that changes nothing on screen, or
	// moves the rows down by one (a callback added above them), measures
	// only the rows that are new. Measuring was most of a reload's frame.
	drawn map[string]string
}

type cachedRow struct {
	plain, styled string
	marked        bool
}

// Invalidate drops the drawn rows: the data under them changed.
func (t *Table) Invalidate() { t.cache = nil }

// SetSize gives the table w×h cells, the header included.
func (t *Table) SetSize(w, h int) {
	if w != t.W {
		t.cache, t.drawn = nil, nil
	}
	t.W, t.h = w, h
	t.Scroll()
}

// FitPane sizes the table to fill a pane of w×h with the pane's frame
// and lines of its own (a title, a filter line) above the rows.
func (t *Table) FitPane(c *Common, w, h, lines int) {
	t.top = c.Styles.Pane.GetBorderTopSize() + c.Styles.Pane.GetPaddingTop() + lines
	t.SetSize(w-c.Styles.Pane.GetHorizontalFrameSize(), h-c.Styles.Pane.GetVerticalFrameSize()-lines)
}

// Click moves the cursor to the row at line y of the pane the table was
// fitted to (FitPane), and reports whether a row was there.
func (t *Table) Click(y int) bool {
	row := y - t.top - 1 + t.Offset
	if row < t.Offset || row >= t.N || row >= t.Offset+t.Rows() {
		return false
	}
	t.Cursor = row
	t.Scroll()
	return true
}

// Wheel moves the cursor a row up or down.
func (t *Table) Wheel(up bool) {
	if up {
		t.Move(-1)
	} else {
		t.Move(1)
	}
}

// SetRows says how many rows there are now, keeping the cursor in range.
func (t *Table) SetRows(n int) {
	t.N = n
	t.cache = nil
	t.Cursor = max(0, min(t.Cursor, n-1))
	t.Scroll()
}

// Rows is how many data rows fit under the header.
func (t *Table) Rows() int { return max(0, t.h-1) }

// Move moves the cursor by d rows.
func (t *Table) Move(d int) {
	t.Cursor = max(0, min(t.N-1, t.Cursor+d))
	t.Scroll()
}

// Navigate moves the cursor for a list key (up, down, page, top,
// bottom) and reports whether msg was one.
func (t *Table) Navigate(k ListKeys, msg tea.KeyPressMsg) bool {
	switch {
	case key.Matches(msg, k.Up):
		t.Move(-1)
	case key.Matches(msg, k.Down):
		t.Move(1)
	case key.Matches(msg, k.PageUp):
		t.Move(-t.Page())
	case key.Matches(msg, k.PageDown) && msg.String() != "space":
		t.Move(t.Page())
	case key.Matches(msg, k.Top):
		t.Move(-t.N)
	case key.Matches(msg, k.Bottom):
		t.Move(t.N)
	default:
		return false
	}
	return true
}

// Page is how far a page key moves.
func (t *Table) Page() int { return max(1, t.Rows()-1) }

func (t *Table) Scroll() {
	rows := t.Rows()
	if t.Cursor < t.Offset {
		t.Offset = t.Cursor
	}
	if rows > 0 && t.Cursor >= t.Offset+rows {
		t.Offset = t.Cursor - rows + 1
	}
	t.Offset = max(0, min(t.Offset, t.N-rows))
}

// Position says where the cursor is: "37/1,204".
func (t *Table) Position() string {
	if t.N == 0 {
		return "0/0"
	}
	return fmt.Sprintf("%s/%s", Thousands(int64(t.Cursor+1)), Thousands(int64(t.N)))
}

// markWidth is the multi-selection mark column, when the table has one.
func (t *Table) markWidth() int {
	if t.Marked == nil {
		return 0
	}
	return 2
}

// widths are the columns' widths at the table's width: the flex column
// takes the rest (at least its own width); columns that do not fit are
// dropped in their drop order, then from the right.
func (t *Table) widths() []int {
	ws := make([]int, len(t.Cols))
	used := t.markWidth()
	flex := -1
	for i, c := range t.Cols {
		if c.Flex {
			flex = i
			used += c.Width + 1
			continue
		}
		ws[i] = c.Width
		used += c.Width + 1
	}
	order := make([]int, 0, len(ws))
	for d := 1; d <= len(ws); d++ {
		for i, c := range t.Cols {
			if c.Drop == d && i != flex {
				order = append(order, i)
			}
		}
	}
	for i := len(ws) - 1; i >= 0; i-- {
		if t.Cols[i].Drop == 0 && i != flex {
			order = append(order, i)
		}
	}
	for _, i := range order {
		if used <= t.W {
			break
		}
		used -= ws[i] + 1
		ws[i] = 0
	}
	if flex >= 0 {
		ws[flex] = max(1, t.Cols[flex].Width+t.W-used)
	}
	return ws
}

// View draws the header and the visible rows, each exactly w cells.
func (t *Table) View(st Styles) string {
	return strings.Join(t.Lines(st), "\n")
}

// Lines are View's lines.
func (t *Table) Lines(st Styles) []string {
	if t.W <= 0 || t.h <= 0 {
		return nil
	}
	if t.cache == nil {
		t.cache = map[int]cachedRow{}
	}
	ws := t.widths()
	line := func(cell func(int) string) string {
		var b strings.Builder
		for i, c := range t.Cols {
			if ws[i] == 0 {
				continue
			}
			if c.Right {
				b.WriteString(FitLeft(cell(i), ws[i]))
			} else {
				b.WriteString(Fit(cell(i), ws[i]))
			}
			b.WriteByte(' ')
		}
		return b.String()
	}
	pad := strings.Repeat(" ", t.markWidth())
	out := []string{st.Label.Render(Fit(pad+line(func(i int) string { return t.Cols[i].Title }), t.W))}
	end := min(t.N, t.Offset+t.Rows())
	if t.drawn == nil || len(t.drawn) > 4*t.Rows()+64 { // kept to a few screens
		t.drawn = map[string]string{}
	}
	cells := make([]string, len(t.Cols))
	var key strings.Builder
	for r := t.Offset; r < end; r++ {
		marked := t.Marked != nil && t.Marked(r)
		c, ok := t.cache[r]
		if !ok || c.marked != marked {
			mark := pad
			if marked {
				mark = "● "
			}
			key.Reset()
			key.WriteString(mark)
			for i := range t.Cols {
				cells[i] = ""
				if ws[i] > 0 {
					cells[i] = t.Cell(r, i)
				}
				key.WriteByte(0) // no cell holds it: cells are safe to draw
				key.WriteString(cells[i])
			}
			plain, seen := t.drawn[key.String()]
			if !seen {
				plain = Fit(mark+line(func(i int) string { return cells[i] }), t.W)
				t.drawn[key.String()] = plain
			}
			c = cachedRow{plain: plain, marked: marked}
			c.styled = c.plain
			if t.Style != nil {
				if s, ok := t.Style(r); ok {
					c.styled = s.Render(c.plain)
				}
			}
			t.cache[r] = c
		}
		if r == t.Cursor {
			out = append(out, st.Selected.Render(c.plain))
		} else {
			out = append(out, c.styled)
		}
	}
	return out
}
