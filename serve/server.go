// Package serve is `dangol serve`: one process serving the console to a
// whole floor over SSH. Each session is its own console, for the agent
// its public key belongs to; every session shares one database handle and
// one change bus, so what one agent does shows in every other session at
// once.
package serve

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"charm.land/wish/v2"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
	"github.com/dangol/dangol/tui/kit"
)

// Config is how the server runs.
type Config struct {
	Listen  string        // host:port
	HostKey string        // the server's private key; made (0600) on first start
	Idle    time.Duration // a session with no input this long ends, its note kept; 0: never
	// DialCmd runs on the server when an agent dials: a click-to-call
	// command with {number}, {agent} and {extension}. Empty: `d` copies the
	// number instead.
	DialCmd string
	Lang    kit.Lang // for an agent with no language set whose client sends no LANG
	Log     *slog.Logger
	// Handshake is how long a connection has to log in (0:
	// HandshakeTimeout); SessionsPerAgent how many consoles one agent may
	// have open at once (0: DefaultSessionsPerAgent).
	Handshake        time.Duration
	SessionsPerAgent int
}

func (c Config) handshake() time.Duration {
	if c.Handshake <= 0 {
		return HandshakeTimeout
	}
	return c.Handshake
}

func (c Config) sessionsPerAgent() int {
	if c.SessionsPerAgent <= 0 {
		return DefaultSessionsPerAgent
	}
	return c.SessionsPerAgent
}

// Server serves consoles over SSH.
type Server struct {
	cfg      Config
	d        *db.DB
	crm      *crm.Service
	q        *queue.Service
	log      *slog.Logger
	ssh      *ssh.Server
	listener net.Listener
	limiter  *limiter
	refusals refusals
	gate     gate   // connections not logged in, per address
	floods   floods // refused connections, counted for the audit log
	logins   floods // refused logins past the first of a minute, counted

	mu       sync.Mutex
	sessions map[*session]struct{}
	stopping bool
	freeing  bool        // memory is given back soon (see unregister)
	giveBack *time.Timer // that, waiting
	giving   sync.WaitGroup
	wg       sync.WaitGroup
}

// giveBackAfter is how soon after sessions end their memory goes back to
// the system: Go keeps a freed heap for minutes, and a server whose
// hundred sessions of the morning have ended should not hold their
// memory all afternoon. Sessions ending together are freed together.
const giveBackAfter = 2 * time.Second

// New prepares a server on an open database; Serve runs it.
func New(d *db.DB, c *crm.Service, q *queue.Service, cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if err := ensureHostKey(cfg.HostKey); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, d: d, crm: c, q: q, log: cfg.Log, sessions: map[*session]struct{}{},
		limiter: &limiter{now: time.Now, sleep: time.Sleep}}
	s.gate.now, s.floods.now, s.logins.now = time.Now, time.Now, time.Now
	s.floods.write = func(host, why string, n int, minute time.Time) {
		s.log.Warn("connections refused", "addr", host, "why", why, "count", n, "minute", minute.Format("15:04"))
		s.auditFlood(host, why, n, minute)
	}
	s.logins.write = func(host, why string, n int, minute time.Time) {
		if n > 1 { // the first was written when it came
			s.auditFlood(host, "login refused: "+why, n-1, minute)
		}
	}
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Listen),
		ssh.HostKeyFile(cfg.HostKey),
		wish.WithPublicKeyAuth(s.authenticate),
		wish.WithKeyboardInteractiveAuth(s.explain),
		wish.WithMiddleware(s.handle),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	srv.ConnectionFailedCallback = s.connectionFailed
	srv.ConnCallback = s.admitConn
	srv.IdleTimeout = cfg.Idle
	s.ssh = srv
	return s, nil
}

// ensureHostKey makes the host key on first start (an ed25519 key, 0600,
// written without touching the directory's own permissions: it is the
// database's directory), and refuses to run on a key others can read.
func ensureHostKey(path string) error {
	if path == "" {
		return errors.New("no host key path (use --host-key PATH)")
	}
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		block, err := gossh.MarshalPrivateKey(priv, "dangol host key")
		if err != nil {
			return err
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("host key %s: %w", path, err)
		}
		if _, err := f.Write(pem.EncodeToMemory(block)); err != nil {
			f.Close()
			return fmt.Errorf("host key %s: %w", path, err)
		}
		return f.Close()
	}
	if err != nil {
		return fmt.Errorf("host key %s: %w", path, err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("host key %s can be read by others (%04o): chmod 600 it", path, st.Mode().Perm())
	}
	return nil
}

