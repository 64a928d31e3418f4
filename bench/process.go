package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/creack/pty"
)

// startupRuns is how many times the console is started; the median counts.
const startupRuns = 5

// firstFrame is the queue's title with its position ("콜백 대기열 1/50,035"),
// drawn once the queue has loaded: the first full frame.
var firstFrame = regexp.MustCompile(`콜백 대기열 1/[0-9,]+`)

// ansi matches the terminal sequences between the frame's text.
var ansi = regexp.MustCompile(`\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[\]P_^][^\x1b\x07]*(\x07|\x1b\\)|\x1b[@-Z\\-_]`)

// startup execs the console in a 120×40 pseudo-terminal until its first
// full frame, and reads its memory at that moment.
func (f *fixture) startup(ctx context.Context, r *Result) error {
	var times []time.Duration
	var rss float64
	for range startupRuns {
		d, kb, err := f.startOnce(ctx)
		if err != nil {
			return err
		}
		times = append(times, d)
		rss = max(rss, float64(kb)/1024)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	r.StartupMs = ms(times[len(times)/2])
	r.RSSMB = rss
	return nil
}

func (f *fixture) startOnce(ctx context.Context) (time.Duration, int, error) {
	cmd := exec.CommandContext(ctx, f.o.Binary, "--db", f.o.Path, "--agent", "minji", "--lang", "ko")
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "COLORTERM=truecolor")
	start := time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 120, Rows: 40})
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _, _ = io.Copy(io.Discard, tty); close(done) }()
		_ = cmd.Wait()
		tty.Close()
		<-done
	}()
	var screen bytes.Buffer
	buf := make([]byte, 64*1024)
	deadline := time.Now().Add(time.Minute)
	_ = tty.SetReadDeadline(deadline)
	for {
		n, err := tty.Read(buf)
		screen.Write(buf[:n])
		if firstFrame.MatchString(ansi.ReplaceAllString(screen.String(), "")) {
			took := time.Since(start)
			return took, RSSKB(cmd.Process.Pid), nil
		}
		if err != nil {
			text := strings.TrimSpace(ansi.ReplaceAllString(screen.String(), ""))
			if len(text) > 400 {
				text = text[len(text)-400:]
			}
			return 0, 0, fmt.Errorf("the console showed no queue within a minute (%v); the screen ends: %q", err, text)
		}
	}
}

// RSSKB is a process's resident memory in KiB (Linux), 0 where unknown.
func RSSKB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return kb
		}
	}
	return 0
}

// processRuns and followRuns are the dialer's samples.
const (
	processRuns = 20
	followRuns  = 200
)

// dialer times one `dangol queue next` process, exec to exit, and one
// claim through a running `queue next --follow`.
func (f *fixture) dialer(ctx context.Context, r *Result) error {
	if _, err := f.add(ctx, processRuns+followRuns+10, 1, time.Now().Add(-72*time.Hour).Unix(), anyHour); err != nil {
		return err
	}
	seen := map[int64]bool{}
	claimed := func(line []byte) error {
		var cb struct {
			ID    int64  `json:"id"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal(line, &cb); err != nil || cb.ID == 0 {
			return fmt.Errorf("queue next printed %q", strings.TrimSpace(string(line)))
		}
		if seen[cb.ID] {
			r.DoubleClaims++
		}
		seen[cb.ID] = true
		return nil
	}
	var times []time.Duration
	for range processRuns {
		cmd := exec.CommandContext(ctx, f.o.Binary, "queue", "next", "--db", f.o.Path, "--agent", "minji")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		out, err := cmd.Output()
		times = append(times, time.Since(start))
		if err != nil {
			return fmt.Errorf("queue next: %v: %s", err, strings.TrimSpace(stderr.String()))
		}
		if err := claimed(out); err != nil {
			return err
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	r.ClaimProcessMs = ms(times[len(times)/2])

	cmd := exec.CommandContext(ctx, f.o.Binary, "queue", "next", "--follow", "--db", f.o.Path, "--agent", "minji")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	lines := bufio.NewReader(stdout)
	times = times[:0]
	var runErr error
	for range followRuns {
		start := time.Now()
		if _, runErr = io.WriteString(stdin, "next\n"); runErr != nil {
			break
		}
		var line []byte
		if line, runErr = lines.ReadBytes('\n'); runErr != nil {
			break
		}
		times = append(times, time.Since(start))
		if runErr = claimed(line); runErr != nil {
			break
		}
	}
	_, _ = io.WriteString(stdin, "quit\n")
	stdin.Close()
	if err := cmd.Wait(); err != nil && runErr == nil {
		runErr = fmt.Errorf("queue next --follow: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if runErr != nil {
		return runErr
	}
	if len(times) == 0 {
		return errors.New("queue next --follow answered nothing")
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	r.ClaimFollowMs = ms(times[len(times)/2])
	return nil
}
