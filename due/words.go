package due

import (
	"time"
)

// cat is what a word means to the grammar, in either language: 내일 and
// tomorrow are both a day one ahead, 오후 and pm both the afternoon.
type cat uint8

const (
	cNum           cat = iota + 1 // a number: digits, a Korean numeral or an English number word
	cMark                         // : / - . ' "
	cDay                          // a day named from today: v days ahead (negative: past)
	cNow                          // now, 지금
	cWeekday                      // v is a time.Weekday
	cMonth                        // a month by name: v is 1-12
	cMeridiem                     // am/pm and 오전/오후: v is am or pm
	cPart                         // a part of the day: v indexes parts
	cNoon                         // noon, 정오
	cMidnight                     // midnight, 자정
	cUnit                         // a unit of duration: v is a unit
	cOclock                       // 시, o'clock: the number before it is an hour
	cMonthMark                    // 월 after a number: a month of the year
	cYearMark                     // 년 after a number: a year
	cHalf                         // half, 반
	cQuarter                      // quarter
	cPast                         // past, after (minutes past an hour)
	cTo                           // to, till, before, of (minutes to an hour)
	cBefore                       // 전: minutes before an hour, or days ago
	cIn                           // in, within, 안에, 내: a duration from now
	cLater                        // later, from now, hence, 후, 뒤: a duration from now
	cAgo                          // ago: the past
	cRel                          // this, next, 다음, 다다음: v is a rel
	cYearRel                      // 올해, 내년: v years ahead
	cAfterNext                    // "after next"
	cOrdinal                      // first… fifth, last, 첫째, 마지막: v (last is -1)
	cFiller                       // a word that adds nothing: v says which
	cZone                         // a time zone abbreviation
	cHoliday                      // a holiday on a fixed date: v is month*100+day
	cLunar                        // a holiday on the lunar calendar: no fixed date
	cVague                        // a span, not a time: weekend, 월말
	cAmbiguousZone                // CST, IST: more than one zone
	cTonight                      // tonight: today, at night
)

// Parts of the day, with the hour a part alone means and the hours it
// spans (see parts).
const (
	partDawn = iota + 1
	partMorning
	partLunch
	partDay
	partAfternoon
	partEvening
	partNight
	partAM // 오전, am
	partPM // 오후, pm
)

// Fillers: the word is allowed and adds nothing, except that "at" and
// "about" make a bare number an hour ("at 5", "around 3").
const (
	fAt    = iota + 1 // at, @, by, for, 에, 까지
	fAbout            // about, around, approximately, ~, 약, 쯤, 경
	fOn               // on
	fThe              // the
	fOf               // of
	fAnd              // and
	fA                // a, an: one
	fFrom             // from, after, since, 부터, 이후: the start of what follows
	fIsh              // ish, sharp, exactly, 정각
)

// Rels: the week (or day, month) a word points at.
const (
	relThis      = iota + 1 // this, 이번, 금주
	relNext                 // next, 다음, 차주
	relNextNext             // 다다음
	relComing               // coming, upcoming, 오는: the next one to come
	relLast                 // last, 지난, 저번: the past
	relFollowing            // following
)

// Units of a duration.
const (
	uSecond = iota + 1
	uMinute
	uHour
	uDay
	uWeek
	uFortnight
	uMonth
	uYear
)

const (
	am = iota + 1
	pm
)

// atom is a token with its meaning.
type atom struct {
	c       cat
	v       int
	tok     token
	spelled bool // an English number word or a Korean numeral, not digits
	ord     bool // an ordinal: 1st, first, 15th
	ko      bool // a Korean word, which goes after what it qualifies (15분 후, 3시 반)
	zone    *time.Location
}

// word is a lexicon entry.
type word struct {
	c  cat
	v  int
	ko bool
}

func w(c cat, v int) word  { return word{c: c, v: v} }
func kw(c cat, v int) word { return word{c: c, v: v, ko: true} }

