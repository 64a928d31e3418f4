package main

// End-to-end tests of an agent's day: the calling rules at the doors a
// person uses (wrap-up, dial, claim) and a due phrase typed into the real
// binary. Helpers are in e2e_test.go.

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

func TestE2EWrapupEscapeStoresNothing(t *testing.T) {
	needE2E(t)
	path := seeded(t)
	callable(t, path, 3)
	tm := startTerm(t, 120, 32, console(path, "--lang", "en", "--agent", "minji"))
	tm.waitFor("Callback queue")
	tm.dismissLogin()
	tm.waitFor("enter open")
	tm.keys("N")
	s := tm.waitFor("on call:")
	held := regexp.MustCompile(`on call: .* #(\d+)`).FindStringSubmatch(s)
	if held == nil {
		t.Fatalf("the header should name the call:\n%s", s)
	}
	tm.keys("w")
	tm.waitFor("Wrap-up —", "Follow-up needed")
	tm.keys("2")
	tm.waitFor("Next call at")
	tm.keys("Escape")
	// esc closed the whole picker: the next keys are the 360's, not an outcome.
	tm.waitFor("a actions")
	tm.keys("a")
	tm.waitFor("Customer actions")
	tm.keys("Escape")
	s = tm.waitFor("a actions")
	if !strings.Contains(s, "on call:") {
		t.Errorf("the call should still be held:\n%s", s)
	}
	tm.keys("q")
	tm.waitFor("You are on")
	tm.keys("2") // keep it until the lease ends
	tm.waitFor("EXIT=0")
	out, _ := exec.Command(binary, "export", "audit", "--db", path, "--callback", held[1], "--action", "disposition").Output()
	if len(out) > 0 {
		t.Errorf("a wrap-up was stored after esc:\n%s", out)
	}
	out, _ = exec.Command(binary, "export", "callbacks", "--db", path).Output()
	if !strings.Contains(string(out), `"id":`+held[1]+`,`) || !regexp.MustCompile(`"id":`+held[1]+`,[^\n]*"state":"claimed"`).Match(out) {
		t.Errorf("callback %s should still be claimed", held[1])
	}
}

func TestE2EDialRefusesADoNotCallCustomer(t *testing.T) {
	needE2E(t)
	path := seeded(t)
	dir := t.TempDir()
	d, _ := sql.Open("sqlite3", path)
	var id int64
	var phone string
	d.QueryRow(`SELECT c.id, p.e164 FROM customers c JOIN phones p ON p.customer_id = c.id AND p.is_primary = 1
		WHERE c.tz = 'Asia/Seoul' ORDER BY c.id LIMIT 1`).Scan(&id, &phone)
	d.Exec(`UPDATE customers SET dnc = 1 WHERE id = ?`, id)
	d.Close()
	last4 := phone[len(phone)-4:]
	dialed := filepath.Join(dir, "dialed")
	tm := startTerm(t, 120, 32, console(path, "--lang", "ko", "--agent", "junho", "--dial-cmd", "'echo {number} >> "+dialed+"'"))
	tm.waitFor("콜백 대기열")
	tm.dismissLogin()
	tm.waitFor("/ 고객 찾기")
	tm.keys("/")
	tm.waitFor("고객 찾기")
	tm.typeText(last4)
	tm.waitFor("⛔")
	tm.keys("Enter")
	tm.waitFor("고객 360", "통화 거부(DNC)")
	tm.keys("d")
	tm.waitFor("전화하지 않았습니다: 통화 거부(DNC) 고객입니다")
	tm.keys("q")
	tm.waitFor("EXIT=0")
	if _, err := os.Stat(dialed); !os.IsNotExist(err) {
		t.Error("the dial command ran for a do-not-call customer")
	}
}

