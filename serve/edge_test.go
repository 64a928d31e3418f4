package serve

import (
	"context"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/tui"
	"github.com/dangol/dangol/tui/kit"
)

// heapMB is this process's live heap after a collection.
func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// A client may ask for any window: one of 10000×10000 and one of
// 4294967295 columns are drawn at the bound, told so, and cost what a
// bounded screen costs; the server serves on.
func TestHugeWindowsAreClamped(t *testing.T) {
	f := newFixture(t, 1)
	before := heapMB()
	c, err := f.dialSized(t, "minji", f.keys["minji"], 10000, 10000)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	c.waitForPrinted("Your terminal is 10000×10000; dangol draws up to 300×120")
	waitUntil(t, "the session is counted", func() bool { return f.srv.Sessions() == 1 })
	for _, size := range [][2]int{{4294967295, 40}, {120, 4294967295}, {10000, 10000}} {
		if err := c.sess.WindowChange(size[1], size[0]); err != nil {
			t.Fatal(err)
		}
	}
	c.send("j")
	c.send("k")
	// The second session still logs in and draws: the server is up.
	other, err := f.dial(t, "junho", f.keys["junho"])
	if err != nil {
		t.Fatal(err)
	}
	defer other.close()
	other.waitFor("Callback queue 1/")
	if grew := heapMB() - before; grew > 40 {
		t.Errorf("a session asking for a huge window grew the heap by %.0f MB", grew)
	}
	if w, h, over := clampSize(4294967295, 10000); w != MaxCols || h != MaxRows || !over {
		t.Errorf("clampSize = %d×%d %v", w, h, over)
	}
}

// The console of a too-large terminal says the bound.
func TestATooLargeTerminalIsTold(t *testing.T) {
	f := newFixture(t, 0)
	app := tui.NewApp(kit.NewCommon(context.Background(), f.crm, f.q, mustAgent(t, f, "minji"), kit.English, nil))
	app.Update(tea.WindowSizeMsg{Width: MaxCols, Height: MaxRows})
	app.Update(kit.TooLargeMsg{Width: 10000, Height: 10000, MaxWidth: MaxCols, MaxHeight: MaxRows})
	if v := app.View().Content; !strings.Contains(v, "Your terminal is 10000×10000; dangol draws up to 300×120") {
		t.Errorf("the console should say the bound:\n%.400s", v)
	}
}

// FuzzWindowSize: whatever size a client sends, the console it gets draws
// within the bound, without panicking.
func FuzzWindowSize(f *testing.F) {
	// No server here: its log would go to f while the fuzz target runs,
	// which the testing package forbids.
	d, c, q := openDemo(f, f.TempDir())
	defer d.Close()
	minji, err := c.AgentByName(context.Background(), "minji")
	if err != nil {
		f.Fatal(err)
	}
	app := tui.NewApp(kit.NewCommon(context.Background(), c, q, minji, kit.Korean, nil))
	for _, s := range [][2]uint32{{120, 40}, {0, 0}, {4294967295, 1}, {10000, 10000}, {301, 121}, {19, 4}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, w, h uint32) {
		cw, ch, _ := clampSize(int(w), int(h))
		if cw > MaxCols || ch > MaxRows || cw < 0 || ch < 0 {
			t.Fatalf("clampSize(%d, %d) = %d×%d", w, h, cw, ch)
		}
		app.Update(tea.WindowSizeMsg{Width: cw, Height: ch})
		lines := strings.Split(app.View().Content, "\n")
		if len(lines) > MaxRows+1 {
			t.Fatalf("%d×%d drew %d lines", cw, ch, len(lines))
		}
	})
}

func TestAnAgentHasAtMostThreeSessions(t *testing.T) {
	f := newFixture(t, 0)
	var open []*client
	defer func() {
		for _, c := range open {
			c.close()
		}
	}()
	for range DefaultSessionsPerAgent {
		c, err := f.dial(t, "minji", f.keys["minji"])
		if err != nil {
			t.Fatal(err)
		}
		open = append(open, c)
		c.waitFor("Callback queue")
	}
	c, err := f.dial(t, "minji", f.keys["minji"])
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	c.waitForPrinted("minji already has 3 sessions open")
	if n := f.srv.Sessions(); n != DefaultSessionsPerAgent {
		t.Errorf("%d sessions live, want %d", n, DefaultSessionsPerAgent)
	}
}

