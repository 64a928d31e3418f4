package due

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// A token is one piece of a phrase: a number, a word or a mark.
type token struct {
	num   bool   // digits
	mark  bool   // one of : / - . ' "
	s     string // the text, lower case; for a Korean numeral, the Hangul
	n     int    // a number's value
	width int    // how many digits were typed ("03" is 2): a leading zero means a 24-hour clock
	glued bool   // no space before it ("3pm", "15h30")
}

// normalize folds what keyboards and IMEs send into one spelling: NFC
// Hangul (macOS sends it decomposed), half-width digits and marks, lower
// case, straight quotes.
func normalize(s string) string {
	s = width.Fold.String(norm.NFC.String(s))
	s = strings.NewReplacer("’", "'", "‘", "'", "“", "\"", "”", "\"", "～", "~", "〜", "~").Replace(s)
	return strings.ToLower(s)
}

// lex splits a normalized phrase into tokens. Digits and letters that touch
// become separate tokens marked glued; Hangul runs are segmented into the
// words and numerals of the Korean lexicon (segmentKorean); punctuation that
// means nothing for a time (commas, brackets) separates like a space.
func lex(s string) ([]token, error) {
	var out []token
	r := []rune(s)
	glued := false
	for i := 0; i < len(r); {
		c := r[i]
		switch {
		case unicode.IsSpace(c) || strings.ContainsRune(",()[]!?;", c),
			c == '-' && i > 0 && i+1 < len(r) && isLetter(r[i-1]) && isLetter(r[i+1]): // twenty-three, three-quarters
			glued = false
			i++
			continue
		case c >= '0' && c <= '9':
			j := i
			for j < len(r) && r[j] >= '0' && r[j] <= '9' {
				j++
			}
			if j-i > 9 {
				return nil, errNumberTooLong(string(r[i:j]))
			}
			n, _ := strconv.Atoi(string(r[i:j]))
			out = append(out, token{num: true, s: string(r[i:j]), n: n, width: j - i, glued: glued})
			i = j
		case c == '@':
			out = append(out, token{s: "at", glued: glued})
			i++
		case strings.ContainsRune(":/-.'\"~", c):
			out = append(out, token{mark: true, s: string(c), glued: glued})
			i++
		case c >= 'a' && c <= 'z':
			j := i
			for j < len(r) && (r[j] >= 'a' && r[j] <= 'z' || r[j] == '\'' && j+1 < len(r) && r[j+1] >= 'a' && r[j+1] <= 'z') {
				j++
			}
			w := strings.ReplaceAll(string(r[i:j]), "'", "")
			// "p.m.", "a.m.", "mon.": a dot that ends an abbreviation is part of it.
			for j < len(r) && r[j] == '.' && (j+1 == len(r) || !(r[j+1] >= '0' && r[j+1] <= '9')) {
				j++
				if j < len(r) && r[j] >= 'a' && r[j] <= 'z' && (w == "a" || w == "p") {
					w += string(r[j]) // a.m → am
					j++
				}
			}
			out = append(out, token{s: w, glued: glued})
			i = j
		case isHangul(c):
			j := i
			for j < len(r) && isHangul(r[j]) {
				j++
			}
			k := j // the next run of Hangul, for a numeral whose unit follows a space: 한 시간
			for k < len(r) && r[k] == ' ' {
				k++
			}
			next := k
			for next < len(r) && isHangul(r[next]) {
				next++
			}
			words, err := segmentKorean(string(r[i:j]), string(r[k:next]), i > 0 && r[i-1] >= '0' && r[i-1] <= '9')
			if err != nil {
				return nil, err
			}
			for k, w := range words {
				w.glued = glued || k > 0
				out = append(out, w)
			}
			i = j
		default:
			return nil, errUnknownWord(string(c))
		}
		glued = true
	}
	return out, nil
}

func isLetter(c rune) bool { return c >= 'a' && c <= 'z' }

func isHangul(c rune) bool { return c >= 0xAC00 && c <= 0xD7A3 }

