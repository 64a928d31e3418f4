package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/db/pgtest"
	"github.com/dangol/dangol/queue"
	"github.com/dangol/dangol/tui/kit"
)

// fixture is a real server on a loopback port over a demo database, with
// a key for every demo agent.
type fixture struct {
	srv    *Server
	addr   string
	d      *db.DB
	crm    *crm.Service
	q      *queue.Service
	keys   map[string]gossh.Signer
	yuna   crm.Agent
	cancel context.CancelFunc
	done   chan error
}

// openDemo opens a demo database in dir: 200 customers and the demo's
// callbacks, with no server over it.
func openDemo(t testing.TB, dir string) (*db.DB, *crm.Service, *queue.Service) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, serveTarget(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	c := crm.New(d)
	if err := c.Seed(ctx, crm.SeedOptions{Customers: 200, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	q := queue.New(d, c)
	if err := q.SeedDemo(ctx, time.Now(), 7); err != nil {
		t.Fatal(err)
	}
	return d, c, q
}

func newFixture(t testing.TB, extraAgents int, tune ...func(*Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	d, c, q := openDemo(t, dir)
	var err error
	f := &fixture{d: d, crm: c, q: q, keys: map[string]gossh.Signer{}, done: make(chan error, 1)}
	f.yuna, _ = c.AgentByName(ctx, "yuna")
	names := crm.DemoAgentNames()
	for i := range extraAgents {
		a, err := c.AddAgent(ctx, f.yuna, crm.Agent{Name: fmt.Sprintf("agent%03d", i), Role: crm.RoleAgent})
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, a.Name)
	}
	for _, name := range names {
		f.keys[name] = f.addKey(t, name)
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, nil))
	cfg := Config{Listen: "127.0.0.1:0", HostKey: filepath.Join(dir, "host_ed25519"), Lang: kit.English, Log: log}
	for _, fn := range tune {
		fn(&cfg)
	}
	f.srv, err = New(d, c, q, cfg)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := f.srv.Listen()
	if err != nil {
		t.Fatal(err)
	}
	f.addr = addr.String()
	var runCtx context.Context
	runCtx, f.cancel = context.WithCancel(ctx)
	go func() { f.done <- f.srv.Serve(runCtx) }()
	t.Cleanup(func() {
		f.cancel()
		select {
		case <-f.done:
		case <-time.After(10 * time.Second):
			t.Error("the server did not stop within 10 s")
		}
		d.Close()
	})
	return f
}

// addKey makes a key and gives it to agent name.
func (f *fixture) addKey(t testing.TB, name string) gossh.Signer {
	t.Helper()
	signer := newSigner(t)
	line := string(gossh.MarshalAuthorizedKey(signer.PublicKey()))
	if _, err := f.crm.AddKey(context.Background(), f.yuna, name, line); err != nil {
		t.Fatal(err)
	}
	return signer
}

func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer
}

// client is one SSH session in a terminal emulator: what the tests read
// is the screen as a person would see it, and the emulator answers the
// console's terminal queries as a real terminal does.
type client struct {
	t    testing.TB
	conn *gossh.Client
	sess *gossh.Session
	in   *input
	out  *screen
	done chan error
	// patience is how long waitFor waits (20 s when zero).
	patience time.Duration
}

// input is the session's stdin, shared by the test's keys and the
// emulator's answers.
type input struct {
	mu sync.Mutex
	w  io.WriteCloser
}

func (in *input) Write(p []byte) (int, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.w.Write(p)
}

// screen is a terminal emulator fed with a session's output. The bytes
// are parsed when the screen is looked at, not as they arrive: a hundred
// emulators parsing every frame in the benchmark's process took the cores
// the server was being measured on, and a real agent's terminal runs on
// their own machine.
type screen struct {
	mu      sync.Mutex
	vt      *vt.Emulator // written and read under mu; its answers are read from its own pipe
	raw     bytes.Buffer // everything written, for lines printed after the console exits
	pending []byte       // written, not yet given to vt
	n       int
	in      atomic.Int32 // a Write under way (for a stalled test's message)
	// wrote is signalled after every write: waits on the screen wake on
	// what the console drew, not on a clock
	wrote chan struct{}
}

func newScreen() *screen { return &screen{vt: vt.NewEmulator(120, 40), wrote: make(chan struct{}, 1)} }

func (s *screen) Write(p []byte) (int, error) {
	s.in.Add(1)
	defer s.in.Add(-1)
	s.mu.Lock()
	s.n += len(p)
	s.raw.Write(p)
	s.pending = append(s.pending, p...)
	s.mu.Unlock()
	select {
	case s.wrote <- struct{}{}:
	default: // a signal is already waiting
	}
	return len(p), nil
}

// parse gives the emulator what arrived since it was last looked at;
// the caller holds mu.
func (s *screen) parse() {
	if len(s.pending) > 0 {
		s.vt.Write(s.pending)
		s.pending = s.pending[:0]
	}
}

// until waits for cond, looking again after each write, and reports
// whether it held within patience.
func (s *screen) until(patience time.Duration, cond func() bool) bool {
	timeout := time.NewTimer(patience)
	defer timeout.Stop()
	for !cond() {
		select {
		case <-s.wrote:
		case <-timeout.C:
			return cond()
		}
	}
	return true
}

