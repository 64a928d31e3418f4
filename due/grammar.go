package due

import (
	"time"
)

// frame is what a phrase said, slot by slot, before it is an instant.
// Each slot is filled once; a phrase that fills one twice names two days
// or two times and is refused.
type frame struct {
	now bool

	// a duration from now: exact, and in calendar days and months
	dur          time.Duration
	days, months int
	hasDur       bool

	// the day
	hasDay      bool // some slot of the day below is set
	dayOff      int  // today 0, tomorrow 1… (hasDayOff)
	hasDayOff   bool
	year        int // a calendar date as far as it was said (0: not said)
	month, dom  int
	yearOff     int // 올해 0, 내년 1 (hasYearOff)
	hasYearOff  bool
	monthOff    int // "the 20th of next month", 다음달 5일 (hasMonthOff)
	hasMonthOff bool
	wd          time.Weekday // a weekday (hasWd), in the week wdWeek, or the wdSkip+1th to come
	hasWd       bool
	wdWeek      int // relThis, relNext, relNextNext; 0: the next one to come (after today)
	wdThis      bool
	wdSkip      int
	nth         int // the nth weekday of month (-1: the last), with wd
	today       bool

	// the time of day
	hasTime  bool
	hour     int
	min, sec int
	meridiem int
	part     int
	h24      bool // written on a 24-hour clock (15:00, 03:30, 15h30): no am/pm guessing
	bare     bool // a number alone read as an hour: needs a day, a part or "at" beside it
	bareN    int
	minus    int  // minutes before the hour: quarter to, 십오분 전
	midnight bool // the end of the day: 24:00
	at       bool // "at", "around", "by": a number alone is an hour
	from     bool // "from" or 부터 after a time: a second time makes a range

	zone *time.Location
}

// parser reads atoms into a frame.
type parser struct {
	phrase string
	a      []atom
	i      int
	f      frame
}

func (p *parser) at(k int) atom {
	if p.i+k < len(p.a) && p.i+k >= 0 {
		return p.a[p.i+k]
	}
	return atom{}
}

func (p *parser) is(k int, c cat) bool { return p.at(k).c == c }

func (p *parser) isV(k int, c cat, v int) bool { a := p.at(k); return a.c == c && a.v == v }

func (p *parser) filler(k, v int) bool { return p.isV(k, cFiller, v) }

func (p *parser) mark(k int, s string) bool { a := p.at(k); return a.c == cMark && a.tok.s == s }

// num is the number at k, when it is a plain number (not an ordinal).
func (p *parser) num(k int) (int, bool) {
	a := p.at(k)
	return a.v, a.c == cNum && !a.ord
}

// run reads the whole phrase. At each place it tries the constructions in
// turn; when none fits, the word there is why the phrase is refused.
func (p *parser) run() error {
	steps := []func() (bool, error){p.now, p.duration, p.relativeClock, p.date, p.clock, p.part, p.zone, p.fill}
	for p.i < len(p.a) {
		matched := false
		for _, step := range steps {
			start := p.i
			ok, err := step()
			if err != nil {
				return err
			}
			if ok {
				matched = true
				break
			}
			p.i = start
		}
		if !matched {
			return p.stuck()
		}
	}
	return nil
}