// Listen opens the listening socket (so a caller knows the port before
// serving, e.g. ":0" in tests).
func (s *Server) Listen() (net.Addr, error) {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return nil, err
	}
	s.listener = ln
	return ln.Addr(), nil
}

// Serve accepts sessions until ctx ends, then stops: no new connections,
// every session told and its note kept as a draft, all within 5 seconds.
func (s *Server) Serve(ctx context.Context) error {
	if s.listener == nil {
		if _, err := s.Listen(); err != nil {
			return err
		}
	}
	stop, watchErr := make(chan struct{}), make(chan error, 1)
	go func() { watchErr <- s.watchAgents(ctx, stop) }()
	floodCtx, stopFloods := context.WithCancel(context.WithoutCancel(ctx))
	defer stopFloods()
	go s.floods.everyMinute(floodCtx)
	go s.logins.everyMinute(floodCtx)
	errc := make(chan error, 1)
	go func() { errc <- s.ssh.Serve(s.listener) }()
	s.log.Info("serving", "addr", s.listener.Addr().String(), "db", s.d.Path)
	select {
	case err := <-errc:
		close(stop)
		s.stopGivingBack()
		if errors.Is(err, ssh.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	close(stop)
	s.shutdown(5 * time.Second)
	return nil
}

// shutdown stops accepting, ends every session with a line saying why
// (each keeps its note as a draft on the way out), and waits for them.
func (s *Server) shutdown(limit time.Duration) {
	deadline := time.Now().Add(limit)
	s.listener.Close()
	s.mu.Lock()
	s.stopping = true
	for ss := range s.sessions {
		ss.end("dangol: 서버가 멈춥니다. 쓰던 메모는 임시 저장되었습니다. / The server is stopping; your note was kept as a draft.")
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	closeConns := func() {
		if err := s.ssh.Close(); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
			s.log.Error("closing connections", "err", err)
		}
	}
	select {
	case <-done:
		// The sessions have ended (their notes kept); what is left are
		// the connections clients have not closed yet.
		closeConns()
	case <-time.After(limit / 2):
		// A console that has not ended is stuck writing to a client that
		// stopped reading: it is stopped, and its connection closed, which
		// is what unblocks the write.
		stuck := s.stuckWriting(time.Second)
		s.mu.Lock()
		left := len(s.sessions)
		for ss := range s.sessions {
			ss.kill()
		}
		s.mu.Unlock()
		s.log.Warn("sessions that did not end when asked are stopped", "sessions", left, "stuck_writing", stuck)
		closeConns()
		select {
		case <-done:
		case <-time.After(time.Until(deadline) - 500*time.Millisecond):
			s.log.Error("sessions still open at shutdown")
		}
	}
	s.stopGivingBack()
	s.log.Info("stopped")
}

// stopGivingBack cancels a giving back of memory that has not begun, and
// waits for one under way: after Serve returns the server neither logs
// nor touches the database, which its owner may close.
func (s *Server) stopGivingBack() {
	s.mu.Lock()
	s.stopping = true
	if s.giveBack != nil && s.giveBack.Stop() {
		s.giving.Done()
	}
	s.mu.Unlock()
	s.giving.Wait()
}

// watchAgents ends the sessions of agents who were deactivated, and those
// logged in with a key since removed, wherever
// that was done (a console, the command line): on a change to an agent, or
// any change from another process, it checks the agents with a live
// session.
func (s *Server) watchAgents(ctx context.Context, stop <-chan struct{}) error {
	ch, unsubscribe := s.d.Changes.Subscribe()
	defer unsubscribe()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-stop:
			return nil
		case c, ok := <-ch:
			if !ok {
				return nil
			}
			// Only an agent's change here, or any change made by another
			// process, can be a deactivation: the hundreds of presence,
			// draft and claim changes a floor makes are not.
			if c.Entity != "agent" && c.Action != db.External {
				continue
			}
		}
		s.mu.Lock()
		live := make([]*session, 0, len(s.sessions))
		for ss := range s.sessions {
			live = append(live, ss)
		}
		s.mu.Unlock()
		for _, ss := range live {
			a, err := s.crm.AgentByName(ctx, ss.agent.Name)
			if err == nil && !a.Active {
				s.log.Info("session ended: agent deactivated", "agent", ss.agent.Name, "addr", ss.addr)
				ss.end("dangol: 계정 사용이 중지되어 접속을 끝냅니다. / Your account was deactivated; this session ends.")
				continue
			}
			if ss.key == nil {
				continue
			}
			if owner, err := s.crm.AgentByKey(ctx, ss.key); errors.Is(err, crm.ErrUnknownKey) || err == nil && owner.ID != ss.agent.ID {
				s.log.Info("session ended: key removed", "agent", ss.agent.Name, "addr", ss.addr)
				ss.end("dangol: 이 SSH 키가 삭제되어 접속을 끝냅니다. 메모는 임시 저장되었습니다. / " +
					"This SSH key was removed; this session ends and your note was kept as a draft.")
			}
		}
	}
}

