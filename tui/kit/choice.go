package kit

import (
	"strings"

	"github.com/dangol/dangol/crm"
)

// Option is one value a choice field takes: the code the engine stores and
// the words that name it, the one shown on screen first (예약, Scheduled,
// 김민지 (minji)). A person types any of them, or the start of one.
type Option struct {
	Code  string
	Words []string
}

// Shown is the word the screen uses for the option.
func (o Option) Shown() string {
	if len(o.Words) > 0 {
		return o.Words[0]
	}
	return o.Code
}

// Resolve reads what was typed into a choice field as the code of one
// option: a word or code in full (in any case), else the start of the words
// of exactly one option. Empty reads as the empty code.
func Resolve(opts []Option, typed string) (string, bool) {
	typed = strings.ToLower(strings.TrimSpace(typed))
	if typed == "" {
		return "", true
	}
	if code, ok := exact(opts, typed); ok {
		return code, true
	}
	found, n := "", 0
	for _, o := range opts {
		for _, w := range append([]string{o.Code}, o.Words...) {
			if strings.HasPrefix(strings.ToLower(w), typed) {
				found, n = o.Code, n+1
				break
			}
		}
	}
	if n != 1 {
		return "", false
	}
	return found, true
}

// exact finds the option that has typed as a word or code in full.
func exact(opts []Option, typed string) (string, bool) {
	for _, o := range opts {
		for _, w := range append([]string{o.Code}, o.Words...) {
			if strings.EqualFold(w, strings.TrimSpace(typed)) {
				return o.Code, true
			}
		}
	}
	return "", false
}

// ShownOf is the screen's word for code among opts (the code itself when
// no option has it).
func ShownOf(opts []Option, code string) string {
	for _, o := range opts {
		if o.Code == code {
			return o.Shown()
		}
	}
	return code
}

// choiceHint lists the options by their screen words, for a placeholder or
// a refusal.
func choiceHint(opts []Option) string {
	words := make([]string, len(opts))
	for i, o := range opts {
		words[i] = o.Shown()
	}
	return strings.Join(words, ", ")
}

// badChoice says a typed value is none of the options, and which they are.
func (t Text) badChoice(label, typed string, opts []Option) string {
	return Sprintf(t.BadChoice, label, typed, choiceHint(opts))
}

// options names each code in the screen's language first, then in the
// other, so a Korean console takes 마케팅 and marketing alike.
func (t Text) options(codes []string, name func(Text, string) string) []Option {
	other := TextFor(English)
	if t.Lang == English {
		other = TextFor(Korean)
	}
	out := make([]Option, len(codes))
	for i, c := range codes {
		out[i] = Option{Code: c, Words: []string{name(t, c), name(other, c)}}
	}
	return out
}

// KindOptions are the kinds of call.
func (t Text) KindOptions() []Option {
	return t.options([]string{"service", "complaint", "sales", "marketing"}, Text.Kind)
}

// StateOptions are the states of an open callback.
func (t Text) StateOptions() []Option {
	return t.options([]string{"scheduled", "claimed"}, Text.State)
}

// TierOptions are the membership tiers.
func (t Text) TierOptions() []Option {
	return t.options([]string{"basic", "silver", "gold", "vip"}, Text.TierName)
}

// RoleOptions are the roles of an agent.
func (t Text) RoleOptions() []Option {
	return t.options([]string{"agent", "supervisor", "admin"}, Text.Role)
}

// AgentOptions name agents by display name and login: "김민지 (minji)",
// 김민지 and minji all read as minji.
func AgentOptions(agents []crm.Agent) []Option {
	var out []Option
	for _, a := range agents {
		words := []string{a.Name}
		if d := Safe(a.DisplayName); d != "" && d != a.Name {
			words = []string{d + " (" + a.Name + ")", d, a.Name}
		}
		out = append(out, Option{Code: a.Name, Words: words})
	}
	return out
}

// PoolOption is the team pool as an agent field takes it, under code.
func PoolOption(t Text, code string) Option {
	o := t.options([]string{code}, func(t Text, _ string) string { return t.TeamPool })[0]
	o.Words = append(o.Words, t.Pool, "풀", "pool")
	return o
}

// BlockOptions are why a callback cannot be called now, as the filter
// takes them ("any" for every reason).
func (t Text) BlockOptions() []Option {
	return t.options([]string{"any", "dnc", "invalid_phone", "no_phone", "consent", "window"}, func(t Text, code string) string {
		word := map[string]string{"any": t.BlockAny, "dnc": t.BlockDNC, "invalid_phone": t.BlockInvalid, "no_phone": t.BlockNoPhone,
			"consent": t.BlockConsent, "window": t.BlockWindowWord}[code]
		return strings.TrimPrefix(word, "⛔ ")
	})
}
