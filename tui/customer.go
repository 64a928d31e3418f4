package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
)

// customerPane is the customer 360: profile, phones, tier and points,
// consent, open complaints and the latest interactions, scrollable.
type customerPane struct {
	c          *Common
	keys       customerKeys
	id         int64 // customer shown or being loaded; 0 for none
	callbackID int64 // the callback being worked, if the customer came from the queue
	profile    *crm.Profile
	err        error
	reqID      int
	vp         viewport.Model
	w, h       int
	focused    bool
}

func newCustomerPane(c *Common) *customerPane {
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{} // keys come from customerKeys
	return &customerPane{c: c, keys: newCustomerKeys(c.Text), vp: vp}
}

// Open shows a customer and loads their 360.
func (m *customerPane) Open(id, callbackID int64) tea.Cmd {
	if id != m.id {
		m.profile, m.err = nil, nil
		m.vp.GotoTop()
	}
	m.id, m.callbackID = id, callbackID
	return m.reload()
}

// reload fetches the shown customer's 360 again (after a note, say).
func (m *customerPane) reload() tea.Cmd {
	if m.id == 0 {
		return nil
	}
	m.reqID++
	req, id, svc, ctx := m.reqID, m.id, m.c.CRM, m.c.Ctx
	return func() tea.Msg {
		p, err := svc.Profile(ctx, id)
		return profileLoadedMsg{reqID: req, profile: p, err: err}
	}
}

// Name is the shown customer's name, once loaded.
func (m *customerPane) Name() string {
	if m.profile == nil {
		return ""
	}
	return m.profile.Name
}

// SetSize gives the pane its inner size.
func (m *customerPane) SetSize(w, h int) {
	m.w, m.h = w, h
	m.vp.SetWidth(w)
	m.vp.SetHeight(max(0, h-1))
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
		}
		m.render()
	case tickMsg:
		m.render() // relative times move on
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.vp.ScrollUp(1)
		case key.Matches(msg, m.keys.Down):
			m.vp.ScrollDown(1)
		case key.Matches(msg, m.keys.PageUp):
			m.vp.PageUp()
		case key.Matches(msg, m.keys.PageDown):
			m.vp.PageDown()
		case key.Matches(msg, m.keys.Top):
			m.vp.GotoTop()
		case key.Matches(msg, m.keys.Bottom):
			m.vp.GotoBottom()
		case key.Matches(msg, m.keys.Wrapup):
			if m.callbackID != 0 {
				m.c.post(wrapupOpenMsg{callbackID: m.callbackID})
			}
		case key.Matches(msg, m.keys.Claim):
			if m.callbackID != 0 {
				m.c.post(claimMsg{id: m.callbackID})
			}
		case key.Matches(msg, m.keys.Release):
			if m.callbackID != 0 {
				m.c.post(releaseMsg{id: m.callbackID})
			}
		case key.Matches(msg, m.keys.Next):
			m.c.post(claimMsg{})
		case key.Matches(msg, m.keys.Note):
			if m.id != 0 {
				m.c.post(openNoteMsg{customerID: m.id, name: m.Name(), callbackID: m.callbackID})
			}
		}
	}
	return nil
}

func (m *customerPane) render() {
	if m.profile == nil || m.w <= 0 {
		return
	}
	m.vp.SetContent(renderProfile(m.c, *m.profile, m.c.Now(), m.w))
}

// View draws the title and the scrolled 360.
func (m *customerPane) View() string {
	t, st := m.c.Text, m.c.Styles
	title := st.Title
	if m.focused {
		title = st.TitleFocused
	}
	head := title.Render(t.CustomerTitle)
	var body string
	switch {
	case m.id == 0:
		body = st.Muted.Render(t.NoCustomerOpen)
	case m.err != nil:
		body = st.Bad.Render(t.ErrorPrefix + m.err.Error())
	case m.profile == nil:
		body = st.Muted.Render(t.Loading)
	default:
		body = m.vp.View()
	}
	return clipLines(head+"\n"+body, m.w, m.h)
}

