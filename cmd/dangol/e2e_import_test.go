package main

import (
	"bufio"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestE2EImportKilledHalfwayRunsAgainWithoutTwins(t *testing.T) {
	needE2E(t)
	// More rows than the 50,000 after which the import prints its first
	// progress line (stderr is not a terminal): that line comes once three
	// transactions of 20,000 are committed, and the kill lands while the
	// next are on their way, with 40,000 rows still to go.
	const rows = 100000
	perTx := importBatch * importBatchesPerTx
	db, file := seededAndAFile(t, "K", 6, rows)
	imported := func() int {
		return count(t, db, `SELECT count(*) FROM customers WHERE external_id LIKE 'K%'`)
	}

	cmd := exec.Command(binary, "import", "customers", file, "--db", db)
	progress, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	said := bufio.NewScanner(progress)
	var done int
	for said.Scan() {
		if _, err := fmt.Sscanf(said.Text(), "dangol: import: %d rows,", &done); err == nil {
			break
		}
	}
	if said.Err() != nil || done < 50000 {
		cmd.Process.Kill()
		t.Fatalf("the import never said it had 50,000 rows (last line %q, %v)", said.Text(), said.Err())
	}
	cmd.Process.Signal(syscall.SIGKILL) // kill -9 halfway
	cmd.Wait()
	half := imported()
	if half < done || half >= rows {
		t.Fatalf("%d rows after the kill: want the %d said and not all %d", half, done, rows)
	}
	if half%perTx != 0 {
		t.Errorf("%d rows after a kill: a transaction of %d was half committed", half, perTx)
	}
	if waiting := count(t, db, `SELECT count(DISTINCT customer_id) FROM search_keys_pending`); waiting != half {
		t.Errorf("%d customers' search keys wait after the kill, want the %d committed", waiting, half)
	}
	out, err := exec.Command(binary, "import", "customers", file, "--db", db).Output()
	if err != nil {
		t.Fatalf("the second run: %v %s", err, out)
	}
	if !strings.Contains(string(out), fmt.Sprintf(`"created":%d`, rows-half)) || !strings.Contains(string(out), fmt.Sprintf(`"unchanged":%d`, half)) {
		t.Errorf("the second run after %d rows: %s", half, out)
	}
	if got := imported(); got != rows {
		t.Errorf("%d customers imported, want %d", got, rows)
	}
	if waiting, keyed := count(t, db, `SELECT count(*) FROM search_keys_pending`),
		count(t, db, `SELECT count(DISTINCT customer_id) FROM search_keys k JOIN customers c ON c.id = k.customer_id WHERE c.external_id LIKE 'K%'`); waiting != 0 || keyed != rows {
		t.Errorf("after the second run %d search keys wait and %d customers of %d have keys", waiting, keyed, rows)
	}
	if twins := count(t, db, `SELECT count(*) FROM (SELECT e164 FROM phones WHERE e164 LIKE '+82106%' GROUP BY e164 HAVING count(*) > 1)`); twins != 0 {
		t.Errorf("%d numbers belong to two customers", twins)
	}
	if out, err := exec.Command(binary, "check", "--db", db).CombinedOutput(); err != nil {
		t.Errorf("dangol check after the kill: %v %s", err, out)
	}
}

// An import that runs out of room (here a file-size limit, as a full
// disk) stops with a message that says what is kept: whole transactions,
// with their search keys waiting; run again with room, it adds the rest.
func TestE2EImportOutOfRoomKeepsWholeTransactions(t *testing.T) {
	needE2E(t)
	const rows = 60000
	db, file := seededAndAFile(t, "F", 7, rows)
	// 25 MB a file: room for some of the 60,000 rows, not all (from 20 to
	// 30 MB two of the three transactions fit; 15 MB none, 40 MB all)
	cmd := exec.Command("sh", "-c", `ulimit -f 50000 && exec "$0" import customers "$1" --db "$2"`, binary, file, db)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the import fitted in 25 MB:\n%s", out)
	}
	imported := count(t, db, `SELECT count(*) FROM customers WHERE external_id LIKE 'F%'`)
	perTx := importBatch * importBatchesPerTx
	if imported == 0 || imported >= rows || imported%perTx != 0 {
		t.Fatalf("%d rows kept: want some whole transactions of %d\n%s", imported, perTx, out[max(0, len(out)-600):])
	}
	for _, want := range []string{"the disk refused the write", fmt.Sprintf("the %d rows before it are imported", imported),
		"not yet found by search"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the import said\n%s\nwithout %q", out, want)
		}
	}
	if waiting := count(t, db, `SELECT count(DISTINCT customer_id) FROM search_keys_pending`); waiting != imported {
		t.Errorf("%d customers' keys wait, want the %d imported", waiting, imported)
	}
	again, err := exec.Command(binary, "import", "customers", file, "--db", db).Output()
	if err != nil || !strings.Contains(string(again), fmt.Sprintf(`"created":%d`, rows-imported)) {
		t.Fatalf("run again with room: %v %s", err, again)
	}
	if waiting, keyed := count(t, db, `SELECT count(*) FROM search_keys_pending`),
		count(t, db, `SELECT count(DISTINCT customer_id) FROM search_keys k JOIN customers c ON c.id = k.customer_id WHERE c.external_id LIKE 'F%'`); waiting != 0 || keyed != rows {
		t.Errorf("after the second run %d keys wait and %d customers of %d have keys", waiting, keyed, rows)
	}
}

