package crm

import (
	"testing"
	"unicode/utf8"
)

// TestKeyRangesAreValidUTF8: a prefix's range ends at valid UTF-8 (every
// engine takes it), holds every key that starts with the prefix and no
// other.
func TestKeyRangesAreValidUTF8(t *testing.T) {
	for _, c := range []struct{ prefix, in, out string }{
		{"김", "김민지", "긱"},
		{"kim", "kimminji", "kin"},
		{"010", "01012345678", "011"},
		{"a\U0010FFFF", "a\U0010FFFF\U0010FFFF", "b"},
		{"\uD7FF", "\uD7FFx", "\uE000"},
		{"ㄱㅁ", "ㄱㅁㅈ", "ㄱㅂ"},
	} {
		low, high := keyRange(c.prefix)
		if !utf8.ValidString(high) || low != c.prefix {
			t.Errorf("%q: range %q..%q", c.prefix, low, high)
		}
		if !(c.in >= low && c.in < high) {
			t.Errorf("%q: %q is not in %q..%q", c.prefix, c.in, low, high)
		}
		if c.out >= low && c.out < high {
			t.Errorf("%q: %q is in %q..%q", c.prefix, c.out, low, high)
		}
	}
	if _, high := keyRange(""); high != "" {
		t.Errorf("an empty prefix has a bound %q", high)
	}
}
