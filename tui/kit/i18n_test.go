package kit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/queue"
)

// kst and testNow are the zone and the present of the console tests.
var (
	kst     = time.FixedZone("KST", 9*3600)
	testNow = time.Date(2026, 11, 23, 14, 0, 0, 0, kst)
)

func TestEveryStringInBothLanguages(t *testing.T) {
	var check func(ko, en reflect.Value)
	check = func(ko, en reflect.Value) {
		typ := ko.Type()
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			if f.Type.Kind() == reflect.Struct {
				check(ko.Field(i), en.Field(i)) // TeamText and the like
				continue
			}
			if f.Type.Kind() != reflect.String {
				continue
			}
			k, e := ko.Field(i).String(), en.Field(i).String()
			if (k == "" || e == "") && f.Name != "ColOnline" {
				t.Errorf("%s: ko=%q en=%q; every string needs both languages", f.Name, k, e)
			}
			if strings.Count(k, "%") != strings.Count(e, "%") {
				t.Errorf("%s: ko %q and en %q take different arguments", f.Name, k, e)
			}
		}
	}
	check(reflect.ValueOf(TextFor(Korean)), reflect.ValueOf(TextFor(English)))
}

func TestLang(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		vars map[string]string
		want Lang
	}{
		{map[string]string{"LANG": "ko_KR.UTF-8"}, Korean},
		{map[string]string{"LANG": "en_US.UTF-8"}, English},
		{map[string]string{"LC_ALL": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, Korean},
		{map[string]string{"LC_ALL": "C", "LANG": "ko_KR.UTF-8"}, English},
		{map[string]string{}, English},
	}
	for _, c := range cases {
		if got := LangFromEnv(env(c.vars)); got != c.want {
			t.Errorf("LangFromEnv(%v) = %s, want %s", c.vars, got, c.want)
		}
	}
	if _, err := ParseLang("fr"); err == nil {
		t.Error("ParseLang(fr) should fail")
	}
	if l, err := ParseLang("KO"); err != nil || l != Korean {
		t.Errorf("ParseLang(KO) = %s, %v", l, err)
	}
}

func TestDue(t *testing.T) {
	now := testNow
	cases := []struct {
		offset time.Duration
		ko, en string
	}{
		{0, "지금", "now"},
		{20 * time.Second, "지금", "now"},
		{5 * time.Minute, "5분 후", "in 5m"},
		{-12 * time.Minute, "12분 지남", "12m overdue"},
		{-80 * time.Minute, "1시간 지남", "1h overdue"},
		{150 * time.Minute, "3시간 후", "in 3h"},
		{23 * time.Hour, "23시간 후", "in 23h"},
		{23*time.Hour + 50*time.Minute, "1일 후", "in 1d"},
		{-50 * time.Hour, "2일 지남", "2d overdue"},
		{-800 * 24 * time.Hour, "2년 지남", "2y overdue"},
	}
	for _, c := range cases {
		due := now.Add(c.offset)
		if got := TextFor(Korean).Due(due, now); got != c.ko {
			t.Errorf("ko Due(%s) = %q, want %q", c.offset, got, c.ko)
		}
		if got := TextFor(English).Due(due, now); got != c.en {
			t.Errorf("en Due(%s) = %q, want %q", c.offset, got, c.en)
		}
	}
}

// TestEveryProblemInKorean finds every problem.New in the engine's source
// and checks the console words it in Korean with the same arguments, so no
// English sentence from the engine reaches a Korean screen.
func TestEveryProblemInKorean(t *testing.T) {
	fset := token.NewFileSet()
	found := 0
	for _, dir := range []string{"../../crm", "../../queue", "../../due", "../../campaign"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) < 2 {
					return true
				}
				fn, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || fn.Sel.Name != "New" {
					return true
				}
				if pkg, ok := fn.X.(*ast.Ident); !ok || pkg.Name != "problem" {
					return true
				}
				code, err1 := strconv.Unquote(call.Args[0].(*ast.BasicLit).Value)
				format, err2 := strconv.Unquote(call.Args[1].(*ast.BasicLit).Value)
				if err1 != nil || err2 != nil {
					t.Errorf("%s: problem.New needs a literal code and format", fset.Position(call.Pos()))
					return true
				}
				found++
				ko, ok := problemsKo[code]
				switch {
				case !ok:
					t.Errorf("%s: problem %q has no Korean words", fset.Position(call.Pos()), code)
				case strings.Count(ko, "%") != strings.Count(format, "%"):
					t.Errorf("problem %q: Korean %q and English %q take different arguments", code, ko, format)
				}
				return true
			})
		}
	}
	if found < 30 {
		t.Errorf("found only %d problem.New calls: the scan is broken", found)
	}
}

