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
	kit.TablePage[PolicyRow]
	c    *kit.Common
	keys policyKeys
}

// PolicyRow is one rule on the policy page: a setting, the calling window
// of a kind of call, or a wrap-up code (one of the three is set).
type PolicyRow struct {
	Setting *queue.Setting
	Window  *queue.KindWindow
	Code    *queue.Disposition
}

type policyKeys struct {
	kit.ListKeys
	Edit key.Binding
}

func NewPolicyScreen(c *kit.Common) *PolicyScreen {
	t := c.Text
	s := &PolicyScreen{TablePage: kit.TablePage[PolicyRow]{C: c}, c: c, keys: policyKeys{ListKeys: kit.NewListKeys(t),
		Edit: key.NewBinding(key.WithKeys("enter", "e"), key.WithHelp("enter", t.KeyEdit))}}
	s.Tbl = kit.Table{Cols: []kit.Column{{Title: t.ColSetting, Width: 34}, {Title: t.ColValue, Width: 20, Flex: true}}, Cell: s.cell}
	return s
}

// Init reads the policy.
func (s *PolicyScreen) Init() tea.Cmd { return s.Load() }

// Load reads the settings, the calling windows and the wrap-up codes.
func (s *PolicyScreen) Load() tea.Cmd {
	svc := s.c.Queue
	return s.TablePage.Load(func(ctx context.Context) ([]PolicyRow, error) {
		settings, err := svc.Settings(ctx)
		if err != nil {
			return nil, err
		}
		windows, err := svc.Windows(ctx)
		if err != nil {
			return nil, err
		}
		codes, err := svc.Dispositions(ctx)
		rows := make([]PolicyRow, 0, len(settings)+len(windows)+len(codes))
		for i := range settings {
			rows = append(rows, PolicyRow{Setting: &settings[i]})
		}
		for i := range windows {
			rows = append(rows, PolicyRow{Window: &windows[i]})
		}
		for i := range codes {
			rows = append(rows, PolicyRow{Code: &codes[i]})
		}
		return rows, err
	})
}

func (s *PolicyScreen) Update(msg tea.Msg) tea.Cmd {
	if s.Loaded(msg) {
		return nil
	}
	switch msg := msg.(type) {
	case kit.ReloadMsg, kit.ActionDoneMsg:
		return s.Load()
	case tea.KeyPressMsg:
		k := s.keys
		switch {
		case s.Tbl.Navigate(k.ListKeys, msg):
		case key.Matches(msg, k.Edit):
			if f := s.editForm(s.Tbl.Cursor); f != nil {
				s.c.Post(kit.OpenOverlayMsg{Overlay: f, Focus: f.Focus()})
			}
		}
	}
	return nil
}

// editForm is the form that changes row r.
func (s *PolicyScreen) editForm(r int) *kit.FormPane {
	t, q, me := s.c.Text, s.c.Queue, s.c.Agent
	ok := func(what string) string { return kit.Sprintf(t.DonePolicy, what) }
	if r >= len(s.Rows) {
		return nil
	}
	switch row := s.Rows[r]; {
	case row.Setting != nil:
		st := *row.Setting
		return kit.NewForm(s.c, t.SettingName(st.Key), func(v []string, _ []bool) (tea.Cmd, error) {
			return kit.RunAction(s.c, ok(t.SettingName(st.Key)), func(ctx context.Context) error {
				return q.SetSetting(ctx, me, st.Key, v[0])
			}), nil
		}).Text(t.ColValue, strconv.Itoa(st.Value), fmt.Sprintf("%d–%d", st.Min, st.Max))
	case row.Window != nil:
		w := *row.Window
		return kit.NewForm(s.c, kit.Sprintf(t.WindowTitle, t.Kind(w.Kind)), func(v []string, on []bool) (tea.Cmd, error) {
			start, err1 := kit.ClockMinutes(v[0])
			end, err2 := kit.ClockMinutes(v[1])
			if err := errors.Join(err1, err2); err != nil {
				return nil, errors.New(t.BadClock)
			}
			nw := queue.KindWindow{Kind: w.Kind, StartMin: start, EndMin: end, Exempt: on[2]}
			return kit.RunAction(s.c, ok(t.Kind(w.Kind)), func(ctx context.Context) error { return q.SetWindow(ctx, me, nw) }), nil
		}).Text(t.FieldFrom, kit.ClockText(w.StartMin), "08:00").Text(t.FieldUntil, kit.ClockText(w.EndMin), "21:00").YesNo(t.FieldExempt, w.Exempt)
	case row.Code != nil:
		d := *row.Code
		return kit.NewForm(s.c, kit.Sprintf(t.CodeTitle, d.Code), func(v []string, on []bool) (tea.Cmd, error) {
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
	t, row := s.c.Text, s.Rows[r]
	switch {
	case row.Setting != nil:
		st := row.Setting
		if col == 0 {
			return t.SettingName(st.Key)
		}
		v := strconv.Itoa(st.Value) + " " + t.Unit(st.Unit)
		if st.Value != st.Default {
			v += "  (" + kit.Sprintf(t.DefaultIs, st.Default) + ")"
		}
		return v
	case row.Window != nil:
		w := row.Window
		if col == 0 {
			return kit.Sprintf(t.WindowTitle, t.Kind(w.Kind))
		}
		v := kit.ClockText(w.StartMin) + "–" + kit.ClockText(w.EndMin)
		if w.Exempt {
			v += "  " + t.FieldExempt
		}
		return v
	}
	d := row.Code
	if col == 0 {
		return kit.Sprintf(t.CodeTitle, d.Code)
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
	return s.Frame(s.c.Styles.TitleFocused.Render(s.c.Text.ScreenPolicy))
}

func (s *PolicyScreen) ShortHelp() []key.Binding {
	return []key.Binding{s.keys.Edit, s.keys.Move}
}

func (s *PolicyScreen) HelpGroups() []kit.HelpGroup {
	k := s.keys
	return []kit.HelpGroup{{Title: s.c.Text.ScreenPolicy, Keys: []key.Binding{k.Move, k.Pages, k.Edit}}}
}
