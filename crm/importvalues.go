package crm

import (
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
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
	if strings.HasPrefix(text, "00") && !strings.HasPrefix(text, "000") {
		text = "+" + text[2:]
	}
	num, err := phonenumbers.Parse(text, region)
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return "", "", false, Problemf("phone_invalid", "phone number %q is not a valid number", raw)
	}
	return phonenumbers.Format(num, phonenumbers.E164), num.GetExtension(), phonenumbers.IsValidNumber(num), nil
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
