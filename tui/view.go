package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dangol/dangol/tui/kit"

	"github.com/charmbracelet/x/ansi"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// tabs reports whether the tab bar of screens is shown: only for those
// who have more than one screen.
func (a *App) tabs() bool { return len(a.defs) > 1 }

// bodyHeight is the space between the header (and tab bar) and the help
// line, with a line kept for the banner so the screen does not jump when
// one shows.
func (a *App) bodyHeight() int {
	if a.tabs() {
		return a.h - 4
	}
	return a.h - 3
}

// bodyTop is the screen line where the body starts.
func (a *App) bodyTop() int {
	if a.tabs() {
		return 2
	}
	return 1
}

// layout hands every built screen and overlay its size. It runs when the
// terminal's size changes; View only draws.
func (a *App) layout() {
	if a.w < minWidth || a.h < minHeight {
		return
	}
	a.help.SetWidth(a.w)
	for _, s := range a.screens {
		a.sizeScreen(s)
	}
	for _, o := range a.overlays {
		a.sizeOverlay(o)
	}
}

func (a *App) sizeScreen(s kit.Screen) {
	if a.w < minWidth || a.h < minHeight {
		return
	}
	s.SetSize(a.w, a.bodyHeight())
}

// View draws the whole screen. Bubble Tea asks for it after every
// message; after one that changes nothing on screen (see quiet) the last
// frame is given again.
func (a *App) View() tea.View {
	if !a.frameOK {
		a.frame, a.frameOK = a.draw(), true
	}
	return a.frame
}

func (a *App) draw() tea.View {
	v := tea.NewView("")
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion // clicks and the wheel; the keyboard stays first
	v.WindowTitle = "dangol — " + kit.Safe(a.c.Agent.DisplayName)
	if a.w == 0 {
		return v
	}
	t := a.c.Text
	if a.w < minWidth || a.h < minHeight {
		v.SetContent(kit.ClipLines(kit.Wrap(kit.Sprintf(t.TooSmall, a.w, a.h, minWidth, minHeight), a.w), a.w, a.h))
		return v
	}
	bodyH := a.bodyHeight()
	body := a.screen().View()
	switch {
	case a.locked:
		body = lipgloss.Place(a.w, bodyH, lipgloss.Center, lipgloss.Center,
			a.c.Styles.HelpBox.Width(min(a.w, 64)).Render(kit.Wrap(t.Deactivated, min(a.w, 64)-6)))
	case a.showHelp:
		body = a.helpView(bodyH)
	}
	banner := ""
	if a.banner.Text != "" {
		style := a.c.Styles.BannerOK
		if a.banner.Err {
			style = a.c.Styles.BannerError
		}
		banner = style.Render(kit.Fit(kit.Safe(a.banner.Text), a.w))
	}
	parts := []string{a.header()}
	if a.tabs() {
		parts = append(parts, a.tabBar())
	}
	parts = append(parts, body, banner, a.helpLine())
	screen := a.memo.ClipLines(strings.Join(parts, "\n"), a.w, a.h)
	v.SetContent(a.float(screen, bodyH))
	a.memo.FrameDone()
	if !a.showHelp && a.top() == nil && !a.reminders.Active() {
		if c := a.screen().Cursor(); c != nil {
			c.Y += a.bodyTop()
			v.Cursor = c
		}
	}
	return v
}

func (a *App) header() string {
	t, st := a.c.Text, a.c.Styles
	now := a.c.Now()
	q := a.work.Queue
	left := fmt.Sprintf(" dangol · %s (%s · %s)", kit.Safe(a.c.Agent.DisplayName), kit.Safe(a.c.Agent.Name), t.Role(string(a.c.Agent.Role)))
	// The calls held are said plainly: which one, or how many.
	switch held := q.Held(); len(held) {
	case 0:
	case 1:
		left += "  " + kit.Sprintf(t.OnCall, kit.Safe(held[0].CustomerName), held[0].ID)
	default:
		left += "  " + kit.Sprintf(t.OnCalls, len(held))
	}
	right := fmt.Sprintf("%s  %s ", kit.Sprintf(t.QueueCounts, kit.Thousands(int64(q.Total)), kit.Thousands(int64(q.Overdue))), now.Format("15:04 MST"))
	gap := a.w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return st.Header.Render(kit.Fit(left, a.w))
	}
	return st.Header.Render(left + strings.Repeat(" ", gap) + right)
}

