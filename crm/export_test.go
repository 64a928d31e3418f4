package crm

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestExportEveryRow(t *testing.T) {
	s := newDemo(t, 20)
	ctx := context.Background()
	loc := time.FixedZone("KST", 9*3600)
	s.AddNote(ctx, agent(t, s, "junho"), NewNote{CustomerID: 4, Body: "따옴표 \"와\" 쉼표, 줄바꿈\n있는 메모"})
	for _, table := range ExportTables() {
		want := map[string]string{"customers": `customers`, "interactions": `interactions`,
			"callbacks": `callbacks`, "audit": `audit_log`}[table]
		rows := count(t, s, `SELECT count(*) FROM `+want)

		var jl bytes.Buffer
		if err := s.Export(ctx, &jl, table, ExportOptions{Format: "jsonl", Loc: loc}); err != nil {
			t.Fatalf("%s jsonl: %v", table, err)
		}
		lines := strings.Split(strings.TrimSuffix(jl.String(), "\n"), "\n")
		if jl.Len() == 0 {
			lines = nil
		}
		if len(lines) != rows {
			t.Errorf("%s jsonl: %d lines, want %d", table, len(lines), rows)
		}
		for _, l := range lines {
			var obj map[string]any
			if err := json.Unmarshal([]byte(l), &obj); err != nil || obj["id"] == nil {
				t.Fatalf("%s: bad line %q: %v", table, l, err)
			}
		}

		var cb bytes.Buffer
		if err := s.Export(ctx, &cb, table, ExportOptions{Format: "csv", Loc: loc}); err != nil {
			t.Fatalf("%s csv: %v", table, err)
		}
		recs, err := csv.NewReader(&cb).ReadAll()
		if err != nil || len(recs) != rows+1 || recs[0][0] != "id" {
			t.Errorf("%s csv: %d records (want %d + header), %v", table, len(recs), rows, err)
		}
	}

	var jl bytes.Buffer
	s.Export(ctx, &jl, "interactions", ExportOptions{Format: "jsonl", Loc: loc})
	lines := strings.Split(strings.TrimSpace(jl.String()), "\n")
	var last map[string]any
	json.Unmarshal([]byte(lines[len(lines)-1]), &last)
	if last["note"] != "따옴표 \"와\" 쉼표, 줄바꿈\n있는 메모" || last["agent"] != "junho" ||
		last["created_at"] != "2026-11-23T14:00:00+09:00" || last["channel"] != "phone" {
		t.Errorf("last interaction = %v", last)
	}
}

func TestExportUsageErrors(t *testing.T) {
	s := newDemo(t, 1)
	var ue *UsageError
	if err := s.Export(context.Background(), &bytes.Buffer{}, "secrets", ExportOptions{Format: "csv", Loc: time.UTC}); !errors.As(err, &ue) ||
		!strings.Contains(err.Error(), "audit, callbacks, customers, interactions") {
		t.Errorf("bad table: %v", err)
	}
	if err := s.Export(context.Background(), &bytes.Buffer{}, "customers", ExportOptions{Format: "xml", Loc: time.UTC}); !errors.As(err, &ue) {
		t.Errorf("bad format: %v", err)
	}
}

func TestCSVCellsCannotRunAsFormulas(t *testing.T) {
	cases := map[string]string{
		`=HYPERLINK("http://evil","click")`: `'=HYPERLINK("http://evil","click")`,
		"+cmd|' /C calc'!A0":                "'+cmd|' /C calc'!A0",
		"-2+3":                              "'-2+3",
		"@SUM(A1:A2)":                       "'@SUM(A1:A2)",
		"\t=1":                              "'\t=1",
		"\r=1":                              "'\r=1",
		"-500":                              "-500",
		"-12.5":                             "-12.5",
		"김민준":                               "김민준",
		"a\x1b[31mred":                      "a\uFFFD[31mred",
		"bad \xff byte":                     "bad \uFFFD byte",
		"c1 \u009b here":                    "c1 \uFFFD here",
		"줄\n바꿈":                             "줄\n바꿈",
		"":                                  "",
	}
	for in, want := range cases {
		if got := SpreadsheetSafe(in); got != want {
			t.Errorf("SpreadsheetSafe(%q) = %q, want %q", in, got, want)
		}
	}

	s := newDemo(t, 5)
	ctx := context.Background()
	evil := "=HYPERLINK(\"http://x\",\"y\")\x1b]8;;http://x\x07"
	if _, err := s.AddNote(ctx, agent(t, s, "junho"), NewNote{CustomerID: 2, Body: evil}); err != nil {
		t.Fatal(err)
	}
	var safe, raw, jl bytes.Buffer
	s.Export(ctx, &safe, "interactions", ExportOptions{Format: "csv"})
	s.Export(ctx, &raw, "interactions", ExportOptions{Format: "csv", Raw: true})
	s.Export(ctx, &jl, "interactions", ExportOptions{Format: "jsonl"})
	recs, err := csv.NewReader(&safe).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := recs[len(recs)-1]
	if note := last[6]; !strings.HasPrefix(note, "'=HYPERLINK") || strings.ContainsAny(note, "\x1b\x07") {
		t.Errorf("csv note cell = %q", note)
	}
	if !strings.Contains(raw.String(), "\x1b]8;;http://x\x07") {
		t.Error("--raw should keep the cell exact")
	}
	lines := strings.Split(strings.TrimSpace(jl.String()), "\n")
	var obj map[string]any
	json.Unmarshal([]byte(lines[len(lines)-1]), &obj)
	if obj["note"] != evil {
		t.Errorf("jsonl must stay exact: %q", obj["note"])
	}
}
