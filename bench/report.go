package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteJSON writes the result as one JSON object.
func (r Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// row is one line of the table: a figure, its baseline and its target.
type row struct {
	figure   string
	value    string
	baseline string
	ratio    string
	target   string
	verdict  string
}

// searchKinds is the order search figures are listed in.
var searchKinds = []string{"name", "initials", "mixed", "latin", "phone", "last4", "email"}

// rows are the measured figures, in the order of BENCHMARKS.md.
func (r Result) rows() []row {
	var out []row
	judge := func(ok bool) string {
		if ok {
			return "pass"
		}
		return "miss"
	}
	msRow := func(figure string, v, limit float64) {
		if v == 0 {
			return
		}
		rw := row{figure: figure, value: fmt.Sprintf("%.2f ms", v)}
		if limit > 0 {
			rw.target, rw.verdict = fmt.Sprintf("< %g ms", limit), judge(v < limit)
		}
		out = append(out, rw)
	}
	startRow := func(figure string, v, empty float64) {
		if v == 0 {
			return
		}
		rw := row{figure: figure, value: fmt.Sprintf("%.2f ms", v), target: "< 150 ms", verdict: judge(v < 150)}
		if empty > 0 {
			rw.baseline, rw.ratio = fmt.Sprintf("%.1f ms demo", empty), ratio(v, empty)
			rw.target, rw.verdict = "< 150 ms, ≤ 1.3× demo", judge(v < 150 && v <= 1.3*empty)
		}
		out = append(out, rw)
	}
	startRow("start: exec to first full frame (median of 5)", r.StartupMs, r.StartupEmptyMs)
	startRow("start: a supervisor to the Callbacks screen (median of 5)", r.StartupTeamMs, r.StartupTeamEmptyMs)
	for _, m := range []struct {
		figure string
		v      float64
	}{{"memory of the console at its first frame", r.RSSMB}, {"memory of a supervisor's console at the Callbacks screen", r.RSSTeamMB}} {
		if m.v > 0 {
			out = append(out, row{figure: m.figure, value: fmt.Sprintf("%.0f MB", m.v), target: "< 64 MB", verdict: judge(m.v < 64)})
		}
	}
	msRow("keystroke j in the console's model, no terminal, p50", r.KeyP50Ms, 0)
	msRow("keystroke j, p99", r.KeyP99Ms, 2)
	msRow("keystroke j with the 360 open, p99", r.Key360P99, 2)
	msRow("real console, key to frame: j, p50", r.DrawNextP50, 0)
	msRow("real console, key to frame: j, p99", r.DrawNextP99, 16)
	msRow("real console, key to frame: G and g, p99", r.DrawEndP99, 16)
	msRow("real console, key to frame: each character of a search, p99", r.DrawSearchP99, 16)
	msRow("a durable commit of one row, p99 (the floor under a write)", r.CommitP99, 0)
	writeRow := func(figure string, v float64) {
		if v == 0 {
			return
		}
		out = append(out, row{figure: figure, value: fmt.Sprintf("%.2f ms", v), baseline: fmt.Sprintf("%.2f ms commit", r.CommitP99),
			target: "≤ commit + 16 ms", verdict: judge(v <= r.CommitP99+16)})
	}
	msRow("real console: N until the claimed customer's 360, p50", r.DrawClaimP50, 0)
	writeRow("real console: N until the claimed customer's 360, p99", r.DrawClaimP99)
	msRow("real console: 1 in the wrap-up until the queue shows the call done, p50", r.DrawWrapupP50, 0)
	writeRow("real console: 1 in the wrap-up until the queue shows the call done, p99", r.DrawWrapupP99)
	for _, k := range searchKinds {
		v, ok := r.SearchP99[k]
		if !ok {
			continue
		}
		out = append(out, row{figure: "search p99: " + k, value: fmt.Sprintf("%.2f ms", v),
			baseline: fmt.Sprintf("%.1f ms", r.SearchBase), ratio: ratio(r.SearchBase, v), target: "< 10 ms", verdict: judge(v < 10)})
	}
	msRow("customer 360 p99", r.C360P99, 10)
	claimRow := func(figure string, v, raw float64) {
		if v == 0 {
			return
		}
		out = append(out, row{figure: figure, value: fmt.Sprintf("%.0f", v), baseline: fmt.Sprintf("%.0f raw", raw),
			ratio: ratio(v, raw), target: "≥ 0.5× raw", verdict: judge(v >= raw/2)})
	}
	claimRow("claims/s, 64 claimers", r.ClaimPerS, r.RawPerS)
	claimRow("claims/s, 64 claimers on two nodes", r.ClaimTwoNodesPerS, r.RawPerS)
	claimRow("claims/s, 5,000 blocked ahead", r.ClaimBlockedPerS, r.RawBlockedPerS)
	claimRow("claims/s, best time first", r.ClaimBestPerS, r.RawBestPerS)
	if r.ClaimPerS > 0 || r.ClaimBlockedPerS > 0 || r.ClaimBestPerS > 0 || r.ClaimProcessMs > 0 {
		out = append(out, row{figure: "callbacks handed out twice", value: fmt.Sprint(r.DoubleClaims), target: "0",
			verdict: judge(r.DoubleClaims == 0)})
	}
	for _, n := range []string{"1", "40", "100"} {
		if v, ok := r.SSHEchoP99[n]; ok {
			rw := row{figure: "ssh: key to echo p99, " + n + " sessions", value: fmt.Sprintf("%.2f ms", v)}
			if n == "100" {
				rw.baseline, rw.ratio = fmt.Sprintf("%.2f ms, 1", r.SSHEchoP99["1"]), fmt.Sprintf("%.2f×", r.SSHP99Ratio)
				rw.target, rw.verdict = "< 50 ms, ≤ 3× one", judge(v < 50 && r.SSHP99Ratio <= 3)
			}
			out = append(out, rw)
		}
	}
	if r.SSHMBPerSession != 0 {
		out = append(out, row{figure: "ssh: server memory per session, 100 open", value: fmt.Sprintf("%.1f MB", r.SSHMBPerSession),
			target: "< 8 MB", verdict: judge(r.SSHMBPerSession < 8)},
			row{figure: "ssh: the same after 5 s idle", value: fmt.Sprintf("%.1f MB", r.SSHMBPerSessionIdle),
				target: "< 8 MB", verdict: judge(r.SSHMBPerSessionIdle < 8)},
			row{figure: "ssh: server memory after all ended (once it settles), above its start", value: fmt.Sprintf("%.0f MB", r.SSHMBAfter)},
			row{figure: "ssh: the 100th session's first queue", value: fmt.Sprintf("%.0f ms", r.SSHLastDrawMs),
				baseline: fmt.Sprintf("%.0f ms, first", r.SSHFirstDrawMs), ratio: ratio(r.SSHLastDrawMs, r.SSHFirstDrawMs),
				target: "≤ 1.5× the first", verdict: judge(r.SSHLastDrawMs <= 1.5*r.SSHFirstDrawMs)},
			row{figure: "ssh: shift start, 100 logins in a minute: slowest first queue", value: fmt.Sprintf("%.0f ms", r.SSHShiftMaxMs),
				target: "< 1000 ms", verdict: judge(r.SSHShiftMaxMs < 1000)})
	}
	if r.ImportRowsPerS > 0 {
		out = append(out, row{figure: "import: generated rows into a new file", value: fmt.Sprintf("%.0f rows/s", r.ImportRowsPerS),
			baseline: fmt.Sprintf("%.0f rows/s floor", r.ImportFloorRowsPerS), ratio: fmt.Sprintf("%.2f×", r.ImportFloorRatio),
			target: "≥ 0.8× floor", verdict: judge(r.ImportFloorRatio >= 0.8)},
			row{figure: "import: peak memory", value: fmt.Sprintf("%.0f MB", r.ImportMB), target: "< 200 MB", verdict: judge(r.ImportMB < 200)})
	}
	msRow("dialer: one `queue next` process (median of 20)", r.ClaimProcessMs, 20)
	if r.ClaimFollowMs > 0 {
		out = append(out, row{figure: "dialer: one claim through `--follow` (median of 200)", value: fmt.Sprintf("%.2f ms", r.ClaimFollowMs),
			baseline: fmt.Sprintf("%.1f ms", r.ClaimProcessMs), ratio: ratio(r.ClaimProcessMs, r.ClaimFollowMs)})
	}
	return out
}

// ratio is a/b as "1.23×", or empty when b is zero.
func ratio(a, b float64) string {
	if b == 0 || a == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f×", a/b)
}

// WriteTable writes the result as an aligned table for people.
func (r Result) WriteTable(w io.Writer) error {
	built := "reused"
	if r.Built {
		built = "built by this run"
	}
	fmt.Fprintf(w, "dangol bench, %s: %d customers, %d interactions, %d open callbacks (database %s)\n\n",
		r.When.Format("2006-01-02 15:04"), r.Customers, r.Interactions, r.Callbacks, built)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tvalue\tbaseline\tratio\ttarget\t")
	for _, rw := range r.rows() {
		fmt.Fprintln(tw, strings.Join([]string{rw.figure, rw.value, rw.baseline, rw.ratio, rw.target, rw.verdict}, "\t"))
	}
	return tw.Flush()
}
