package crm

import (
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"

	"github.com/dangol/dangol/problem"
)

// Phone is one number of a customer: E.164 for machines, the original text
// as it was given, and whether it is known to be wrong.
type Phone struct {
	ID        int64
	E164      string // +821012345678
	Raw       string // 010-1234-5678, as given
	Kind      string // mobile, home, work, other
	IsPrimary bool
	Invalid   bool
	// Local is Display worked out once when the number is read, since
	// formatting parses the number and lists draw many numbers per frame.
	Local string
}

// Display is the number as a Korean agent writes it: national format for
// Korean numbers (010-1234-5678, 02-312-3456, 080-123-4567), international
// format for the rest.
func (p Phone) Display() string {
	if p.Local != "" {
		return p.Local
	}
	return FormatPhone(p.E164)
}

// Masked hides the middle of the number (010-****-5678), enough to tell two
// customers apart without showing the whole number in a list.
func (p Phone) Masked() string { return MaskPhone(p.Display()) }

// NormalizePhone parses a phone number as people write it in Korea (any
// spacing, dashes, dots, parentheses, +82 or 0082 prefixes, 080 toll-free,
// or an international number with +) and returns it in E.164.
func NormalizePhone(raw string) (string, error) {
	text := strings.TrimSpace(raw)
	if text == "" {
		return "", problem.New("phone_empty", "phone number is empty")
	}
	if strings.HasPrefix(text, "00") && !strings.HasPrefix(text, "000") {
		text = "+" + text[2:]
	}
	num, err := phonenumbers.Parse(text, "KR")
	if err != nil {
		return "", problem.New("phone_unreadable", "phone number %q: %v", raw, err)
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", problem.New("phone_invalid", "phone number %q is not a valid number", raw)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// FormatPhone shows an E.164 number in the local format; a number that does
// not parse is shown as stored. Every queue load formats every row's
// number, in every console of a server, and parsing is the phone library's
// slow path, so formatted numbers are remembered (up to formattedMax; then
// the memory starts again).
func FormatPhone(e164 string) string {
	formatted.Lock()
	s, ok := formatted.m[e164]
	formatted.Unlock()
	if ok {
		return s
	}
	s = formatPhone(e164)
	formatted.Lock()
	if len(formatted.m) >= formattedMax {
		clear(formatted.m)
	}
	formatted.m[e164] = s
	formatted.Unlock()
	return s
}

// formatted remembers FormatPhone's answers.
var formatted = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

const formattedMax = 100_000

func formatPhone(e164 string) string {
	num, err := phonenumbers.Parse(e164, "KR")
	if err != nil {
		return e164
	}
	if num.GetCountryCode() == 82 {
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// MaskPhone replaces the middle group of a formatted number with asterisks.
func MaskPhone(formatted string) string {
	parts := strings.FieldsFunc(formatted, func(r rune) bool { return r == '-' || r == ' ' })
	if len(parts) == 2 {
		return strings.Repeat("*", len(parts[0])) + formatted[len(parts[0]):]
	}
	if len(parts) < 3 {
		if len(formatted) > 4 {
			return strings.Repeat("*", len(formatted)-4) + formatted[len(formatted)-4:]
		}
		return formatted
	}
	mid := parts[len(parts)-2]
	i := strings.LastIndex(formatted, mid)
	return formatted[:i] + strings.Repeat("*", len(mid)) + formatted[i+len(mid):]
}
