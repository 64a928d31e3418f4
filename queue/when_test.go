package queue

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dangol/dangol/problem"
)

// The phrases themselves are tested in package due; here, that the
// policy's default hour reaches them and follows the setting.
func TestDueDatesTakeThePolicysDefaultHour(t *testing.T) {
	f := newFixture(t, 20, false)
	ctx := context.Background()
	r, err := f.Policy().ReadDue("12월 1일", testNow, kst)
	if err != nil || !r.Defaulted || r.At.Format("2006-01-02 15:04") != "2026-12-01 10:00" {
		t.Fatalf("12월 1일 with the default policy = %v defaulted=%v, %v; want 2026-12-01 10:00", r.At, r.Defaulted, err)
	}
	if err := f.SetSetting(ctx, f.yuna, "policy.default_due_hour", "9"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSetting(ctx, f.yuna, "policy.default_due_hour", "3"); err == nil {
		t.Error("a default due hour of 3 (the middle of the night) was accepted")
	}
	if _, err := f.LoadPolicy(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := f.Policy().ParseDue("tomorrow", testNow, kst)
	if err != nil || got.Format("2006-01-02 15:04") != "2026-11-24 09:00" {
		t.Errorf("tomorrow with the default hour set to 9 = %v, %v", got, err)
	}
	if got, err := f.Policy().ParseDue("tomorrow 3pm", testNow, kst); err != nil || got.Hour() != 15 {
		t.Errorf("a said time is not the default: tomorrow 3pm = %v, %v", got, err)
	}
}

func TestParseDueUsesTheCustomersZone(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no tzdata")
	}
	got, err := DefaultPolicy().ParseDue("tomorrow 10am", testNow, la)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.In(la).Format("2006-01-02 15:04 MST"); s != "2026-11-23 10:00 PST" {
		t.Errorf("tomorrow 10am in Los Angeles = %s", s)
	}
}

// FuzzParseDue: whatever is typed, a phrase is one instant in (now, now+1y]
// or a refusal with no time, the same both times it is read, and never a
// panic.
func FuzzParseDue(f *testing.F) {
	for _, s := range []string{"15m", "내일 오후 3시", "다음주 월요일 10시", "tomorrow 3pm", "2026-12-01 14:30", "3일 후", "12월 3일 14:00",
		"a quarter to 5", "네시 십오분 전", "in 2.5 hours", "the 1st of march", "15h30", "4pm cet", "지금", "12/1", "오후세시이십분"} {
		f.Add(s)
	}
	p := DefaultPolicy()
	f.Fuzz(func(t *testing.T, phrase string) {
		r, err := p.ReadDue(phrase, testNow, kst)
		if err != nil {
			var pr problem.Error
			if r.At != (time.Time{}) || !errors.As(err, &pr) || pr.Code == "" {
				t.Errorf("ParseDue(%q): %v with the time %v; want a problem.Error and no time", phrase, err, r.At)
			}
			return
		}
		if r.At.Before(testNow) || r.At.After(testNow.AddDate(1, 0, 0)) {
			t.Errorf("ParseDue(%q) = %v, outside [now, now+1y]", phrase, r.At)
		}
		if again, err := p.ReadDue(phrase, testNow, kst); err != nil || !again.At.Equal(r.At) {
			t.Errorf("ParseDue(%q) read twice: %v then %v, %v", phrase, r.At, again.At, err)
		}
	})
}
