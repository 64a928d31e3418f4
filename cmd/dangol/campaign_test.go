package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCampaignCommands(t *testing.T) {
	path := seeded(t)
	code, out, stderr := dangol(t, "campaign", "create", "봄 재구매", "--db", path, "--segment", "points>=0", "--kind", "service",
		"--control", "20%", "--seed", "7", "--until", "2099-12-31", "--as", "sora")
	if code != 0 || !strings.Contains(out, "held out as the control group (20%, seed 7)") {
		t.Fatalf("create: exit %d\n%s%s", code, out, stderr)
	}
	// The same name, a bad segment, an agent, no control group, a bad
	// format: one line each, exit 1 or 2, and nothing new.
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"create", "봄 재구매", "--segment", "tier=gold"}, 1, "exists already"},
		{[]string{"create", "x", "--segment", "tier=platinum"}, 1, "tier takes basic, silver, gold, vip"},
		{[]string{"create", "x", "--segment", "tier=gold", "--as", "minji"}, 1, "minji is an agent"},
		{[]string{"create", "x", "--segment", "tier=gold", "--control", "0%"}, 2, "without a control group"},
		{[]string{"create", "x", "--segment", "tier=gold", "--control", "lots"}, 2, "a share such as 10%"},
		{[]string{"create", "x", "--segment", "tier=gold", "--until", "next week"}, 2, "YYYY-MM-DD"},
		{[]string{"create", "x"}, 2, "needs --segment"},
		{[]string{"report", "nope"}, 1, `campaign "nope": not found`},
		{[]string{"report", "봄 재구매", "--format", "xml"}, 2, "unknown format"},
		{[]string{"launch"}, 2, "unknown campaign command"},
	} {
		code, out, stderr := dangol(t, append(append([]string{"campaign"}, c.args...), "--db", path)...)
		if code != c.code || out != "" || !strings.Contains(stderr, c.says) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, out %q, err %q; want exit %d saying %q", c.args, code, out, stderr, c.code, c.says)
		}
	}
	code, out, _ = dangol(t, "campaign", "list", "--db", path, "--format", "json")
	var list []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || list[0]["name"] != "봄 재구매" {
		t.Fatalf("list: exit %d %s", code, out)
	}
	called := int(list[0]["called"].(float64))
	code, out, _ = dangol(t, "campaign", "report", "봄 재구매", "--db", path, "--format", "json")
	var rep map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep["verdict"] != "too_early" {
		t.Fatalf("report: exit %d %s", code, out)
	}
	code, out, _ = dangol(t, "campaign", "report", "봄 재구매", "--db", path)
	if code != 0 || !strings.Contains(out, "Too early") || !strings.Contains(out, "called   ░") {
		t.Errorf("text report: exit %d\n%s", code, out)
	}
	// Stop, then resume takes it back.
	code, out, _ = dangol(t, "campaign", "stop", "봄 재구매", "--db", path, "--as", "sora")
	if code != 0 || !strings.Contains(out, "stopped: ") || !strings.Contains(out, "dangol campaign resume '봄 재구매'") {
		t.Errorf("stop: exit %d %s", code, out)
	}
	code, out, _ = dangol(t, "campaign", "resume", "봄 재구매", "--db", path, "--as", "sora")
	if code != 0 || !strings.Contains(out, "active: ") {
		t.Errorf("resume: exit %d %s", code, out)
	}
	code, out, _ = dangol(t, "campaign", "list", "--db", path)
	if code != 0 || !strings.Contains(out, "봄 재구매  active") {
		t.Errorf("list after resume: %s", out)
	}
	code, out, _ = dangol(t, "campaign", "score", "--db", path)
	if code != 0 || !strings.Contains(out, "scored 40 customers") {
		t.Errorf("score: exit %d %q", code, out)
	}
	// Every call is in the export with its campaign, attributed to sora.
	_, audit, _ := dangol(t, "export", "audit", "--db", path)
	if n := countCreates(audit); n != called {
		t.Errorf("%d create rows by sora in the audit export, want %d", n, called)
	}
}

// countCreates counts the campaign's 'create' rows of callbacks in an
// audit export, by sora.
func countCreates(export string) int {
	n := 0
	for _, line := range strings.Split(export, "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["actor"] == "sora" && m["entity"] == "callback" && m["action"] == "create" &&
			strings.HasPrefix(m["reason"].(string), "campaign 봄 재구매:") {
			n++
		}
	}
	return n
}
