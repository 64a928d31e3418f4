// Package bench measures what agents feel on a large, realistic database:
// start-up, keystrokes, search, the customer 360, claims beside raw
// updates, claims past blocked callbacks and a dialer's claim. Each figure
// is taken on the same file in the same run as its baseline, so a busy
// machine slows both alike. `dangol bench` prints the result; it fails
// only when a callback was handed out twice, never on a timing.
//
// The database is built once (customers and history by crm.Seed, open
// callbacks in bulk) and reused while its numbers match. Every run puts
// it back as it found it: the callbacks and audit rows a run adds are
// removed at its end, or at the next start if it was stopped.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
)

// Groups are the figures a run can be limited to (--only).
var Groups = []string{"startup", "keystroke", "draw", "search", "c360", "claim", "blocked", "besttime", "dialer", "ssh", "import"}

// Options say what to build and what to measure.
type Options struct {
	Path         string    // the bench database
	Customers    int       // customers in it
	Interactions int       // interactions in all
	Callbacks    int       // open callbacks, half minji's and half the pool's
	Only         []string  // figures to measure (Groups); empty: all
	Binary       string    // the dangol executable, for start-up and the dialer
	Samples      int       // latency samples per figure
	ImportRows   int       // rows of the generated file the import figure imports
	Write        bool      // a file the bench did not build may be written (its callbacks added, then removed)
	Sized        bool      // the numbers were asked for (else a built file's own are used)
	Rebuild      bool      // a file built with other numbers may be built again
	Progress     io.Writer // where building and measuring say what they do
}

// Result is one run's figures; a zero figure was not measured.
type Result struct {
	When         time.Time `json:"when"`
	Customers    int       `json:"customers"`
	Interactions int       `json:"interactions"`
	Callbacks    int       `json:"callbacks"`
	Built        bool      `json:"built"` // the database was built by this run

	StartupMs      float64 `json:"startup_ms,omitempty"`
	StartupEmptyMs float64 `json:"startup_empty_ms,omitempty"`
	StartupTeamMs  float64 `json:"startup_team_ms,omitempty"`
	// StartupTeamEmptyMs is StartupTeamMs on the new demo-sized file.
	StartupTeamEmptyMs float64            `json:"startup_team_empty_ms,omitempty"`
	RSSMB              float64            `json:"rss_mb,omitempty"`
	RSSTeamMB          float64            `json:"rss_team_mb,omitempty"`
	KeyP50Ms           float64            `json:"keystroke_ms_p50,omitempty"`
	KeyP99Ms           float64            `json:"keystroke_ms_p99,omitempty"`
	Key360P99          float64            `json:"keystroke_360_ms_p99,omitempty"`
	SearchP99          map[string]float64 `json:"search_ms_p99,omitempty"`
	SearchBase         float64            `json:"search_baseline_ms_p99,omitempty"`
	C360P99            float64            `json:"c360_ms_p99,omitempty"`

	ClaimPerS         float64 `json:"claim_per_s,omitempty"`
	RawPerS           float64 `json:"raw_update_per_s,omitempty"`
	ClaimTwoNodesPerS float64 `json:"claim_two_nodes_per_s,omitempty"` // PostgreSQL: 32 claimers on each of two nodes
	ClaimBlockedPerS  float64 `json:"claim_blocked_per_s,omitempty"`
	RawBlockedPerS    float64 `json:"raw_update_blocked_per_s,omitempty"`
	ClaimBestPerS     float64 `json:"claim_best_time_first_per_s,omitempty"` // policy.best_time_first on
	RawBestPerS       float64 `json:"raw_update_best_time_first_per_s,omitempty"`
	DoubleClaims      int     `json:"double_claims"`
	ClaimProcessMs    float64 `json:"claim_process_ms,omitempty"`

	// The real console's key to frame, with a floor process claiming.
	DrawNextP50   float64 `json:"draw_next_ms_p50,omitempty"`
	DrawNextP99   float64 `json:"draw_next_ms_p99,omitempty"`
	DrawEndP99    float64 `json:"draw_end_ms_p99,omitempty"`
	DrawSearchP99 float64 `json:"draw_search_ms_p99,omitempty"`
	DrawClaimP50  float64 `json:"draw_claim_ms_p50,omitempty"`
	DrawClaimP99  float64 `json:"draw_claim_ms_p99,omitempty"`
	DrawWrapupP50 float64 `json:"draw_wrapup_ms_p50,omitempty"`
	DrawWrapupP99 float64 `json:"draw_wrapup_ms_p99,omitempty"`
	CommitP99     float64 `json:"commit_ms_p99,omitempty"`

	// The SSH floor: key to echo p99 by number of sessions ("1", "40",
	// "100"), and the server's memory.
	SSHEchoP99          map[string]float64 `json:"ssh_echo_ms_p99,omitempty"`
	SSHP99Ratio         float64            `json:"ssh_p99_ratio,omitempty"`
	SSHMBPerSession     float64            `json:"ssh_mb_per_session,omitempty"`
	SSHMBPerSessionIdle float64            `json:"ssh_mb_per_session_idle,omitempty"`
	SSHMBAfter          float64            `json:"ssh_mb_after_end,omitempty"`
	SSHFirstDrawMs      float64            `json:"ssh_first_queue_ms,omitempty"`
	SSHLastDrawMs       float64            `json:"ssh_100th_queue_ms,omitempty"`
	SSHShiftMaxMs       float64            `json:"ssh_shift_start_max_ms,omitempty"`

	// Import of generated rows into a new file, beside the floor: the same
	// rows written by the import's statements with nothing read or parsed.
	ImportRowsPerS      float64 `json:"import_rows_per_s,omitempty"`
	ImportFloorRowsPerS float64 `json:"import_floor_rows_per_s,omitempty"`
	ImportFloorRatio    float64 `json:"import_floor_ratio,omitempty"`
	ImportMB            float64 `json:"import_mb,omitempty"`
	ClaimFollowMs       float64 `json:"claim_follow_ms,omitempty"`
}

