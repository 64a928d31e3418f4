package kit

import (
	"errors"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/due"
	"github.com/dangol/dangol/queue"
)

// PhraseInput reads a scheduling phrase ("15m", "내일 오후 3시", "tomorrow
// 3pm") and shows, as the agent types, the time it means or why it means
// nothing. Times are read in the customer's zone. A default phrase is a
// placeholder, not text: typing replaces it, and an empty field means it.
// When the time falls outside the customer's calling hours for the kind of
// call, it says so and ctrl+o puts the next opening in its place.
type PhraseInput struct {
	c     *Common
	ti    textinput.Model
	tz    string // the customer's zone
	def   string // the phrase an empty field means
	win   *queue.Window
	value string // what was parsed last
	read  due.Reading
	err   error
	opens time.Time // when the window opens next, when the time is outside it
	best  crm.BestTime
	w     int
}

// PhraseOpening is the key that takes the next opening of the calling
// hours instead of a time outside them.
const PhraseOpening = "ctrl+o"

// PhraseBest is the key that takes the next slot of the customer's best
// time to call; typing one of bestPhrases does the same.
const PhraseBest = "ctrl+b"

// bestPhrases are the words that mean the next best slot.
var bestPhrases = []string{"best time", "통화 잘 되는 시간", "통화 적기", "잘 받는 시간"}

// SetBest gives the input the customer's best time to call: when it is
// sure, PhraseBest and the best-time phrases take its next slot.
func (p *PhraseInput) SetBest(b crm.BestTime) { p.best = b }

// NextBestSlot is the next moment after now, within the next week, inside
// the best time's band of the customer's day (loc), on one of their best
// days when those are known, and inside the calling window (win, when
// given), with at least 15 minutes of the band left; zero when there is
// none.
func NextBestSlot(now time.Time, loc *time.Location, b crm.BestTime, win *queue.Window) time.Time {
	if !b.Known() {
		return time.Time{}
	}
	// Days without a band: any hour of the calling day, from its start.
	from, to := crm.FirstBand, crm.FirstBand+crm.Bands*crm.BandHours
	if b.Confident() {
		from, to = b.From(), b.To()
	}
	local := now.In(loc)
	for d := range 8 {
		day := time.Date(local.Year(), local.Month(), local.Day()+d, 0, 0, 0, 0, loc)
		if b.Days.Confident() && !b.Days.Holds(day.Weekday()) {
			continue
		}
		start := day.Add(time.Duration(from) * time.Hour)
		end := day.Add(time.Duration(to) * time.Hour)
		if start.Before(now) {
			start = now.Truncate(5 * time.Minute).Add(5 * time.Minute)
		}
		if win != nil {
			if open, opens := win.Open(start, loc); !open {
				start = opens
			}
		}
		if start.Add(15 * time.Minute).After(end) {
			continue
		}
		return start
	}
	return time.Time{}
}

// bestSlot fills the field with the next best slot, or says why not.
func (p *PhraseInput) bestSlot() {
	if !p.best.Known() {
		p.value, p.read, p.err = p.ti.Value(), due.Reading{}, errors.New(p.c.Text.NoBestTime)
		return
	}
	slot := NextBestSlot(p.c.Now(), db.Zone(p.tz), p.best, p.win)
	if slot.IsZero() {
		p.value, p.read, p.err = p.ti.Value(), due.Reading{}, errors.New(p.c.Text.NoBestTime)
		return
	}
	p.ti.SetValue(slot.In(db.Zone(p.tz)).Format("2006-01-02 15:04"))
	p.ti.CursorEnd()
	p.parse()
}

func NewPhraseInput(c *Common, tz, def string, win *queue.Window) *PhraseInput {
	ti := textinput.New()
	ti.Placeholder = c.Text.PhrasePlaceholder
	if def != "" {
		ti.Placeholder = def
	}
	ti.Prompt = "› "
	ti.CharLimit = 60
	styles := textinput.DefaultStyles(c.Styles.IsDark)
	styles.Cursor.Blink = false // a steady cursor: nothing redraws while the agent thinks
	ti.SetStyles(styles)
	p := &PhraseInput{c: c, ti: ti, tz: tz, def: def, win: win}
	p.parse()
	return p
}

func (p *PhraseInput) Focus() tea.Cmd { return p.ti.Focus() }

func (p *PhraseInput) Blur() { p.ti.Blur() }

func (p *PhraseInput) SetWidth(w int) {
	p.w = w
	p.ti.SetWidth(max(10, w-4))
}

// Phrase is what the field means: what was typed, or the default.
func (p *PhraseInput) Phrase() string {
	if p.ti.Value() == "" {
		return p.def
	}
	return p.ti.Value()
}

// Update passes keys to the text and re-reads the phrase when it changes;
// ctrl+o takes the next opening of the calling hours.
func (p *PhraseInput) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == PhraseBest {
		p.bestSlot()
		return nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == PhraseOpening && !p.opens.IsZero() {
		p.ti.SetValue(p.opens.In(db.Zone(p.tz)).Format("2006-01-02 15:04"))
		p.ti.CursorEnd()
		p.parse()
		return nil
	}
	var cmd tea.Cmd
	p.ti, cmd = p.ti.Update(msg)
	if p.Phrase() != p.value {
		p.parse()
	}
	return cmd
}

func (p *PhraseInput) parse() {
	p.value = p.Phrase()
	p.opens = time.Time{}
	if slices.Contains(bestPhrases, strings.ToLower(strings.TrimSpace(p.value))) {
		p.bestSlot()
		return
	}
	if p.value == "" {
		p.read, p.err = due.Reading{}, nil
		return
	}
	p.read, p.err = p.c.Queue.Policy().ReadDue(p.value, p.c.Now(), db.Zone(p.tz))
	if p.err == nil && p.win != nil {
		if open, opens := p.win.Open(p.read.At, db.Zone(p.tz)); !open {
			p.opens = opens
		}
	}
}

// Time is the phrase's meaning, or why it has none.
func (p *PhraseInput) Time() (time.Time, error) {
	if p.value == "" {
		_, err := p.c.Queue.Policy().ReadDue("", p.c.Now(), db.Zone(p.tz))
		return time.Time{}, err
	}
	return p.read.At, p.err
}

// View is the input line and, under it, what it means, and a warning when
// that is outside the customer's calling hours.
func (p *PhraseInput) View() string {
	t, st := p.c.Text, p.c.Styles
	line := InputView(p.ti)
	switch {
	case p.err != nil: // an empty field has none, unless the best time was asked for
		return line + "\n" + st.Bad.Render(Wrap(Safe(t.Refusal(p.err, p.c.Now())), max(10, p.w)))
	case p.value == "":
		return line + "\n" + st.Muted.Render(t.PhraseHint)
	}
	out := line + "\n" + st.Good.Render(Wrap("→ "+t.Preview(p.read, p.c.Site(), db.Zone(p.tz)), max(10, p.w)))
	if p.best.Known() {
		out += "\n" + st.Muted.Render(Wrap(Sprintf(t.BestTimeKey, PhraseBest, t.BestSlot(p.best)), max(10, p.w)))
	}
	if !p.opens.IsZero() {
		out += "\n" + st.Warn.Render(Wrap(Sprintf(t.OutsideHours, ClockText(p.win.StartMin), ClockText(p.win.EndMin),
			PhraseOpening, t.When(p.opens, p.c.Now().In(p.c.Site()), db.Zone(p.tz))), max(10, p.w)))
	}
	return out
}
