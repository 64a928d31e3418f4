package serve

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
)

// The edge: what a client may ask of the server before and after it logs
// in is bounded, whatever it sends.

// The bounds, as OpenSSH has them where it has them.
const (
	// HandshakeTimeout is how long a connection has to log in (OpenSSH's
	// LoginGraceTime), apart from --idle, which counts once it has.
	HandshakeTimeout = 30 * time.Second
	// MaxUnauthenticated connections from one address at once (as
	// OpenSSH's MaxStartups), and MaxPerMinute connections a minute from
	// one address that end without logging in (as its
	// PerSourcePenalties): a flood waits outside, while an office of a
	// hundred agents behind one address logs in at the start of a shift.
	MaxUnauthenticated = 10
	MaxPerMinute       = 30
	// DefaultSessionsPerAgent is how many consoles one agent may have open
	// at once (--max-sessions).
	DefaultSessionsPerAgent = 3
	// MaxCols × MaxRows is the largest screen a session draws. A cell of
	// the renderer costs about 112 bytes and it keeps two screens (the
	// frame and the one before), so 300 × 120 is about 8 MB: the memory a
	// session may take. A client asking for more gets this, and is told.
	MaxCols = 300
	MaxRows = 120
)

// clampSize is a client's window as the console draws it, and whether it
// was more than that.
func clampSize(w, h int) (int, int, bool) {
	cw, ch := max(0, min(w, MaxCols)), max(0, min(h, MaxRows))
	return cw, ch, cw != w || ch != h
}

// gateKey is where a connection's context keeps its guarded conn.
type gateKey struct{}

// gate counts the connections of each address that have not logged in,
// and those of the last minute that ended without logging in.
type gate struct {
	mu      sync.Mutex
	waiting map[string]int
	recent  map[string][]time.Time
	now     func() time.Time
}

// admit takes a new connection in, or refuses it (nil) saying why.
func (g *gate) admit(host string) (bool, string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.waiting == nil {
		g.waiting, g.recent = map[string]int{}, map[string][]time.Time{}
	}
	now := g.now()
	kept := g.recent[host][:0]
	for _, t := range g.recent[host] {
		if now.Sub(t) < time.Minute {
			kept = append(kept, t)
		}
	}
	g.recent[host] = kept
	switch {
	case g.waiting[host] >= MaxUnauthenticated:
		return false, fmt.Sprintf("more than %d connections not logged in", MaxUnauthenticated)
	case len(kept) >= MaxPerMinute:
		return false, fmt.Sprintf("more than %d connections a minute", MaxPerMinute)
	}
	g.waiting[host]++
	return true, ""
}

// done says a connection of host logged in, or ended without (failed).
func (g *gate) done(host string, failed bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.waiting[host] > 1 {
		g.waiting[host]--
	} else {
		delete(g.waiting, host)
	}
	if failed {
		g.recent[host] = append(g.recent[host], g.now())
	}
	if len(g.recent[host]) == 0 {
		delete(g.recent, host)
	}
}

// guardedConn is a connection that must log in by a deadline: every
// deadline the SSH server sets (its idle timeout, on each read and write)
// is cut to it until the connection has logged in.
type guardedConn struct {
	net.Conn
	gate *gate
	host string

	mu       sync.Mutex
	until    time.Time // zero once logged in
	released bool
}

func (c *guardedConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	until := c.until
	c.mu.Unlock()
	if !until.IsZero() && (t.IsZero() || t.After(until)) {
		t = until
	}
	return c.Conn.SetDeadline(t)
}

// loggedIn lifts the login deadline and gives the address's slot back.
func (c *guardedConn) loggedIn() {
	c.mu.Lock()
	c.until = time.Time{}
	c.mu.Unlock()
	_ = c.Conn.SetDeadline(time.Time{})
	c.release(false)
}

func (c *guardedConn) release(failed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.released {
		c.released = true
		c.gate.done(c.host, failed)
	}
}

// Close ends the connection; one that never logged in counts against its
// address for a minute.
func (c *guardedConn) Close() error {
	c.release(true)
	return c.Conn.Close()
}

// admitConn is the server's ConnCallback: a connection over the address's
// bounds is closed at once (counted for the audit log); any other must log
// in within HandshakeTimeout.
func (s *Server) admitConn(ctx ssh.Context, conn net.Conn) net.Conn {
	host := hostOf(conn.RemoteAddr().String())
	if ok, why := s.gate.admit(host); !ok {
		s.floods.refused(host, why)
		return nil
	}
	g := &guardedConn{Conn: conn, gate: &s.gate, host: host, until: s.gate.now().Add(s.cfg.handshake())}
	_ = conn.SetDeadline(g.until)
	ctx.SetValue(gateKey{}, g)
	return g
}

// loggedIn marks the connection of ctx as logged in.
func loggedIn(ctx ssh.Context) {
	if g, ok := ctx.Value(gateKey{}).(*guardedConn); ok {
		g.loggedIn()
	}
}

// floods coalesces the audit rows of connections refused at the edge: one
// row per address and minute, with a count, so a flood cannot fill the
// database.
type floods struct {
	mu     sync.Mutex
	counts map[floodKey]int
	write  func(host, why string, n int, minute time.Time)
	now    func() time.Time
}

type floodKey struct {
	host, why string
	minute    int64
}

// refused counts one refusal; the minutes before this one are written.
func (f *floods) refused(host, why string) {
	f.mu.Lock()
	if f.counts == nil {
		f.counts = map[floodKey]int{}
	}
	minute := f.now().Truncate(time.Minute).Unix()
	f.counts[floodKey{host, why, minute}]++
	done := f.takeBefore(minute)
	f.mu.Unlock()
	for k, n := range done {
		f.write(k.host, k.why, n, time.Unix(k.minute, 0))
	}
}

// first counts one refusal and reports whether it is the address's first
// of the minute (which the caller writes in full).
func (f *floods) first(host, why string) bool {
	f.mu.Lock()
	if f.counts == nil {
		f.counts = map[floodKey]int{}
	}
	minute := f.now().Truncate(time.Minute).Unix()
	k := floodKey{host, why, minute}
	f.counts[k]++
	n := f.counts[k]
	done := f.takeBefore(minute)
	f.mu.Unlock()
	for k, n := range done {
		f.write(k.host, k.why, n, time.Unix(k.minute, 0))
	}
	return n == 1
}

// flush writes every count, the current minute's too (at shutdown).
func (f *floods) flush() {
	f.mu.Lock()
	done := f.takeBefore(1 << 62)
	f.mu.Unlock()
	for k, n := range done {
		f.write(k.host, k.why, n, time.Unix(k.minute, 0))
	}
}

// takeBefore removes and returns the counts of minutes before minute;
// the caller holds mu.
func (f *floods) takeBefore(minute int64) map[floodKey]int {
	out := map[floodKey]int{}
	for k, n := range f.counts {
		if k.minute < minute {
			out[k] = n
			delete(f.counts, k)
		}
	}
	return out
}

// everyMinute writes the finished minutes' counts until ctx ends.
func (f *floods) everyMinute(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			f.flush()
			return
		case <-t.C:
			f.mu.Lock()
			done := f.takeBefore(f.now().Truncate(time.Minute).Unix())
			f.mu.Unlock()
			for k, n := range done {
				f.write(k.host, k.why, n, time.Unix(k.minute, 0))
			}
		}
	}
}
