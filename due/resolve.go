package due

import (
	"time"
)

// partRule is what a part of the day means: the hour it means alone, the
// hours it spans (so "this evening" said at 19:00 is soon, not past), and
// the hours a clock time inside it may take.
type partRule struct {
	def        int
	start, end int
	lo, hi     int
}

var parts = map[int]partRule{
	partDawn:      {def: 6, start: 3, end: 7, lo: 0, hi: 6},
	partMorning:   {def: 9, start: 5, end: 12, lo: 0, hi: 11},
	partLunch:     {def: 12, start: 11, end: 14, lo: 11, hi: 14},
	partDay:       {def: 13, start: 10, end: 17, lo: 10, hi: 17},
	partAfternoon: {def: 14, start: 12, end: 18, lo: 12, hi: 19},
	partEvening:   {def: 18, start: 17, end: 22, lo: 16, hi: 24},
	partNight:     {def: 20, start: 18, end: 24, lo: 18, hi: 24},
	partAM:        {def: 9, start: 0, end: 12, lo: 0, hi: 11},
	partPM:        {def: 14, start: 12, end: 18, lo: 12, hi: 23},
}

// resolve turns what the phrase said into one instant after now, read in
// loc unless the phrase named a zone.
func (f *frame) resolve(phrase string, now time.Time, loc *time.Location, o Options) (Reading, error) {
	if f.zone != nil {
		loc = f.zone
	}
	now = now.In(loc)
	today := midnight(now)
	if f.now {
		if f.hasDay || f.hasTime || f.hasDur || f.hasWd || f.part != 0 || f.meridiem != 0 {
			return Reading{}, errTwoTimes(phrase)
		}
		return Reading{At: now}, nil
	}
	if !f.hasDay && !f.hasTime && !f.hasDur && !f.hasWd && f.part == 0 && f.meridiem == 0 {
		return Reading{}, errUnreadable(phrase, phrase)
	}
	if f.bare {
		beside := f.at || f.part != 0 || f.meridiem != 0 || f.hasDay || f.hasWd
		if !beside || f.bareN > 12 && f.bareN < 100 && !f.at {
			return Reading{}, errBareNumber(phrase, f.bareN)
		}
	}
	// a duration alone is exact: 2 hours from now, 3 days from now
	if f.hasDur && !f.hasTime && f.part == 0 && f.meridiem == 0 {
		t := now.AddDate(0, f.months, f.days).Add(f.dur)
		if f.today && !midnight(t).Equal(today) || f.hasWd && t.Weekday() != f.wd {
			return Reading{}, errTwoDays(phrase)
		}
		return check(phrase, Reading{At: t}, now)
	}
	day, dated, err := f.day(phrase, now, today)
	if err != nil {
		return Reading{}, err
	}
	r := Reading{}
	h, m, s := 0, 0, 0
	switch {
	case f.hasTime:
		if h, err = f.hour24(phrase); err != nil {
			return Reading{}, err
		}
		m, s = f.min, f.sec
		if f.minus > 0 {
			total := h*60 + m - f.minus
			if total < 0 {
				return Reading{}, errNoSuchHour(phrase, h)
			}
			h, m = total/60, total%60
		}
	case f.part != 0 || f.meridiem != 0:
		part := f.part
		if part == 0 {
			part = map[int]int{am: partAM, pm: partPM}[f.meridiem]
		}
		rule := parts[part]
		h = rule.def
		if day.Equal(today) && now.Hour() >= rule.start && now.Hour() < rule.end && !at(day, h, 0).After(now) {
			// "this evening" said during the evening: the next quarter hour
			if q := nextQuarter(now); q.Hour() < rule.end && midnight(q).Equal(today) {
				h, m = q.Hour(), q.Minute()
			}
		}
	default:
		h, r.Defaulted = o.hour(), true
		if day.Equal(today) && !at(day, h, 0).After(now) {
			// today, with no time said: soon, while the day lasts
			q := nextQuarter(now)
			if !midnight(q).Equal(today) {
				return Reading{}, errDayOver(phrase)
			}
			h, m = q.Hour(), q.Minute()
		}
	}
	r.At = at(day, h, m).Add(time.Duration(s) * time.Second)
	if !dated && !r.At.After(now) {
		r.At = at(day.AddDate(0, 0, 1), h, m).Add(time.Duration(s) * time.Second) // 3pm said at 4pm: tomorrow
	}
	if r.At.Hour() != h%24 || r.At.Minute() != m {
		return Reading{}, errClockChange(phrase, h, m, midnight(r.At).Format("2006-01-02"))
	}
	return check(phrase, r, now)
}

// check refuses an instant that is not after now or is more than a year
// ahead.
func check(phrase string, r Reading, now time.Time) (Reading, error) {
	if !r.At.After(now) {
		return Reading{}, errPast(phrase, r.At)
	}
	if r.At.After(now.AddDate(1, 0, 0)) {
		return Reading{}, errTooFar(phrase, r.At)
	}
	return r, nil
}

