package floor

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
)

// auditPage is how many audit rows are read at a time; more as the
// supervisor scrolls to the end.
const auditPage = 200

// AuditScreen is the audit log, newest first: who changed what and when,
// with the old and new values, filtered by actor, customer, callback,
// action and day; the filtered rows can be written to a CSV file.
type AuditScreen struct {
	kit.TablePage[auditRow]
	c      *kit.Common
	keys   auditKeys
	filter crm.AuditFilter
	agents []crm.Agent // for the filter's names
}

type auditKeys struct {
	kit.ListKeys
	Filter, Export, Clear key.Binding
}

// auditFilterMsg sets the audit log's filter.
type auditFilterMsg struct{ filter crm.AuditFilter }

// auditExportedMsg says where the filtered log was written.
type auditExportedMsg struct {
	path string
	err  error
}

func NewAuditScreen(c *kit.Common) *AuditScreen {
	t := c.Text
	s := &AuditScreen{TablePage: kit.TablePage[auditRow]{C: c, Lines: 2, Empty: t.NoMatch}, c: c, keys: auditKeys{ListKeys: kit.NewListKeys(t),
		Filter: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", t.KeyFilterForm)),
		Export: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", t.KeyExportCSV)),
		Clear:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyClear)),
	}}
	s.Tbl = kit.Table{Cols: []kit.Column{
		{Title: t.ColWhen + " " + c.Now().In(c.Site()).Format("MST"), Width: 11}, {Title: t.ColActor, Width: 9}, {Title: t.ColWhat, Width: 16},
		{Title: t.ColAction, Width: 13}, {Title: t.ColChange, Width: 20, Flex: true},
	}, Cell: s.cell}
	return s
}

// Init reads the newest page, and the agents the filter names.
func (s *AuditScreen) Init() tea.Cmd {
	svc, ctx := s.c.CRM, s.c.Ctx
	return tea.Batch(s.read(false), func() tea.Msg {
		agents, _ := svc.Agents(ctx) // without them the filter takes logins alone
		return auditAgentsMsg(agents)
	})
}

// auditAgentsMsg carries the agents, for the filter.
type auditAgentsMsg []crm.Agent

// read reads the newest page, or with more the page after the rows shown.
func (s *AuditScreen) read(more bool) tea.Cmd {
	var before int64
	if more && len(s.Rows) > 0 {
		before = s.Rows[len(s.Rows)-1].ID
	}
	svc, agent, f, t := s.c.CRM, s.c.Agent, s.filter, s.c.Text
	read := func(ctx context.Context) ([]auditRow, error) {
		log, err := svc.AuditLog(ctx, agent, f, before, auditPage)
		if err != nil {
			return nil, err
		}
		agents, err := svc.Agents(ctx)
		return auditRows(t, log, agents), err
	}
	if more {
		return s.More(read)
	}
	return s.Load(read)
}

// more reports that rows may follow those read: the last read brought a
// whole page.
func (s *AuditScreen) more() bool { return s.Err == nil && s.LastRead == auditPage }

func (s *AuditScreen) Update(msg tea.Msg) tea.Cmd {
	if s.Loaded(msg) {
		return nil
	}
	switch msg := msg.(type) {
	case auditAgentsMsg:
		s.agents = msg
	case auditFilterMsg:
		s.filter, s.Rows, s.Tbl.Cursor = msg.filter, nil, 0
		return s.read(false)
	case auditExportedMsg:
		if msg.err != nil {
			return kit.Notice(s.c.Text.Refusal(msg.err, s.c.Now()), true)
		}
		return kit.Notice(kit.Sprintf(s.c.Text.AuditExported, msg.path), false)
	case kit.ReloadMsg:
		if s.Tbl.Cursor == 0 {
			return s.read(false) // at the top: show what just happened
		}
	case tea.KeyPressMsg:
		k := s.keys
		switch {
		case s.Tbl.Navigate(k.ListKeys, msg):
		case key.Matches(msg, k.Filter):
			f := s.filterForm()
			s.c.Post(kit.OpenOverlayMsg{Overlay: f, Focus: f.Focus()})
		case key.Matches(msg, k.Clear):
			if s.filter != (crm.AuditFilter{}) {
				s.c.Post(auditFilterMsg{})
			}
		case key.Matches(msg, k.Export):
			return s.export()
		}
		if s.more() && !s.Reading() && s.Tbl.Cursor >= len(s.Rows)-s.Tbl.Rows() {
			return s.read(true)
		}
	}
	return nil
}

// export writes the filtered log, every row of it, as CSV beside the
// database.
func (s *AuditScreen) export() tea.Cmd {
	svc, ctx, f, loc := s.c.CRM, s.c.Ctx, s.filter, s.c.Site()
	path := filepath.Join(filepath.Dir(svc.DB.Path), "audit-"+s.c.Now().Format("20060102-150405")+".csv")
	return func() tea.Msg {
		file, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return auditExportedMsg{err: err}
		}
		err = svc.Export(ctx, file, "audit", crm.ExportOptions{Format: "csv", Loc: loc, Audit: f})
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		return auditExportedMsg{path: path, err: err}
	}
}

