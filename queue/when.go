package queue

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangol/dangol/crm"
	"github.com/olebedev/when"
	"github.com/olebedev/when/rules/common"
	"github.com/olebedev/when/rules/en"
)

// ParseDue turns a scheduling phrase into a due time after now, reading
// clock times in loc (the customer's zone when scheduling a call to them).
// It understands:
//
//	durations     15m, 2h, 1h30m, 3d, 90s, in 15m, 15분 후, 2시간 뒤, 1시간 30분 후
//	dates         2026-12-01 14:30, 2026-12-01, 2026/12/01 9:00
//	Korean        내일 오후 3시, 모레 10시 반, 다음주 월요일 10시, 금요일 오전 9시 30분, 12월 3일 14:00, 3일 후
//	English       tomorrow 3pm, next monday 10am, friday at 9:30am, in 2 hours, 3pm
//
// English phrases go through github.com/olebedev/when; no maintained Go
// library reads Korean phrases correctly, so those have a small grammar
// here. A phrase that is not understood whole, or lands in the past or more
// than a year ahead, is an error that says so.
func ParseDue(phrase string, now time.Time, loc *time.Location) (time.Time, error) {
	if !utf8.ValidString(phrase) {
		return time.Time{}, crm.Problemf("phrase_not_text", "due time is not valid text")
	}
	p := strings.Join(strings.Fields(strings.ToLower(phrase)), " ")
	if p == "" {
		return time.Time{}, crm.Problemf("phrase_empty", "no due time given (try 15m, 내일 오후 3시, tomorrow 3pm)")
	}
	if r := []rune(p); len(r) > 60 {
		return time.Time{}, crm.Problemf("phrase_too_long", "due time %q… is too long to be a date", string(r[:20]))
	}
	now = now.In(loc)
	t, dated, ok := parseDuration(p, now)
	if !ok {
		t, dated, ok = parseAbsolute(p, loc)
	}
	if !ok {
		t, dated, ok = parseKorean(p, now)
	}
	if !ok {
		t, dated, ok = parseEnglish(p, now)
	}
	if !ok {
		return time.Time{}, crm.Problemf("phrase_unreadable", "cannot read %q as a time (try 15m, 2h, 내일 오후 3시, 다음주 월요일 10시, tomorrow 3pm, 2026-12-01 14:30)", phrase)
	}
	if !t.After(now) && !dated {
		t = t.AddDate(0, 0, 1) // "3pm" said at 4pm means tomorrow
	}
	if !t.After(now) {
		return time.Time{}, crm.Problemf("phrase_past", "%q is %s, which is not in the future", phrase, t.Format("2006-01-02 15:04"))
	}
	if t.After(now.AddDate(1, 0, 0)) {
		return time.Time{}, crm.Problemf("phrase_too_far", "%q is %s, more than a year ahead", phrase, t.Format("2006-01-02 15:04"))
	}
	return t, nil
}

var durationRE = regexp.MustCompile(`^(?:in )?((?:\d+ ?(?:s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|초|분|시간|일) ?)+)(?: ?(?:후|뒤|later|from now))?$`)
var durationPartRE = regexp.MustCompile(`(\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|hr|h|days?|d|초|분|시간|일)`)

// parseDuration reads "15m", "1h30m", "in 2 hours", "1시간 30분 후".
func parseDuration(p string, now time.Time) (time.Time, bool, bool) {
	m := durationRE.FindStringSubmatch(p)
	if m == nil {
		return time.Time{}, false, false
	}
	// "3일" alone is a day of the month in Korean; only "3일 후" is a duration.
	if strings.HasSuffix(strings.TrimSpace(m[1]), "일") && !strings.HasSuffix(p, "후") && !strings.HasSuffix(p, "뒤") {
		return time.Time{}, false, false
	}
	var total time.Duration
	for _, part := range durationPartRE.FindAllStringSubmatch(m[1], -1) {
		n, err := strconv.Atoi(part[1])
		if err != nil || n > 100000 {
			return time.Time{}, false, false
		}
		unit := time.Minute
		switch part[2][0] {
		case 's':
			unit = time.Second
		case 'h':
			unit = time.Hour
		case 'd':
			unit = 24 * time.Hour
		}
		switch part[2] {
		case "초":
			unit = time.Second
		case "시간":
			unit = time.Hour
		case "일":
			unit = 24 * time.Hour
		}
		total += time.Duration(n) * unit
	}
	if total <= 0 {
		return time.Time{}, false, false
	}
	return now.Add(total), true, true
}

