package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/dangol/dangol/crm"
)

// runMerge is `dangol merge KEEP OTHER [--yes]` and `dangol merge --undo
// MERGE`. Without --yes it only shows where the two disagree and what the
// merge would keep; nothing changes.
func runMerge(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("merge")
	dbPath := dbFlag(fs)
	as := asFlag(fs)
	yes := fs.Bool("yes", false, "merge (without it: show the conflicts and change nothing)")
	undo := fs.Int64("undo", 0, "undo this merge")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	var ids []int64
	switch {
	case *undo != 0 && len(rest) > 0:
		return usagef("merge --undo MERGE takes no customers")
	case *undo == 0:
		if len(rest) != 2 {
			return usagef("merge needs two customer ids: dangol merge KEEP OTHER [--yes]")
		}
		if ids, err = parseIDs(rest); err != nil {
			return err
		}
	}
	d, crmSvc, q, actor, err := openAs(ctx, *dbPath, *as)
	if err != nil {
		return err
	}
	defer d.Close()
	out := json.NewEncoder(stdout)
	if *undo != 0 {
		res, err := q.UndoMerge(ctx, actor, *undo)
		if err != nil {
			return err
		}
		return out.Encode(map[string]any{"undone": res.MergeID, "keep": res.Keep, "other": res.Other, "callbacks_moved": res.CallbacksMoved})
	}
	if !*yes {
		c, err := crmSvc.MergePreview(ctx, ids[0], ids[1])
		if err != nil {
			return err
		}
		return out.Encode(map[string]any{"keep": ids[0], "other": ids[1], "conflicts": nonNil(c),
			"note": "nothing changed: run again with --yes to merge"})
	}
	res, err := q.Merge(ctx, actor, ids[0], ids[1])
	if err != nil {
		return err
	}
	return out.Encode(map[string]any{"merge": res.MergeID, "keep": res.Keep, "other": res.Other, "conflicts": nonNil(res.Conflicts),
		"callbacks_moved": res.CallbacksMoved})
}

func nonNil(c []crm.Conflict) []crm.Conflict {
	if c == nil {
		return []crm.Conflict{}
	}
	return c
}