// renderProfile lays out a customer 360 for width w. It is a pure function
// of its inputs, so tests check it without a terminal.
func renderProfile(c *Common, p crm.Profile, now time.Time, w int) string {
	t, st := c.Text, c.Styles
	var lines []string
	add := func(s string) { lines = append(lines, s) }
	label := func(s string) string { return st.Label.Render(fit(s, labelWidth(t))) }

	tierName := p.Tier.NameKo
	if t.Lang == English {
		tierName = p.Tier.NameEn
	}
	head := st.Name.Render(p.Name)
	if p.NameRoman != "" && p.NameRoman != p.Name {
		head += " " + st.Muted.Render("("+p.NameRoman+")")
	}
	head += "  " + st.TierBadge(p.Tier.Code, tierName)
	if p.DNC {
		head += "  " + st.Bad.Render(t.DNC)
	}
	add(head)
	local := now.In(p.Location())
	add(st.Muted.Render(fmt.Sprintf("#%d · %s %s · %s %s (%s)", p.ID, t.SinceLabel, p.JoinedAt.Format("2006-01-02"),
		t.LocalTime, local.Format("15:04"), p.TZ)))
	add("")

	for i, ph := range p.Phones {
		l := t.Phones
		if i > 0 {
			l = ""
		}
		tags := t.PhoneKind(ph.Kind)
		if ph.IsPrimary {
			tags += ", " + t.PrimaryTag
		}
		num := ph.Display()
		if ph.Invalid {
			num = st.Bad.Render(num + " ✗")
		}
		add(label(l) + num + " " + st.Muted.Render("("+tags+")"))
	}
	for i, e := range p.Emails {
		l := t.Emails
		if i > 0 {
			l = ""
		}
		add(label(l) + e.Address)
	}
	add(label(t.Points) + thousands(p.Points) + "P")
	add(label(t.Lifetime) + won(t, p.LifetimeValue) + " " + st.Muted.Render("("+fmt.Sprintf(t.Purchases, p.Purchases)+")"))
	benefits := p.Tier.BenefitsKo
	if t.Lang == English {
		benefits = p.Tier.BenefitsEn
	}
	add(label(t.Benefits) + benefits)
	last := t.NeverContacted
	if !p.LastContact.At.IsZero() {
		last = t.Ago(p.LastContact.At, now) + ", " + t.Channel(string(p.LastContact.Channel))
		if p.LastContact.Agent != "" {
			last += ", " + p.LastContact.Agent
		}
	}
	add(label(t.LastContact) + last)
	yes := func(ok bool, name string) string {
		if ok {
			return st.Good.Render("✓" + name)
		}
		return st.Muted.Render("✗" + name)
	}
	add(label(t.Consent) + strings.Join([]string{yes(p.ConsentMarketing, t.Marketing), yes(p.ConsentSMS, t.SMS),
		yes(p.ConsentEmail, t.EmailC)}, " "))

	add("")
	if len(p.OpenComplaints) == 0 {
		add(st.Muted.Render(t.NoOpenComplaints))
	} else {
		add(st.Section.Render(fmt.Sprintf("%s (%d)", t.OpenComplaints, len(p.OpenComplaints))))
		for _, cp := range p.OpenComplaints {
			age := now.Sub(cp.OpenedAt)
			ageText := t.Duration(age)
			style := st.Warn
			if age > 24*time.Hour {
				style = st.Bad
			}
			add(" • " + cp.Subject + " " + style.Render("("+ageText+", "+t.ComplaintStatus(cp.Status)+")"))
		}
	}

	add("")
	add(st.Section.Render(t.RecentNotes))
	if len(p.Recent) == 0 {
		add(st.Muted.Render(t.NoNotes))
	}
	for _, in := range p.Recent {
		who := in.Agent
		if who == "" {
			who = t.Unattended
		}
		meta := fmt.Sprintf("%s  %s  %s", stamp(in.CreatedAt, now), t.Channel(string(in.Channel)), who)
		add(st.Muted.Render(meta))
		for _, l := range strings.Split(wrap(strings.TrimSpace(in.Body), max(1, w-2)), "\n") {
			add("  " + l)
		}
	}
	return strings.Join(lines, "\n")
}

// labelWidth is the label column of the 360, wide enough for the longest
// label of the language.
func labelWidth(t Text) int {
	if t.Lang == Korean {
		return 10
	}
	return 13
}

// stamp writes a past moment compactly: month, day and time this year,
// the date alone before.
func stamp(at, now time.Time) string {
	at = at.In(now.Location())
	if at.Year() == now.Year() {
		return at.Format("01-02 15:04")
	}
	return at.Format("2006-01-02")
}