// Run builds or reuses the database and measures the chosen figures.
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Samples <= 0 {
		o.Samples = 500
	}
	if o.ImportRows <= 0 {
		o.ImportRows = 1_000_000
	}
	chosen := o.Only
	if len(chosen) == 0 {
		chosen = Groups
	}
	want := func(g string) bool { return slices.Contains(chosen, g) }
	if (want("startup") || want("dialer") || want("draw") || want("ssh") || want("import")) && o.Binary == "" {
		return Result{}, errors.New("bench: start-up and the dialer need the dangol binary (Options.Binary)")
	}
	f, built, err := open(ctx, o)
	if f != nil {
		o = f.o
	}
	if err != nil {
		return Result{}, err
	}
	defer f.close()
	r := Result{When: time.Now(), Customers: o.Customers, Interactions: o.Interactions, Callbacks: o.Callbacks, Built: built}
	if f.readOnly {
		var skipped, reads []string
		for _, g := range chosen {
			if slices.Contains(ReadGroups, g) {
				reads = append(reads, g)
			} else {
				skipped = append(skipped, g)
			}
		}
		if len(skipped) > 0 {
			fmt.Fprintf(o.Progress, "bench: not measured on a file opened read-only: %s\n", strings.Join(skipped, ", "))
		}
		chosen = reads
	} else if err := f.mark(ctx); err != nil {
		return r, err
	}
	steps := []struct {
		group string
		run   func(context.Context, *Result) error
	}{
		{"startup", f.startup},
		{"keystroke", f.keystrokes},
		{"draw", f.draw},
		{"search", f.search},
		{"c360", f.customer360},
		{"claim", f.claims},
		{"blocked", f.claimsBlocked},
		{"besttime", f.claimsBestFirst},
		{"dialer", f.dialer},
		{"ssh", f.sshFloor},
		{"import", f.importFloor},
	}
	var runErr error
	for _, s := range steps {
		if !want(s.group) {
			continue
		}
		fmt.Fprintf(o.Progress, "bench: measuring %s\n", s.group)
		if runErr = s.run(ctx, &r); runErr != nil {
			runErr = fmt.Errorf("bench %s: %w", s.group, runErr)
			break
		}
	}
	// The file goes back as it was, whatever happened above.
	if f.readOnly {
		return r, runErr
	}
	if err := f.cleanup(context.WithoutCancel(ctx)); err != nil && runErr == nil {
		runErr = err
	}
	return r, runErr
}

// scratch makes a directory for a figure's own files (a host key, an
// import's file and database), removed by the caller: beside the bench
// file, or in the temporary directory when the bench database is a
// server's.
func (f *fixture) scratch(prefix string) (string, error) {
	dir := ""
	if !db.IsServer(f.o.Path) {
		dir = filepath.Dir(f.o.Path)
	}
	return os.MkdirTemp(dir, prefix)
}

// Percentile is the p-th percentile (0-100) of ds, which it sorts.
func Percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[min(len(ds)-1, len(ds)*p/100)]
}

// ms is a duration in milliseconds.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
