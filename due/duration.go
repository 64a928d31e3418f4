package due

import (
	"math"
	"time"
)

// span is a length of time as said: exact (hours, minutes) and in
// calendar days and months, which follow the clock across a change of
// daylight saving.
type span struct {
	exact        time.Duration
	days, months int
	pairs        int  // how many "amount unit" pairs
	onlyKoDay    bool // a single Korean N일: a day of the month unless 후/뒤/안 follows
	compactHour  int  // the N of a leading "Nh" typed as one word (15h, 1h30m)
	last         int  // the unit of the last pair, for "and a half" and 반
	ok           bool
	badFraction  bool // 1.5 months: no exact meaning
	tooFar       bool // more than two years: refused without adding up
	gluedMinutes bool // 1h30: a clock unless "in" or "후" says otherwise
}

func (s *span) add(n float64, u int) {
	whole := n == math.Trunc(n)
	if n*unitHours[u] > 2*366*24 {
		s.tooFar = true // and keeps the sums below from overflowing
		s.last = u
		s.pairs++
		return
	}
	switch u {
	case uSecond:
		s.exact += time.Duration(n * float64(time.Second))
	case uMinute:
		s.exact += time.Duration(n * float64(time.Minute))
	case uHour:
		s.exact += time.Duration(n * float64(time.Hour))
	case uDay:
		if whole {
			s.days += int(n)
		} else {
			s.exact += time.Duration(n * 24 * float64(time.Hour))
		}
	case uWeek, uFortnight:
		d := n * 7
		if u == uFortnight {
			d = n * 14
		}
		if d == math.Trunc(d) {
			s.days += int(d)
		} else {
			s.exact += time.Duration(d * 24 * float64(time.Hour))
		}
	case uMonth, uYear:
		m := n
		if u == uYear {
			m = n * 12
		}
		if m != math.Trunc(m) {
			s.badFraction = true
		}
		s.months += int(m)
	}
	s.last = u
	s.pairs++
}

// unitHours is about how many hours a unit is, to refuse huge amounts.
var unitHours = map[int]float64{uSecond: 1.0 / 3600, uMinute: 1.0 / 60, uHour: 1, uDay: 24, uWeek: 7 * 24,
	uFortnight: 14 * 24, uMonth: 31 * 24, uYear: 366 * 24}

// amount reads how many of a unit: 2, 2.5, 1/2, two, a, an, half an, a
// quarter of an, three quarters of an, a couple of, a few, 한, 몇.
func (p *parser) amount() (float64, bool) {
	a := p.at(0)
	switch {
	case a.c == cNum && !a.ord:
		n := float64(a.v)
		p.i++
		switch {
		case p.mark(0, ".") && p.at(0).tok.glued && p.is(1, cNum) && p.at(1).tok.glued && !p.at(1).spelled:
			n += float64(p.at(1).v) / math.Pow10(p.at(1).tok.width) // 2.5
			p.i += 2
		case p.mark(0, "/") && p.is(1, cNum) && !p.at(1).spelled && p.at(1).v > 0:
			n /= float64(p.at(1).v) // 1/2
			p.i += 2
		case p.is(0, cQuarter): // three quarters (of an)
			n /= 4
			p.i++
			p.skipOfA()
		}
		switch {
		case p.filler(0, fAnd) && p.filler(1, fA) && p.is(2, cHalf): // 2 and a half
			n += 0.5
			p.i += 3
		case p.filler(0, fAnd) && p.is(1, cHalf):
			n += 0.5
			p.i += 2
		}
		if a.tok.s == "couple" || a.tok.s == "pair" || a.tok.s == "few" {
			if p.filler(0, fOf) {
				p.i++
			}
		}
		return n, true
	case a.c == cFiller && a.v == fA:
		p.i++
		switch {
		case p.is(0, cQuarter):
			p.i++
			p.skipOfA()
			return 0.25, true
		case p.is(0, cHalf):
			p.i++
			return 0.5, true
		case p.is(0, cNum) && !p.at(0).ord && (p.at(0).tok.s == "couple" || p.at(0).tok.s == "pair" || p.at(0).tok.s == "few"):
			return p.amount()
		}
		return 1, true
	case a.c == cHalf && !a.ko:
		p.i++
		if p.filler(0, fA) || p.filler(0, fOf) && p.filler(1, fA) {
			p.skipOfA()
		}
		return 0.5, true
	case a.c == cQuarter:
		p.i++
		p.skipOfA()
		return 0.25, true
	}
	return 0, false
}

// skipOfA skips "of an" in "a quarter of an hour".
func (p *parser) skipOfA() {
	if p.filler(0, fOf) {
		p.i++
	}
	if p.filler(0, fA) {
		p.i++
	}
}

