package tui

import (
	"strings"
	"testing"

	"github.com/dangol/dangol/queue"
	"github.com/dangol/dangol/tui/floor"
	"github.com/dangol/dangol/tui/kit"
)

// TestFiltersTakeTheWordsOnScreen: a Korean supervisor filters the team's
// callbacks with the words the screen shows (a display name completed
// with tab, 예정, 마케팅, 골드), or their start; the English codes keep
// working; a word that names nothing is refused with the choices, and
// the form keeps what was typed.
func TestFiltersTakeTheWordsOnScreen(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, as(t, c, "sora"), 130, 36)
	run(t, a, press("3"))
	team := a.screens[kit.ScreenTeam].(*floor.TeamScreen)
	filter := func(fields ...string) {
		t.Helper()
		run(t, a, press("f"))
		if _, ok := open[*kit.FormPane](a); !ok {
			t.Fatalf("f should open the filter form:\n%s", shown(a))
		}
		for i, v := range fields {
			if i > 0 {
				run(t, a, press("tab"))
			}
			if v != "" {
				typeText(t, a, v)
			}
		}
		run(t, a, press("ctrl+s"))
	}

	// 김민 and tab completes to minji's display name; the rest typed in full.
	run(t, a, press("f"))
	typeText(t, a, "김민")
	run(t, a, press("tab"))
	wantShown(t, a, "김민지 (minji)", "tab completes the display name")
	for _, v := range []string{"", "예정", "마케팅", "", "", "", "골드"} {
		run(t, a, press("tab"))
		if v != "" {
			typeText(t, a, v)
		}
	}
	run(t, a, press("ctrl+s"))
	want := queue.TeamFilter{Owner: "minji", State: queue.Scheduled, Kind: "marketing", Tier: "gold"}
	if team.Filter != want {
		t.Errorf("the Korean words gave the filter %+v, want %+v", team.Filter, want)
	}
	wantShown(t, a, "필터: 김민지 (minji) · 예정 · 마케팅 · 골드", "the filter in the screen's words")

	// The start of a word, the pool by its name, and English codes.
	run(t, a, press("esc"))
	filter("팀", "", "claimed", "서비")
	if want := (queue.TeamFilter{Pool: true, State: queue.Claimed, Kind: "service"}); team.Filter != want {
		t.Errorf("팀, claimed and 서비 gave %+v, want %+v", team.Filter, want)
	}

	// A word that names nothing: refused, with the choices, and kept.
	run(t, a, press("esc"))
	before := team.Filter
	filter("", "", "", "전화")
	if _, ok := open[*kit.FormPane](a); !ok {
		t.Fatalf("a kind that is none should keep the form open:\n%s", shown(a))
	}
	s := shown(a)
	if !strings.Contains(s, "전화") || !strings.Contains(s, "서비스, 불만, 영업, 마케팅") {
		t.Errorf("the refusal should name the value and the choices:\n%s", s)
	}
	if team.Filter != before {
		t.Errorf("a refused filter changed the table's: %+v", team.Filter)
	}
}

// TestTheAuditReadsLikeALog: the audit log names agents as the floor
// knows them, says what was done in the screen's words and which zone its
// times are in, and its filter takes a display name.
func TestTheAuditReadsLikeALog(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, as(t, c, "sora"), 130, 36)
	run(t, a, press("4"))
	audit := a.screens[kit.ScreenAudit].(*floor.AuditScreen)
	if len(audit.Rows) == 0 {
		t.Fatal("the audit log is empty")
	}
	s := shown(a)
	for _, want := range []string{"시각 KST", "김민지", "콜백 #", "통화 결과", "통화 중 → 완료"} {
		if !strings.Contains(s, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, s)
		}
	}
	for _, code := range []string{" minji ", " disposition ", "claimed → done", "callback #"} {
		if strings.Contains(s, code) {
			t.Errorf("the audit log shows the code %q:\n%s", code, s)
		}
	}
	run(t, a, press("f"))
	typeText(t, a, "이준호")
	run(t, a, press("ctrl+s"))
	if len(audit.Rows) == 0 {
		t.Fatalf("junho's rows:\n%s", shown(a))
	}
	for _, r := range audit.Rows {
		if r.Actor.Name != "junho" {
			t.Fatalf("the filter by 이준호 let %s through", r.Actor.Name)
		}
	}
	wantShown(t, a, "필터: 이준호 (junho)", "the filter names the agent")
}
