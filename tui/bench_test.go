package tui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/dangol/dangol/tui/kit"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// BenchmarkFirstFrame measures start-up to the first full frame of the
// console: open the database, load the policy, build the app, load the
// queue, the drafts and the reminders, and draw. It runs on the file in
// DANGOL_BENCH_DB (a million customers: `dangol seed --customers 1000000
// --interactions 5000000`), or else on a fresh demo database.
func BenchmarkFirstFrame(b *testing.B) {
	path := os.Getenv("DANGOL_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "first.db")
		newTestCommonAt(b, path)
	}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		d, err := db.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		c := crm.New(d)
		q := queue.New(d, c)
		if _, err := q.LoadPolicy(ctx); err != nil {
			b.Fatal(err)
		}
		agent, err := c.AgentByName(ctx, "minji")
		if err != nil {
			b.Fatal(err)
		}
		com := kit.NewCommon(ctx, c, q, agent, kit.Korean, nil)
		com.Clock = &fakeClock{now: testNow}
		a := NewApp(com)
		a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		drafts, _ := c.Drafts(ctx, agent.ID)
		a.Update(a.work.Queue.Load()())
		a.Update(kit.DraftsLoadedMsg{Drafts: drafts})
		a.Update(a.reminders.Check()())
		if v := a.View(); len(v.Content) == 0 {
			b.Fatal("empty frame")
		}
		lat = append(lat, time.Since(start))
		a.Close()
		d.Close()
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// newTestCommonAt is newTestCommon on a given file.
func newTestCommonAt(t testing.TB, path string) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	c := crm.New(d)
	if err := c.Seed(ctx, crm.SeedOptions{Customers: 300, Now: testNow, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	if err := queue.New(d, c).SeedDemo(ctx, testNow, 7); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkAFrameDrawnAndDiffed measures what Bubble Tea's renderer does
// with each frame of a cursor move in a Korean queue at 120×40: the view
// parsed into cells, compared with the screen, the changes written
// (third_party/ultraviolet/PATCHED.md):
//
//	go test ./tui -run X -bench FrameDrawn
func BenchmarkAFrameDrawnAndDiffed(b *testing.B) {
	a := NewApp(newTestCommon(b, kit.Korean))
	run(b, a, tea.WindowSizeMsg{Width: 120, Height: 40})
	run(b, a, a.work.Queue.Load()())
	var views []string
	for _, k := range []string{"j", "k"} {
		a.Update(press(k))
		views = append(views, a.View().Content)
	}
	var out bytes.Buffer
	scr := uv.NewTerminalRenderer(&out, nil)
	scr.SetFullscreen(true)
	scr.SetScrollOptim(true) // as Bubble Tea sets it
	scr.Resize(120, 40)
	buf := uv.NewScreenBuffer(120, 40)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Clear() // as Bubble Tea does before drawing a frame
		uv.NewStyledString(views[i%2]).Draw(buf, buf.Bounds())
		scr.Render(buf.RenderBuffer)
		if err := scr.Flush(); err != nil {
			b.Fatal(err)
		}
		out.Reset()
	}
}

// BenchmarkACursorMove measures a cursor move in a Korean queue at 120×40:
// the key handled and the frame drawn (not yet turned into cells; see
// BenchmarkAFrameDrawnAndDiffed). Its garbage is what makes a server of a
// hundred consoles collect (BENCHMARKS.md):
//
//	go test ./tui -run X -bench CursorMove -benchmem
func BenchmarkACursorMove(b *testing.B) {
	a := NewApp(newTestCommon(b, kit.Korean))
	run(b, a, tea.WindowSizeMsg{Width: 120, Height: 40})
	run(b, a, a.work.Queue.Load()())
	keys := []tea.KeyPressMsg{press("j"), press("k")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.Update(keys[i%2])
		if len(a.View().Content) == 0 {
			b.Fatal("empty frame")
		}
	}
}

// BenchmarkAReloadThatChangesNothing measures a console taking a reloaded
// queue that shows what it showed (every console of a server reloads when
// anything changes elsewhere) and drawing its frame, in a Korean queue at
// 120×40:
//
//	go test ./tui -run X -bench ReloadThatChangesNothing -benchmem
func BenchmarkAReloadThatChangesNothing(b *testing.B) {
	a := NewApp(newTestCommon(b, kit.Korean))
	run(b, a, tea.WindowSizeMsg{Width: 120, Height: 40})
	loaded := a.work.Queue.Load()().(kit.WindowMsg)
	run(b, a, loaded)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		loaded.Req.ID = a.work.Queue.Win.ReqID // the answer to the latest load
		a.Update(loaded)
		if len(a.View().Content) == 0 {
			b.Fatal("empty frame")
		}
	}
}