// A connection that never finishes its handshake is closed after the
// handshake's time, whatever --idle says.
func TestAnUnfinishedHandshakeIsClosed(t *testing.T) {
	f := newFixture(t, 0, func(c *Config) { c.Handshake = 500 * time.Millisecond; c.Idle = 30 * time.Minute })
	conn, err := net.Dial("tcp", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	start := time.Now()
	_, err = io.Copy(io.Discard, conn) // the server's banner, then nothing: it must close
	if err != nil || time.Since(start) > 10*time.Second {
		t.Errorf("an unfinished handshake was held %s (%v)", time.Since(start).Round(time.Millisecond), err)
	}
}

// More than MaxUnauthenticated connections from one address at once are
// closed as they come, and counted into one audit row.
func TestAFloodFromOneAddressIsBounded(t *testing.T) {
	f := newFixture(t, 0)
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range MaxUnauthenticated {
		c, err := net.Dial("tcp", f.addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
		buf := make([]byte, 4)
		if _, err := io.ReadFull(c, buf); err != nil { // the server's version line: it took the connection
			t.Fatal(err)
		}
	}
	for range 5 {
		c, err := net.Dial("tcp", f.addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if n, err := c.Read(make([]byte, 4)); n != 0 || err == nil {
			t.Errorf("a connection over the bound was served (%d bytes, %v)", n, err)
		}
		c.Close()
	}
	// A logged-in session from the same address is not one of them.
	for _, c := range held {
		c.Close()
	}
	held = nil
	waitUntil(t, "the address's slots are free", func() bool {
		cl, err := f.dial(t, "minji", f.keys["minji"])
		if err != nil {
			return false
		}
		defer cl.close()
		_, err = cl.await("Callback queue")
		return err == nil
	})
	f.srv.floods.flush()
	var rows, count int
	f.d.Read.QueryRow(`SELECT count(*), coalesce(sum(CAST(to_value AS INTEGER)), 0) FROM audit_log
		WHERE action = 'connections_refused'`).Scan(&rows, &count)
	// 5, and any the retries above met before the server saw the held
	// connections close
	if rows != 1 || count < 5 {
		t.Errorf("%d audit rows counting %d refused connections, want one row of at least 5", rows, count)
	}
}

func TestRemovingAKeyEndsItsSessions(t *testing.T) {
	f := newFixture(t, 0)
	c, err := f.dial(t, "minji", f.keys["minji"])
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	c.waitFor("Callback queue")
	fp := gossh.FingerprintSHA256(f.keys["minji"].PublicKey())
	if err := f.crm.RemoveKey(context.Background(), f.yuna, "minji", fp); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the session of a removed key went on")
	}
	c.waitForPrinted("This SSH key was removed")
}

func mustAgent(t testing.TB, f *fixture, name string) crm.Agent {
	t.Helper()
	a, err := f.crm.AgentByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// stallConn stops reading what the server sends once stalled: a client
// that never reads, whose TCP window fills and whose console's writes
// block.
type stallConn struct {
	net.Conn
	stalled chan struct{}
}

func (c *stallConn) Read(p []byte) (int, error) {
	select {
	case <-c.stalled:
		select {} // never again
	default:
	}
	return c.Conn.Read(p)
}

// A server with a client that stopped reading still stops within 5
// seconds of being told to, the other sessions' notes kept.
func TestShutdownWithAHostileSessionTakesAtMostFiveSeconds(t *testing.T) {
	f := newFixture(t, 0)
	good, err := f.dial(t, "junho", f.keys["junho"])
	if err != nil {
		t.Fatal(err)
	}
	defer good.close()
	good.waitFor("Callback queue 1/")
	good.send("N")
	good.waitFor("on call:")
	good.send("n")
	good.waitFor("Note —")
	good.send("kept at shutdown")
	good.waitFor("kept at shutdown")

	raw, err := net.Dial("tcp", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	sc := &stallConn{Conn: raw, stalled: make(chan struct{})}
	cfg := &gossh.ClientConfig{User: "minji", Auth: []gossh.AuthMethod{gossh.PublicKeys(f.keys["minji"])},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}
	cc, chans, reqs, err := gossh.NewClientConn(sc, f.addr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hostile := gossh.NewClient(cc, chans, reqs)
	defer hostile.Close()
	sess, err := hostile.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	in, _ := sess.StdinPipe()
	if err := sess.RequestPty("xterm-256color", 120, 300, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "both sessions are live", func() bool { return f.srv.Sessions() == 2 })
	close(sc.stalled)
	var sent atomic.Int32
	go func() { // whole frames nobody reads: the window changes size each time
		for i := range 400 {
			if err := sess.WindowChange(100+i%20, 250+i%50); err != nil {
				return
			}
			if _, err := io.WriteString(in, []string{"j", "k"}[i%2]); err != nil {
				return
			}
			sent.Add(1)
		}
	}()
	// Frames pile up behind the stalled reader until the console is stuck
	// writing one to a client that reads none of it.
	waitUntil(t, "the stalled session's console stuck writing", func() bool { return f.srv.stuckWriting(200*time.Millisecond) == 1 })
	start := time.Now()
	f.cancel()
	select {
	case err := <-f.done:
		f.done <- err // for the fixture's own cleanup
	case <-time.After(5 * time.Second):
		t.Fatalf("the server was still stopping %s after it was told to", time.Since(start).Round(time.Millisecond))
	}
	var drafts int
	f.d.Read.QueryRow(`SELECT count(*) FROM drafts WHERE body LIKE '%kept at shutdown%'`).Scan(&drafts)
	if drafts != 1 {
		t.Errorf("the well-behaved session's note was not kept as a draft (%d)", drafts)
	}
}

// Connections that end without logging in count against their address:
// the 31st of a minute is closed as it comes. Logins do not count: an
// office behind one address logs its shift in.
func TestFailedConnectionsAMinuteAreBoundedLoginsAreNot(t *testing.T) {
	f := newFixture(t, 0)
	for i := range 35 {
		c, err := f.dial(t, "minji", f.keys["minji"])
		if err != nil {
			t.Fatalf("login %d: %v", i+1, err)
		}
		c.waitFor("Callback queue")
		c.close()
		waitUntil(t, "the session ends", func() bool { return f.srv.Sessions() == 0 })
	}
	for range MaxPerMinute {
		c, err := net.Dial("tcp", f.addr)
		if err != nil {
			t.Fatal(err)
		}
		io.ReadFull(c, make([]byte, 4)) // the version line: taken in
		c.Close()
	}
	refused := func() bool {
		c, err := net.Dial("tcp", f.addr)
		if err != nil {
			return false
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, _ := c.Read(make([]byte, 4))
		return n == 0
	}
	waitUntil(t, "the connection after 30 failed ones is refused", refused)
}
