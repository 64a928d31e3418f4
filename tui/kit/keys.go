package kit

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

// GlobalKeys work wherever no editor has the keyboard.
type GlobalKeys struct {
	Help, Quit, Search, Screen key.Binding
}

func NewGlobalKeys(t Text) GlobalKeys {
	return GlobalKeys{
		Help:   key.NewBinding(key.WithKeys("?"), key.WithHelp("?", t.KeyHelp)),
		Quit:   key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", t.KeyQuit)),
		Search: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", t.KeySearch)),
		Screen: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", t.KeyScreen)),
	}
}

// ListKeys move through a list or scroll a page. Move only shows the
// arrows in the short help line, where space is scarce.
type ListKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Move, Pages key.Binding
}

func NewListKeys(t Text) ListKeys {
	return ListKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", t.KeyUp)),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", t.KeyDown)),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", t.KeyPage)),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", "space"), key.WithHelp("pgdn", t.KeyPage)),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", t.KeyTop)),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", t.KeyBottom)),
		Move:     key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓/jk", t.KeyMove)),
		Pages:    key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/dn g/G", t.KeyPages)),
	}
}

// Scroll moves a viewport for a list key and reports whether msg was one.
func Scroll(vp *viewport.Model, k ListKeys, msg tea.KeyPressMsg) bool {
	switch {
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}

// callbackKeys act on a callback: the selected one in the queue, the one
// being worked in the customer 360.
type callbackKeys struct {
	Claim, Next, Wrapup, Release key.Binding
}

func newCallbackKeys(t Text) callbackKeys {
	return callbackKeys{
		Claim:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", t.KeyClaim)),
		Next:    key.NewBinding(key.WithKeys("N"), key.WithHelp("N", t.KeyNext)),
		Wrapup:  key.NewBinding(key.WithKeys("w"), key.WithHelp("w", t.KeyWrapup)),
		Release: key.NewBinding(key.WithKeys("u"), key.WithHelp("u", t.KeyRelease)),
	}
}

// QueueKeys act on the selected callback, or choose what the queue shows.
// The customer's own keys (a, d, y, t) open the customer and act there.
type QueueKeys struct {
	ListKeys
	callbackKeys
	Open, Note, View, Sort, Text, Actions, Dial, Copy, Filter key.Binding
}

func NewQueueKeys(t Text) QueueKeys {
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	return QueueKeys{
		ListKeys:     NewListKeys(t),
		callbackKeys: newCallbackKeys(t),
		Open:         key.NewBinding(key.WithKeys("enter", "l", "right"), key.WithHelp("enter", t.KeyOpen)),
		Note:         b("n", t.KeyNote),
		View:         b("f", t.KeyQueueView),
		Sort:         b("s", t.KeySort),
		Text:         b("F", t.KeyQueueText),
		Actions:      b("a", t.KeyActions),
		Dial:         b("d", t.KeyDial),
		Copy:         b("y", t.KeyCopy),
		Filter:       b("t", t.KeyFilter),
	}
}

// CustomerKeys act on the customer shown and the callback being worked.
type CustomerKeys struct {
	ListKeys
	callbackKeys
	Note, Actions, Filter, NextPhone, PrevPhone, Copy, Dial key.Binding
}

func NewCustomerKeys(t Text) CustomerKeys {
	return CustomerKeys{
		ListKeys:     NewListKeys(t),
		callbackKeys: newCallbackKeys(t),
		Note:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", t.KeyNote)),
		Actions:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", t.KeyActions)),
		Filter:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", t.KeyFilter)),
		NextPhone:    key.NewBinding(key.WithKeys("]"), key.WithHelp("[ ]", t.KeyNextPhone)),
		PrevPhone:    key.NewBinding(key.WithKeys("["), key.WithHelp("[", t.KeyNextPhone)),
		Copy:         key.NewBinding(key.WithKeys("y"), key.WithHelp("y", t.KeyCopy)),
		Dial:         key.NewBinding(key.WithKeys("d"), key.WithHelp("d", t.KeyDial)),
	}
}

// NoteKeys are the few keys the editor does not pass to the text.
type NoteKeys struct {
	Save, Close, Quit key.Binding
}

func NewNoteKeys(t Text) NoteKeys {
	return NoteKeys{
		Save:  key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", t.KeySave)),
		Close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyDiscard)),
		Quit:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", t.KeyQuit)),
	}
}
