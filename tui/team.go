package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// teamScreen is every open callback of the team in one table: filters,
// sort by any column, multi-select, and bulk actions on the selection
// (reassign, pool, priority, due time, cancel, force-release) with undo.
// It holds the rows on screen and a margin (listWindow); filters, sorts
// and counts run in SQL, and "all that match" is the filter itself, acted
// on by one statement when the supervisor confirms.
type teamScreen struct {
	c        *Common
	keys     teamKeys
	win      listWindow
	selected map[int64]queue.Seen
	allMatch bool // every callback that matches the filter is selected
	anchor   int  // where a range selection started; -1 none
	filter   queue.TeamFilter
	sortBy   int // index into queue.SortKeys
	desc     bool
	agents   []crm.Agent
	tbl      table
	w, h     int
}

type teamKeys struct {
	listKeys
	Select, Range, All, Clear, Filter, Overdue, Sort, Reverse key.Binding
	Reassign, Priority, Due, Cancel, Release, Undo, Open      key.Binding
}

func newTeamKeys(t Text) teamKeys {
	b := func(k, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(k), key.WithHelp(help, desc))
	}
	return teamKeys{listKeys: newListKeys(t),
		Select: b("space", "space", t.KeySelect), Range: b("v", "v", t.KeyRange), All: b("*", "*", t.KeySelectAll),
		Clear: b("esc", "esc", t.KeyClear), Filter: b("f", "f", t.KeyFilterForm), Overdue: b("o", "o", t.KeyOverdueOnly),
		Sort: b("s", "s", t.KeySort), Reverse: b("S", "S", t.KeyReverse),
		Reassign: b("r", "r", t.KeyReassign), Priority: b("p", "p", t.KeyPriority), Due: b("d", "d", t.KeyDue),
		Cancel: b("x", "x", t.KeyCancelCallbacks), Release: b("F", "F", t.KeyForceRelease), Undo: b("z", "z", t.KeyUndo),
		Open: b("enter", "enter", t.KeyOpen),
	}
}

// teamFilterMsg sets the table's filter (from the board or the filter form).
type teamFilterMsg struct{ filter queue.TeamFilter }

func newTeamScreen(c *Common) *teamScreen {
	t := c.Text
	s := &teamScreen{c: c, keys: newTeamKeys(t), selected: map[int64]queue.Seen{}, anchor: -1, win: listWindow{owner: "team"}}
	s.tbl = table{cols: []column{
		{title: t.ColDue, width: 12}, {title: t.ColCustomer, width: 12}, {title: t.ColOwner, width: 8},
		{title: t.ColState, width: 10}, {title: "P", width: 2}, {title: t.ColTries, width: 4}, {title: t.ColKind, width: 9},
		{title: t.ColTier, width: 6}, {title: t.ColBlocked, width: 11}, {title: t.ColReason, width: 10, flex: true},
	}, cell: s.cell, style: s.rowStyle, marked: s.marked}
	return s
}

// Init loads the table the first time it is shown.
func (s *teamScreen) Init() tea.Cmd { return s.load(keepTop) }

// listing is the list the table shows now.
func (s *teamScreen) listing() queue.Listing {
	return queue.Listing{Team: true, Filter: s.filter, Order: queue.Order{By: queue.SortKeys[s.sortBy], Desc: s.desc}}
}

// load reads the window again (around the row under the cursor) and the
// agents, for the reassign box, as the supervisor asked.
func (s *teamScreen) load(keep keepHow) tea.Cmd {
	return s.win.reload(s.c, &s.tbl, s.listing(), keep, s.agentsToo())
}

// liveLoad is load after a change elsewhere or as time passes.
func (s *teamScreen) liveLoad() tea.Cmd {
	return s.win.liveReload(s.c, &s.tbl, s.listing(), keepRow, s.agentsToo())
}

func (s *teamScreen) agentsToo() func(context.Context) (any, error) {
	crmSvc := s.c.CRM
	return func(ctx context.Context) (any, error) { return crmSvc.Agents(ctx) }
}

func (s *teamScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.tbl.fitPane(s.c, w, h, 2)
}

func (s *teamScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case windowMsg:
		ok, place := s.win.arrived(s.c, msg, &s.tbl)
		if !ok {
			return nil
		}
		if s.win.pending() {
			return tea.Batch(place, s.liveLoad())
		}
		if msg.err != nil {
			return place
		}
		if agents, ok := msg.extra.([]crm.Agent); ok {
			s.agents = agents
		}
		return tea.Batch(place, s.win.ensure(s.c, &s.tbl))
	case placeDueMsg:
		if msg.owner == s.win.owner {
			return s.win.placeNow(s.c, &s.tbl)
		}
	case teamFilterMsg:
		s.filter = msg.filter
		s.anchor, s.allMatch = -1, false
		return s.load(keepTop)
	case actionDoneMsg:
		return s.load(keepRow) // the supervisor's own action: counted at once
	case reloadMsg, tickMsg:
		return s.liveLoad()
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return nil
}

