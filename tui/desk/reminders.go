package desk

import (
	"strings"
	"time"

	"github.com/dangol/dangol/tui/kit"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// reminderEvery is how often the console asks whether a reminder fired.
const reminderEvery = time.Second

// maxToasts is how many reminders stand on screen at once; older ones wait.
const maxToasts = 3

// RemindersPane keeps the agent's reminders: toasts with a bell as they
// fire, and at login the list of those missed while away. A reminder is
// recorded as delivered only once it is on screen.
type RemindersPane struct {
	c       *kit.Common
	Keys    reminderKeys
	Toasts  []queue.Reminder // on screen, oldest first
	Missed  []queue.Reminder // the login list; nil once closed
	cursor  int
	Snooze  *snoozePane // choosing when to be reminded again
	Started bool        // the first check (the login list) came back
	asking  bool        // a check is in flight
	seen    map[reminderID]bool
	chosen  int // the toast o, z and x act on
}

type reminderID struct {
	callback int64
	kind     queue.ReminderKind
	fireAt   int64
}

func idOf(r queue.Reminder) reminderID {
	return reminderID{r.Callback.ID, r.Kind, r.FireAt.Unix()}
}

type reminderKeys struct {
	Open, Snooze, Dismiss, Up, Down, Close, Choose key.Binding
}

func newReminderKeys(t kit.Text) reminderKeys {
	return reminderKeys{
		Open:    key.NewBinding(key.WithKeys("o", "enter"), key.WithHelp("o/enter", t.KeyOpenReminder)),
		Choose:  key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", t.KeyChooseToast)),
		Snooze:  key.NewBinding(key.WithKeys("z"), key.WithHelp("z", t.KeySnooze)),
		Dismiss: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", t.KeyDismiss)),
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", t.KeyUp)),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", t.KeyDown)),
		Close:   key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", t.KeyBack)),
	}
}

func NewRemindersPane(c *kit.Common) *RemindersPane {
	return &RemindersPane{c: c, Keys: newReminderKeys(c.Text), seen: map[reminderID]bool{}}
}

// ReminderTickMsg asks for a reminder check.
type ReminderTickMsg struct{}

// RemindersMsg carries the reminders due and not yet shown, and which of
// the toasts on screen still stand for a callback in the agent's queue.
type RemindersMsg struct {
	List    []queue.Reminder
	inQueue map[int64]bool // nil: not asked
	err     error
}

// SnoozedMsg says a snooze was stored.
type SnoozedMsg struct {
	until time.Time
	err   error
}

func (m *RemindersPane) Tick() tea.Cmd {
	return m.c.After(reminderEvery, ReminderTickMsg{})
}

func (m *RemindersPane) Check() tea.Cmd {
	if m.asking {
		return nil
	}
	m.asking = true
	svc, ctx, agent, now := m.c.Queue, m.c.Ctx, m.c.Agent, m.c.Now()
	var toasts []int64
	for _, r := range m.Toasts {
		toasts = append(toasts, r.Callback.ID)
	}
	return func() tea.Msg {
		list, err := svc.Reminders(ctx, agent, now)
		if err != nil {
			return RemindersMsg{err: err}
		}
		msg := RemindersMsg{List: list}
		if len(toasts) > 0 {
			msg.inQueue, msg.err = svc.InQueue(ctx, agent, toasts)
		}
		return msg
	}
}

// Active reports whether the pane wants the keyboard: the login list or
// the snooze chooser is open.
func (m *RemindersPane) Active() bool { return m.Missed != nil || m.Snooze != nil }