// koWords is the Korean lexicon. Segmentation takes the longest entry, so
// 내일모레 beats 내일, and 일요일 beats 일.
var koWords = map[string]word{
	"지금": kw(cNow, 0), "당장": kw(cNow, 0), "바로": kw(cNow, 0), "즉시": kw(cNow, 0),
	"오늘": kw(cDay, 0), "금일": kw(cDay, 0), "내일": kw(cDay, 1), "명일": kw(cDay, 1),
	"모레": kw(cDay, 2), "내일모레": kw(cDay, 2), "글피": kw(cDay, 3), "그글피": kw(cDay, 4),
	"어제": kw(cDay, -1), "어저께": kw(cDay, -1), "그제": kw(cDay, -2), "그저께": kw(cDay, -2), "엊그제": kw(cDay, -2), "방금": kw(cDay, -1),
	"월요일": kw(cWeekday, int(time.Monday)), "화요일": kw(cWeekday, int(time.Tuesday)), "수요일": kw(cWeekday, int(time.Wednesday)),
	"목요일": kw(cWeekday, int(time.Thursday)), "금요일": kw(cWeekday, int(time.Friday)), "토요일": kw(cWeekday, int(time.Saturday)),
	"일요일": kw(cWeekday, int(time.Sunday)),
	"오전":  kw(cMeridiem, am), "오후": kw(cMeridiem, pm),
	"새벽": kw(cPart, partDawn), "아침": kw(cPart, partMorning), "점심": kw(cPart, partLunch), "낮": kw(cPart, partDay),
	"저녁": kw(cPart, partEvening), "밤": kw(cPart, partNight),
	"정오": kw(cNoon, 0), "자정": kw(cMidnight, 0),
	"시": kw(cOclock, 0), "분": kw(cUnit, uMinute), "초": kw(cUnit, uSecond), "시간": kw(cUnit, uHour),
	"일": kw(cUnit, uDay), "주": kw(cUnit, uWeek), "주일": kw(cUnit, uWeek), "개월": kw(cUnit, uMonth), "달": kw(cUnit, uMonth),
	"월": kw(cMonthMark, 0), "년": kw(cYearMark, 0), "시월": kw(cMonth, 10), "유월": kw(cMonth, 6),
	"하루": kw(cUnit, 1*100+uDay), "이틀": kw(cUnit, 2*100+uDay), "사흘": kw(cUnit, 3*100+uDay), "나흘": kw(cUnit, 4*100+uDay),
	"닷새": kw(cUnit, 5*100+uDay), "엿새": kw(cUnit, 6*100+uDay), "이레": kw(cUnit, 7*100+uDay), "열흘": kw(cUnit, 10*100+uDay),
	"보름": kw(cUnit, 15*100+uDay),
	"반":  kw(cHalf, 0),
	"전":  kw(cBefore, 0), "이전": kw(cBefore, 0),
	"후": kw(cLater, 0), "뒤": kw(cLater, 0), "후에": kw(cLater, 0), "뒤에": kw(cLater, 0), "있다가": kw(cLater, 0), "지나서": kw(cLater, 0),
	"이후": kw(cLater, 0),
	"안":  kw(cIn, 0), "안에": kw(cIn, 0), "내": kw(cIn, 0), "내에": kw(cIn, 0), "이내": kw(cIn, 0), "이내에": kw(cIn, 0), "내로": kw(cIn, 0),
	"이번": kw(cRel, relThis), "금주": kw(cRel, relThis*10+uWeek), "다음": kw(cRel, relNext), "담": kw(cRel, relNext), "차주": kw(cRel, relNext*10+uWeek),
	"다다음": kw(cRel, relNextNext), "오는": kw(cRel, relComing), "돌아오는": kw(cRel, relComing),
	"지난": kw(cRel, relLast), "저번": kw(cRel, relLast),
	"올해": kw(cYearRel, 0), "금년": kw(cYearRel, 0), "내년": kw(cYearRel, 1), "명년": kw(cYearRel, 1),
	"첫째": kw(cOrdinal, 1), "첫": kw(cOrdinal, 1), "둘째": kw(cOrdinal, 2), "셋째": kw(cOrdinal, 3), "넷째": kw(cOrdinal, 4),
	"다섯째": kw(cOrdinal, 5), "마지막": kw(cOrdinal, -1), "번째": kw(cFiller, fIsh), "째": kw(cFiller, fIsh),
	"에": kw(cFiller, fAt), "까지": kw(cFiller, fAt), "에는": kw(cFiller, fAt), "으로": kw(cFiller, fAt), "로": kw(cFiller, fAt),
	"쯤": kw(cFiller, fAbout), "쯤에": kw(cFiller, fAbout), "경": kw(cFiller, fAbout), "께": kw(cFiller, fAbout), "정도": kw(cFiller, fAbout),
	"약": kw(cFiller, fAbout), "즈음": kw(cFiller, fAbout), "대략": kw(cFiller, fAbout),
	"정각": kw(cFiller, fIsh), "부터": kw(cFiller, fFrom), "요": kw(cFiller, fIsh),
	"크리스마스": kw(cHoliday, 1225), "성탄절": kw(cHoliday, 1225), "크리스마스이브": kw(cHoliday, 1224),
	"신정": kw(cHoliday, 101), "삼일절": kw(cHoliday, 301), "어린이날": kw(cHoliday, 505), "현충일": kw(cHoliday, 606),
	"제헌절": kw(cHoliday, 717), "광복절": kw(cHoliday, 815), "개천절": kw(cHoliday, 1003), "한글날": kw(cHoliday, 1009),
	"설": kw(cLunar, 0), "설날": kw(cLunar, 0), "구정": kw(cLunar, 0), "추석": kw(cLunar, 0), "한가위": kw(cLunar, 0),
	"석가탄신일": kw(cLunar, 0), "부처님오신날": kw(cLunar, 0),
	"주말": kw(cVague, 0), "월말": kw(cVague, 0), "월초": kw(cVague, 0), "연말": kw(cVague, 0), "중순": kw(cVague, 0), "초순": kw(cVague, 0), "하순": kw(cVague, 0),
}