// tabBar names the screens with the number that shows each, the one shown
// highlighted.
func (a *App) tabBar() string {
	st := a.c.Styles
	var parts []string
	for i, d := range a.defs {
		label := fmt.Sprintf(" %d %s ", i+1, d.title(a.c.Text))
		if d.id == a.active {
			parts = append(parts, st.Selected.Render(label))
		} else {
			parts = append(parts, st.Muted.Render(label))
		}
	}
	return kit.Fit(strings.Join(parts, ""), a.w)
}

// helpLine is the short help of whatever has the keyboard; it is always
// visible. It is drawn again only when the keys it lists, their state or
// the width change: a cursor move redraws the frame, not the help line
// (drawing it was a quarter of a frame's garbage).
func (a *App) helpLine() string {
	keys := a.shortHelp()
	var k strings.Builder
	k.WriteString(strconv.Itoa(a.w))
	for _, b := range keys {
		h := b.Help()
		state := "\x00-"
		if b.Enabled() {
			state = "\x00+"
		}
		k.WriteString(state)
		k.WriteString(h.Key)
		k.WriteByte(0)
		k.WriteString(h.Desc)
	}
	if k.String() != a.helpKey { // never "": it starts with the width
		a.helpKey, a.helpShown = k.String(), a.help.ShortHelpView(keys)
	}
	return a.helpShown
}

func (a *App) shortHelp() []key.Binding {
	g := a.keys
	switch {
	case a.top() != nil:
		return a.top().Keys()
	case a.missedShown():
		r := a.reminders.Keys
		return []key.Binding{r.Up, r.Down, r.Open, r.Close}
	}
	scr := a.screen()
	keys := scr.ShortHelp()
	if scr.Typing() {
		return keys
	}
	global := []key.Binding{g.Search, g.Help, g.Quit}
	if a.tabs() {
		global = append(global, g.Screen)
	}
	// The first few of the screen's keys, then the global ones, then the
	// rest: the help line cuts from the right when it is too long.
	n := min(3, len(keys))
	out := append([]key.Binding{}, keys[:n]...)
	out = append(out, global...)
	return append(out, keys[n:]...)
}

// helpView is the full key map, grouped by where the keys work.
func (a *App) helpView(h int) string {
	t, st := a.c.Text, a.c.Styles
	g, r := a.keys, a.reminders.Keys
	global := []key.Binding{g.Search, g.Help, g.Quit}
	if a.tabs() {
		global = append(global, g.Screen)
	}
	groups := []kit.HelpGroup{{Title: t.HelpGlobal, Keys: global}}
	groups = append(groups, a.screen().HelpGroups()...)
	groups = append(groups, kit.HelpGroup{Title: t.HelpReminders, Keys: []key.Binding{r.Open, r.Snooze, r.Dismiss}})
	// Groups fill as many columns as fit, each under the shortest column
	// so far; a column is as wide as its widest line (at most 30 cells, a
	// longer description is cut), so nothing runs into its neighbour and
	// the whole map fits 80×24.
	layout := func(n int) ([][]string, int) {
		cols := make([][]string, n)
		widest := min(30, max(20, (a.w-6)/n-2))
		for _, grp := range groups {
			shortest := 0
			for i := range cols {
				if len(cols[i]) < len(cols[shortest]) {
					shortest = i
				}
			}
			col := cols[shortest]
			if len(col) > 0 {
				col = append(col, "")
			}
			col = append(col, st.Section.Render(grp.Title))
			for _, b := range grp.Keys {
				col = append(col, ansi.Truncate(kit.Fit(b.Help().Key, 8)+" "+b.Help().Desc, widest, "…"))
			}
			cols[shortest] = col
		}
		total := 0
		for _, col := range cols {
			w := 0
			for _, l := range col {
				w = max(w, lipgloss.Width(l))
			}
			total += w + 2
		}
		return cols, total
	}
	cols, _ := layout(1)
	for n := min(len(groups), 5); n > 1; n-- {
		if c, total := layout(n); total <= a.w-6 {
			cols = c
			break
		}
	}
	rendered := make([]string, len(cols))
	for i, col := range cols {
		w := 0
		for _, l := range col {
			w = max(w, lipgloss.Width(l))
		}
		for j, l := range col {
			col[j] = kit.Fit(l, w+2)
		}
		rendered[i] = strings.Join(col, "\n")
	}
	rows := []string{lipgloss.JoinHorizontal(lipgloss.Top, rendered...)}
	box := st.HelpBox.Render(st.TitleFocused.Render(t.HelpTitle) + "\n\n" + strings.Join(rows, "\n\n"))
	return lipgloss.Place(a.w, h, lipgloss.Center, lipgloss.Center, kit.ClipLines(box, a.w, h))
}

