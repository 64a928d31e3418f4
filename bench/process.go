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
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
)

// startupRuns is how many times the console is started; the median counts.
const startupRuns = 5

// firstFrame is the queue's title with its position ("콜백 대기열 1/50,035"),
// drawn once the queue has loaded: the first full frame.
var firstFrame = regexp.MustCompile(`콜백 대기열 1/[0-9,]+`)

// teamFrame is the supervisor's Callbacks screen with its position.
var teamFrame = regexp.MustCompile(`팀 콜백 +1/[0-9,]+`)

// startup execs the console in a 120×40 pseudo-terminal until its first
// full frame, and reads its memory at that moment: minji's queue on the
// bench file, the same on a new file of the demo's size (measured in the
// same run: the start a screen's cost is judged against), and a
// supervisor's Callbacks screen (sora, 3 pressed at the first frame).
func (f *fixture) startup(ctx context.Context, r *Result) error {
	var err error
	agent := []string{"--db", f.o.Path, "--agent", "minji", "--lang", "ko"}
	if r.StartupMs, r.RSSMB, err = f.starts(ctx, agent, ""); err != nil {
		return err
	}
	team := []string{"--db", f.o.Path, "--agent", "sora", "--lang", "ko"}
	if r.StartupTeamMs, r.RSSTeamMB, err = f.starts(ctx, team, "3"); err != nil {
		return err
	}
	if db.IsServer(f.o.Path) {
		return nil // the start on a new, empty database is SQLite's (a file the console makes)
	}
	dir, err := os.MkdirTemp(filepath.Dir(f.o.Path), "bench-empty-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	empty := []string{"--db", filepath.Join(dir, "empty.db"), "--agent", "minji", "--lang", "ko"}
	if _, _, err := f.startOnce(ctx, empty, ""); err != nil { // makes the file, with the demo
		return err
	}
	if r.StartupEmptyMs, _, err = f.starts(ctx, empty, ""); err != nil {
		return err
	}
	emptyTeam := append(empty[:len(empty):len(empty)], "--agent", "sora")
	r.StartupTeamEmptyMs, _, err = f.starts(ctx, emptyTeam, "3")
	return err
}

// starts is the median start of startupRuns and the most memory seen.
func (f *fixture) starts(ctx context.Context, args []string, then string) (float64, float64, error) {
	var times []time.Duration
	var rss float64
	for range startupRuns {
		d, kb, err := f.startOnce(ctx, args, then)
		if err != nil {
			return 0, 0, err
		}
		times = append(times, d)
		rss = max(rss, float64(kb)/1024)
	}
	return ms(Percentile(times, 50)), rss, nil
}

// startOnce execs the console with args until its first full frame (then,
// when then is a key, until the screen it opens), and reads its memory.
func (f *fixture) startOnce(ctx context.Context, args []string, then string) (time.Duration, int, error) {
	start := time.Now()
	t, err := startConsole(ctx, f.o.Binary, 120, 40, args...)
	if err != nil {
		return 0, 0, err
	}
	defer t.close()
	if _, err := t.until(time.Minute, "the queue", func(s string) bool { return firstFrame.MatchString(s) }); err != nil {
		return 0, 0, err
	}
	if then != "" {
		if _, err := t.press(then, "the Callbacks screen", func(s string) bool { return teamFrame.MatchString(s) }); err != nil {
			return 0, 0, err
		}
	}
	took := time.Since(start)
	return took, RSSKB(t.pid), nil
}

// RSSKB is a process's resident memory in KiB (Linux), 0 where unknown.
func RSSKB(pid int) int { return statusKB(pid, "VmRSS:") }

// statusKB is one of a process's memory figures in /proc/PID/status, in
// KiB; 0 where unknown.
func statusKB(pid int, field string) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
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
