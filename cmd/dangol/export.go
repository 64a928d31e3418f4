package main

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

func runExport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("export")
	dbPath := dbFlag(fs)
	format := fs.String("format", "jsonl", "output format: csv or jsonl")
	raw := fs.Bool("raw", false, "csv cells exactly as stored (no formula guard), for machines")
	var af crm.AuditFilter
	fs.StringVar(&af.Actor, "actor", "", "audit: rows by this actor")
	fs.StringVar(&af.Action, "action", "", "audit: rows of this action")
	fs.Int64Var(&af.CustomerID, "customer", 0, "audit: rows about this customer")
	fs.Int64Var(&af.CallbackID, "callback", 0, "audit: rows about this callback")
	fromDay := fs.String("from", "", "audit: from this day, YYYY-MM-DD")
	toDay := fs.String("to", "", "audit: up to this day, YYYY-MM-DD")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) >= 1 && rest[0] == "customer" {
		return exportPerson(ctx, *dbPath, rest[1:], *format, stdout)
	}
	if len(rest) != 1 {
		return usagef("export needs one table: %s (or: export customer ID)", strings.Join(crm.ExportTables(), ", "))
	}
	for _, d := range []struct {
		s   string
		dst *time.Time
		add int
	}{{*fromDay, &af.From, 0}, {*toDay, &af.To, 1}} {
		if d.s == "" {
			continue
		}
		day, err := time.ParseInLocation("2006-01-02", d.s, time.Local)
		if err != nil {
			return usagef("date %q: use YYYY-MM-DD", d.s)
		}
		*d.dst = day.AddDate(0, 0, d.add)
	}
	if af != (crm.AuditFilter{}) && rest[0] != "audit" {
		return usagef("--actor, --action, --customer, --callback, --from and --to go with export audit")
	}
	// Reading never writes: the file is opened read-only and must already
	// be a dangol database of this version.
	d, err := db.OpenReadOnly(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	err = crm.New(d).Export(ctx, stdout, rest[0], crm.ExportOptions{Format: *format, Loc: time.Local, Raw: *raw, Audit: af})
	var ue *crm.UsageError
	if errors.As(err, &ue) {
		return usageError{ue.Error()}
	}
	return err
}

// maxSeedCustomers and maxSeedInteractions bound `dangol seed`: a mistyped
// count must not fill the disk.
const (
	maxSeedCustomers    = 10_000_000
	maxSeedInteractions = 100_000_000
)

func runSeed(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("seed")
	dbPath := dbFlag(fs)
	customers := fs.Int("customers", demoCustomers, "how many customers")
	interactions := fs.Int("interactions", 0, "how many interactions in all (default 5 per customer)")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same data")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q", rest[0])
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
	now := time.Now()
	start := time.Now()
	if err := crmSvc.Seed(ctx, crm.SeedOptions{Customers: *customers, Interactions: *interactions, Now: now, Seed: *seed}); err != nil {
		return err
	}
	if err := queue.New(d, crmSvc).SeedDemo(ctx, now, *seed); err != nil {
		return err
	}
	_, err = io.WriteString(stdout, "seeded "+*dbPath+" in "+time.Since(start).Round(time.Millisecond).String()+"\n")
	return err
}

// openWork opens an existing database with its services and the policy
// in force, for the commands that act on the queue.
func openWork(ctx context.Context, path string) (*db.DB, *crm.Service, *queue.Service, error) {
	d, err := openExisting(ctx, path)
	if err != nil {
		return nil, nil, nil, err
	}
	crmSvc := crm.New(d)
	q := queue.New(d, crmSvc)
	if _, err := q.LoadPolicy(ctx); err != nil {
		d.Close()
		return nil, nil, nil, err
	}
	return d, crmSvc, q, nil
}

// openExisting opens a database for a command that must not create one
// (a mistyped --db would otherwise make an empty file and report nothing).
func openExisting(ctx context.Context, path string) (*db.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, errors.New(path + ": no such database file")
	}
	// An empty file or another program's stays as it is: no schema is
	// made in it by a command that only means to use a database.
	if err := db.CheckExisting(ctx, path); err != nil {
		return nil, err
	}
	return db.Open(ctx, path)
}

// exportPerson is `dangol export customer ID [--format json]`: everything
// about one person, for a data-subject request.
func exportPerson(ctx context.Context, dbPath string, rest []string, format string, stdout io.Writer) error {
	if len(rest) != 1 {
		return usagef("export customer needs one customer id")
	}
	ids, err := parseIDs(rest)
	if err != nil {
		return err
	}
	if format != "json" && format != "jsonl" { // jsonl is the flag's default
		return usagef("export customer writes json (--format json)")
	}
	d, err := db.OpenReadOnly(ctx, dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	return crm.New(d).ExportPerson(ctx, stdout, ids[0], time.Local)
}
