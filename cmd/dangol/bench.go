package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dangol/dangol/bench"
)

// runBench is `dangol bench`: build (or reuse) a large database and
// measure what agents feel, each figure beside its baseline. It fails
// only when a callback was handed out twice, never on a timing.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench")
	customers := fs.Int("customers", 100_000, "customers in the bench database")
	interactions := fs.Int("interactions", 0, "interactions in all (default: five per customer)")
	callbacks := fs.Int("callbacks", 100_000, "open callbacks, half the agent minji's and half the pool's")
	path := fs.String("db", "", "the bench database (default: dangol-bench-CUSTOMERS.db); reused when built with the same numbers")
	asJSON := fs.Bool("json", false, "print one JSON object instead of the table")
	only := fs.String("only", "", "measure only these, comma-separated: "+strings.Join(bench.Groups, ","))
	samples := fs.Int("samples", 500, "latency samples per figure")
	importRows := fs.Int("import-rows", 1_000_000, "rows of the generated file the import figure imports")
	write := fs.Bool("write", false, "measure on a database the bench did not build, adding its callbacks there and removing them after (else only the figures that read)")
	rebuild := fs.Bool("rebuild", false, "build the database again when it was built with other numbers (the file is replaced)")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	sized := false
	fs.Visit(func(f *flag.Flag) {
		sized = sized || f.Name == "customers" || f.Name == "interactions" || f.Name == "callbacks"
	})
	if *customers < 100 || *customers > maxSeedCustomers {
		return usagef("--customers must be between 100 and %d", maxSeedCustomers)
	}
	if *interactions == 0 {
		*interactions = 5 * *customers
	}
	if *interactions < 0 || *interactions > maxSeedInteractions {
		return usagef("--interactions must be between 0 and %d", maxSeedInteractions)
	}
	if *callbacks < 100 || *callbacks > 5_000_000 {
		return usagef("--callbacks must be between 100 and 5000000")
	}
	if *samples < 10 || *samples > 100_000 {
		return usagef("--samples must be between 10 and 100000")
	}
	if *importRows < 1000 || *importRows > 10_000_000 {
		return usagef("--import-rows must be between 1000 and 10000000")
	}
	var groups []string
	if *only != "" {
		for _, g := range strings.Split(*only, ",") {
			g = strings.TrimSpace(g)
			if !contains(bench.Groups, g) {
				return usagef("--only: unknown figure %q (use %s)", g, strings.Join(bench.Groups, ", "))
			}
			groups = append(groups, g)
		}
	}
	if *path == "" {
		*path = fmt.Sprintf("dangol-bench-%d.db", *customers)
	}
	binary, err := os.Executable()
	if err != nil {
		return err
	}
	r, err := bench.Run(ctx, bench.Options{Path: *path, Customers: *customers, Interactions: *interactions,
		Callbacks: *callbacks, Only: groups, Binary: binary, Samples: *samples, ImportRows: *importRows, Write: *write, Sized: sized, Rebuild: *rebuild, Progress: stderr})
	if err != nil {
		return err
	}
	if *asJSON {
		err = r.WriteJSON(stdout)
	} else {
		err = r.WriteTable(stdout)
	}
	if err != nil {
		return err
	}
	if r.DoubleClaims > 0 {
		return fmt.Errorf("%d callbacks were handed out twice", r.DoubleClaims)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