// koMaxWord is the longest Korean lexicon entry, in runes.
var koMaxWord = func() int {
	n := 0
	for k := range koWords {
		n = max(n, len([]rune(k)))
	}
	return n
}()

// koUnits are the words a Korean numeral may stand before.
var koUnits = map[string]bool{"시": true, "분": true, "초": true, "시간": true, "일": true, "주": true, "주일": true,
	"월": true, "년": true, "개월": true, "달": true, "번째": true, "째": true}

// enWords is the English lexicon, after apostrophes are dropped
// ("o'clock" is oclock) and abbreviation dots ("p.m." is pm).
var enWords = map[string]word{
	"now": w(cNow, 0), "asap": w(cNow, 0), "immediately": w(cNow, 0), "atm": w(cNow, 0),
	"today": w(cDay, 0), "tonight": w(cTonight, 0), "tonite": w(cTonight, 0),
	"tomorrow": w(cDay, 1), "tomorrows": w(cDay, 1), "tmr": w(cDay, 1), "tmrw": w(cDay, 1), "tomorow": w(cDay, 1), "tommorow": w(cDay, 1),
	"overmorrow": w(cDay, 2), "yesterday": w(cDay, -1),
	"monday": w(cWeekday, 1), "mon": w(cWeekday, 1), "tuesday": w(cWeekday, 2), "tue": w(cWeekday, 2), "tues": w(cWeekday, 2),
	"wednesday": w(cWeekday, 3), "wed": w(cWeekday, 3), "thursday": w(cWeekday, 4), "thu": w(cWeekday, 4), "thur": w(cWeekday, 4),
	"thurs": w(cWeekday, 4), "friday": w(cWeekday, 5), "fri": w(cWeekday, 5), "saturday": w(cWeekday, 6), "sat": w(cWeekday, 6),
	"sunday": w(cWeekday, 0), "sun": w(cWeekday, 0),
	"mondays": w(cWeekday, 101), "tuesdays": w(cWeekday, 102), "wednesdays": w(cWeekday, 103), "thursdays": w(cWeekday, 104),
	"fridays": w(cWeekday, 105), "saturdays": w(cWeekday, 106), "sundays": w(cWeekday, 100),
	"january": w(cMonth, 1), "jan": w(cMonth, 1), "february": w(cMonth, 2), "feb": w(cMonth, 2), "march": w(cMonth, 3), "mar": w(cMonth, 3),
	"april": w(cMonth, 4), "apr": w(cMonth, 4), "may": w(cMonth, 5), "june": w(cMonth, 6), "jun": w(cMonth, 6),
	"july": w(cMonth, 7), "jul": w(cMonth, 7), "august": w(cMonth, 8), "aug": w(cMonth, 8), "september": w(cMonth, 9),
	"sep": w(cMonth, 9), "sept": w(cMonth, 9), "october": w(cMonth, 10), "oct": w(cMonth, 10), "november": w(cMonth, 11),
	"nov": w(cMonth, 11), "december": w(cMonth, 12), "dec": w(cMonth, 12),
	"am": w(cMeridiem, am), "pm": w(cMeridiem, pm), "a": w(cFiller, fA), "an": w(cFiller, fA), "p": w(cMeridiem, pm),
	"morning": w(cPart, partMorning), "mornings": w(cPart, partMorning), "afternoon": w(cPart, partAfternoon),
	"evening": w(cPart, partEvening), "night": w(cPart, partNight), "lunch": w(cPart, partLunch), "lunchtime": w(cPart, partLunch),
	"noon": w(cNoon, 0), "midday": w(cNoon, 0), "midnight": w(cMidnight, 0),
	"oclock": w(cOclock, 0),
	"s":      w(cUnit, uSecond), "sec": w(cUnit, uSecond), "secs": w(cUnit, uSecond), "second": w(cUnit, uSecond), "seconds": w(cUnit, uSecond),
	"m": w(cUnit, uMinute), "min": w(cUnit, uMinute), "mins": w(cUnit, uMinute), "minute": w(cUnit, uMinute), "minutes": w(cUnit, uMinute),
	"h": w(cUnit, uHour), "hr": w(cUnit, uHour), "hrs": w(cUnit, uHour), "hour": w(cUnit, uHour), "hours": w(cUnit, uHour),
	"d": w(cUnit, uDay), "day": w(cUnit, uDay), "days": w(cUnit, uDay),
	"w": w(cUnit, uWeek), "wk": w(cUnit, uWeek), "wks": w(cUnit, uWeek), "week": w(cUnit, uWeek), "weeks": w(cUnit, uWeek),
	"fortnight": w(cUnit, uFortnight), "month": w(cUnit, uMonth), "months": w(cUnit, uMonth),
	"year": w(cUnit, uYear), "years": w(cUnit, uYear), "yr": w(cUnit, uYear),
	"half": w(cHalf, 0), "quarter": w(cQuarter, 0), "quarters": w(cQuarter, 0),
	"past": w(cPast, 0), "after": w(cPast, 0), "to": w(cTo, 0), "till": w(cTo, 0), "til": w(cTo, 0), "before": w(cTo, 0),
	"in": w(cIn, 0), "within": w(cIn, 0), "later": w(cLater, 0), "hence": w(cLater, 0), "ago": w(cAgo, 0), "back": w(cAgo, 0),
	"this": w(cRel, relThis), "next": w(cRel, relNext), "coming": w(cRel, relComing), "upcoming": w(cRel, relComing),
	"last": w(cRel, relLast), "previous": w(cRel, relLast), "following": w(cRel, relFollowing), "current": w(cRel, relThis),
	"at": w(cFiller, fAt), "by": w(cFiller, fAt), "for": w(cFiller, fAt),
	"about": w(cFiller, fAbout), "around": w(cFiller, fAbout), "approximately": w(cFiller, fAbout), "approx": w(cFiller, fAbout),
	"roughly": w(cFiller, fAbout), "circa": w(cFiller, fAbout), "ish": w(cFiller, fIsh), "sharp": w(cFiller, fIsh), "exactly": w(cFiller, fIsh),
	"on": w(cFiller, fOn), "the": w(cFiller, fThe), "of": w(cFiller, fOf), "and": w(cFiller, fAnd), "from": w(cFiller, fFrom),
	"since": w(cFiller, fFrom), "more": w(cFiller, fIsh), "early": w(cFiller, fIsh),
	"couple": w(cNum, 2), "pair": w(cNum, 2), "few": w(cNum, 3),
	"christmas": w(cHoliday, 1225), "xmas": w(cHoliday, 1225), "halloween": w(cHoliday, 1031),
	"weekend": w(cVague, 0), "eod": w(cVague, 0), "eom": w(cVague, 0), "eow": w(cVague, 0), "eoy": w(cVague, 0), "sometime": w(cVague, 0), "soon": w(cVague, 0),
	"easter": w(cLunar, 0), "thanksgiving": w(cLunar, 0),
}