// current is the callback under the cursor.
func (s *teamScreen) current() (queue.Callback, bool) {
	return s.win.at(s.tbl.cursor)
}

func (s *teamScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	if cmd, ok := s.win.navigate(s.c, &s.tbl, k.listKeys, msg, s.load); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Select):
		s.allMatch = false
		if cb, ok := s.current(); ok {
			if _, on := s.selected[cb.ID]; on {
				delete(s.selected, cb.ID)
			} else {
				s.selected[cb.ID] = queue.SeenOf(cb)
			}
			s.tbl.Move(1)
		}
	case key.Matches(msg, k.Range):
		if s.anchor < 0 {
			s.anchor = s.tbl.cursor
			return notice(s.c.Text.RangeStarted, false)
		}
		// The rows of the range that have been read: a range longer than
		// a few screens is "all that match" with a filter.
		lo, hi := min(s.anchor, s.tbl.cursor), max(s.anchor, s.tbl.cursor)
		for i := lo; i <= hi; i++ {
			if cb, ok := s.win.at(i); ok {
				s.selected[cb.ID] = queue.SeenOf(cb)
			}
		}
		s.anchor, s.allMatch = -1, false
	case key.Matches(msg, k.All):
		s.selected, s.anchor, s.allMatch = map[int64]queue.Seen{}, -1, true
	case key.Matches(msg, k.Clear):
		switch {
		case len(s.selected) > 0 || s.anchor >= 0 || s.allMatch:
			s.selected, s.anchor, s.allMatch = map[int64]queue.Seen{}, -1, false
		case s.filter != (queue.TeamFilter{}):
			s.filter = queue.TeamFilter{}
			return s.load(keepTop)
		}
	case key.Matches(msg, k.Overdue):
		s.filter.Overdue, s.allMatch = !s.filter.Overdue, false
		return s.load(keepRow)
	case key.Matches(msg, k.Sort):
		s.sortBy = (s.sortBy + 1) % len(queue.SortKeys)
		return s.load(keepRow)
	case key.Matches(msg, k.Reverse):
		s.desc = !s.desc
		return s.load(keepRow)
	case key.Matches(msg, k.Filter):
		f := s.filterForm()
		s.c.post(openOverlayMsg{o: f, focus: f.Focus()})
	case key.Matches(msg, k.Open):
		if cb, ok := s.current(); ok {
			s.c.post(openCustomerMsg{customerID: cb.CustomerID, callbackID: cb.ID})
		}
	case key.Matches(msg, k.Reassign, k.Priority, k.Due, k.Cancel, k.Release):
		return s.action(msg)
	case key.Matches(msg, k.Undo):
		svc, ctx, agent, t := s.c.Queue, s.c.Ctx, s.c.Agent, s.c.Text
		s.c.post(openOverlayMsg{o: newConfirm(s.c, t.ConfirmUndo, func() tea.Msg {
			res, err := svc.Undo(ctx, agent)
			if errors.Is(err, queue.ErrNothingToUndo) {
				return actionDoneMsg{text: t.NothingToUndo}
			}
			return actionDoneMsg{text: t.BulkText(res, true), err: err}
		})})
	}
	return nil
}

