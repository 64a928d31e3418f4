// Package due reads the due time of a callback as agents type it, in Korean
// or English whatever the console's language: "15m", "내일 오후 3시",
// "네시 십오분 전", "다음주 금요일", "a quarter to 5", "tomorrow afternoon at 5",
// "12/1", "2026-12-01 14:30".
//
// Every phrase means exactly one instant or is refused with the reason: a
// word it does not know refuses the phrase rather than being skipped, and
// so do a date that does not exist, two days in one phrase, a weekday that
// does not match the date, and a time that has passed. The rules a reader
// cannot guess are fixed and written in the README:
//
//   - a clock hour alone (3시, 3:30, at 3) from 1 to 7 is in the afternoon,
//     8 to 11 in the morning, 12 is noon; a leading zero (03:30), a 24-hour
//     hour (15:30), am/pm or a part of the day (오전, 저녁, morning) says
//     otherwise;
//   - a time of day alone is today, or tomorrow once it has passed; a date
//     without a time is at the site's default hour (10:00), and today
//     without a time is the next quarter hour while the day lasts;
//   - numeric dates are month first (12/1 is 1 December) or ISO;
//   - a weekday alone is the next one after today; "next friday" and
//     다음 금요일 are the Friday of next week, weeks starting on Monday;
//   - a duration is exact from now: "3일 후" is 72 hours on the clock.
package due

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangol/dangol/problem"
)

// MaxRunes is the longest phrase read; anything longer is not a time.
const MaxRunes = 60

// Options are a site's choices for reading phrases.
type Options struct {
	// DefaultHour is the hour of a date said without a time of day
	// ("12월 1일", "friday"); 0 means 10:00.
	DefaultHour int
}

func (o Options) hour() int {
	if o.DefaultHour <= 0 || o.DefaultHour > 23 {
		return 10
	}
	return o.DefaultHour
}

// Reading is what a phrase means.
type Reading struct {
	At time.Time
	// Defaulted says no time of day was said, so At is at the site's
	// default hour (or, today, the next quarter hour): the preview says so.
	Defaulted bool
}

// Parse reads phrase as an instant after now, reading clock times in loc
// (the customer's zone when scheduling a call to them) unless the phrase
// names a zone ("4pm CET"). The error is a problem.Error whose code names
// the reason.
func Parse(phrase string, now time.Time, loc *time.Location, o Options) (Reading, error) {
	if !utf8.ValidString(phrase) {
		return Reading{}, problem.New("phrase_not_text", "due time is not valid text")
	}
	said := strings.Join(strings.Fields(phrase), " ")
	if said == "" {
		return Reading{}, problem.New("phrase_empty", "no due time given (try 15m, 내일 오후 3시, tomorrow 3pm)")
	}
	if r := []rune(said); len(r) > MaxRunes {
		return Reading{}, problem.New("phrase_too_long", "due time %q… is too long to be a date", string(r[:20]))
	}
	toks, err := lex(normalize(said))
	if err != nil {
		return Reading{}, err
	}
	atoms, err := atomize(toks)
	if err != nil {
		return Reading{}, err
	}
	p := parser{phrase: said, a: atoms}
	if err := p.run(); err != nil {
		return Reading{}, err
	}
	return p.f.resolve(said, now, loc, o)
}