func TestE2EMarketingNeedsConsent(t *testing.T) {
	needE2E(t)
	path := seeded(t)
	d, _ := sql.Open("sqlite3", path)
	d.Exec(`UPDATE callbacks SET state = 'cancelled' WHERE state IN ('scheduled', 'claimed')`)
	var id, phone int64
	d.QueryRow(`SELECT c.id, p.id FROM customers c JOIN phones p ON p.customer_id = c.id AND p.invalid = 0
		WHERE c.dnc = 0 AND c.consent_marketing = 0 ORDER BY c.id LIMIT 1`).Scan(&id, &phone)
	now := time.Now().Unix()
	if _, err := d.Exec(`INSERT INTO callbacks(customer_id, phone_id, kind, reason, priority, due_at, state, max_attempts,
		created_at, updated_at) VALUES (?, ?, 'marketing', 'E2E 행사 안내', 1, ?, 'scheduled', 5, ?, ?)`, id, phone, now-60, now, now); err != nil {
		t.Fatal(err)
	}
	// At any hour: the window is not what blocks it.
	d.Exec(`UPDATE call_windows SET start_min = 0, end_min = 1440 WHERE kind = 'marketing'`)
	d.Close()
	out, err := exec.Command(binary, "queue", "next", "--db", path, "--agent", "minji").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("queue next claimed a marketing call without consent: %v %s", err, out)
	}
	tm := startTerm(t, 120, 32, console(path, "--lang", "ko", "--agent", "minji"))
	tm.waitFor("콜백 대기열", "E2E 행사 안내", "⛔ 미동의")
	tm.keys("c")
	tm.waitFor("동의가 필요한데")
	tm.keys("N")
	tm.waitFor("지금 걸 수 있는 콜백이 없습니다")
	tm.keys("q")
	tm.waitFor("EXIT=0")
}

// TestE2EDuePhraseIsPreviewedThenSaved types due-time phrases into the
// callback form of the real binary: the preview names the full date,
// weekday and both clocks for a customer in London, a wrong phrase is
// refused in Korean and nothing is saved, and the saved due time is the
// previewed one.
func TestE2EDuePhraseIsPreviewedThenSaved(t *testing.T) {
	needE2E(t)
	path := seeded(t)
	id := addCustomer(t, path, crm.NewCustomer{Name: "런던고객", NameRoman: "London Customer",
		Phones: []string{"+44 20 7946 0958"}, TZ: "Europe/London"})
	seoul, london := db.Zone("Asia/Seoul"), db.Zone("Europe/London")

	tm := startTerm(t, 100, 30, console(path, "--lang", "ko", "--agent", "junho"))
	tm.waitFor("콜백 대기열")
	tm.dismissLogin()
	tm.waitFor("/ 고객 찾기")
	tm.keys("/")
	tm.waitFor("고객 찾기")
	tm.typeText("런던고객")
	tm.waitFor("1명 (이름)")
	tm.keys("Enter")
	tm.waitFor("현지 시각")
	tm.keys("a")
	tm.waitFor("콜백 예약")
	tm.keys("1")
	tm.waitFor("콜백 예약 — 런던고객")

	tm.typeText("오후 13시")
	tm.waitFor("13시는 오전/오후와 함께 쓸 수")
	tm.keys("C-s")
	tm.waitFor("13시는 오전/오후와 함께 쓸 수") // refused: the form stays open
	for range len([]rune("오후 13시")) {
		tm.keys("BSpace")
	}
	// 10:30 in London tomorrow (their tomorrow), shown in Seoul's clock too
	tm.typeText("내일 오전 10시 반")
	day := time.Now().In(london).AddDate(0, 0, 1)
	want := time.Date(day.Year(), day.Month(), day.Day(), 10, 30, 0, 0, london)
	local := want.In(seoul)
	weekdays := []rune("일월화수목금토")
	tm.waitFor(fmt.Sprintf("→ %s (%c) %s", local.Format("2006-01-02"), weekdays[local.Weekday()], local.Format("15:04")),
		fmt.Sprintf("고객 현지 (%s)", want.Format("MST")), fmt.Sprintf("%s (%c) 10:30", want.Format("01-02"), weekdays[want.Weekday()]))
	tm.keys("C-s")
	tm.waitFor("콜백을 예약했습니다")
	tm.keys("q")
	tm.waitFor("EXIT=0")

	d, err := db.OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var due int64
	var n int
	if err := d.QueryRow(`SELECT count(*), max(due_at) FROM callbacks WHERE customer_id = ?`, id).Scan(&n, &due); err != nil {
		t.Fatal(err)
	}
	if n != 1 || due != want.Unix() {
		t.Errorf("saved %d callbacks due %s; want one due %s", n, time.Unix(due, 0).In(london), want)
	}
}
