package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// wide reports whether the queue and the customer fit side by side.
func (a *App) wide() bool { return a.w >= wideWidth }

// bodyHeight is the space between the header and the help line, with a
// line kept for the banner so the panes do not jump when one shows.
func (a *App) bodyHeight() int { return a.h - 3 }

// layout hands each pane its inner size (the box minus border and padding).
// It runs when the size, the focus, the editor or an overlay changes; View
// only draws.
func (a *App) layout() {
	if a.w < minWidth || a.h < minHeight {
		return
	}
	frameW, frameH := a.c.Styles.Pane.GetHorizontalFrameSize(), a.c.Styles.Pane.GetVerticalFrameSize()
	bodyH := a.bodyHeight()
	leftW, rightW := a.w, a.w
	if a.wide() {
		leftW = a.w / 2
		rightW = a.w - leftW
	}
	a.leftW = leftW
	a.queue.SetSize(leftW-frameW, bodyH-frameH)
	a.help.SetWidth(a.w)

	custH := bodyH
	if a.note.open {
		noteH := max(8, bodyH/2)
		if !a.wide() {
			noteH = max(8, bodyH*2/3)
		}
		noteH = min(noteH, bodyH)
		custH = bodyH - noteH
		a.note.SetSize(rightW-frameW, noteH-frameH)
		a.noteX = a.w - rightW + frameW/2
		a.noteY = 1 + custH + frameH/2
	}
	a.customer.SetSize(rightW-frameW, max(0, custH-frameH))
	if a.overlay != nil {
		box := a.c.Styles.HelpBox
		a.overlay.SetSize(a.overlay.BoxWidth(a.w)-box.GetHorizontalFrameSize(), bodyH-box.GetVerticalFrameSize())
	}
}

// View draws the whole screen.
func (a *App) View() tea.View {
	v := tea.NewView("")
	v.AltScreen = true
	v.WindowTitle = "dangol — " + safe(a.c.Agent.DisplayName)
	if a.w == 0 {
		return v
	}
	t := a.c.Text
	if a.w < minWidth || a.h < minHeight {
		v.SetContent(clipLines(wrap(fmt.Sprintf(t.TooSmall, a.w, a.h, minWidth, minHeight), a.w), a.w, a.h))
		return v
	}
	bodyH := a.bodyHeight()
	var body string
	switch {
	case a.showHelp:
		body = a.helpView(bodyH)
	case a.wide():
		body = lipgloss.JoinHorizontal(lipgloss.Top, a.box(a.queue, a.focus == focusQueue, a.leftW, bodyH),
			a.rightColumn(a.w-a.leftW, bodyH))
	case a.focus == focusQueue:
		body = a.box(a.queue, true, a.w, bodyH)
	default:
		body = a.rightColumn(a.w, bodyH)
	}
	banner := ""
	if a.banner.text != "" {
		style := a.c.Styles.BannerOK
		if a.banner.err {
			style = a.c.Styles.BannerError
		}
		banner = style.Render(fit(safe(a.banner.text), a.w))
	}
	screen := clipLines(strings.Join([]string{a.header(), body, banner, a.helpLine()}, "\n"), a.w, a.h)
	v.SetContent(a.float(screen, bodyH))
	if a.focus == focusNote && !a.showHelp && a.overlay == nil && !a.reminders.Active() {
		if c := a.note.Cursor(); c != nil {
			c.X += a.noteX
			c.Y += a.noteY
			v.Cursor = c
		}
	}
	return v
}

// rightColumn is the customer 360, with the editor under it when open.
func (a *App) rightColumn(w, h int) string {
	if !a.note.open {
		return a.box(a.customer, a.focus == focusCustomer, w, h)
	}
	noteH := a.note.h + a.c.Styles.Pane.GetVerticalFrameSize()
	top := a.box(a.customer, false, w, h-noteH)
	bottom := a.c.Styles.Editor.Width(w).Height(noteH).Render(a.note.View())
	if h-noteH <= 0 {
		return bottom
	}
	return top + "\n" + bottom
}

// box draws a pane in its border, highlighted when focused. The content
// is cut and padded to the inner size here, so the border style never has
// to wrap it (wrapping every line of every pane on every frame is what a
// Width on the style would do).
func (a *App) box(p pane, focused bool, w, h int) string {
	st := a.c.Styles.Pane
	if focused {
		st = a.c.Styles.PaneFocused
	}
	iw, ih := w-st.GetHorizontalFrameSize(), h-st.GetVerticalFrameSize()
	if iw <= 0 || ih <= 0 {
		return ""
	}
	lines := strings.Split(clipLines(p.View(), iw, ih), "\n")
	for len(lines) < ih {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fit(l, iw)
	}
	return st.Render(strings.Join(lines, "\n"))
}

func (a *App) header() string {
	t, st := a.c.Text, a.c.Styles
	now := a.c.Now()
	left := fmt.Sprintf(" dangol · %s (%s · %s)", safe(a.c.Agent.DisplayName), safe(a.c.Agent.Name), t.Role(string(a.c.Agent.Role)))
	right := fmt.Sprintf("%s  %s ", fmt.Sprintf(t.QueueCounts, a.queue.total, a.queue.overdue), now.Format("15:04"))
	gap := a.w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return st.Header.Render(fit(left, a.w))
	}
	return st.Header.Render(left + strings.Repeat(" ", gap) + right)
}

// helpLine is the short help of whatever has focus; it is always visible.
func (a *App) helpLine() string {
	return a.help.ShortHelpView(a.shortHelp())
}

