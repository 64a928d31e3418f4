package floor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// TeamScreen is every open callback of the team in one table: filters,
// sort by any column, multi-select, and bulk actions on the selection
// (reassign, pool, priority, due time, cancel, force-release) with undo.
// It holds the rows on screen and a margin (listWindow); filters, sorts
// and counts run in SQL, and "all that match" is the filter itself, acted
// on by one statement when the supervisor confirms.
type TeamScreen struct {
	c        *kit.Common
	keys     teamKeys
	Win      kit.ListWindow
	Selected map[int64]queue.Seen
	AllMatch bool // every callback that matches the filter is selected
	anchor   int  // where a range selection started; -1 none
	Filter   queue.TeamFilter
	sortBy   int // index into queue.SortKeys
	desc     bool
	agents   []crm.Agent
	Tbl      kit.Table
	w, h     int
}

type teamKeys struct {
	kit.ListKeys
	Select, Range, All, Clear, Filter, Overdue, Sort, Reverse key.Binding
	Reassign, Priority, Due, Cancel, Release, Undo, Open      key.Binding
}

func newTeamKeys(t kit.Text) teamKeys {
	b := func(k, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(k), key.WithHelp(help, desc))
	}
	return teamKeys{ListKeys: kit.NewListKeys(t),
		Select: b("space", "space", t.KeySelect), Range: b("v", "v", t.KeyRange), All: b("*", "*", t.KeySelectAll),
		Clear: b("esc", "esc", t.KeyClear), Filter: b("f", "f", t.KeyFilterForm), Overdue: b("o", "o", t.KeyOverdueOnly),
		Sort: b("s", "s", t.KeySort), Reverse: b("S", "S", t.KeyReverse),
		Reassign: b("r", "r", t.KeyReassign), Priority: b("p", "p", t.KeyPriority), Due: b("d", "d", t.KeyDue),
		Cancel: b("x", "x", t.KeyCancelCallbacks), Release: b("F", "F", t.KeyForceRelease), Undo: b("z", "z", t.KeyUndo),
		Open: b("enter", "enter", t.KeyOpen),
	}
}

// TeamFilterMsg sets the table's filter (from the board or the filter form).
type TeamFilterMsg struct{ Filter queue.TeamFilter }

func NewTeamScreen(c *kit.Common) *TeamScreen {
	t := c.Text
	s := &TeamScreen{c: c, keys: newTeamKeys(t), Selected: map[int64]queue.Seen{}, anchor: -1, Win: kit.ListWindow{Owner: "team"}}
	s.Tbl = kit.Table{Cols: []kit.Column{
		{Title: t.ColDue, Width: 12}, {Title: t.ColCustomer, Width: 12}, {Title: t.ColOwner, Width: 8},
		{Title: t.ColState, Width: 10}, {Title: "P", Width: 2}, {Title: t.ColTries, Width: 4}, {Title: t.ColKind, Width: 9},
		{Title: t.ColTier, Width: 6}, {Title: t.ColBlocked, Width: 11}, {Title: t.ColReason, Width: 10, Flex: true},
	}, Cell: s.cell, Style: s.rowStyle, Marked: s.marked}
	return s
}

// Init loads the table the first time it is shown.
func (s *TeamScreen) Init() tea.Cmd { return s.Load(kit.KeepTop) }

// listing is the list the table shows now.
func (s *TeamScreen) listing() queue.Listing {
	return queue.Listing{Team: true, Filter: s.Filter, Order: queue.Order{By: queue.SortKeys[s.sortBy], Desc: s.desc}}
}

// Load reads the window again (around the row under the cursor) and the
// agents, for the reassign box, as the supervisor asked.
func (s *TeamScreen) Load(keep kit.KeepHow) tea.Cmd {
	return s.Win.Reload(s.c, &s.Tbl, s.listing(), keep, s.agentsToo())
}

// liveLoad is load after a change elsewhere or as time passes.
func (s *TeamScreen) liveLoad() tea.Cmd {
	return s.Win.LiveReload(s.c, &s.Tbl, s.listing(), kit.KeepRow, s.agentsToo())
}

func (s *TeamScreen) agentsToo() func(context.Context) (any, error) {
	crmSvc := s.c.CRM
	return func(ctx context.Context) (any, error) { return crmSvc.Agents(ctx) }
}

func (s *TeamScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.Tbl.FitPane(s.c, w, h, 2)
}

