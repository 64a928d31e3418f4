package serve

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/tui/kit"
)

func TestAKeyLogsItsAgentIn(t *testing.T) {
	f := newFixture(t, 0)
	c, err := f.dial(t, "minji", f.keys["minji"])
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	c.waitFor("김민지 (minji · agent)", "Callback queue")
	waitUntil(t, "the session is counted", func() bool { return f.srv.Sessions() == 1 })
	st, err := os.Stat(f.srv.cfg.HostKey)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("host key: %v, mode %v", err, st.Mode().Perm())
	}
	if st, _ := os.Stat(filepath.Dir(f.srv.cfg.HostKey)); st.Mode().Perm()&0o077 == 0 {
		t.Errorf("the database's directory was made private: %v", st.Mode().Perm())
	}
}

// TestRefusedLogins: an unknown key, a key given the wrong login name, a
// deactivated agent and a password are refused; each key refusal is
// explained in one line and leaves one audit row.
func TestRefusedLogins(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	try := func(user string, auth ...gossh.AuthMethod) (string, error) {
		var told string
		auth = append(auth, gossh.KeyboardInteractive(func(_, instruction string, _ []string, _ []bool) ([]string, error) {
			told += instruction
			return nil, nil
		}))
		cfg := &gossh.ClientConfig{User: user, Auth: auth, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}
		conn, err := gossh.Dial("tcp", f.addr, cfg)
		if err == nil {
			conn.Close()
		}
		return told, err
	}
	stranger := newSigner(t)
	told, err := try("minji", gossh.PublicKeys(stranger))
	if err == nil || !strings.Contains(told, "is not registered") || !strings.Contains(told, gossh.FingerprintSHA256(stranger.PublicKey())) {
		t.Errorf("an unknown key: %v, told %q", err, told)
	}
	told, err = try("junho", gossh.PublicKeys(f.keys["minji"]))
	if err == nil || !strings.Contains(told, "belongs to minji") {
		t.Errorf("minji's key as junho: %v, told %q", err, told)
	}
	_, err = try("minji", gossh.Password("minji"))
	if err == nil {
		t.Error("a password logged in")
	}
	if err := f.q.Deactivate(ctx, f.yuna, "sora"); err != nil {
		t.Fatal(err)
	}
	told, err = try("sora", gossh.PublicKeys(f.keys["sora"]))
	if err == nil || !strings.Contains(told, "deactivated") {
		t.Errorf("a deactivated agent: %v, told %q", err, told)
	}
	// Each refusal is written once the connection ends, in any order: wait
	// until every one is there (the password's too, as no_key).
	want := []string{"deactivated", "no_key", "unknown_key", "wrong_login"}
	var got []string
	waitUntil(t, "an audit row for each refused login", func() bool {
		got = nil
		rows, err := f.d.Read.Query(`SELECT reason FROM audit_log WHERE entity = 'ssh' AND action = 'login_refused'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var reason string
			if err := rows.Scan(&reason); err != nil {
				t.Fatal(err)
			}
			why, _, _ := strings.Cut(reason, " ")
			if !slices.Contains(got, why) {
				got = append(got, why)
			}
		}
		slices.Sort(got)
		return slices.Equal(got, want)
	})
}

func TestRepeatedFailuresAreSlowedDown(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	var slept []time.Duration
	l := &limiter{now: func() time.Time { return now }, sleep: func(d time.Duration) { slept = append(slept, d) }}
	for range 3 {
		l.wait("10.0.0.9")
		l.fail("10.0.0.9")
	}
	if len(slept) != 0 {
		t.Fatalf("the first three failures were slowed: %v", slept)
	}
	for range 6 {
		l.wait("10.0.0.9")
		l.fail("10.0.0.9")
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	if len(slept) != len(want) {
		t.Fatalf("slept %v, want %v", slept, want)
	}
	for i := range want {
		if slept[i] != want[i] {
			t.Errorf("wait %d = %s, want %s", i, slept[i], want[i])
		}
	}
	l.wait("10.0.0.10") // another address is not slowed
	if len(slept) != len(want) {
		t.Error("another address was slowed")
	}
	now = now.Add(11 * time.Minute) // and the window passes
	l.wait("10.0.0.9")
	if len(slept) != len(want) {
		t.Error("still slowed after the window")
	}
}

func TestLanguageOfASession(t *testing.T) {
	s := &Server{cfg: Config{Lang: kit.English}}
	cases := []struct {
		login crm.Login
		env   []string
		want  kit.Lang
	}{
		{crm.Login{Lang: "ko"}, []string{"LANG=en_US.UTF-8"}, kit.Korean},
		{crm.Login{}, []string{"LANG=ko_KR.UTF-8"}, kit.Korean},
		{crm.Login{}, []string{"LC_ALL=en_US.UTF-8", "LANG=ko_KR.UTF-8"}, kit.English},
		{crm.Login{}, nil, kit.English},
	}
	for _, c := range cases {
		if got := s.langFor(c.login, c.env); got != c.want {
			t.Errorf("langFor(%+v, %v) = %s, want %s", c.login, c.env, got, c.want)
		}
	}
}

// TestDeactivationEndsTheSession: an admin deactivates an agent who is
// logged in; their session ends with a line saying why.
func TestDeactivationEndsTheSession(t *testing.T) {
	f := newFixture(t, 0)
	c, err := f.dial(t, "junho", f.keys["junho"])
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	c.waitFor("Callback queue")
	if err := f.q.Deactivate(context.Background(), f.yuna, "junho"); err != nil {
		t.Fatal(err)
	}
	c.ended()
	c.waitForPrinted("account was deactivated")
	waitUntil(t, "no session left", func() bool { return f.srv.Sessions() == 0 })
}

// TestADroppedConnectionKeepsTheNote: the connection dies while a note is
// being written; the note is the agent's draft, and a new session offers
// it back.
func TestADroppedConnectionKeepsTheNote(t *testing.T) {
	f := newFixture(t, 1) // agent000: no reminders missed at login
	c, err := f.dial(t, "agent000", f.keys["agent000"])
	if err != nil {
		t.Fatal(err)
	}
	c.waitFor("Callback queue 1/") // loaded: enter has a row to open
	c.send("\r")
	c.waitFor("Customer 360", "History")
	c.send("n")
	c.waitFor("Note —")
	note := "dropped mid-sentence: customer wants a call back"
	c.send(note)
	c.waitFor(note) // every key has reached the console
	c.close()       // and the network goes
	minji, _ := f.crm.AgentByName(context.Background(), "agent000")
	waitUntil(t, "the note is the agent's draft", func() bool {
		drafts, err := f.crm.Drafts(context.Background(), minji.ID)
		if err != nil {
			return false
		}
		for _, d := range drafts {
			if d.Body == note {
				return true
			}
		}
		return false
	})
	again, err := f.dial(t, "agent000", f.keys["agent000"])
	if err != nil {
		t.Fatal(err)
	}
	defer again.close()
	again.waitFor("Callback queue", "draft")
}

// TestShutdownTellsEverySession: stopping the server ends each session
// with a line, keeps the note being written, and returns within 5 s.
func TestShutdownTellsEverySession(t *testing.T) {
	f := newFixture(t, 1) // agent000: no reminders missed at login
	c, err := f.dial(t, "agent000", f.keys["agent000"])
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	c.waitFor("Callback queue 1/") // loaded: enter has a row to open
	c.send("\r")
	c.waitFor("Customer 360", "History")
	c.send("n")
	c.waitFor("Note —")
	c.send("written when the server stopped")
	c.waitFor("written when the server stopped")
	start := time.Now()
	f.cancel()
	select {
	case err := <-f.done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(6 * time.Second):
		t.Fatal("the server did not stop within 6 s")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopping took %s", d)
	}
	f.done <- nil // for the cleanup
	c.waitForPrinted("server is stopping")
	minji, _ := f.crm.AgentByName(context.Background(), "agent000")
	drafts, err := f.crm.Drafts(context.Background(), minji.ID)
	if err != nil || len(drafts) == 0 || drafts[0].Body != "written when the server stopped" {
		t.Errorf("drafts after the stop: %+v, %v", drafts, err)
	}
}