var absoluteLayouts = []string{
	"2006-01-02 15:04", "2006-01-02t15:04", "2006-01-02 15:04:05", "2006-01-02t15:04:05",
	"2006/01/02 15:04", "2006.01.02 15:04", "2006-01-02 3:04pm", "2006-01-02 3pm",
}

var dateOnlyLayouts = []string{"2006-01-02", "2006/01/02", "2006.01.02"}

// parseAbsolute reads an explicit date and time. A date alone means the
// start of the call center's day, 09:00.
func parseAbsolute(p string, loc *time.Location) (time.Time, bool, bool) {
	for _, layout := range absoluteLayouts {
		if t, err := time.ParseInLocation(layout, p, loc); err == nil {
			return t, true, true
		}
	}
	for _, layout := range dateOnlyLayouts {
		if t, err := time.ParseInLocation(layout, p, loc); err == nil {
			return t.Add(9 * time.Hour), true, true
		}
	}
	return time.Time{}, false, false
}

var koreanRE = regexp.MustCompile(`^` +
	`(?:(오늘|내일|모레|글피)` + // 1: a named day
	`|(?:(이번 ?주|다음 ?주|다다음 ?주) ?)?([월화수목금토일])요일` + // 2: week, 3: weekday
	`|(\d+) ?(일|주) ?(?:후|뒤)` + // 4, 5: days or weeks from now
	`|(\d{1,2}) ?월 ?(\d{1,2}) ?일)?` + // 6, 7: month and day
	` ?(오전|오후|아침|점심|낮|저녁|밤|새벽)?` + // 8: part of day
	` ?(?:(\d{1,2}) ?시(?: ?(반|(\d{1,2}) ?분))?|(\d{1,2}):(\d{2}))?` + // 9 hour, 10 반, 11 minute; 12:13 hh:mm
	` ?(?:에|쯤)?$`)

var weekdays = map[string]time.Weekday{"월": time.Monday, "화": time.Tuesday, "수": time.Wednesday,
	"목": time.Thursday, "금": time.Friday, "토": time.Saturday, "일": time.Sunday}

