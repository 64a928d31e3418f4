package tui

import (
	"github.com/dangol/dangol/tui/kit"

	tea "charm.land/bubbletea/v2"
)

// top is the overlay that has the keyboard, or nil.
func (a *App) top() kit.Overlay {
	if len(a.overlays) == 0 {
		return nil
	}
	return a.overlays[len(a.overlays)-1]
}

// push floats o over everything, sized for the screen.
func (a *App) push(o kit.Overlay, focus tea.Cmd) tea.Cmd {
	if k, ok := o.(kit.KeyedOverlay); ok {
		for _, open := range a.overlays {
			if same, ok := open.(kit.KeyedOverlay); ok && !open.Done() && same.OverlayKey() == k.OverlayKey() {
				return nil // already open (asked for twice: a key and an automatic opening)
			}
		}
	}
	a.overlays = append(a.overlays, o)
	a.sizeOverlay(o)
	return focus
}

func (a *App) sizeOverlay(o kit.Overlay) {
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
