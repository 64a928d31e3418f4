package bench

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/dangol/dangol/crm"
)

// The SSH floor: the real `dangol serve` on the bench file, and agents
// logged in over real SSH connections from this process, each in a
// terminal emulator, typing at an agent's pace (a key every 100 to 300
// ms). Rounds of 1, 40 and 100 sessions; the last logs its hundred in
// over a minute, as a shift starts.

// sshAgents is how many agents the floor needs; the bench file keeps them
// (bench001…) and their keys, made from their names, between runs.
const sshAgents = 100

// sshTyping is how long each round types.
const sshTyping = 10 * time.Second

// shiftStart is the minute the hundred logins of the last round spread over.
const shiftStart = time.Minute

// servingOn is the line `dangol serve` starts with.
var servingOn = regexp.MustCompile(`on (127\.0\.0\.1:\d+)`)

// sshRound is one round's figures.
type sshRound struct {
	sessions  int
	echo      []time.Duration // key to the first bytes of the answer
	firstDraw []time.Duration // login to the first queue, in login order
	rssBefore int             // the server's KiB before the round's first login
	rssOpen   int             // with every session open and drawn
	rssIdle   int             // the same after the sessions sat idle
	rssAfter  int             // after they all ended
}

// sshFloor measures the SSH floor and fills r.
func (f *fixture) sshFloor(ctx context.Context, r *Result) error {
	signers, err := f.floorAgents(ctx)
	if err != nil {
		return err
	}
	dir, err := f.scratch("bench-ssh-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv := exec.CommandContext(ctx, f.o.Binary, "serve", "--listen", "127.0.0.1:0", "--db", f.o.Path,
		"--host-key", filepath.Join(dir, "host_ed25519"), "--lang", "ko")
	stderr, err := srv.StderrPipe()
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		return err
	}
	defer func() {
		_ = srv.Process.Signal(os.Interrupt)
		_ = srv.Wait()
	}()
	said := bufio.NewReader(stderr)
	line, err := said.ReadString('\n')
	m := servingOn.FindStringSubmatch(line)
	if err != nil || m == nil {
		return fmt.Errorf("dangol serve said %q (%v)", line, err)
	}
	go func() { _, _ = io.Copy(io.Discard, said) }() // a pipe nobody reads fills, and the server waits
	addr, pid := m[1], srv.Process.Pid

	var rounds []sshRound
	for _, n := range []int{1, 40, sshAgents} {
		// Forty log in over four seconds; the hundred over a minute, as a
		// shift starts. (At once, from one address, more than ten would
		// be logging in together: the server's edge turns those away.)
		spread := time.Duration(n) * 100 * time.Millisecond
		if n == sshAgents {
			spread = shiftStart
		}
		round, err := floorRound(ctx, addr, pid, signers[:n], spread)
		if err != nil {
			return fmt.Errorf("%d sessions: %w", n, err)
		}
		fmt.Fprintf(f.o.Progress, "bench: ssh %d sessions: key to echo p99 %.1f ms\n", n, ms(Percentile(round.echo, 99)))
		rounds = append(rounds, round)
	}
	one, full := rounds[0], rounds[len(rounds)-1]
	r.SSHEchoP99 = map[string]float64{}
	for _, rd := range rounds {
		r.SSHEchoP99[fmt.Sprint(rd.sessions)] = ms(Percentile(rd.echo, 99))
	}
	r.SSHP99Ratio = ms(Percentile(full.echo, 99)) / max(ms(Percentile(one.echo, 99)), 0.001)
	per := func(kb int) float64 { return float64(kb-full.rssBefore) / 1024 / float64(full.sessions) }
	r.SSHMBPerSession, r.SSHMBPerSessionIdle = per(full.rssOpen), per(full.rssIdle)
	r.SSHMBAfter = float64(full.rssAfter-full.rssBefore) / 1024
	r.SSHFirstDrawMs = ms(one.firstDraw[0])
	r.SSHLastDrawMs = ms(full.firstDraw[len(full.firstDraw)-1])
	r.SSHShiftMaxMs = ms(Percentile(full.firstDraw, 100))
	return nil
}

// floorAgents makes sure the bench file has the floor's agents, each
// with a key made from their name, and returns the keys in order.
func (f *fixture) floorAgents(ctx context.Context) ([]namedSigner, error) {
	admin, err := f.crm.AgentByName(ctx, "yuna")
	if err != nil {
		return nil, err
	}
	out := make([]namedSigner, 0, sshAgents)
	for i := range sshAgents {
		name := fmt.Sprintf("bench%03d", i+1)
		seed := sha256.Sum256([]byte("dangol bench " + name))
		signer, err := gossh.NewSignerFromKey(ed25519.NewKeyFromSeed(seed[:]))
		if err != nil {
			return nil, err
		}
		if _, err := f.crm.AgentByName(ctx, name); errors.Is(err, crm.ErrUnknownAgent) {
			if _, err := f.crm.AddAgent(ctx, admin, crm.Agent{Name: name, Role: crm.RoleAgent}); err != nil {
				return nil, err
			}
			if _, err := f.crm.AddKey(ctx, admin, name, string(gossh.MarshalAuthorizedKey(signer.PublicKey()))); err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, err
		}
		out = append(out, namedSigner{name, signer})
	}
	return out, nil
}

