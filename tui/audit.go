package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
)

// auditPage is how many audit rows are read at a time; more as the
// supervisor scrolls to the end.
const auditPage = 200

// auditScreen is the audit log, newest first: who changed what and when,
// with the old and new values, filtered by actor, customer, callback,
// action and day; the filtered rows can be written to a CSV file.
type auditScreen struct {
	c      *Common
	keys   auditKeys
	rows   []crm.Audit
	filter crm.AuditFilter
	done   bool // the last page was read
	busy   bool
	err    error
	reqID  int
	tbl    table
	w, h   int
}

type auditKeys struct {
	listKeys
	Filter, Export, Clear key.Binding
}

// auditLoadedMsg carries a page of the audit log.
type auditLoadedMsg struct {
	reqID int
	rows  []crm.Audit
	more  bool
	err   error
}

// auditFilterMsg sets the audit log's filter.
type auditFilterMsg struct{ filter crm.AuditFilter }

// auditExportedMsg says where the filtered log was written.
type auditExportedMsg struct {
	path string
	err  error
}

func newAuditScreen(c *Common) *auditScreen {
	t := c.Text
	s := &auditScreen{c: c, keys: auditKeys{listKeys: newListKeys(t),
		Filter: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", t.KeyFilterForm)),
		Export: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", t.KeyExportCSV)),
		Clear:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyClear)),
	}}
	s.tbl = table{cols: []column{
		{title: t.ColWhen, width: 11}, {title: t.ColActor, width: 9}, {title: t.ColWhat, width: 16},
		{title: t.ColAction, width: 13}, {title: t.ColChange, width: 20, flex: true},
	}, cell: s.cell}
	return s
}

// Init reads the newest page.
func (s *auditScreen) Init() tea.Cmd { return s.read(false) }

func (s *auditScreen) read(more bool) tea.Cmd {
	s.reqID++
	s.busy = true
	var before int64
	if more && len(s.rows) > 0 {
		before = s.rows[len(s.rows)-1].ID
	}
	id, svc, ctx, agent, f := s.reqID, s.c.CRM, s.c.Ctx, s.c.Agent, s.filter
	return func() tea.Msg {
		rows, err := svc.AuditLog(ctx, agent, f, before, auditPage)
		return auditLoadedMsg{reqID: id, rows: rows, more: more, err: err}
	}
}

func (s *auditScreen) SetSize(w, h int) {
	s.w, s.h = w, h
	s.tbl.fitPane(s.c, w, h, 2)
}

func (s *auditScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case auditLoadedMsg:
		if msg.reqID != s.reqID {
			return nil
		}
		s.busy, s.err = false, msg.err
		if msg.err != nil {
			return nil
		}
		if msg.more {
			s.rows = append(s.rows, msg.rows...)
		} else {
			s.rows = msg.rows
		}
		s.done = len(msg.rows) < auditPage
		s.tbl.SetRows(len(s.rows))
	case auditFilterMsg:
		s.filter, s.rows, s.tbl.cursor = msg.filter, nil, 0
		return s.read(false)
	case auditExportedMsg:
		if msg.err != nil {
			return notice(s.c.Text.Refusal(msg.err, s.c.Now()), true)
		}
		return notice(fmt.Sprintf(s.c.Text.AuditExported, msg.path), false)
	case reloadMsg:
		if s.tbl.cursor == 0 {
			return s.read(false) // at the top: show what just happened
		}
	case tea.KeyPressMsg:
		k := s.keys
		switch {
		case s.tbl.Navigate(k.listKeys, msg):
		case key.Matches(msg, k.Filter):
			f := s.filterForm()
			s.c.post(openOverlayMsg{o: f, focus: f.Focus()})
		case key.Matches(msg, k.Clear):
			if s.filter != (crm.AuditFilter{}) {
				s.c.post(auditFilterMsg{})
			}
		case key.Matches(msg, k.Export):
			return s.export()
		}
		if !s.done && !s.busy && s.tbl.cursor >= len(s.rows)-s.tbl.rows() {
			return s.read(true)
		}
	}
	return nil
}

