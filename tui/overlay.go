package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// overlay is a box that floats over the panes and has the keyboard until
// it is done: the disposition picker, the customer search, the quick-action
// menu and its forms. One is open at a time; the app routes keys and the
// replies of its commands to it.
type overlay interface {
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	Done() bool
	Keys() []key.Binding
	// BoxWidth is how wide the box wants to be on a screen w wide.
	BoxWidth(w int) int
}

func (m *wrapupPane) Done() bool         { return m.closed }
func (m *wrapupPane) BoxWidth(w int) int { return min(w, 64) }

func (m *searchPane) Done() bool         { return m.closed }
func (m *searchPane) BoxWidth(w int) int { return min(w, 84) }
func (m *searchPane) Keys() []key.Binding {
	k := m.keys
	return []key.Binding{k.Open, k.Up, k.Down, k.Close}
}

func (f *formPane) Done() bool         { return f.closed }
func (f *formPane) BoxWidth(w int) int { return min(w, 64) }
func (f *formPane) Keys() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithHelp("esc", f.c.Text.KeyCancel))}
}

func (m *menuPane) Done() bool         { return m.closed }
func (m *menuPane) BoxWidth(w int) int { return min(w, 44) }
func (m *menuPane) SetSize(w, h int)   { m.w = w }
func (m *menuPane) Keys() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithHelp("esc", m.c.Text.KeyCancel))}
}

// openOverlay opens o, sized for the screen, and focuses it.
func (a *App) openOverlay(o overlay, focus tea.Cmd) tea.Cmd {
	a.overlay = o
	a.layout()
	return focus
}

// overlayUpdate gives a message to the open overlay and closes it when done.
func (a *App) overlayUpdate(msg tea.Msg) tea.Cmd {
	if a.overlay == nil {
		return nil
	}
	cmd := a.overlay.Update(msg)
	if a.overlay != nil && a.overlay.Done() {
		a.overlay = nil
	}
	return cmd
}
