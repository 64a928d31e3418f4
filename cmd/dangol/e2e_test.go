package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
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
	"github.com/dangol/dangol/db/pgtest"
)

// The end-to-end tests run the real binary in a real terminal (tmux). They
// need tmux and take a few seconds, so they run when DANGOL_E2E=1, as
// .ci/run does; plain `go test ./...` skips them.

var binary string // built once by TestMain when the end-to-end tests run

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" { // the docs' examples call this binary as dangol
		main()
	}
	if os.Getenv("DANGOL_E2E") == "1" {
		dir, err := os.MkdirTemp("", "dangol-e2e")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		binary = filepath.Join(dir, "dangol")
		out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			fmt.Fprintf(os.Stderr, "build dangol: %v\n%s", err, out)
			os.Exit(1)
		}
		code := m.Run()
		os.RemoveAll(dir)
		pgtest.Stop()
		os.Exit(code)
	}
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// term is one tmux session on a private server socket.
type term struct {
	t      *testing.T
	sock   string
	target string // the window keys go to and the screen is read from
}

func needE2E(t *testing.T) {
	t.Helper()
	if os.Getenv("DANGOL_E2E") != "1" {
		t.Skip("end-to-end test: set DANGOL_E2E=1 (bash .ci/run does)")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("DANGOL_E2E=1 but tmux is not installed")
	}
}

// startTerm runs a shell command line in a new w×h tmux window. When the
// command ends the window prints its exit code and stays, so a test can read it.
func startTerm(t *testing.T, w, h int, cmdline string) *term {
	t.Helper()
	tm := &term{t: t, sock: fmt.Sprintf("dangol-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), target: "e2e:0"}
	shell := cmdline + `; echo "EXIT=$?"; sleep 60`
	tm.tmux("new-session", "-d", "-s", "e2e", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h),
		"env", "TERM=xterm-256color", "LANG=C.UTF-8", "sh", "-c", shell)
	t.Cleanup(func() { exec.Command("tmux", "-L", tm.sock, "kill-server").Run() })
	return tm
}

func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tm.sock}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

// keys presses named keys (Enter, C-s, Escape) or plain characters.
func (tm *term) keys(keys ...string) {
	tm.tmux(append([]string{"send-keys", "-t", tm.target}, keys...)...)
}

// typeText types text literally, as a person would.
func (tm *term) typeText(s string) { tm.tmux("send-keys", "-t", tm.target, "-l", s) }

func (tm *term) screen() string { return tm.tmux("capture-pane", "-p", "-t", tm.target) }

// waitFor waits until the screen shows every one of texts.
func (tm *term) waitFor(texts ...string) string {
	tm.t.Helper()
	return tm.waitUntil(func(s string) string {
		for _, want := range texts {
			if !strings.Contains(s, want) {
				return fmt.Sprintf("%q", want)
			}
		}
		return ""
	})
}