// targets are the callbacks an action applies to: the selection, or the
// one under the cursor.
func (s *teamScreen) targets() []queue.Seen {
	if len(s.selected) > 0 {
		out := make([]queue.Seen, 0, len(s.selected))
		for _, sn := range s.selected {
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
func (s *teamScreen) action(msg tea.KeyPressMsg) tea.Cmd {
	seen := s.targets()
	all, listing := s.allMatch, s.listing()
	if len(seen) == 0 && !all {
		return nil
	}
	t, k, n := s.c.Text, s.keys, len(seen)
	if all {
		n = s.win.counts.Total
	}
	run := func(op queue.BulkOp) tea.Cmd {
		svc, ctx, agent := s.c.Queue, s.c.Ctx, s.c.Agent
		s.selected, s.anchor, s.allMatch = map[int64]queue.Seen{}, -1, false
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
			return actionDoneMsg{text: t.BulkText(res, false), err: err}
		}
	}
	var o overlay
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
		o = newChoice(s.c, fmt.Sprintf(t.AskReassign, thousands(int64(n))), names, func(i int) tea.Msg {
			return runCmdMsg{cmd: run(queue.BulkOp{Action: queue.BulkReassign, To: ids[i]})}
		})
	case key.Matches(msg, k.Priority):
		f := newForm(s.c, fmt.Sprintf(t.AskPriority, thousands(int64(n))), func(v []string, _ []bool) (tea.Cmd, error) {
			var p int
			if _, err := fmt.Sscanf(v[0], "%d", &p); err != nil || p < 1 || p > 5 {
				return nil, errors.New(t.BadPriority)
			}
			return run(queue.BulkOp{Action: queue.BulkPriority, Priority: p}), nil
		}).text(t.FieldPriority, "", "1-5")
		o, focus = f, f.Focus()
	case key.Matches(msg, k.Due):
		loc := s.c.Site()
		f := newForm(s.c, fmt.Sprintf(t.AskDue, thousands(int64(n))), func(v []string, _ []bool) (tea.Cmd, error) {
			due, err := s.c.Queue.Policy.ParseDue(v[0], s.c.Now(), loc)
			if err != nil {
				return nil, err
			}
			return run(queue.BulkOp{Action: queue.BulkDue, Due: due, Reason: v[1]}), nil
		}).when(t.FieldWhen, "", loc.String(), nil).text(t.FieldReason, "", "")
		o, focus = f, f.Focus()
	case key.Matches(msg, k.Cancel):
		f := newForm(s.c, fmt.Sprintf(t.AskCancel, thousands(int64(n))), func(v []string, _ []bool) (tea.Cmd, error) {
			if v[0] == "" {
				return nil, errors.New(t.NeedReason)
			}
			return run(queue.BulkOp{Action: queue.BulkCancel, Reason: v[0]}), nil
		}).text(t.FieldReason, "", "")
		o, focus = f, f.Focus()
	case key.Matches(msg, k.Release) && all:
		o = newConfirm(s.c, fmt.Sprintf(t.AskReleaseAll, thousands(int64(n))),
			run(queue.BulkOp{Action: queue.BulkRelease, Reason: fmt.Sprintf(t.ReleasedBy, s.c.Agent.Name)}))
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
			return notice(t.NothingClaimed, true)
		}
		o = newConfirm(s.c, fmt.Sprintf(t.AskRelease, len(names), strings.Join(names, ", ")),
			run(queue.BulkOp{Action: queue.BulkRelease, Reason: fmt.Sprintf(t.ReleasedBy, s.c.Agent.Name)}))
	}
	s.c.post(openOverlayMsg{o: o, focus: focus})
	return nil
}

// filterForm asks for the table's filter; submitting it applies it.
func (s *teamScreen) filterForm() *formPane {
	t, f := s.c.Text, s.filter
	state := string(f.State)
	blocked := string(f.Blocked)
	if f.AnyBlock {
		blocked = "any"
	}
	due := ""
	if !f.DueFrom.IsZero() {
		due = f.DueFrom.In(s.c.Site()).Format("2006-01-02")
	}
	return newForm(s.c, t.FilterTitle, func(v []string, on []bool) (tea.Cmd, error) {
		nf := queue.TeamFilter{Owner: v[0], Pool: on[1], State: queue.State(v[2]), Kind: v[3], Text: v[4],
			Overdue: on[5], Tier: v[7]}
		switch nf.State {
		case "", queue.Scheduled, queue.Claimed:
		default:
			return nil, fmt.Errorf(t.BadFilterValue, t.FieldState, v[2])
		}
		if v[6] != "" {
			from, to, err := dayRange(v[6], s.c.Now(), s.c.Site())
			if err != nil {
				return nil, fmt.Errorf(t.BadFilterValue, t.FieldDueDay, v[6])
			}
			nf.DueFrom, nf.DueTo = from, to
		}
		switch b := queue.BlockReason(v[8]); b {
		case "":
		case "any":
			nf.AnyBlock = true
		case queue.BlockDNC, queue.BlockInvalidPhone, queue.BlockNoPhone, queue.BlockWindow:
			nf.Blocked = b
		default:
			return nil, fmt.Errorf(t.BadFilterValue, t.FieldBlocked, v[8])
		}
		s.c.post(teamFilterMsg{filter: nf})
		return nil, nil
	}).text(t.FieldAgent, f.Owner, "minji").yesNo(t.FieldPoolOnly, f.Pool).text(t.FieldState, state, "scheduled, claimed").
		text(t.FieldKind, f.Kind, "service, complaint, sales, marketing").text(t.FieldText, f.Text, "").
		yesNo(t.FieldOverdueOnly, f.Overdue).text(t.FieldDueDay, due, t.DueDayHint).
		text(t.FieldTier, f.Tier, "basic, silver, gold, vip").text(t.FieldBlocked, blocked, "any, dnc, invalid_phone, window")
}