// register adds a live session, or says why not: the server is stopping,
// or the agent has as many sessions as one may.
func (s *Server) register(ss *session) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return "dangol: the server is stopping / 서버가 멈추는 중입니다"
	}
	n := 0
	for other := range s.sessions {
		if other.agent.ID == ss.agent.ID {
			n++
		}
	}
	if limit := s.cfg.sessionsPerAgent(); n >= limit {
		return fmt.Sprintf("dangol: %s already has %d sessions open, the most one agent may have: close one first / "+
			"이미 %d개의 창이 열려 있습니다. 하나를 닫고 다시 접속하세요", ss.agent.Name, n, n)
	}
	s.sessions[ss] = struct{}{}
	s.wg.Add(1)
	return ""
}

// auditFlood writes one audit row for n connections of host refused in a
// minute.
func (s *Server) auditFlood(host, why string, n int, minute time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.crm.ConnectionsRefused(ctx, host, why, n, minute); err != nil {
		s.log.Error("audit of refused connections", "err", err)
	}
}

func (s *Server) unregister(ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.sessions[ss]; ok {
		delete(s.sessions, ss)
		s.wg.Done()
	}
	if !s.freeing && !s.stopping {
		s.freeing = true
		s.giving.Add(1)
		s.giveBack = time.AfterFunc(giveBackAfter, func() {
			defer s.giving.Done()
			s.mu.Lock()
			s.freeing = false
			live := len(s.sessions)
			s.mu.Unlock()
			// A read connection for each live console at most; the
			// ones a crowd opened go, with their page caches.
			s.d.GiveBack(live)
			debug.FreeOSMemory()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			s.log.Info("memory given back", "sessions", live, "go_heap_mb", m.HeapInuse>>20, "go_held_mb", (m.Sys-m.HeapReleased)>>20,
				"goroutines", runtime.NumGoroutine())
			if path := os.Getenv("DANGOL_HEAPPROFILE"); path != "" {
				if f, err := os.Create(path); err == nil {
					_ = pprof.WriteHeapProfile(f)
					f.Close()
				}
				if f, err := os.Create(path + ".goroutines"); err == nil {
					_ = pprof.Lookup("goroutine").WriteTo(f, 1)
					f.Close()
				}
			}
		})
	}
}

// stuckWriting counts the sessions whose console has been writing to its
// client for longer than d: clients that stopped reading.
func (s *Server) stuckWriting(d time.Duration) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for ss := range s.sessions {
		if ss.out.stuckFor() > d {
			n++
		}
	}
	return n
}

// Sessions counts the live sessions (for the log and tests).
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// dialCmdFor is the server's dial command for one agent: {agent} and
// {extension} filled in, {number} left for the console.
func (s *Server) dialCmdFor(a crm.Agent, ext string) string {
	if s.cfg.DialCmd == "" {
		return ""
	}
	return strings.NewReplacer("{agent}", a.Name, "{extension}", ext).Replace(s.cfg.DialCmd)
}
