package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// term is a console as an agent sees it: what its program writes goes
// through a terminal emulator, and a figure is the time from a key
// written to the screen showing what the key asked for. The emulator
// answers the console's terminal queries (background colour, size) as a
// real terminal does.
type term struct {
	mu      sync.Mutex
	vt      *vt.Emulator
	pending []byte // written, not yet parsed: parsed when the screen is looked at
	n       int    // bytes written in all
	wrote   chan struct{}
	in      io.Writer // the program's input
	inMu    sync.Mutex
	stop    func() error
	pid     int
}

func newTerm(cols, rows int) *term {
	return &term{vt: vt.NewEmulator(cols, rows), wrote: make(chan struct{}, 1)}
}

// Write takes the program's output.
func (t *term) Write(p []byte) (int, error) {
	t.mu.Lock()
	t.n += len(p)
	t.pending = append(t.pending, p...)
	t.mu.Unlock()
	select {
	case t.wrote <- struct{}{}:
	default:
	}
	return len(p), nil
}

// screen is the emulator's screen now.
func (t *term) screen() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.pending) > 0 {
		_, _ = t.vt.Write(t.pending)
		t.pending = t.pending[:0]
	}
	return t.vt.String()
}

// written is how many bytes the program has written.
func (t *term) written() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// send types keys.
func (t *term) send(keys string) error {
	t.inMu.Lock()
	defer t.inMu.Unlock()
	_, err := io.WriteString(t.in, keys)
	return err
}

// until waits for cond on the screen, looking again after each write,
// and says how long it took; an error when patience runs out.
func (t *term) until(patience time.Duration, what string, cond func(screen string) bool) (time.Duration, error) {
	start := time.Now()
	deadline := time.NewTimer(patience)
	defer deadline.Stop()
	for {
		s := t.screen()
		if cond(s) {
			return time.Since(start), nil
		}
		select {
		case <-t.wrote:
		case <-deadline.C:
			if s = t.screen(); cond(s) {
				return time.Since(start), nil
			}
			return 0, fmt.Errorf("%s: not on screen within %s; the screen:\n%s", what, patience, lastLines(s, 45))
		}
	}
}

// press types keys and waits for cond: the key-to-frame time.
func (t *term) press(keys, what string, cond func(string) bool) (time.Duration, error) {
	start := time.Now()
	if err := t.send(keys); err != nil {
		return 0, err
	}
	if _, err := t.until(30*time.Second, what, cond); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// answer forwards the emulator's answers to the program's input.
func (t *term) answer() {
	go func() {
		buf := make([]byte, 1024)
		for {
			n, err := t.vt.Read(buf)
			if n > 0 {
				t.inMu.Lock()
				_, _ = t.in.Write(buf[:n])
				t.inMu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
}

// close ends the program.
func (t *term) close() error {
	if t.stop == nil {
		return nil
	}
	err := t.stop()
	_ = t.vt.Close()
	return err
}

// startConsole execs the dangol console in a pseudo-terminal of cols×rows
// with args, its screen in an emulator.
func startConsole(ctx context.Context, binary string, cols, rows int, args ...string) (*term, error) {
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "COLORTERM=truecolor")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		return nil, err
	}
	t := newTerm(cols, rows)
	t.in, t.pid = tty, cmd.Process.Pid
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(t, tty); close(copied) }()
	t.answer()
	t.stop = func() error {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		err := cmd.Wait()
		tty.Close()
		<-copied
		return err
	}
	return t, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
