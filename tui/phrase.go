package tui

import (
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// phraseInput reads a scheduling phrase ("15m", "내일 오후 3시", "tomorrow
// 3pm") and shows, as the agent types, the time it means or why it means
// nothing. Times are read in the customer's zone.
type phraseInput struct {
	c     *Common
	ti    textinput.Model
	tz    string // the customer's zone
	value string // what was parsed last
	at    time.Time
	err   error
}

func newPhraseInput(c *Common, tz, initial string) *phraseInput {
	ti := textinput.New()
	ti.Placeholder = c.Text.PhrasePlaceholder
	ti.Prompt = "› "
	ti.CharLimit = 60
	styles := textinput.DefaultStyles(c.Styles.IsDark)
	styles.Cursor.Blink = false // a steady cursor: nothing redraws while the agent thinks
	ti.SetStyles(styles)
	ti.SetValue(initial)
	ti.CursorEnd()
	p := &phraseInput{c: c, ti: ti, tz: tz}
	p.parse()
	return p
}

func (p *phraseInput) Focus() tea.Cmd { return p.ti.Focus() }

func (p *phraseInput) SetWidth(w int) { p.ti.SetWidth(max(10, w-4)) }

// Update passes keys to the text and re-reads the phrase when it changes.
func (p *phraseInput) Update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.ti, cmd = p.ti.Update(msg)
	if p.ti.Value() != p.value {
		p.parse()
	}
	return cmd
}

func (p *phraseInput) parse() {
	p.value = p.ti.Value()
	if p.value == "" {
		p.at, p.err = time.Time{}, nil
		return
	}
	p.at, p.err = queue.ParseDue(p.value, p.c.Now(), db.Zone(p.tz))
}

// Time is the phrase's meaning, or why it has none.
func (p *phraseInput) Time() (time.Time, error) {
	if p.value == "" {
		_, err := queue.ParseDue("", p.c.Now(), db.Zone(p.tz))
		return time.Time{}, err
	}
	return p.at, p.err
}

// View is the input line and, under it, what it means.
func (p *phraseInput) View() string {
	t, st := p.c.Text, p.c.Styles
	line := p.ti.View()
	switch {
	case p.value == "":
		return line + "\n" + st.Muted.Render(t.PhraseHint)
	case p.err != nil:
		return line + "\n" + st.Bad.Render(p.err.Error())
	}
	return line + "\n" + st.Good.Render("→ "+t.When(p.at, p.c.Now(), db.Zone(p.tz)))
}
