package desk

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strings"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// TimelinePage is how many events the 360 reads at a time; more are read as
// the agent scrolls to the end.
const TimelinePage = 40

// customerPane is the customer 360: a header that always stays (who, tier,
// segment, value, risk, consent, local time, who else is on them) over a
// scrolling body (numbers, loyalty, complaints against their SLA, and the
// timeline of everything that happened, filtered by kind).
type customerPane struct {
	c          *kit.Common
	keys       kit.CustomerKeys
	ID         int64 // customer shown or being loaded; 0 for none
	CallbackID int64 // the callback being worked, if the customer came from the queue
	Profile    *kit.ShownCustomer
	Err        error
	reqID      int
	vp         viewport.Model
	w, h       int
	focused    bool

	Timeline []crm.TimelineItem
	filter   int  // index into timelineFilters
	tlDone   bool // the last page was read
	TlBusy   bool
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

// PresenceEvery is how many ticks pass between presence refreshes; with
// crm.PresenceTTL it decides how long a closed console still shows.
const PresenceEvery = 4

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

// PresenceMsg names the other agents on the customer shown; touched: it
// answers this console's own presence write (see touch).
type PresenceMsg struct {
	CustomerID int64
	names      []string
	touched    bool
}

// dialedMsg says how the dial command ended.
type dialedMsg struct {
	number string
	err    error
}

func newCustomerPane(c *kit.Common) *customerPane {
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{} // keys come from customerKeys
	return &customerPane{c: c, keys: kit.NewCustomerKeys(c.Text), vp: vp}
}

// Open shows a customer and loads their 360.
func (m *customerPane) Open(id, callbackID int64) tea.Cmd { return m.OpenRead(id, callbackID, nil) }

// OpenRead is Open with the 360 already read (pre), as a claim reads its
// customer in the same command: drawn at once, nothing read twice.
func (m *customerPane) OpenRead(id, callbackID int64, pre *kit.ProfileLoadedMsg) tea.Cmd {
	if id != m.ID {
		m.Profile, m.Err, m.Timeline, m.present, m.phone = nil, nil, nil, nil, 0
		m.vp.GotoTop()
	}
	m.ID, m.CallbackID = id, callbackID
	if pre != nil {
		m.reqID++
		msg := *pre
		msg.ReqID = m.reqID
		return tea.Batch(m.Update(msg), m.Touch())
	}
	return tea.Batch(m.Reload(), m.Touch())
}

// Reload fetches the shown customer's 360 again (after a note, say).
func (m *customerPane) Reload() tea.Cmd {
	if m.ID == 0 {
		return nil
	}
	m.reqID++
	req, id, svc, q, ctx, me := m.reqID, m.ID, m.c.CRM, m.c.Queue, m.c.Ctx, m.c.Agent
	return func() tea.Msg {
		msg := read360(ctx, svc, q, id, me)
		msg.ReqID = req
		return msg
	}
}

// read360 reads a customer's 360: the profile, their open callbacks and
// who else is on them.
func read360(ctx context.Context, svc *crm.Service, q *queue.Service, id int64, me crm.Agent) kit.ProfileLoadedMsg {
	p, err := svc.Profile(ctx, id)
	if err != nil {
		return kit.ProfileLoadedMsg{Err: err}
	}
	open, err := q.OpenFor(ctx, id)
	if err != nil {
		return kit.ProfileLoadedMsg{Err: err}
	}
	// Who else is on the customer is read with every reload, so a
	// console that opens them shows here at once (its presence write
	// is what made this console reload).
	present, err := svc.Present(ctx, id, me)
	return kit.ProfileLoadedMsg{Profile: kit.ShownCustomer{Profile: p, Open: open}, Present: present, Err: err}
}

// loadTimeline reads the timeline from the newest event: a first page
// for a customer just opened (or a new filter), or as many events as are
// shown when the 360 is reloaded, so the agent keeps their place.
func (m *customerPane) loadTimeline(keep bool) tea.Cmd {
	limit := TimelinePage
	if keep {
		limit = max(limit, len(m.Timeline))
	}
	return m.readTimeline(crm.Cursor{}, limit, false)
}

// moreTimeline reads the next page after the last event shown.
func (m *customerPane) moreTimeline() tea.Cmd {
	if m.tlDone || m.TlBusy || len(m.Timeline) == 0 {
		return nil
	}
	return m.readTimeline(m.Timeline[len(m.Timeline)-1].Next(), TimelinePage, true)
}

func (m *customerPane) readTimeline(after crm.Cursor, limit int, more bool) tea.Cmd {
	if m.ID == 0 {
		return nil
	}
	m.tlReq++
	m.TlBusy = true
	req, id, svc, ctx := m.tlReq, m.ID, m.c.CRM, m.c.Ctx
	var kinds []crm.TimelineKind
	if k := timelineFilters[m.filter]; k != "" {
		kinds = []crm.TimelineKind{k}
	}
	return func() tea.Msg {
		items, err := svc.Timeline(ctx, id, kinds, after, limit)
		return timelineLoadedMsg{reqID: req, items: items, more: more, limit: limit, err: err}
	}
}

// Touch tells the others this agent has the customer open, and asks who
// else is on them.
func (m *customerPane) Touch() tea.Cmd {
	if m.ID == 0 {
		return nil
	}
	if m.touching {
		m.touchAgain = true
		return nil
	}
	m.touching = true
	svc, ctx, agent, id := m.c.CRM, db.Background(m.c.Ctx), m.c.Agent, m.ID
	return func() tea.Msg {
		svc.Touch(ctx, agent, id)
		names, _ := svc.Present(ctx, id, agent)
		return PresenceMsg{CustomerID: id, names: names, touched: true}
	}
}

// readPresence asks again who else is on the customer shown, writing
// nothing: another console opened or left a customer.
func (m *customerPane) readPresence() tea.Cmd {
	if m.ID == 0 {
		return nil
	}
	svc, ctx, agent, id := m.c.CRM, m.c.Ctx, m.c.Agent, m.ID
	return func() tea.Msg {
		names, err := svc.Present(ctx, id, agent)
		if err != nil {
			return nil // the next reading says it; presence is a hint
		}
		return PresenceMsg{CustomerID: id, names: names}
	}
}

// Name is the shown customer's name, once loaded.
func (m *customerPane) Name() string {
	if m.Profile == nil {
		return ""
	}
	return m.Profile.Name
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
	case kit.ProfileLoadedMsg:
		if msg.ReqID != m.reqID {
			return nil
		}
		m.Err = msg.Err
		if msg.Err == nil {
			p := msg.Profile
			m.Profile = &p
			m.present = msg.Present
			m.phone = min(m.phone, max(0, len(p.Phones)-1))
		}
		m.render()
		cmd := m.loadTimeline(true)
		if k := m.pending; k != nil && m.Profile != nil {
			m.pending = nil
			cmd = tea.Batch(cmd, m.key(*k))
		}
		return cmd
	case timelineLoadedMsg:
		if msg.reqID != m.tlReq {
			return nil
		}
		m.TlBusy = false
		if msg.err != nil {
			m.Err = msg.err
			return nil
		}
		if msg.more {
			m.Timeline = append(m.Timeline, msg.items...)
		} else {
			m.Timeline = msg.items
		}
		m.tlDone = len(msg.items) < msg.limit
		m.render()
	case PresenceMsg:
		if msg.CustomerID == m.ID {
			m.present = msg.names
			m.render()
		}
		if !msg.touched {
			return nil
		}
		m.touching = false
		if m.touchAgain {
			m.touchAgain = false
			return m.Touch()
		}
	case kit.TickMsg:
		m.render() // relative times move on
		// Presence is refreshed every few ticks: each refresh is a write
		// that makes every other console reload.
		m.ticks++
		if m.ticks%PresenceEvery == 0 {
			return m.Touch()
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
	case kit.Scroll(&m.vp, k.ListKeys, msg):
	case key.Matches(msg, k.Filter):
		m.filter = (m.filter + 1) % len(timelineFilters)
		m.Timeline, m.tlDone = nil, false
		m.render()
		return m.loadTimeline(false)
	case key.Matches(msg, k.NextPhone, k.PrevPhone):
		if m.Profile != nil && len(m.Profile.Phones) > 0 {
			d := 1
			if key.Matches(msg, k.PrevPhone) {
				d = len(m.Profile.Phones) - 1
			}
			m.phone = (m.phone + d) % len(m.Profile.Phones)
			m.render()
		}
	case key.Matches(msg, k.Copy):
		if ph, ok := m.selectedPhone(); ok {
			if why, blocked := m.mayNotCall(ph); blocked {
				return kit.Notice(why, true)
			}
			return tea.Batch(tea.SetClipboard(ph.E164), kit.Notice(kit.Sprintf(m.c.Text.Copied, ph.Display()), false))
		}
	case key.Matches(msg, k.Dial):
		if ph, ok := m.selectedPhone(); ok {
			if why, blocked := m.mayNotCall(ph); blocked {
				return kit.Notice(why, true)
			}
			return m.dial(ph)
		}
	case key.Matches(msg, k.Actions):
		if m.Profile != nil {
			m.c.Post(kit.ActionsOpenMsg{})
		}
	case key.Matches(msg, k.Wrapup):
		if m.CallbackID != 0 {
			m.c.Post(kit.WrapupOpenMsg{CallbackID: m.CallbackID})
		}
	case key.Matches(msg, k.Claim):
		if m.CallbackID != 0 {
			m.c.Post(kit.ClaimMsg{ID: m.CallbackID})
		}
	case key.Matches(msg, k.Release):
		if m.CallbackID != 0 {
			m.c.Post(kit.ReleaseMsg{ID: m.CallbackID})
		}
	case key.Matches(msg, k.Next):
		m.c.Post(kit.ClaimMsg{})
	case key.Matches(msg, k.Note):
		if m.ID != 0 {
			m.c.Post(kit.OpenNoteMsg{CustomerID: m.ID, Name: m.Name(), CallbackID: m.CallbackID})
		}
	}
	if m.vp.AtBottom() {
		return m.moreTimeline()
	}
	return nil
}

func (m *customerPane) selectedPhone() (crm.Phone, bool) {
	if m.Profile == nil || m.phone >= len(m.Profile.Phones) {
		return crm.Phone{}, false
	}
	return m.Profile.Phones[m.phone], true
}

// mayNotCall applies the calling rules a claim applies to the number
// about to be dialled or copied: the customer's do-not-call, a number
// marked wrong, and, when the 360 is open for one of their open
// callbacks, that call's window and consent. It says why, and when the
// window opens. A customer with no open callback has no kind of call, and
// so no window: their own rules apply.
func (m *customerPane) mayNotCall(ph crm.Phone) (string, bool) {
	p := m.Profile
	cb := queue.Callback{DNC: p.DNC, CustomerTZ: p.TZ}
	for _, o := range p.Open {
		if o.ID == m.CallbackID {
			cb = o
			break
		}
	}
	cb.Phone = ph
	why := kit.DialRefusal(m.c, cb, m.c.Now())
	return why, why != ""
}

// dialable is what a number handed to the dial command may contain, so
// nothing in it can reach the shell as anything but digits.
var dialable = regexp.MustCompile(`^\+?[0-9]{3,20}$`)

// dial runs the configured dial command with the number and reports how
// it ended; a failure is shown, never hidden.
func (m *customerPane) dial(ph crm.Phone) tea.Cmd {
	t := m.c.Text
	// The calling rules were applied before (mayNotCall).
	if m.c.DialCmd == "" {
		// Nothing here can ring a phone (over SSH the dial command would
		// run on the server): the number goes to the agent's clipboard
		// (OSC 52) and the 360's number is a tel: link their softphone
		// opens.
		return tea.Batch(tea.SetClipboard(ph.E164), kit.Notice(kit.Sprintf(t.NoDialCmd, ph.Display()), false))
	}
	if !dialable.MatchString(ph.E164) {
		return kit.Notice(t.ErrorPrefix+ph.E164, true)
	}
	line := strings.ReplaceAll(m.c.DialCmd, "{number}", ph.E164)
	display := ph.Display()
	return tea.Batch(kit.Notice(kit.Sprintf(t.Dialing, display), false), func() tea.Msg {
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
	if m.Profile == nil || m.w <= 0 {
		return
	}
	m.rendered++
	m.head = renderHeader(m.c, *m.Profile, m.present, m.c.Now(), m.w)
	m.vp.SetHeight(max(0, m.h-1-strings.Count(m.head, "\n")-1))
	m.vp.SetContent(renderBody(m.c, *m.Profile, m.phone, m.Timeline, timelineFilters[m.filter], m.c.Now(), m.w))
}

// View draws the title, the fixed header and the scrolled body.
func (m *customerPane) View() string {
	key := viewKey{rendered: m.rendered, offset: m.vp.YOffset(), w: m.w, h: m.h, id: m.ID, focused: m.focused,
		loaded: m.Profile != nil, dark: m.c.Styles.IsDark}
	if m.Err != nil {
		key.err = m.Err.Error() // errors need not be comparable; their words are
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
	case m.ID == 0:
		out += st.Muted.Render(t.NoCustomerOpen)
	case m.Err != nil:
		out += st.Bad.Render(kit.Safe(t.Refusal(m.Err, m.c.Now())))
	case m.Profile == nil:
		out += st.Muted.Render(t.Loading)
	default:
		out += m.head + "\n" + m.vp.View()
	}
	return kit.ClipLines(out, m.w, m.h)
}
