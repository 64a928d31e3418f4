package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
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
