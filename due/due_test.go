package due

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/problem"
)

// TestPhrases reads testdata/phrases.txt: each phrase with the instant it
// must give at the section's reference time and zone, or the code of the
// refusal it must get.
func TestPhrases(t *testing.T) {
	f, err := os.Open("testdata/phrases.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var now time.Time
	var loc *time.Location
	total, passed := 0, 0
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		switch {
		case strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "":
			continue
		case strings.HasPrefix(text, "@ "):
			f := strings.Fields(text)
			if loc, err = time.LoadLocation(f[3]); err != nil {
				t.Fatalf("line %d: %v", line, err)
			}
			if now, err = time.ParseInLocation("2006-01-02 15:04", f[1]+" "+f[2], loc); err != nil {
				t.Fatalf("line %d: %v", line, err)
			}
			continue
		}
		phrase, want, ok := strings.Cut(text, "|")
		if !ok || now.IsZero() {
			t.Fatalf("line %d: %q is not 'phrase | want' under an @ line", line, text)
		}
		phrase, want = strings.TrimSpace(phrase), strings.TrimSpace(want)
		total++
		if msg := checkPhrase(phrase, want, now, loc); msg != "" {
			t.Errorf("line %d: %q at %s: %s", line, phrase, now.Format("01-02 15:04 MST"), msg)
			continue
		}
		passed++
	}
	if total < 300 {
		t.Errorf("only %d phrases in the table", total)
	}
	t.Logf("%d of %d phrases read as the table says", passed, total)
}

func checkPhrase(phrase, want string, now time.Time, loc *time.Location) string {
	r, err := Parse(phrase, now, loc, Options{})
	if code, refused := strings.CutPrefix(want, "! "); refused {
		var p problem.Error
		switch {
		case err == nil:
			return "got " + r.At.In(loc).Format("2006-01-02 15:04:05") + ", want refused with " + code
		case !errors.As(err, &p) || p.Code != code:
			return "refused with " + err.Error() + ", want " + code
		}
		return ""
	}
	if err != nil {
		return "refused: " + err.Error()
	}
	stamp, defaulted := strings.CutSuffix(want, " default")
	layout := "2006-01-02 15:04"
	if len(stamp) > len(layout) {
		layout += ":05"
	}
	w, perr := time.ParseInLocation(layout, stamp, loc)
	if perr != nil {
		return "bad expectation: " + perr.Error()
	}
	switch {
	case !r.At.Equal(w):
		return "got " + r.At.In(loc).Format("2006-01-02 15:04:05 Mon") + ", want " + w.Format("2006-01-02 15:04:05 Mon")
	case r.Defaulted != defaulted:
		if defaulted {
			return "the time is the default, but the reading does not say so"
		}
		return "a time was said, but the reading says it is the default"
	}
	return ""
}