// TestNamedThingsInBothLanguages checks the names the console gives the
// engine's codes (segments, states, kinds, tiers, history kinds, settings,
// sorts, bulk actions, why a row was skipped) in both languages.
func TestNamedThingsInBothLanguages(t *testing.T) {
	ko, en := TextFor(Korean), TextFor(English)
	check := func(what, code, k, e string) {
		t.Helper()
		if k == "" || e == "" || k == code && code != "VIP" {
			t.Errorf("%s %q: ko=%q en=%q", what, code, k, e)
		}
	}
	for _, s := range []string{"champion", "loyal", "new", "promising", "at_risk", "hibernating", "regular", "none"} {
		check("segment", s, ko.Segment(s), en.Segment(s))
	}
	for _, s := range []string{"scheduled", "claimed", "done", "cancelled", "failed"} {
		check("state", s, ko.State(s), en.State(s))
	}
	for _, s := range []string{"service", "complaint", "sales", "marketing"} {
		check("kind", s, ko.Kind(s), en.Kind(s))
	}
	for _, s := range []string{"basic", "silver", "gold", "vip"} {
		check("tier", s, ko.TierName(s), en.TierName(s))
	}
	for _, s := range []string{"", "interaction", "purchase", "complaint", "points", "callback"} {
		check("history kind", s, ko.TimelineFilter(s), en.TimelineFilter(s))
	}
	for _, st := range []string{"policy.lease_minutes", "policy.auto_pool_minutes", "policy.max_active", "policy.max_attempts",
		"policy.reminder_lead_minutes", "sla.first_response_hours", "sla.resolution_hours"} {
		check("setting", st, ko.SettingName(st), en.SettingName(st))
	}
	for _, s := range []string{"", "due", "priority", "customer", "owner", "state", "kind", "attempts", "tier", "reason"} {
		check("sort", s, ko.SortName(s), en.SortName(s))
	}
	for _, s := range []string{"name", "initials", "latin", "phone", "last4", "email"} {
		check("query kind", s, ko.QueryKind(s), en.QueryKind(s))
	}
}

// TestDuePreviewAndRefusals: the preview under a due field names the full
// date, weekday and clock time, the customer's too when their zone differs,
// and says when no time was said; a refusal names weekdays in Korean.
func TestDuePreviewAndRefusals(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no tzdata")
	}
	p := queue.DefaultPolicy()
	ko, en := TextFor(Korean), TextFor(English)
	r, err := p.ReadDue("내일 오후 3시", testNow, kst)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ko.Preview(r, kst, kst), "2026-11-24 (화) 15:00"; got != want {
		t.Errorf("ko preview = %q, want %q", got, want)
	}
	if got, want := en.Preview(r, kst, la), "2026-11-24 (Tue) 15:00 · PST there: 11-23 (Mon) 22:00"; got != want {
		t.Errorf("en preview for a customer in Los Angeles = %q, want %q", got, want)
	}
	r, err = p.ReadDue("12월 1일", testNow, kst)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ko.Preview(r, kst, kst), "2026-12-01 (화) 10:00 · 시각 미지정: 기본 시각"; got != want {
		t.Errorf("ko preview of a date alone = %q, want %q", got, want)
	}
	_, err = p.ReadDue("12월 1일 수요일", testNow, kst)
	if got := ko.Refusal(err, testNow); !strings.Contains(got, "2026-12-01은 화요일이지 수요일이 아닙니다") {
		t.Errorf("ko refusal of a wrong weekday = %q", got)
	}
	if got := en.Refusal(err, testNow); !strings.Contains(got, "2026-12-01 is a Tuesday, not a Wednesday") {
		t.Errorf("en refusal of a wrong weekday = %q", got)
	}
}

func TestUndoQuestionSaysWhatItUndoes(t *testing.T) {
	ko, en := TextFor(Korean), TextFor(English)
	move := queue.Pending{Action: queue.BulkReassign, Count: 12, Now: []string{""}, Back: []string{"박소라"}, Undoable: true}
	if got, want := ko.UndoQuestion(move), "콜백 12건의 담당을 팀 공용에서 박소라로 되돌릴까요? 그 뒤에 바뀐 콜백은 그대로 둡니다."; got != want {
		t.Errorf("ko: %q, want %q", got, want)
	}
	move.Back = []string{"김민준", "이준호"}
	move.Count = 1
	if got, want := en.UndoQuestion(move), "Move 1 callback back from the pool to 김민준, 이준호? Callbacks changed since are left alone."; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	move.Back = []string{"김민준"}
	if got, want := ko.UndoQuestion(move), "콜백 1건의 담당을 팀 공용에서 김민준으로 되돌릴까요? 그 뒤에 바뀐 콜백은 그대로 둡니다."; got != want {
		t.Errorf("ko: %q, want %q", got, want)
	}
	cancel := queue.Pending{Action: queue.BulkCancel, Count: 3, Undoable: true}
	if got := en.UndoQuestion(cancel); !strings.HasPrefix(got, "Undo the cancelling of 3 callbacks?") {
		t.Errorf("en cancel: %q", got)
	}
}
