package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/dangol/dangol/crm"
)

// agentKey is where a session's context keeps the agent its key belongs to.
type agentKey struct{}

// refusal is why a connection's keys did not log it in, kept until the
// connection ends so it is reported once (a client offers several keys).
type refusal struct {
	why         string // unknown_key, wrong_login, deactivated
	agent       crm.Agent
	fingerprint string
	user        string
	told        bool // the client was shown why
}

// politeLine is what the person at the other end reads. It is plain
// ASCII English: OpenSSH prints a keyboard-interactive instruction with
// every other byte escaped, whatever the locale, so Korean would arrive
// as \354\235\264….
func (r refusal) politeLine() string {
	switch r.why {
	case "wrong_login":
		return fmt.Sprintf("dangol: this key belongs to %s: log in as %s (ssh %s@host).", r.agent.Name, r.agent.Name, r.agent.Name)
	case "deactivated":
		return fmt.Sprintf("dangol: the account %s is deactivated: ask an admin.", r.agent.Name)
	case "no_key":
		return "dangol: log in with your registered SSH key."
	}
	return fmt.Sprintf("dangol: this SSH key (%s) is not registered: ask an admin to add it (dangol agent key add).", r.fingerprint)
}

// rank orders refusals by how much they tell: a key that belongs to
// someone says more than a key nobody has.
func (r refusal) rank() int {
	if r.why == "unknown_key" {
		return 0
	}
	return 1
}

// authenticate is the public key handler: the key must belong to an
// active agent whose login name the client gave. Other keys are refused
// here, so a client may offer its next one.
func (s *Server) authenticate(ctx ssh.Context, key ssh.PublicKey) bool {
	addr := ctx.RemoteAddr().String()
	s.limiter.wait(hostOf(addr))
	fp := gossh.FingerprintSHA256(key)
	a, err := s.crm.AgentByKey(ctx, key)
	var r refusal
	switch {
	case errors.Is(err, crm.ErrUnknownKey):
		r = refusal{why: "unknown_key", fingerprint: fp, user: ctx.User()}
	case err != nil:
		s.log.Error("key lookup", "addr", addr, "err", err)
		return false
	case !a.Active:
		r = refusal{why: "deactivated", agent: a, fingerprint: fp, user: ctx.User()}
	case ctx.User() != a.Name:
		r = refusal{why: "wrong_login", agent: a, fingerprint: fp, user: ctx.User()}
	default:
		ctx.SetValue(agentKey{}, a)
		s.refusals.forget(addr)
		loggedIn(ctx)
		return true
	}
	s.refusals.keep(addr, r)
	return false
}

// explain answers keyboard-interactive, which clients try once their keys
// are refused: it shows why in one line, asks nothing and refuses. No
// password or keyboard-interactive login is ever accepted.
func (s *Server) explain(ctx ssh.Context, challenge gossh.KeyboardInteractiveChallenge) bool {
	addr := ctx.RemoteAddr().String()
	r, ok := s.refusals.peek(addr)
	switch {
	case ok && r.told: // clients ask again; once is enough
	case ok:
		challenge("", r.politeLine()+"\n", nil, nil)
		r.told = true
		s.refusals.keep(addr, r)
	default:
		r = refusal{why: "no_key", user: ctx.User(), told: true}
		challenge("", r.politeLine()+"\n", nil, nil)
		s.refusals.keep(addr, r)
	}
	return false
}

// connectionFailed reports a connection that did not log in: one log line
// and one audit row for its refusal, and a failure counted against its
// address.
func (s *Server) connectionFailed(conn net.Conn, err error) {
	addr := conn.RemoteAddr().String()
	r, ok := s.refusals.take(addr)
	if !ok {
		return // it never offered a key: a port scan, a client that gave up
	}
	s.limiter.fail(hostOf(addr))
	s.log.Warn("login refused", "why", r.why, "agent", r.agent.Name, "user", r.user, "key", r.fingerprint, "addr", addr)
	// The first refusal of an address in a minute is written in full;
	// the rest are counted into one row when the minute is over.
	if !s.logins.first(hostOf(addr), r.why) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.crm.LoginRefused(ctx, r.agent.ID, r.why, r.fingerprint, r.user, addr); err != nil {
		s.log.Error("audit of a refused login", "err", err)
	}
}

// refusals keeps each connection's refusal until it ends.
type refusals struct {
	mu sync.Mutex
	m  map[string]refusal
}

func (r *refusals) keep(addr string, f refusal) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = map[string]refusal{}
	}
	if old, ok := r.m[addr]; !ok || f.rank() >= old.rank() {
		f.told = f.told || ok && old.told
		r.m[addr] = f
	}
}

func (r *refusals) peek(addr string) (refusal, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ok := r.m[addr]
	return f, ok
}

func (r *refusals) take(addr string) (refusal, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f, ok := r.m[addr]
	delete(r.m, addr)
	return f, ok
}

func (r *refusals) forget(addr string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.m, addr)
}

// limiter slows an address down after repeated refused logins: after
// three in ten minutes, each further key it offers waits 1, 2, 4… up to 10
// seconds before it is answered.
type limiter struct {
	mu    sync.Mutex
	fails map[string][]time.Time
	now   func() time.Time
	sleep func(time.Duration)
}

const (
	freeFailures = 3
	failWindow   = 10 * time.Minute
	maxDelay     = 10 * time.Second
)

func (l *limiter) fail(host string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fails == nil {
		l.fails = map[string][]time.Time{}
	}
	l.fails[host] = append(l.recent(host), l.now())
}

// recent is host's failures inside the window; the caller holds mu.
func (l *limiter) recent(host string) []time.Time {
	cut := l.now().Add(-failWindow)
	var out []time.Time
	for _, t := range l.fails[host] {
		if t.After(cut) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		delete(l.fails, host)
	}
	return out
}

// delay is how long host waits now.
func (l *limiter) delay(host string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.recent(host)) - freeFailures
	if n < 0 {
		return 0
	}
	return min(maxDelay, time.Second<<min(n, 8))
}

func (l *limiter) wait(host string) {
	if d := l.delay(host); d > 0 {
		l.sleep(d)
	}
}

func hostOf(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return host
}