func (s *TeamScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case kit.WindowMsg:
		ok, place := s.Win.Arrived(s.c, msg, &s.Tbl)
		if !ok {
			return nil
		}
		if s.Win.Pending() {
			return tea.Batch(place, s.liveLoad())
		}
		if msg.Err != nil {
			return place
		}
		if agents, ok := msg.Extra.([]crm.Agent); ok {
			s.agents = agents
		}
		return tea.Batch(place, s.Win.Ensure(s.c, &s.Tbl))
	case kit.PlaceDueMsg:
		if msg.Owner == s.Win.Owner {
			return s.Win.PlaceNow(s.c, &s.Tbl)
		}
	case TeamFilterMsg:
		s.Filter = msg.Filter
		s.anchor, s.AllMatch = -1, false
		return s.Load(kit.KeepTop)
	case kit.ActionDoneMsg:
		return s.Load(kit.KeepRow) // the supervisor's own action: counted at once
	case undoAskMsg:
		return s.askUndo(msg)
	case kit.ReloadMsg, kit.TickMsg:
		return s.liveLoad()
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return nil
}

// current is the callback under the cursor.
func (s *TeamScreen) current() (queue.Callback, bool) {
	return s.Win.At(s.Tbl.Cursor)
}

func (s *TeamScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	if cmd, ok := s.Win.Navigate(s.c, &s.Tbl, k.ListKeys, msg, s.Load); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Select):
		s.AllMatch = false
		if cb, ok := s.current(); ok {
			if _, on := s.Selected[cb.ID]; on {
				delete(s.Selected, cb.ID)
			} else {
				s.Selected[cb.ID] = queue.SeenOf(cb)
			}
			s.Tbl.Move(1)
		}
	case key.Matches(msg, k.Range):
		if s.anchor < 0 {
			s.anchor = s.Tbl.Cursor
			return kit.Notice(s.c.Text.RangeStarted, false)
		}
		// The rows of the range that have been read: a range longer than
		// a few screens is "all that match" with a filter.
		lo, hi := min(s.anchor, s.Tbl.Cursor), max(s.anchor, s.Tbl.Cursor)
		for i := lo; i <= hi; i++ {
			if cb, ok := s.Win.At(i); ok {
				s.Selected[cb.ID] = queue.SeenOf(cb)
			}
		}
		s.anchor, s.AllMatch = -1, false
	case key.Matches(msg, k.All):
		s.Selected, s.anchor, s.AllMatch = map[int64]queue.Seen{}, -1, true
	case key.Matches(msg, k.Clear):
		switch {
		case len(s.Selected) > 0 || s.anchor >= 0 || s.AllMatch:
			s.Selected, s.anchor, s.AllMatch = map[int64]queue.Seen{}, -1, false
		case s.Filter != (queue.TeamFilter{}):
			s.Filter = queue.TeamFilter{}
			return s.Load(kit.KeepTop)
		}
	case key.Matches(msg, k.Overdue):
		s.Filter.Overdue, s.AllMatch = !s.Filter.Overdue, false
		return s.Load(kit.KeepRow)
	case key.Matches(msg, k.Sort):
		s.sortBy = (s.sortBy + 1) % len(queue.SortKeys)
		return s.Load(kit.KeepRow)
	case key.Matches(msg, k.Reverse):
		s.desc = !s.desc
		return s.Load(kit.KeepRow)
	case key.Matches(msg, k.Filter):
		f := s.filterForm()
		s.c.Post(kit.OpenOverlayMsg{Overlay: f, Focus: f.Focus()})
	case key.Matches(msg, k.Open):
		if cb, ok := s.current(); ok {
			s.c.Post(kit.OpenCustomerMsg{CustomerID: cb.CustomerID, CallbackID: cb.ID})
		}
	case key.Matches(msg, k.Reassign, k.Priority, k.Due, k.Cancel, k.Release):
		return s.action(msg)
	case key.Matches(msg, k.Undo):
		// First read what the undo would take back, to ask about it.
		svc, ctx, agent := s.c.Queue, s.c.Ctx, s.c.Agent
		return func() tea.Msg {
			p, err := svc.LastBulk(ctx, agent)
			return undoAskMsg{p, err}
		}
	}
	return nil
}

// undoAskMsg carries the bulk action an undo would take back.
type undoAskMsg struct {
	pending queue.Pending
	err     error
}

