package main

import (
	"context"
	"io"
	"strings"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/tui/kit"

	"github.com/dangol/dangol/queue"
)

// bulkJSON is a bulk action's summary as scripts read it.
type bulkJSON struct {
	Bulk    int64         `json:"bulk,omitempty"`
	Action  string        `json:"action"`
	To      string        `json:"to,omitempty"`
	Done    []int64       `json:"done"`
	Skipped []skippedJSON `json:"skipped"`
}

type skippedJSON struct {
	ID  int64  `json:"id"`
	Why string `json:"why"`
	Who string `json:"who,omitempty"`
}

// runTeam runs the supervisor's commands: reassign, cancel, release --force.
func runTeam(ctx context.Context, cmd string, args []string, stdout io.Writer) error {
	fs := newFlags("queue " + cmd)
	dbPath := dbFlag(fs)
	as := asFlag(fs)
	var from, to, ids, reason *string
	var overdue, pool *bool
	switch cmd {
	case "reassign":
		from = fs.String("from", "", "every open callback of this agent")
		overdue = fs.Bool("overdue", false, "with --from: only the overdue ones")
		ids = fs.String("ids", "", "callback ids: 1,2,3")
		to = fs.String("to", "", "the agent to move them to")
		pool = fs.Bool("pool", false, "move them to the team pool")
	case "cancel":
		reason = fs.String("reason", "", "why (required)")
	case "release":
		fs.Bool("force", false, "free a claim another agent holds")
		reason = fs.String("reason", "", "why, for the audit and the agent")
	}
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	// Arguments first: a mistake changes nothing.
	var list []int64
	switch cmd {
	case "reassign":
		list, err = reassignArgs(*from, *to, *ids, *overdue, *pool, rest)
	case "cancel":
		if strings.TrimSpace(*reason) == "" {
			return usagef("queue cancel needs --reason TEXT")
		}
		list, err = parseIDs(rest)
	case "release":
		list, err = parseIDs(rest)
	}
	if err != nil {
		return err
	}
	d, crmSvc, q, actor, err := openAs(ctx, *dbPath, *as)
	if err != nil {
		return err
	}
	defer d.Close()
	op := queue.BulkOp{Reason: deref(reason)}
	var seen []queue.Seen
	switch cmd {
	case "reassign":
		op.Action = queue.BulkReassign
		if *to != "" {
			*to = loginOf(ctx, crmSvc, *to)
			target, err := crmSvc.AgentByName(ctx, *to)
			if err != nil {
				return usageError{err.Error()}
			}
			op.To = target.ID
		}
		if *from != "" {
			*from = loginOf(ctx, crmSvc, *from)
			seen, err = q.SeenOfAgent(ctx, actor, *from, *overdue)
		} else {
			seen, err = q.SeenNow(ctx, list)
		}
	case "cancel":
		op.Action = queue.BulkCancel
		seen, err = q.SeenNow(ctx, list)
	case "release":
		op.Action = queue.BulkRelease
		seen, err = q.SeenNow(ctx, list)
	}
	if err != nil {
		return err
	}
	res, err := q.Bulk(ctx, actor, op, seen)
	if err != nil {
		return err
	}
	return printBulk(stdout, res)
}

// printBulk is a bulk command's answer: what was done, what was skipped
// and why.
func printBulk(stdout io.Writer, res queue.BulkResult) error {
	out := bulkJSON{Bulk: res.Bulk, Action: string(res.Action), Done: res.Done, Skipped: []skippedJSON{}}
	if out.Done == nil {
		out.Done = []int64{}
	}
	if res.Action == queue.BulkReassign {
		out.To = res.To
	}
	for _, s := range res.Skipped {
		out.Skipped = append(out.Skipped, skippedJSON{ID: s.ID, Why: string(s.Why), Who: s.Who})
	}
	return jsonOut(stdout, out)
}

// reassignArgs checks reassign's arguments and reads --ids.
func reassignArgs(from, to, ids string, overdue, pool bool, rest []string) ([]int64, error) {
	switch {
	case (from == "") == (ids == ""):
		return nil, usagef("queue reassign needs either --from NAME or --ids 1,2,3")
	case pool == (to != ""):
		return nil, usagef("queue reassign needs either --to NAME or --pool")
	case overdue && from == "":
		return nil, usagef("--overdue goes with --from NAME")
	case len(rest) > 0:
		return nil, usagef("unexpected argument %q", rest[0])
	case ids == "":
		return nil, nil
	}
	return parseIDs(strings.Split(ids, ","))
}

// loginOf reads an agent named by login or by the name the floor knows
// them by (김민지, the start of one that is theirs alone) as their login;
// anything else is left for the caller to refuse.
func loginOf(ctx context.Context, s *crm.Service, name string) string {
	agents, err := s.Agents(ctx)
	if err != nil {
		return name
	}
	if login, ok := kit.Resolve(kit.AgentOptions(agents), name); ok && login != "" {
		return login
	}
	return name
}