// Update handles checks, their results and, when the app routes them, keys.
func (m *RemindersPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ReminderTickMsg:
		return tea.Batch(m.Check(), m.Tick())
	case RemindersMsg:
		m.asking = false
		if msg.err != nil {
			return kit.Notice(m.c.Text.Refusal(msg.err, m.c.Now()), true)
		}
		if msg.inQueue != nil {
			m.Prune(msg.inQueue)
		}
		return m.Arrived(msg.List)
	case SnoozedMsg:
		if msg.err != nil {
			return kit.Notice(m.c.Text.Refusal(msg.err, m.c.Now()), true)
		}
		return kit.Notice(kit.Sprintf(m.c.Text.Snoozed, msg.until.In(m.c.Now().Location()).Format("15:04")), false)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

// Arrived shows new reminders: the first batch after login as the missed
// list (what fired while away), later ones as toasts with the bell. Either way they are recorded as
// delivered now that they are on screen.
func (m *RemindersPane) Arrived(list []queue.Reminder) tea.Cmd {
	var fresh []queue.Reminder
	for _, r := range list {
		if !m.seen[idOf(r)] {
			m.seen[idOf(r)] = true
			fresh = append(fresh, r)
		}
	}
	first := !m.Started
	m.Started = true
	if len(fresh) == 0 {
		return nil
	}
	if first {
		// What fired while the agent was away: a callback now due, a
		// snooze run out. A "before" reminder of one still to come is not
		// missed: the queue shows it, and its due reminder will ring.
		var missed []queue.Reminder
		for _, r := range fresh {
			if r.Kind != queue.RemindBefore && !r.Callback.ClaimedByAgent(m.c.Agent.Name) {
				missed = append(missed, r)
			}
		}
		if len(missed) > 0 {
			m.Missed, m.cursor = missed, 0
		}
	} else {
		for _, r := range fresh {
			// The call the agent is on needs no reminder: it is recorded as
			// delivered, not shown.
			if !r.Callback.ClaimedByAgent(m.c.Agent.Name) {
				m.Toasts = append(m.Toasts, r)
			}
		}
		m.chosen = len(m.Toasts) - 1
	}
	svc, ctx, agent, prefix := m.c.Queue, db.Background(m.c.Ctx), m.c.Agent, m.c.Text.ErrorPrefix
	m.c.Log.Info("reminders shown", "agent", agent.Name, "count", len(fresh), "login", first)
	deliver := func() tea.Msg {
		if err := svc.Delivered(ctx, agent, fresh); err != nil {
			return kit.NoticeMsg{Text: prefix + err.Error(), Err: true} // the system's words: the file and why
		}
		return nil
	}
	return tea.Batch(deliver, tea.Raw("\a"))
}

func (m *RemindersPane) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.Snooze != nil {
		cmd, done := m.Snooze.Update(msg)
		if done {
			m.Snooze = nil
		}
		return cmd
	}
	if m.Missed != nil {
		switch {
		case key.Matches(msg, m.Keys.Up):
			m.cursor = max(0, m.cursor-1)
		case key.Matches(msg, m.Keys.Down):
			m.cursor = min(len(m.Missed)-1, m.cursor+1)
		case key.Matches(msg, m.Keys.Close):
			m.Missed = nil
		case key.Matches(msg, m.Keys.Open):
			r := m.Missed[m.cursor]
			m.Missed = nil
			m.c.Post(kit.OpenCustomerMsg{CustomerID: r.Callback.CustomerID, CallbackID: r.Callback.ID})
		default:
			// Any other key closes the list and does what it does
			// elsewhere (N claims, / searches): no key is lost.
			m.Missed = nil
			m.c.Post(ReplayKeyMsg{Key: msg})
		}
		return nil
	}
	return m.toastKey(msg)
}

// ReplayKeyMsg hands a key back to the root to be handled afresh, after
// the box that took it (the login list, the help) has closed.
type ReplayKeyMsg struct{ Key tea.KeyPressMsg }

// toastKey acts on the chosen toast (the newest unless ctrl+t chose
// another); it reports nil when the key is not a reminder key, so the app
// passes it on.
func (m *RemindersPane) toastKey(msg tea.KeyPressMsg) tea.Cmd {
	if len(m.Toasts) == 0 {
		return nil
	}
	m.chosen = max(0, min(m.chosen, len(m.Toasts)-1))
	r := m.Toasts[m.chosen]
	drop := func() {
		m.Toasts = append(m.Toasts[:m.chosen], m.Toasts[m.chosen+1:]...)
		m.chosen = len(m.Toasts) - 1
	}
	switch {
	case key.Matches(msg, m.Keys.Choose):
		m.chosen = (m.chosen + len(m.Toasts) - 1) % len(m.Toasts)
	case key.Matches(msg, m.Keys.Open):
		drop()
		m.c.Post(kit.OpenCustomerMsg{CustomerID: r.Callback.CustomerID, CallbackID: r.Callback.ID})
	case key.Matches(msg, m.Keys.Dismiss):
		drop()
	case key.Matches(msg, m.Keys.Snooze):
		drop()
		m.Snooze = newSnoozePane(m.c, r)
	}
	return nil
}

// Prune drops the toasts of callbacks that are no longer in the agent's
// queue: wrapped up, cancelled, or gone to someone else. A toast that
// came after the question was asked stays.
func (m *RemindersPane) Prune(inQueue map[int64]bool) {
	kept := m.Toasts[:0]
	for _, r := range m.Toasts {
		if _, asked := inQueue[r.Callback.ID]; inQueue[r.Callback.ID] || !asked {
			kept = append(kept, r)
		}
	}
	m.Toasts = kept
	m.chosen = min(m.chosen, len(m.Toasts)-1)
}

// HandlesKey reports whether a key press belongs to the reminders.
func (m *RemindersPane) HandlesKey(msg tea.KeyPressMsg) bool {
	if m.Active() {
		return true
	}
	return len(m.Toasts) > 0 && (key.Matches(msg, m.Keys.Dismiss, m.Keys.Snooze, m.Keys.Choose) || msg.String() == "o")
}

