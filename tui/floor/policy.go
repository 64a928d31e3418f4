package floor

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/queue"
)

// PolicyScreen lets an admin change the rules of the floor: lease, auto-pool
// delay, caps, attempts, reminder lead, SLA hours, the calling window of
// each kind of call, and the wrap-up codes (labels, retry delay, whether a
// note is required). Every change is validated and audited below the UI.
type PolicyScreen struct {
	c        *kit.Common
	keys     policyKeys
	Settings []queue.Setting
	windows  []queue.KindWindow
	codes    []queue.Disposition
	err      error
	reqID    int
	tbl      kit.Table
	w, h     int
}

type policyKeys struct {
	kit.ListKeys
	Edit key.Binding
}

// policyLoadedMsg carries the policy.
type policyLoadedMsg struct {
	reqID    int
	settings []queue.Setting
	windows  []queue.KindWindow
	codes    []queue.Disposition
	err      error
}

func NewPolicyScreen(c *kit.Common) *PolicyScreen {
	t := c.Text
	s := &PolicyScreen{c: c, keys: policyKeys{ListKeys: kit.NewListKeys(t),
		Edit: key.NewBinding(key.WithKeys("enter", "e"), key.WithHelp("enter", t.KeyEdit))}}
	s.tbl = kit.Table{Cols: []kit.Column{{Title: t.ColSetting, Width: 34}, {Title: t.ColValue, Width: 20, Flex: true}}, Cell: s.cell}
	return s
}

// Init reads the policy.
func (s *PolicyScreen) Init() tea.Cmd { return s.Load() }

func (s *PolicyScreen) Load() tea.Cmd {
	s.reqID++
	id, svc, ctx := s.reqID, s.c.Queue, s.c.Ctx
	return func() tea.Msg {
		m := policyLoadedMsg{reqID: id}
		if m.settings, m.err = svc.Settings(ctx); m.err != nil {
			return m
		}
		if m.windows, m.err = svc.Windows(ctx); m.err != nil {
			return m
		}
		m.codes, m.err = svc.Dispositions(ctx)
		return m
	}
}

func (s *PolicyScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.tbl.FitPane(s.c, w, h, 1)
}

func (s *PolicyScreen) Rows() int { return len(s.Settings) + len(s.windows) + len(s.codes) }

func (s *PolicyScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case policyLoadedMsg:
		if msg.reqID == s.reqID {
			s.err = msg.err
			if msg.err == nil {
				s.Settings, s.windows, s.codes = msg.settings, msg.windows, msg.codes
			}
			s.tbl.SetRows(s.Rows())
		}
	case kit.ReloadMsg, kit.ActionDoneMsg:
		return s.Load()
	case tea.KeyPressMsg:
		k := s.keys
		switch {
		case s.tbl.Navigate(k.ListKeys, msg):
		case key.Matches(msg, k.Edit):
			if f := s.editForm(s.tbl.Cursor); f != nil {
				s.c.Post(kit.OpenOverlayMsg{O: f, Focus: f.Focus()})
			}
		}
	}
	return nil
}