func (s *AuditScreen) filterForm() *kit.FormPane {
	t, f := s.c.Text, s.filter
	num := func(n int64) string {
		if n == 0 {
			return ""
		}
		return fmt.Sprint(n)
	}
	day := func(at time.Time, back int) string {
		if at.IsZero() {
			return ""
		}
		return at.In(s.c.Site()).AddDate(0, 0, back).Format("2006-01-02")
	}
	return kit.NewForm(s.c, t.AuditFilterTitle, func(v []string, _ []bool) (tea.Cmd, error) {
		nf := crm.AuditFilter{Actor: v[0], Action: v[3]}
		for i, dst := range []*int64{&nf.CustomerID, &nf.CallbackID} {
			if v[1+i] == "" {
				continue
			}
			n, err := strconv.ParseInt(strings.TrimPrefix(v[1+i], "#"), 10, 64)
			if err != nil || n <= 0 {
				return nil, kit.Errorf(t.BadFilterValue, []string{t.FieldCustomerNo, t.FieldCallbackNo}[i], v[1+i])
			}
			*dst = n
		}
		for i, dst := range []*time.Time{&nf.From, &nf.To} {
			if v[4+i] == "" {
				continue
			}
			from, to, err := kit.DayRange(v[4+i], s.c.Now(), s.c.Site())
			if err != nil {
				return nil, kit.Errorf(t.BadFilterValue, []string{t.FieldFromDay, t.FieldToDay}[i], v[4+i])
			}
			*dst = []time.Time{from, to}[i]
		}
		s.c.Post(auditFilterMsg{filter: nf})
		return nil, nil
	}).Names(t.FieldActor, f.Actor, kit.AgentOptions(s.agents)).Text(t.FieldCustomerNo, num(f.CustomerID), "#").
		Text(t.FieldCallbackNo, num(f.CallbackID), "#").Text(t.FieldAction, f.Action, "reassign, claim, edit, …").
		Text(t.FieldFromDay, day(f.From, 0), t.DueDayHint).Text(t.FieldToDay, day(f.To, -1), t.DueDayHint)
}

func (s *AuditScreen) cell(r, col int) string {
	a := s.Rows[r]
	switch col {
	case 0:
		return kit.Stamp(a.At, s.c.Now().In(s.c.Site()))
	case 1:
		return a.who
	case 2:
		return a.what
	case 3:
		return a.action
	case 4:
		return a.change
	}
	return ""
}

// auditRow is an audit row as the log shows it: agents by their names,
// codes in the screen's words, worked out with the row's read.
type auditRow struct {
	crm.Audit
	who, what, action, change string
}

func auditRows(t kit.Text, log []crm.Audit, agents []crm.Agent) []auditRow {
	names := map[string]string{}
	for _, a := range agents {
		if a.DisplayName != "" {
			names[a.Name] = a.DisplayName
		}
	}
	// word shows a stored value: an agent by name, the pool, a state.
	word := func(v string) string {
		switch {
		case names[v] != "":
			return kit.Safe(names[v])
		case v == "pool":
			return t.UndoPool
		case t.State(v) != v:
			return t.State(v)
		}
		return kit.Safe(v)
	}
	out := make([]auditRow, len(log))
	for i, a := range log {
		r := auditRow{Audit: a, who: word(a.Actor.Name), what: t.AuditEntity(a.Entity), action: t.AuditAction(a.Action)}
		if a.EntityID != 0 {
			r.what = fmt.Sprintf("%s #%d", r.what, a.EntityID)
		}
		if a.From != "" || a.To != "" {
			r.change = word(a.From) + " → " + word(a.To)
		}
		if a.Reason != "" {
			r.change += "  (" + kit.Safe(a.Reason) + ")"
		}
		r.change = strings.TrimSpace(r.change)
		out[i] = r
	}
	return out
}

func (s *AuditScreen) View() string {
	st, t := s.c.Styles, s.c.Text
	head := st.TitleFocused.Render(t.ScreenAudit) + "  " + s.Tbl.Position()
	if s.more() && len(s.Rows) > 0 {
		head += "+"
	}
	filter := t.AuditAll
	if s.filter != (crm.AuditFilter{}) {
		var parts []string
		f := s.filter
		if f.Actor != "" {
			parts = append(parts, kit.ShownOf(kit.AgentOptions(s.agents), f.Actor))
		}
		if f.CustomerID != 0 {
			parts = append(parts, fmt.Sprintf("%s #%d", t.FieldCustomerNo, f.CustomerID))
		}
		if f.CallbackID != 0 {
			parts = append(parts, fmt.Sprintf("%s #%d", t.FieldCallbackNo, f.CallbackID))
		}
		if f.Action != "" {
			parts = append(parts, kit.Safe(f.Action))
		}
		if !f.From.IsZero() || !f.To.IsZero() {
			parts = append(parts, t.FieldFromDay+"…")
		}
		filter = kit.Sprintf(t.FilterIs, strings.Join(parts, " · "))
	}
	return s.Frame(head + "\n" + st.Muted.Render(filter))
}

func (s *AuditScreen) ShortHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Filter, k.Export, k.Clear, k.Move}
}

func (s *AuditScreen) HelpGroups() []kit.HelpGroup {
	k := s.keys
	return []kit.HelpGroup{{Title: s.c.Text.ScreenAudit, Keys: []key.Binding{k.Move, k.Pages, k.Filter, k.Clear, k.Export}}}
}
