package main

import (
	"context"
	"io"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// runSeed is `dangol seed`: a new database filled with a demo of the
// size asked for (customers, their history, the demo agents and callbacks).
func runSeed(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("seed")
	dbPath := dbFlag(fs)
	customers := fs.Int("customers", demoCustomers, "how many customers")
	interactions := fs.Int("interactions", 0, "how many interactions in all (default 5 per customer)")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same data")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if *customers < 1 || *customers > maxSeedCustomers {
		return usagef("--customers must be between 1 and %d", maxSeedCustomers)
	}
	if *interactions < 0 || *interactions > maxSeedInteractions {
		return usagef("--interactions must be between 0 and %d", maxSeedInteractions)
	}
	d, err := db.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	crmSvc := crm.New(d)
	start := time.Now()
	if err := seedDemo(ctx, crmSvc, queue.New(d, crmSvc), crm.SeedOptions{Customers: *customers, Interactions: *interactions, Now: start, Seed: *seed}); err != nil {
		return err
	}
	_, err = io.WriteString(stdout, "seeded "+*dbPath+" in "+time.Since(start).Round(time.Millisecond).String()+"\n")
	return err
}

// seedDemo fills a new database with the demo: customers and their
// history, the demo's callbacks, and a planted past of calls for the best
// time to call.
func seedDemo(ctx context.Context, crmSvc *crm.Service, queueSvc *queue.Service, opt crm.SeedOptions) error {
	if err := crmSvc.Seed(ctx, opt); err != nil {
		return err
	}
	if err := queueSvc.SeedDemo(ctx, opt.Now, opt.Seed); err != nil {
		return err
	}
	habits := queue.DemoHabits
	habits.Seed = opt.Seed
	_, err := queueSvc.SeedHabits(ctx, opt.Now, habits)
	return err
}

// maxSeedCustomers and maxSeedInteractions bound `dangol seed`: a mistyped
// count must not fill the disk.
const (
	maxSeedCustomers    = 10_000_000
	maxSeedInteractions = 100_000_000
)
