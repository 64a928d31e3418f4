package tui

import (
	"strings"
	"testing"

	"github.com/dangol/dangol/tui/desk"
	"github.com/dangol/dangol/tui/kit"
)

// TestEveryOverlayShowsItsKeys: the help line under a box says what its
// keys do. The choices (the actions menu, the reassign picker), the
// confirmations and the forms listed bindings without keys, which Bubbles
// leaves out, so the line under them was empty.
func TestEveryOverlayShowsItsKeys(t *testing.T) {
	c := newTestCommon(t, kit.English)
	for name, o := range map[string]kit.Overlay{
		"choice":  kit.NewChoice(c, "Move to:", []string{"one", "two"}, nil),
		"confirm": kit.NewConfirm(c, "Sure?", nil),
		"form":    desk.QuickActions(c)[4].Form(c, kit.ShownCustomer{}),
	} {
		for _, b := range o.Keys() {
			if !b.Enabled() {
				t.Errorf("%s: %q is not shown on the help line", name, b.Help().Key)
			}
		}
	}
	a := newApp(t, c, 80, 24)
	run(t, a, press("enter")) // a customer in the 360
	run(t, a, press("a"))
	lines := strings.Split(shown(a), "\n")
	if help := lines[len(lines)-1]; !strings.Contains(help, "1-9/enter") || !strings.Contains(help, "esc") {
		t.Errorf("the help line under the actions menu: %q", help)
	}
	run(t, a, press("esc"))

	// The wrap-up asking a time: the digits go into the time, enter keeps it.
	run(t, a, press("esc"))
	run(t, a, press("c"))
	run(t, a, press("w"))
	run(t, a, press("2"))
	if _, ok := open[*desk.WrapupPane](a); !ok {
		t.Fatalf("no wrap-up asking a time:\n%s", shown(a))
	}
	lines = strings.Split(shown(a), "\n")
	if help := lines[len(lines)-1]; !strings.Contains(help, "enter save") || strings.Contains(help, "1-9") {
		t.Errorf("the help line under the wrap-up's time: %q", help)
	}
}
