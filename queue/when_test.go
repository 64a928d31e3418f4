package queue

import (
	"strings"
	"testing"
	"time"
)

func TestParseDue(t *testing.T) {
	now := testNow // Monday 2026-11-23 14:00 KST
	cases := []struct{ phrase, want string }{
		{"15m", "2026-11-23 14:15"},
		{"2h", "2026-11-23 16:00"},
		{"1h30m", "2026-11-23 15:30"},
		{"90s", "2026-11-23 14:01"},
		{"3d", "2026-11-26 14:00"},
		{"in 15m", "2026-11-23 14:15"},
		{"in 2 hours", "2026-11-23 16:00"},
		{"15분 후", "2026-11-23 14:15"},
		{"2시간 뒤", "2026-11-23 16:00"},
		{"1시간 30분 후", "2026-11-23 15:30"},
		{"3일 후", "2026-11-26 14:00"},
		{"2주 뒤", "2026-12-07 14:00"},
		{"tomorrow 3pm", "2026-11-24 15:00"},
		{"Tomorrow at 3pm", "2026-11-24 15:00"},
		{"next monday 10am", "2026-11-30 10:00"},
		{"friday 9:30am", "2026-11-27 09:30"},
		{"3pm", "2026-11-23 15:00"},
		{"1pm", "2026-11-24 13:00"}, // already past today
		{"내일 오후 3시", "2026-11-24 15:00"},
		{"내일오후3시", "2026-11-24 15:00"},
		{"내일 3시", "2026-11-24 15:00"},
		{"내일 오전 10시 반", "2026-11-24 10:30"},
		{"모레 10시", "2026-11-25 10:00"},
		{"오늘 오후 4시 20분", "2026-11-23 16:20"},
		{"오후 2시", "2026-11-24 14:00"}, // 14:00 is now: tomorrow
		{"다음주 월요일 10시", "2026-11-30 10:00"},
		{"다음 주 금요일 오후 2시", "2026-12-04 14:00"},
		{"이번주 금요일 9시", "2026-11-27 09:00"},
		{"금요일 오전 9시 30분", "2026-11-27 09:30"},
		{"월요일 10시", "2026-11-30 10:00"}, // today is Monday, 10:00 passed
		{"12월 3일 14:00", "2026-12-03 14:00"},
		{"12월 3일 오후 2시", "2026-12-03 14:00"},
		{"1월 5일 10시", "2027-01-05 10:00"},
		{"내일 저녁", "2026-11-24 18:00"},
		{"저녁 7시", "2026-11-23 19:00"},
		{"2026-12-01 14:30", "2026-12-01 14:30"},
		{"2026-12-01", "2026-12-01 09:00"},
		{"2026/12/01 9:00", "2026-12-01 09:00"},
	}
	for _, c := range cases {
		got, err := ParseDue(c.phrase, now, kst)
		if err != nil {
			t.Errorf("ParseDue(%q): %v", c.phrase, err)
			continue
		}
		if s := got.In(kst).Format("2006-01-02 15:04"); s != c.want {
			t.Errorf("ParseDue(%q) = %s, want %s", c.phrase, s, c.want)
		}
	}
}

func TestParseDueErrors(t *testing.T) {
	cases := []struct{ phrase, want string }{
		{"", "no due time"},
		{"   ", "no due time"},
		{"asdf", "cannot read"},
		{"내일 오후 3시 쯤에 아마도", "cannot read"},
		{"tomorrow or so", "cannot read"},
		{"2026-01-01 10:00", "not in the future"},
		{"2030-01-01", "more than a year ahead"},
		{"25시", "cannot read"},
		{"2월 30일", "cannot read"},
		{"0m", "cannot read"},
		{strings.Repeat("내일 ", 40), "too long"},
	}
	for _, c := range cases {
		got, err := ParseDue(c.phrase, testNow, kst)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseDue(%q) = %v, %v; want an error with %q", c.phrase, got, err, c.want)
		}
	}
}

func TestParseDueUsesTheCustomersZone(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no tzdata")
	}
	got, err := ParseDue("tomorrow 10am", testNow, la)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.In(la).Format("2006-01-02 15:04 MST"); s != "2026-11-23 10:00 PST" {
		t.Errorf("tomorrow 10am in Los Angeles = %s", s)
	}
}

func FuzzParseDue(f *testing.F) {
	for _, s := range []string{"15m", "내일 오후 3시", "다음주 월요일 10시", "tomorrow 3pm", "2026-12-01 14:30", "3일 후", "12월 3일 14:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, phrase string) {
		got, err := ParseDue(phrase, testNow, kst)
		if err != nil {
			if got != (time.Time{}) {
				t.Errorf("error with a time: %v %v", got, err)
			}
			return
		}
		if !got.After(testNow) || got.After(testNow.AddDate(1, 0, 0)) {
			t.Errorf("ParseDue(%q) = %v, outside (now, now+1y]", phrase, got)
		}
	})
}
