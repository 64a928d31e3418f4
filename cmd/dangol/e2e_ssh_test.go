package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// sshServer is `dangol serve` on a loopback port, run by the real binary.
type sshServer struct {
	t    *testing.T
	db   string
	dir  string
	port string
}

// startServe makes a demo database, gives minji a key made by ssh-keygen
// and the Korean console, and starts the server on a free loopback port.
func startServe(t *testing.T) *sshServer {
	t.Helper()
	for _, tool := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("DANGOL_E2E=1 but %s is not installed (apt-get install openssh-client; .ci/run does)", tool)
		}
	}
	s := &sshServer{t: t, dir: t.TempDir()}
	s.db = filepath.Join(s.dir, "serve.db")
	s.run("seed", "--db", s.db, "--customers", "100") // the demo
	s.keygen("minji")
	s.run("agent", "key", "add", "minji", filepath.Join(s.dir, "minji.pub"), "--db", s.db)
	s.run("agent", "set", "minji", "--lang", "ko", "--db", s.db)
	s.start("host_ed25519")
	return s
}

// start runs `dangol serve` on s.db, on a free loopback port, with the
// host key named (made when missing).
func (s *sshServer) start(hostKey string) {
	t := s.t
	t.Helper()
	cmd := exec.Command(binary, "serve", "--listen", "127.0.0.1:0", "--db", s.db, "--host-key", filepath.Join(s.dir, hostKey))
	cmd.Dir = s.dir // a server on PostgreSQL logs to its working directory
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("dangol serve ended with %v after ctrl+c", err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Error("dangol serve did not stop within 10 s of ctrl+c")
		}
	})
	line, err := bufio.NewReader(stderr).ReadString('\n')
	m := regexp.MustCompile(`on 127\.0\.0\.1:(\d+)`).FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("dangol serve said %q (%v)", line, err)
	}
	s.port = m[1]
}

func (s *sshServer) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command(binary, args...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("dangol %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keygen makes an ed25519 key pair NAME, NAME.pub with ssh-keygen.
func (s *sshServer) keygen(name string) string {
	s.t.Helper()
	path := filepath.Join(s.dir, name)
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name+"@desk", "-f", path).CombinedOutput(); err != nil {
		s.t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	return path
}

// ssh is the OpenSSH command line logging in as user with key. The log
// level stays INFO: OpenSSH prints the server's refusal line (a
// keyboard-interactive instruction) at that level.
func (s *sshServer) ssh(user, key string, extra ...string) []string {
	args := []string{"ssh", "-i", key, "-p", s.port, "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10"}
	args = append(args, extra...)
	return append(args, user+"@127.0.0.1")
}

func TestE2ESSHSessionWritesANoteFoundByExport(t *testing.T) {
	needE2E(t)
	s := startServe(t)
	key := filepath.Join(s.dir, "minji")
	tm := startTerm(t, 120, 36, strings.Join(s.ssh("minji", key, "-t"), " "))
	tm.waitFor("김민지 (minji", "콜백 대기열")
	tm.dismissLogin()
	tm.waitFor("enter 고객 열기")
	tm.keys("Enter")
	tm.waitFor("고객 360", "고객 이력")
	tm.keys("n")
	tm.waitFor("상담 메모")
	note := "SSH 통화 메모: 원격 상담, 배송 재안내"
	tm.typeText(note)
	tm.waitFor(note)
	tm.keys("C-s")
	tm.waitFor("메모를 저장했습니다")
	tm.keys("q")
	tm.waitFor("EXIT=0")

	out := s.run("export", "interactions", "--db", s.db, "--format", "csv")
	if !strings.Contains(out, note) || !strings.Contains(out, "minji") {
		t.Fatalf("the note written over SSH is not in `dangol export interactions`:\n%s", out)
	}
}

func TestE2ESSHRefusesAnUnknownKeyAndAWrongLogin(t *testing.T) {
	needE2E(t)
	s := startServe(t)
	stranger := s.keygen("stranger")
	login := func(user, key string) ([]byte, error) {
		args := s.ssh(user, key, "-T")
		return exec.Command(args[0], args[1:]...).CombinedOutput()
	}
	out, err := login("minji", stranger)
	if err == nil || !strings.Contains(string(out), "is not registered: ask an admin") {
		t.Errorf("an unknown key: err %v, the client printed:\n%s", err, out)
	}
	minji := filepath.Join(s.dir, "minji")
	out, err = login("junho", minji)
	if err == nil || !strings.Contains(string(out), "this key belongs to minji: log in as minji") {
		t.Errorf("minji's key as junho: err %v, the client printed:\n%s", err, out)
	}
	audit := s.run("export", "audit", "--db", s.db, "--format", "csv")
	for _, why := range []string{"unknown_key", "wrong_login"} {
		if !strings.Contains(audit, why) {
			t.Errorf("no audit row for the refusal %s:\n%s", why, audit)
		}
	}
}

func TestE2ESSHConnectionKilledMidNoteKeepsTheDraft(t *testing.T) {
	needE2E(t)
	s := startServe(t)
	key := filepath.Join(s.dir, "minji")
	// a call that may be made at any hour, so the test holds a claim at night too
	added := false
	for id := 1; id <= 20 && !added; id++ {
		added = exec.Command(binary, "queue", "add", "--customer", fmt.Sprint(id), "--due", "now", "--pool",
			"--kind", "complaint", "--priority", "1", "--reason", "끊김 시험", "--db", s.db).Run() == nil
	}
	if !added {
		t.Fatal("no demo customer among the first 20 could get a callback")
	}
	tm := startTerm(t, 100, 30, strings.Join(s.ssh("minji", key, "-t"), " "))
	tm.waitFor("콜백 대기열")
	tm.dismissLogin()
	tm.keys("N")
	tm.waitFor("▶ 통화 중:")
	tm.keys("n")
	tm.waitFor("상담 메모")
	tm.typeText("끊기기 전 메모 half written")
	tm.waitFor("끊기기 전 메모 half written")
	// the agent's machine loses the connection: the client dies at once
	pane := strings.TrimSpace(tm.tmux("list-panes", "-t", tm.target, "-F", "#{pane_pid}"))
	if out, err := exec.Command("pkill", "-KILL", "-P", pane, "ssh").CombinedOutput(); err != nil {
		t.Fatalf("pkill ssh: %v %s", err, out)
	}
	tm.waitFor("EXIT=")

	again := startTerm(t, 100, 30, strings.Join(s.ssh("minji", key, "-t"), " "))
	// Within the lease: the note comes back as a draft with the call it was
	// written on, still this agent's.
	again.waitFor("메모를 불러왔습니다 (콜백 #", "끊기기 전 메모 half written", "▶ 통화 중:")
	again.keys("C-s")
	// Saved on its call, the note leads into the wrap-up, as it would have
	// before the connection dropped; esc leaves the call held.
	again.waitFor("메모를 저장했습니다", "1-9/enter 선택")
	again.keys("Escape")
	again.dismissLogin() // the callback's reminder, missed while away, shows once the note is closed
	again.keys("q")      // holding the claim: quitting asks what to do with it
	again.waitFor("맡은 통화를 풀고 종료")
	again.keys("Enter")
	again.waitFor("EXIT=0")
	if out := s.run("export", "interactions", "--db", s.db, "--format", "csv"); !strings.Contains(out, "끊기기 전 메모 half written") {
		t.Fatal("the draft kept from the dropped connection was not saved as a note")
	}
}