// line is one reminder in words: "in 5m: 김민준 — 배송 지연 재안내".
func (m *RemindersPane) line(r queue.Reminder) string {
	t := m.c.Text
	name := kit.Safe(r.Callback.CustomerName)
	head := kit.Sprintf(t.ReminderDue, name)
	switch r.Kind {
	case queue.RemindBefore:
		head = kit.Sprintf(t.ReminderBefore, t.Duration(r.Callback.Due.Sub(m.c.Now())), name)
	case queue.RemindSnooze:
		head = kit.Sprintf(t.ReminderSnooze, name)
	}
	if r.Callback.Reason != "" {
		head += " — " + kit.Safe(r.Callback.Reason)
	}
	return head
}

// ToastsView draws the toasts as one box, newest at the bottom, w wide.
func (m *RemindersPane) ToastsView(w int) string {
	if len(m.Toasts) == 0 {
		return ""
	}
	st := m.c.Styles
	m.chosen = max(0, min(m.chosen, len(m.Toasts)-1))
	from := max(0, min(len(m.Toasts)-maxToasts, m.chosen))
	shown := m.Toasts[from:min(len(m.Toasts), from+maxToasts)]
	var lines []string
	for i, r := range shown {
		mark := "⏰ "
		if from+i == m.chosen && len(m.Toasts) > 1 {
			mark = "▸ "
		}
		lines = append(lines, mark+kit.Fit(m.line(r), w-7))
	}
	if extra := len(m.Toasts) - len(shown); extra > 0 {
		lines = append([]string{st.Muted.Render(kit.Sprintf(m.c.Text.MoreReminders, extra))}, lines...)
	}
	t := m.c.Text
	help := "o " + t.KeyOpenReminder + " · z " + t.KeySnooze + " · x " + t.KeyDismiss
	if len(m.Toasts) > 1 {
		help += " · ctrl+t " + t.KeyChooseToast
	}
	keys := st.Muted.Render(help)
	return st.Toast.Width(w).Render(strings.Join(lines, "\n") + "\n" + keys)
}

// MissedView draws the login list.
func (m *RemindersPane) MissedView(w, h int) string {
	t, st := m.c.Text, m.c.Styles
	var b strings.Builder
	b.WriteString(st.TitleFocused.Render(kit.Sprintf(t.MissedTitle, len(m.Missed))) + "\n\n")
	now := m.c.Now()
	for i, r := range m.Missed {
		line := kit.Fit(t.Due(r.Callback.Due, now), 12) + " " + kit.Fit(kit.Safe(r.Callback.CustomerName), 13) + " " + kit.Safe(r.Callback.Reason)
		if i == m.cursor {
			line = st.Selected.Render(kit.Fit(line, w-6))
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n" + st.Muted.Render("enter "+t.KeyOpenReminder+" · esc "+t.KeyBack))
	return st.HelpBox.Width(w).Render(kit.ClipLines(b.String(), w-6, h-2))
}

// snoozePane asks when to be reminded again: 5m, 15m, 1h or a phrase.
type snoozePane struct {
	c      *kit.Common
	r      queue.Reminder
	phrase *kit.PhraseInput
}

func newSnoozePane(c *kit.Common, r queue.Reminder) *snoozePane { return &snoozePane{c: c, r: r} }

// Update returns the command that stores the snooze, and whether the
// chooser is finished.
func (m *snoozePane) Update(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.phrase != nil {
		switch msg.String() {
		case "esc":
			m.phrase = nil
			return nil, false
		case "enter":
			at, err := m.phrase.Time()
			if err != nil {
				return nil, false
			}
			return m.store(at), true
		}
		return m.phrase.Update(msg), false
	}
	now := m.c.Now()
	switch msg.String() {
	case "1":
		return m.store(now.Add(5 * time.Minute)), true
	case "2":
		return m.store(now.Add(15 * time.Minute)), true
	case "3":
		return m.store(now.Add(time.Hour)), true
	case "4", "t":
		m.phrase = kit.NewPhraseInput(m.c, m.r.Callback.CustomerTZ, "", nil)
		m.phrase.SetWidth(40)
		return m.phrase.Focus(), false
	case "esc", "q":
		return nil, true
	}
	return nil, false
}

func (m *snoozePane) store(until time.Time) tea.Cmd {
	svc, ctx, agent, id := m.c.Queue, m.c.Ctx, m.c.Agent, m.r.Callback.ID
	return func() tea.Msg {
		return SnoozedMsg{until: until, err: svc.Snooze(ctx, agent, id, until)}
	}
}

func (m *snoozePane) View(w int) string {
	t, st := m.c.Text, m.c.Styles
	body := st.TitleFocused.Render(t.SnoozeTitle) + "\n" + kit.Safe(m.r.Callback.CustomerName) + "\n\n" +
		"1  5" + t.Minute + "\n2  15" + t.Minute + "\n3  1" + t.Hour + "\n4  " + t.SnoozeCustom
	if m.phrase != nil {
		body += "\n\n" + m.phrase.View()
	}
	return st.HelpBox.Width(w).Render(body)
}