// float draws what floats over the panes: the disposition picker, the
// login list of missed reminders, the snooze chooser, and the reminder
// toasts in the top right corner.
func (a *App) float(screen string, bodyH int) string {
	var layers []*lipgloss.Layer
	center := func(box string) {
		x := max(0, (a.w-lipgloss.Width(box))/2)
		y := a.bodyTop() + max(0, (bodyH-lipgloss.Height(box))/2)
		layers = append(layers, lipgloss.NewLayer(box).X(x).Y(y))
	}
	if toasts := a.reminders.ToastsView(min(a.w, 60)); toasts != "" && !a.showHelp {
		// bottom right, over the oldest notes rather than the customer's
		// name; above the editor when it is open, so its counter shows.
		bottom := bodyH
		if a.active == kit.ScreenWork && a.work.Note.Editing {
			bottom = a.work.NoteY - 1
		}
		y := max(a.bodyTop(), a.bodyTop()+bottom-lipgloss.Height(toasts))
		layers = append(layers, lipgloss.NewLayer(toasts).X(max(0, a.w-lipgloss.Width(toasts))).Y(y))
	}
	switch {
	case a.showHelp:
	case a.top() != nil:
		for _, o := range a.overlays {
			center(a.c.Styles.HelpBox.Width(o.BoxWidth(a.w)).Render(o.View()))
		}
	case a.reminders.Snooze != nil:
		center(a.reminders.Snooze.View(min(a.w, 50)))
	case a.missedShown():
		center(a.reminders.MissedView(min(a.w, 76), bodyH))
	}
	if len(layers) == 0 {
		return screen
	}
	lines := strings.Split(screen, "\n")
	for _, l := range layers {
		lines = spliceMemo(&a.memo.Splice, lines, l.GetContent(), l.GetX(), l.GetY(), a.w)
	}
	return strings.Join(lines, "\n")
}

// splice lays box over lines at column x, row y: each covered line keeps
// its cells left and right of the box. Cutting by cells keeps wide Korean
// characters and escape sequences whole; a wide character split by the
// box's edge becomes a space.
func splice(lines []string, box string, x, y, w int) []string {
	return spliceMemo(nil, lines, box, x, y, w)
}

// spliceMemo is splice with the lines of the last frame remembered (memo
// may be nil).
func spliceMemo(memo *kit.LineMemo[kit.SpliceKey], lines []string, box string, x, y, w int) []string {
	for i, bl := range strings.Split(box, "\n") {
		row := y + i
		if row < 0 || row >= len(lines) {
			continue
		}
		if memo != nil {
			lines[row] = memo.Get(kit.SpliceKey{Base: lines[row], Box: bl, X: x, W: w}, func() string { return spliceLine(lines[row], bl, x, w) })
		} else {
			lines[row] = spliceLine(lines[row], bl, x, w)
		}
	}
	return lines
}

// spliceLine lays one line of a box over base at column x.
func spliceLine(base, bl string, x, w int) string {
	bw := lipgloss.Width(bl)
	left := ansi.Cut(base, 0, x)
	if gap := x - lipgloss.Width(left); gap > 0 {
		left += strings.Repeat(" ", gap)
	}
	right := ""
	if x+bw < w {
		right = ansi.Cut(base, x+bw, w)
		// A wide character under the box's right edge comes back whole,
		// a cell too wide: the line would wrap and lose the pane's
		// border. A space stands for its visible half.
		if lipgloss.Width(right) > w-x-bw {
			right = " " + ansi.Cut(base, x+bw+1, w)
		}
	}
	line := left + "\x1b[m" + bl + "\x1b[m" + right
	// A wide character cut by the box's right edge leaves the line a
	// cell short: pad it so the pane's border stays in its column.
	if gap := w - lipgloss.Width(line); gap > 0 {
		line = left + "\x1b[m" + bl + "\x1b[m" + strings.Repeat(" ", gap) + right
	}
	return line
}

// missedShown reports whether the login list of missed reminders floats
// over the screen. It waits while a note is being typed (a draft restored
// at login): the note has the keyboard, and a list drawn over it would
// show keys that go elsewhere. It appears when the editor closes.
func (a *App) missedShown() bool {
	return a.reminders.Missed != nil && !a.screen().Typing()
}
