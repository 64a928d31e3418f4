package tui

import (
	"reflect"
	"strings"
	"testing"
	"time"
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
