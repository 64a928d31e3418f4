package tui

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// timelinePage is how many events the 360 reads at a time; more are read as
// the agent scrolls to the end.
const timelinePage = 40

// customerPane is the customer 360: a header that always stays (who, tier,
// segment, value, risk, consent, local time, who else is on them) over a
// scrolling body (numbers, loyalty, complaints against their SLA, and the
// timeline of everything that happened, filtered by kind).
type customerPane struct {
	c          *Common
	keys       customerKeys
	id         int64 // customer shown or being loaded; 0 for none
	callbackID int64 // the callback being worked, if the customer came from the queue
	profile    *shownCustomer
	err        error
	reqID      int
	vp         viewport.Model
	w, h       int
	focused    bool

	timeline []crm.TimelineItem
	filter   int  // index into timelineFilters
	tlDone   bool // the last page was read
	tlBusy   bool
	tlReq    int
	phone    int // the selected number
	present  []string
	ticks    int
	// touching: a presence write is on its way; touchAgain: the agent
	// moved on meanwhile, so the customer shown then is written when it
	// lands. One write at a time per console: a cursor run down the queue
	// must not queue a write per row behind the floor's claims.
	touching, touchAgain bool
	head                 string           // the header as render last drew it
	pending              *tea.KeyPressMsg // a key pressed in the queue, done once the 360 is here
	rendered             int              // counts render calls, so View knows when its last frame still holds
	shown                viewKey          // what the last View was drawn from
	frame                string           // the last View
}

// viewKey is what a customer pane's frame depends on.
type viewKey struct {
	rendered, offset, w, h int
	id                     int64
	focused, loaded, dark  bool
	err                    string
}

// presenceEvery is how many ticks pass between presence refreshes; with
// crm.PresenceTTL it decides how long a closed console still shows.
const presenceEvery = 4

// timelineFilters are the choices of the timeline filter: everything, or
// one kind.
var timelineFilters = append([]crm.TimelineKind{""}, crm.TimelineKinds...)

// timelineLoadedMsg carries a page of the timeline.
type timelineLoadedMsg struct {
	reqID int
	items []crm.TimelineItem
	more  bool // appended to what is shown
	limit int  // how many were asked for
	err   error
}

// presenceMsg names the other agents on the customer shown; touched: it
// answers this console's own presence write (see touch).
type presenceMsg struct {
	customerID int64
	names      []string
	touched    bool
}

// dialedMsg says how the dial command ended.
type dialedMsg struct {
	number string
	err    error
}

func newCustomerPane(c *Common) *customerPane {
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{} // keys come from customerKeys
	return &customerPane{c: c, keys: newCustomerKeys(c.Text), vp: vp}
}

// Open shows a customer and loads their 360.
func (m *customerPane) Open(id, callbackID int64) tea.Cmd { return m.OpenRead(id, callbackID, nil) }

// OpenRead is Open with the 360 already read (pre), as a claim reads its
// customer in the same command: drawn at once, nothing read twice.
func (m *customerPane) OpenRead(id, callbackID int64, pre *profileLoadedMsg) tea.Cmd {
	if id != m.id {
		m.profile, m.err, m.timeline, m.present, m.phone = nil, nil, nil, nil, 0
		m.vp.GotoTop()
	}
	m.id, m.callbackID = id, callbackID
	if pre != nil {
		m.reqID++
		msg := *pre
		msg.reqID = m.reqID
		return tea.Batch(m.Update(msg), m.touch())
	}
	return tea.Batch(m.reload(), m.touch())
}

// reload fetches the shown customer's 360 again (after a note, say).
func (m *customerPane) reload() tea.Cmd {
	if m.id == 0 {
		return nil
	}
	m.reqID++
	req, id, svc, q, ctx, me := m.reqID, m.id, m.c.CRM, m.c.Queue, m.c.Ctx, m.c.Agent
	return func() tea.Msg {
		msg := read360(ctx, svc, q, id, me)
		msg.reqID = req
		return msg
	}
}

// read360 reads a customer's 360: the profile, their open callbacks and
// who else is on them.
func read360(ctx context.Context, svc *crm.Service, q *queue.Service, id int64, me crm.Agent) profileLoadedMsg {
	p, err := svc.Profile(ctx, id)
	if err != nil {
		return profileLoadedMsg{err: err}
	}
	open, err := q.OpenFor(ctx, id)
	if err != nil {
		return profileLoadedMsg{err: err}
	}
	// Who else is on the customer is read with every reload, so a
	// console that opens them shows here at once (its presence write
	// is what made this console reload).
	present, err := svc.Present(ctx, id, me)
	return profileLoadedMsg{profile: shownCustomer{Profile: p, Open: open}, present: present, err: err}
}

