package ingest

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

// A line of 2 MB (and one with a quote that never closes) is one row
// error each, with its line number; the rows after are read, and the
// reader never holds the long line.
func TestOverlongRecordsAreRowErrors(t *testing.T) {
	long := strings.Repeat("x", 2*MaxRecord)
	text := "name,phone\n김민준,010-1111-2222\n" + long + ",010\n이서연,010-3333-4444\n" +
		"\"never closed," + strings.Repeat("y", MaxRecord/4) + "\n" + strings.Repeat("z,1\n", MaxRecord/2) + "박지후,010-5555-6666\n"
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, rows, bad := readAll(t, text, Options{})
	if len(bad) < 2 || bad[0].Line != 3 || !strings.Contains(bad[0].Why, "longer than") {
		t.Fatalf("row errors: %+v", bad)
	}
	names := map[string]int{}
	for _, r := range rows {
		names[r.Get(Name)] = r.Line
		if len(r.Get(Name)) > MaxRecord {
			t.Fatalf("a row of %d bytes was read", len(r.Get(Name)))
		}
	}
	if names["이서연"] != 4 || names["김민준"] != 2 {
		t.Errorf("the rows around the long line: %v", names)
	}
	if _, ok := names["박지후"]; !ok {
		t.Errorf("the row after a quote that never closed was lost (%d rows, errors %+v)", len(rows), bad)
	}
}

// A file that is one endless line (what /dev/zero would be) ends in one
// error, read with bounded memory.
func TestAnEndlessLineIsBounded(t *testing.T) {
	r := io.MultiReader(strings.NewReader("name\n"), io.LimitReader(zeros{}, 50*MaxRecord))
	rd, err := NewReader(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	errs := 0
	for {
		_, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *RowError
		if !errors.As(err, &re) {
			t.Fatal(err)
		}
		errs++
	}
	runtime.ReadMemStats(&after)
	if errs == 0 {
		t.Error("50 MB without a newline read as rows")
	}
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 16*MaxRecord {
		t.Errorf("reading 50 MB without a newline took %d MB of heap", grew>>20)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestDuplicateColumnsAreRefusedUnlessMapped(t *testing.T) {
	for _, header := range []string{"name,phone,Name\n", "이름,성명,전화번호\n", "name,메모,메 모\n"} {
		_, err := NewReader(strings.NewReader(header+"a,b,c\n"), Options{})
		if err == nil || !strings.Contains(err.Error(), "columns 1 and 3") && !strings.Contains(err.Error(), "columns 1 (") &&
			!strings.Contains(err.Error(), "columns 2 and 3") {
			t.Errorf("%q: %v, want a refusal naming both columns", header, err)
		}
	}
	rd, rows, _ := readAll(t, "이름,성명,전화번호\n김민준,김 민준,010-1234-5678\n", Options{Map: map[string]Field{"성명": Name}})
	if rows[0].Get(Name) != "김 민준" || len(rd.Unknown) != 1 || rd.Unknown[0] != "이름" {
		t.Errorf("--map 성명=name: row %+v, kept %q", rows[0], rd.Unknown)
	}
	_, rows, _ = readAll(t, "name,phone,mobile,email,e-mail\nKim,010-1,010-2,a@x.kr,b@x.kr\n", Options{})
	if len(rows[0].Values[Phone]) != 2 || len(rows[0].Values[Email]) != 2 {
		t.Errorf("several phone and e-mail columns are all kept: %+v", rows[0].Values)
	}
}

// One bad byte in a UTF-8 file is that row's error; the file stays UTF-8.
func TestOneBadByteIsARowError(t *testing.T) {
	text := "이름,전화번호\n김민준,010-1111-2222\n이\xff서연,010-3333-4444\n박지후,010-5555-6666\n"
	rd, rows, bad := readAll(t, text, Options{})
	if rd.Encoding != "utf-8" || len(rows) != 2 || len(bad) != 1 || bad[0].Line != 3 {
		t.Errorf("encoding %s, %d rows, errors %+v", rd.Encoding, len(rows), bad)
	}
}

// A header's escape sequences never reach a message.
func TestHeaderCellsAreCleanInMessages(t *testing.T) {
	_, err := NewReader(strings.NewReader("\x1b]0;pwned\x07foo,\x1b[31mbar\nx,y\n"), Options{})
	if err == nil || strings.ContainsAny(err.Error(), "\x1b\x07") {
		t.Errorf("the message: %q", err)
	}
	_, err = NewReader(strings.NewReader("\x1b[2Jname,\x1b[2Jname\nx,y\n"), Options{})
	if err == nil || strings.ContainsAny(err.Error(), "\x1b") {
		t.Errorf("the duplicate's message: %q", err)
	}
}

// FuzzReader: any bytes, with any --map, read without a panic, and no row
// longer than a record may be.
func FuzzReader(f *testing.F) {
	for _, seed := range []string{"name,phone\n김민준,010-1111-2222\n", "\"a\nb\",c\nd\n", "이름;전화\n\"x\"\"y\";1\n",
		"\xef\xbb\xbfname\tmobile\n\"unterminated\n", "\xb0\xed\xb0\xb4,\xc0\xfc\xc8\xad\n"} {
		f.Add([]byte(seed), "phone")
	}
	f.Fuzz(func(t *testing.T, data []byte, mapTo string) {
		rd, err := NewReader(strings.NewReader(string(data)), Options{Map: map[string]Field{"a": Field(mapTo)}})
		if err != nil {
			if strings.ContainsAny(err.Error(), "\x1b\x07\u009b") {
				t.Fatalf("an escape in the message: %q", err)
			}
			return
		}
		for range 10000 {
			row, err := rd.Next()
			if err != nil {
				var re *RowError
				if errors.As(err, &re) {
					continue
				}
				return
			}
			for _, vs := range row.Values {
				for _, v := range vs {
					if len(v) > MaxRecord+8 {
						t.Fatalf("a value of %d bytes", len(v))
					}
				}
			}
		}
	})
}
