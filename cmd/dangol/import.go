package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	xterm "golang.org/x/term"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/ingest"
	"github.com/dangol/dangol/queue"
)

// The import's batch and transaction sizes (crm.ImportBatchRows, and
// crm.ImportBatchesPerTx batches a transaction), shared with the bench's
// SQL floor, which writes the same rows the same way.
const (
	importBatch        = crm.ImportBatchRows
	importBatchesPerTx = crm.ImportBatchesPerTx
)

// mapFlags collects --map COLUMN=field, which may be given many times,
// for the fields of one kind of file.
type mapFlags struct {
	m       map[string]ingest.Field
	allowed []ingest.Field
}

func (m mapFlags) String() string { return fmt.Sprint(m.m) }

func (m mapFlags) Set(v string) error {
	col, field, ok := strings.Cut(v, "=")
	col, field = strings.TrimSpace(col), strings.TrimSpace(field)
	if !ok || col == "" {
		return fmt.Errorf("--map %q: use COLUMN=field", v)
	}
	if field == "attribute" {
		m.m[col] = ingest.Attribute
		return nil
	}
	names := make([]string, len(m.allowed))
	for i, f := range m.allowed {
		if string(f) == field {
			m.m[col] = f
			return nil
		}
		names[i] = string(f)
	}
	return fmt.Errorf("--map %q: field %q is unknown (use %s or attribute)", v, field, strings.Join(names, ", "))
}

// importFlags are an import's flags; dnc takes only the first three.
type importFlags struct {
	db, as, region   *string
	maps             mapFlags
	encoding, report string
	dryRun, fresh    bool
}

func newImportFlags(kind string) (*flag.FlagSet, *importFlags) {
	fs := newFlags("import " + kind)
	o := &importFlags{db: dbFlag(fs), as: asFlag(fs)}
	o.region = fs.String("region", "KR", "the country of numbers written without a country code")
	o.maps = mapFlags{m: map[string]ingest.Field{}, allowed: ingest.Fields}
	if kind == "dnc" {
		return fs, o
	}
	if kind == "customers" {
		fs.BoolVar(&o.fresh, "new", false, "make the database when the file does not exist: empty, no demo (a site's first import)")
	} else {
		o.maps.allowed = ingest.HistoryFields
	}
	fs.Var(o.maps, "map", "COLUMN=field for a column whose header is not recognised (repeatable)")
	fs.StringVar(&o.encoding, "encoding", "", "utf-8 or cp949 (default: detected)")
	fs.StringVar(&o.report, "report", "", "where rejected and flagged rows are written (default: FILE.report.csv)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "say what would be created, updated and rejected; change nothing")
	return fs, o
}

// runImport is `dangol import customers|interactions|purchases|callbacks|dnc FILE`.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	kinds := map[string]bool{"customers": true, "interactions": true, "purchases": true, "callbacks": true, "dnc": true}
	if len(args) == 0 || !kinds[args[0]] {
		return usagef("import customers|interactions|purchases|callbacks|dnc FILE [--as NAME] (see dangol help)")
	}
	kind := args[0]
	fs, o := newImportFlags(kind)
	rest, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("import %s needs one file", kind)
	}
	path := rest[0]
	// The files first, before anything is read or written: the input a
	// regular text file, the report a new file and never the database's.
	if err := checkInput(path); err != nil {
		return err
	}
	explicitReport := o.report != ""
	if kind != "dnc" {
		if !explicitReport {
			o.report = path + ".report.csv"
		}
		if err := checkReport(o.report, explicitReport, *o.db, path); err != nil {
			return err
		}
	}
	stopProfile, err := profileCPU()
	if err != nil {
		return err
	}
	defer stopProfile()
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	d, crmSvc, q, cleanup, err := openImportTarget(ctx, *o.db, o.fresh, o.dryRun)
	if err != nil {
		return err
	}
	defer cleanup()
	defer d.Close()
	actor, err := resolveActor(ctx, crmSvc, *o.as)
	if err != nil {
		return err
	}
	if kind == "dnc" {
		return importDNC(ctx, crmSvc, actor, f, *o.region, stdout)
	}
	rd, err := ingest.NewReader(f, readerOptions(kind, o.encoding, o.maps.m))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := crmSvc.Require(ctx, actor, crm.PermTeamWork, "import "+kind); err != nil {
		return err
	}
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	prog := newImportProgress(stderr, size, f)
	res, err := importAs(ctx, kind, crmSvc, q, actor, rd, *o.region, o.dryRun, prog)
	if err := endImport(ctx, stderr, kind, crmSvc, prog, res, err, o.dryRun); err != nil {
		return err
	}
	if len(res.Rejected)+len(res.Flagged) > 0 {
		if err := writeReport(o.report, explicitReport, res); err != nil {
			return err
		}
	} else {
		o.report = ""
	}
	return printImported(stdout, kind, res, rd, o.report, o.dryRun)
}