// export writes the filtered log, every row of it, as CSV beside the
// database.
func (s *auditScreen) export() tea.Cmd {
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

func (s *auditScreen) filterForm() *formPane {
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
	return newForm(s.c, t.AuditFilterTitle, func(v []string, _ []bool) (tea.Cmd, error) {
		nf := crm.AuditFilter{Actor: v[0], Action: v[3]}
		for i, dst := range []*int64{&nf.CustomerID, &nf.CallbackID} {
			if v[1+i] == "" {
				continue
			}
			n, err := strconv.ParseInt(strings.TrimPrefix(v[1+i], "#"), 10, 64)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf(t.BadFilterValue, []string{t.FieldCustomerNo, t.FieldCallbackNo}[i], v[1+i])
			}
			*dst = n
		}
		for i, dst := range []*time.Time{&nf.From, &nf.To} {
			if v[4+i] == "" {
				continue
			}
			from, to, err := dayRange(v[4+i], s.c.Now(), s.c.Site())
			if err != nil {
				return nil, fmt.Errorf(t.BadFilterValue, []string{t.FieldFromDay, t.FieldToDay}[i], v[4+i])
			}
			*dst = []time.Time{from, to}[i]
		}
		s.c.post(auditFilterMsg{filter: nf})
		return nil, nil
	}).text(t.FieldActor, f.Actor, "sora, os:root").text(t.FieldCustomerNo, num(f.CustomerID), "#").
		text(t.FieldCallbackNo, num(f.CallbackID), "#").text(t.FieldAction, f.Action, "reassign, claim, edit, …").
		text(t.FieldFromDay, day(f.From, 0), t.DueDayHint).text(t.FieldToDay, day(f.To, -1), t.DueDayHint)
}

func (s *auditScreen) cell(r, col int) string {
	a := s.rows[r]
	switch col {
	case 0:
		return stamp(a.At, s.c.Now().In(s.c.Site()))
	case 1:
		return Safe(a.Actor.Name)
	case 2:
		if a.EntityID == 0 {
			return Safe(a.Entity)
		}
		return fmt.Sprintf("%s #%d", Safe(a.Entity), a.EntityID)
	case 3:
		return Safe(a.Action)
	case 4:
		change := ""
		if a.From != "" || a.To != "" {
			change = Safe(a.From) + " → " + Safe(a.To)
		}
		if a.Reason != "" {
			change += "  (" + Safe(a.Reason) + ")"
		}
		return strings.TrimSpace(change)
	}
	return ""
}

func (s *auditScreen) View() string {
	st, t := s.c.Styles, s.c.Text
	head := st.TitleFocused.Render(t.ScreenAudit) + "  " + s.tbl.Position()
	if !s.done && len(s.rows) > 0 {
		head += "+"
	}
	filter := t.AuditAll
	if s.filter != (crm.AuditFilter{}) {
		var parts []string
		f := s.filter
		if f.Actor != "" {
			parts = append(parts, Safe(f.Actor))
		}
		if f.CustomerID != 0 {
			parts = append(parts, fmt.Sprintf("%s #%d", t.FieldCustomerNo, f.CustomerID))
		}
		if f.CallbackID != 0 {
			parts = append(parts, fmt.Sprintf("%s #%d", t.FieldCallbackNo, f.CallbackID))
		}
		if f.Action != "" {
			parts = append(parts, Safe(f.Action))
		}
		if !f.From.IsZero() || !f.To.IsZero() {
			parts = append(parts, t.FieldFromDay+"…")
		}
		filter = fmt.Sprintf(t.FilterIs, strings.Join(parts, " · "))
	}
	body := s.tbl.View(st)
	switch {
	case s.err != nil:
		body = st.Bad.Render(Safe(t.Refusal(s.err, s.c.Now())))
	case s.rows == nil && s.busy:
		body = st.Muted.Render(t.Loading)
	case len(s.rows) == 0:
		body = st.Muted.Render(t.NoMatch)
	}
	return drawBox(st, head+"\n"+st.Muted.Render(filter)+"\n"+body, true, s.w, s.h)
}

func (s *auditScreen) Typing() bool        { return false }
func (s *auditScreen) Cursor() *tea.Cursor { return nil }

func (s *auditScreen) ShortHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Filter, k.Export, k.Clear, k.Move}
}

func (s *auditScreen) HelpGroups() []helpGroup {
	k := s.keys
	return []helpGroup{{s.c.Text.ScreenAudit, []key.Binding{k.Move, k.Pages, k.Filter, k.Clear, k.Export}}}
}