// waitUntil waits until missing finds nothing missing on the screen, and
// fails with what it last found missing.
func (tm *term) waitUntil(missing func(screen string) string) string {
	tm.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := tm.screen()
		m := missing(s)
		if m == "" {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("screen never showed %s:\n%s", m, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// dismissLogin closes the list of reminders missed while away, which a
// demo agent gets at login, so the test can work the queue.
func (tm *term) dismissLogin() {
	tm.t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		s := tm.screen()
		if strings.Contains(s, "놓친 알림") || strings.Contains(s, "Reminders you missed") {
			// A lone ESC followed at once by another key reads as alt+key,
			// as in any terminal: wait until the list is gone.
			tm.keys("Escape")
			for strings.Contains(tm.screen(), "놓친 알림") || strings.Contains(tm.screen(), "Reminders you missed") {
				if time.Now().After(deadline.Add(5 * time.Second)) {
					tm.t.Fatalf("the login list did not close:\n%s", tm.screen())
				}
				time.Sleep(50 * time.Millisecond)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tm *term) resize(w, h int) {
	tm.tmux("resize-window", "-t", tm.target, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h))
}

func console(dbPath string, args ...string) string {
	return binary + " --db " + dbPath + " " + strings.Join(args, " ")
}

func TestE2ENoteReachesTheDatabase(t *testing.T) {
	needE2E(t)
	dbPath := filepath.Join(t.TempDir(), "e2e.db")
	tm := startTerm(t, 100, 30, console(dbPath, "--lang", "ko"))
	tm.waitFor("콜백 대기열", "지남")
	tm.dismissLogin()
	tm.waitFor("enter 고객 열기")
	tm.keys("Enter")
	tm.waitFor("고객 360", "가입", "고객 이력")
	tm.keys("n")
	tm.waitFor("상담 메모")
	note := "E2E 통화 메모: 배송 일정 재안내, 고객 만족"
	tm.typeText(note)
	tm.waitFor(note)
	tm.keys("C-s")
	tm.waitFor("메모를 저장했습니다")
	tm.keys("q")
	tm.waitFor("EXIT=0")

	out, err := exec.Command(binary, "export", "interactions", "--db", dbPath, "--format", "jsonl").Output()
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	found := false
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("bad jsonl line %q: %v", sc.Text(), err)
		}
		if row["note"] == note {
			found = true
			if row["agent"] != "minji" || row["channel"] != "phone" || row["callback_id"] == nil {
				t.Errorf("note row = %v", row)
			}
		}
	}
	if !found {
		t.Fatal("the saved note is not in `dangol export interactions`")
	}
}

func TestE2EDraftSurvivesQuitAndRestart(t *testing.T) {
	needE2E(t)
	dbPath := filepath.Join(t.TempDir(), "draft.db")
	tm := startTerm(t, 80, 24, console(dbPath, "--lang", "en"))
	tm.waitFor("Callback queue")
	tm.dismissLogin()
	tm.keys("n")
	tm.waitFor("Note — ")
	tm.typeText("half-written note 반쯤 쓴 메모")
	tm.waitFor("half-written note")
	tm.keys("C-c")
	tm.waitFor("EXIT=0")

	again := startTerm(t, 80, 24, console(dbPath, "--lang", "en"))
	again.waitFor("Draft restored", "half-written note 반쯤 쓴 메모")
	again.keys("C-s")
	again.waitFor("Note saved")
	again.keys("q")
	again.waitFor("EXIT=0")
	out, err := exec.Command(binary, "export", "interactions", "--db", dbPath, "--format", "csv").Output()
	if err != nil || !strings.Contains(string(out), "half-written note 반쯤 쓴 메모") {
		t.Fatalf("the restored draft was not saved as a note: %v", err)
	}
}

func TestE2ETinyTerminalThenResize(t *testing.T) {
	needE2E(t)
	dbPath := filepath.Join(t.TempDir(), "tiny.db")
	tm := startTerm(t, 20, 5, console(dbPath, "--lang", "en"))
	tm.waitFor("Terminal too")
	tm.resize(80, 24)
	tm.waitFor("Callback queue")
	tm.dismissLogin()
	tm.waitFor("q quit")
	tm.resize(160, 48)
	// The frame is drawn line by line: a capture may catch its top half.
	// Filled is a state to wait for, and the wait fails if it never comes.
	tm.waitUntil(func(s string) string {
		if !strings.Contains(s, "Callback queue") || !strings.Contains(s, "Customer 360") {
			return "the queue and the customer 360 side by side"
		}
		if lines := strings.Split(strings.TrimRight(s, "\n"), "\n"); len(lines) < 40 {
			return fmt.Sprintf("the console filling 160x48 (%d lines drawn)", len(lines))
		}
		return ""
	})
	tm.keys("q")
	tm.waitFor("EXIT=0")
}

func TestE2EBadDatabaseMessage(t *testing.T) {
	needE2E(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, []byte(strings.Repeat("not sqlite ", 500)), 0o644)
	out, err := exec.Command(binary, "--db", bad).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "damaged or not a database") || strings.Count(string(out), "\n") != 1 {
		t.Errorf("corrupt database: err=%v output=%q", err, out)
	}
}

func TestE2EFourProcessesClaimEachCallbackOnce(t *testing.T) {
	needE2E(t)
	path := seeded(t)
	const n = 120
	callable(t, path, n)
	claimAllAtOnce(t, path, n, "minji", "junho", "sora", "minji")
}

// claimAllAtOnce runs `dangol queue next` in a loop in one process per
// agent, all at once, until none is left, and checks that the n callable
// callbacks were each claimed once.
func claimAllAtOnce(t *testing.T, path string, n int, agents ...string) {
	t.Helper()
	type result struct {
		ids  []string
		errs []string
	}
	results := make(chan result, len(agents))
	for _, agent := range agents {
		go func(agent string) {
			var r result
			for {
				out, err := exec.Command(binary, "queue", "next", "--db", path, "--agent", agent).Output()
				if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
					break
				}
				if err != nil {
					r.errs = append(r.errs, fmt.Sprint(err))
					break
				}
				var cb map[string]any
				if err := json.Unmarshal(out, &cb); err != nil {
					r.errs = append(r.errs, string(out))
					break
				}
				r.ids = append(r.ids, fmt.Sprint(cb["id"]))
			}
			results <- r
		}(agent)
	}
	seen := map[string]int{}
	for range agents {
		r := <-results
		for _, e := range r.errs {
			t.Errorf("process failed: %s", e)
		}
		for _, id := range r.ids {
			seen[id]++
		}
	}
	for id, times := range seen {
		if times != 1 {
			t.Errorf("callback %s claimed %d times", id, times)
		}
	}
	if len(seen) != n {
		t.Errorf("%d callbacks claimed, want %d", len(seen), n)
	}
	_, out, _ := dangol(t, "export", "callbacks", "--db", path, "--format", "jsonl")
	if left := strings.Count(out, `"state":"scheduled"`); left != 0 {
		t.Errorf("%d callbacks left scheduled", left)
	}
}