// seededAndAFile is a demo database of 50 customers and a file of rows new
// customers: external ids tag0…, numbers 010-<digit>…, addresses tag0@….
func seededAndAFile(t *testing.T, tag string, digit, rows int) (db, file string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), tag+".db")
	if out, err := exec.Command(binary, "seed", "--db", db, "--customers", "50").CombinedOutput(); err != nil {
		t.Fatalf("seed: %v %s", err, out)
	}
	var b strings.Builder
	b.WriteString("고객번호,이름,휴대폰,이메일\n")
	lower := strings.ToLower(tag)
	for i := range rows {
		fmt.Fprintf(&b, "%s%d,고객%d,010-%d%03d-%04d,%s%d@example.com\n", tag, i, i, digit, i/10000, i%10000, lower, i)
	}
	return db, writeFile(t, tag+".csv", b.String())
}

// SIGTERM during an import: it stops within a second at the last commit,
// says how to go on, and the same command then imports the rest.
func TestE2EImportStopsOnASignal(t *testing.T) {
	needE2E(t)
	const rows = 100000
	perTx := importBatch * importBatchesPerTx
	db, file := seededAndAFile(t, "S", 7, rows)
	cmd := exec.Command(binary, "import", "customers", file, "--db", db)
	progress, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	said := bufio.NewScanner(progress)
	for said.Scan() {
		if strings.Contains(said.Text(), "rows,") {
			break
		}
	}
	sent := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	var last string
	for said.Scan() {
		last = said.Text()
	}
	err = cmd.Wait()
	took := time.Since(sent)
	if err == nil || took > time.Second {
		t.Errorf("after SIGTERM: exit %v in %s, want a failure within a second", err, took.Round(time.Millisecond))
	}
	if !strings.Contains(last, "import stopped by a signal") || !strings.Contains(last, "run the same command again") {
		t.Errorf("the last line should say it stopped and how to go on: %q", last)
	}
	in := count(t, db, `SELECT count(*) FROM customers WHERE external_id LIKE 'S%'`)
	if in == 0 || in%perTx != 0 || in >= rows {
		t.Errorf("%d rows in after the signal: want whole transactions of %d, not all", in, perTx)
	}
	if out, err := exec.Command(binary, "import", "customers", file, "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("the second run: %v %s", err, out)
	}
	if n := count(t, db, `SELECT count(*) FROM customers WHERE external_id LIKE 'S%'`); n != rows {
		t.Errorf("%d rows after the second run, want %d", n, rows)
	}
}
