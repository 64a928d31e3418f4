package crm

import (
	"strings"
	"sync"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/dangol/dangol/problem"
)

// The values of imported rows as files write them: phone numbers, days
// and yes/no flags.

// ImportPhone reads a number as written, in region's convention when it
// has no country code: its E.164 form and extension, and whether it is
// valid in its country's numbering plan. A number of a possible length
// that the plan (as the phone library knows it) does not list is still a
// number: it is kept and may be dialled, and the import flags it.
func ImportPhone(raw, region string) (e164, ext string, valid bool, err error) {
	text := strings.TrimSpace(raw)
	if e164, ok := krMobile(text, region); ok {
		return e164, "", krMobileValid(e164), nil
	}
	if strings.HasPrefix(text, "00") && !strings.HasPrefix(text, "000") {
		text = "+" + text[2:]
	}
	num, err := phonenumbers.Parse(text, region)
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return "", "", false, problem.New("phone_invalid", "phone number %q is not a valid number", raw)
	}
	return phonenumbers.Format(num, phonenumbers.E164), num.GetExtension(), phonenumbers.IsValidNumber(num), nil
}

// krMobile reads the shapes a Korean mobile number takes in nearly every
// file (010-1234-5678, 010 1234 5678, 01012345678, +82 10 1234 5678)
// without the phone library, whose parse costs about 20 µs: a million-row
// import spent a third of its time there. Anything else goes to the
// library. TestKRMobileAgreesWithTheLibrary holds the two to the same
// answer.
func krMobile(text, region string) (string, bool) {
	var d [12]byte
	n, plus := 0, false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c >= '0' && c <= '9':
			if n == len(d) {
				return "", false
			}
			d[n] = c
			n++
		case c == '-' || c == ' ' || c == '.':
		case c == '+' && i == 0:
			plus = true
		default:
			return "", false
		}
	}
	digits := string(d[:n])
	switch {
	case !plus && region == "KR" && n == 11 && strings.HasPrefix(digits, "010"):
		return "+82" + digits[1:], true
	case plus && n == 12 && strings.HasPrefix(digits, "8210"):
		return "+" + digits, true
	}
	return "", false
}

// krValid remembers whether the library finds +82 10 numbers valid, by
// their first four subscriber digits: the numbering plan decides on at
// most the first three (010-59… is assigned only up to 010-596…) and
// leaves the rest free, so the library answers at most 10,000 times.
var krValid sync.Map // "+8210xxxx" → bool

func krMobileValid(e164 string) bool {
	if v, ok := krValid.Load(e164[:9]); ok {
		return v.(bool)
	}
	num, err := phonenumbers.Parse(e164, "KR")
	valid := err == nil && phonenumbers.IsValidNumber(num)
	krValid.Store(e164[:9], valid)
	return valid
}

// dateForms are the ways files write a day.
var dateForms = []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006.01.02 15:04", "2006/01/02 15:04",
	"2006-01-02T15:04", "2006-01-02", "2006.01.02", "2006/01/02", "20060102", "2006.1.2", "2006-1-2", "2006/1/2", "2006. 1. 2"}

// ReadTime reads a day (or an instant) as files write them, in loc.
func ReadTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	for _, f := range dateForms {
		if t, err := time.ParseInLocation(f, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// readFlag reads a yes or a no as files write them.
func readFlag(s string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "true", "t", "1", "o", "예", "네", "동의", "거부함", "수신거부":
		return true, true
	case "no", "n", "false", "f", "0", "x", "아니오", "아니요", "미동의", "거부안함", "":
		return false, true
	}
	return false, false
}