func TestE2EReminderOnScreen(t *testing.T) {
	needE2E(t)
	path := seeded(t)
	tm := startTerm(t, 120, 30, console(path, "--lang", "ko", "--agent", "minji"))
	tm.waitFor("콜백 대기열")
	tm.dismissLogin()
	tm.waitFor("enter 고객 열기")
	// The agent looks at another window: the bell must reach the console's.
	tm.tmux("set", "-g", "monitor-bell", "on")
	tm.tmux("new-window", "-t", "e2e", "sleep 60")

	// A script schedules a call for minji due in a few seconds; her
	// console, another process, raises the reminder on its own.
	var customer string
	d, _ := sql.Open("sqlite3", path)
	d.QueryRow(`SELECT id FROM customers WHERE dnc = 0 AND tz = 'Asia/Seoul' ORDER BY id LIMIT 1`).Scan(&customer)
	d.Close()
	out, err := exec.Command(binary, "queue", "add", "--db", path, "--customer", customer, "--due", "4s",
		"--agent", "minji", "--kind", "complaint", "--reason", "E2E-알림").CombinedOutput()
	if err != nil {
		t.Fatalf("queue add: %v %s", err, out)
	}
	tm.waitFor("⏰", "E2E-알림")
	s := tm.waitFor("지금 통화", "E2E-알림")
	if !strings.Contains(s, "o 열기") {
		t.Errorf("the toast should say how to act on it:\n%s", s)
	}
	if bell := strings.TrimSpace(tm.tmux("display", "-p", "-t", "e2e:0", "#{window_bell_flag}")); bell != "1" {
		t.Errorf("the reminder should ring the terminal bell (window_bell_flag=%s)", bell)
	}
	tm.keys("o")
	tm.waitFor("고객 360", "고객 이력")
	tm.keys("q")
	tm.waitFor("EXIT=0")
	d, _ = sql.Open("sqlite3", path)
	defer d.Close()
	var delivered int
	d.QueryRow(`SELECT count(*) FROM reminders r JOIN callbacks cb ON cb.id = r.callback_id
		WHERE cb.reason = 'E2E-알림' AND r.delivered_at IS NOT NULL`).Scan(&delivered)
	if delivered == 0 {
		t.Error("the reminder on screen was not recorded as delivered")
	}
}

func TestE2ESearchByInitialsOpensTheCustomer(t *testing.T) {
	needE2E(t)
	path := seeded(t)
	addCustomer(t, path, crm.NewCustomer{Name: "황보민준", NameRoman: "Hwangbo Minjun", Phones: []string{"010-8765-4321"}})

	tm := startTerm(t, 120, 32, console(path, "--lang", "ko", "--agent", "junho"))
	tm.waitFor("콜백 대기열")
	tm.dismissLogin()
	tm.waitFor("/ 고객 찾기")
	tm.keys("/")
	tm.waitFor("고객 찾기", "초성(ㄱㅁㅈ)")
	tm.typeText("ㅎㅂㅁㅈ")
	tm.waitFor("황보민준", "010-****-4321", "(초성)")
	tm.keys("Enter")
	tm.waitFor("Hwangbo Minjun", "010-8765-4321", "고객 이력")
	tm.keys("q")
	tm.waitFor("EXIT=0")
}

// fullDisk runs the binary with a file-size limit of zero, so every write
// to the database (its log) fails the way a full disk does. The caller
// keeps the database open, so its log and shared-memory files exist and
// only the writes fail.
func fullDisk(args ...string) (int, string, string) {
	line := "ulimit -f 0; exec " + binary
	for _, a := range args {
		line += " '" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	cmd := exec.Command("sh", "-c", line)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		code = -1
	}
	return code, out.String(), errb.String()
}

