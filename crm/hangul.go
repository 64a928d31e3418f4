package crm

import (
	"strings"
	"unicode"
)

// Hangul syllables are composed arithmetically (Unicode 3.12): a syllable
// is 0xAC00 + (initial*21 + medial)*28 + final. The initial consonant
// (초성) is what Korean speakers type to find a name quickly: ㄱㅁㅈ → 김민준.
const (
	hangulFirst = 0xAC00
	hangulLast  = 0xD7A3
	perInitial  = 21 * 28
)

// initials are the 19 initial consonants in syllable order, as the
// compatibility jamo people type.
var initials = []rune("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")

// isSyllable reports whether r is a composed Hangul syllable.
func isSyllable(r rune) bool { return r >= hangulFirst && r <= hangulLast }

// isInitial reports whether r is one of the initial consonants as typed.
func isInitial(r rune) bool {
	for _, c := range initials {
		if r == c {
			return true
		}
	}
	return false
}

// initialOf is a syllable's initial consonant; other runes are themselves.
func initialOf(r rune) rune {
	if !isSyllable(r) {
		return r
	}
	return initials[(r-hangulFirst)/perInitial]
}

// Initials writes a text as initial consonants: 김민준 → ㄱㅁㅈ.
func Initials(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(initialOf(r))
	}
	return b.String()
}

// hasHangul reports whether s has any Hangul syllable or initial.
func hasHangul(s string) bool {
	for _, r := range s {
		if isSyllable(r) || isInitial(r) {
			return true
		}
	}
	return false
}

// matchHangul reports whether query occurs in name, where a typed initial
// matches any syllable with that initial: 김ㅁ matches 김민준, ㅁㅈ matches
// 김민준, 민준 matches 김민준. Spaces are ignored on both sides.
func matchHangul(name, query string) bool {
	n := []rune(strings.ReplaceAll(name, " ", ""))
	q := []rune(strings.ReplaceAll(query, " ", ""))
	if len(q) == 0 || len(q) > len(n) {
		return len(q) == 0
	}
outer:
	for start := 0; start+len(q) <= len(n); start++ {
		for i, qr := range q {
			nr := n[start+i]
			switch {
			case qr == nr:
			case isInitial(qr) && initialOf(nr) == qr:
			case unicode.ToLower(qr) == unicode.ToLower(nr):
			default:
				continue outer
			}
		}
		return true
	}
	return false
}
