package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/dangol/dangol/queue"
)

// runForget is `dangol forget ID [--as NAME]`: a person's right to be
// forgotten. It prints one JSON object: the customer, the callbacks
// cancelled, and whether the write-ahead log could be emptied at once.
func runForget(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("forget")
	dbPath := dbFlag(fs)
	as := asFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("forget needs one customer id: dangol forget ID [--as NAME]")
	}
	ids, err := parseIDs(rest)
	if err != nil {
		return err
	}
	d, _, q, actor, err := openAs(ctx, *dbPath, *as)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := q.Forget(ctx, actor, ids[0])
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(forgetJSON(res))
}

func forgetJSON(r queue.ForgetResult) any {
	out := struct {
		Forgotten    int64   `json:"forgotten"`
		Cancelled    []int64 `json:"cancelled"`
		Checkpointed bool    `json:"log_emptied"`
		Note         string  `json:"note,omitempty"`
	}{Forgotten: r.CustomerID, Cancelled: r.Cancelled, Checkpointed: r.Checkpointed}
	if out.Cancelled == nil {
		out.Cancelled = []int64{}
	}
	if !r.Checkpointed {
		out.Note = "another program has the file open: until the next checkpoint, pages not yet rewritten may still hold the erased text"
	}
	return out
}