func TestE2EFullDiskIsAnErrorNeverASuccess(t *testing.T) {
	needE2E(t)
	path := seeded(t)
	callable(t, path, 6)
	ctx := context.Background()
	holder, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	count := func(q string) int {
		var n int
		if err := holder.Read.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	claimsBefore := count(`SELECT count(*) FROM audit_log WHERE action = 'claim'`)

	for _, agent := range []string{"minji", "junho", "sora"} {
		code, out, stderr := fullDisk("queue", "next", "--db", path, "--agent", agent)
		if code != 1 || out != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "nothing was saved") {
			t.Errorf("queue next on a full disk (%s): exit %d, stdout %q, stderr %q", agent, code, out, stderr)
		}
	}
	if n := count(`SELECT count(*) FROM callbacks WHERE state = 'claimed'`); n != 0 {
		t.Errorf("%d callbacks claimed on a full disk", n)
	}
	if n := count(`SELECT count(*) FROM audit_log WHERE action = 'claim'`); n != claimsBefore {
		t.Errorf("%d claim audit rows written on a full disk", n-claimsBefore)
	}

	// A claim taken before the disk filled: its wrap-up and release fail
	// loudly and leave it claimed.
	out, err := exec.Command(binary, "queue", "next", "--db", path, "--agent", "minji").Output()
	if err != nil {
		t.Fatal(err)
	}
	var cb map[string]any
	json.Unmarshal(out, &cb)
	id := fmt.Sprint(cb["id"])
	for _, args := range [][]string{
		{"queue", "done", id, "--db", path, "--agent", "minji", "--disposition", "resolved", "--note", "통화 완료"},
		{"queue", "release", id, "--db", path, "--agent", "minji"},
		{"queue", "add", "--db", path, "--customer", fmt.Sprint(cb["customer_id"]), "--due", "1h", "--pool"},
	} {
		code, out, stderr := fullDisk(args...)
		if code != 1 || out != "" || !strings.Contains(stderr, "nothing was saved") {
			t.Errorf("%v on a full disk: exit %d, stdout %q, stderr %q", args[:2], code, out, stderr)
		}
	}
	var state string
	holder.Read.QueryRow(`SELECT state FROM callbacks WHERE id = ?`, id).Scan(&state)
	if state != "claimed" {
		t.Errorf("callback %s is %s after failed writes, want still claimed", id, state)
	}
	if n := count(`SELECT count(*) FROM interactions WHERE body = '통화 완료'`); n != 0 {
		t.Error("the note of a failed wrap-up was stored")
	}
}

func TestE2ESupervisorMovesOverdueWorkToAnotherConsole(t *testing.T) {
	needE2E(t)
	path := filepath.Join(t.TempDir(), "floor.db")
	if code, _, stderr := dangol(t, "seed", "--db", path, "--customers", "120"); code != 0 {
		t.Fatal(stderr)
	}
	junho := startTerm(t, 120, 32, console(path, "--lang", "en", "--agent", "junho"))
	junho.waitFor("Callback queue")
	junho.dismissLogin()
	junho.waitFor("enter open")

	sora := startTerm(t, 130, 36, console(path, "--lang", "en", "--agent", "sora"))
	sora.waitFor("Callback queue", "2 Team")
	sora.dismissLogin()
	sora.keys("2")
	sora.waitFor("김민지 minji", "Team pool")
	sora.keys("j", "o")
	sora.waitFor("filter: 김민지 (minji) · overdue")
	sora.keys("*")
	s := sora.waitFor("that match")
	var n int
	if m := regexp.MustCompile(`Callbacks\s+1/(\d+)`).FindStringSubmatch(s); m != nil {
		fmt.Sscanf(m[1], "%d", &n)
	}
	if n == 0 {
		t.Fatalf("minji has no overdue callbacks on sora's screen:\n%s", s)
	}
	sora.keys("r")
	sora.waitFor(fmt.Sprintf("Move %d callbacks to:", n))
	sora.keys("1") // junho is the first active agent
	start := time.Now()
	sora.waitFor(fmt.Sprintf("%d moved to 이준호 (junho)", n))
	junho.waitFor(fmt.Sprintf("sora moved %d callbacks to you", n))
	t.Logf("junho's console said so %s after sora's move was on her screen", time.Since(start).Round(10*time.Millisecond))

	out, err := exec.Command(binary, "export", "audit", "--db", path, "--actor", "sora", "--action", "reassign").Output()
	if err != nil {
		t.Fatal(err)
	}
	moved := 0
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, `"entity":"callback"`) && strings.Contains(l, `"from":"minji","to":"junho"`) {
			moved++
		}
	}
	if moved != n {
		t.Errorf("%d callbacks now junho's by sora's hand, want %d", moved, n)
	}
	sora.keys("q")
	sora.waitFor("EXIT=0")
	junho.keys("q")
	junho.waitFor("EXIT=0")
}

// openCRM opens the database at path, as a console does, until the test
// ends.
func openCRM(t *testing.T, path string) *crm.Service {
	t.Helper()
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return crm.New(d)
}

// addCustomer adds a customer to the database at path, as the supervisor
// sora, before a console opens it.
func addCustomer(t *testing.T, path string, n crm.NewCustomer) int64 {
	t.Helper()
	c := openCRM(t, path)
	sora, err := c.AgentByName(context.Background(), "sora")
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.AddCustomer(context.Background(), sora, n)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
