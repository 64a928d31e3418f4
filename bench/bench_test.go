package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// small is a bench database a test can build in seconds.
func small(path string) Options {
	return Options{Path: path, Customers: 300, Interactions: 600, Callbacks: 200, Samples: 20,
		Only: []string{"keystroke", "search", "c360", "claim", "blocked", "besttime"}}
}

// state is what a run must leave as it found it.
type state struct {
	Callbacks, Open, Claimed, Audit int
	Mark                            int
	Sum                             int64
}

func stateOf(t *testing.T, path string) state {
	t.Helper()
	d, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var s state
	err = d.QueryRow(`SELECT count(*), coalesce(sum(state IN ('scheduled', 'claimed')), 0), coalesce(sum(state = 'claimed'), 0),
		coalesce(sum(id * priority + due_at + coalesce(owner_id, 0)), 0),
		(SELECT count(*) FROM audit_log), (SELECT count(*) FROM meta WHERE key = 'bench.mark') FROM callbacks`).
		Scan(&s.Callbacks, &s.Open, &s.Claimed, &s.Sum, &s.Audit, &s.Mark)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestARunMeasuresAndLeavesTheFileAsItFoundIt(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.db")
	var progress bytes.Buffer
	o := small(path)
	o.Progress = &progress
	r, err := Run(ctx, o)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	if !r.Built {
		t.Error("a new file was not reported as built")
	}
	if r.DoubleClaims != 0 {
		t.Errorf("%d callbacks handed out twice", r.DoubleClaims)
	}
	for name, v := range map[string]float64{"keystroke p99": r.KeyP99Ms, "keystroke 360 p99": r.Key360P99, "c360": r.C360P99,
		"claims/s": r.ClaimPerS, "raw/s": r.RawPerS, "blocked claims/s": r.ClaimBlockedPerS, "search baseline": r.SearchBase} {
		if v <= 0 {
			t.Errorf("%s was not measured (%v)", name, v)
		}
	}
	for _, k := range searchKinds {
		if r.SearchP99[k] <= 0 {
			t.Errorf("search %s was not measured", k)
		}
	}
	if r.StartupMs != 0 || r.ClaimProcessMs != 0 {
		t.Error("figures not asked for were measured")
	}
	built := stateOf(t, path)
	if built.Open != 200 || built.Claimed != 0 || built.Mark != 0 {
		t.Errorf("after the first run: %+v, want the 200 open callbacks built and nothing claimed", built)
	}

	// A second run reuses the file and leaves it exactly as it was.
	progress.Reset()
	r, err = Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Built || !strings.Contains(progress.String(), "reusing") {
		t.Errorf("the second run built the file again: %s", progress.String())
	}
	if got := stateOf(t, path); got != built {
		t.Errorf("a run changed the file: before %+v, after %+v", built, got)
	}
	var table bytes.Buffer
	if err := r.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"keystroke j, p99", "search p99: last4", "claims/s, 5,000 blocked ahead", "claims/s, best time first", "callbacks handed out twice"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("the table has no %q:\n%s", want, table.String())
		}
	}
}

// built is a small bench database built by a quick run (the 360 only).
func built(t *testing.T) (Options, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bench.db")
	o := small(path)
	o.Only = []string{"c360"}
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	return o, path
}