type namedSigner struct {
	name   string
	signer gossh.Signer
}

// floorRound logs sessions in (spread over spread), lets them type
// together for sshTyping, lets them sit, and ends them, reading the
// server's memory at each step.
func floorRound(ctx context.Context, addr string, pid int, agents []namedSigner, spread time.Duration) (sshRound, error) {
	rd := sshRound{sessions: len(agents), rssBefore: RSSKB(pid)}
	sessions := make([]*sshSession, len(agents))
	draws := make([]time.Duration, len(agents))
	defer func() {
		for _, s := range sessions {
			if s != nil {
				s.close()
			}
		}
	}()
	var wg sync.WaitGroup
	errs := make(chan error, len(agents))
	start := time.Now()
	for i, a := range agents {
		at := time.Duration(0)
		if spread > 0 {
			at = time.Duration(i) * spread / time.Duration(len(agents))
		}
		wg.Go(func() {
			time.Sleep(time.Until(start.Add(at)))
			s, d, err := dialFloor(addr, a)
			sessions[i], draws[i] = s, d
			if err != nil {
				errs <- fmt.Errorf("%s: %w", a.name, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return rd, err
	}
	rd.firstDraw = draws
	rd.rssOpen = RSSKB(pid)
	// Everyone types: j and k in turn, a key every 100 to 300 ms.
	var mu sync.Mutex
	typing := time.Now()
	for _, s := range sessions {
		wg.Go(func() {
			var mine []time.Duration
			for i := 0; time.Since(typing) < sshTyping; i++ {
				time.Sleep(100*time.Millisecond + rand.N(200*time.Millisecond))
				key := "j"
				if i%2 == 1 {
					key = "k"
				}
				d, err := s.echo(key)
				if err != nil {
					return
				}
				mine = append(mine, d)
			}
			mu.Lock()
			rd.echo = append(rd.echo, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(rd.echo) == 0 {
		return rd, errors.New("no key was answered")
	}
	select {
	case <-ctx.Done():
		return rd, ctx.Err()
	case <-time.After(5 * time.Second):
	}
	rd.rssIdle = RSSKB(pid)
	for i, s := range sessions {
		s.close()
		sessions[i] = nil
	}
	rd.rssAfter = settledRSS(ctx, pid)
	return rd, nil
}

// sshSession is one agent's SSH session in a terminal emulator.
type sshSession struct {
	conn *gossh.Client
	sess *gossh.Session
	t    *term
}

// dialFloor logs agent in with a 120×40 terminal and waits for their
// queue: the session and how long that took.
func dialFloor(addr string, a namedSigner) (*sshSession, time.Duration, error) {
	start := time.Now()
	cfg := &gossh.ClientConfig{User: a.name, Auth: []gossh.AuthMethod{gossh.PublicKeys(a.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second}
	conn, err := gossh.Dial("tcp", addr, cfg)
	if err != nil {
		return nil, 0, err
	}
	sess, err := conn.NewSession()
	if err != nil {
		conn.Close()
		return nil, 0, err
	}
	t := newTerm(120, 40)
	sess.Stdout, sess.Stderr = t, t
	in, err := sess.StdinPipe()
	if err != nil {
		conn.Close()
		return nil, 0, err
	}
	t.in = in
	t.answer()
	s := &sshSession{conn: conn, sess: sess, t: t}
	if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
		s.close()
		return nil, 0, err
	}
	if err := sess.Shell(); err != nil {
		s.close()
		return nil, 0, err
	}
	if _, err := t.until(time.Minute, "the queue", func(sc string) bool { return firstFrame.MatchString(sc) }); err != nil {
		s.close()
		return nil, 0, err
	}
	return s, time.Since(start), nil
}

// echo types key and times it to the first bytes of the answer.
func (s *sshSession) echo(key string) (time.Duration, error) {
	before := s.t.written()
	start := time.Now()
	if err := s.t.send(key); err != nil {
		return 0, err
	}
	deadline := time.NewTimer(time.Minute)
	defer deadline.Stop()
	for s.t.written() == before {
		select {
		case <-s.t.wrote:
		case <-deadline.C:
			return 0, errors.New("no answer to a key in a minute")
		}
	}
	return time.Since(start), nil
}

func (s *sshSession) close() {
	_ = s.sess.Close()
	_ = s.conn.Close()
	_ = s.t.vt.Close()
}

// settledRSS is a process's memory once it stops falling: the server lets
// each session go, then gives their memory back a few seconds after the
// last ends (at most 20 s are waited).
func settledRSS(ctx context.Context, pid int) int {
	const still = 3 * time.Second
	low, since := RSSKB(pid), time.Now()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end) && time.Since(since) < still; {
		select {
		case <-ctx.Done():
			return low
		case <-time.After(250 * time.Millisecond):
		}
		if kb := RSSKB(pid); kb < low {
			low, since = kb, time.Now()
		}
	}
	return low
}
