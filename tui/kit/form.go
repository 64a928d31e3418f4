package kit

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// formField is one line of a form: text, a yes/no toggle, or a due-time
// phrase with its meaning shown under it.
type formField struct {
	label  string
	input  textinput.Model
	toggle bool // a yes/no answer; space flips it
	on     bool
	phrase *PhraseInput
	// options, for a choice: what may be typed, completed with tab, and
	// handed to submit as the option's code.
	options []Option
	free    bool // a choice that also takes what no option names (an OS user, say)
}

// FormPane is a small form for the quick actions of the 360 (a callback,
// a complaint, points, contact data). submit checks and stores the values;
// when it returns an error the form stays open with what was typed.
type FormPane struct {
	c       *Common
	title   string
	fields  []*formField
	focus   int
	err     string
	submit  func(values []string, toggles []bool) (tea.Cmd, error)
	closed  bool
	waiting bool // stored, waiting for the database to say yes
	w, h    int
}

func NewForm(c *Common, title string, submit func([]string, []bool) (tea.Cmd, error)) *FormPane {
	return &FormPane{c: c, title: title, submit: submit}
}

// Text adds a text field with a starting value and a placeholder.
func (f *FormPane) Text(label, value, placeholder string) *FormPane {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = placeholder
	ti.CharLimit = 500
	styles := textinput.DefaultStyles(f.c.Styles.IsDark)
	styles.Cursor.Blink = false
	ti.SetStyles(styles)
	ti.SetValue(value)
	f.fields = append(f.fields, &formField{label: label, input: ti})
	return f
}

// When adds a due-time phrase field: def is its placeholder (an empty field
// means it), read in the customer's zone tz, warned against win.
func (f *FormPane) When(label, def, tz string, win *queue.Window) *FormPane {
	f.fields = append(f.fields, &formField{label: label, phrase: NewPhraseInput(f.c, tz, def, win)})
	return f
}

// Best gives the last field added, a due-time phrase, the customer's best
// time to call (see PhraseInput.SetBest).
func (f *FormPane) Best(b crm.BestTime) *FormPane {
	if fl := f.fields[len(f.fields)-1]; fl.phrase != nil {
		fl.phrase.SetBest(b)
	}
	return f
}

// Choice adds a field that takes one of opts, by the words the screen
// shows or their codes, completing with tab; submit gets the code. code is
// the starting value ("" for none).
func (f *FormPane) Choice(label, code string, opts []Option) *FormPane {
	value := ""
	if code != "" {
		value = ShownOf(opts, code)
	}
	f.Text(label, value, choiceHint(opts))
	fl := f.fields[len(f.fields)-1]
	if len(opts) > 0 { // none known yet (still reading): free text
		fl.options = opts
	}
	var words []string
	for _, o := range opts {
		words = append(words, o.Words...)
		words = append(words, o.Code)
	}
	fl.input.ShowSuggestions = true
	fl.input.SetSuggestions(words)
	return f
}

// Names is a choice that also takes text no option names: a typed name
// that is an option's word becomes its code, anything else stays as typed.
func (f *FormPane) Names(label, code string, opts []Option) *FormPane {
	f.Choice(label, code, opts)
	f.fields[len(f.fields)-1].free = true
	return f
}

// isWord reports whether a choice holds a word or code in full: tab then
// moves on rather than completing it to a longer word (팀 → 팀 공용).
func (fl *formField) isWord() bool {
	_, ok := exact(fl.options, fl.input.Value())
	return ok
}

// YesNo adds a toggle.
func (f *FormPane) YesNo(label string, on bool) *FormPane {
	f.fields = append(f.fields, &formField{label: label, toggle: true, on: on})
	return f
}

// Focus puts the cursor in the first field.
func (f *FormPane) Focus() tea.Cmd { return f.focusField(0) }

func (f *FormPane) focusField(i int) tea.Cmd {
	for _, fl := range f.fields {
		fl.input.Blur()
		if fl.phrase != nil {
			fl.phrase.Blur()
		}
	}
	f.focus = i
	switch fl := f.fields[i]; {
	case fl.phrase != nil:
		return fl.phrase.Focus()
	case !fl.toggle:
		return fl.input.Focus()
	}
	return nil
}

