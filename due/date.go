package due

import "time"

// date reads a day, in whichever of its forms comes first.
func (p *parser) date() (bool, error) {
	for _, form := range []func() (bool, error){p.numericDate, p.koreanDate, p.nthWeekday, p.monthDay, p.dayOfMonth, p.weekday, p.dayWord, p.holiday} {
		start := p.i
		ok, err := form()
		if err != nil {
			return false, err
		}
		if ok {
			return true, nil
		}
		p.i = start
	}
	return false, nil
}

// setDate records a calendar date, checking the month and day exist.
func (p *parser) setDate(y, m, d int) error {
	if err := p.setDay(); err != nil {
		return err
	}
	if m < 1 || m > 12 {
		return errNoSuchMonth(p.phrase, m)
	}
	if d != 0 {
		if d < 1 || d > daysIn(y, m) {
			return errNoSuchDay(p.phrase, m, d)
		}
	}
	p.f.year, p.f.month, p.f.dom = y, m, d
	return nil
}

// daysIn is the number of days in month m of year y; with no year, the
// most the month can have (29 for February).
func daysIn(y, m int) int {
	if y == 0 {
		y = 2028 // a leap year
	}
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// numericDate reads 2026-12-01, 2026/12/01, 2026.12.1, 12/1 (1 December:
// month first, as in Korea and ISO), 2-15, and 12/1/2026.
func (p *parser) numericDate() (bool, error) {
	a := p.at(0)
	if a.c != cNum || a.spelled || a.ord || !p.is(1, cMark) || !p.is(2, cNum) || p.at(2).spelled {
		return false, nil
	}
	sep := p.at(1).tok.s
	if sep != "-" && sep != "/" && sep != "." {
		return false, nil
	}
	if a.tok.width == 4 && p.mark(3, sep) && p.is(4, cNum) && !p.at(4).spelled { // 2026-12-01
		y, m, d := a.v, p.at(2).v, p.at(4).v
		p.i += 5
		return true, p.setDate(y, m, d)
	}
	if a.tok.width > 2 || p.at(2).tok.width > 2 || sep == "." {
		return false, nil
	}
	m, d := a.v, p.at(2).v
	p.i += 3
	if p.mark(0, "/") && p.is(1, cNum) && p.at(1).tok.width == 4 { // 12/1/2026
		y := p.at(1).v
		p.i += 2
		return true, p.setDate(y, m, d)
	}
	if p.is(0, cUnit) || p.is(0, cMark) || p.is(0, cMeridiem) && !p.at(0).ko || p.is(0, cOclock) {
		return false, nil // 1/2 hour, 3-4pm
	}
	return true, p.setDate(0, m, d)
}

// koreanDate reads [2026년|올해|내년] [12월|시월|다음 달] [1일]; a month alone
// may carry an nth weekday (10월 첫째 화요일, 3월 마지막 월요일).
func (p *parser) koreanDate() (bool, error) {
	y, yearOff, hasYearOff := 0, 0, false
	m, monthOff, hasMonthOff := 0, 0, false
	d := 0
	said := false
	switch {
	case p.is(0, cNum) && p.is(1, cYearMark):
		y = p.at(0).v
		if y < 100 {
			y += 2000 // 26년: 2026
		}
		p.i += 2
		said = true
	case p.is(0, cYearRel):
		yearOff, hasYearOff = p.at(0).v, true
		p.i++
		said = true
	}
	switch {
	case p.is(0, cNum) && p.is(1, cMonthMark):
		m = p.at(0).v
		p.i += 2
	case p.is(0, cMonth) && p.at(0).ko:
		m = p.at(0).v
		p.i++
	case p.is(0, cRel) && p.at(0).ko && p.isV(1, cUnit, uMonth):
		monthOff, hasMonthOff = relWeeks(p.at(0).v), true
		p.i += 2
	}
	if p.is(0, cNum) && p.isV(1, cUnit, uDay) && p.at(1).ko && !(p.is(2, cLater) || p.is(2, cIn) || p.is(2, cBefore)) {
		d = p.at(0).v
		p.i += 2
	}
	switch {
	case d != 0:
	case m != 0:
		if ok, err := p.nthOfMonth(y, m); ok || err != nil {
			return ok, err
		}
		return false, errVague(p.phrase)
	case said || hasMonthOff:
		return false, errVague(p.phrase)
	default:
		return false, nil
	}
	if hasMonthOff {
		if err := p.setDay(); err != nil {
			return false, err
		}
		if d > 31 {
			return false, errNoSuchDay(p.phrase, 0, d)
		}
		p.f.hasMonthOff, p.f.monthOff, p.f.dom = true, monthOff, d
		return true, nil
	}
	if m == 0 { // 15일: a day of this month or the next
		if err := p.setDay(); err != nil {
			return false, err
		}
		if d > 31 {
			return false, errNoSuchDay(p.phrase, 0, d)
		}
		p.f.dom = d
		return true, nil
	}
	p.f.hasYearOff, p.f.yearOff = hasYearOff, yearOff
	return true, p.setDate(y, m, d)
}

// relWeeks is how many weeks (or months) ahead a rel points.
func relWeeks(rel int) int {
	switch rel % 10 {
	case relNext, relFollowing:
		return 1
	case relNextNext:
		return 2
	case relLast:
		return -1
	}
	return 0
}

// monthDay reads English dates: december 25, dec 25th 2026, the 1st of
// march, 15 of february, 15th february, march first, the 20th of next
// month, third day of october; a month alone is too vague.
func (p *parser) monthDay() (bool, error) {
	if p.is(0, cMonth) && !p.at(0).ko {
		m := p.at(0).v
		p.i++
		if p.filler(0, fThe) {
			p.i++
		}
		d, ok := p.dayNumber()
		if n, isNum := p.num(0); !ok && isNum && n > 31 && p.at(0).tok.width <= 2 {
			return false, errNoSuchDay(p.phrase, m, n) // december 32
		}
		if !ok {
			if ok, err := p.nthOfMonth(0, m); ok || err != nil {
				return ok, err
			}
			if p.is(0, cNum) && p.at(0).tok.width == 4 { // october 2026
				return false, errVague(p.phrase)
			}
			return false, errVague(p.phrase)
		}
		return true, p.setDate(p.yearAfter(), m, d)
	}
	if p.filler(0, fThe) {
		p.i++
	}
	d, ok := p.dayNumber()
	if !ok {
		return false, nil
	}
	if p.isV(0, cUnit, uDay) { // third day of october
		p.i++
	}
	if p.filler(0, fOf) {
		p.i++
	}
	if p.filler(0, fThe) {
		p.i++
	}
	switch {
	case p.is(0, cMonth) && !p.at(0).ko:
		m := p.at(0).v
		p.i++
		return true, p.setDate(p.yearAfter(), m, d)
	case p.is(0, cRel) && p.isV(1, cUnit, uMonth): // of next month, of the current month
		rel := p.at(0).v
		p.i += 2
		if err := p.setDay(); err != nil {
			return false, err
		}
		if d > 31 {
			return false, errNoSuchDay(p.phrase, 0, d)
		}
		p.f.hasMonthOff, p.f.monthOff, p.f.dom = true, relWeeks(rel), d
		return true, nil
	}
	return false, nil
}

// dayNumber reads a day of the month: 25, 25th, twenty-fifth, second.
func (p *parser) dayNumber() (int, bool) {
	a := p.at(0)
	switch {
	case a.c == cNum && !a.ko && a.v >= 1 && a.v <= 31 && a.tok.width <= 2 && !p.is(1, cMark) && !p.is(1, cMeridiem) && !p.is(1, cOclock) && !(p.is(1, cUnit) && !(a.ord && p.at(1).v == uDay)):
		p.i++
		return a.v, true
	case a.c == cUnit && a.v == uSecond && a.tok.s == "second": // the second of march
		p.i++
		return 2, true
	}
	return 0, false
}

// yearAfter reads a year after an English date (december 25 2026, dec 25,
// 2026) or "next year".
func (p *parser) yearAfter() int {
	switch {
	case p.is(0, cNum) && p.at(0).tok.width == 4 && !p.is(1, cMark):
		p.i++
		return p.at(-1).v
	case p.isV(0, cRel, relNext) && p.isV(1, cUnit, uYear):
		p.i += 2
		p.f.hasYearOff, p.f.yearOff = true, 1
	case p.isV(0, cRel, relThis) && p.isV(1, cUnit, uYear):
		p.i += 2
		p.f.hasYearOff, p.f.yearOff = true, 0
	}
	return 0
}

// dayOfMonth reads a day of the month alone: on the 15th, the 1st, the 24,
// on 24th.
func (p *parser) dayOfMonth() (bool, error) {
	on := p.filler(0, fOn)
	if on {
		p.i++
	}
	the := p.filler(0, fThe)
	if the {
		p.i++
	}
	a := p.at(0)
	if a.c != cNum || a.ko || !(a.ord || the) || a.v < 1 || a.v > 31 || a.tok.width > 2 {
		return false, nil
	}
	if p.is(1, cMeridiem) || p.is(1, cOclock) || p.is(1, cUnit) || p.is(1, cMark) || p.is(1, cMonth) || p.filler(1, fOf) || p.is(1, cWeekday) {
		return false, nil
	}
	p.i++
	if err := p.setDay(); err != nil {
		return false, err
	}
	p.f.dom = a.v
	return true, nil
}

// nthOfMonth reads the nth weekday after a month: (10월) 첫째 화요일,
// (march) last monday; and before it: first tuesday of october.
func (p *parser) nthOfMonth(y, m int) (bool, error) {
	n, ok := p.ordinal()
	if !ok || !p.is(0, cWeekday) || p.at(0).v >= 100 {
		return false, nil
	}
	wd := time.Weekday(p.at(0).v)
	p.i++
	if err := p.setDate(y, m, 0); err != nil {
		return false, err
	}
	p.f.nth, p.f.wd = n, wd
	return true, nil
}

// ordinal reads first… fifth, last, 첫째, 마지막, 두번째, 2nd.
func (p *parser) ordinal() (int, bool) {
	a := p.at(0)
	switch {
	case a.c == cOrdinal:
		p.i++
		if p.filler(0, fIsh) { // 첫 번째
			p.i++
		}
		return a.v, true
	case a.c == cNum && a.ord && a.v >= 1 && a.v <= 5:
		p.i++
		return a.v, true
	case a.c == cNum && a.ko && a.v >= 1 && a.v <= 5 && p.filler(1, fIsh):
		p.i += 2
		return a.v, true
	case a.c == cUnit && a.tok.s == "second":
		p.i++
		return 2, true
	case a.c == cRel && a.v == relLast && !a.ko:
		p.i++
		return -1, true
	}
	return 0, false
}

// nthWeekday reads "first tuesday of october", "last friday in october".
func (p *parser) nthWeekday() (bool, error) {
	n, ok := p.ordinal()
	if !ok || !p.is(0, cWeekday) || p.at(0).v >= 100 || !(p.filler(1, fOf) || p.is(1, cIn)) || !p.is(2, cMonth) {
		return false, nil
	}
	wd, m := time.Weekday(p.at(0).v), p.at(2).v
	p.i += 3
	if err := p.setDate(p.yearAfter(), m, 0); err != nil {
		return false, err
	}
	p.f.nth, p.f.wd = n, wd
	return true, nil
}

// weekday reads a weekday and the week it is in: friday, this friday, next
// friday, 다음주 금요일, 이번 주 금요일, 다다음주 월요일, wednesday of next week,
// wednesday next week, friday after next, 3 fridays from now.
func (p *parser) weekday() (bool, error) {
	week, this, skip := 0, false, 0
	switch {
	case p.is(0, cNum) && !p.at(0).ord && p.is(1, cWeekday) && p.at(1).v >= 100 && p.is(2, cLater): // 3 fridays from now
		skip = p.at(0).v - 1
		p.i++
	case p.is(0, cRel):
		rel := p.at(0).v
		switch {
		case rel/10 != 0: // 금주, 차주
			week = rel / 10
			p.i++
		case p.isV(1, cUnit, uWeek): // 다음 주, next week
			week = rel
			p.i += 2
		case rel == relThis:
			this = true
			p.i++
		case rel == relComing || rel == relFollowing:
			p.i++
		default: // next friday: the friday of next week, as 다음 금요일
			week = rel
			p.i++
		}
		if !p.is(0, cWeekday) {
			if week != 0 && (p.isV(-1, cUnit, uWeek) || rel/10 != 0) {
				return false, errVague(p.phrase) // next week, 다음주: which day?
			}
			return false, nil
		}
	}
	if !p.is(0, cWeekday) {
		return false, nil
	}
	wd := time.Weekday(p.at(0).v % 100)
	if p.at(0).v >= 100 && skip == 0 {
		return false, nil
	}
	p.i++
	if skip > 0 {
		p.i++ // from now
	}
	switch {
	case p.is(0, cAfterNext):
		skip = 1
		p.i++
	case (p.filler(0, fOf) || p.is(0, cIn)) && p.is(1, cRel) && p.isV(2, cUnit, uWeek): // of next week
		week = p.at(1).v
		p.i += 3
	case p.is(0, cRel) && p.isV(1, cUnit, uWeek) && !p.at(0).ko: // wednesday next week
		week = p.at(0).v
		p.i += 2
	}
	if p.f.hasWd {
		return false, errTwoDays(p.phrase)
	}
	if week == relComing || week == relFollowing {
		week = relNext
	}
	p.f.hasWd, p.f.wd, p.f.wdWeek, p.f.wdThis, p.f.wdSkip = true, wd, week, this, skip
	return true, nil
}

// dayWord reads today, tomorrow, 모레, 글피, yesterday.
func (p *parser) dayWord() (bool, error) {
	if !p.is(0, cDay) {
		return false, nil
	}
	v := p.at(0).v
	p.i++
	if err := p.setDay(); err != nil {
		return false, err
	}
	p.f.hasDayOff, p.f.dayOff, p.f.today = true, v, v == 0
	return true, nil
}

// holiday reads a holiday on a fixed date: christmas, 한글날, new year's
// eve, next halloween, christmas 2026.
func (p *parser) holiday() (bool, error) {
	if p.is(0, cRel) && (p.at(0).v == relNext || p.at(0).v == relThis || p.at(0).v == relComing) && p.is(1, cHoliday) {
		p.i++
	}
	if !p.is(0, cHoliday) {
		return false, nil
	}
	v := p.at(0).v
	p.i++
	return true, p.setDate(p.yearAfter(), v/100, v%100)
}
