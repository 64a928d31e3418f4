package main

import (
	"bufio"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestE2EImportKilledHalfwayRunsAgainWithoutTwins(t *testing.T) {
	needE2E(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "kill.db")
	if out, err := exec.Command(binary, "seed", "--db", db, "--customers", "50").CombinedOutput(); err != nil {
		t.Fatalf("seed: %v %s", err, out)
	}
	// More rows than the 50,000 after which the import prints its first
	// progress line (stderr is not a terminal): that line comes once three
	// transactions of 20,000 are committed, and the kill lands while the
	// next are on their way, with 40,000 rows still to go.
	const rows = 100000
	perTx := importBatch * importBatchesPerTx
	var b strings.Builder
	b.WriteString("고객번호,이름,휴대폰,이메일\n")
	for i := range rows {
		fmt.Fprintf(&b, "K%d,고객%d,010-6%03d-%04d,k%d@example.com\n", i, i, i/10000, i%10000, i)
	}
	file := writeFile(t, "big.csv", b.String())
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
