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
		if err := s.Export(ctx, &jl, table, "jsonl", loc); err != nil {
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
		if err := s.Export(ctx, &cb, table, "csv", loc); err != nil {
			t.Fatalf("%s csv: %v", table, err)
		}
		recs, err := csv.NewReader(&cb).ReadAll()
		if err != nil || len(recs) != rows+1 || recs[0][0] != "id" {
			t.Errorf("%s csv: %d records (want %d + header), %v", table, len(recs), rows, err)
		}
	}

	var jl bytes.Buffer
	s.Export(ctx, &jl, "interactions", "jsonl", loc)
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
	if err := s.Export(context.Background(), &bytes.Buffer{}, "secrets", "csv", time.UTC); !errors.As(err, &ue) ||
		!strings.Contains(err.Error(), "audit, callbacks, customers, interactions") {
		t.Errorf("bad table: %v", err)
	}
	if err := s.Export(context.Background(), &bytes.Buffer{}, "customers", "xml", time.UTC); !errors.As(err, &ue) {
		t.Errorf("bad format: %v", err)
	}
}
