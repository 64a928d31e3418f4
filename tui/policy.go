package tui

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/queue"
)

// policyScreen lets an admin change the rules of the floor: lease, auto-pool
// delay, caps, attempts, reminder lead, SLA hours, the calling window of
// each kind of call, and the wrap-up codes (labels, retry delay, whether a
// note is required). Every change is validated and audited below the UI.
type policyScreen struct {
	c        *Common
	keys     policyKeys
	settings []queue.Setting
	windows  []queue.KindWindow
	codes    []queue.Disposition
	err      error
	reqID    int
	tbl      table
	w, h     int
}

type policyKeys struct {
	listKeys
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

func newPolicyScreen(c *Common) *policyScreen {
	t := c.Text
	s := &policyScreen{c: c, keys: policyKeys{listKeys: newListKeys(t),
		Edit: key.NewBinding(key.WithKeys("enter", "e"), key.WithHelp("enter", t.KeyEdit))}}
	s.tbl = table{cols: []column{{title: t.ColSetting, width: 34}, {title: t.ColValue, width: 20, flex: true}}, cell: s.cell}
	return s
}

// Init reads the policy.
func (s *policyScreen) Init() tea.Cmd { return s.load() }

func (s *policyScreen) load() tea.Cmd {
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

func (s *policyScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.tbl.fitPane(s.c, w, h, 1)
}

func (s *policyScreen) rows() int { return len(s.settings) + len(s.windows) + len(s.codes) }

func (s *policyScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case policyLoadedMsg:
		if msg.reqID == s.reqID {
			s.err = msg.err
			if msg.err == nil {
				s.settings, s.windows, s.codes = msg.settings, msg.windows, msg.codes
			}
			s.tbl.SetRows(s.rows())
		}
	case reloadMsg, actionDoneMsg:
		return s.load()
	case tea.KeyPressMsg:
		k := s.keys
		switch {
		case s.tbl.Navigate(k.listKeys, msg):
		case key.Matches(msg, k.Edit):
			if f := s.editForm(s.tbl.cursor); f != nil {
				s.c.post(openOverlayMsg{o: f, focus: f.Focus()})
			}
		}
	}
	return nil
}

// editForm is the form that changes row r.
func (s *policyScreen) editForm(r int) *formPane {
	t, q, me := s.c.Text, s.c.Queue, s.c.Agent
	ok := func(what string) string { return fmt.Sprintf(t.DonePolicy, what) }
	switch {
	case r < len(s.settings):
		st := s.settings[r]
		return newForm(s.c, t.SettingName(st.Key), func(v []string, _ []bool) (tea.Cmd, error) {
			return runAction(s.c, ok(t.SettingName(st.Key)), func(ctx context.Context) error {
				return q.SetSetting(ctx, me, st.Key, v[0])
			}), nil
		}).text(t.ColValue, strconv.Itoa(st.Value), fmt.Sprintf("%d–%d", st.Min, st.Max))
	case r < len(s.settings)+len(s.windows):
		w := s.windows[r-len(s.settings)]
		return newForm(s.c, fmt.Sprintf(t.WindowTitle, t.Kind(w.Kind)), func(v []string, on []bool) (tea.Cmd, error) {
			start, err1 := clockMinutes(v[0])
			end, err2 := clockMinutes(v[1])
			if err := errors.Join(err1, err2); err != nil {
				return nil, errors.New(t.BadClock)
			}
			nw := queue.KindWindow{Kind: w.Kind, StartMin: start, EndMin: end, Exempt: on[2]}
			return runAction(s.c, ok(t.Kind(w.Kind)), func(ctx context.Context) error { return q.SetWindow(ctx, me, nw) }), nil
		}).text(t.FieldFrom, clockText(w.StartMin), "08:00").text(t.FieldUntil, clockText(w.EndMin), "21:00").yesNo(t.FieldExempt, w.Exempt)
	case r < s.rows():
		d := s.codes[r-len(s.settings)-len(s.windows)]
		return newForm(s.c, fmt.Sprintf(t.CodeTitle, d.Code), func(v []string, on []bool) (tea.Cmd, error) {
			mins, err := strconv.Atoi(v[2])
			if err != nil || mins < 0 {
				return nil, errors.New(t.BadRetry)
			}
			c := queue.DispositionChange{LabelKo: &v[0], LabelEn: &v[1], RetryMinutes: &mins, NeedsNote: &on[3]}
			return runAction(s.c, ok(d.Code), func(ctx context.Context) error { return q.SetDisposition(ctx, me, d.Code, c) }), nil
		}).text(t.FieldLabelKo, Safe(d.LabelKo), "").text(t.FieldLabelEn, Safe(d.LabelEn), "").
			text(t.FieldRetry, strconv.Itoa(int(d.RetryDelay.Minutes())), "30").yesNo(t.FieldNeedsNote, d.NeedsNote)
	}
	return nil
}

func (s *policyScreen) cell(r, col int) string {
	t := s.c.Text
	switch {
	case r < len(s.settings):
		st := s.settings[r]
		if col == 0 {
			return t.SettingName(st.Key)
		}
		v := strconv.Itoa(st.Value) + " " + t.Unit(st.Unit)
		if st.Value != st.Default {
			v += "  (" + fmt.Sprintf(t.DefaultIs, st.Default) + ")"
		}
		return v
	case r < len(s.settings)+len(s.windows):
		w := s.windows[r-len(s.settings)]
		if col == 0 {
			return fmt.Sprintf(t.WindowTitle, t.Kind(w.Kind))
		}
		v := clockText(w.StartMin) + "–" + clockText(w.EndMin)
		if w.Exempt {
			v += "  " + t.FieldExempt
		}
		return v
	}
	d := s.codes[r-len(s.settings)-len(s.windows)]
	if col == 0 {
		return fmt.Sprintf(t.CodeTitle, d.Code)
	}
	v := Safe(d.LabelKo) + " / " + Safe(d.LabelEn)
	if d.RetryDelay > 0 {
		v += fmt.Sprintf(" · %s %d%s", t.FieldRetry, int(d.RetryDelay.Minutes()), t.Minute)
	}
	if d.NeedsNote {
		v += " · " + t.FieldNeedsNote
	}
	return v
}

func (s *policyScreen) View() string {
	st, t := s.c.Styles, s.c.Text
	body := s.tbl.View(st)
	if s.err != nil {
		body = st.Bad.Render(Safe(t.Refusal(s.err, s.c.Now())))
	}
	return drawBox(st, st.TitleFocused.Render(t.ScreenPolicy)+"\n"+body, true, s.w, s.h)
}

func (s *policyScreen) Typing() bool        { return false }
func (s *policyScreen) Cursor() *tea.Cursor { return nil }

func (s *policyScreen) ShortHelp() []key.Binding {
	return []key.Binding{s.keys.Edit, s.keys.Move}
}

func (s *policyScreen) HelpGroups() []helpGroup {
	k := s.keys
	return []helpGroup{{s.c.Text.ScreenPolicy, []key.Binding{k.Move, k.Pages, k.Edit}}}
}
