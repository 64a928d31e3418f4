package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// reminderEvery is how often the console asks whether a reminder fired.
const reminderEvery = time.Second

// maxToasts is how many reminders stand on screen at once; older ones wait.
const maxToasts = 3

// remindersPane keeps the agent's reminders: toasts with a bell as they
// fire, and at login the list of those missed while away. A reminder is
// recorded as delivered only once it is on screen.
type remindersPane struct {
	c       *Common
	keys    reminderKeys
	toasts  []queue.Reminder // on screen, oldest first
	missed  []queue.Reminder // the login list; nil once closed
	cursor  int
	snooze  *snoozePane // choosing when to be reminded again
	started bool        // the first check (the login list) came back
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

func newReminderKeys(t Text) reminderKeys {
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

func newRemindersPane(c *Common) *remindersPane {
	return &remindersPane{c: c, keys: newReminderKeys(c.Text), seen: map[reminderID]bool{}}
}

// reminderTickMsg asks for a reminder check.
type reminderTickMsg struct{}

// remindersMsg carries the reminders due and not yet shown, and which of
// the toasts on screen still stand for a callback in the agent's queue.
type remindersMsg struct {
	list    []queue.Reminder
	inQueue map[int64]bool // nil: not asked
	err     error
}

// snoozedMsg says a snooze was stored.
type snoozedMsg struct {
	until time.Time
	err   error
}

func (m *remindersPane) tick() tea.Cmd {
	return m.c.after(reminderEvery, reminderTickMsg{})
}

func (m *remindersPane) check() tea.Cmd {
	if m.asking {
		return nil
	}
	m.asking = true
	svc, ctx, agent, now := m.c.Queue, m.c.Ctx, m.c.Agent, m.c.Now()
	var toasts []int64
	for _, r := range m.toasts {
		toasts = append(toasts, r.Callback.ID)
	}
	return func() tea.Msg {
		list, err := svc.Reminders(ctx, agent, now)
		if err != nil {
			return remindersMsg{err: err}
		}
		msg := remindersMsg{list: list}
		if len(toasts) > 0 {
			msg.inQueue, msg.err = svc.InQueue(ctx, agent, toasts)
		}
		return msg
	}
}

// Active reports whether the pane wants the keyboard: the login list or
// the snooze chooser is open.
func (m *remindersPane) Active() bool { return m.missed != nil || m.snooze != nil }

// Update handles checks, their results and, when the app routes them, keys.
func (m *remindersPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case reminderTickMsg:
		return tea.Batch(m.check(), m.tick())
	case remindersMsg:
		m.asking = false
		if msg.err != nil {
			return notice(m.c.Text.Refusal(msg.err, m.c.Now()), true)
		}
		if msg.inQueue != nil {
			m.prune(msg.inQueue)
		}
		return m.arrived(msg.list)
	case snoozedMsg:
		if msg.err != nil {
			return notice(m.c.Text.Refusal(msg.err, m.c.Now()), true)
		}
		return notice(fmt.Sprintf(m.c.Text.Snoozed, msg.until.In(m.c.Now().Location()).Format("15:04")), false)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

// arrived shows new reminders: the first batch after login as the missed
// list, later ones as toasts with the bell. Either way they are recorded as
// delivered now that they are on screen.
func (m *remindersPane) arrived(list []queue.Reminder) tea.Cmd {
	var fresh []queue.Reminder
	for _, r := range list {
		if !m.seen[idOf(r)] {
			m.seen[idOf(r)] = true
			fresh = append(fresh, r)
		}
	}
	first := !m.started
	m.started = true
	if len(fresh) == 0 {
		return nil
	}
	if first {
		m.missed, m.cursor = fresh, 0
	} else {
		for _, r := range fresh {
			// The call the agent is on needs no reminder: it is recorded as
			// delivered, not shown.
			if !r.Callback.ClaimedByAgent(m.c.Agent.Name) {
				m.toasts = append(m.toasts, r)
			}
		}
		m.chosen = len(m.toasts) - 1
	}
	svc, ctx, agent, prefix := m.c.Queue, db.Background(m.c.Ctx), m.c.Agent, m.c.Text.ErrorPrefix
	m.c.Log.Info("reminders shown", "agent", agent.Name, "count", len(fresh), "login", first)
	deliver := func() tea.Msg {
		if err := svc.Delivered(ctx, agent, fresh); err != nil {
			return noticeMsg{text: prefix + err.Error(), err: true} // the system's words: the file and why
		}
		return nil
	}
	return tea.Batch(deliver, tea.Raw("\a"))
}

func (m *remindersPane) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.snooze != nil {
		cmd, done := m.snooze.Update(msg)
		if done {
			m.snooze = nil
		}
		return cmd
	}
	if m.missed != nil {
		switch {
		case key.Matches(msg, m.keys.Up):
			m.cursor = max(0, m.cursor-1)
		case key.Matches(msg, m.keys.Down):
			m.cursor = min(len(m.missed)-1, m.cursor+1)
		case key.Matches(msg, m.keys.Close):
			m.missed = nil
		case key.Matches(msg, m.keys.Open):
			r := m.missed[m.cursor]
			m.missed = nil
			m.c.post(openCustomerMsg{customerID: r.Callback.CustomerID, callbackID: r.Callback.ID})
		default:
			// Any other key closes the list and does what it does
			// elsewhere (N claims, / searches): no key is lost.
			m.missed = nil
			m.c.post(replayKeyMsg{key: msg})
		}
		return nil
	}
	return m.toastKey(msg)
}

// replayKeyMsg hands a key back to the root to be handled afresh, after
// the box that took it (the login list, the help) has closed.
type replayKeyMsg struct{ key tea.KeyPressMsg }

// toastKey acts on the chosen toast (the newest unless ctrl+t chose
// another); it reports nil when the key is not a reminder key, so the app
// passes it on.
func (m *remindersPane) toastKey(msg tea.KeyPressMsg) tea.Cmd {
	if len(m.toasts) == 0 {
		return nil
	}
	m.chosen = max(0, min(m.chosen, len(m.toasts)-1))
	r := m.toasts[m.chosen]
	drop := func() {
		m.toasts = append(m.toasts[:m.chosen], m.toasts[m.chosen+1:]...)
		m.chosen = len(m.toasts) - 1
	}
	switch {
	case key.Matches(msg, m.keys.Choose):
		m.chosen = (m.chosen + len(m.toasts) - 1) % len(m.toasts)
	case key.Matches(msg, m.keys.Open):
		drop()
		m.c.post(openCustomerMsg{customerID: r.Callback.CustomerID, callbackID: r.Callback.ID})
	case key.Matches(msg, m.keys.Dismiss):
		drop()
	case key.Matches(msg, m.keys.Snooze):
		drop()
		m.snooze = newSnoozePane(m.c, r)
	}
	return nil
}

// prune drops the toasts of callbacks that are no longer in the agent's
// queue: wrapped up, cancelled, or gone to someone else. A toast that
// came after the question was asked stays.
func (m *remindersPane) prune(inQueue map[int64]bool) {
	kept := m.toasts[:0]
	for _, r := range m.toasts {
		if _, asked := inQueue[r.Callback.ID]; inQueue[r.Callback.ID] || !asked {
			kept = append(kept, r)
		}
	}
	m.toasts = kept
	m.chosen = min(m.chosen, len(m.toasts)-1)
}

// HandlesKey reports whether a key press belongs to the reminders.
func (m *remindersPane) HandlesKey(msg tea.KeyPressMsg) bool {
	if m.Active() {
		return true
	}
	return len(m.toasts) > 0 && (key.Matches(msg, m.keys.Dismiss, m.keys.Snooze, m.keys.Choose) || msg.String() == "o")
}

// line is one reminder in words: "in 5m: 김민준 — 배송 지연 재안내".
func (m *remindersPane) line(r queue.Reminder) string {
	t := m.c.Text
	name := Safe(r.Callback.CustomerName)
	head := fmt.Sprintf(t.ReminderDue, name)
	switch r.Kind {
	case queue.RemindBefore:
		head = fmt.Sprintf(t.ReminderBefore, t.Duration(r.Callback.Due.Sub(m.c.Now())), name)
	case queue.RemindSnooze:
		head = fmt.Sprintf(t.ReminderSnooze, name)
	}
	if r.Callback.Reason != "" {
		head += " — " + Safe(r.Callback.Reason)
	}
	return head
}

// ToastsView draws the toasts as one box, newest at the bottom, w wide.
func (m *remindersPane) ToastsView(w int) string {
	if len(m.toasts) == 0 {
		return ""
	}
	st := m.c.Styles
	m.chosen = max(0, min(m.chosen, len(m.toasts)-1))
	from := max(0, min(len(m.toasts)-maxToasts, m.chosen))
	shown := m.toasts[from:min(len(m.toasts), from+maxToasts)]
	var lines []string
	for i, r := range shown {
		mark := "⏰ "
		if from+i == m.chosen && len(m.toasts) > 1 {
			mark = "▸ "
		}
		lines = append(lines, mark+fit(m.line(r), w-7))
	}
	if extra := len(m.toasts) - len(shown); extra > 0 {
		lines = append([]string{st.Muted.Render(fmt.Sprintf(m.c.Text.MoreReminders, extra))}, lines...)
	}
	t := m.c.Text
	help := "o " + t.KeyOpenReminder + " · z " + t.KeySnooze + " · x " + t.KeyDismiss
	if len(m.toasts) > 1 {
		help += " · ctrl+t " + t.KeyChooseToast
	}
	keys := st.Muted.Render(help)
	return st.Toast.Width(w).Render(strings.Join(lines, "\n") + "\n" + keys)
}

// MissedView draws the login list.
func (m *remindersPane) MissedView(w, h int) string {
	t, st := m.c.Text, m.c.Styles
	var b strings.Builder
	b.WriteString(st.TitleFocused.Render(fmt.Sprintf(t.MissedTitle, len(m.missed))) + "\n\n")
	now := m.c.Now()
	for i, r := range m.missed {
		line := fit(t.Due(r.Callback.Due, now), 12) + " " + fit(Safe(r.Callback.CustomerName), 13) + " " + Safe(r.Callback.Reason)
		if i == m.cursor {
			line = st.Selected.Render(fit(line, w-6))
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n" + st.Muted.Render("enter "+t.KeyOpenReminder+" · esc "+t.KeyBack))
	return st.HelpBox.Width(w).Render(clipLines(b.String(), w-6, h-2))
}

// snoozePane asks when to be reminded again: 5m, 15m, 1h or a phrase.
type snoozePane struct {
	c      *Common
	r      queue.Reminder
	phrase *phraseInput
}

func newSnoozePane(c *Common, r queue.Reminder) *snoozePane { return &snoozePane{c: c, r: r} }

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
		m.phrase = newPhraseInput(m.c, m.r.Callback.CustomerTZ, "", nil)
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
		return snoozedMsg{until: until, err: svc.Snooze(ctx, agent, id, until)}
	}
}

func (m *snoozePane) View(w int) string {
	t, st := m.c.Text, m.c.Styles
	body := st.TitleFocused.Render(t.SnoozeTitle) + "\n" + Safe(m.r.Callback.CustomerName) + "\n\n" +
		"1  5" + t.Minute + "\n2  15" + t.Minute + "\n3  1" + t.Hour + "\n4  " + t.SnoozeCustom
	if m.phrase != nil {
		body += "\n\n" + m.phrase.View()
	}
	return st.HelpBox.Width(w).Render(body)
}
