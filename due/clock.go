package due

// relativeClock reads minutes before or after an hour: half past three, a
// quarter to five, 20 minutes to 2pm, twenty after 3, 15 past noon, and
// the British "half three" (3:30).
func (p *parser) relativeClock() (bool, error) {
	mins, half := 0, false
	switch {
	case p.is(0, cHalf) && !p.at(0).ko:
		mins, half = 30, true
		p.i++
	case p.filler(0, fA) && p.is(1, cQuarter):
		mins = 15
		p.i += 2
	case p.is(0, cQuarter):
		mins = 15
		p.i++
	case p.is(0, cNum) && !p.at(0).ord && !p.at(0).ko && p.at(0).v >= 1 && p.at(0).v <= 59 && !p.filler(-1, fFrom):
		// 20 minutes to 6, twenty after 6, 10 past 7; but "3 to 5" and
		// "from 3 to 5" are ranges
		mins = p.at(0).v
		p.i++
		if p.isV(0, cUnit, uMinute) {
			p.i++
		} else if !p.at(-1).spelled && mins%5 != 0 {
			return false, nil
		}
	default:
		return false, nil
	}
	before := false
	switch {
	case p.is(0, cPast) || p.filler(0, fFrom):
		p.i++
	case p.is(0, cTo):
		before = true
		p.i++
	case half && p.is(0, cNum) && !p.at(0).ord:
		// half three
	default:
		return false, nil
	}
	h, ok, err := p.hourSpec()
	if err != nil || !ok {
		return false, err
	}
	if before {
		p.f.minus = mins
		return true, p.setTime(h, 0, 0)
	}
	return true, p.setTime(h, mins, 0)
}

// hourSpec reads the hour a relative clock counts from: 3, three, 3pm,
// 3 o'clock, noon, midnight.
func (p *parser) hourSpec() (int, bool, error) {
	switch {
	case p.is(0, cNoon):
		p.i++
		p.f.h24 = true
		return 12, true, nil
	case p.is(0, cMidnight):
		p.i++
		p.f.h24, p.f.midnight = true, true
		return 24, true, nil
	}
	h, ok := p.num(0)
	if !ok || h > 24 || p.at(0).tok.width > 2 {
		return 0, false, nil
	}
	p.i++
	if p.isV(0, cUnit, uHour) && p.at(0).tok.s == "h" && p.at(0).tok.glued { // 15 minutes past 15h
		p.i++
		p.f.h24 = true
		return h, true, nil
	}
	if _, err := p.meridiemAfter(); err != nil {
		return 0, false, err
	}
	if p.is(0, cOclock) && !p.at(0).ko {
		p.i++
	}
	return h, true, nil
}

// meridiemAfter reads am or pm after a time: 3pm, 3 p.m., 3:18a, 7p,
// 3ish pm.
func (p *parser) meridiemAfter() (bool, error) {
	start := p.i
	if p.filler(0, fIsh) && p.at(0).tok.s == "ish" {
		p.i++
	}
	switch {
	case p.is(0, cMeridiem) && !p.at(0).ko:
		p.i++
		return true, p.setMeridiem(p.at(-1).v)
	case p.filler(0, fA) && p.at(0).tok.glued && p.at(0).tok.s == "a": // 7a, 3:18a
		p.i++
		return true, p.setMeridiem(am)
	case p.is(0, cIn) && p.filler(1, fThe) && p.is(2, cMeridiem): // 3 in the am
		p.i += 3
		return true, p.setMeridiem(p.at(-1).v)
	}
	p.i = start
	return false, nil
}