// enPhrases are English words that mean something only together; the
// longest is taken first.
var enPhrases = map[string]word{
	"right now": w(cNow, 0), "as soon as possible": w(cNow, 0), "at the moment": w(cNow, 0), "just now": w(cNow, 0),
	"the day after tomorrow": w(cDay, 2), "day after tomorrow": w(cDay, 2), "the day before yesterday": w(cDay, -2),
	"after next": w(cAfterNext, 0), "from now": w(cLater, 0), "from right now": w(cLater, 0), "from today": w(cLater, 0),
	"o clock": w(cOclock, 0), "mid day": w(cNoon, 0), "the midday": w(cNoon, 0), "a m": w(cMeridiem, am), "p m": w(cMeridiem, pm),
	"christmas eve": w(cHoliday, 1224), "christmas day": w(cHoliday, 1225), "new years day": w(cHoliday, 101),
	"new years eve": w(cHoliday, 1231), "new year": w(cHoliday, 101), "valentines day": w(cHoliday, 214), "valentine day": w(cHoliday, 214),
	"independence day": w(cHoliday, 704), "fourth of july": w(cHoliday, 704), "4th of july": w(cHoliday, 704),
	"chinese new year": w(cLunar, 0), "lunar new year": w(cLunar, 0),
	"end of day": w(cVague, 0), "end of the day": w(cVague, 0), "end of the week": w(cVague, 0), "end of the month": w(cVague, 0),
}