// hour24 is the hour on a 24-hour clock (24 is the end of the day), by
// am/pm, the part of the day, or the rule for a bare hour: 1 to 7 is the
// afternoon, 8 to 11 the morning, 12 noon. A call center books no calls
// at 3 a.m. unless someone says so.
func (f *frame) hour24(phrase string) (int, error) {
	h := f.hour
	if f.midnight {
		return 24, nil
	}
	switch f.meridiem {
	case am:
		if h > 12 {
			return 0, errTwelveHour(phrase, h)
		}
		if h == 12 {
			h = 0
		}
	case pm:
		if h < 1 || h > 12 {
			return 0, errTwelveHour(phrase, h)
		}
		if h < 12 {
			h += 12
		}
	default:
		switch {
		case f.part != 0 && !f.h24 && h <= 12:
			var err error
			if h, err = partHour(phrase, f.part, h); err != nil {
				return 0, err
			}
		case f.part == 0 && !f.h24 && h >= 1 && h <= 7:
			h += 12
		}
	}
	if f.part != 0 {
		if rule := parts[f.part]; h < rule.lo || h > rule.hi {
			return 0, errNotInPart(phrase, h%24, f.min)
		}
	}
	return h, nil
}

// partHour reads an hour of a 12-hour clock inside a part of the day:
// 저녁 7시 is 19:00, 아침 7시 07:00, 밤 12시 midnight.
func partHour(phrase string, part, h int) (int, error) {
	switch part {
	case partDawn, partMorning:
		if h == 12 {
			return 0, nil
		}
	case partLunch, partDay:
		if h >= 1 && h <= 7 {
			return h + 12, nil
		}
	case partAfternoon:
		if h < 12 {
			return h + 12, nil
		}
	case partEvening:
		if h == 12 {
			return 24, nil
		}
		return h + 12, nil
	case partNight:
		switch {
		case h == 12 || h == 0:
			return 24, nil
		case h >= 1 && h <= 5:
			return 0, errNightHour(phrase, h)
		}
		return h + 12, nil
	}
	return h, nil
}

// day is the date the phrase names, and whether it named one (a phrase
// with only a time of day is today, or tomorrow once the time has passed).
func (f *frame) day(phrase string, now, today time.Time) (time.Time, bool, error) {
	var day time.Time
	switch {
	case f.hasDur: // 3일 후 오후 2시: days from now, at a time
		day = midnight(now.AddDate(0, f.months, f.days).Add(f.dur))
	case f.hasDayOff:
		day = today.AddDate(0, 0, f.dayOff)
	case f.hasMonthOff:
		first := time.Date(today.Year(), today.Month()+time.Month(f.monthOff), 1, 0, 0, 0, 0, today.Location())
		if f.dom > daysIn(first.Year(), int(first.Month())) {
			return day, false, errNoSuchDay(phrase, int(first.Month()), f.dom)
		}
		day = first.AddDate(0, 0, f.dom-1)
	case f.month != 0:
		y, fixed := f.year, f.year != 0
		if f.hasYearOff {
			y, fixed = today.Year()+f.yearOff, true
		}
		if !fixed {
			y = today.Year()
		}
		for {
			var err error
			if day, err = calendarDay(phrase, y, f.month, f.dom, f.nth, f.wd, today.Location()); err != nil {
				return day, false, err
			}
			if fixed || !day.Before(today) || y > today.Year() {
				break
			}
			y++ // 1월 5일 said in December: next year
		}
	case f.dom != 0: // the 15th: this month, or the next month that has it
		for k := 0; k < 13; k++ {
			first := time.Date(today.Year(), today.Month()+time.Month(k), 1, 0, 0, 0, 0, today.Location())
			if c := first.AddDate(0, 0, f.dom-1); c.Month() == first.Month() && !c.Before(today) {
				day = c
				break
			}
		}
	case f.hasWd:
		return f.weekdayDay(today), true, nil
	default:
		return today, false, nil
	}
	if f.hasWd && day.Weekday() != f.wd {
		return day, false, errWeekday(phrase, day.Format("2006-01-02"), day.Weekday(), f.wd)
	}
	return day, true, nil
}

// calendarDay is day d of month m in year y, or with nth set, the nth
// weekday wd of that month (-1: the last).
func calendarDay(phrase string, y, m, d, nth int, wd time.Weekday, loc *time.Location) (time.Time, error) {
	if nth == 0 {
		if d > daysIn(y, m) {
			return time.Time{}, errNoSuchDay(phrase, m, d)
		}
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc), nil
	}
	if nth < 0 {
		last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, loc)
		return last.AddDate(0, 0, -((int(last.Weekday()) - int(wd) + 7) % 7)), nil
	}
	first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, loc)
	c := first.AddDate(0, 0, (int(wd)-int(first.Weekday())+7)%7+7*(nth-1))
	if c.Month() != first.Month() {
		return time.Time{}, errNoSuchDay(phrase, m, c.Day()+daysIn(y, m))
	}
	return c, nil
}

// weekdayDay finds the weekday: in a named week (weeks start on Monday, as
// Korean calendars do), this one (today counts), or the next to come
// after today, skipping some ("friday after next").
func (f *frame) weekdayDay(today time.Time) time.Time {
	switch {
	case f.wdWeek != 0:
		monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
		return monday.AddDate(0, 0, 7*relWeeks(f.wdWeek)+(int(f.wd)+6)%7)
	case f.wdThis:
		return today.AddDate(0, 0, (int(f.wd)-int(today.Weekday())+7)%7)
	}
	ahead := (int(f.wd) - int(today.Weekday()) + 7) % 7
	if ahead == 0 {
		ahead = 7
	}
	return today.AddDate(0, 0, ahead+7*f.wdSkip)
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func at(day time.Time, h, m int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, day.Location())
}

// nextQuarter is the first quarter hour after now: 16:07 gives 16:15.
func nextQuarter(now time.Time) time.Time {
	q := now.Truncate(time.Minute)
	return q.Add(time.Duration(15-q.Minute()%15) * time.Minute)
}