// loadTimeline reads the timeline from the newest event: a first page
// for a customer just opened (or a new filter), or as many events as are
// shown when the 360 is reloaded, so the agent keeps their place.
func (m *customerPane) loadTimeline(keep bool) tea.Cmd {
	limit := timelinePage
	if keep {
		limit = max(limit, len(m.timeline))
	}
	return m.readTimeline(crm.Cursor{}, limit, false)
}

// moreTimeline reads the next page after the last event shown.
func (m *customerPane) moreTimeline() tea.Cmd {
	if m.tlDone || m.tlBusy || len(m.timeline) == 0 {
		return nil
	}
	return m.readTimeline(m.timeline[len(m.timeline)-1].Next(), timelinePage, true)
}

func (m *customerPane) readTimeline(after crm.Cursor, limit int, more bool) tea.Cmd {
	if m.id == 0 {
		return nil
	}
	m.tlReq++
	m.tlBusy = true
	req, id, svc, ctx := m.tlReq, m.id, m.c.CRM, m.c.Ctx
	var kinds []crm.TimelineKind
	if k := timelineFilters[m.filter]; k != "" {
		kinds = []crm.TimelineKind{k}
	}
	return func() tea.Msg {
		items, err := svc.Timeline(ctx, id, kinds, after, limit)
		return timelineLoadedMsg{reqID: req, items: items, more: more, limit: limit, err: err}
	}
}

// touch tells the others this agent has the customer open, and asks who
// else is on them.
func (m *customerPane) touch() tea.Cmd {
	if m.id == 0 {
		return nil
	}
	if m.touching {
		m.touchAgain = true
		return nil
	}
	m.touching = true
	svc, ctx, agent, id := m.c.CRM, db.Background(m.c.Ctx), m.c.Agent, m.id
	return func() tea.Msg {
		svc.Touch(ctx, agent, id)
		names, _ := svc.Present(ctx, id, agent)
		return presenceMsg{customerID: id, names: names, touched: true}
	}
}

// readPresence asks again who else is on the customer shown, writing
// nothing: another console opened or left a customer.
func (m *customerPane) readPresence() tea.Cmd {
	if m.id == 0 {
		return nil
	}
	svc, ctx, agent, id := m.c.CRM, m.c.Ctx, m.c.Agent, m.id
	return func() tea.Msg {
		names, err := svc.Present(ctx, id, agent)
		if err != nil {
			return nil // the next reading says it; presence is a hint
		}
		return presenceMsg{customerID: id, names: names}
	}
}

// Name is the shown customer's name, once loaded.
func (m *customerPane) Name() string {
	if m.profile == nil {
		return ""
	}
	return m.profile.Name
}

// SetSize gives the pane its inner size; the 360 is laid out again only
// when the size changed.
func (m *customerPane) SetSize(w, h int) {
	if w == m.w && h == m.h {
		return
	}
	m.w, m.h = w, h
	m.vp.SetWidth(w)
	m.render()
}

// Update handles the 360's messages and, when focused, its keys.
func (m *customerPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case profileLoadedMsg:
		if msg.reqID != m.reqID {
			return nil
		}
		m.err = msg.err
		if msg.err == nil {
			p := msg.profile
			m.profile = &p
			m.present = msg.present
			m.phone = min(m.phone, max(0, len(p.Phones)-1))
		}
		m.render()
		cmd := m.loadTimeline(true)
		if k := m.pending; k != nil && m.profile != nil {
			m.pending = nil
			cmd = tea.Batch(cmd, m.key(*k))
		}
		return cmd
	case timelineLoadedMsg:
		if msg.reqID != m.tlReq {
			return nil
		}
		m.tlBusy = false
		if msg.err != nil {
			m.err = msg.err
			return nil
		}
		if msg.more {
			m.timeline = append(m.timeline, msg.items...)
		} else {
			m.timeline = msg.items
		}
		m.tlDone = len(msg.items) < msg.limit
		m.render()
	case presenceMsg:
		if msg.customerID == m.id {
			m.present = msg.names
			m.render()
		}
		if !msg.touched {
			return nil
		}
		m.touching = false
		if m.touchAgain {
			m.touchAgain = false
			return m.touch()
		}
	case tickMsg:
		m.render() // relative times move on
		// Presence is refreshed every few ticks: each refresh is a write
		// that makes every other console reload.
		m.ticks++
		if m.ticks%presenceEvery == 0 {
			return m.touch()
		}
		return nil
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

func (m *customerPane) key(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case scroll(&m.vp, k.listKeys, msg):
	case key.Matches(msg, k.Filter):
		m.filter = (m.filter + 1) % len(timelineFilters)
		m.timeline, m.tlDone = nil, false
		m.render()
		return m.loadTimeline(false)
	case key.Matches(msg, k.NextPhone, k.PrevPhone):
		if m.profile != nil && len(m.profile.Phones) > 0 {
			d := 1
			if key.Matches(msg, k.PrevPhone) {
				d = len(m.profile.Phones) - 1
			}
			m.phone = (m.phone + d) % len(m.profile.Phones)
			m.render()
		}
	case key.Matches(msg, k.Copy):
		if ph, ok := m.selectedPhone(); ok {
			return tea.Batch(tea.SetClipboard(ph.E164), notice(fmt.Sprintf(m.c.Text.Copied, ph.Display()), false))
		}
	case key.Matches(msg, k.Dial):
		if ph, ok := m.selectedPhone(); ok {
			return m.dial(ph)
		}
	case key.Matches(msg, k.Actions):
		if m.profile != nil {
			m.c.post(actionsOpenMsg{})
		}
	case key.Matches(msg, k.Wrapup):
		if m.callbackID != 0 {
			m.c.post(wrapupOpenMsg{callbackID: m.callbackID})
		}
	case key.Matches(msg, k.Claim):
		if m.callbackID != 0 {
			m.c.post(claimMsg{id: m.callbackID})
		}
	case key.Matches(msg, k.Release):
		if m.callbackID != 0 {
			m.c.post(releaseMsg{id: m.callbackID})
		}
	case key.Matches(msg, k.Next):
		m.c.post(claimMsg{})
	case key.Matches(msg, k.Note):
		if m.id != 0 {
			m.c.post(openNoteMsg{customerID: m.id, name: m.Name(), callbackID: m.callbackID})
		}
	}
	if m.vp.AtBottom() {
		return m.moreTimeline()
	}
	return nil
}

