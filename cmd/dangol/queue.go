package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// exitNothing is `queue next`'s exit code when nothing may be called now.
const exitNothing = 3

// nothingError ends a command with exitNothing.
type nothingError struct{ error }

func runQueue(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return usagef("queue needs a command: next, done, release, add, reassign or cancel (see dangol help)")
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "reassign", "cancel":
		return runTeam(ctx, cmd, args, stdout)
	case "release":
		for _, a := range args {
			if a == "--force" || a == "-force" {
				return runTeam(ctx, "release", args, stdout)
			}
		}
	}
	fs := newFlags("queue " + cmd)
	dbPath := dbFlag(fs)
	agentName := fs.String("agent", "", "the agent doing it (or, for add, the owner)")
	var as *string
	var disposition, due, note, reason, kind *string
	var customer *int64
	var priority *int
	var pool, followFlag *bool
	switch cmd {
	case "next":
		followFlag = fs.Bool("follow", false, "stay and claim once per line read on stdin (next, release ID, done ID CODE [DUE], quit), answering JSON lines")
	case "release":
	case "done":
		disposition = fs.String("disposition", "", "wrap-up code")
		due = fs.String("due", "", "next due time: 15m, 내일 오후 3시, tomorrow 3pm, 2026-12-01 14:30")
		note = fs.String("note", "", "note of the call")
	case "add":
		customer = fs.Int64("customer", 0, "customer id")
		due = fs.String("due", "", "due time")
		reason = fs.String("reason", "", "why to call")
		kind = fs.String("kind", "service", "service, complaint, sales or marketing")
		priority = fs.Int("priority", 3, "1 (most urgent) to 5")
		pool = fs.Bool("pool", false, "put it in the team pool")
		as = asFlag(fs)
	default:
		return usagef("unknown queue command %q: use next, done, release, add, reassign or cancel (see dangol help)", cmd)
	}
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	var id int64
	switch cmd {
	case "done", "release":
		if len(rest) != 1 {
			return usagef("queue %s needs one callback ID", cmd)
		}
		if id, err = strconv.ParseInt(rest[0], 10, 64); err != nil || id <= 0 {
			return usagef("callback ID %q is not a number", rest[0])
		}
	default:
		if len(rest) > 0 {
			return usagef("unexpected argument %q", rest[0])
		}
	}
	if cmd != "add" && *agentName == "" {
		return usagef("queue %s needs --agent NAME", cmd)
	}
	d, crmSvc, q, err := openWork(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	// Who is asking is checked before anything is written: a refused
	// command leaves the file as it was.
	var agent crm.Agent
	if *agentName != "" {
		if agent, err = crmSvc.AgentByName(ctx, *agentName); err != nil {
			return usageError{err.Error()}
		}
		if !agent.Active {
			return fmt.Errorf("agent %s is deactivated", agent.Name)
		}
	}
	// For add, the owner is --agent; who schedules it is --as (or the
	// machine's user), also checked before anything is written.
	var creator crm.Agent
	if cmd == "add" {
		if creator, err = resolveActor(ctx, crmSvc, *as); err != nil {
			return err
		}
	}
	if _, err := q.Sweep(ctx); err != nil {
		return err
	}

	switch cmd {
	case "next":
		if followFlag != nil && *followFlag {
			return follow(ctx, q, agent, stdin, stdout)
		}
		cl, err := q.ClaimNext(ctx, agent)
		if errors.Is(err, queue.ErrNothingCallable) {
			return nothingError{fmt.Errorf("nothing for %s to call now", agent.Name)}
		}
		if err != nil {
			return err
		}
		return printCallback(ctx, q, stdout, cl.ID)
	case "release":
		if err := q.Release(ctx, agent, id); err != nil {
			return err
		}
		return printCallback(ctx, q, stdout, id)
	case "done":
		if *disposition == "" {
			return usagef("queue done needs --disposition CODE")
		}
		w := queue.Wrapup{Disposition: *disposition, Note: *note}
		if *due != "" {
			cb, err := q.Get(ctx, id)
			if err != nil {
				return err
			}
			if w.Due, err = q.Policy.ParseDue(*due, time.Now(), db.Zone(cb.CustomerTZ)); err != nil {
				return usageError{err.Error()}
			}
		}
		out, err := q.Done(ctx, agent, id, w)
		if err != nil {
			return err
		}
		return printCallback(ctx, q, stdout, out.Callback.ID)
	}

	// add
	if *customer <= 0 {
		return usagef("queue add needs --customer ID")
	}
	if *pool == (*agentName != "") {
		return usagef("queue add needs either --agent NAME or --pool")
	}
	c, err := crmSvc.Customer(ctx, *customer)
	if err != nil {
		return err
	}
	when, err := q.Policy.ParseDue(*due, time.Now(), db.Zone(c.TZ))
	if err != nil {
		return usageError{err.Error()}
	}
	cb, err := q.Add(ctx, creator, queue.NewCallback{CustomerID: *customer, Kind: *kind, Reason: *reason,
		Priority: *priority, Due: when, OwnerID: agent.ID})
	if err != nil {
		return err
	}
	return printCallback(ctx, q, stdout, cb.ID)
}

// callbackJSON is a callback as scripts read it.
type callbackJSON struct {
	ID           int64  `json:"id"`
	CustomerID   int64  `json:"customer_id"`
	CustomerName string `json:"customer_name"`
	Phone        string `json:"phone"`
	PhoneDisplay string `json:"phone_display"`
	Kind         string `json:"kind"`
	Reason       string `json:"reason"`
	Priority     int    `json:"priority"`
	DueAt        string `json:"due_at"`
	Owner        string `json:"owner"`
	State        string `json:"state"`
	Attempts     int    `json:"attempts"`
	MaxAttempts  int    `json:"max_attempts"`
	ClaimedBy    string `json:"claimed_by,omitempty"`
	LeaseUntil   string `json:"lease_until,omitempty"`
	Disposition  string `json:"disposition,omitempty"`
}

func printCallback(ctx context.Context, q *queue.Service, w io.Writer, id int64) error {
	cb, err := q.Get(ctx, id)
	if err != nil {
		return err
	}
	owner := cb.Owner
	if owner == "" {
		owner = "pool"
	}
	out := callbackJSON{ID: cb.ID, CustomerID: cb.CustomerID, CustomerName: cb.CustomerName, Phone: cb.Phone.E164,
		PhoneDisplay: cb.Phone.Display(), Kind: cb.Kind, Reason: cb.Reason, Priority: cb.Priority,
		DueAt: cb.Due.Format(time.RFC3339), Owner: owner, State: string(cb.State), Attempts: cb.Attempts,
		MaxAttempts: cb.MaxAttempts, ClaimedBy: cb.ClaimedBy, Disposition: cb.Disposition}
	if !cb.LeaseUntil.IsZero() {
		out.LeaseUntil = cb.LeaseUntil.Format(time.RFC3339)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
