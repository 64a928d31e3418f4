package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/queue"
)

// Opening the database for a command: as it is, as someone, or live for consoles.

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
	if _, err := os.Stat(path); err != nil && !db.IsServer(path) {
		return nil, errors.New(path + ": no such database file")
	}
	// An empty file or another program's stays as it is: no schema is
	// made in it by a command that only means to use a database.
	if err := db.CheckExisting(ctx, path); err != nil {
		return nil, err
	}
	return db.Open(ctx, path)
}

// openAs opens the database for a command that acts as --as (or the
// machine's user): the services and who acts.
func openAs(ctx context.Context, path, as string) (*db.DB, *crm.Service, *queue.Service, crm.Agent, error) {
	d, crmSvc, q, err := openWork(ctx, path)
	if err != nil {
		return nil, nil, nil, crm.Agent{}, err
	}
	actor, err := resolveActor(ctx, crmSvc, as)
	if err != nil {
		d.Close()
		return nil, nil, nil, crm.Agent{}, err
	}
	return d, crmSvc, q, actor, nil
}

// resolveActor is the agent --as names, or the machine's user.
func resolveActor(ctx context.Context, c *crm.Service, name string) (crm.Agent, error) {
	if name == "" {
		return crm.OSActor(), nil
	}
	a, err := c.AgentByName(ctx, name)
	if err != nil {
		return crm.Agent{}, usageError{err.Error()}
	}
	if !a.Active {
		return crm.Agent{}, fmt.Errorf("agent %s is deactivated", a.Name)
	}
	return a, nil
}

// openOrCreate is openWork that makes a new, empty database (no demo) when
// the file does not exist.
func openOrCreate(ctx context.Context, path string) (*db.DB, *crm.Service, *queue.Service, error) {
	if _, err := os.Stat(path); err == nil || db.IsServer(path) && db.CheckExisting(ctx, path) == nil {
		return openWork(ctx, path)
	}
	d, err := db.Open(ctx, path)
	if err != nil {
		return nil, nil, nil, err
	}
	c := crm.New(d)
	q := queue.New(d, c)
	// An empty database's search index is current: saying so now spares
	// the first console or server after a site's first import rebuilding
	// the keys the import has just made (minutes for a million customers).
	if _, err := c.EnsureSearchIndex(ctx, nil); err != nil {
		d.Close()
		return nil, nil, nil, err
	}
	if _, err := q.LoadPolicy(ctx); err != nil {
		d.Close()
		return nil, nil, nil, err
	}
	return d, c, q, nil
}

// openLive opens the database for consoles (the local one, or a server's):
// openServices, and the write-ahead log moved into the file in the
// background rather than in an agent's commit. closeDB stops that and
// closes the database.
func openLive(ctx context.Context, path string, stderr io.Writer) (d *db.DB, c *crm.Service, q *queue.Service, closeDB func(), err error) {
	if d, c, q, err = openServices(ctx, path, stderr); err != nil {
		return nil, nil, nil, nil, err
	}
	cpCtx, stopCheckpoints := context.WithCancel(ctx)
	closeDB = func() {
		stopCheckpoints()
		d.Close()
	}
	if err := d.CheckpointInBackground(cpCtx); err != nil {
		closeDB()
		return nil, nil, nil, nil, err
	}
	return d, c, q, closeDB, nil
}

// openServices opens the database and, if it is new, fills it with the demo.
func openServices(ctx context.Context, path string, stderr io.Writer) (*db.DB, *crm.Service, *queue.Service, error) {
	d, err := db.Open(ctx, path)
	if err != nil {
		return nil, nil, nil, err
	}
	crmSvc := crm.New(d)
	queueSvc := queue.New(d, crmSvc)
	if !d.Created {
		// A database indexed by an older dangol gets its search keys again.
		progress := func(done, total int) {
			fmt.Fprintf(stderr, "\rdangol: %s: rebuilding the search index: %d of %d customers", d.Path, done, total)
		}
		if rebuilt, err := crmSvc.EnsureSearchIndex(ctx, progress); err != nil {
			d.Close()
			return nil, nil, nil, err
		} else if rebuilt {
			fmt.Fprintln(stderr)
		}
	}
	if d.Created {
		fmt.Fprintf(stderr, "dangol: new database %s: filling it with demo data\n", d.Path)
		now := time.Now()
		if err := seedDemo(ctx, crmSvc, queueSvc, crm.SeedOptions{Customers: demoCustomers, Now: now, Seed: uint64(now.UnixNano())}); err != nil {
			d.Close()
			return nil, nil, nil, err
		}
	}
	return d, crmSvc, queueSvc, nil
}

// openLog writes structured logs to dangol.log beside the database, never
// to the terminal the console draws on.
func openLog(dbPath string) (*slog.Logger, func(), error) {
	path := beside(dbPath, "dangol.log")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("log file %s: %w", path, err)
	}
	return slog.New(slog.NewJSONHandler(f, nil)), func() { f.Close() }, nil
}