func (s *teamScreen) cell(r, col int) string {
	t, now := s.c.Text, s.c.Now()
	cb, ok := s.win.at(r)
	if !ok {
		return unread(col)
	}
	switch col {
	case 0:
		return t.Due(cb.Due, now)
	case 1:
		return Safe(cb.CustomerName)
	case 2:
		if cb.Pool() {
			return t.Pool
		}
		return Safe(cb.Owner)
	case 3:
		if cb.State == queue.Claimed {
			return "● " + Safe(cb.ClaimedBy)
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
		text, _ := blockText(s.c, cb, now)
		return text
	case 9:
		return Safe(cb.Reason)
	}
	return ""
}

func (s *teamScreen) rowStyle(r int) (lipgloss.Style, bool) {
	cb, ok := s.win.at(r)
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

func (s *teamScreen) marked(r int) bool {
	if s.allMatch {
		return true
	}
	cb, ok := s.win.at(r)
	_, on := s.selected[cb.ID]
	return ok && on
}

func (s *teamScreen) View() string {
	st, t := s.c.Styles, s.c.Text
	sortName := t.SortName(string(queue.SortKeys[s.sortBy]))
	if s.desc {
		sortName += " ↓"
	}
	head := st.TitleFocused.Render(t.ScreenTeam) + "  " + s.tbl.Position() + "  " +
		st.Muted.Render(fmt.Sprintf(t.SortedBy, sortName))
	switch {
	case s.allMatch:
		head += "  " + st.Soon.Render(fmt.Sprintf(t.SelectedAll, thousands(int64(s.win.counts.Total))))
	case len(s.selected) > 0:
		head += "  " + st.Soon.Render(fmt.Sprintf(t.SelectedCount, len(s.selected)))
	}
	filter := st.Muted.Render(s.filterText())
	var body string
	switch {
	case s.win.err != nil:
		body = st.Bad.Render(Safe(t.Refusal(s.win.err, s.c.Now())))
	case !s.win.loaded:
		body = st.Muted.Render(t.Loading)
	case s.tbl.n == 0:
		body = st.Muted.Render(t.NoMatch)
	default:
		// The table's lines are exactly the inner width: only the two
		// lines above them are measured.
		iw := s.tbl.w
		return drawLines(st, append([]string{fit(head, iw), fit(filter, iw)}, s.tbl.Lines(st)...), true, s.w, s.h)
	}
	return drawBox(st, head+"\n"+filter+"\n"+body, true, s.w, s.h)
}

// filterText says the filter in words: "filter: minji · overdue".
func (s *teamScreen) filterText() string {
	t, f := s.c.Text, s.filter
	var parts []string
	add := func(cond bool, text string) {
		if cond {
			parts = append(parts, text)
		}
	}
	add(f.Owner != "", Safe(f.Owner))
	add(f.Pool, t.Pool)
	add(f.State != "", t.State(string(f.State)))
	add(f.Kind != "", t.Kind(f.Kind))
	add(f.Text != "", "“"+Safe(f.Text)+"”")
	add(f.Overdue, t.OverdueOnly)
	add(!f.DueFrom.IsZero(), f.DueFrom.In(s.c.Site()).Format("01-02"))
	add(f.Tier != "", t.TierName(f.Tier))
	add(f.AnyBlock || f.Blocked != "", t.ColBlocked)
	if len(parts) == 0 {
		return t.FilterNone
	}
	return fmt.Sprintf(t.FilterIs, strings.Join(parts, " · "))
}

func (s *teamScreen) Typing() bool        { return false }
func (s *teamScreen) Cursor() *tea.Cursor { return nil }

func (s *teamScreen) ShortHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Select, k.Reassign, k.Filter, k.Overdue, k.All, k.Priority, k.Due, k.Cancel, k.Release, k.Undo, k.Sort, k.Move}
}

func (s *teamScreen) HelpGroups() []helpGroup {
	k, t := s.keys, s.c.Text
	return []helpGroup{
		{t.ScreenTeam, []key.Binding{k.Move, k.Pages, k.Open, k.Filter, k.Overdue, k.Sort, k.Reverse}},
		{t.HelpSelection, []key.Binding{k.Select, k.Range, k.All, k.Clear, k.Reassign, k.Priority, k.Due, k.Cancel, k.Release, k.Undo}},
	}
}

// Click moves the cursor to the row under the mouse.
func (s *teamScreen) Click(x, y int) tea.Cmd {
	row := y - s.c.Styles.Pane.GetVerticalFrameSize()/2 - 3 + s.tbl.offset
	if row >= s.tbl.offset && row < s.tbl.n {
		s.tbl.cursor = row
		s.tbl.scroll()
	}
	return s.win.ensure(s.c, &s.tbl)
}

// Wheel moves the cursor.
func (s *teamScreen) Wheel(x, y int, up bool) tea.Cmd {
	if up {
		s.tbl.Move(-1)
	} else {
		s.tbl.Move(1)
	}
	return s.win.ensure(s.c, &s.tbl)
}
