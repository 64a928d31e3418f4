package ingest

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/transform"
)

func readAll(t *testing.T, text string, o Options) (*Reader, []Row, []*RowError) {
	t.Helper()
	rd, err := NewReader(strings.NewReader(text), o)
	if err != nil {
		t.Fatal(err)
	}
	var rows []Row
	var bad []*RowError
	for {
		r, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return rd, rows, bad
		}
		var re *RowError
		if errors.As(err, &re) {
			bad = append(bad, re)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
}

func TestUglyFilesReadAsPeopleMeantThem(t *testing.T) {
	cp949, _, err := transform.String(korean.EUCKR.NewEncoder(), "고객명,휴대폰,이메일,가입경로\n김민준,010-1234-5678,minjun@example.com,홈쇼핑\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		text     string
		encoding string
		comma    rune
		want     []map[Field][]string
		unknown  []string
		attrs    [][2]string // of the first row
	}{
		{name: "utf-8 with a BOM, Korean headers", text: "\uFEFF이름,전화번호,이메일\n김민준,010-1234-5678,a@b.kr\n",
			encoding: "utf-8", comma: ',',
			want: []map[Field][]string{{Name: {"김민준"}, Phone: {"010-1234-5678"}, Email: {"a@b.kr"}}}},
		{name: "cp949 detected", text: cp949, encoding: "cp949", comma: ',',
			want:    []map[Field][]string{{Name: {"김민준"}, Phone: {"010-1234-5678"}, Email: {"minjun@example.com"}}},
			unknown: []string{"가입경로"}, attrs: [][2]string{{"가입경로", "홈쇼핑"}}},
		{name: "quotes, embedded commas and newlines", encoding: "utf-8", comma: ',',
			text: "Name,Phone,Notes\n\"Park, Emily\",\"+82 10 1234 5678\",\"line one\nline two, with \"\"quotes\"\"\"\n",
			want: []map[Field][]string{{Name: {"Park, Emily"}, Phone: {"+82 10 1234 5678"}}}, unknown: []string{"Notes"},
			attrs: [][2]string{{"Notes", "line one\nline two, with \"quotes\""}}},
		{name: "tab separated, family and given names", encoding: "utf-8", comma: '\t',
			text: "성\t이름\t연락처\n김\t민준\t02-123-4567\n",
			want: []map[Field][]string{{Family: {"김"}, Given: {"민준"}, Name: {"김민준"}, Phone: {"02-123-4567"}}}},
		{name: "semicolons, English first and last names, two phones", encoding: "utf-8", comma: ';',
			text: "First Name;Last Name;Mobile;Home Phone;E-mail\nEmily;Clark;+1-940-986-3836x4639;;emily@x.com\n",
			want: []map[Field][]string{{Given: {"Emily"}, Family: {"Clark"}, Name: {"Emily Clark"},
				Phone: {"+1-940-986-3836x4639", ""}, Email: {"emily@x.com"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rd, rows, bad := readAll(t, tc.text, Options{})
			if rd.Encoding != tc.encoding || rd.Comma != tc.comma {
				t.Errorf("read as %s with %q, want %s with %q", rd.Encoding, rd.Comma, tc.encoding, tc.comma)
			}
			if len(bad) != 0 || len(rows) != len(tc.want) {
				t.Fatalf("rows %d, unreadable %v; want %d", len(rows), bad, len(tc.want))
			}
			for i, w := range tc.want {
				if !reflect.DeepEqual(rows[i].Values, w) {
					t.Errorf("row %d = %q, want %q", i, rows[i].Values, w)
				}
			}
			if !reflect.DeepEqual(rd.Unknown, tc.unknown) {
				t.Errorf("unknown columns %q, want %q", rd.Unknown, tc.unknown)
			}
			if tc.attrs != nil && !reflect.DeepEqual(rows[0].Attrs, tc.attrs) {
				t.Errorf("attributes %q, want %q", rows[0].Attrs, tc.attrs)
			}
		})
	}
}

func TestABrokenLineIsReportedAndReadingGoesOn(t *testing.T) {
	_, rows, bad := readAll(t, "name,phone\n김민준,010-1111-2222\nbroken \"quote,010\n이서연,010-3333-4444\n", Options{})
	if len(bad) != 1 || bad[0].Line != 3 {
		t.Fatalf("unreadable = %v, want line 3", bad)
	}
	if len(rows) != 2 || rows[1].Get(Name) != "이서연" || rows[1].Line != 4 {
		t.Errorf("rows after the broken one: %+v", rows)
	}
}

func TestMapNamesColumnsTheHeadersDoNot(t *testing.T) {
	rd, rows, _ := readAll(t, "cliente,tel,código\nAna Kim,010-1234-5678,A-17\n",
		Options{Map: map[string]Field{"cliente": Name, "código": ExternalID}})
	if rows[0].Get(Name) != "Ana Kim" || rows[0].Get(ExternalID) != "A-17" || rows[0].Get(Phone) != "010-1234-5678" {
		t.Errorf("row = %+v", rows[0])
	}
	if len(rd.Unknown) != 0 {
		t.Errorf("unknown %q", rd.Unknown)
	}
	if _, err := NewReader(strings.NewReader("foo,bar\n1,2\n"), Options{}); err == nil || !strings.Contains(err.Error(), "--map") {
		t.Errorf("a file without a name column: %v", err)
	}
	if _, err := NewReader(strings.NewReader(""), Options{}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("an empty file: %v", err)
	}
	if _, err := NewReader(strings.NewReader("name\nx\n"), Options{Encoding: "latin-1"}); err == nil {
		t.Error("an unknown encoding was accepted")
	}
}

// Headers as real exports write them are recognised without --map:
// numbered and suffixed phone and e-mail columns (Google's and Outlook's
// contacts, a CRM's), and Korean ones; a "Type" column and a header
// nothing knows stay attributes, named.
func TestHeadersAsExportsWriteThem(t *testing.T) {
	for _, tc := range []struct {
		header  string
		want    map[Field]int // how many columns of each field
		unknown []string
	}{
		{"Name,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,E-mail 1 - Type,E-mail 1 - Value",
			map[Field]int{Name: 1, Phone: 2, Email: 1}, []string{"Phone 1 - Type", "Phone 2 - Type", "E-mail 1 - Type"}},
		{"First Name,Last Name,Mobile Phone,Business Phone,Home Phone,E-mail Address,E-mail 2 Address",
			map[Field]int{Given: 1, Family: 1, Phone: 3, Email: 2}, nil},
		{"Name,Phone 1,Phone 2,Email 1,Email 2", map[Field]int{Name: 1, Phone: 2, Email: 2}, nil},
		{"고객명,휴대폰번호,핸드폰,연락처2,전자우편,고객번호,가입 경로", map[Field]int{Name: 1, Phone: 3, Email: 1, ExternalID: 1},
			[]string{"가입 경로"}},
		{"이름,휴대폰 번호,연락처 1,이메일 주소", map[Field]int{Name: 1, Phone: 2, Email: 1}, nil},
	} {
		rd, err := NewReader(strings.NewReader(tc.header+"\n"), Options{})
		if err != nil {
			t.Errorf("%s: %v", tc.header, err)
			continue
		}
		got := map[Field]int{}
		for _, f := range rd.Columns {
			if f != Attribute {
				got[f]++
			}
		}
		if !reflect.DeepEqual(got, tc.want) || !reflect.DeepEqual(rd.Unknown, tc.unknown) {
			t.Errorf("%s:\n got %v, attributes %q\nwant %v, attributes %q", tc.header, got, rd.Unknown, tc.want, tc.unknown)
		}
	}
}
