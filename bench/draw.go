package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"
)

// The real console's frames, as an agent sees them: keys typed into its
// pseudo-terminal, each timed until the screen shows what it asked for
// (the frame wait included), while another process claims and wraps up
// callbacks the whole time, as a floor never is quiet.

// queueTitle is the queue's title with the cursor's place and the list's length.
var queueTitle = regexp.MustCompile(`콜백 대기열 ([0-9,]+)/([0-9,]+)`)

// onCall is the header's call held, with its number.
var onCall = regexp.MustCompile(`▶ 통화 중: (.*) #([0-9]+)`)

// unreadRow is a row of the queue not read yet: its first cell says "…".
var unreadRow = regexp.MustCompile(`(?m)^│ +… +│`)

// searchBox is the search box's title in its frame (the help line says
// "/ 고객 찾기" too).
const searchBox = "│  고객 찾기"

// floorRate is how many callbacks the floor's process claims and wraps up
// a second while the console is measured.
var floorRate = 10

// draw measures, in the real console of minji at 120×40: j (the next
// row), G and g (the end and the top of the queue), each character of
// searches until their results show, N until the claimed customer's 360
// shows, and w 1 until the queue shows the call done; beside a durable
// commit of the same file, timed in the same run.
func (f *fixture) draw(ctx context.Context, r *Result) error {
	n := max(20, f.o.Samples/5)
	// Callable work for N, and junho's own for the floor (so the floor
	// changes the file but not the rows minji's queue lists): due three
	// days ago, any hour.
	due := time.Now().Add(-72 * time.Hour).Unix()
	if _, err := f.add(ctx, 2*n, 1, due, anyHour); err != nil {
		return err
	}
	junho, err := f.crm.AgentByName(ctx, "junho")
	if err != nil {
		return err
	}
	if _, err := f.addFor(ctx, junho.ID, floorRate*300, 1, due, anyHour); err != nil {
		return err
	}
	if os.Getenv("DANGOL_BENCH_NOFLOOR") != "" {
		floorRate = 0
	}
	floorCtx, stopFloor := context.WithCancel(ctx)
	floorDone, err := f.floor(floorCtx)
	if err != nil {
		stopFloor()
		return err
	}
	defer func() { stopFloor(); <-floorDone }()

	t, err := startConsole(ctx, f.o.Binary, 120, 40, "--db", f.o.Path, "--agent", "minji", "--lang", "ko")
	if err != nil {
		return err
	}
	defer t.close()
	if _, err := t.until(time.Minute, "the first frame", func(s string) bool { return firstFrame.MatchString(s) }); err != nil {
		return err
	}
	if strings.Contains(t.screen(), "놓친 알림") { // the login list of missed reminders
		if _, err := t.press("\x1b", "the login list closed", func(s string) bool { return !strings.Contains(s, "놓친 알림") }); err != nil {
			return err
		}
	}
	var lat []time.Duration
	// j: the next row.
	for i := range f.o.Samples {
		want := fmt.Sprintf("콜백 대기열 %s/", thousands(i+2))
		d, err := t.press("j", "j", func(s string) bool { return strings.Contains(s, want) && !unreadRow.MatchString(s) })
		if err != nil {
			return err
		}
		lat = append(lat, d)
	}
	r.DrawNextP50, r.DrawNextP99 = ms(Percentile(lat, 50)), ms(Percentile(lat, 99))
	// G and g, in turn.
	lat = lat[:0]
	for i := range n {
		key, at := "G", func(m []string) bool { return m[1] == m[2] }
		if i%2 == 1 {
			key, at = "g", func(m []string) bool { return m[1] == "1" }
		}
		d, err := t.press(key, key, func(s string) bool {
			m := queueTitle.FindStringSubmatch(s)
			return m != nil && at(m) && !unreadRow.MatchString(s)
		})
		if err != nil {
			return err
		}
		lat = append(lat, d)
	}
	r.DrawEndP99 = ms(Percentile(lat, 99))
	if err := f.drawSearch(ctx, t, r, n); err != nil {
		return err
	}
	if err := f.drawCalls(t, r, n); err != nil {
		return err
	}
	r.CommitP99, err = f.rawCommits(ctx, f.o.Samples)
	return err
}

// drawSearch types searches (a Korean name's part, initials, the last
// four digits of a phone) one character at a time; each character is
// timed until the results for what is typed so far show.
func (f *fixture) drawSearch(ctx context.Context, t *term, r *Result, n int) error {
	qs, err := f.queries(ctx, n)
	if err != nil {
		return err
	}
	var lat []time.Duration
	for i := range n {
		q := []string{qs["name"][i], qs["initials"][i], qs["last4"][i]}[i%3]
		if _, err := t.press("/", "the search box", func(s string) bool { return strings.Contains(s, searchBox) }); err != nil {
			return err
		}
		// The box keeps the last search: ctrl+u empties it (its hint shows).
		if _, err := t.press("\x15", "the empty search box", func(s string) bool { return strings.Contains(s, "이름, 초성") }); err != nil {
			return err
		}
		typed := ""
		for _, ch := range q {
			typed += string(ch)
			want, err := f.searchShows(ctx, typed)
			if err != nil {
				return err
			}
			d, err := t.press(string(ch), "the results for "+typed, want)
			if err != nil {
				return err
			}
			lat = append(lat, d)
		}
		if _, err := t.press("\x1b", "the search closed", func(s string) bool { return !strings.Contains(s, searchBox) }); err != nil {
			return err
		}
	}
	r.DrawSearchP99 = ms(Percentile(lat, 99))
	return nil
}

