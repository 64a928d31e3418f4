package floor

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/campaign"
	"github.com/dangol/dangol/tui/kit"
)

// CampaignsScreen is the supervisor's retention campaigns: the list with
// each one's groups and calls left; n builds one from a segment, enter
// opens its report (called against control on its primary metric), p
// pauses or resumes it, x stops it.
type CampaignsScreen struct {
	kit.TablePage[campaign.Campaign]
	c    *kit.Common
	svc  *campaign.Service
	keys campaignsKeys

	// The report of one campaign, shown in place of the list.
	report  *campaign.Report
	labels  map[string]string // its outcomes' labels
	repErr  error
	reading bool
	reqID   int
	vp      viewport.Model
}

type campaignsKeys struct {
	kit.ListKeys
	New, Hold, Stop, Report, Back key.Binding
}

// campaignReportMsg carries a campaign's report.
type campaignReportMsg struct {
	reqID  int
	report campaign.Report
	labels map[string]string // the wrap-up codes' labels in the console's language
	err    error
}

func NewCampaignsScreen(c *kit.Common) *CampaignsScreen {
	t := c.Text
	b := func(k, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(k), key.WithHelp(help, desc))
	}
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{}
	s := &CampaignsScreen{TablePage: kit.TablePage[campaign.Campaign]{C: c, Empty: t.CampaignNone}, c: c, svc: campaign.New(c.Queue), vp: vp,
		keys: campaignsKeys{ListKeys: kit.NewListKeys(t), New: b("n", "n", t.KeyNewCampaign), Hold: b("p", "p", t.KeyPauseResume),
			Stop: b("x", "x", t.KeyStopCampaign), Report: b("enter", "enter", t.KeyCampaignReport), Back: b("esc", "esc", t.KeyBackToList)}}
	s.svc.Now = c.Clock.Now
	s.Tbl = kit.Table{Cols: []kit.Column{
		{Title: t.ColCampaign, Width: 18}, {Title: t.ColCState, Width: 8}, {Title: t.ColSegment, Width: 18, Flex: true},
		{Title: t.ColCalled, Width: 8, Right: true}, {Title: t.ColControl, Width: 8, Right: true},
		{Title: t.ColOpenCalls, Width: 8, Right: true}, {Title: t.ColMeasuredUntil, Width: 11},
	}, Cell: s.cell, Style: s.rowStyle}
	return s
}

// Init reads the campaigns.
func (s *CampaignsScreen) Init() tea.Cmd { return s.Load() }

// Load reads the campaigns (a few; each with its counts).
func (s *CampaignsScreen) Load() tea.Cmd {
	return s.TablePage.Load(s.svc.List)
}

func (s *CampaignsScreen) Update(msg tea.Msg) tea.Cmd {
	if s.Loaded(msg) {
		return nil
	}
	switch msg := msg.(type) {
	case campaignReportMsg:
		if msg.reqID == s.reqID {
			s.reading, s.repErr = false, msg.err
			if msg.err == nil {
				s.report, s.labels = &msg.report, msg.labels
			}
			s.render()
		}
	case kit.ReloadMsg, kit.ActionDoneMsg:
		// The list only: a report reads every member's purchases, and the
		// floor changes every few seconds; enter reads it again.
		return s.Load()
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return nil
}

func (s *CampaignsScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k, t := s.keys, s.c.Text
	if s.report != nil || s.reading || s.repErr != nil {
		switch {
		case key.Matches(msg, k.Back), msg.String() == "backspace", msg.String() == "left", msg.String() == "h":
			s.report, s.repErr, s.reading = nil, nil, false
			s.reqID++
		case kit.Scroll(&s.vp, k.ListKeys, msg):
		}
		return nil
	}
	switch {
	case s.Tbl.Navigate(k.ListKeys, msg):
		return nil
	case key.Matches(msg, k.New):
		f := s.newForm()
		s.c.Post(kit.OpenOverlayMsg{Overlay: f, Focus: f.Focus()})
		return nil
	}
	if s.Tbl.Cursor >= len(s.Rows) {
		return nil
	}
	c, svc, me := s.Rows[s.Tbl.Cursor], s.svc, s.c.Agent
	switch {
	case key.Matches(msg, k.Report):
		s.reading = true
		return s.readReport(c.Name)
	case key.Matches(msg, k.Hold):
		if c.State == campaign.Paused || c.State == campaign.Stopped {
			return s.held(t.DoneResume, c.Name, func(ctx context.Context) (campaign.Held, error) { return svc.Resume(ctx, me, c.Name) })
		}
		return s.held(t.DonePause, c.Name, func(ctx context.Context) (campaign.Held, error) { return svc.Pause(ctx, me, c.Name) })
	case key.Matches(msg, k.Stop):
		if c.State != campaign.Stopped {
			s.c.Post(kit.OpenOverlayMsg{Overlay: kit.NewConfirm(s.c, kit.Sprintf(t.AskStop, kit.Safe(c.Name), c.Open),
				s.held(t.DoneStop, c.Name, func(ctx context.Context) (campaign.Held, error) { return svc.Stop(ctx, me, c.Name) }))})
		}
	}
	return nil
}

// held runs a pause, stop or resume and says how many calls it moved.
func (s *CampaignsScreen) held(done, name string, do func(ctx context.Context) (campaign.Held, error)) tea.Cmd {
	ctx := s.c.Ctx
	return func() tea.Msg {
		h, err := do(ctx)
		return kit.ActionDoneMsg{Text: kit.Sprintf(done, kit.Safe(name), h.Changed), Err: err}
	}
}

func (s *CampaignsScreen) readReport(name string) tea.Cmd {
	s.reqID++
	id, ctx, svc, me, q, t := s.reqID, s.c.Ctx, s.svc, s.c.Agent, s.c.Queue, s.c.Text
	return func() tea.Msg {
		r, err := svc.Report(ctx, me, name)
		// Not read: the outcomes show their codes.
		codes, _ := q.Dispositions(ctx)
		return campaignReportMsg{reqID: id, report: r, labels: kit.OutcomeLabels(t, codes), err: err}
	}
}

// newForm asks for a campaign: its name, segment, control share, kind,
// reason, agents and last day.
func (s *CampaignsScreen) newForm() *kit.FormPane {
	t, svc, me, site := s.c.Text, s.svc, s.c.Agent, s.c.Site()
	return kit.NewForm(s.c, t.KeyNewCampaign, func(v []string, _ []bool) (tea.Cmd, error) {
		sp := campaign.Spec{Name: strings.TrimSpace(v[0]), Segment: v[1], Kind: v[3], Reason: v[4]}
		if sp.Name == "" {
			return nil, errors.New(t.NeedCampaignName)
		}
		pct, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v[2]), "%"))
		if err != nil || pct < 1 || pct > 50 {
			return nil, errors.New(t.BadControl)
		}
		sp.ControlPct = pct
		for _, a := range strings.Split(v[5], ",") {
			if a = strings.TrimSpace(a); a != "" {
				sp.Agents = append(sp.Agents, a)
			}
		}
		if day := strings.TrimSpace(v[6]); day != "" {
			d, err := time.ParseInLocation("2006-01-02", day, site)
			if err != nil {
				return nil, errors.New(t.BadUntil)
			}
			sp.Until = d.AddDate(0, 0, 1)
		}
		ctx := s.c.Ctx
		return func() tea.Msg {
			out, err := svc.Create(ctx, me, sp)
			return kit.ActionDoneMsg{Text: kit.Sprintf(t.DoneCreate, kit.Safe(sp.Name), out.Contact, out.Control), Err: err}
		}, nil
	}).Text(t.FieldCName, "", "").Text(t.FieldSegment, "", t.SegmentHint).Text(t.FieldControl, "10", "1–50").
		Choice(t.FieldCKind, "marketing", t.KindOptions()).Text(t.FieldCReason, "", "").
		Text(t.FieldAgents, "", t.AgentsHint).Text(t.FieldCUntil, "", t.UntilHint)
}

