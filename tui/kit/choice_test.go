package kit

import (
	"testing"

	"github.com/dangol/dangol/crm"
)

func TestResolveTakesTheWordsOfEitherLanguage(t *testing.T) {
	ko := TextFor(Korean)
	agents := AgentOptions([]crm.Agent{{Name: "minji", DisplayName: "김민지"}, {Name: "minho", DisplayName: "김민호"},
		{Name: "sora", DisplayName: "박소라"}, {Name: "evil", DisplayName: "\x1b[31m악\x1b[0m"}})
	for _, c := range []struct {
		opts  []Option
		typed string
		want  string
		ok    bool
	}{
		{ko.KindOptions(), "마케팅", "marketing", true},
		{ko.KindOptions(), " Marketing ", "marketing", true},
		{ko.KindOptions(), "마", "marketing", true},
		{ko.KindOptions(), "서비", "service", true},
		{ko.KindOptions(), "s", "", false}, // service and sales
		{ko.KindOptions(), "telemarketing", "", false},
		{ko.StateOptions(), "통화 중", "claimed", true},
		{ko.StateOptions(), "예정", "scheduled", true},
		{ko.RoleOptions(), "팀장", "supervisor", true},
		{ko.TierOptions(), "골드", "gold", true},
		{ko.BlockOptions(), "통화거부", "dnc", true},
		{ko.BlockOptions(), "window", "window", true},
		{agents, "박소라", "sora", true},
		{agents, "김민지 (minji)", "minji", true},
		{agents, "김민", "", false}, // 김민지 and 김민호
		{agents, "MINJI", "minji", true},
		{agents, "evil", "evil", true},
		{agents, "", "", true},
	} {
		got, ok := Resolve(c.opts, c.typed)
		if got != c.want || ok != c.ok {
			t.Errorf("Resolve(%q) = %q, %v; want %q, %v", c.typed, got, ok, c.want, c.ok)
		}
	}
	for _, o := range agents {
		for _, w := range o.Words {
			if Safe(w) != w {
				t.Errorf("an agent's word %q reaches the terminal unsanitised", w)
			}
		}
	}
}
