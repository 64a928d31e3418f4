package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// overlay is a box that floats over the screen and has the keyboard until
// it is done: the disposition picker, the customer search, the action
// menu, forms and confirmations. Overlays stack: a menu opens a form over
// itself. An overlay never writes into another model: what it decides
// comes back as a message (actionPickedMsg, a form's command), which the
// root delivers to whoever asked.
type overlay interface {
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	Done() bool
	Keys() []key.Binding
	// BoxWidth is how wide the box wants to be on a screen w wide.
	BoxWidth(w int) int
}

// keyedOverlay is an overlay of which one is open at a time per key (the
// wrap-up of one callback).
type keyedOverlay interface {
	overlayKey() string
}

// runCmdMsg carries a command an overlay chose (a picker's pick), for the
// root to run.
type runCmdMsg struct{ cmd tea.Cmd }

// openOverlayMsg asks the root to float an overlay on top of the others;
// focus is the command that puts its cursor in place.
type openOverlayMsg struct {
	o     overlay
	focus tea.Cmd
}

func (m *wrapupPane) Done() bool         { return m.closed }
func (m *wrapupPane) BoxWidth(w int) int { return min(w, 64) }

func (m *searchPane) Done() bool         { return m.closed }
func (m *searchPane) BoxWidth(w int) int { return min(w, 96) }
func (m *searchPane) Keys() []key.Binding {
	k := m.keys
	return []key.Binding{k.Open, k.Up, k.Down, k.Close}
}

func (f *formPane) Done() bool         { return f.closed }
func (f *formPane) BoxWidth(w int) int { return min(w, 64) }
func (f *formPane) Keys() []key.Binding {
	return []key.Binding{hint("esc", f.c.Text.KeyCancel)}
}

// top is the overlay that has the keyboard, or nil.
func (a *App) top() overlay {
	if len(a.overlays) == 0 {
		return nil
	}
	return a.overlays[len(a.overlays)-1]
}

// push floats o over everything, sized for the screen.
func (a *App) push(o overlay, focus tea.Cmd) tea.Cmd {
	if k, ok := o.(keyedOverlay); ok {
		for _, open := range a.overlays {
			if same, ok := open.(keyedOverlay); ok && !open.Done() && same.overlayKey() == k.overlayKey() {
				return nil // already open (asked for twice: a key and an automatic opening)
			}
		}
	}
	a.overlays = append(a.overlays, o)
	a.sizeOverlay(o)
	return focus
}

func (a *App) sizeOverlay(o overlay) {
	box := a.c.Styles.HelpBox
	o.SetSize(o.BoxWidth(a.w)-box.GetHorizontalFrameSize(), a.bodyHeight()-box.GetVerticalFrameSize())
}

// toOverlays gives a key to the top overlay, and any other message to
// every overlay (each takes only its own replies), then drops the done.
func (a *App) toOverlays(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	if _, isKey := msg.(tea.KeyPressMsg); isKey {
		if o := a.top(); o != nil {
			cmds = append(cmds, o.Update(msg))
		}
	} else if _, isPaste := msg.(tea.PasteMsg); isPaste {
		if o := a.top(); o != nil {
			cmds = append(cmds, o.Update(msg))
		}
	} else {
		for _, o := range a.overlays {
			cmds = append(cmds, o.Update(msg))
		}
	}
	kept := a.overlays[:0]
	for _, o := range a.overlays {
		if !o.Done() {
			kept = append(kept, o)
		}
	}
	a.overlays = kept
	return tea.Batch(cmds...)
}

// hint is a binding for the help line only: the keys it names are handled
// elsewhere. A binding needs keys to be shown at all (Bubbles leaves one
// without out of the help line): the choices, confirmations and forms had
// an empty help line.
func hint(keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, desc))
}