// stuck says why the word at the current place does not fit.
func (p *parser) stuck() error {
	for _, rest := range p.a[p.i:] {
		switch rest.c {
		case cVague:
			return errVague(p.phrase)
		case cLunar:
			return errLunar(p.phrase)
		case cAmbiguousZone:
			return errZone(p.phrase, rest.tok.s)
		}
	}
	a := p.at(0)
	switch {
	case a.c == cNum && p.mark(1, "-"):
		return errRange(p.phrase) // 3-4pm
	case a.c == cRel && p.is(1, cNum) && p.is(2, cUnit), a.c == cNum && p.is(1, cRel) && p.is(2, cUnit):
		return errVague(p.phrase) // the upcoming two days, next 3 hours
	}
	switch a.c {
	case cTo:
		if p.f.hasTime || p.f.hasDay || p.f.hasWd {
			return errRange(p.phrase)
		}
	case cMark:
		if (a.tok.s == "-" || a.tok.s == "~") && (p.f.hasTime || p.f.hasDay) {
			return errRange(p.phrase)
		}
	case cUnit:
		if a.v == uWeek || a.v == uMonth || a.v == uYear {
			return errVague(p.phrase)
		}
	}
	if a.c == cFiller && a.v == fFrom && (p.f.hasTime || p.f.hasDay) {
		return errRange(p.phrase)
	}
	return errUnreadable(p.phrase, a.tok.s)
}

// fill skips a word that adds nothing; "at" and "about" make a following
// bare number an hour.
func (p *parser) fill() (bool, error) {
	switch {
	case p.is(0, cLater) && p.at(0).ko && (p.f.hasDay || p.f.hasTime || p.f.hasWd), // 모레 이후, 3시 이후: from then
		p.is(0, cPast) && !p.at(0).ko: // after 2pm
		p.i++
		return true, nil
	case !p.is(0, cFiller):
		return false, nil
	}
	switch p.at(0).v {
	case fAt, fAbout:
		p.f.at = true
	case fFrom:
		p.f.from = p.f.hasTime || p.f.hasDay // 3시부터 5시까지: a range
	case fA, fAnd:
		return false, nil // "a" and "and" mean something only inside an amount
	}
	p.i++
	return true, nil
}

// now reads now, 지금, asap.
func (p *parser) now() (bool, error) {
	if !p.is(0, cNow) {
		return false, nil
	}
	p.i++
	if p.is(0, cLater) || p.filler(0, fFrom) { // 지금부터 2시간: from now, what follows
		return true, nil
	}
	p.f.now = true
	return true, nil
}

// zone reads a zone abbreviation: "4pm cet".
func (p *parser) zone() (bool, error) {
	if !p.is(0, cZone) {
		return false, nil
	}
	if p.f.zone != nil {
		return false, nil
	}
	p.f.zone = p.at(0).zone
	p.i++
	return true, nil
}

// setDay records that a day slot is being filled; a second day is an error
// unless it is a weekday (checked against the date when resolved).
func (p *parser) setDay() error {
	if p.f.hasDay && p.f.from {
		return errRange(p.phrase)
	}
	if p.f.hasDay {
		return errTwoDays(p.phrase)
	}
	p.f.hasDay = true
	return nil
}

// setTime records a time of day; a second is an error.
func (p *parser) setTime(h, m, s int) error {
	if p.f.hasTime && p.f.from {
		return errRange(p.phrase)
	}
	if p.f.hasTime || p.f.hasDur && p.f.days == 0 && p.f.months == 0 {
		return errTwoTimes(p.phrase)
	}
	if m < 0 || m > 59 {
		return errNoSuchMinute(p.phrase, m)
	}
	if s < 0 || s > 59 {
		return errNoSuchMinute(p.phrase, s)
	}
	if h < 0 || h > 24 || h == 24 && (m > 0 || s > 0) {
		return errNoSuchHour(p.phrase, h)
	}
	p.f.hasTime, p.f.hour, p.f.min, p.f.sec = true, h, m, s
	return nil
}

// setMeridiem records am or pm; 오후 3시 and 3pm both say it once.
func (p *parser) setMeridiem(m int) error {
	if p.f.meridiem != 0 && p.f.meridiem != m {
		return errTwoTimes(p.phrase)
	}
	p.f.meridiem = m
	return nil
}

// setPart records a part of the day.
func (p *parser) setPart(part int) error {
	if p.f.part != 0 && p.f.part != part {
		return errTwoTimes(p.phrase)
	}
	p.f.part = part
	return nil
}
