package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/db"
	_ "github.com/mattn/go-sqlite3"
)

// callable makes n pool callbacks that may be called at any hour (customer
// complaints) and are due now, so the tests do not depend on the clock.
func callable(t *testing.T, path string, n int) {
	t.Helper()
	d, err := db.Open(context.Background(), path) // a file, or a PostgreSQL URL
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.Exec(`UPDATE callbacks SET state = 'cancelled', claimed_by = NULL, claimed_at = NULL, lease_until = NULL`) // only ours are open
	var customers, phones []int64
	rows, err := d.Query(`SELECT c.id, min(p.id) FROM customers c JOIN phones p ON p.customer_id = c.id AND p.invalid = 0
		WHERE c.dnc = 0 AND c.tz = 'Asia/Seoul' GROUP BY c.id ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c, p int64
		rows.Scan(&c, &p)
		customers, phones = append(customers, c), append(phones, p)
	}
	rows.Close()
	now := time.Now().Unix()
	for i := 0; i < n; i++ {
		k := i % len(customers)
		if _, err := d.Exec(`INSERT INTO callbacks(customer_id, phone_id, kind, reason, priority, due_at, state, max_attempts,
			created_at, updated_at) VALUES (?, ?, 'complaint', 'cli test', 2, ?, 'scheduled', 5, ?, ?)`,
			customers[k], phones[k], now-60, now, now); err != nil {
			t.Fatal(err)
		}
	}
}

func decode(t *testing.T, out string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not one JSON object: %q: %v", out, err)
	}
	return m
}

func TestQueueNextDoneRelease(t *testing.T) {
	path := seeded(t)
	callable(t, path, 2)
	code, out, stderr := dangol(t, "queue", "next", "--db", path, "--agent", "minji")
	if code != 0 {
		t.Fatalf("next: exit %d %s", code, stderr)
	}
	first := decode(t, out)
	if first["state"] != "claimed" || first["claimed_by"] != "minji" || first["lease_until"] == nil || first["phone"] == "" {
		t.Errorf("next = %v", first)
	}
	id := fmt.Sprint(first["id"])

	code, _, stderr = dangol(t, "queue", "done", id, "--db", path, "--agent", "junho", "--disposition", "resolved")
	if code != 1 || !strings.Contains(stderr, "minji's claim") {
		t.Errorf("junho finishing minji's call: exit %d %q", code, stderr)
	}
	code, out, stderr = dangol(t, "queue", "done", id, "--db", path, "--agent", "minji", "--disposition", "follow_up",
		"--due", "내일 오후 3시", "--note", "CLI 메모: 내일 다시 통화")
	if code != 0 {
		t.Fatalf("done: exit %d %s", code, stderr)
	}
	done := decode(t, out)
	due, _ := time.Parse(time.RFC3339, done["due_at"].(string))
	seoul := time.FixedZone("KST", 9*3600)
	if done["state"] != "scheduled" || done["owner"] != "minji" || due.In(seoul).Hour() != 15 || done["disposition"] != "follow_up" {
		t.Errorf("done = %v", done)
	}
	_, notes, _ := dangol(t, "export", "interactions", "--db", path, "--format", "csv")
	if !strings.Contains(notes, "CLI 메모: 내일 다시 통화") {
		t.Error("the --note was not stored")
	}

	code, out, _ = dangol(t, "queue", "next", "--db", path, "--agent", "junho")
	second := decode(t, out)
	id2 := fmt.Sprint(second["id"])
	if code != 0 || second["claimed_by"] != "junho" {
		t.Fatalf("second next: %d %v", code, second)
	}
	if code, out, _ = dangol(t, "queue", "release", id2, "--db", path, "--agent", "junho"); code != 0 || decode(t, out)["state"] != "scheduled" {
		t.Errorf("release: %d %s", code, out)
	}
	dangol(t, "queue", "next", "--db", path, "--agent", "junho")
	code, out, stderr = dangol(t, "queue", "next", "--db", path, "--agent", "junho")
	if code != 3 || out != "" || !strings.Contains(stderr, "nothing for junho to call now") {
		t.Errorf("empty queue: exit %d out %q err %q; want exit 3", code, out, stderr)
	}
}

func TestQueueAdd(t *testing.T) {
	path := seeded(t)
	code, out, stderr := dangol(t, "queue", "add", "--db", path, "--customer", "3", "--due", "2h", "--pool", "--reason", "재입고 안내", "--priority", "2")
	if code != 0 {
		t.Fatalf("add: exit %d %s", code, stderr)
	}
	cb := decode(t, out)
	if cb["owner"] != "pool" || cb["priority"] != float64(2) || cb["reason"] != "재입고 안내" || cb["state"] != "scheduled" {
		t.Errorf("added = %v", cb)
	}
	code, out, _ = dangol(t, "queue", "add", "--db", path, "--customer", "3", "--due", "tomorrow 3pm", "--agent", "junho")
	if code != 0 || decode(t, out)["owner"] != "junho" {
		t.Errorf("add for junho: %d %s", code, out)
	}
	// The kind as the console shows it, in Korean too.
	code, out, stderr = dangol(t, "queue", "add", "--db", path, "--customer", "3", "--due", "2h", "--pool", "--kind", "불만")
	if code != 0 || decode(t, out)["kind"] != "complaint" {
		t.Errorf("add --kind 불만: %d %s %s", code, out, stderr)
	}
	code, _, stderr = dangol(t, "queue", "add", "--db", path, "--customer", "3", "--due", "2h", "--pool", "--kind", "전화")
	if code != 1 || !strings.Contains(stderr, `kind "전화"`) {
		t.Errorf("add --kind 전화: %d %s", code, stderr)
	}
}

func TestQueueUsageErrors(t *testing.T) {
	path := seeded(t)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"queue"}, 2, "queue needs a command"},
		{[]string{"queue", "fly"}, 2, `unknown queue command "fly"`},
		{[]string{"queue", "next", "--db", path}, 2, "needs --agent"},
		{[]string{"queue", "next", "--db", path, "--agent", "ghost"}, 2, `unknown agent "ghost"`},
		{[]string{"queue", "done", "abc", "--db", path, "--agent", "minji"}, 2, `callback ID "abc" is not a number`},
		{[]string{"queue", "done", "1", "--db", path, "--agent", "minji"}, 2, "needs --disposition"},
		{[]string{"queue", "done", "1", "--db", path, "--agent", "minji", "--disposition", "resolved", "--due", "someday"}, 2, `"someday" is not a word for a time`},
		{[]string{"queue", "add", "--db", path, "--customer", "3", "--due", "2h"}, 2, "either --agent NAME or --pool"},
		{[]string{"queue", "add", "--db", path, "--customer", "3", "--due", "어제", "--pool"}, 2, `which is not in the future`},
		{[]string{"queue", "add", "--db", path, "--customer", "99999", "--due", "2h", "--pool"}, 1, "not found"},
		{[]string{"queue", "add", "--db", path, "--customer", "3", "--due", "2h", "--pool", "--priority", "9"}, 1, "priority 9"},
		{[]string{"queue", "release", "1", "--db", path, "--agent", "minji"}, 1, "not claimed"},
	}
	for _, c := range cases {
		code, _, stderr := dangol(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d %q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// TestQueueNextFollow drives `queue next --follow` as a dialer would: one
// claim per line, a release, a wrap-up, refusals as JSON lines that keep
// the line open, and the end of the input ends it.
func TestQueueNextFollow(t *testing.T) {
	path := seeded(t)
	callable(t, path, 2)
	in := strings.NewReader("next\nnext\nrelease 99999\nbogus\ndone 1 no_such_code\nnext\nquit\nnext\n")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"queue", "next", "--follow", "--db", path, "--agent", "minji"}, in, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d answers for 6 commands before quit:\n%s", len(lines), out.String())
	}
	var first, second struct {
		ID    int64  `json:"id"`
		State string `json:"state"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil || first.State != "claimed" {
		t.Errorf("first next: %s (%v)", lines[0], err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil || second.State != "claimed" || second.ID == first.ID {
		t.Errorf("second next: %s after %s", lines[1], lines[0])
	}
	for i, want := range []string{`"error":"refused"`, `"error":"usage"`, `"error":"refused"`} {
		if !strings.Contains(lines[2+i], want) {
			t.Errorf("answer %d = %s, want %s", 3+i, lines[2+i], want)
		}
	}
	if !strings.Contains(lines[5], `"error":"nothing"`) && !strings.Contains(lines[5], `"state":"claimed"`) {
		t.Errorf("third next: %s", lines[5])
	}
}
