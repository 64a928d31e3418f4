package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// column is one column of a table: its header, its width in cells (flex:
// it takes what the others leave) and whether it lines up on the right.
type column struct {
	title string
	width int // for the flex column, the least it gets
	flex  bool
	right bool
	drop  int // when the table is too narrow, columns go in this order (1 first); 0: after those, from the right
}

// table draws rows in columns under a header and keeps a cursor. It asks
// for the cells of the visible rows only, so a table of 100,000 rows costs
// what a screenful costs; cells must already be safe to draw.
type table struct {
	cols   []column
	n      int
	cell   func(row, col int) string
	style  func(row int) (lipgloss.Style, bool) // a row's own look, if any
	marked func(row int) bool                   // multi-selection marks, if any
	cursor int
	offset int
	w, h   int
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
func (t *table) Invalidate() { t.cache = nil }

// SetSize gives the table w×h cells, the header included.
func (t *table) SetSize(w, h int) {
	if w != t.w {
		t.cache, t.drawn = nil, nil
	}
	t.w, t.h = w, h
	t.scroll()
}

// fitPane sizes the table to fill a pane of w×h with the pane's frame
// and lines of its own (a title, a filter line) above the rows.
func (t *table) fitPane(c *Common, w, h, lines int) {
	t.SetSize(w-c.Styles.Pane.GetHorizontalFrameSize(), h-c.Styles.Pane.GetVerticalFrameSize()-lines)
}

// SetRows says how many rows there are now, keeping the cursor in range.
func (t *table) SetRows(n int) {
	t.n = n
	t.cache = nil
	t.cursor = max(0, min(t.cursor, n-1))
	t.scroll()
}

// rows is how many data rows fit under the header.
func (t *table) rows() int { return max(0, t.h-1) }

// Move moves the cursor by d rows.
func (t *table) Move(d int) {
	t.cursor = max(0, min(t.n-1, t.cursor+d))
	t.scroll()
}

// Navigate moves the cursor for a list key (up, down, page, top,
// bottom) and reports whether msg was one.
func (t *table) Navigate(k listKeys, msg tea.KeyPressMsg) bool {
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
		t.Move(-t.n)
	case key.Matches(msg, k.Bottom):
		t.Move(t.n)
	default:
		return false
	}
	return true
}

// Page is how far a page key moves.
func (t *table) Page() int { return max(1, t.rows()-1) }

func (t *table) scroll() {
	rows := t.rows()
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if rows > 0 && t.cursor >= t.offset+rows {
		t.offset = t.cursor - rows + 1
	}
	t.offset = max(0, min(t.offset, t.n-rows))
}

// Position says where the cursor is: "37/1,204".
func (t *table) Position() string {
	if t.n == 0 {
		return "0/0"
	}
	return fmt.Sprintf("%s/%s", thousands(int64(t.cursor+1)), thousands(int64(t.n)))
}

// markWidth is the multi-selection mark column, when the table has one.
func (t *table) markWidth() int {
	if t.marked == nil {
		return 0
	}
	return 2
}

// widths are the columns' widths at the table's width: the flex column
// takes the rest (at least its own width); columns that do not fit are
// dropped in their drop order, then from the right.
func (t *table) widths() []int {
	ws := make([]int, len(t.cols))
	used := t.markWidth()
	flex := -1
	for i, c := range t.cols {
		if c.flex {
			flex = i
			used += c.width + 1
			continue
		}
		ws[i] = c.width
		used += c.width + 1
	}
	order := make([]int, 0, len(ws))
	for d := 1; d <= len(ws); d++ {
		for i, c := range t.cols {
			if c.drop == d && i != flex {
				order = append(order, i)
			}
		}
	}
	for i := len(ws) - 1; i >= 0; i-- {
		if t.cols[i].drop == 0 && i != flex {
			order = append(order, i)
		}
	}
	for _, i := range order {
		if used <= t.w {
			break
		}
		used -= ws[i] + 1
		ws[i] = 0
	}
	if flex >= 0 {
		ws[flex] = max(1, t.cols[flex].width+t.w-used)
	}
	return ws
}

// View draws the header and the visible rows, each exactly w cells.
func (t *table) View(st Styles) string {
	return strings.Join(t.Lines(st), "\n")
}

// Lines are View's lines.
func (t *table) Lines(st Styles) []string {
	if t.w <= 0 || t.h <= 0 {
		return nil
	}
	if t.cache == nil {
		t.cache = map[int]cachedRow{}
	}
	ws := t.widths()
	line := func(cell func(int) string) string {
		var b strings.Builder
		for i, c := range t.cols {
			if ws[i] == 0 {
				continue
			}
			if c.right {
				b.WriteString(fitLeft(cell(i), ws[i]))
			} else {
				b.WriteString(fit(cell(i), ws[i]))
			}
			b.WriteByte(' ')
		}
		return b.String()
	}
	pad := strings.Repeat(" ", t.markWidth())
	out := []string{st.Label.Render(fit(pad+line(func(i int) string { return t.cols[i].title }), t.w))}
	end := min(t.n, t.offset+t.rows())
	if t.drawn == nil || len(t.drawn) > 4*t.rows()+64 { // kept to a few screens
		t.drawn = map[string]string{}
	}
	cells := make([]string, len(t.cols))
	var key strings.Builder
	for r := t.offset; r < end; r++ {
		marked := t.marked != nil && t.marked(r)
		c, ok := t.cache[r]
		if !ok || c.marked != marked {
			mark := pad
			if marked {
				mark = "● "
			}
			key.Reset()
			key.WriteString(mark)
			for i := range t.cols {
				cells[i] = ""
				if ws[i] > 0 {
					cells[i] = t.cell(r, i)
				}
				key.WriteByte(0) // no cell holds it: cells are safe to draw
				key.WriteString(cells[i])
			}
			plain, seen := t.drawn[key.String()]
			if !seen {
				plain = fit(mark+line(func(i int) string { return cells[i] }), t.w)
				t.drawn[key.String()] = plain
			}
			c = cachedRow{plain: plain, marked: marked}
			c.styled = c.plain
			if t.style != nil {
				if s, ok := t.style(r); ok {
					c.styled = s.Render(c.plain)
				}
			}
			t.cache[r] = c
		}
		if r == t.cursor {
			out = append(out, st.Selected.Render(c.plain))
		} else {
			out = append(out, c.styled)
		}
	}
	return out
}
