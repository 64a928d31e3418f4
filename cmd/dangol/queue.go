package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/dangol/dangol/tui/kit"

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
		return queueRelease(ctx, args, stdout)
	case "next":
		return queueNext(ctx, args, stdin, stdout)
	case "done":
		return queueDone(ctx, args, stdout)
	case "add":
		return queueAdd(ctx, args, stdout)
	}
	return usagef("unknown queue command %q: use next, done, release, add, reassign or cancel (see dangol help)", cmd)
}

// callbackID is the one callback ID a command takes.
func callbackID(cmd string, rest []string) (int64, error) {
	if len(rest) != 1 {
		return 0, usagef("queue %s needs one callback ID", cmd)
	}
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("callback ID %q is not a number", rest[0])
	}
	return id, nil
}

// agentWork opens the database for an agent's own work: the agent is
// checked (named, known, active) before anything is written, so a refused
// command leaves the file as it was; then expired leases and late
// callbacks are swept as the console would, except for add, whose
// creator is checked first (it sweeps itself). add alone may name no
// agent (--pool).
func agentWork(ctx context.Context, cmd, dbPath, name string) (*db.DB, *crm.Service, *queue.Service, crm.Agent, error) {
	fail := func(err error) (*db.DB, *crm.Service, *queue.Service, crm.Agent, error) {
		return nil, nil, nil, crm.Agent{}, err
	}
	if name == "" && cmd != "add" {
		return fail(usagef("queue %s needs --agent NAME", cmd))
	}
	d, crmSvc, q, err := openWork(ctx, dbPath)
	if err != nil {
		return fail(err)
	}
	var agent crm.Agent
	if name != "" {
		if agent, err = crmSvc.AgentByName(ctx, name); err != nil {
			d.Close()
			return fail(usageError{err.Error()})
		}
		if !agent.Active {
			d.Close()
			return fail(fmt.Errorf("agent %s is deactivated", agent.Name))
		}
	}
	if cmd != "add" {
		if err := sweep(ctx, q); err != nil {
			d.Close()
			return fail(err)
		}
	}
	return d, crmSvc, q, agent, nil
}

// sweep runs what the console runs before it reads: expired leases back
// to the queue, late personal callbacks to the pool.
func sweep(ctx context.Context, q *queue.Service) error {
	_, err := q.Sweep(ctx)
	return err
}

func queueNext(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	const cmd = "next"
	fs := newFlags("queue " + cmd)
	dbPath, agentName := dbFlag(fs), agentFlag(fs)
	followFlag := fs.Bool("follow", false, "stay and claim once per line read on stdin (next, release ID, done ID CODE [DUE], quit), answering JSON lines")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	d, _, q, agent, err := agentWork(ctx, cmd, *dbPath, *agentName)
	if err != nil {
		return err
	}
	defer d.Close()
	if *followFlag {
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
}

func queueRelease(ctx context.Context, args []string, stdout io.Writer) error {
	const cmd = "release"
	fs := newFlags("queue " + cmd)
	dbPath, agentName := dbFlag(fs), agentFlag(fs)
	// A supervisor's form, `queue release ID... --force`, is a bulk
	// command of the team's; its flags are listed here for --help.
	force := fs.Bool("force", false, "free claims other agents hold (a supervisor's; with --reason and --as, without --agent)")
	fs.String("reason", "", "with --force: why, for the audit and the agent")
	asFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *force {
		return runTeam(ctx, "release", args, stdout)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["reason"] || set["as"] {
		return usagef("queue release takes --reason and --as only with --force")
	}
	id, err := callbackID(cmd, rest)
	if err != nil {
		return err
	}
	d, _, q, agent, err := agentWork(ctx, cmd, *dbPath, *agentName)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := q.Release(ctx, agent, id); err != nil {
		return err
	}
	return printCallback(ctx, q, stdout, id)
}

func queueDone(ctx context.Context, args []string, stdout io.Writer) error {
	const cmd = "done"
	fs := newFlags("queue " + cmd)
	dbPath, agentName := dbFlag(fs), agentFlag(fs)
	disposition := fs.String("disposition", "", "wrap-up code")
	due := fs.String("due", "", "next due time: 15m, 내일 오후 3시, tomorrow 3pm, 2026-12-01 14:30")
	note := fs.String("note", "", "note of the call")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	id, err := callbackID(cmd, rest)
	if err != nil {
		return err
	}
	if *disposition == "" {
		return usagef("queue done needs --disposition CODE")
	}
	d, _, q, agent, err := agentWork(ctx, cmd, *dbPath, *agentName)
	if err != nil {
		return err
	}
	defer d.Close()
	w := queue.Wrapup{Disposition: *disposition, Note: *note}
	if *due != "" {
		cb, err := q.Get(ctx, id)
		if err != nil {
			return err
		}
		if w.Due, err = q.Policy().ParseDue(*due, time.Now(), db.Zone(cb.CustomerTZ)); err != nil {
			return usageError{err.Error()}
		}
	}
	out, err := q.Done(ctx, agent, id, w)
	if err != nil {
		return err
	}
	return printCallback(ctx, q, stdout, out.Callback.ID)
}

func queueAdd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("queue add")
	dbPath, agentName := dbFlag(fs), agentFlag(fs)
	customer := fs.Int64("customer", 0, "customer id")
	due := fs.String("due", "", "due time")
	reason := fs.String("reason", "", "why to call")
	kind := fs.String("kind", "service", "service, complaint, sales or marketing (or 서비스, 불만, 영업, 마케팅)")
	priority := fs.Int("priority", 3, "1 (most urgent) to 5")
	pool := fs.Bool("pool", false, "put it in the team pool")
	as := asFlag(fs)
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *customer <= 0 {
		return usagef("queue add needs --customer ID")
	}
	if *pool == (*agentName != "") {
		return usagef("queue add needs either --agent NAME or --pool")
	}
	d, crmSvc, q, owner, err := agentWork(ctx, "add", *dbPath, *agentName)
	if err != nil {
		return err
	}
	defer d.Close()
	// The owner is --agent; who schedules it is --as (or the machine's
	// user), also checked before anything is written.
	creator, err := resolveActor(ctx, crmSvc, *as)
	if err != nil {
		return err
	}
	if err := sweep(ctx, q); err != nil {
		return err
	}
	c, err := crmSvc.Customer(ctx, *customer)
	if err != nil {
		return err
	}
	when, err := q.Policy().ParseDue(*due, time.Now(), db.Zone(c.TZ))
	if err != nil {
		return usageError{err.Error()}
	}
	// The kind as the console names it, in either language, or its code.
	if code, ok := kit.Resolve(kit.TextFor(kit.Korean).KindOptions(), *kind); ok && code != "" {
		*kind = code
	}
	cb, err := q.Add(ctx, creator, queue.NewCallback{CustomerID: *customer, Kind: *kind, Reason: *reason,
		Priority: *priority, Due: when, OwnerID: owner.ID})
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
	return jsonOut(w, out)
}