func (m *customerPane) selectedPhone() (crm.Phone, bool) {
	if m.profile == nil || m.phone >= len(m.profile.Phones) {
		return crm.Phone{}, false
	}
	return m.profile.Phones[m.phone], true
}

// dialable is what a number handed to the dial command may contain, so
// nothing in it can reach the shell as anything but digits.
var dialable = regexp.MustCompile(`^\+?[0-9]{3,20}$`)

// dial runs the configured dial command with the number and reports how
// it ended; a failure is shown, never hidden.
func (m *customerPane) dial(ph crm.Phone) tea.Cmd {
	t := m.c.Text
	// The calling rules hold at this door too: never a do-not-call
	// customer, never a number marked wrong.
	if m.profile != nil && m.profile.DNC {
		return notice(t.DialDNC, true)
	}
	if ph.Invalid {
		return notice(t.InvalidNumber, true)
	}
	if m.c.DialCmd == "" {
		// Nothing here can ring a phone (over SSH the dial command would
		// run on the server): the number goes to the agent's clipboard
		// (OSC 52) and the 360's number is a tel: link their softphone
		// opens.
		return tea.Batch(tea.SetClipboard(ph.E164), notice(fmt.Sprintf(t.NoDialCmd, ph.Display()), false))
	}
	if !dialable.MatchString(ph.E164) {
		return notice(t.ErrorPrefix+ph.E164, true)
	}
	line := strings.ReplaceAll(m.c.DialCmd, "{number}", ph.E164)
	display := ph.Display()
	return tea.Batch(notice(fmt.Sprintf(t.Dialing, display), false), func() tea.Msg {
		out, err := exec.Command("sh", "-c", line).CombinedOutput()
		if err != nil {
			first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
			if first != "" {
				err = fmt.Errorf("%v: %s", err, first)
			}
		}
		return dialedMsg{number: display, err: err}
	})
}

func (m *customerPane) render() {
	if m.profile == nil || m.w <= 0 {
		return
	}
	m.rendered++
	m.head = renderHeader(m.c, *m.profile, m.present, m.c.Now(), m.w)
	m.vp.SetHeight(max(0, m.h-1-strings.Count(m.head, "\n")-1))
	m.vp.SetContent(renderBody(m.c, *m.profile, m.phone, m.timeline, timelineFilters[m.filter], m.c.Now(), m.w))
}

// View draws the title, the fixed header and the scrolled body.
func (m *customerPane) View() string {
	key := viewKey{rendered: m.rendered, offset: m.vp.YOffset(), w: m.w, h: m.h, id: m.id, focused: m.focused,
		loaded: m.profile != nil, dark: m.c.Styles.IsDark}
	if m.err != nil {
		key.err = m.err.Error() // errors need not be comparable; their words are
	}
	if key == m.shown && m.frame != "" {
		return m.frame // the queue's cursor moved; the 360 beside it did not
	}
	m.shown, m.frame = key, m.view()
	return m.frame
}

func (m *customerPane) view() string {
	t, st := m.c.Text, m.c.Styles
	title := st.Title
	if m.focused {
		title = st.TitleFocused
	}
	out := title.Render(t.CustomerTitle) + "\n"
	switch {
	case m.id == 0:
		out += st.Muted.Render(t.NoCustomerOpen)
	case m.err != nil:
		out += st.Bad.Render(Safe(t.Refusal(m.err, m.c.Now())))
	case m.profile == nil:
		out += st.Muted.Render(t.Loading)
	default:
		out += m.head + "\n" + m.vp.View()
	}
	return clipLines(out, m.w, m.h)
}
