package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
	"github.com/dangol/dangol/queue"
)

// follow is `queue next --follow`: a dialer's long-lived line to the
// queue, so it need not start a process per call. Each line read is one
// command, each answer one JSON line:
//
//	next                 the callback claimed, as `queue next` prints it
//	release ID           the callback released
//	done ID CODE [DUE]   the call's outcome (and, for a follow-up, when)
//	quit                 the end (as is the end of the input)
//
// A refusal is {"error": "nothing"|"refused"|"usage", "message": "…"} and
// the line stays open.
func follow(ctx context.Context, q *queue.Service, agent crm.Agent, stdin io.Reader, stdout io.Writer) error {
	lines := bufio.NewScanner(stdin)
	lastSweep := time.Now()
	for lines.Scan() {
		if ctx.Err() != nil {
			return nil
		}
		f := strings.Fields(lines.Text())
		if len(f) == 0 {
			continue
		}
		if time.Since(lastSweep) > time.Second { // leases that ran out go back to the queue
			if _, err := q.Sweep(ctx); err != nil {
				return err
			}
			lastSweep = time.Now()
		}
		var err error
		switch {
		case f[0] == "quit":
			return nil
		case f[0] == "next" && len(f) == 1:
			var cl queue.Claim
			if cl, err = q.ClaimNext(ctx, agent); err == nil {
				err = printCallback(ctx, q, stdout, cl.ID)
			}
		case f[0] == "release" && len(f) == 2:
			var id int64
			if id, err = strconv.ParseInt(f[1], 10, 64); err == nil {
				if err = q.Release(ctx, agent, id); err == nil {
					err = printCallback(ctx, q, stdout, id)
				}
			}
		case f[0] == "done" && len(f) >= 3:
			err = followDone(ctx, q, agent, f[1], f[2], strings.Join(f[3:], " "), stdout)
		default:
			err = usagef("unknown line %q: use next, release ID, done ID CODE [DUE] or quit", lines.Text())
		}
		if err != nil {
			if !answerRefusal(stdout, err) {
				return err
			}
		}
	}
	return lines.Err()
}

func followDone(ctx context.Context, q *queue.Service, agent crm.Agent, idText, code, due string, stdout io.Writer) error {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return usagef("callback ID %q is not a number", idText)
	}
	w := queue.Wrapup{Disposition: code}
	if due != "" {
		cb, err := q.Get(ctx, id)
		if err != nil {
			return err
		}
		if w.Due, err = q.Policy().ParseDue(due, time.Now(), db.Zone(cb.CustomerTZ)); err != nil {
			return err
		}
	}
	out, err := q.Done(ctx, agent, id, w)
	if err != nil {
		return err
	}
	return printCallback(ctx, q, stdout, out.Callback.ID)
}

// answerRefusal writes a refusal as a JSON line; an error of the system (a
// full disk, a damaged file) is not a refusal and ends the command.
func answerRefusal(w io.Writer, err error) bool {
	kind := "refused"
	var usage usageError
	var pr problem.Error
	switch {
	case errors.Is(err, queue.ErrNothingCallable):
		kind = "nothing"
	case errors.As(err, &usage):
		kind = "usage"
	case errors.As(err, &pr), errors.Is(err, crm.ErrNotFound), isRefusal(err):
	default:
		return false
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(map[string]string{"error": kind, "message": err.Error()}) == nil
}

// isRefusal reports the queue's refusals: a claim someone else holds, a
// calling rule, a wrap-up the rules forbid.
func isRefusal(err error) bool {
	var ce queue.ClaimError
	var be queue.BlockedError
	var nr queue.NoteRequiredError
	return errors.As(err, &ce) || errors.As(err, &be) || errors.As(err, &nr)
}
