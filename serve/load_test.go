package serve

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dangol/dangol/bench"
	"github.com/dangol/dangol/queue"
)

// loadSessions is how many agents work at once in the benchmark, and in
// the load test when DANGOL_SESSIONS says so. The test's default is 10:
// quick on two cores, and below the load at which the benchmark sees
// sessions stall (see BenchmarkSessions):
//
//	DANGOL_SESSIONS=100 go test ./serve -run ManySessions -v
const loadSessions = 100

// sessionsToTest is the load test's number of agents.
func sessionsToTest(t *testing.T) int {
	if v := os.Getenv("DANGOL_SESSIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			t.Fatalf("DANGOL_SESSIONS=%q: give a number from 1 to 500", v)
		}
		return n
	}
	return 10
}

// addPoolWork puts n complaint callbacks (callable at any hour) in the
// pool, due a minute ago, for n customers from the first callable one.
func addPoolWork(t testing.TB, f *fixture, n int) { addPoolWorkFrom(t, f, n, 0) }

// addPoolWorkFrom is addPoolWork from the callable customer number from
// (wrapping), so that repeated calls spread over customers.
func addPoolWorkFrom(t testing.TB, f *fixture, n, from int) {
	t.Helper()
	ctx := context.Background()
	rows, err := f.d.Read.Query(`SELECT c.id FROM customers c WHERE c.dnc = 0
		AND EXISTS (SELECT 1 FROM phones p WHERE p.customer_id = c.id AND p.invalid = 0) ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	for i := range n {
		if _, err := f.q.Add(ctx, f.yuna, queue.NewCallback{CustomerID: ids[(from+i)%len(ids)], Kind: "complaint", Reason: "load test",
			Priority: 1, Due: time.Now().Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
}

// work is one agent's round over SSH: keystrokes timed to the screen,
// then claim the next callback, write a note, wrap up, quit. It reports
// failures as errors: it runs in goroutines.
//
// With phases (the benchmark), every session logs in, then all type
// together, a key every 200 ms, then all work: memory is read with every
// session open and the round trips are not mixed with the burst of claims.
func work(t testing.TB, f *fixture, name string, keystrokes int, ph *phases) ([]time.Duration, error) {
	var logged, typed sync.Once
	if ph != nil {
		defer logged.Do(ph.logged.Done)
		defer typed.Do(ph.typed.Done)
	}
	c, err := f.dial(t, name, f.keys[name])
	if err != nil {
		return nil, err
	}
	defer c.close()
	c.patience = 2 * time.Minute // a hundred consoles share two cores
	step := func(keys string, want ...string) error {
		if keys != "" {
			if _, err := io.WriteString(c.in, keys); err != nil {
				return err
			}
		}
		if _, err := c.await(want...); err != nil {
			if ph != nil && ph.dump != nil {
				ph.stalled.Do(ph.dump)
			}
			return fmt.Errorf("%s after %q: %w\n%s", name, keys, err, trail(f, name))
		}
		return nil
	}
	if err := step("", "Callback queue 1/"); err != nil {
		return nil, err
	}
	if ph != nil {
		logged.Do(ph.logged.Done)
		<-ph.typing
	}
	var rtt []time.Duration
	for i := range keystrokes {
		key := "j"
		if i%2 == 1 {
			key = "k"
		}
		if ph != nil {
			// people do not type in step: 100 to 300 ms between keys, each
			// agent at their own moments (a key every 200 ms on average)
			time.Sleep(100*time.Millisecond + rand.N(200*time.Millisecond))
		}
		before := c.out.written()
		start := time.Now()
		if _, err := io.WriteString(c.in, key); err != nil {
			return rtt, err
		}
		if !c.out.until(c.patience, func() bool { return c.out.written() != before }) {
			return rtt, fmt.Errorf("%s: no answer to a key in %s", name, c.patience)
		}
		rtt = append(rtt, time.Since(start))
	}
	if ph != nil {
		typed.Do(ph.typed.Done)
		<-ph.working
	}
	// until stored: a banner on the screen may be gone before it is read,
	// the database says what happened
	stored := func(what, query string, args ...any) error {
		var err error
		held := within(c.patience, func() bool {
			var n int
			err = f.d.Read.QueryRow(query, args...).Scan(&n)
			return err != nil || n > 0
		})
		switch {
		case err != nil:
			return err
		case !held:
			return fmt.Errorf("%s: %s never stored", name, what)
		}
		return nil
	}
	for _, s := range []struct {
		keys string
		want []string
	}{
		// The header says "on call" as soon as the claim is heard (the
		// queue reloads on the change); the console has the call when it
		// says it is yours, with the customer open. An n typed in between
		// wrote the note on the queue's selected row, another agent's
		// call (seen on PostgreSQL, where the 360 takes longer to read).
		{"N", []string{"on call:", "is yours (until"}},
		{"n", []string{"Note —"}},
		{"load note " + name, []string{"load note " + name}},
	} {
		if err := step(s.keys, s.want...); err != nil {
			return rtt, err
		}
	}
	io.WriteString(c.in, "\x13") // ctrl+s
	if err := stored("the note", `SELECT count(*) FROM interactions WHERE body = ?`, "load note "+name); err != nil {
		return rtt, err
	}
	// The note is stored before the console hears so and closes its
	// editor: a w typed in between is a letter of the note, not the
	// wrap-up (seen on PostgreSQL, where the answer takes longer).
	if !c.out.until(c.patience, func() bool { return !strings.Contains(c.out.now(), "Note —") }) {
		return rtt, fmt.Errorf("%s: the note editor stayed open after the note was stored:\n%s", name, c.out.now())
	}
	if err := step("w", "Wrap-up —"); err != nil {
		return rtt, err
	}
	io.WriteString(c.in, "1")
	if err := stored("the wrap-up", `SELECT count(*) FROM audit_log a JOIN agents g ON g.id = a.actor_id
		WHERE g.name = ? AND a.entity = 'callback' AND a.action = 'disposition'`, name); err != nil {
		return rtt, err
	}
	// the console knows the call is over (else q asks about the claim) and
	// the wrap-up has closed: the queue can show the call done (a reload
	// after the commit) before the wrap-up hears back, and until then the
	// wrap-up has the keys
	over := func() bool {
		s := c.out.now()
		return !strings.Contains(s, "on call:") && !strings.Contains(s, "Wrap-up —")
	}
	if !c.out.until(c.patience, over) {
		return rtt, fmt.Errorf("%s: the console still shows the call or its wrap-up after the wrap-up was stored:\n%s", name, c.out.now())
	}
	io.WriteString(c.in, "q")
	select {
	case err := <-c.done:
		return rtt, err
	case <-time.After(c.patience):
		if ph != nil && ph.dump != nil {
			ph.stalled.Do(ph.dump)
		}
		return rtt, fmt.Errorf("%s: the session did not end after q; the screen:\n%s", name, c.out.now())
	}
}

// TestManySessionsNeverLoseANoteOrShareACall runs many agents at once over
// loopback SSH, each claiming, writing a note and wrapping up: every note
// is stored once, no callback is handed out twice. It has a deadline so a
// hang fails it; how fast it runs is BenchmarkSessions's business.
func TestManySessionsNeverLoseANoteOrShareACall(t *testing.T) {
	n := sessionsToTest(t)
	f := newFixture(t, n)
	addPoolWork(t, f, n+20)
	deadline := time.AfterFunc(4*time.Minute, func() { panic("the load test did not finish in 4 minutes") })
	defer deadline.Stop()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := work(t, f, fmt.Sprintf("agent%03d", i), 0, nil); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i := range n {
		var notes int
		f.d.Read.QueryRow(`SELECT count(*) FROM interactions WHERE body = ?`, fmt.Sprintf("load note agent%03d", i)).Scan(&notes)
		if notes != 1 {
			t.Errorf("agent%03d's note stored %d times", i, notes)
		}
	}
	var shared int
	f.d.Read.QueryRow(`SELECT count(*) FROM (SELECT entity_id FROM audit_log WHERE entity = 'callback' AND action = 'claim'
		GROUP BY entity_id HAVING count(DISTINCT actor) > 1)`).Scan(&shared)
	if shared != 0 {
		t.Errorf("%d callbacks were claimed by more than one agent", shared)
	}
	var wrapped int
	f.d.Read.QueryRow(`SELECT count(*) FROM callbacks WHERE reason = 'load test' AND state = 'done'`).Scan(&wrapped)
	if wrapped != n {
		t.Errorf("%d callbacks wrapped up by %d agents", wrapped, n)
	}
}

// phases hold the benchmark's sessions together: all log in, all type,
// all work.
type phases struct {
	logged, typed   sync.WaitGroup
	typing, working chan struct{}
	stalled         sync.Once
	dump            func()
}

// BenchmarkSessions runs the real `dangol serve` as its own process and
// logs 100 agents in over loopback SSH. It reports the server's resident
// memory per session (its RSS with every session open, less its RSS
// before the first, over 100) and a keystroke's round trip (a key sent to
// the console's answer arriving), with every agent typing at once at a
// brisk human pace (a key every 100 to 300 ms, each at their own moments):
//
//	go test ./serve -run X -bench Sessions -benchtime 1x
//
// The clients run in the benchmark's process, on the same cores as the
// server: their SSH encryption is in the round trips, their terminal
// emulators are not (a screen is parsed only when a step looks at it).
func BenchmarkSessions(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "dangol")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/dangol").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	sessions := loadSessions
	if v := os.Getenv("DANGOL_SESSIONS"); v != "" { // fewer or more, to see the curve
		sessions, _ = strconv.Atoi(v)
	}
	for range b.N {
		f := newFixture(b, sessions)
		addPoolWork(b, f, sessions+20)
		srv := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--db", f.d.Target,
			"--host-key", filepath.Join(b.TempDir(), "host_ed25519"), "--lang", "en")
		stderr, err := srv.StderrPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := srv.Start(); err != nil {
			b.Fatal(err)
		}
		errs := bufio.NewReader(stderr)
		line, err := errs.ReadString('\n')
		addr := regexp.MustCompile(`on (127\.0\.0\.1:\d+)`).FindStringSubmatch(line)
		if err != nil || addr == nil {
			srv.Process.Kill()
			b.Fatalf("dangol serve said %q (%v)", line, err)
		}
		// the rest of what the server says is read too: a pipe nobody
		// reads fills, and then every write to it waits
		var said bytes.Buffer
		saidDone := make(chan struct{})
		go func() { io.Copy(&said, errs); close(saidDone) }()
		f.addr = addr[1] // the clients dial the real server, not the fixture's
		idle := bench.RSSKB(srv.Process.Pid)

		var mu sync.Mutex
		var rtt []time.Duration
		var wg sync.WaitGroup
		ph := &phases{typing: make(chan struct{}), working: make(chan struct{})}
		if dir := os.Getenv("DANGOL_STACKS"); dir != "" { // where a stall's goroutines go
			ph.dump = func() {
				f, _ := os.Create(filepath.Join(dir, "client.txt"))
				pprof.Lookup("goroutine").WriteTo(f, 2)
				f.Close()
				srv.Process.Signal(syscall.SIGQUIT) // the server prints its own and exits
			}
		}
		ph.logged.Add(sessions)
		ph.typed.Add(sessions)
		for i := range sessions {
			wg.Go(func() {
				d, err := work(b, f, fmt.Sprintf("agent%03d", i), 40, ph)
				if err != nil {
					b.Error(err)
				}
				mu.Lock()
				rtt = append(rtt, d...)
				mu.Unlock()
			})
		}
		ph.logged.Wait()
		full := bench.RSSKB(srv.Process.Pid)
		// While they type, the floor goes on: a callback added every
		// second by another process, which every console reloads.
		floor := make(chan struct{})
		go func() {
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for k := sessions + 20; ; k++ {
				select {
				case <-floor:
					return
				case <-tick.C:
					addPoolWorkFrom(b, f, 1, k)
				}
			}
		}()
		close(ph.typing)
		ph.typed.Wait()
		close(floor)
		close(ph.working)
		wg.Wait()
		srv.Process.Signal(os.Interrupt)
		srv.Wait()
		<-saidDone
		if dir := os.Getenv("DANGOL_STACKS"); dir != "" {
			os.WriteFile(filepath.Join(dir, "server.txt"), said.Bytes(), 0o644)
		}
		if said.Len() > 0 {
			b.Logf("dangol serve wrote %d bytes to stderr after its first line; the first: %.300s", said.Len(), said.String())
		}
		if b.Failed() { // what the server said went wrong
			log, _ := os.ReadFile(filepath.Join(filepath.Dir(f.d.Path), "dangol.log"))
			if dir := os.Getenv("DANGOL_STACKS"); dir != "" {
				os.WriteFile(filepath.Join(dir, "dangol.log"), log, 0o644)
			}
			for _, line := range strings.Split(string(log), "\n") {
				if strings.Contains(line, "ERROR") || strings.Contains(line, "WARN") {
					b.Log(line)
				}
			}
		}
		b.ReportMetric(float64(full-idle)/float64(sessions)/1024, "MB/session")
		b.ReportMetric(float64(full)/1024, "server-MB")
		b.ReportMetric(float64(bench.Percentile(rtt, 50).Microseconds())/1000, "rtt-p50-ms")
		b.ReportMetric(float64(bench.Percentile(rtt, 99).Microseconds())/1000, "rtt-p99-ms")
		b.ReportMetric(0, "ns/op")
	}
}

// trail is what the database holds of what an agent did, for a failure's
// message: the audit rows of their callbacks, and each one's state.
func trail(f *fixture, name string) string {
	rows, err := f.d.Read.Query(`SELECT a.entity_id, a.actor, a.action, a.from_value, a.to_value, a.at, cb.state,
			coalesce((SELECT g.name FROM agents g WHERE g.id = cb.claimed_by), '')
		FROM audit_log a JOIN callbacks cb ON cb.id = a.entity_id
		WHERE a.entity = 'callback' AND a.entity_id IN (SELECT entity_id FROM audit_log WHERE entity = 'callback' AND actor = ?)
		ORDER BY a.id`, name)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, at int64
		var actor, action, from, to, state, holder string
		if err := rows.Scan(&id, &actor, &action, &from, &to, &at, &state, &holder); err != nil {
			return err.Error()
		}
		fmt.Fprintf(&b, "callback %d (now %s %s): %s %s %s → %s at %d\n", id, state, holder, actor, action, from, to, at)
	}
	return b.String()
}
