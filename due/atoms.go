package due

import (
	"strings"
)

// atomize gives each token its meaning: English phrases of several words
// become one atom ("the day after tomorrow"), number words become numbers
// ("twenty-three" is 23, "first" and "1st" are ordinals), and a word the
// lexicons do not know refuses the phrase by name.
func atomize(toks []token) ([]atom, error) {
	var out []atom
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.num && t.width == 0: // a Korean numeral
			out = append(out, atom{c: cNum, v: t.n, tok: t, spelled: true, ko: true})
		case t.num:
			a := atom{c: cNum, v: t.n, tok: t}
			if i+1 < len(toks) && toks[i+1].glued && isOrdinalSuffix(toks[i+1].s) {
				a.ord = true
				i++
			}
			out = append(out, a)
		case t.mark && t.s == "~" && len(out) == 0: // ~3시: about
			out = append(out, atom{c: cFiller, v: fAbout, tok: t})
		case t.mark:
			out = append(out, atom{c: cMark, tok: t}) // 2시~3시 is a range
		case isHangul([]rune(t.s)[0]):
			k := koWords[t.s]
			out = append(out, atom{c: k.c, v: k.v, tok: t, ko: true})
		default:
			a, n, err := enAtom(toks[i:])
			if err != nil {
				return nil, err
			}
			out = append(out, a...)
			i += n - 1
		}
	}
	return out, nil
}

// enAtom reads the English word (or phrase) at the start of toks and says
// how many tokens it took.
func enAtom(toks []token) ([]atom, int, error) {
	t := toks[0]
	// the longest phrase of words first
	for n := min(len(toks), enPhraseMax); n > 1; n-- {
		parts := make([]string, 0, n)
		for _, x := range toks[:n] {
			if !isLetters(x) {
				break
			}
			parts = append(parts, x.s)
		}
		if len(parts) < n {
			continue
		}
		if e, ok := enPhrases[strings.Join(parts, " ")]; ok {
			return []atom{{c: e.c, v: e.v, tok: t}}, n, nil
		}
	}
	if t.s == "tonight" || t.s == "tonite" {
		return []atom{{c: cDay, v: 0, tok: t}, {c: cPart, v: partNight, tok: t}}, 1, nil
	}
	if n, ok := enNumbers[t.s]; ok && (t.s != "o" && t.s != "oh" && t.s != "ou" || len(toks) > 1 && isNumberWord(toks[1])) {
		// twenty-three, twenty three, twenty-first
		if n >= 20 && len(toks) > 1 && isLetters(toks[1]) {
			if u, ok := enNumbers[toks[1].s]; ok && u > 0 && u < 10 {
				return []atom{{c: cNum, v: n + u, tok: t, spelled: true}}, 2, nil
			}
			if u, ok := enOrdinals[toks[1].s]; ok && u > 0 && u < 10 {
				return []atom{{c: cNum, v: n + u, tok: t, spelled: true, ord: true}}, 2, nil
			}
		}
		return []atom{{c: cNum, v: n, tok: t, spelled: true}}, 1, nil
	}
	if n, ok := enOrdinals[t.s]; ok && t.s != "second" {
		return []atom{{c: cNum, v: n, tok: t, spelled: true, ord: true}}, 1, nil
	}
	if e, ok := enWords[t.s]; ok {
		return []atom{{c: e.c, v: e.v, tok: t}}, 1, nil
	}
	if z, ok := zones[t.s]; ok {
		return []atom{{c: cZone, tok: t, zone: z}}, 1, nil
	}
	if ambiguousZones[t.s] {
		return []atom{{c: cAmbiguousZone, tok: t}}, 1, nil
	}
	if t.s == "st" || t.s == "nd" || t.s == "rd" || t.s == "th" || t.s == "t" {
		return []atom{{c: cFiller, v: fIsh, tok: t}}, 1, nil // "1 st", the "t" of 2026-12-01t14:30
	}
	return nil, 0, errUnknownWord(t.s)
}

func isLetters(t token) bool { return !t.num && !t.mark && t.s != "" && t.s[0] >= 'a' && t.s[0] <= 'z' }

func isNumberWord(t token) bool {
	_, ok := enNumbers[t.s]
	return ok || t.num
}

// isOrdinalSuffix says whether s, glued to a number, makes it an ordinal:
// 1st, 2nd, 3rd, 15th (and, leniently, 2th).
func isOrdinalSuffix(s string) bool {
	return s == "st" || s == "nd" || s == "rd" || s == "th"
}
