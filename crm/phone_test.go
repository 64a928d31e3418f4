package crm

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestNormalizePhone(t *testing.T) {
	cases := []struct{ raw, e164, display string }{
		{"010-1234-5678", "+821012345678", "010-1234-5678"},
		{"01012345678", "+821012345678", "010-1234-5678"},
		{"010 1234 5678", "+821012345678", "010-1234-5678"},
		{"010.1234.5678", "+821012345678", "010-1234-5678"},
		{"+82 10-1234-5678", "+821012345678", "010-1234-5678"},
		{"+82 (0)10 1234 5678", "+821012345678", "010-1234-5678"},
		{"0082-10-1234-5678", "+821012345678", "010-1234-5678"},
		{"02-312-3456", "+8223123456", "02-312-3456"},
		{"(02) 3123-4567", "+82231234567", "02-3123-4567"},
		{"031-123-4567", "+82311234567", "031-123-4567"},
		{"080-123-4567", "+82801234567", "080-123-4567"},
		{"1588-1234", "+8215881234", "1588-1234"},
		{"+1 415 555 2671", "+14155552671", "+1 415-555-2671"},
		{"+44 20 7946 0958", "+442079460958", "+44 20 7946 0958"},
	}
	for _, c := range cases {
		got, err := NormalizePhone(c.raw)
		if err != nil || got != c.e164 {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", c.raw, got, err, c.e164)
			continue
		}
		if d := FormatPhone(got); d != c.display {
			t.Errorf("FormatPhone(%q) = %q, want %q", got, d, c.display)
		}
	}
	for _, bad := range []string{"", "12", "010-1234", "not a number", "010-0000-0000-0000-0"} {
		if got, err := NormalizePhone(bad); err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want an error", bad, got)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	cases := map[string]string{
		"010-1234-5678":   "010-****-5678",
		"02-312-3456":     "02-***-3456",
		"+1 415-555-2671": "+1 415-***-2671",
		"1588-1234":       "****-1234",
	}
	for in, want := range cases {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestKRMobileAgreesWithTheLibrary holds ImportPhone's shortcut for the
// common shapes of a Korean mobile number to the phone library's answer:
// every four-digit start of the subscriber number with two random ends, in
// each shape, and shapes the shortcut must leave to the library.
func TestKRMobileAgreesWithTheLibrary(t *testing.T) {
	library := func(raw string) (string, bool) {
		num, err := phonenumbers.Parse(raw, "KR")
		if err != nil || !phonenumbers.IsPossibleNumber(num) {
			t.Fatalf("the library does not read %q: %v", raw, err)
		}
		return phonenumbers.Format(num, phonenumbers.E164), phonenumbers.IsValidNumber(num)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	taken := 0
	shapes := []func(sub string) string{
		func(sub string) string { return "010-" + sub },
		func(sub string) string { return "010" + strings.ReplaceAll(sub, "-", "") },
		func(sub string) string { return "010 " + strings.ReplaceAll(sub, "-", " ") },
		func(sub string) string { return "010." + strings.ReplaceAll(sub, "-", ".") },
		func(sub string) string { return "+82 10-" + sub },
		func(sub string) string { return "+8210" + strings.ReplaceAll(sub, "-", "") },
	}
	for start := range 10000 {
		for i := range 2 {
			sub := fmt.Sprintf("%04d-%04d", start, rnd.IntN(10000))
			for _, raw := range []string{shapes[(start+i)%len(shapes)](sub)} {
				e164, ok := krMobile(raw, "KR")
				if !ok {
					t.Fatalf("krMobile(%q) left a common shape to the library", raw)
				}
				taken++
				want, valid := library(raw)
				if e164 != want || krMobileValid(e164) != valid {
					t.Fatalf("%q: shortcut %s valid=%v, library %s valid=%v", raw, e164, krMobileValid(e164), want, valid)
				}
				if got, _, v, err := ImportPhone(raw, "KR"); err != nil || got != want || v != valid {
					t.Fatalf("ImportPhone(%q) = %s %v %v, want %s %v", raw, got, v, err, want, valid)
				}
			}
		}
	}
	for _, raw := range []string{"(010) 1234-5678", "010-1234-5678 x12", "02-312-3456", "0082-10-1234-5678", "010-1234-567",
		"+82 (0)10 1234 5678", "+1 415 555 2671", "1010-1234-5678"} {
		if e164, ok := krMobile(raw, "KR"); ok {
			t.Errorf("krMobile(%q) = %s: this shape is the library's", raw, e164)
		}
	}
	if _, ok := krMobile("010-1234-5678", "US"); ok {
		t.Error("a number without a country code is read in the file's region, not as Korean")
	}
	t.Logf("%d numbers read both ways", taken)
}