// searchShows is what the screen shows once the results for q are drawn:
// the query in the box and the first customers found, by number.
func (f *fixture) searchShows(ctx context.Context, q string) (func(string) bool, error) {
	res, _, err := f.crm.Search(ctx, q, 16)
	if err != nil {
		return nil, err
	}
	var marks []string
	for _, c := range res[:min(len(res), 5)] {
		marks = append(marks, fmt.Sprintf("#%d ", c.ID))
	}
	if len(res) == 0 {
		marks = append(marks, "찾는 고객이 없습니다")
	}
	return func(s string) bool {
		if !strings.Contains(s, q) {
			return false
		}
		for _, m := range marks {
			if !strings.Contains(s, m) {
				return false
			}
		}
		return true
	}, nil
}

// drawCalls claims the next call with N (until its customer's 360 shows)
// and wraps it up with w 1 (until the queue shows no call held).
func (f *fixture) drawCalls(t *term, r *Result, n int) error {
	var claim, wrap []time.Duration
	last := ""
	for range n {
		d, err := t.press("N", "N: the claimed customer's 360", func(s string) bool {
			// A new call in the header, and its customer in the 360.
			m := onCall.FindStringSubmatch(s)
			if m == nil || m[2] == last || !strings.Contains(s, "││ "+m[1]+" ") || !strings.Contains(s, "포인트 ") {
				return false
			}
			last = m[2]
			return true
		})
		if err != nil {
			return err
		}
		claim = append(claim, d)
		// w opens the picker (nothing stored); 1 stores the outcome: it is
		// timed until the queue shows the call done.
		if _, err := t.press("w", "the wrap-up", func(s string) bool { return strings.Contains(s, "통화 결과 —") }); err != nil {
			return err
		}
		d, err = t.press("1", "1: the queue with no call held", func(s string) bool {
			return !strings.Contains(s, "▶ 통화 중:") && !strings.Contains(s, "통화 결과 —") && queueTitle.MatchString(s)
		})
		if err != nil {
			return err
		}
		wrap = append(wrap, d)
	}
	r.DrawClaimP50, r.DrawWrapupP50 = ms(Percentile(claim, 50)), ms(Percentile(wrap, 50))
	r.DrawClaimP99, r.DrawWrapupP99 = ms(Percentile(claim, 99)), ms(Percentile(wrap, 99))
	if os.Getenv("DANGOL_BENCH_SAMPLES") != "" {
		fmt.Fprintln(f.o.Progress, "N:", claim, "\nw 1:", wrap)
	}
	return nil
}

// rawCommits times n durable commits of one small row on the bench file:
// the floor under any write a console waits for.
func (f *fixture) rawCommits(ctx context.Context, n int) (float64, error) {
	lat := make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		if _, err := f.d.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('bench.commit', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, fmt.Sprint(i)); err != nil {
			return 0, f.d.Describe(err)
		}
		lat = append(lat, time.Since(start))
	}
	_, err := f.d.ExecContext(ctx, `DELETE FROM meta WHERE key = 'bench.commit'`)
	return ms(Percentile(lat, 99)), f.d.Describe(err)
}

// floor starts another process on the file, `queue next --follow` as
// junho, that claims and wraps up floorRate callbacks a second until ctx
// ends; the channel closes when it has.
func (f *fixture) floor(ctx context.Context) (<-chan struct{}, error) {
	cmd := exec.Command(f.o.Binary, "queue", "next", "--follow", "--db", f.o.Path, "--agent", "junho")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	var once sync.Once
	go func() {
		defer close(done)
		lines := bufio.NewReader(stdout)
		if floorRate == 0 {
			<-ctx.Done()
			_, _ = io.WriteString(stdin, "quit\n")
			stdin.Close()
			_ = cmd.Wait()
			return
		}
		tick := time.NewTicker(time.Second / time.Duration(floorRate))
		defer tick.Stop()
		ask := func(line string) (int64, error) {
			if _, err := io.WriteString(stdin, line+"\n"); err != nil {
				return 0, err
			}
			out, err := lines.ReadBytes('\n')
			if err != nil {
				return 0, err
			}
			var cb struct {
				ID    int64  `json:"id"`
				Error string `json:"error"`
			}
			if err := json.Unmarshal(out, &cb); err != nil {
				return 0, err
			}
			if cb.Error != "" {
				return 0, errors.New(cb.Error)
			}
			return cb.ID, nil
		}
		for {
			select {
			case <-ctx.Done():
				once.Do(func() { _, _ = io.WriteString(stdin, "quit\n"); stdin.Close() })
				_ = cmd.Wait()
				return
			case <-tick.C:
			}
			if id, err := ask("next"); err == nil {
				_, _ = ask(fmt.Sprintf("done %d resolved", id))
			}
		}
	}()
	return done, nil
}

// thousands writes n with commas, as the console does.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