// askUndo asks whether to take back the bulk action, saying what it was.
func (s *TeamScreen) askUndo(msg undoAskMsg) tea.Cmd {
	svc, ctx, agent, t := s.c.Queue, s.c.Ctx, s.c.Agent, s.c.Text
	switch {
	case errors.Is(msg.err, queue.ErrNothingToUndo):
		return kit.Notice(t.NothingToUndo, false)
	case msg.err != nil:
		return kit.Notice(t.Refusal(msg.err, s.c.Now()), true)
	case !msg.pending.Undoable:
		return kit.Notice(t.ReleaseNoUndo, true)
	}
	s.c.Post(kit.OpenOverlayMsg{Overlay: kit.NewConfirm(s.c, t.UndoQuestion(msg.pending), func() tea.Msg {
		res, err := svc.Undo(ctx, agent)
		if errors.Is(err, queue.ErrNothingToUndo) {
			return kit.ActionDoneMsg{Text: t.NothingToUndo}
		}
		return kit.ActionDoneMsg{Text: t.BulkText(res, true), Err: err}
	})})
	return nil
}

// targets are the callbacks an action applies to: the selection, or the
// one under the cursor.
func (s *TeamScreen) targets() []queue.Seen {
	if len(s.Selected) > 0 {
		out := make([]queue.Seen, 0, len(s.Selected))
		for _, sn := range s.Selected {
			out = append(out, sn)
		}
		return out
	}
	if cb, ok := s.current(); ok {
		return []queue.Seen{queue.SeenOf(cb)}
	}
	return nil
}

// action opens the box that asks for what a bulk action needs (and says
// how many callbacks it applies to); confirming it runs the action.
func (s *TeamScreen) action(msg tea.KeyPressMsg) tea.Cmd {
	seen := s.targets()
	all, listing := s.AllMatch, s.listing()
	if len(seen) == 0 && !all {
		return nil
	}
	t, k, n := s.c.Text, s.keys, len(seen)
	if all {
		n = s.Win.Counts.Total
	}
	run := func(op queue.BulkOp) tea.Cmd {
		svc, ctx, agent, names := s.c.Queue, s.c.Ctx, s.c.Agent, kit.AgentOptions(s.agents)
		s.Selected, s.anchor, s.AllMatch = map[int64]queue.Seen{}, -1, false
		return func() tea.Msg {
			// All that match is the filter as it is now, when confirmed:
			// one statement over it, whatever came or went since.
			var res queue.BulkResult
			var err error
			if all {
				res, err = svc.BulkMatching(ctx, agent, op, listing)
			} else {
				res, err = svc.Bulk(ctx, agent, op, seen)
			}
			if res.To != "pool" { // the agent as the floor knows them
				res.To = kit.ShownOf(names, res.To)
			}
			return kit.ActionDoneMsg{Text: t.BulkText(res, false), Err: err}
		}
	}
	var o kit.Overlay
	var focus tea.Cmd
	switch {
	case key.Matches(msg, k.Reassign):
		var names []string
		var ids []int64
		for _, a := range s.agents {
			if a.Active {
				names, ids = append(names, a.DisplayName+" ("+a.Name+")"), append(ids, a.ID)
			}
		}
		names, ids = append(names, t.TeamPool), append(ids, 0)
		o = kit.NewChoice(s.c, kit.Sprintf(t.AskReassign, kit.Thousands(int64(n))), names, func(i int) tea.Msg {
			return kit.RunCmdMsg{Cmd: run(queue.BulkOp{Action: queue.BulkReassign, To: ids[i]})}
		})
	case key.Matches(msg, k.Priority):
		f := kit.NewForm(s.c, kit.Sprintf(t.AskPriority, kit.Thousands(int64(n))), func(v []string, _ []bool) (tea.Cmd, error) {
			var p int
			if _, err := fmt.Sscanf(v[0], "%d", &p); err != nil || p < 1 || p > 5 {
				return nil, errors.New(t.BadPriority)
			}
			return run(queue.BulkOp{Action: queue.BulkPriority, Priority: p}), nil
		}).Text(t.FieldPriority, "", "1-5")
		o, focus = f, f.Focus()
	case key.Matches(msg, k.Due):
		loc := s.c.Site()
		f := kit.NewForm(s.c, kit.Sprintf(t.AskDue, kit.Thousands(int64(n))), func(v []string, _ []bool) (tea.Cmd, error) {
			due, err := s.c.Queue.Policy().ParseDue(v[0], s.c.Now(), loc)
			if err != nil {
				return nil, err
			}
			return run(queue.BulkOp{Action: queue.BulkDue, Due: due, Reason: v[1]}), nil
		}).When(t.FieldWhen, "", loc.String(), nil).Text(t.FieldReason, "", "")
		o, focus = f, f.Focus()
	case key.Matches(msg, k.Cancel):
		f := kit.NewForm(s.c, kit.Sprintf(t.AskCancel, kit.Thousands(int64(n))), func(v []string, _ []bool) (tea.Cmd, error) {
			if v[0] == "" {
				return nil, errors.New(t.NeedReason)
			}
			return run(queue.BulkOp{Action: queue.BulkCancel, Reason: v[0]}), nil
		}).Text(t.FieldReason, "", "")
		o, focus = f, f.Focus()
	case key.Matches(msg, k.Release) && all:
		o = kit.NewConfirm(s.c, kit.Sprintf(t.AskReleaseAll, kit.Thousands(int64(n))),
			run(queue.BulkOp{Action: queue.BulkRelease, Reason: kit.Sprintf(t.ReleasedBy, s.c.Agent.Name)}))
	case key.Matches(msg, k.Release):
		holders := map[string]bool{}
		for _, sn := range seen {
			if sn.ClaimedBy != "" {
				holders[sn.ClaimedBy] = true
			}
		}
		var names []string
		for h := range holders {
			names = append(names, h)
		}
		if len(names) == 0 {
			return kit.Notice(t.NothingClaimed, true)
		}
		o = kit.NewConfirm(s.c, kit.Sprintf(t.AskRelease, len(names), strings.Join(names, ", ")),
			run(queue.BulkOp{Action: queue.BulkRelease, Reason: kit.Sprintf(t.ReleasedBy, s.c.Agent.Name)}))
	}
	s.c.Post(kit.OpenOverlayMsg{Overlay: o, Focus: focus})
	return nil
}