// endImport finishes an import that read all it could: the new
// customers' search keys settled, the progress line closed, and an error
// that says what is in and how to go on.
func endImport(ctx context.Context, stderr io.Writer, kind string, crmSvc *crm.Service, prog *importProgress, res crm.ImportResult, err error, dryRun bool) error {
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		// A signal: the transaction under way was rolled back at once; the
		// committed ones stay. The search keys settle at the next start.
		prog.done(res)
		return fmt.Errorf("import stopped by a signal: %d rows are imported; run the same command again to import the rest "+
			"(the rows already in are found by their id, phone or e-mail, not copied)", prog.rows)
	}
	if kind == "customers" && !dryRun {
		// The new customers' search keys, left waiting by the batches, go
		// into the index in one sorted pass; after a failure too, for the
		// batches that were committed.
		if serr := prog.settle(ctx, crmSvc); serr != nil {
			fmt.Fprintf(stderr, "dangol: import: the new customers are stored but not yet found by search (%v); "+
				"they will be at the next start of a console, the server or an import\n", serr)
		}
	}
	prog.done(res)
	if err != nil && prog.rows > 0 {
		// "nothing was saved" is said of the batch that failed, not of the import
		return fmt.Errorf("%w; the %d rows before it are imported, and running the same import again adds the rest without twins", err, prog.rows)
	}
	return err
}

// printImported is an import's answer: what it did, and where the
// columns without a field went.
func printImported(stdout io.Writer, kind string, res crm.ImportResult, rd *ingest.Reader, report string, dryRun bool) error {
	// Columns without a field: a customer's attributes, lines of an
	// interaction's note; a purchase has nowhere to keep them, so they are
	// named here.
	unknown := map[string][]string{kind: append([]string{}, rd.Unknown...)}
	if kind == "callbacks" { // a callback's reason keeps them, as a note does
		unknown["interactions"] = unknown[kind]
	}
	return json.NewEncoder(stdout).Encode(struct {
		Created   int      `json:"created"`
		Updated   int      `json:"updated"`
		Unchanged int      `json:"unchanged"`
		Rejected  int      `json:"rejected"`
		Flagged   int      `json:"flagged"`
		Unknown   []string `json:"kept_as_attributes,omitempty"`
		InNote    []string `json:"kept_in_the_note,omitempty"`
		Ignored   []string `json:"not_imported,omitempty"`
		Encoding  string   `json:"encoding"`
		Report    string   `json:"report,omitempty"`
		DryRun    bool     `json:"dry_run"`
	}{res.Created, res.Updated, res.Unchanged, len(res.Rejected), len(res.Flagged), unknown["customers"], unknown["interactions"], unknown["purchases"],
		rd.Encoding, report, dryRun})
}

