package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
)

// Import beside its floor: the real `dangol import customers --new` of a
// generated file (Korean names, phones in the shapes people write them,
// e-mails, birthdays, a column kept as an attribute) into a new database,
// and, into another new database, the same rows already read and
// normalised, written by the import's own statements in the same batches
// and transactions, their search keys settled the same way: SQLite's
// floor for the work, with no file read and no number parsed. The import
// may read and prepare on every core while its one writer writes.

// importRecord is one generated customer, as the file has it.
type importRecord struct {
	ext, name, phone, email, birthday, note string
}

var (
	familyNames = []string{"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황", "안", "송", "류", "홍"}
	givenNames  = []string{"민준", "서연", "도윤", "지우", "하준", "서윤", "은우", "지유", "시우", "하윤", "지호", "수아", "예준", "지아",
		"유준", "채원", "건우", "다은", "현우", "예은", "선우", "소율", "우진", "윤서", "정우", "민서", "승현", "지민", "준서", "수빈"}
	mailHosts = []string{"naver.com", "gmail.com", "daum.net", "kakao.com", "hanmail.net"}
	notes     = []string{"VIP 행사 참석", "매장 방문 선호", "주말 통화", "", "문자 선호", ""}
)

// importRecords makes n customers, the same for a seed.
func importRecords(n int) func(yield func(int, importRecord) bool) {
	return func(yield func(int, importRecord) bool) {
		rng := rand.New(rand.NewPCG(seed, 7))
		for i := range n {
			mid, last := 1000+(i/9000)%9000, 1000+i%9000 // every number its own: no twins
			phone := [...]string{"010-%d-%d", "010%d%d", "+82 10 %d %d", "010 %d %d"}[rng.IntN(4)]
			rec := importRecord{
				ext:      fmt.Sprintf("B%07d", i+1),
				name:     familyNames[rng.IntN(len(familyNames))] + givenNames[rng.IntN(len(givenNames))],
				phone:    fmt.Sprintf(phone, mid, last),
				birthday: fmt.Sprintf("%d-%02d-%02d", 1950+rng.IntN(55), 1+rng.IntN(12), 1+rng.IntN(28)),
				note:     notes[rng.IntN(len(notes))],
			}
			rec.email = fmt.Sprintf("c%d.%d@%s", i+1, last, mailHosts[rng.IntN(len(mailHosts))])
			if !yield(i, rec) {
				return
			}
		}
	}
}

// importRow is a record as crm takes a row of the file.
func (r importRecord) importRow(line int) crm.ImportRow {
	row := crm.ImportRow{Line: line, ExternalID: r.ext, Name: r.name, Phones: []string{r.phone}, Emails: []string{r.email},
		Birthday: r.birthday}
	if r.note != "" {
		row.Attrs = [][2]string{{"메모", r.note}}
	}
	return row
}

// importFloor measures the import of ImportRows generated rows beside its
// floor.
func (f *fixture) importFloor(ctx context.Context, r *Result) error {
	n := f.o.ImportRows
	dir, err := f.scratch("bench-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "customers.csv")
	if err := writeImportFile(file, n); err != nil {
		return err
	}
	fmt.Fprintf(f.o.Progress, "bench: importing %d generated rows\n", n)
	cmd := exec.CommandContext(ctx, f.o.Binary, "import", "customers", file, "--new", "--db", filepath.Join(dir, "import.db"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	var out bytes.Buffer
	cmd.Stdout = &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	peak := watchPeak(cmd.Process.Pid)
	err = cmd.Wait()
	took := time.Since(start)
	r.ImportMB = float64(peak()) / 1024
	if err != nil {
		return fmt.Errorf("dangol import: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if !strings.Contains(out.String(), fmt.Sprintf(`"created":%d`, n)) {
		return fmt.Errorf("dangol import created other than %d customers: %s", n, out.String())
	}
	r.ImportRowsPerS = float64(n) / took.Seconds()

	fmt.Fprintf(f.o.Progress, "bench: the same rows by the import's statements alone (the floor)\n")
	floor, err := writeFloor(ctx, filepath.Join(dir, "floor.db"), n)
	if err != nil {
		return err
	}
	r.ImportFloorRowsPerS = float64(n) / floor.Seconds()
	r.ImportFloorRatio = r.ImportRowsPerS / r.ImportFloorRowsPerS
	return nil
}

// writeImportFile writes n generated customers as a CSV file with Korean headers.
func writeImportFile(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(buf)
	_ = w.Write([]string{"고객번호", "이름", "휴대폰", "이메일", "생년월일", "메모"})
	for _, rec := range importRecords(n) {
		_ = w.Write([]string{rec.ext, rec.name, rec.phone, rec.email, rec.birthday, rec.note})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	if err := buf.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeFloor writes n generated customers into a new database at path as
// the import does, each transaction's rows prepared before its clock
// starts: the time of the writing alone.
func writeFloor(ctx context.Context, path string, n int) (time.Duration, error) {
	d, err := db.Open(ctx, path)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	s := crm.New(d)
	if _, err := s.EnsureSearchIndex(ctx, nil); err != nil { // as the import's new file
		return 0, err
	}
	actor := crm.OSActor()
	now := time.Now()
	var took time.Duration
	var plans []crm.ImportPlan
	var rows []crm.ImportRow
	flush := func() error {
		start := time.Now()
		err := d.Tx(ctx, func(tx *db.Tx) error {
			for _, p := range plans {
				if _, err := s.ImportPlanned(ctx, tx, actor, p, now); err != nil {
					return err
				}
			}
			return nil
		})
		took += time.Since(start)
		plans = plans[:0]
		return err
	}
	for i, rec := range importRecords(n) {
		rows = append(rows, rec.importRow(i+2))
		if len(rows) == crm.ImportBatchRows || i == n-1 {
			plans = append(plans, crm.PrepareImport(rows, "KR", now))
			rows = nil
			if len(plans) == crm.ImportBatchesPerTx || i == n-1 {
				if err := flush(); err != nil {
					return 0, err
				}
			}
		}
	}
	start := time.Now()
	if _, err := s.SettleSearchKeys(ctx); err != nil {
		return 0, err
	}
	return took + time.Since(start), nil
}

// watchPeak reads a running process's peak resident memory (VmHWM, in
// KiB) every 50 ms until it exits; the returned func stops and gives the
// last reading. (The child's rusage maxrss will not do: a child started by
// a large process inherits that process's peak at exec, and the bench's
// own 400 MB showed as the import's.)
func watchPeak(pid int) func() int {
	var mu sync.Mutex
	peak := 0
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			if kb := statusKB(pid, "VmHWM:"); kb > 0 {
				mu.Lock()
				peak = max(peak, kb)
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() int {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
