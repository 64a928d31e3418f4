package bench

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestTmpDebug(t *testing.T) {
	tm, err := startConsole(context.Background(), "/tmp/dangol", 120, 40, "--db", "/tmp/try.db", "--agent", "minji", "--lang", "ko")
	if err != nil {
		t.Fatal(err)
	}
	defer tm.close()
	tm.until(time.Minute, "first", func(s string) bool { return firstFrame.MatchString(s) })
	for i := 0; i < 15; i++ {
		start := time.Now()
		var onCall time.Duration
		d, err := tm.press("N", "N", func(s string) bool {
			if onCall == 0 && strings.Contains(s, "▶ 통화 중:") {
				onCall = time.Since(start)
			}
			return strings.Contains(s, "▶ 통화 중:") && strings.Contains(s, "포인트 ")
		})
		if err != nil {
			t.Fatal(err)
		}
		tm.press("w", "w", func(s string) bool { return strings.Contains(s, "통화 결과 —") })
		d2, _ := tm.press("1", "1", func(s string) bool {
			return !strings.Contains(s, "▶ 통화 중:") && !strings.Contains(s, "통화 결과 —")
		})
		fmt.Println("N", d, "oncall at", onCall, "1:", d2)
	}
}