// segmentKorean splits a run of Hangul into lexicon words and numerals,
// longest first: "내일오후세시반" is 내일 오후 세 시 반. A numeral counts only
// when a unit follows it (세 시, 이십 분, 삼 월), so 오후 is never 오 + 후
// and 이틀 never 이 + 틀; numerals become number tokens.
func segmentKorean(s, next string, afterDigits bool) ([]token, error) {
	r, after := []rune(s), []rune(next)
	var out []token
	for i := 0; i < len(r); {
		word := len([]rune(koLongestWord(r[i:])))
		n, l := koNumeralBeforeUnit(r[i:], after)
		if i == 0 && afterDigits {
			l = 0 // 3일: the 일 of digits is never a numeral
		}
		switch {
		case l > 0 && l >= word:
			out = append(out, token{num: true, s: string(r[i : i+l]), n: n, width: 0})
			i += l
		case word > 0:
			out = append(out, token{s: string(r[i : i+word])})
			i += word
		default:
			return nil, errUnknownWord(koWordAt(r[i:]))
		}
	}
	return out, nil
}

// koLongestWord is the longest lexicon word at the start of r, or "".
func koLongestWord(r []rune) string {
	for l := min(len(r), koMaxWord); l > 0; l-- {
		if _, ok := koWords[string(r[:l])]; ok {
			return string(r[:l])
		}
	}
	return ""
}

// koWordAt is the unknown Korean word at the start of r, up to the next
// word the lexicon knows, for the message.
func koWordAt(r []rune) string {
	for j := 1; j < len(r); j++ {
		for l := min(len(r)-j, koMaxWord); l > 0; l-- {
			if _, ok := koWords[string(r[j:j+l])]; ok && l > 1 {
				return string(r[:j])
			}
		}
	}
	return string(r)
}

// koNumeralBeforeUnit reads the longest Korean numeral at the start of r
// that a unit word follows, in r or, when the numeral ends r, at the start
// of the next word; and its length in runes (0 when there is none).
func koNumeralBeforeUnit(r, next []rune) (int, int) {
	for l := min(len(r), 8); l > 0; l-- {
		n, ok := koNumeral(string(r[:l]))
		if !ok {
			continue
		}
		rest := r[l:]
		if len(rest) == 0 {
			rest = next
		}
		if koUnits[koLongestWord(rest)] {
			return n, l
		}
	}
	return 0, 0
}

// koNative are the native Korean numbers as they come before a counter
// (한 시, 두 시간, 열두 시, 스무 날).
var koNative = map[string]int{
	"한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "석": 3, "서": 3, "네": 4, "넷": 4, "넉": 4,
	"다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "스물": 20, "스무": 20,
}

var koSinoDigit = map[rune]int{'일': 1, '이': 2, '삼': 3, '사': 4, '오': 5, '육': 6, '칠': 7, '팔': 8, '구': 9}

// koNumeral reads one Korean numeral: native (열두, 스물네), Sino-Korean
// (이십삼, 이천십오) or 몇 ("a few", three, as in English).
func koNumeral(s string) (int, bool) {
	if s == "몇" {
		return 3, true
	}
	if n, ok := koNative[s]; ok {
		return n, true
	}
	for _, tens := range []string{"열", "스물"} {
		if rest, ok := strings.CutPrefix(s, tens); ok && rest != "" {
			if n, ok := koNative[rest]; ok && n < 10 {
				return koNative[tens] + n, true
			}
		}
	}
	return koSino(s)
}

// koSino reads a Sino-Korean numeral up to 9999: 십오, 이십삼, 이천십오.
// Each place (천, 백, 십) must be smaller than the one before it.
func koSino(s string) (int, bool) {
	total, digit, last := 0, 0, 10000
	seen := false
	for _, c := range s {
		if place, ok := koPlaces[c]; ok {
			if place >= last {
				return 0, false
			}
			if !seen {
				digit = 1
			}
			total += digit * place
			last, digit, seen = place, 0, false
			continue
		}
		d, ok := koSinoDigit[c]
		if !ok || seen {
			return 0, false
		}
		digit, seen = d, true
	}
	total += digit
	return total, total > 0
}

var koPlaces = map[rune]int{'천': 1000, '백': 100, '십': 10}