// openImportTarget opens the database an import writes to. With --new a
// missing file is made (empty, no demo); a dry run changes nothing, not
// even by making the file: it runs against an empty database of its own,
// which cleanup removes after it is closed, once it knows the real run
// could make the file.
func openImportTarget(ctx context.Context, path string, fresh, dryRun bool) (d *db.DB, c *crm.Service, q *queue.Service, cleanup func(), err error) {
	cleanup = func() {}
	if !fresh {
		d, c, q, err = openWork(ctx, path)
		return d, c, q, cleanup, err
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) || !dryRun {
		d, c, q, err = openOrCreate(ctx, path)
		return d, c, q, cleanup, err
	}
	if err := db.CheckPath(path); err != nil {
		return nil, nil, nil, cleanup, err
	}
	dir, err := os.MkdirTemp("", "dangol-dry-run-")
	if err != nil {
		return nil, nil, nil, cleanup, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	d, c, q, err = openOrCreate(ctx, filepath.Join(dir, "dry-run.db"))
	if err != nil {
		cleanup()
		return nil, nil, nil, func() {}, err
	}
	return d, c, q, cleanup, nil
}

// readerOptions are how a file of kind is read: customers by their own
// headers; history and callbacks by the history headers, each row naming
// its customer and a time, and what it is about.
func readerOptions(kind, encoding string, m map[string]ingest.Field) ingest.Options {
	o := ingest.Options{Encoding: encoding, Map: m}
	if kind == "customers" {
		return o
	}
	o.Headers = ingest.HistoryHeaders
	what := []ingest.Field{ingest.Body} // an interaction's note, a callback's reason
	if kind == "purchases" {
		what = []ingest.Field{ingest.Item, ingest.Amount}
	}
	o.Need = [][]ingest.Field{{ingest.ExternalID, ingest.CustomerNo, ingest.Phone}, {ingest.At}}
	for _, w := range what {
		o.Need = append(o.Need, []ingest.Field{w})
	}
	return o
}

// importAs reads rd's rows and writes them as kind, batch by batch.
func importAs(ctx context.Context, kind string, crmSvc *crm.Service, q *queue.Service, actor crm.Agent, rd *ingest.Reader,
	region string, dryRun bool, prog *importProgress) (crm.ImportResult, error) {
	if kind == "customers" {
		return importRows(ctx, crmSvc, rd, dryRun, prog,
			func(rows []ingest.Row, now time.Time) crm.ImportPlan {
				return crm.PrepareImport(customerRows(rows), region, now)
			},
			func(ctx context.Context, tx *db.Tx, plan crm.ImportPlan, now time.Time) (crm.ImportResult, error) {
				return crmSvc.ImportPlanned(ctx, tx, actor, plan, now)
			})
	}
	return importRows(ctx, crmSvc, rd, dryRun, prog,
		func(rows []ingest.Row, _ time.Time) []crm.HistoryRow { return historyRows(rows) },
		func(ctx context.Context, tx *db.Tx, rows []crm.HistoryRow, now time.Time) (crm.ImportResult, error) {
			if kind == "callbacks" {
				return q.ImportCallbacks(ctx, tx, actor, rows, region, now)
			}
			return crmSvc.ImportHistory(ctx, tx, actor, kind, rows, region, now)
		})
}

// importRows reads every row and gives them to apply a batch at a time,
// importBatchesPerTx to a transaction (or, for a dry run, all in one that
// is rolled back).
// Reading the file and prepare's work on a batch happen in a goroutine of
// their own, one batch ahead of the writes, so a second core reads and
// parses while the first writes.
func importRows[P any](ctx context.Context, s *crm.Service, rd *ingest.Reader, dryRun bool, prog *importProgress,
	prepare func([]ingest.Row, time.Time) P, apply func(context.Context, *db.Tx, P, time.Time) (crm.ImportResult, error)) (crm.ImportResult, error) {
	var res crm.ImportResult
	now := time.Now()
	var dry *db.Tx
	if dryRun {
		var err error
		if dry, err = s.DB.BeginTx(ctx, nil); err != nil {
			return res, s.DB.Describe(err)
		}
		defer dry.Rollback()
	}
	type batch struct {
		plan     P
		rows     int
		rejected []crm.ImportIssue // rows the reader could not read, before the batch's own
		err      error             // the file could not be read on
	}
	batches := make(chan batch, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(batches)
		send := func(b batch) bool {
			select {
			case batches <- b:
				return true
			case <-stop:
				return false
			}
		}
		var rows []ingest.Row
		var rejected []crm.ImportIssue
		for {
			row, err := rd.Next()
			var re *ingest.RowError
			switch {
			case errors.Is(err, io.EOF):
				if len(rows)+len(rejected) > 0 {
					send(batch{plan: prepare(rows, now), rows: len(rows), rejected: rejected})
				}
				return
			case errors.As(err, &re):
				rejected = append(rejected, crm.ImportIssue{Line: re.Line, Why: re.Why})
				continue
			case err != nil:
				send(batch{rejected: rejected, err: err})
				return
			}
			rows = append(rows, row)
			if len(rows) == importBatch {
				if !send(batch{plan: prepare(rows, now), rows: len(rows), rejected: rejected}) {
					return
				}
				rows, rejected = make([]ingest.Row, 0, importBatch), nil
			}
		}
	}()
	for closed := false; !closed; {
		var got crm.ImportResult
		var rows int
		var berr error
		run := func(tx *db.Tx) error {
			for range importBatchesPerTx {
				b, ok := <-batches
				if !ok {
					closed = true
					return nil
				}
				got.Rejected = append(got.Rejected, b.rejected...)
				if b.err != nil {
					berr = b.err
					return nil
				}
				if b.rows == 0 {
					continue
				}
				g, err := apply(ctx, tx, b.plan, now)
				if err != nil {
					return err
				}
				got.Add(g)
				rows += b.rows
			}
			return nil
		}
		var err error
		if dry != nil {
			err = run(dry)
		} else {
			err = s.DB.Tx(ctx, run)
		}
		if err != nil {
			return res, s.DB.Describe(err)
		}
		res.Add(got)
		if rows > 0 {
			prog.add(rows)
		}
		if berr != nil {
			return res, berr
		}
	}
	return res, nil
}

// customerRows are the rows of a customer file as crm takes them.
func customerRows(rows []ingest.Row) []crm.ImportRow {
	out := make([]crm.ImportRow, len(rows))
	for i, row := range rows {
		out[i] = crm.ImportRow{Line: row.Line, ExternalID: row.Get(ingest.ExternalID), Name: row.Get(ingest.Name),
			NameRoman: row.Get(ingest.Roman), Phones: row.Values[ingest.Phone], Emails: row.Values[ingest.Email],
			Birthday: row.Get(ingest.Birthday), Joined: row.Get(ingest.Joined), Lang: row.Get(ingest.Lang), TZ: row.Get(ingest.TZ),
			DNC: row.Get(ingest.DNC), Marketing: row.Get(ingest.Marketing), SMS: row.Get(ingest.SMS), EmailOK: row.Get(ingest.EmailOK),
			Points: row.Get(ingest.Points), Tier: row.Get(ingest.Tier), Attrs: row.Attrs}
	}
	return out
}

// historyNote is an interaction's note, with the row's columns that have
// no field added as lines of their own: nothing in the file is dropped.
func historyNote(row ingest.Row) string {
	lines := []string{strings.Join(row.Values[ingest.Body], "\n")}
	for _, a := range row.Attrs {
		lines = append(lines, a[0]+": "+a[1])
	}
	return strings.Join(lines, "\n")
}

// historyRows are the rows of an interaction or purchase file.
func historyRows(rows []ingest.Row) []crm.HistoryRow {
	out := make([]crm.HistoryRow, len(rows))
	for i, row := range rows {
		out[i] = crm.HistoryRow{Line: row.Line, ExternalID: row.Get(ingest.ExternalID), CustomerNo: row.Get(ingest.CustomerNo),
			Phone: row.Get(ingest.Phone), At: row.Get(ingest.At), Channel: row.Get(ingest.Channel), Direction: row.Get(ingest.Direction),
			Agent: row.Get(ingest.AgentName), Body: historyNote(row), Item: row.Get(ingest.Item),
			Amount: row.Get(ingest.Amount), Kind: row.Get(ingest.Kind), Priority: row.Get(ingest.Priority)}
	}
	return out
}

// writeReport writes the rejected and flagged rows, safe to open in a
// spreadsheet.
func writeReport(path string, explicit bool, res crm.ImportResult) error {
	f, err := createReport(path, explicit)
	if err != nil {
		return fmt.Errorf("the report: %w", err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"line", "what", "why"})
	for _, list := range []struct {
		what   string
		issues []crm.ImportIssue
	}{{"rejected", res.Rejected}, {"flagged", res.Flagged}} {
		for _, is := range list.issues {
			w.Write([]string{fmt.Sprint(is.Line), list.what, crm.SpreadsheetSafe(is.Why)})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("the report %s: %w", path, err)
	}
	return f.Close()
}

// importDNC reads a do-not-call list: one customer number or phone number
// per line (the first column of a CSV line); a header line is skipped.
func importDNC(ctx context.Context, s *crm.Service, actor crm.Agent, r io.Reader, region string, stdout io.Writer) error {
	var entries []crm.DNCEntry
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		v, _, _ := strings.Cut(strings.TrimPrefix(sc.Text(), "\uFEFF"), ",")
		v = strings.Trim(strings.TrimSpace(v), `"`)
		if v == "" || (line == 1 && strings.IndexFunc(v, func(r rune) bool { return r >= '0' && r <= '9' }) < 0) {
			continue
		}
		entries = append(entries, crm.DNCEntry{Line: line, Value: v})
	}
	if err := sc.Err(); err != nil {
		return err
	}
	res, err := s.ImportDNC(ctx, actor, entries, region)
	if err != nil {
		return err
	}
	notFound := make([]string, len(res.NotFound))
	for i, n := range res.NotFound {
		notFound[i] = fmt.Sprintf("line %d: %s", n.Line, n.Why)
	}
	return json.NewEncoder(stdout).Encode(struct {
		Set       int      `json:"set"`
		Already   int      `json:"already"`
		Cancelled int      `json:"callbacks_cancelled"`
		NotFound  []string `json:"not_found"`
	}{len(res.Set), res.Already, res.Cancelled, notFound})
}

// importProgress shows a bar with rows/s and the time left on a terminal,
// and a plain line every 50,000 rows otherwise.
type importProgress struct {
	w     io.Writer
	bar   *progressbar.ProgressBar
	file  *os.File
	rows  int
	start time.Time
}

func newImportProgress(w io.Writer, size int64, f *os.File) *importProgress {
	p := &importProgress{w: w, file: f, start: time.Now()}
	if tty, ok := w.(*os.File); ok && xterm.IsTerminal(int(tty.Fd())) && size > 0 {
		p.bar = progressbar.NewOptions64(size, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowBytes(false), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond))
	}
	return p
}