// text is the screen now, and the plain text of everything written (the
// console draws on the alternate screen, and the lines printed after it
// ends land on the main one).
func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.parse()
	return s.vt.String() + "\n" + ansi.Strip(s.raw.String())
}

// now is the screen as it is.
func (s *screen) now() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.parse()
	return s.vt.String()
}

func (s *screen) written() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// dial logs in as user with signer, with a 120×40 terminal, and starts
// the console.
func (f *fixture) dial(t testing.TB, user string, signer gossh.Signer) (*client, error) {
	return f.dialSized(t, user, signer, 120, 40)
}

// dialSized is dial with a terminal of w×h (the emulator stays 120×40).
func (f *fixture) dialSized(t testing.TB, user string, signer gossh.Signer, w, h int) (*client, error) {
	t.Helper()
	cfg := &gossh.ClientConfig{User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 10 * time.Second}
	conn, err := gossh.Dial("tcp", f.addr, cfg)
	if err != nil {
		return nil, err
	}
	sess, err := conn.NewSession()
	if err != nil {
		conn.Close()
		return nil, err
	}
	c := &client{t: t, conn: conn, sess: sess, out: newScreen(), done: make(chan error, 1)}
	sess.Stdout, sess.Stderr = c.out, c.out
	stdin, err := sess.StdinPipe()
	if err != nil {
		conn.Close()
		return nil, err
	}
	c.in = &input{w: stdin}
	pump(c.in, c.out.vt) // the terminal's answers to the console's queries
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		conn.Close()
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		conn.Close()
		return nil, err
	}
	go func() { c.done <- sess.Wait() }()
	return c, nil
}

// waitFor waits until the screen shows each of texts, failing the test
// when it does not within the client's patience.
func (c *client) waitFor(texts ...string) string {
	c.t.Helper()
	s, err := c.await(texts...)
	if err != nil {
		c.t.Fatal(err)
	}
	return s
}

// await is waitFor returning the failure, for goroutines.
func (c *client) await(texts ...string) (string, error) {
	patience := c.patience
	if patience == 0 {
		patience = 20 * time.Second
	}
	var s, missing string
	shown := func() bool {
		s, missing = c.out.now(), ""
		for _, want := range texts {
			if !strings.Contains(s, want) {
				missing = want
				return false
			}
		}
		return true
	}
	if c.out.until(patience, shown) {
		return s, nil
	}
	return s, fmt.Errorf("the screen never showed %q (a write under way: %d; %d bytes so far); it shows:\n%s",
		missing, c.out.in.Load(), c.out.written(), s)
}

// waitForPrinted waits until text was printed, on the screen or after the
// console let go of it.
func (c *client) waitForPrinted(text string) {
	c.t.Helper()
	if !c.out.until(20*time.Second, func() bool { return strings.Contains(c.out.text(), text) }) {
		c.t.Fatalf("never printed: %s", text)
	}
}

func (c *client) send(keys string) {
	c.t.Helper()
	if _, err := io.WriteString(c.in, keys); err != nil {
		c.t.Fatalf("send %q: %v", keys, err)
	}
}

// ended waits for the session to end and returns its exit error.
func (c *client) ended() error {
	c.t.Helper()
	select {
	case err := <-c.done:
		return err
	case <-time.After(20 * time.Second):
		c.t.Fatal("the session did not end")
		return nil
	}
}

func (c *client) close() { c.conn.Close() }

// waitUntil waits for a state of the server or the database (the session
// count, a row), which sends no signal: it looks again every 20 ms, until
// cond holds or 20 s pass.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !within(20*time.Second, cond) {
		t.Fatalf("never: %s", what)
	}
}

// within looks at cond every 20 ms and reports whether it held before
// patience ran out.
func within(patience time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// testWriter sends the server's log to the test's.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// pump copies src to dst through an unbounded queue, so reading src never
// waits for dst. The emulator's answers are read while it draws (under
// the screen's lock) and go out on the session's input: were the answer
// to wait for the input, and the input for the server, and the server's
// output for the drawing, the three would wait on each other forever
// once the SSH windows fill, as they do with a hundred sessions on two
// cores. A real terminal buffers its answers the same way.
func pump(dst io.Writer, src io.Reader) {
	var mu sync.Mutex
	ready := sync.NewCond(&mu)
	var queue [][]byte
	done := false
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := src.Read(buf)
			mu.Lock()
			if n > 0 {
				queue = append(queue, append([]byte(nil), buf[:n]...))
			}
			if err != nil {
				done = true
			}
			ready.Signal()
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() {
		for {
			mu.Lock()
			for len(queue) == 0 && !done {
				ready.Wait()
			}
			if len(queue) == 0 {
				mu.Unlock()
				return
			}
			next := queue[0]
			queue = queue[1:]
			mu.Unlock()
			if _, err := dst.Write(next); err != nil {
				return
			}
		}
	}()
}

// serveTarget is the test's database: serve.db in dir, or a PostgreSQL
// database when the tests run on it (pgtest).
func serveTarget(t testing.TB, dir string) string {
	if pgtest.Engine() == "postgres" {
		return pgtest.NewDatabase(t)
	}
	return filepath.Join(dir, "serve.db")
}