func (a *App) shortHelp() []key.Binding {
	g := a.keys
	switch {
	case a.overlay != nil:
		return a.overlay.Keys()
	case a.reminders.missed != nil:
		r := a.reminders.keys
		return []key.Binding{r.Up, r.Down, r.Open, r.Close}
	}
	switch a.focus {
	case focusNote:
		k := a.note.keys
		return []key.Binding{k.Save, k.Close, k.Quit}
	case focusCustomer:
		k := a.customer.keys
		return []key.Binding{k.Note, k.Actions, k.Wrapup, g.Back, g.Help, g.Quit, k.Filter, k.Copy, k.Dial, k.Move, k.Claim, k.Next}
	}
	k := a.queue.keys
	return []key.Binding{k.Open, k.Note, k.Claim, g.Search, g.Help, g.Quit, k.Next, k.Move, k.Wrapup, k.Release, g.Pane}
}

// helpView is the full key map, grouped by where the keys work.
func (a *App) helpView(h int) string {
	t, st := a.c.Text, a.c.Styles
	g, q, c, n, r := a.keys, a.queue.keys, a.customer.keys, a.note.keys, a.reminders.keys
	groups := []struct {
		title string
		keys  []key.Binding
	}{
		{t.HelpGlobal, []key.Binding{g.Search, g.Pane, g.Back, g.Help, g.Quit}},
		{t.HelpQueue, []key.Binding{q.Up, q.Down, q.PageUp, q.PageDown, q.Top, q.Bottom, q.Open, q.Note,
			q.Claim, q.Next, q.Wrapup, q.Release}},
		{t.HelpCustomer, []key.Binding{c.Up, c.Down, c.PageUp, c.PageDown, c.Note, c.Actions, c.Wrapup, c.Filter,
			c.NextPhone, c.Copy, c.Dial}},
		{t.HelpNote, []key.Binding{n.Save, n.Close, n.Quit}},
		{t.HelpReminders, []key.Binding{r.Open, r.Snooze, r.Dismiss}},
	}
	var cols []string
	for _, grp := range groups {
		lines := []string{st.Section.Render(grp.title)}
		for _, b := range grp.keys {
			lines = append(lines, fit(b.Help().Key, 8)+" "+b.Help().Desc)
		}
		cols = append(cols, strings.Join(lines, "\n"))
	}
	for i := range cols {
		cols[i] = lipgloss.NewStyle().Width(24).Render(cols[i])
	}
	var content string
	if a.w >= 136 {
		content = lipgloss.JoinHorizontal(lipgloss.Top, cols...)
	} else {
		content = lipgloss.JoinHorizontal(lipgloss.Top, cols[0], cols[1], cols[2]) + "\n\n" +
			lipgloss.JoinHorizontal(lipgloss.Top, cols[3], cols[4])
	}
	box := st.HelpBox.Render(st.TitleFocused.Render(t.HelpTitle) + "\n\n" + content)
	return lipgloss.Place(a.w, h, lipgloss.Center, lipgloss.Center, clipLines(box, a.w, h))
}

// float draws what floats over the panes: the disposition picker, the
// login list of missed reminders, the snooze chooser, and the reminder
// toasts in the top right corner.
func (a *App) float(screen string, bodyH int) string {
	var layers []*lipgloss.Layer
	center := func(box string) {
		x := max(0, (a.w-lipgloss.Width(box))/2)
		y := 1 + max(0, (bodyH-lipgloss.Height(box))/2)
		layers = append(layers, lipgloss.NewLayer(box).X(x).Y(y))
	}
	if toasts := a.reminders.ToastsView(min(a.w, 60)); toasts != "" && !a.showHelp {
		// Bottom right, over the oldest notes rather than the customer's name.
		y := max(1, 1+bodyH-lipgloss.Height(toasts))
		layers = append(layers, lipgloss.NewLayer(toasts).X(max(0, a.w-lipgloss.Width(toasts))).Y(y))
	}
	switch {
	case a.showHelp:
	case a.overlay != nil:
		center(a.c.Styles.HelpBox.Width(a.overlay.BoxWidth(a.w)).Render(a.overlay.View()))
	case a.reminders.snooze != nil:
		center(a.reminders.snooze.View(min(a.w, 50)))
	case a.reminders.missed != nil:
		center(a.reminders.MissedView(min(a.w, 76), bodyH))
	}
	if len(layers) == 0 {
		return screen
	}
	lines := strings.Split(screen, "\n")
	for _, l := range layers {
		lines = splice(lines, l.GetContent(), l.GetX(), l.GetY(), a.w)
	}
	return strings.Join(lines, "\n")
}

// splice lays box over lines at column x, row y: each covered line keeps
// its cells left and right of the box. Cutting by cells keeps wide Korean
// characters and escape sequences whole; a wide character split by the
// box's edge becomes a space.
func splice(lines []string, box string, x, y, w int) []string {
	for i, bl := range strings.Split(box, "\n") {
		row := y + i
		if row < 0 || row >= len(lines) {
			continue
		}
		bw := lipgloss.Width(bl)
		base := lines[row]
		left := ansi.Cut(base, 0, x)
		if gap := x - lipgloss.Width(left); gap > 0 {
			left += strings.Repeat(" ", gap)
		}
		right := ""
		if x+bw < w {
			right = ansi.Cut(base, x+bw, w)
		}
		lines[row] = left + "\x1b[m" + bl + "\x1b[m" + right
	}
	return lines
}
