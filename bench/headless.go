package bench

import (
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/tui"
	"github.com/dangol/dangol/tui/drive"
	"github.com/dangol/dangol/tui/kit"
)

// headless drives a console without a terminal and times what an agent
// feels: one keystroke, the Update it causes and the whole frame drawn
// after it. The console's commands (queries) run in line after each
// keystroke, outside the time measured, as a real program runs them off
// the keystroke's path; its timers never fire, so nothing moves under the
// measurement.
type headless struct {
	app   *tui.App
	agent string
}

// commandWait is how long one of the console's commands may take when
// measured: a query on a large file, never a timer.
const commandWait = 30 * time.Second

// stillClock is the real time without timers.
type stillClock struct{}

func (stillClock) Now() time.Time                       { return time.Now() }
func (stillClock) After(time.Duration, tea.Msg) tea.Cmd { return nil }

// openHeadless opens the console of c at w×h and waits for its first full
// frame: the queue, drafts and reminders loaded, the login list closed.
func openHeadless(c *kit.Common, w, h int) (*headless, error) {
	c.Clock = stillClock{}
	m := &headless{app: tui.NewApp(c), agent: c.Agent.Name}
	if err := m.deliver(tea.WindowSizeMsg{Width: w, Height: h}); err != nil {
		return nil, err
	}
	msgs, err := drive.Collect(m.app.Init(), drive.Console, commandWait)
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
	// esc closes the list of reminders missed while away, if it shows;
	// at the queue it does nothing.
	if err := m.deliver(drive.Key("esc")); err != nil {
		return nil, err
	}
	m.app.View()
	return m, nil
}

// Press presses key ("j", "enter", "esc", "ctrl+n") n times and returns how
// long each Update and View took.
func (m *headless) Press(key string, n int) ([]time.Duration, error) {
	msg := drive.Key(key)
	out := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		_, cmd := m.app.Update(msg)
		m.app.View()
		out = append(out, time.Since(start))
		msgs, err := drive.Collect(cmd, drive.Console, commandWait)
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
func (m *headless) Screen() string { return m.app.View().Content }

// Close tells the other consoles this agent has gone.
func (m *headless) Close() { m.app.Close() }

// deliver gives msg to the console and runs what follows from it.
func (m *headless) deliver(msg tea.Msg) error {
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 500 {
			return errors.New("the console's messages keep producing messages")
		}
		_, cmd := m.app.Update(queue[0])
		queue = queue[1:]
		more, err := drive.Collect(cmd, drive.Console, commandWait)
		if err != nil {
			return err
		}
		queue = append(queue, more...)
	}
	return nil
}

// String describes the measure's console, for errors.
func (m *headless) String() string { return fmt.Sprintf("console of %s", m.agent) }