// editForm is the form that changes row r.
func (s *PolicyScreen) editForm(r int) *kit.FormPane {
	t, q, me := s.c.Text, s.c.Queue, s.c.Agent
	ok := func(what string) string { return fmt.Sprintf(t.DonePolicy, what) }
	switch {
	case r < len(s.Settings):
		st := s.Settings[r]
		return kit.NewForm(s.c, t.SettingName(st.Key), func(v []string, _ []bool) (tea.Cmd, error) {
			return kit.RunAction(s.c, ok(t.SettingName(st.Key)), func(ctx context.Context) error {
				return q.SetSetting(ctx, me, st.Key, v[0])
			}), nil
		}).Text(t.ColValue, strconv.Itoa(st.Value), fmt.Sprintf("%d–%d", st.Min, st.Max))
	case r < len(s.Settings)+len(s.windows):
		w := s.windows[r-len(s.Settings)]
		return kit.NewForm(s.c, fmt.Sprintf(t.WindowTitle, t.Kind(w.Kind)), func(v []string, on []bool) (tea.Cmd, error) {
			start, err1 := kit.ClockMinutes(v[0])
			end, err2 := kit.ClockMinutes(v[1])
			if err := errors.Join(err1, err2); err != nil {
				return nil, errors.New(t.BadClock)
			}
			nw := queue.KindWindow{Kind: w.Kind, StartMin: start, EndMin: end, Exempt: on[2]}
			return kit.RunAction(s.c, ok(t.Kind(w.Kind)), func(ctx context.Context) error { return q.SetWindow(ctx, me, nw) }), nil
		}).Text(t.FieldFrom, kit.ClockText(w.StartMin), "08:00").Text(t.FieldUntil, kit.ClockText(w.EndMin), "21:00").YesNo(t.FieldExempt, w.Exempt)
	case r < s.Rows():
		d := s.codes[r-len(s.Settings)-len(s.windows)]
		return kit.NewForm(s.c, fmt.Sprintf(t.CodeTitle, d.Code), func(v []string, on []bool) (tea.Cmd, error) {
			mins, err := strconv.Atoi(v[2])
			if err != nil || mins < 0 {
				return nil, errors.New(t.BadRetry)
			}
			c := queue.DispositionChange{LabelKo: &v[0], LabelEn: &v[1], RetryMinutes: &mins, NeedsNote: &on[3]}
			return kit.RunAction(s.c, ok(d.Code), func(ctx context.Context) error { return q.SetDisposition(ctx, me, d.Code, c) }), nil
		}).Text(t.FieldLabelKo, kit.Safe(d.LabelKo), "").Text(t.FieldLabelEn, kit.Safe(d.LabelEn), "").
			Text(t.FieldRetry, strconv.Itoa(int(d.RetryDelay.Minutes())), "30").YesNo(t.FieldNeedsNote, d.NeedsNote)
	}
	return nil
}

func (s *PolicyScreen) cell(r, col int) string {
	t := s.c.Text
	switch {
	case r < len(s.Settings):
		st := s.Settings[r]
		if col == 0 {
			return t.SettingName(st.Key)
		}
		v := strconv.Itoa(st.Value) + " " + t.Unit(st.Unit)
		if st.Value != st.Default {
			v += "  (" + fmt.Sprintf(t.DefaultIs, st.Default) + ")"
		}
		return v
	case r < len(s.Settings)+len(s.windows):
		w := s.windows[r-len(s.Settings)]
		if col == 0 {
			return fmt.Sprintf(t.WindowTitle, t.Kind(w.Kind))
		}
		v := kit.ClockText(w.StartMin) + "–" + kit.ClockText(w.EndMin)
		if w.Exempt {
			v += "  " + t.FieldExempt
		}
		return v
	}
	d := s.codes[r-len(s.Settings)-len(s.windows)]
	if col == 0 {
		return fmt.Sprintf(t.CodeTitle, d.Code)
	}
	v := kit.Safe(d.LabelKo) + " / " + kit.Safe(d.LabelEn)
	if d.RetryDelay > 0 {
		v += fmt.Sprintf(" · %s %d%s", t.FieldRetry, int(d.RetryDelay.Minutes()), t.Minute)
	}
	if d.NeedsNote {
		v += " · " + t.FieldNeedsNote
	}
	return v
}

func (s *PolicyScreen) View() string {
	st, t := s.c.Styles, s.c.Text
	body := s.tbl.View(st)
	if s.err != nil {
		body = st.Bad.Render(kit.Safe(t.Refusal(s.err, s.c.Now())))
	}
	return kit.DrawBox(st, st.TitleFocused.Render(t.ScreenPolicy)+"\n"+body, true, s.w, s.h)
}

func (s *PolicyScreen) Typing() bool        { return false }
func (s *PolicyScreen) Cursor() *tea.Cursor { return nil }

func (s *PolicyScreen) ShortHelp() []key.Binding {
	return []key.Binding{s.keys.Edit, s.keys.Move}
}

func (s *PolicyScreen) HelpGroups() []kit.HelpGroup {
	k := s.keys
	return []kit.HelpGroup{{Title: s.c.Text.ScreenPolicy, Keys: []key.Binding{k.Move, k.Pages, k.Edit}}}
}