func TestAStoppedRunsRowsAreRemovedAtTheNextStart(t *testing.T) {
	ctx := context.Background()
	o, path := built(t)
	before := stateOf(t, path)
	// A run that marks, adds and claims, then stops without cleaning up.
	f, _, err := open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.mark(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.add(ctx, 50, 1, time.Now().Add(-time.Hour).Unix(), anyHour); err != nil {
		t.Fatal(err)
	}
	if _, err := f.q.ClaimNext(ctx, f.minji); err != nil {
		t.Fatal(err)
	}
	f.close()
	if stopped := stateOf(t, path); stopped.Callbacks != before.Callbacks+50 || stopped.Mark != 1 {
		t.Fatalf("the stopped run left %+v", stopped)
	}
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	if got := stateOf(t, path); got != before {
		t.Errorf("the next run did not remove the stopped run's rows: before %+v, after %+v", before, got)
	}
}

func TestAFileThatIsNotABenchDatabaseIsOnlyRead(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crm.db")
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := crm.New(d).Seed(ctx, crm.SeedOptions{Customers: 50, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	d.Close()
	sum := func() [32]byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b)
	}
	was := sum()
	var said bytes.Buffer
	o := small(path)
	o.Progress = &said
	r, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.SearchP99) == 0 || r.C360P99 == 0 || r.ClaimPerS != 0 || r.KeyP99Ms != 0 {
		t.Errorf("a file the bench did not build: only the figures that read, got %+v", r)
	}
	if s := said.String(); !strings.Contains(s, "was not built by the bench (50 customers") || !strings.Contains(s, "--write") ||
		!strings.Contains(s, "not measured on a file opened read-only: keystroke, claim, blocked") {
		t.Errorf("the bench should say what it found and what it left out:\n%s", s)
	}
	if sum() != was {
		t.Error("the file was changed")
	}
}

func TestAHalfBuiltFileIsBuiltAgain(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bench.db")
	o := small(path)
	// A build stopped halfway: the customers are there, the marker of a
	// finished build is not. It stops as it says it begins the callbacks,
	// after the customers are committed.
	stopped, cancel := context.WithCancel(ctx)
	o.Progress = cancelOn{text: "open callbacks", cancel: cancel}
	f, err := openFile(stopped, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.build(stopped, "customers=300 interactions=600 callbacks=200"); err == nil {
		t.Fatal("the build was not stopped")
	}
	f.close()
	var said bytes.Buffer
	o.Progress = &said
	r, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Built || !strings.Contains(said.String(), "left half-built") {
		t.Errorf("a half-built file should be built again, saying so (built %v):\n%s", r.Built, said.String())
	}
	if got := stateOf(t, path); got.Open != 200 {
		t.Errorf("%d open callbacks after the build, want 200", got.Open)
	}
}

func TestAFileBuiltWithOtherNumbersIsKeptUnlessRebuildIsAsked(t *testing.T) {
	ctx := context.Background()
	o, path := built(t)
	before := stateOf(t, path)

	// Other numbers asked for: refused, the file as it was.
	other := o
	other.Callbacks, other.Sized = 150, true
	if _, err := Run(ctx, other); err == nil || !strings.Contains(err.Error(), "--rebuild") {
		t.Fatalf("other numbers on a built file: %v, want a refusal naming --rebuild", err)
	}
	if got := stateOf(t, path); got != before {
		t.Fatalf("a refused run changed the file: %+v, was %+v", got, before)
	}

	// No numbers asked for: measured at the file's own.
	asIs := o
	asIs.Customers, asIs.Interactions, asIs.Callbacks = 100_000, 500_000, 100_000
	r, err := Run(ctx, asIs)
	if err != nil {
		t.Fatal(err)
	}
	if r.Built || r.Customers != o.Customers || r.Callbacks != o.Callbacks {
		t.Errorf("built %v, %d customers %d callbacks; want the file's own %d and %d, reused",
			r.Built, r.Customers, r.Callbacks, o.Customers, o.Callbacks)
	}

	// A file an older bench built (before the planted habits): refused
	// as it is, and the refusal says how to build it again.
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Exec(`UPDATE meta SET value = 'customers=300 interactions=600 callbacks=200' WHERE key = ?`, metaBuilt)
	d.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, asIs); err == nil || !strings.Contains(err.Error(), "older bench") || !strings.Contains(err.Error(), "--rebuild") {
		t.Errorf("a file of an older fixture: %v, want a refusal naming --rebuild", err)
	}

	// --rebuild: built again with the numbers asked for.
	other.Rebuild = true
	if r, err = Run(ctx, other); err != nil {
		t.Fatal(err)
	}
	if got := stateOf(t, path); !r.Built || got.Open != 150 {
		t.Errorf("built %v with %d open callbacks, want a new file with 150", r.Built, got.Open)
	}
}

// cancelOn is a progress writer that cancels when a line holds text.
type cancelOn struct {
	text   string
	cancel context.CancelFunc
}

func (c cancelOn) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(c.text)) {
		c.cancel()
	}
	return len(p), nil
}