func (p *importProgress) add(n int) {
	before := p.rows
	p.rows += n
	rate := float64(p.rows) / max(time.Since(p.start).Seconds(), 0.001)
	if p.bar != nil {
		if pos, err := p.file.Seek(0, io.SeekCurrent); err == nil {
			p.bar.Describe(fmt.Sprintf("%d rows, %.0f rows/s", p.rows, rate))
			p.bar.Set64(pos)
		}
		return
	}
	if p.rows/50000 != before/50000 {
		fmt.Fprintf(p.w, "dangol: import: %d rows, %.0f rows/s\n", p.rows, rate)
	}
}

// settle puts the search keys the import left waiting into the index,
// saying so first when it takes a while.
func (p *importProgress) settle(ctx context.Context, s *crm.Service) error {
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%d rows, indexing them for search", p.rows))
	} else if p.rows >= 50000 {
		fmt.Fprintf(p.w, "dangol: import: %d rows, indexing them for search\n", p.rows)
	}
	debug.FreeOSMemory() // the batches' memory, before SQLite sorts the keys
	_, err := s.SettleSearchKeys(ctx)
	return err
}

func (p *importProgress) done(res crm.ImportResult) {
	if p.bar != nil {
		p.bar.Finish()
	}
	fmt.Fprintf(p.w, "dangol: import: %d rows in %s\n", p.rows, time.Since(p.start).Round(time.Millisecond))
}
