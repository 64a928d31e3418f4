package kit

import (
	"reflect"
	"regexp"
	"testing"
)

func TestSprintfFollowsTheWordBefore(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
		want   string
	}{
		{"콜백 #%d은(는) 끝났습니다", []any{189}, "콜백 #189는 끝났습니다"},
		{"콜백 #%d은(는) 끝났습니다", []any{190}, "콜백 #190은 끝났습니다"},
		{"콜백 #%d을(를) 맡았습니다", []any{12}, "콜백 #12를 맡았습니다"},
		{"콜백 #%d을(를) 맡았습니다", []any{13}, "콜백 #13을 맡았습니다"},
		{"%s은(는) 자리를 비웠습니다", []any{"장지우"}, "장지우는 자리를 비웠습니다"},
		{"%s은(는) 자리를 비웠습니다", []any{"김민준"}, "김민준은 자리를 비웠습니다"},
		{"%s이(가) 맡았습니다", []any{"minji"}, "minji가 맡았습니다"},
		{"%s이(가) 맡았습니다", []any{"kim"}, "kim이 맡았습니다"},
		{"%q은(는) 시각이 아닙니다", []any{"내일 세시"}, `"내일 세시"는 시각이 아닙니다`},
		{"%q은(는) 시각이 아닙니다", []any{"모레 오후"}, `"모레 오후"는 시각이 아닙니다`},
		{"%q은(는) 시각이 아닙니다", []any{"다음 달"}, `"다음 달"은 시각이 아닙니다`},
		{"%s(으)로 옮겼습니다", []any{"서울"}, "서울로 옮겼습니다"},
		{"%s(으)로 옮겼습니다", []any{"부산"}, "부산으로 옮겼습니다"},
		{"%s(으)로 옮겼습니다", []any{"팀"}, "팀으로 옮겼습니다"},
		{"%s 님은 %s(이)라 할 수 없습니다", []any{"소라", "상담원"}, "소라 님은 상담원이라 할 수 없습니다"},
		{"%s 님은 %s(이)라 할 수 없습니다", []any{"소라", "agent"}, "소라 님은 agent라 할 수 없습니다"},
		{"%s은(는) 기호입니다", []any{"★"}, "★은(는) 기호입니다"}, // cannot tell: both forms
		{"%d callback(s) · %d overdue", []any{1, 2}, "1 callback · 2 overdue"},
		{"%s callback(s) moved", []any{"1,204"}, "1,204 callbacks moved"},
		{"%d callback(s)", []any{0}, "0 callbacks"},
		{"%s left", []any{"은(는) (s)"}, "은(는) (s) left"}, // a value's own tokens are not read
		{"100%% of %s을(를)", []any{"일"}, "100% of 일을"},
		{"%s and %s", []any{"a"}, "a and %!s(MISSING)"},
	} {
		if got := Sprintf(c.format, c.args...); got != c.want {
			t.Errorf("Sprintf(%q, %v) = %q, want %q", c.format, c.args, got, c.want)
		}
	}
}

// Every Korean string with a particle right after a value writes it in its
// paired form, so Sprintf can choose (은(는), not a fixed 은 or 는); every
// English count of a noun writes it as noun(s).
func TestStringsLeaveParticlesAndPluralsToSprintf(t *testing.T) {
	fixed := regexp.MustCompile(`%[sdq](은|는|이|가|을|를|과|와|으로|로)($|[^\x{AC00}-\x{D7A3}(])`)
	plural := regexp.MustCompile(`%[sd] (callbacks|calls|agents|customers|weeks|days|reminders|notes|purchases|answers|characters|rows)\b`)
	check := func(lang, name, s string) {
		if m := fixed.FindString(s); lang == "ko" && m != "" {
			t.Errorf("%s %s: %q fixes the particle after a value: write it paired (은(는))", lang, name, m)
		}
		if m := plural.FindString(s); lang == "en" && m != "" {
			t.Errorf("%s %s: %q is plural for 1 too: write noun(s)", lang, name, m)
		}
	}
	for _, l := range []Lang{Korean, English} {
		lang := map[Lang]string{Korean: "ko", English: "en"}[l]
		v := reflect.ValueOf(TextFor(l))
		for i := range v.NumField() {
			if f := v.Field(i); f.Kind() == reflect.String {
				check(lang, v.Type().Field(i).Name, f.String())
			}
		}
	}
	for code, s := range problemsKo {
		check("ko", code, s)
	}
}