func (s *CampaignsScreen) cell(r, col int) string {
	t, c := s.c.Text, s.Rows[r]
	switch col {
	case 0:
		return kit.Safe(c.Name)
	case 1:
		return t.CampaignState(c.State)
	case 2:
		return kit.Safe(c.Segment)
	case 3:
		return kit.Thousands(int64(c.Contact))
	case 4:
		return kit.Thousands(int64(c.Control))
	case 5:
		return kit.Thousands(int64(c.Open))
	case 6:
		return c.MeasuredUntil().In(s.c.Site()).Format("2006-01-02")
	}
	return ""
}

func (s *CampaignsScreen) rowStyle(r int) (lipgloss.Style, bool) {
	if st := s.Rows[r].State; st != campaign.Active {
		return s.c.Styles.Muted, true
	}
	return lipgloss.Style{}, false
}

// SetSize sizes the list and the report alike.
func (s *CampaignsScreen) SetSize(w, h int) {
	s.TablePage.SetSize(w, h)
	frameW, frameH := s.c.Styles.Pane.GetHorizontalFrameSize(), s.c.Styles.Pane.GetVerticalFrameSize()
	s.vp.SetWidth(max(1, w-frameW))
	s.vp.SetHeight(max(1, h-frameH-1))
	s.render()
}

// render lays the report out, its verdict in the verdict's colour.
func (s *CampaignsScreen) render() {
	if s.report == nil {
		return
	}
	st := s.c.Styles
	text := kit.CampaignReportText(*s.report, s.c.Text, s.labels)
	verdict := s.c.Text.CampaignVerdict(*s.report)
	style := st.Muted
	switch s.report.Verdict {
	case campaign.VerdictRaised:
		style = st.Good
	case campaign.VerdictLowered:
		style = st.Bad
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		wrapped := kit.Wrap(l, s.vp.Width())
		if strings.Contains(l, verdict) {
			wrapped = style.Render(wrapped)
		}
		lines = append(lines, wrapped)
	}
	s.vp.SetContent(strings.Join(lines, "\n"))
}

func (s *CampaignsScreen) View() string {
	t, st := s.c.Text, s.c.Styles
	head := st.TitleFocused.Render(t.ScreenCampaigns)
	switch {
	case s.repErr != nil:
		return kit.DrawBox(st, head+"\n"+st.Bad.Render(kit.Safe(t.Refusal(s.repErr, s.c.Now()))), true, s.W, s.H)
	case s.reading && s.report == nil:
		return kit.DrawBox(st, head+"\n"+st.Muted.Render(t.Loading), true, s.W, s.H)
	case s.report != nil:
		return kit.DrawBox(st, head+"\n"+s.vp.View(), true, s.W, s.H)
	}
	return s.Frame(head)
}

func (s *CampaignsScreen) ShortHelp() []key.Binding {
	k := s.keys
	if s.report != nil || s.reading || s.repErr != nil {
		return []key.Binding{k.Back, k.Move}
	}
	return []key.Binding{k.Report, k.New, k.Hold, k.Stop, k.Move}
}

func (s *CampaignsScreen) HelpGroups() []kit.HelpGroup {
	k := s.keys
	return []kit.HelpGroup{{Title: s.c.Text.ScreenCampaigns, Keys: []key.Binding{k.Up, k.Down, k.Report, k.New, k.Hold, k.Stop, k.Back}}}
}