// poolOption is the agent field's code for the team pool.
const poolOption = "@pool"

// filterForm asks for the table's filter; submitting it applies it.
func (s *TeamScreen) filterForm() *kit.FormPane {
	t, f := s.c.Text, s.Filter
	state := string(f.State)
	blocked := string(f.Blocked)
	if f.AnyBlock {
		blocked = "any"
	}
	due := ""
	if !f.DueFrom.IsZero() {
		due = f.DueFrom.In(s.c.Site()).Format("2006-01-02")
	}
	return kit.NewForm(s.c, t.FilterTitle, func(v []string, on []bool) (tea.Cmd, error) {
		nf := queue.TeamFilter{Owner: v[0], Pool: on[1], State: queue.State(v[2]), Kind: v[3], Text: v[4],
			Overdue: on[5], Tier: v[7]}
		if nf.Owner == poolOption {
			nf.Owner, nf.Pool = "", true
		}
		if v[6] != "" {
			from, to, err := kit.DayRange(v[6], s.c.Now(), s.c.Site())
			if err != nil {
				return nil, kit.Errorf(t.BadFilterValue, t.FieldDueDay, v[6])
			}
			nf.DueFrom, nf.DueTo = from, to
		}
		switch b := queue.BlockReason(v[8]); b {
		case "any":
			nf.AnyBlock = true
		default:
			nf.Blocked = b
		}
		s.c.Post(TeamFilterMsg{Filter: nf})
		return nil, nil
	}).Choice(t.FieldAgent, f.Owner, append(kit.AgentOptions(s.agents), kit.PoolOption(t, poolOption))).YesNo(t.FieldPoolOnly, f.Pool).
		Choice(t.FieldState, state, t.StateOptions()).Choice(t.FieldKind, f.Kind, t.KindOptions()).Text(t.FieldText, f.Text, "").
		YesNo(t.FieldOverdueOnly, f.Overdue).Text(t.FieldDueDay, due, t.DueDayHint).
		Choice(t.FieldTier, f.Tier, t.TierOptions()).Choice(t.FieldBlocked, blocked, t.BlockOptions())
}

func (s *TeamScreen) cell(r, col int) string {
	t, now := s.c.Text, s.c.Now()
	cb, ok := s.Win.At(r)
	if !ok {
		return kit.Unread(col)
	}
	switch col {
	case 0:
		return t.Due(cb.Due, now)
	case 1:
		return kit.Safe(cb.CustomerName)
	case 2:
		if cb.Pool() {
			return t.Pool
		}
		return kit.Safe(cb.Owner)
	case 3:
		if cb.State == queue.Claimed {
			return "● " + kit.Safe(cb.ClaimedBy)
		}
		return t.State(string(cb.State))
	case 4:
		return fmt.Sprint(cb.Priority)
	case 5:
		if cb.Attempts == 0 {
			return ""
		}
		return fmt.Sprintf("%d/%d", cb.Attempts, cb.MaxAttempts)
	case 6:
		return t.Kind(cb.Kind)
	case 7:
		return t.TierName(cb.Tier)
	case 8:
		text, _ := kit.BlockText(s.c, cb, now)
		return text
	case 9:
		return kit.Safe(cb.Reason)
	}
	return ""
}