func (f *FormPane) SetSize(w, h int) {
	f.w, f.h = w, h
	for _, fl := range f.fields {
		fl.input.SetWidth(max(8, w-labelColumn-2))
		if fl.phrase != nil {
			fl.phrase.SetWidth(w - labelColumn)
		}
	}
}

// labelColumn is the width of the labels.
const labelColumn = 16

// Update moves between fields (tab, shift+tab, up, down), flips toggles
// (space), submits on enter in the last field (or ctrl+s anywhere) and
// closes on esc.
func (f *FormPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ActionDoneMsg:
		f.waiting = false
		if msg.Err != nil {
			f.err = f.c.Text.Refusal(msg.Err, f.c.Now())
			return nil
		}
		f.closed = true
		return nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || f.waiting {
		return nil
	}
	fl := f.fields[f.focus]
	switch k.String() {
	case "esc":
		f.closed = true
		return nil
	case "tab":
		if s := fl.input.CurrentSuggestion(); fl.options != nil && s != "" && !fl.isWord() {
			fl.input.SetValue(s)
			fl.input.CursorEnd()
			return nil
		}
		return f.focusField((f.focus + 1) % len(f.fields))
	case "down":
		return f.focusField((f.focus + 1) % len(f.fields))
	case "shift+tab", "up":
		return f.focusField((f.focus + len(f.fields) - 1) % len(f.fields))
	case "ctrl+s":
		return f.done()
	case "enter":
		if f.focus < len(f.fields)-1 {
			return f.focusField(f.focus + 1)
		}
		return f.done()
	case "space", " ":
		if fl.toggle {
			fl.on = !fl.on
			return nil
		}
	}
	if fl.toggle {
		switch k.String() {
		case "y":
			fl.on = true
		case "n":
			fl.on = false
		}
		return nil
	}
	f.err = ""
	if fl.phrase != nil {
		return fl.phrase.Update(msg)
	}
	var cmd tea.Cmd
	fl.input, cmd = fl.input.Update(msg)
	return cmd
}

func (f *FormPane) done() tea.Cmd {
	values := make([]string, len(f.fields))
	toggles := make([]bool, len(f.fields))
	for i, fl := range f.fields {
		values[i], toggles[i] = strings.TrimSpace(fl.input.Value()), fl.on
		if fl.phrase != nil {
			values[i] = strings.TrimSpace(fl.phrase.Phrase())
		}
		if fl.options != nil {
			code, ok := Resolve(fl.options, values[i])
			if !ok && fl.free {
				continue
			}
			if !ok {
				f.err = f.c.Text.badChoice(fl.label, values[i], fl.options)
				return f.focusField(i)
			}
			values[i] = code
		}
	}
	cmd, err := f.submit(values, toggles)
	if err != nil {
		f.err = f.c.Text.Refusal(err, f.c.Now())
		return nil
	}
	if cmd == nil {
		// Nothing to store (a filter, say): the form's work is done.
		f.closed = true
		return nil
	}
	f.waiting = true
	return cmd
}

func (f *FormPane) View() string {
	t, st := f.c.Text, f.c.Styles
	var b strings.Builder
	b.WriteString(st.TitleFocused.Render(Safe(f.title)) + "\n\n")
	for i, fl := range f.fields {
		label := st.Label.Render(Fit(fl.label, labelColumn))
		if i == f.focus {
			label = st.Section.Render(Fit(fl.label, labelColumn))
		}
		value := InputView(fl.input)
		if fl.phrase != nil {
			lines := strings.Split(fl.phrase.View(), "\n")
			value = strings.Join(lines, "\n"+strings.Repeat(" ", labelColumn))
		}
		if fl.toggle {
			value = "[ ]"
			if fl.on {
				value = "[✓]"
			}
			if i == f.focus {
				value = st.Selected.Render(value)
			}
		}
		b.WriteString(label + value + "\n")
	}
	if f.err != "" {
		b.WriteString("\n" + st.Bad.Render(Wrap(Safe(f.err), max(1, f.w))))
	}
	b.WriteString("\n" + st.Muted.Render(Wrap(t.FormKeys, max(1, f.w))))
	return ClipLines(b.String(), f.w, f.h)
}

func (f *FormPane) Done() bool { return f.closed }

func (f *FormPane) BoxWidth(w int) int { return min(w, 64) }

func (f *FormPane) Keys() []key.Binding {
	return []key.Binding{Hint("esc", f.c.Text.KeyCancel)}
}
