package kit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/queue"
)

// ClockText writes minutes after midnight as HH:MM; clockMinutes reads it.
func ClockText(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

func ClockMinutes(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || hh*60+mm > 24*60 {
		return 0, fmt.Errorf("clock time %q: use HH:MM", s)
	}
	return hh*60 + mm, nil
}

// DayRange reads days for the due filter, as [midnight, midnight) in loc:
// one day (today/오늘, tomorrow/내일, YYYY-MM-DD), a span of days from
// today (7d), or a range of days (2026-12-01..2026-12-07).
func DayRange(s string, now time.Time, loc *time.Location) (time.Time, time.Time, error) {
	s = strings.TrimSpace(s)
	if a, b, ok := strings.Cut(s, ".."); ok {
		from, _, err1 := DayRange(a, now, loc)
		_, to, err2 := DayRange(b, now, loc)
		if err := errors.Join(err1, err2); err != nil || !from.Before(to) {
			return time.Time{}, time.Time{}, fmt.Errorf("days %q", s)
		}
		return from, to, nil
	}
	if n, ok := strings.CutSuffix(strings.ToLower(s), "d"); ok {
		if days, err := strconv.Atoi(n); err == nil && days > 0 && days <= 366 {
			from, _, _ := DayRange("today", now, loc)
			return from, from.AddDate(0, 0, days), nil
		}
	}
	local := now.In(loc)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	var day time.Time
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "today", "오늘":
		day = today
	case "tomorrow", "내일":
		day = today.AddDate(0, 0, 1)
	default:
		d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), loc)
		if err != nil {
			return time.Time{}, time.Time{}, err
		}
		day = d
	}
	return day, day.AddDate(0, 0, 1), nil
}

// BlockText says why a calling rule blocks a callback, or "". For a
// closed window it says the time alone: windows open by the next morning
// at the latest, and the refusal of a claim says the date.
func BlockText(c *Common, cb queue.Callback, now time.Time) (string, bool) {
	t := c.Text
	switch b := queue.Check(cb, now); b.Reason {
	case queue.BlockDNC:
		return t.BlockDNC, true
	case queue.BlockInvalidPhone:
		return t.BlockInvalid, true
	case queue.BlockNoPhone:
		return t.BlockNoPhone, true
	case queue.BlockConsent:
		return t.BlockConsent, true
	case queue.BlockWindow:
		return Sprintf(t.BlockOpens, b.OpensAt.In(c.Site()).Format("15:04")), true
	}
	return "", false
}

// Stamp writes a past moment compactly: month, day and time this year,
// the date alone before.
func Stamp(at, now time.Time) string {
	at = at.In(now.Location())
	if at.Year() == now.Year() {
		return at.Format("01-02 15:04")
	}
	return at.Format("2006-01-02")
}

// DialRefusal is why a number may not be dialled or copied now, under the
// rules a claim applies (queue.Check), or "" when it may.
func DialRefusal(c *Common, cb queue.Callback, now time.Time) string {
	t := c.Text
	switch b := queue.Check(cb, now); b.Reason {
	case queue.BlockDNC:
		return t.DialDNC
	case queue.BlockInvalidPhone, queue.BlockNoPhone:
		return t.InvalidNumber
	case queue.BlockConsent:
		return t.DialConsent
	case queue.BlockWindow:
		return Sprintf(t.DialWindow, t.When(b.OpensAt, now, b.OpensAt.Location()))
	}
	return ""
}
