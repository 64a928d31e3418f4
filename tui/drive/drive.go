// Package drive runs a Bubble Tea model without a terminal: a command's
// messages gathered (batches opened), a key's name turned into its key
// press. The console's tests and `dangol bench` drive the console with it.
package drive

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Console is the path of the console's packages: its own messages are
// declared in them (tui, tui/kit, tui/desk, tui/floor).
const Console = "github.com/dangol/dangol/tui"

// Collect runs cmd and the batches in it and returns the messages whose
// type is declared in the package own or under it (the model's own
// messages, see Console);
// terminal queries (background colour, clipboard, bell) need a real
// terminal and are dropped. A command that has not returned within
// timeout is an error: a model's commands are queries, never waits.
func Collect(cmd tea.Cmd, own string, timeout time.Duration) ([]tea.Msg, error) {
	if cmd == nil {
		return nil, nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(timeout):
		return nil, fmt.Errorf("a command of the console did not return within %s", timeout)
	}
	switch v := msg.(type) {
	case nil, tea.QuitMsg:
		return nil, nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range v {
			more, err := Collect(c, own, timeout)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		}
		return out, nil
	}
	if p := reflect.TypeOf(msg).PkgPath(); p != own && !strings.HasPrefix(p, own+"/") {
		return nil, nil
	}
	return []tea.Msg{msg}, nil
}

// Key is the key press a key's name means: "enter", "esc", "tab", "up",
// "down", "ctrl+s", or the text of one key ("j", "ㄱ").
func Key(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	}
	if len(s) > 5 && s[:5] == "ctrl+" {
		return tea.KeyPressMsg{Code: rune(s[5]), Mod: tea.ModCtrl}
	}
	r := []rune(s)
	return tea.KeyPressMsg{Code: r[0], Text: s}
}
