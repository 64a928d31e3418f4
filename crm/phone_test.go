package crm

import "testing"

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