// clock reads a time of day: 3시, 세시 반, 3시 20분, 네시 십오분 전, 15:30,
// 3:18am, 15h30, 3pm, 330 p.m., 3 o'clock, three twenty, twelve oh three,
// noon, 자정, and a number alone, which is an hour only beside a day, a part
// of the day or "at" (checked when the phrase is resolved).
func (p *parser) clock() (bool, error) {
	a := p.at(0)
	switch {
	case a.c == cNoon:
		p.i++
		p.f.h24 = true
		return true, p.setTime(12, 0, 0)
	case a.c == cMidnight:
		p.i++
		p.f.h24, p.f.midnight = true, true
		return true, p.setTime(24, 0, 0)
	case a.c != cNum || a.ord:
		return false, nil
	}
	h := a.v
	leadingZero := a.tok.width == 2 && a.tok.s[0] == '0'

	// Korean: 3시, 세시 반, 3시 20분 15초, 네시 십오분 전
	if p.is(1, cOclock) && p.at(1).ko {
		p.i += 2
		m, s := 0, 0
		switch {
		case p.is(0, cHalf):
			m = 30
			p.i++
		case p.is(0, cNum) && p.isV(1, cUnit, uMinute) && p.is(2, cBefore):
			p.f.minus = p.at(0).v
			p.i += 3
		case p.is(0, cNum) && p.isV(1, cUnit, uMinute):
			m = p.at(0).v
			p.i += 2
			if p.is(0, cNum) && p.isV(1, cUnit, uSecond) {
				s = p.at(0).v
				p.i += 2
			}
		}
		p.f.h24 = p.f.h24 || leadingZero || h >= 13 || h == 0
		return true, p.setTime(h, m, s)
	}

	// 15:30, 3:18am, 15:23:24
	if p.mark(1, ":") && p.is(2, cNum) && !p.at(2).spelled {
		if p.at(2).tok.width != 2 {
			return false, errNoSuchMinute(p.phrase, p.at(2).v)
		}
		m, s := p.at(2).v, 0
		p.i += 3
		if p.mark(0, ":") && p.is(1, cNum) && p.at(1).tok.width == 2 {
			s = p.at(1).v
			p.i += 2
		}
		p.f.h24 = p.f.h24 || leadingZero || h >= 13 || h == 0
		if _, err := p.meridiemAfter(); err != nil {
			return false, err
		}
		return true, p.setTime(h, m, s)
	}

	// 15h30, 16h, at 3h18: the French clock, always 24-hour
	if p.isV(1, cUnit, uHour) && p.at(1).tok.s == "h" && p.at(1).tok.glued {
		m := 0
		p.i += 2
		if p.is(0, cNum) && p.at(0).tok.glued && p.at(0).tok.width == 2 {
			m = p.at(0).v
			p.i++
		}
		p.f.h24 = true
		return true, p.setTime(h, m, 0)
	}

	if p.is(1, cUnit) || p.is(1, cMonth) || p.is(1, cMark) || p.is(1, cOclock) && p.at(1).ko {
		return false, nil // 3 days, 15 of february, 2/15: not a clock
	}
	m := 0
	compact := a.tok.width >= 3 // 1030, 730, 330 p.m.
	if compact {
		h, m = a.v/100, a.v%100
		if a.tok.width > 4 || m > 59 {
			return false, nil
		}
	}
	p.i++
	sure := false // said as a clock, not a number alone
	switch {
	case a.spelled && !a.ko && h >= 1 && h <= 12 && p.is(0, cNum) && p.at(0).spelled && !p.at(0).ord && !p.at(0).ko:
		// three twenty, ten thirty, twelve oh three, nine fifty nine
		mm := p.at(0).v
		switch {
		case mm == 0 && p.is(1, cNum) && p.at(1).spelled && p.at(1).v < 10:
			m, sure = p.at(1).v, true
			p.i += 2
		case mm >= 10 && mm <= 59:
			m, sure = mm, true
			p.i++
		}
	case p.f.at && !compact && !a.spelled && h <= 12 && p.is(0, cNum) && p.at(0).tok.width == 2 && !p.at(0).tok.glued:
		m, sure = p.at(0).v, true // at 3 15
		p.i++
	case a.c == cNum && p.is(0, cNoon) && h == 12: // 12 noon
		p.i++
		p.f.h24 = true
		return true, p.setTime(12, 0, 0)
	}
	hadMeridiem, err := p.meridiemAfter()
	if err != nil {
		return false, err
	}
	if p.is(0, cOclock) && !p.at(0).ko {
		p.i++
		sure = true
		if !hadMeridiem {
			if hadMeridiem, err = p.meridiemAfter(); err != nil {
				return false, err
			}
		}
	}
	if !hadMeridiem && !sure {
		p.f.bare, p.f.bareN = true, a.v
	}
	if leadingZero && !hadMeridiem {
		p.f.h24 = true
	}
	return true, p.setTime(h, m, 0)
}

// part reads a part of the day: 오전, 오후, 저녁, morning, this afternoon, in
// the evening, tonight (read as today and night).
func (p *parser) part() (bool, error) {
	switch {
	case p.is(0, cIn) && !p.at(0).ko && p.filler(1, fThe) && (p.is(2, cPart) || p.is(2, cMeridiem)):
		p.i += 2
	case p.is(0, cIn) && !p.at(0).ko && p.is(1, cPart): // 3:20 in afternoon
		p.i++
	case p.isV(0, cRel, relThis) && !p.at(0).ko && p.is(1, cPart):
		p.i++
		if !p.f.hasDayOff {
			if err := p.setDay(); err != nil {
				return false, err
			}
			p.f.hasDayOff, p.f.dayOff, p.f.today = true, 0, true
		}
	}
	switch {
	case p.is(0, cPart):
		p.i++
		return true, p.setPart(p.at(-1).v)
	case p.is(0, cMeridiem):
		p.i++
		return true, p.setMeridiem(p.at(-1).v)
	}
	return false, nil
}
