package due

import (
	"time"

	"github.com/dangol/dangol/problem"
)

// The refusals. Each is a problem.Error, so the console words it in the
// agent's language by its code; the English here is what the command line
// prints. Every one names the phrase, and what in it is wrong.

func errNumberTooLong(s string) error {
	return problem.New("phrase_number_too_long", "%q is too long to be a number in a time", s)
}

func errUnknownWord(word string) error {
	return problem.New("phrase_unknown_word", "%q is not a word for a time (try 15m, 내일 오후 3시, tomorrow 3pm, 2026-12-01 14:30)", word)
}

func errUnreadable(phrase, word string) error {
	return problem.New("phrase_unreadable", "cannot read %q as one time: %q does not fit where it stands (try 15m, 내일 오후 3시, tomorrow 3pm, 2026-12-01 14:30)", phrase, word)
}

func errTwoDays(phrase string) error {
	return problem.New("phrase_two_days", "%q names more than one day", phrase)
}

func errTwoTimes(phrase string) error {
	return problem.New("phrase_two_times", "%q names more than one time of day", phrase)
}

func errNoSuchMonth(phrase string, month int) error {
	return problem.New("phrase_no_such_month", "%q: there is no month %d (numeric dates are month/day, or year-month-day)", phrase, month)
}

func errNoSuchDay(phrase string, month, day int) error {
	return problem.New("phrase_no_such_day", "%q: month %d has no day %d", phrase, month, day)
}

func errNoSuchHour(phrase string, hour int) error {
	return problem.New("phrase_no_such_hour", "%q: there is no hour %d", phrase, hour)
}

func errTwelveHour(phrase string, hour int) error {
	return problem.New("phrase_twelve_hour", "%q: %d is not an hour of a 12-hour clock (am, pm, 오전 and 오후 take 1 to 12)", phrase, hour)
}

func errNoSuchMinute(phrase string, minute int) error {
	return problem.New("phrase_no_such_minute", "%q: there is no minute %d", phrase, minute)
}

func errNotInPart(phrase string, hour, minute int) error {
	return problem.New("phrase_not_in_part", "%q: %02d:%02d is not in the part of the day the phrase names", phrase, hour, minute)
}

func errNightHour(phrase string, hour int) error {
	return problem.New("phrase_night_hour", "%q: %d at night could be either side of midnight; say %d am or %d pm", phrase, hour, hour, hour)
}

func errBareNumber(phrase string, n int) error {
	return problem.New("phrase_bare_number", "%q: %d alone is not a time; say what it counts (%dpm, %d시, %d일, %dm)", phrase, n, n, n, n, n)
}

func errWeekday(phrase, date string, is, said time.Weekday) error {
	return problem.New("phrase_weekday", "%q: %s is a %s, not a %s", phrase, date, is, said)
}

func errVague(phrase string) error {
	return problem.New("phrase_vague", "%q is a span of time, not one time; name the day and the hour (다음주 월요일 10시, next monday 10am)", phrase)
}

func errLunar(phrase string) error {
	return problem.New("phrase_lunar", "%q falls on a different date each year; give the date", phrase)
}

func errZone(phrase, zone string) error {
	return problem.New("phrase_ambiguous_zone", "%q: %s names more than one time zone; give the time in the customer's zone", phrase, zone)
}

func errRange(phrase string) error {
	return problem.New("phrase_range", "%q is a range; give the one time the call is due", phrase)
}

func errDayOver(phrase string) error {
	return problem.New("phrase_day_over", "%q: there is no time left today; say a time tomorrow", phrase)
}

func errPast(phrase string, t time.Time) error {
	return problem.New("phrase_past", "%q is %s, which is not in the future", phrase, t.Format("2006-01-02 15:04"))
}

func errTooFar(phrase string, t time.Time) error {
	return problem.New("phrase_too_far", "%q is %s, more than a year ahead", phrase, t.Format("2006-01-02 15:04"))
}

func errClockChange(phrase string, hour, minute int, day string) error {
	return problem.New("phrase_clock_change", "%q: %02d:%02d does not exist on %s, when the clocks go forward", phrase, hour, minute, day)
}

func errSpanTooFar(phrase string) error {
	return problem.New("phrase_span_too_far", "%q is more than a year ahead", phrase)
}
