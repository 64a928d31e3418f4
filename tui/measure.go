package tui

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Measure drives a console without a terminal and times what an agent
// feels: one keystroke, the Update it causes and the whole frame drawn
// after it. `dangol bench` uses it on a large database. The console's
// commands (queries) run in line after each keystroke, outside the time
// measured, as a real program runs them off the keystroke's path; its
// timers never fire, so nothing moves under the measurement.
type Measure struct {
	app *App
}

// commandWait is how long one of the console's commands may take when
// measured: a query on a large file, never a timer.
const commandWait = 30 * time.Second

// stillClock is the real time without timers.
type stillClock struct{}

func (stillClock) Now() time.Time                       { return time.Now() }
func (stillClock) After(time.Duration, tea.Msg) tea.Cmd { return nil }

// NewMeasure opens the console of c at w×h and waits for its first full
// frame: the queue, drafts and reminders loaded, the login list closed.
func NewMeasure(c *Common, w, h int) (*Measure, error) {
	c.Clock = stillClock{}
	m := &Measure{app: NewApp(c)}
	if err := m.deliver(tea.WindowSizeMsg{Width: w, Height: h}); err != nil {
		return nil, err
	}
	msgs, err := collect(m.app.Init(), commandWait)
	if err != nil {
		return nil, err
	}
	for _, msg := range msgs {
		if err := m.deliver(msg); err != nil {
			return nil, err
		}
	}
	if !m.app.Ready() {
		return nil, errors.New("the console did not load its queue")
	}
	if m.app.reminders.missed != nil {
		if err := m.deliver(keyOf("esc")); err != nil {
			return nil, err
		}
	}
	m.app.View()
	return m, nil
}

// Press presses key ("j", "enter", "esc", "ctrl+n") n times and returns how
// long each Update and View took.
func (m *Measure) Press(key string, n int) ([]time.Duration, error) {
	msg := keyOf(key)
	out := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		_, cmd := m.app.Update(msg)
		m.app.View()
		out = append(out, time.Since(start))
		msgs, err := collect(cmd, commandWait)
		if err != nil {
			return out, err
		}
		for _, msg := range msgs {
			if err := m.deliver(msg); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// Screen is the console's frame as text.
func (m *Measure) Screen() string { return m.app.View().Content }

// Close tells the other consoles this agent has gone.
func (m *Measure) Close() { m.app.Close() }

// deliver gives msg to the console and runs what follows from it.
func (m *Measure) deliver(msg tea.Msg) error {
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 500 {
			return errors.New("the console's messages keep producing messages")
		}
		_, cmd := m.app.Update(queue[0])
		queue = queue[1:]
		more, err := collect(cmd, commandWait)
		if err != nil {
			return err
		}
		queue = append(queue, more...)
	}
	return nil
}

// collect runs a command and the batches in it, keeping the console's own
// messages; terminal queries (background colour, clipboard, bell) need a
// real terminal and are dropped.
func collect(cmd tea.Cmd, timeout time.Duration) ([]tea.Msg, error) {
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
			more, err := collect(c, timeout)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		}
		return out, nil
	}
	if reflect.TypeOf(msg).PkgPath() != reflect.TypeOf(tickMsg{}).PkgPath() {
		return nil, nil
	}
	return []tea.Msg{msg}, nil
}

// keyOf is the key press a key's name means.
func keyOf(s string) tea.KeyPressMsg {
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

// String describes the measure's console, for errors.
func (m *Measure) String() string {
	return fmt.Sprintf("console of %s", m.app.c.Agent.Name)
}
