package kit

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Overlay is a box that floats over the screen and has the keyboard until
// it is done: the disposition picker, the customer search, the action
// menu, forms and confirmations. Overlays stack: a menu opens a form over
// itself. An overlay never writes into another model: what it decides
// comes back as a message (actionPickedMsg, a form's command), which the
// root delivers to whoever asked.
type Overlay interface {
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	Done() bool
	Keys() []key.Binding
	// BoxWidth is how wide the box wants to be on a screen w wide.
	BoxWidth(w int) int
}

// KeyedOverlay is an overlay of which one is open at a time per key (the
// wrap-up of one callback).
type KeyedOverlay interface {
	OverlayKey() string
}

// RunCmdMsg carries a command an overlay chose (a picker's pick), for the
// root to run.
type RunCmdMsg struct{ Cmd tea.Cmd }

// OpenOverlayMsg asks the root to float an overlay on top of the others;
// focus is the command that puts its cursor in place.
type OpenOverlayMsg struct {
	Overlay Overlay
	Focus   tea.Cmd
}

// Hint is a binding for the help line only: the keys it names are handled
// elsewhere. A binding needs keys to be shown at all (Bubbles leaves one
// without out of the help line): the choices, confirmations and forms had
// an empty help line.
func Hint(keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, desc))
}
