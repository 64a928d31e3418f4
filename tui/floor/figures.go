package floor

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// figuresWeeks is how many weeks the charts of the figures screen show.
const figuresWeeks = 8

// figuresScreen shows the figures the seed documents ask for (retention,
// repeat purchases, on-time callbacks, first-contact resolution, complaint
// SLAs, satisfaction and NPS, referrals, points, churn risk by segment)
// for the last seven days, with a chart of each over eight weeks; for the
// team or one agent. The definitions are in the README.
type figuresScreen struct {
	c      *kit.Common
	keys   figuresKeys
	agents []crm.Agent
	who    int // 0: the team; i: agents[i-1]
	end    time.Time
	report *queue.Figures
	weeks  []queue.Figures
	err    error
	reqID  int
	vp     viewport.Model
	w, h   int
}

type figuresKeys struct {
	kit.ListKeys
	Who, Prev, Next key.Binding
}

// figuresLoadedMsg carries a report and its weeks.
type figuresLoadedMsg struct {
	reqID  int
	report queue.Figures
	weeks  []queue.Figures
	agents []crm.Agent
	err    error
}

func NewFiguresScreen(c *kit.Common) *figuresScreen {
	t := c.Text
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{}
	local := c.Now().In(c.Site())
	return &figuresScreen{c: c, vp: vp, end: time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, c.Site()),
		keys: figuresKeys{ListKeys: kit.NewListKeys(t),
			Who:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", t.KeyWhoFigures)),
			Prev: key.NewBinding(key.WithKeys("["), key.WithHelp("[ ]", t.KeyWeek)),
			Next: key.NewBinding(key.WithKeys("]"), key.WithHelp("]", t.KeyWeek)),
		}}
}

// Init computes the figures the first time the screen is shown.
func (s *figuresScreen) Init() tea.Cmd { return s.Load() }

func (s *figuresScreen) Load() tea.Cmd {
	s.reqID++
	id, svc, ctx, agent, end := s.reqID, s.c.Queue, s.c.Ctx, s.c.Agent, s.end
	who := ""
	if s.who > 0 && s.who <= len(s.agents) {
		who = s.agents[s.who-1].Name
	}
	return func() tea.Msg {
		agents, err := svc.CRM.Agents(ctx)
		if err != nil {
			return figuresLoadedMsg{reqID: id, err: err}
		}
		rep, err := svc.Report(ctx, agent, end.AddDate(0, 0, -7), end, who, who == "")
		if err != nil {
			return figuresLoadedMsg{reqID: id, err: err}
		}
		weeks, err := svc.Weekly(ctx, agent, end, figuresWeeks, who)
		return figuresLoadedMsg{reqID: id, report: rep, weeks: weeks, agents: agents, err: err}
	}
}

func (s *figuresScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	frameW, frameH := s.c.Styles.Pane.GetHorizontalFrameSize(), s.c.Styles.Pane.GetVerticalFrameSize()
	s.vp.SetWidth(max(1, w-frameW))
	s.vp.SetHeight(max(1, h-frameH-1))
	s.render()
}

func (s *figuresScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case figuresLoadedMsg:
		if msg.reqID != s.reqID {
			return nil
		}
		s.err = msg.err
		if msg.err == nil {
			s.report, s.weeks, s.agents = &msg.report, msg.weeks, msg.agents
		}
		s.render()
	case tea.KeyPressMsg:
		k := s.keys
		switch {
		case kit.Scroll(&s.vp, k.ListKeys, msg):
		case key.Matches(msg, k.Who):
			s.who = (s.who + 1) % (len(s.agents) + 1)
			return s.Load()
		case key.Matches(msg, k.Prev):
			s.end = s.end.AddDate(0, 0, -7)
			return s.Load()
		case key.Matches(msg, k.Next):
			s.end = s.end.AddDate(0, 0, 7)
			return s.Load()
		}
	}
	return nil
}

// render lays the figures out: a label and value per figure, its chart
// beside it on a wide screen or under it on a narrow one.
func (s *figuresScreen) render() {
	if s.report == nil || s.w <= 0 {
		return
	}
	t, st := s.c.Text, s.c.Styles
	w := s.vp.Width()
	figs := kit.Figures(*s.report, t)
	var lines []string
	chartW := min(3*figuresWeeks, w-60)
	side := chartW >= 12
	if !side {
		chartW = min(3*figuresWeeks, max(8, w-10))
	}
	for _, f := range figs {
		head := kit.Fit(f.Label, 30) + " " + st.Name.Render(f.Text())
		chart := kit.Chart(s.weeks, f.Key, t, chartW, 2)
		if chart == "" {
			lines = append(lines, head)
			continue
		}
		cl := strings.Split(chart, "\n")
		if side {
			lines = append(lines, kit.Fit(head, 52)+st.Muted.Render(cl[0]))
			for _, l := range cl[1:] {
				lines = append(lines, strings.Repeat(" ", 52)+st.Muted.Render(l))
			}
		} else {
			lines = append(lines, head)
			for _, l := range cl {
				lines = append(lines, "  "+st.Muted.Render(l))
			}
		}
	}
	if m := s.report.ChurnBySegment; m != nil {
		segs := make([]string, 0, len(m))
		for seg := range m {
			segs = append(segs, seg)
		}
		sort.Strings(segs)
		var parts []string
		for _, seg := range segs {
			parts = append(parts, fmt.Sprintf("%s %d", t.Segment(seg), m[seg]))
		}
		lines = append(lines, "", st.Section.Render(t.FigChurn), kit.Wrap(strings.Join(parts, " · "), w))
	}
	s.vp.SetContent(strings.Join(lines, "\n"))
}

func (s *figuresScreen) View() string {
	t, st := s.c.Text, s.c.Styles
	who := t.FigTeam
	if s.who > 0 && s.who <= len(s.agents) {
		who = kit.Safe(s.agents[s.who-1].DisplayName)
	}
	site := s.c.Site()
	head := st.TitleFocused.Render(t.ScreenFigures) + "  " + lipgloss.NewStyle().Bold(true).Render(who) + "  " +
		st.Muted.Render(kit.Sprintf(t.FigPeriod, s.end.AddDate(0, 0, -7).In(site).Format("2006-01-02"),
			s.end.AddDate(0, 0, -1).In(site).Format("2006-01-02"), figuresWeeks))
	body := s.vp.View()
	switch {
	case s.err != nil:
		body = st.Bad.Render(kit.Safe(t.Refusal(s.err, s.c.Now())))
	case s.report == nil:
		body = st.Muted.Render(t.Loading)
	}
	return kit.DrawBox(st, head+"\n"+body, true, s.w, s.h)
}

func (s *figuresScreen) Typing() bool        { return false }
func (s *figuresScreen) Cursor() *tea.Cursor { return nil }

func (s *figuresScreen) ShortHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Who, k.Prev, k.Move}
}

func (s *figuresScreen) HelpGroups() []kit.HelpGroup {
	k := s.keys
	return []kit.HelpGroup{{Title: s.c.Text.ScreenFigures, Keys: []key.Binding{k.Move, k.Pages, k.Who, k.Prev, k.Next}}}
}