// unit reads the unit after an amount: hours, 분, and ' and " for minutes
// and seconds.
func (p *parser) unit() (int, bool) {
	for p.filler(0, fIsh) && p.at(0).tok.s == "more" { // in 2 more minutes
		p.i++
	}
	switch {
	case p.is(0, cUnit) && p.at(0).v < 100:
		p.i++
		return p.at(-1).v, true
	case p.mark(0, "'"):
		p.i++
		return uMinute, true
	case p.mark(0, "\""):
		p.i++
		return uSecond, true
	}
	return 0, false
}

// amounts reads one or more "amount unit" pairs: 1 hour 30 minutes,
// 1h30m, 1h30, 1시간 30분, 2시간 반, an hour and a half, 하루, 이틀.
func (p *parser) amounts() span {
	var s span
	for {
		start := p.i
		if p.is(0, cUnit) && p.at(0).v >= 100 { // 하루, 이틀: the count is in the word
			v := p.at(0).v
			s.add(float64(v/100), v%100)
			p.i++
		} else {
			first := p.at(0)
			n, ok := p.amount()
			if !ok {
				p.i = start
				break
			}
			u, ok := p.unit()
			if !ok {
				// "in 1h30": minutes glued after a compact hour
				if s.pairs > 0 && s.last == uHour && s.compactHour > 0 && first.c == cNum && first.tok.glued && !first.spelled {
					s.add(n, uMinute)
					s.gluedMinutes = true
					break
				}
				p.i = start
				break
			}
			if s.pairs == 0 && u == uHour && first.c == cNum && !first.spelled && p.at(-1).tok.glued {
				s.compactHour = first.v
			}
			s.add(n, u)
			if s.pairs == 1 && u == uDay && p.at(-1).ko {
				s.onlyKoDay = true
			}
		}
		switch {
		case p.is(0, cHalf) && p.at(0).ko: // 2시간 반
			s.add(0.5, s.last)
			s.pairs--
			p.i++
		case p.filler(0, fAnd) && p.filler(1, fA) && p.is(2, cHalf): // an hour and a half
			s.add(0.5, s.last)
			s.pairs--
			p.i += 3
		}
		if s.pairs > 1 {
			s.onlyKoDay = false
		}
		if p.filler(0, fAnd) && (p.is(1, cNum) || p.filler(1, fA)) {
			p.i++
		}
	}
	s.ok = s.pairs > 0
	return s
}

// duration reads a length of time from now: in 15m, 2시간 반 후, 15분 안에,
// a day from now, 3일 뒤, 1h30m. A bare Korean N일 is left to be a day of
// the month, and a one-word 15h (13 and up) or "at 3h18" to be a clock.
func (p *parser) duration() (bool, error) {
	prefix := false
	if (p.is(0, cIn) || p.is(0, cPast)) && !p.at(0).ko { // in, within, after
		prefix = true
		p.i++
		for p.filler(0, fAbout) {
			p.i++
		}
	}
	start := p.i
	s := p.amounts()
	if !s.ok {
		// "in 15": minutes, as people say it
		n, isNum := p.num(0)
		if !prefix || !isNum || n <= 0 || n > 180 || p.at(0).spelled || !(p.i+1 == len(p.a) || p.is(1, cLater)) {
			return false, nil
		}
		s.add(float64(n), uMinute)
		s.ok = true
		p.i++
	}
	later, ago := false, false
	switch {
	case p.is(0, cLater), p.is(0, cIn) && p.at(0).ko:
		later = true
		p.i++
	case p.is(0, cAgo), p.is(0, cBefore) && p.at(0).ko:
		ago = true
		p.i++
	}
	if !prefix && !later && !ago {
		if s.onlyKoDay || p.is(0, cPast) || p.is(0, cTo) || p.filler(0, fFrom) || p.filler(0, fOf) {
			return false, nil // 15일 is a date; 15 minutes past 3 is a clock
		}
		afterAt := start > 0 && p.a[start-1].c == cFiller && (p.a[start-1].v == fAt || p.a[start-1].v == fAbout)
		if s.compactHour > 0 && (s.compactHour >= 13 || s.gluedMinutes || afterAt || p.f.hasDay || p.f.hasWd) {
			return false, nil // 15h, 3h18, at 8h, thursday 8h: the French 24-hour clock
		}
	}
	if s.badFraction {
		return false, errUnreadable(p.phrase, p.a[start].tok.s)
	}
	if s.tooFar {
		return false, errSpanTooFar(p.phrase)
	}
	if p.f.hasDur || p.f.hasTime && s.exact != 0 {
		return false, errTwoTimes(p.phrase)
	}
	if s.days != 0 || s.months != 0 {
		if err := p.setDay(); err != nil {
			return false, err
		}
	}
	sign := 1
	if ago {
		sign = -1
	}
	p.f.hasDur = true
	p.f.dur, p.f.days, p.f.months = time.Duration(sign)*s.exact, sign*s.days, sign*s.months
	return true, nil
}