// parseKorean reads the Korean phrases an agent types while the customer
// talks: a day (오늘, 내일, 다음주 월요일, 12월 3일, 3일 후), a part of the day
// (오전, 오후, 저녁…) and a clock time (3시, 3시 반, 3시 20분, 15:30).
func parseKorean(p string, now time.Time) (time.Time, bool, bool) {
	m := koreanRE.FindStringSubmatch(p)
	if m == nil || strings.TrimSpace(strings.Join(m[1:], "")) == "" {
		return time.Time{}, false, false
	}
	day := now
	dated := false
	switch {
	case m[1] != "":
		day = now.AddDate(0, 0, map[string]int{"오늘": 0, "내일": 1, "모레": 2, "글피": 3}[m[1]])
		dated = m[1] != "오늘"
	case m[3] != "":
		day, dated = weekdayIn(now, weekdays[m[3]], strings.ReplaceAll(m[2], " ", "")), true
	case m[4] != "":
		n, _ := strconv.Atoi(m[4])
		if m[5] == "주" {
			n *= 7
		}
		day, dated = now.AddDate(0, 0, n), true
	case m[6] != "":
		month, _ := strconv.Atoi(m[6])
		dom, _ := strconv.Atoi(m[7])
		if month < 1 || month > 12 || dom < 1 || dom > 31 {
			return time.Time{}, false, false
		}
		day = time.Date(now.Year(), time.Month(month), dom, 0, 0, 0, 0, now.Location())
		if day.Month() != time.Month(month) {
			return time.Time{}, false, false // 2월 30일
		}
		if day.AddDate(0, 0, 1).Before(now) {
			day = day.AddDate(1, 0, 0) // 1월 5일 said in December
		}
		dated = true
	}
	hour, minute := now.Hour(), now.Minute()
	hasTime := m[9] != "" || m[12] != ""
	switch {
	case m[9] != "":
		hour, _ = strconv.Atoi(m[9])
		minute = 0
		if m[10] == "반" {
			minute = 30
		} else if m[11] != "" {
			minute, _ = strconv.Atoi(m[11])
		}
	case m[12] != "":
		hour, _ = strconv.Atoi(m[12])
		minute, _ = strconv.Atoi(m[13])
	}
	if hour > 24 || minute > 59 || (hour == 24 && minute > 0) {
		return time.Time{}, false, false
	}
	switch m[8] {
	case "오후", "저녁", "밤", "낮", "점심":
		if hour < 12 && !(m[8] == "낮" && hour >= 11) && !(m[8] == "점심" && hour >= 11) {
			hour += 12
		}
	case "오전", "아침", "새벽":
		if hour == 12 {
			hour = 0
		}
	default:
		// A bare "3시" in a call center is three in the afternoon: nobody
		// books a call at 3 a.m.
		if m[9] != "" && hour >= 1 && hour <= 7 {
			hour += 12
		}
	}
	if m[8] != "" && !hasTime {
		hour = map[string]int{"오전": 9, "아침": 9, "새벽": 6, "점심": 12, "낮": 13, "오후": 14, "저녁": 18, "밤": 20}[m[8]]
		minute = 0
	}
	t := time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, now.Location())
	if m[3] != "" && m[2] == "" && !t.After(now) {
		t = t.AddDate(0, 0, 7) // "월요일 10시" said on Monday at noon: next Monday
	}
	return t, dated, true
}

// weekdayIn finds a weekday: in this week (이번주), next week (다음주), the
// week after (다다음주), or with no week named, the next one to come.
// Weeks start on Monday, as Korean calendars do.
func weekdayIn(now time.Time, wd time.Weekday, week string) time.Time {
	monday := now.AddDate(0, 0, -((int(now.Weekday()) + 6) % 7))
	offset := (int(wd) + 6) % 7 // days after Monday
	switch week {
	case "이번주":
		return monday.AddDate(0, 0, offset)
	case "다음주":
		return monday.AddDate(0, 0, 7+offset)
	case "다다음주":
		return monday.AddDate(0, 0, 14+offset)
	}
	ahead := (int(wd) - int(now.Weekday()) + 7) % 7
	return now.AddDate(0, 0, ahead)
}

// english is the olebedev/when parser with its English and common rules.
var english = func() *when.Parser {
	w := when.New(nil)
	w.Add(en.All...)
	w.Add(common.All...)
	return w
}()

// parseEnglish reads English phrases; the whole phrase must be understood,
// not a date found somewhere inside it.
func parseEnglish(p string, now time.Time) (time.Time, bool, bool) {
	r, err := english.Parse(p, now)
	if err != nil || r == nil || strings.TrimSpace(r.Text) != p {
		return time.Time{}, false, false
	}
	return r.Time.In(now.Location()), englishDated.MatchString(p), true
}

// englishDated finds the words that pin a phrase to a day, so "3pm" at 4pm
// rolls to tomorrow but "monday 3pm" in the past is an error.
var englishDated = regexp.MustCompile(`tomorrow|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next|last|week|month|/`)
