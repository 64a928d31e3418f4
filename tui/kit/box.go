package kit

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// DrawLines draws lines that are already exactly the box's inner width in
// a pane's border, w×h in all (a table's: measuring them again is what
// makes a keystroke slow).
func DrawLines(st Styles, lines []string, focused bool, w, h int) string {
	style, iw, ih := pane(st, focused, w, h)
	if iw <= 0 || ih <= 0 {
		return ""
	}
	if len(lines) > ih {
		lines = lines[:ih]
	}
	blank := strings.Repeat(" ", iw)
	for len(lines) < ih {
		lines = append(lines, blank)
	}
	border := style.GetBorderStyle()
	fg := lipgloss.NewStyle().Foreground(style.GetBorderTopForeground())
	pad := strings.Repeat(" ", style.GetPaddingLeft())
	padR := strings.Repeat(" ", style.GetPaddingRight())
	top := fg.Render(border.TopLeft + strings.Repeat(border.Top, iw+len(pad)+len(padR)) + border.TopRight)
	bottom := fg.Render(border.BottomLeft + strings.Repeat(border.Bottom, iw+len(pad)+len(padR)) + border.BottomRight)
	left, right := fg.Render(border.Left), fg.Render(border.Right)
	size := len(top) + len(bottom) + len(lines)*(1+len(left)+len(pad)+len(padR)+len(right)) + 1
	for _, l := range lines {
		size += len(l)
	}
	var b strings.Builder
	b.Grow(size) // one allocation a pane, not one a doubling
	b.WriteString(top)
	for _, l := range lines {
		for _, part := range [...]string{"\n", left, pad, l, padR, right} {
			b.WriteString(part)
		}
	}
	b.WriteString("\n")
	b.WriteString(bottom)
	return b.String()
}

// DrawBox draws content in a pane's border, w×h in all, cut and padded
// to the inner size.
func DrawBox(st Styles, content string, focused bool, w, h int) string {
	style, iw, ih := pane(st, focused, w, h)
	if iw <= 0 || ih <= 0 {
		return ""
	}
	lines := strings.Split(ClipLines(content, iw, ih), "\n")
	for len(lines) < ih {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = Fit(l, iw)
	}
	return style.Render(strings.Join(lines, "\n"))
}

// pane is the pane's style, focused or not, and the inner size of a pane
// w×h in all.
func pane(st Styles, focused bool, w, h int) (style lipgloss.Style, iw, ih int) {
	style = st.Pane
	if focused {
		style = st.PaneFocused
	}
	return style, w - style.GetHorizontalFrameSize(), h - style.GetVerticalFrameSize()
}
