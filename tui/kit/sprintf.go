package kit

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sprintf is fmt.Sprintf for the console's own strings, which say things
// of values they do not know in advance:
//   - a Korean particle written in its paired form right after a verb
//     (%s은(는), #%d을(를), %s이(가), %s과(와), %s(으)로, %s(이)라) takes
//     the form the value before it calls for: 장지우는, 김민준은, #189는,
//     #190은 (numbers as they are read);
//   - an English noun written with "(s)" after a verb and a space
//     (%d callback(s)) is plural unless the number is 1.
//
// Only a token right after a verb is read, so a value that happens to hold
// one (a customer's name) is printed as it is. Verbs are the plain ones the
// strings use (%s, %d, %q, %v, %c, widths); %% is a percent sign.
func Sprintf(format string, args ...any) string {
	if !strings.Contains(format, "(") {
		return fmt.Sprintf(format, args...)
	}
	var b strings.Builder
	next := 0
	for i := 0; i < len(format); {
		if format[i] != '%' {
			b.WriteByte(format[i])
			i++
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			b.WriteString(format[i:])
			break
		}
		spec := format[i : j+1]
		i = j + 1
		if spec == "%%" {
			b.WriteByte('%')
			continue
		}
		var value string
		if next < len(args) {
			value = fmt.Sprintf(spec, args[next])
		} else {
			value = "%!" + spec[len(spec)-1:] + "(MISSING)" // as fmt says it
		}
		next++
		b.WriteString(value)
		i += follow(&b, value, format[i:])
	}
	return b.String()
}

// particles are the paired forms, each with its form after a final
// consonant and after a vowel.
var particles = []struct{ pair, after, vowel string }{
	{"은(는)", "은", "는"}, {"이(가)", "이", "가"}, {"을(를)", "을", "를"}, {"과(와)", "과", "와"},
	{"아(야)", "아", "야"}, {"(으)로", "으로", "로"}, {"(이)", "이", ""},
}

// follow writes the form of the token that starts rest, chosen by value,
// and says how many bytes of rest it stood for (0: no token).
func follow(b *strings.Builder, value, rest string) int {
	for _, p := range particles {
		if !strings.HasPrefix(rest, p.pair) {
			continue
		}
		final, rieul, ok := finalSound(value)
		switch {
		case !ok:
			b.WriteString(p.pair)
		case p.pair == "(으)로" && rieul: // 서울로, 1일로
			b.WriteString(p.vowel)
		case final:
			b.WriteString(p.after)
		default:
			b.WriteString(p.vowel)
		}
		return len(p.pair)
	}
	// " noun(s)": plural unless the value is the number 1.
	if strings.HasPrefix(rest, " ") {
		word := strings.IndexFunc(rest[1:], func(r rune) bool { return !unicode.IsLetter(r) })
		if word > 0 && strings.HasPrefix(rest[1+word:], "(s)") {
			b.WriteString(rest[:1+word])
			if strings.TrimSpace(value) != "1" {
				b.WriteByte('s')
			}
			return 1 + word + len("(s)")
		}
	}
	return 0
}

// finalSound says whether value, read aloud in Korean, ends in a final
// consonant (batchim), and whether that is ㄹ; ok is false when it cannot
// tell. Closing quotes and brackets are skipped; a number is read the
// Sino-Korean way (1 일, 2 이, 10 십); a Latin word by its last letters
// (minji, sora: vowel; kim, jin, song, bill: consonant).
func finalSound(value string) (final, rieul, ok bool) {
	s := strings.TrimRight(value, " \"'”’)]}」』>")
	r, _ := utf8.DecodeLastRuneInString(s)
	switch {
	case r >= 0xAC00 && r <= 0xD7A3:
		jong := (r - 0xAC00) % 28
		return jong != 0, jong == 8, true
	case r >= '0' && r <= '9':
		// 영 일 이 삼 사 오 육 칠 팔 구; 십, 백, 천 and 만 all end in a
		// consonant, as 영 does, so a trailing 0 reads as one.
		final := [10]bool{true, true, false, true, false, false, true, true, true, false}
		rieul := [10]bool{false, true, false, false, false, false, false, true, true, false}
		return final[r-'0'], rieul[r-'0'], true
	case r < utf8.RuneSelf && unicode.IsLetter(r):
		l := strings.ToLower(s)
		switch {
		case strings.HasSuffix(l, "ng"), strings.HasSuffix(l, "m"), strings.HasSuffix(l, "n"):
			return true, false, true
		case strings.HasSuffix(l, "l"):
			return true, true, true
		}
		return false, false, true
	}
	return false, false, false
}

// Errorf is an error worded by Sprintf.
func Errorf(format string, args ...any) error { return errors.New(Sprintf(format, args...)) }