// enPhraseMax is the most words in an enPhrases entry.
const enPhraseMax = 5

// enNumbers are the English number words up to nineteen, and the tens.
var enNumbers = map[string]int{
	"zero": 0, "oh": 0, "o": 0, "ou": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}

// enOrdinals are the English ordinal words up to nineteenth, and the tens.
var enOrdinals = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
	"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
	"seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}

// zones are the abbreviations a customer might name, each one zone.
// Abbreviations that name several (CST, IST) are refused.
var zones = map[string]*time.Location{
	"utc": time.UTC, "gmt": time.UTC, "z": time.UTC,
	"kst": time.FixedZone("KST", 9*3600), "jst": time.FixedZone("JST", 9*3600),
	"cet": time.FixedZone("CET", 1*3600), "cest": time.FixedZone("CEST", 2*3600),
	"bst": time.FixedZone("BST", 1*3600), "wet": time.FixedZone("WET", 0), "eet": time.FixedZone("EET", 2*3600),
	"est": time.FixedZone("EST", -5*3600), "edt": time.FixedZone("EDT", -4*3600),
	"cdt": time.FixedZone("CDT", -5*3600), "mst": time.FixedZone("MST", -7*3600), "mdt": time.FixedZone("MDT", -6*3600),
	"pst": time.FixedZone("PST", -8*3600), "pdt": time.FixedZone("PDT", -7*3600),
	"hst": time.FixedZone("HST", -10*3600), "akst": time.FixedZone("AKST", -9*3600),
	"aest": time.FixedZone("AEST", 10*3600), "aedt": time.FixedZone("AEDT", 11*3600), "sgt": time.FixedZone("SGT", 8*3600),
	"hkt": time.FixedZone("HKT", 8*3600),
}

var ambiguousZones = map[string]bool{"cst": true, "ist": true, "ast": true, "bt": true}
