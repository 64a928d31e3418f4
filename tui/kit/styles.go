package kit

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles are every look of the console, built once per session from the
// background of that session's terminal (which, over SSH, is not the
// server's).
type Styles struct {
	Header, HeaderDim     lipgloss.Style
	Title, TitleFocused   lipgloss.Style
	Pane, PaneFocused     lipgloss.Style
	Selected              lipgloss.Style
	Overdue, Soon, Muted  lipgloss.Style
	Good, Warn, Bad       lipgloss.Style
	Name, Label, Section  lipgloss.Style
	Badge                 map[string]lipgloss.Style // by tier code
	BannerOK, BannerError lipgloss.Style
	Editor, EditorTitle   lipgloss.Style
	HelpBox               lipgloss.Style
	Toast                 lipgloss.Style
	Help                  help.Styles
	IsDark                bool
}

// NewStyles builds the styles for a light or dark background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	var (
		fg      = ld(lipgloss.Color("#1f2328"), lipgloss.Color("#e6edf3"))
		dim     = ld(lipgloss.Color("#6e7781"), lipgloss.Color("#8b949e"))
		accent  = ld(lipgloss.Color("#0550ae"), lipgloss.Color("#58a6ff"))
		border  = ld(lipgloss.Color("#d0d7de"), lipgloss.Color("#30363d"))
		red     = ld(lipgloss.Color("#cf222e"), lipgloss.Color("#ff7b72"))
		yellow  = ld(lipgloss.Color("#9a6700"), lipgloss.Color("#e3b341"))
		green   = ld(lipgloss.Color("#1a7f37"), lipgloss.Color("#3fb950"))
		selBg   = ld(lipgloss.Color("#ddf4ff"), lipgloss.Color("#1f3a5f"))
		headBg  = ld(lipgloss.Color("#eaeef2"), lipgloss.Color("#161b22"))
		silver  = ld(lipgloss.Color("#57606a"), lipgloss.Color("#c9d1d9"))
		gold    = ld(lipgloss.Color("#7d4e00"), lipgloss.Color("#f2cc60"))
		vip     = ld(lipgloss.Color("#8250df"), lipgloss.Color("#d2a8ff"))
		inverse = ld(lipgloss.Color("#ffffff"), lipgloss.Color("#0d1117"))
	)
	pane := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border).Padding(0, 1)
	badge := lipgloss.NewStyle().Padding(0, 1).Bold(true)
	s := Styles{
		Header:       lipgloss.NewStyle().Foreground(fg).Background(headBg).Bold(true),
		HeaderDim:    lipgloss.NewStyle().Foreground(dim).Background(headBg),
		Title:        lipgloss.NewStyle().Foreground(dim).Bold(true),
		TitleFocused: lipgloss.NewStyle().Foreground(accent).Bold(true),
		Pane:         pane,
		PaneFocused:  pane.BorderForeground(accent),
		Selected:     lipgloss.NewStyle().Background(selBg).Foreground(fg).Bold(true),
		Overdue:      lipgloss.NewStyle().Foreground(red).Bold(true),
		Soon:         lipgloss.NewStyle().Foreground(yellow).Bold(true),
		Muted:        lipgloss.NewStyle().Foreground(dim),
		Good:         lipgloss.NewStyle().Foreground(green),
		Warn:         lipgloss.NewStyle().Foreground(yellow),
		Bad:          lipgloss.NewStyle().Foreground(red).Bold(true),
		Name:         lipgloss.NewStyle().Foreground(fg).Bold(true),
		Label:        lipgloss.NewStyle().Foreground(dim),
		Section:      lipgloss.NewStyle().Foreground(accent).Bold(true),
		Badge: map[string]lipgloss.Style{
			"basic":  badge.Foreground(inverse).Background(dim),
			"silver": badge.Foreground(inverse).Background(silver),
			"gold":   badge.Foreground(inverse).Background(gold),
			"vip":    badge.Foreground(inverse).Background(vip),
		},
		BannerOK:    lipgloss.NewStyle().Foreground(green).Bold(true),
		BannerError: lipgloss.NewStyle().Foreground(inverse).Background(red).Bold(true),
		Editor:      lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		EditorTitle: lipgloss.NewStyle().Foreground(accent).Bold(true),
		HelpBox:     lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 2),
		Toast:       lipgloss.NewStyle().Border(lipgloss.ThickBorder()).BorderForeground(yellow).Padding(0, 1).Bold(true),
		Help:        help.DefaultStyles(isDark),
		IsDark:      isDark,
	}
	return s
}

// TierBadge renders a tier name in the tier's color.
func (s Styles) TierBadge(code, name string) string {
	st, ok := s.Badge[code]
	if !ok {
		st = s.Badge["basic"]
	}
	return st.Render(name)
}
