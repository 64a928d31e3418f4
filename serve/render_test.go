package serve

import (
	"regexp"
	"testing"
)

// TestAKeystrokeRedrawsOnlyWhatChanged: moving the cursor in a queue of
// Korean names sends the rows that changed, not the whole screen, and the
// terminal still shows every row right. Bubble Tea's renderer wrote every
// row holding a wide (Korean) character again on each frame (ultraviolet
// issue #163): 6.7 kB a keystroke at 120×40, for the server to encrypt and
// every agent's terminal to draw; third_party/ultraviolet carries the fix.
func TestAKeystrokeRedrawsOnlyWhatChanged(t *testing.T) {
	f := newFixture(t, 1)
	addPoolWork(t, f, 30)
	c, err := f.dial(t, "agent000", f.keys["agent000"])
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	c.waitFor("Callback queue 1/")
	digits := regexp.MustCompile(`[0-9]`) // relative times move on
	before := digits.ReplaceAllString(c.out.now(), "#")
	if !regexp.MustCompile(`\p{Hangul}`).MatchString(before) {
		t.Fatalf("no Korean on the screen, which this test is about:\n%s", before)
	}
	start := c.out.written()
	const keys = 20
	for i := range keys {
		key, pos := "j", "Callback queue 2/"
		if i%2 == 1 {
			key, pos = "k", "Callback queue 1/"
		}
		c.send(key)
		c.waitFor(pos)
	}
	// Each move changes three rows (the position, the row left, the row
	// reached): about 460 bytes; the whole screen is 6,700.
	if perKey := (c.out.written() - start) / keys; perKey > 1500 {
		t.Errorf("a cursor move sent %d bytes on average; three rows take about 460", perKey)
	}
	if after := digits.ReplaceAllString(c.out.now(), "#"); after != before {
		t.Errorf("after moving down and back up %d times the screen differs from before.\nbefore:\n%s\nafter:\n%s", keys/2, before, after)
	}
}