func (s *TeamScreen) rowStyle(r int) (lipgloss.Style, bool) {
	cb, ok := s.Win.At(r)
	if !ok {
		return s.c.Styles.Muted, true
	}
	now := s.c.Now()
	switch {
	case cb.State == queue.Claimed:
		return s.c.Styles.Good, true
	case cb.Overdue(now):
		return s.c.Styles.Overdue, true
	}
	return lipgloss.Style{}, false
}

func (s *TeamScreen) marked(r int) bool {
	if s.AllMatch {
		return true
	}
	cb, ok := s.Win.At(r)
	_, on := s.Selected[cb.ID]
	return ok && on
}

func (s *TeamScreen) View() string {
	st, t := s.c.Styles, s.c.Text
	sortName := t.SortName(string(queue.SortKeys[s.sortBy]))
	if s.desc {
		sortName += " ↓"
	}
	head := st.TitleFocused.Render(t.ScreenTeam) + "  " + s.Tbl.Position() + "  " +
		st.Muted.Render(kit.Sprintf(t.SortedBy, sortName))
	switch {
	case s.AllMatch:
		head += "  " + st.Soon.Render(kit.Sprintf(t.SelectedAll, kit.Thousands(int64(s.Win.Counts.Total))))
	case len(s.Selected) > 0:
		head += "  " + st.Soon.Render(kit.Sprintf(t.SelectedCount, len(s.Selected)))
	}
	filter := st.Muted.Render(s.filterText())
	var body string
	switch {
	case s.Win.Err != nil:
		body = st.Bad.Render(kit.Safe(t.Refusal(s.Win.Err, s.c.Now())))
	case !s.Win.Loaded:
		body = st.Muted.Render(t.Loading)
	case s.Tbl.N == 0:
		body = st.Muted.Render(t.NoMatch)
	default:
		// The table's lines are exactly the inner width: only the two
		// lines above them are measured.
		iw := s.Tbl.W
		return kit.DrawLines(st, append([]string{kit.Fit(head, iw), kit.Fit(filter, iw)}, s.Tbl.Lines(st)...), true, s.w, s.h)
	}
	return kit.DrawBox(st, head+"\n"+filter+"\n"+body, true, s.w, s.h)
}

// filterText says the filter in words: "filter: minji · overdue".
func (s *TeamScreen) filterText() string {
	t, f := s.c.Text, s.Filter
	var parts []string
	add := func(cond bool, text string) {
		if cond {
			parts = append(parts, text)
		}
	}
	add(f.Owner != "", kit.ShownOf(kit.AgentOptions(s.agents), f.Owner))
	add(f.Pool, t.Pool)
	add(f.State != "", t.State(string(f.State)))
	add(f.Kind != "", t.Kind(f.Kind))
	add(f.Text != "", "“"+kit.Safe(f.Text)+"”")
	add(f.Overdue, t.OverdueOnly)
	add(!f.DueFrom.IsZero(), f.DueFrom.In(s.c.Site()).Format("01-02"))
	add(f.Tier != "", t.TierName(f.Tier))
	add(f.AnyBlock || f.Blocked != "", t.ColBlocked)
	if len(parts) == 0 {
		return t.FilterNone
	}
	return kit.Sprintf(t.FilterIs, strings.Join(parts, " · "))
}

func (s *TeamScreen) Typing() bool        { return false }
func (s *TeamScreen) Cursor() *tea.Cursor { return nil }

func (s *TeamScreen) ShortHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Select, k.Reassign, k.Filter, k.Overdue, k.All, k.Priority, k.Due, k.Cancel, k.Release, k.Undo, k.Sort, k.Move}
}

func (s *TeamScreen) HelpGroups() []kit.HelpGroup {
	k, t := s.keys, s.c.Text
	return []kit.HelpGroup{
		{Title: t.ScreenTeam, Keys: []key.Binding{k.Move, k.Pages, k.Open, k.Filter, k.Overdue, k.Sort, k.Reverse}},
		{Title: t.HelpSelection, Keys: []key.Binding{k.Select, k.Range, k.All, k.Clear, k.Reassign, k.Priority, k.Due, k.Cancel, k.Release, k.Undo}},
	}
}

// Click moves the cursor to the row under the mouse.
func (s *TeamScreen) Click(x, y int) tea.Cmd {
	s.Tbl.Click(y)
	return s.Win.Ensure(s.c, &s.Tbl)
}

// Wheel moves the cursor.
func (s *TeamScreen) Wheel(x, y int, up bool) tea.Cmd {
	s.Tbl.Wheel(up)
	return s.Win.Ensure(s.c, &s.Tbl)
}
