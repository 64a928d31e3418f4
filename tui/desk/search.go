package desk

import (
	"fmt"
	"strings"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
)

// SearchLimit is how many customers the search shows.
const SearchLimit = 15

// SearchPane finds a customer as the agent types: any part of a name,
// initial consonants (ㄱㅁㅈ, 김ㅁ), a romanized name, any phone format or
// its last four digits, an e-mail address.
type SearchPane struct {
	c       *kit.Common
	ti      textinput.Model
	Results []crm.SearchResult
	more    bool // more match than are shown
	kind    crm.QueryKind
	cursor  int
	reqID   int
	err     error
	closed  bool
	w, h    int
	keys    searchKeys
}

type searchKeys struct {
	Up, Down, Open, Close key.Binding
}

// searchResultsMsg carries the results of one query.
type searchResultsMsg struct {
	reqID   int
	results []crm.SearchResult
	more    bool // more match than are shown
	kind    crm.QueryKind
	err     error
}

func NewSearchPane(c *kit.Common) *SearchPane {
	t := c.Text
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = t.SearchPlaceholder
	ti.CharLimit = 80
	styles := textinput.DefaultStyles(c.Styles.IsDark)
	styles.Cursor.Blink = false
	ti.SetStyles(styles)
	return &SearchPane{c: c, ti: ti, keys: searchKeys{
		Up:    key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", t.KeyUp)),
		Down:  key.NewBinding(key.WithKeys("down", "ctrl+n", "tab"), key.WithHelp("↓", t.KeyDown)),
		Open:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t.KeyOpen)),
		Close: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t.KeyBack)),
	}}
}

func (m *SearchPane) Focus() tea.Cmd { return m.ti.Focus() }

func (m *SearchPane) SetSize(w, h int) {
	m.w, m.h = w, h
	m.ti.SetWidth(max(10, w-4))
}

// query asks for the results of what is typed; older replies are dropped.
func (m *SearchPane) query() tea.Cmd {
	m.reqID++
	id, svc, ctx, q := m.reqID, m.c.CRM, m.c.Ctx, m.ti.Value()
	return func() tea.Msg {
		// One more than is shown says whether there are more: a common
		// name has thousands in a million, and "15 found" would tell the
		// agent the list is complete.
		res, kind, err := svc.Search(ctx, q, SearchLimit+1)
		more := len(res) > SearchLimit
		if more {
			res = res[:SearchLimit]
		}
		return searchResultsMsg{reqID: id, results: res, more: more, kind: kind, err: err}
	}
}

func (m *SearchPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case searchResultsMsg:
		if msg.reqID == m.reqID {
			m.Results, m.more, m.kind, m.err = msg.results, msg.more, msg.kind, msg.err
			m.cursor = 0
		}
		return nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Close):
			m.closed = true
			return nil
		case key.Matches(msg, m.keys.Up):
			m.cursor = max(0, m.cursor-1)
			return nil
		case key.Matches(msg, m.keys.Down):
			m.cursor = min(max(0, len(m.Results)-1), m.cursor+1)
			return nil
		case key.Matches(msg, m.keys.Open):
			if m.cursor < len(m.Results) {
				m.closed = true
				m.c.Post(kit.OpenCustomerMsg{CustomerID: m.Results[m.cursor].ID})
			}
			return nil
		}
	}
	before := m.ti.Value()
	var cmd tea.Cmd
	m.ti, cmd = m.ti.Update(msg)
	if m.ti.Value() != before {
		return tea.Batch(cmd, m.query())
	}
	return cmd
}

// View is the input and the results, one customer a line.
func (m *SearchPane) View() string {
	t, st := m.c.Text, m.c.Styles
	var b strings.Builder
	b.WriteString(st.TitleFocused.Render(t.SearchTitle) + "\n" + kit.InputView(m.ti) + "\n")
	switch {
	case m.err != nil:
		b.WriteString(st.Bad.Render(kit.Safe(t.Refusal(m.err, m.c.Now()))) + "\n")
	case strings.TrimSpace(m.ti.Value()) == "":
		b.WriteString(st.Muted.Render(t.SearchHint) + "\n")
	case len(m.Results) == 0:
		b.WriteString(st.Muted.Render(t.SearchNone) + "\n")
	default:
		found := t.SearchFound
		if m.more {
			found = t.SearchMore
		}
		b.WriteString(st.Muted.Render(kit.Sprintf(found, len(m.Results), t.QueryKind(string(m.kind)))) + "\n")
	}
	now := m.c.Now()
	for i, r := range m.Results {
		last := t.NeverContacted
		if !r.LastContact.IsZero() {
			last = t.Ago(r.LastContact, now)
		}
		tier := r.TierEn
		if t.Lang == kit.Korean {
			tier = r.TierKo
		}
		// The number and one more fact tell six 김지유 apart: the birth
		// year, else the e-mail.
		more := ""
		switch {
		case len(r.Birthday) >= 4:
			more = kit.Sprintf(t.BornIn, r.Birthday[:4])
		case r.Email != "":
			more = kit.Safe(r.Email)
		}
		line := kit.FitLeft(fmt.Sprintf("#%d", r.ID), 7) + " " + kit.Fit(kit.Safe(r.Name), 12) + " " + kit.Fit(kit.Safe(r.NameRoman), 14) + " " +
			kit.Fit(kit.Safe(tier), 6) + " " + kit.Fit(crm.MaskPhone(crm.FormatPhone(r.Phone)), 14) + " " + kit.Fit(last, 9) + " " + kit.Fit(more, 16)
		if r.DNC {
			line = t.BlockDNC + " " + line
		}
		if i == m.cursor {
			line = st.Selected.Render(kit.Fit(line, max(1, m.w)))
		}
		b.WriteString(line + "\n")
	}
	return kit.ClipLines(strings.TrimRight(b.String(), "\n"), m.w, m.h)
}

// Click opens the result under the mouse: results start on the fourth
// line of the box, under the title, the input and the count.
func (m *SearchPane) Click(x, y int) tea.Cmd {
	i := y - 3
	if i < 0 || i >= len(m.Results) {
		return nil
	}
	m.cursor = i
	m.closed = true
	m.c.Post(kit.OpenCustomerMsg{CustomerID: m.Results[i].ID})
	return nil
}

// Wheel moves through the results.
func (m *SearchPane) Wheel(x, y int, up bool) tea.Cmd {
	if up {
		m.cursor = max(0, m.cursor-1)
	} else {
		m.cursor = min(max(0, len(m.Results)-1), m.cursor+1)
	}
	return nil
}

func (m *SearchPane) Done() bool { return m.closed }

func (m *SearchPane) BoxWidth(w int) int { return min(w, 96) }

func (m *SearchPane) Keys() []key.Binding {
	k := m.keys
	return []key.Binding{k.Open, k.Up, k.Down, k.Close}
}
