package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// bulkOut decodes a bulk command's JSON summary.
func bulkOut(t *testing.T, out string) bulkJSON {
	t.Helper()
	var b bulkJSON
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("bulk summary %q: %v", out, err)
	}
	return b
}

func TestSupervisorCommands(t *testing.T) {
	path := seeded(t)
	callable(t, path, 6)
	// The six are pool callbacks; give three to minji, as sora.
	code, out, stderr := dangol(t, "queue", "reassign", "--db", path, "--ids", "", "--to", "minji")
	if code != 2 || out != "" {
		t.Errorf("empty --ids: exit %d, printed %q, %s", code, out, stderr)
	}
	_, cbs, _ := dangol(t, "export", "callbacks", "--db", path)
	var ids []string
	for _, l := range strings.Split(strings.TrimSpace(cbs), "\n") {
		if strings.Contains(l, `"reason":"cli test"`) {
			var m map[string]any
			json.Unmarshal([]byte(l), &m)
			ids = append(ids, fmt.Sprint(m["id"]))
		}
	}
	if len(ids) != 6 {
		t.Fatalf("found %d test callbacks", len(ids))
	}
	code, out, stderr = dangol(t, "queue", "reassign", "--db", path, "--ids", strings.Join(ids[:3], ","), "--to", "김민지 (minji)", "--as", "sora")
	if b := bulkOut(t, out); code != 0 || len(b.Done) != 3 || b.To != "minji" || b.Bulk == 0 {
		t.Fatalf("reassign: exit %d %s %+v", code, stderr, b)
	}
	// An agent may not, and the refusal is one line and audited.
	code, _, stderr = dangol(t, "queue", "reassign", "--db", path, "--from", "minji", "--pool", "--as", "minji")
	if code != 1 || !strings.Contains(stderr, "minji is an agent") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("reassign as minji: exit %d %q", code, stderr)
	}
	_, audit, _ := dangol(t, "export", "audit", "--db", path)
	if !strings.Contains(audit, `"actor":"minji","entity":"permission"`) {
		t.Error("the refusal is not in the audit log")
	}
	// Everything of minji's that is overdue goes to junho, without --as:
	// the machine's user acts as admin and is named in the audit.
	// Agents named as the floor knows them: 김민지 is minji, 이준호 junho.
	code, out, stderr = dangol(t, "queue", "reassign", "--db", path, "--from", "김민지", "--overdue", "--to", "이준호")
	b := bulkOut(t, out)
	if code != 0 || len(b.Done) < 3 {
		t.Fatalf("reassign --from minji --overdue: exit %d %s %+v", code, stderr, b)
	}
	u, _ := user.Current()
	_, audit, _ = dangol(t, "export", "audit", "--db", path, "--actor", "os:"+u.Username, "--format", "csv")
	if strings.Count(audit, "\n") < len(b.Done)+1 || strings.Contains(audit, ",sora,") {
		t.Errorf("audit rows by os:%s:\n%s", u.Username, audit)
	}
	// junho claims one; sora frees it; cancel needs a reason.
	_, next, _ := dangol(t, "queue", "next", "--db", path, "--agent", "junho")
	var cb map[string]any
	json.Unmarshal([]byte(next), &cb)
	id := fmt.Sprint(cb["id"])
	code, out, stderr = dangol(t, "queue", "release", id, "--force", "--db", path, "--as", "sora", "--reason", "junho went home")
	if b := bulkOut(t, out); code != 0 || len(b.Done) != 1 {
		t.Fatalf("release --force: exit %d %s %s", code, out, stderr)
	}
	if code, _, stderr := dangol(t, "queue", "cancel", id, "--db", path); code != 2 || !strings.Contains(stderr, "--reason") {
		t.Errorf("cancel without a reason: exit %d %q", code, stderr)
	}
	code, out, _ = dangol(t, "queue", "cancel", id, "999999", "--db", path, "--reason", "고객 요청", "--as", "sora")
	if b := bulkOut(t, out); code != 0 || len(b.Done) != 1 || len(b.Skipped) != 1 || b.Skipped[0].Why != "missing" {
		t.Errorf("cancel: exit %d %+v", code, b)
	}
}

func TestAgentCommands(t *testing.T) {
	path := seeded(t)
	code, out, _ := dangol(t, "agent", "list", "--db", path)
	if code != 0 || !strings.Contains(out, "sora") || !strings.Contains(out, "supervisor") {
		t.Fatalf("agent list: %d %s", code, out)
	}
	if code, _, stderr := dangol(t, "agent", "add", "hana", "--role", "agent", "--db", path, "--as", "sora"); code != 1 ||
		!strings.Contains(stderr, "only an admin may manage agents") {
		t.Errorf("a supervisor added an agent: %d %q", code, stderr)
	}
	if code, _, stderr := dangol(t, "agent", "add", "hana", "--role", "boss", "--db", path); code != 2 {
		t.Errorf("a bad role: %d %q", code, stderr)
	}
	if code, out, stderr := dangol(t, "agent", "add", "hana", "--role", "agent", "--display", "한하나", "--cap", "5", "--db", path, "--as", "yuna"); code != 0 ||
		!strings.Contains(out, "added hana") {
		t.Fatalf("agent add: %d %s %s", code, out, stderr)
	}
	code, out, _ = dangol(t, "agent", "set", "hana", "--role", "supervisor", "--db", path, "--as", "yuna")
	if code != 0 || !strings.Contains(out, "hana") {
		t.Errorf("agent set: %d %s", code, out)
	}
	code, out, _ = dangol(t, "agent", "list", "--db", path, "--format", "json")
	if code != 0 || !strings.Contains(out, `{"name":"hana","display_name":"한하나","role":"supervisor","active":true,"cap":5,"keys":[]}`) {
		t.Errorf("agent list json:\n%s", out)
	}
	if code, _, stderr := dangol(t, "agent", "deactivate", "minji", "--db", path); code != 0 {
		t.Fatalf("deactivate: %d %s", code, stderr)
	}
	if code, _, stderr := dangol(t, "queue", "next", "--db", path, "--agent", "minji"); code != 1 || !strings.Contains(stderr, "deactivated") {
		t.Errorf("a deactivated agent claimed: %d %s", code, stderr)
	}
	_, cbs, _ := dangol(t, "export", "callbacks", "--db", path)
	for _, l := range strings.Split(cbs, "\n") {
		if strings.Contains(l, `"owner":"minji"`) && (strings.Contains(l, `"state":"scheduled"`) || strings.Contains(l, `"state":"claimed"`)) {
			t.Errorf("a deactivated agent still owns an open callback: %s", l)
		}
	}
	if code, _, _ := dangol(t, "agent", "activate", "minji", "--db", path); code != 0 {
		t.Error("activate")
	}
	if code, _, stderr := dangol(t, "queue", "next", "--db", path, "--agent", "minji"); code == 1 {
		t.Errorf("a reactivated agent cannot work: %s", stderr)
	}
}

func TestReportCommand(t *testing.T) {
	path := seeded(t)
	code, out, stderr := dangol(t, "report", "--db", path, "--weeks", "3")
	if code != 0 || !strings.Contains(out, "Callbacks done on time") || !strings.Contains(out, "churn risk by segment") {
		t.Fatalf("report: %d %s %s", code, out, stderr)
	}
	code, out, _ = dangol(t, "report", "--db", path, "--format", "json", "--agent", "junho")
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("report json: %d %v %s", code, err, out)
	}
	figs := rep["figures"].(map[string]any)
	if _, ok := figs["callbacks_on_time"].(map[string]any); !ok {
		t.Errorf("json figures: %v", figs)
	}
	code, out, _ = dangol(t, "report", "--db", path, "--format", "csv", "--from", "2026-01-01", "--to", "2026-01-31")
	if code != 0 || !strings.HasPrefix(out, "figure,value,count,of\n") {
		t.Errorf("csv: %d %q", code, out)
	}
	for _, bad := range [][]string{{"--from", "yesterday"}, {"--format", "xml"}, {"--from", "2026-02-01", "--to", "2026-01-01"}} {
		if code, _, _ := dangol(t, append([]string{"report", "--db", path}, bad...)...); code != 2 {
			t.Errorf("report %v: exit %d, want 2", bad, code)
		}
	}
}

// TestAgentKeysFromTheCommandLine: an admin gives an agent a key file, the
// list shows its fingerprint, a private key or a second owner is refused
// with the file named, and the key can be removed by its fingerprint.
func TestAgentKeysFromTheCommandLine(t *testing.T) {
	path := seeded(t)
	dir := t.TempDir()
	pubFile, fp := writeKey(t, dir, "minji")
	if code, out, stderr := dangol(t, "agent", "key", "add", "minji", pubFile, "--db", path, "--as", "yuna"); code != 0 || !strings.Contains(out, fp) {
		t.Fatalf("key add: exit %d, %q, %q", code, out, stderr)
	}
	code, out, _ := dangol(t, "agent", "list", "--db", path)
	if code != 0 || !regexp.MustCompile(`minji .*`+regexp.QuoteMeta(fp)).MatchString(out) {
		t.Errorf("agent list does not show minji's key:\n%s", out)
	}
	if code, _, stderr := dangol(t, "agent", "key", "add", "junho", pubFile, "--db", path, "--as", "yuna"); code == 0 || !strings.Contains(stderr, "already belongs to minji") {
		t.Errorf("the same key for junho: exit %d, %q", code, stderr)
	}
	private := filepath.Join(dir, "id")
	os.WriteFile(private, []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nxx\n-----END OPENSSH PRIVATE KEY-----\n"), 0o600)
	if code, _, stderr := dangol(t, "agent", "add", "hana", "--role", "agent", "--key", private, "--db", path, "--as", "yuna"); code != 2 || !strings.Contains(stderr, "private key") {
		t.Errorf("agent add with a private key: exit %d, %q", code, stderr)
	}
	if code, out, _ := dangol(t, "agent", "list", "--db", path); code != 0 || strings.Contains(out, "hana") {
		t.Errorf("a refused agent add left hana behind:\n%s", out)
	}
	if code, _, stderr := dangol(t, "agent", "key", "add", "minji", pubFile, "--db", path, "--as", "minji"); code == 0 {
		t.Errorf("an agent gave themself a key: %q", stderr)
	}
	if code, _, stderr := dangol(t, "agent", "key", "remove", "minji", fp, "--db", path, "--as", "yuna"); code != 0 {
		t.Fatalf("key remove: exit %d, %q", code, stderr)
	}
	if _, out, _ := dangol(t, "agent", "list", "--format", "json", "--db", path); !strings.Contains(out, `"name":"minji"`) || strings.Contains(out, fp) {
		t.Errorf("the removed key is still listed:\n%s", out)
	}
}

// writeKey writes a new ed25519 public key for comment to dir and returns
// the file and the key's fingerprint.
func writeKey(t *testing.T, dir, comment string) (string, string) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, comment+".pub")
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + " " + comment + "\n"
	if err := os.WriteFile(path, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, ssh.FingerprintSHA256(k)
}

func TestForgetFromTheCommandLine(t *testing.T) {
	path := seeded(t)
	if code, _, stderr := dangol(t, "forget", "--db", path); code != 2 || !strings.Contains(stderr, "one customer id") {
		t.Errorf("forget without an id: exit %d %q", code, stderr)
	}
	if code, _, stderr := dangol(t, "forget", "7", "--db", path, "--as", "minji"); code != 1 || !strings.Contains(stderr, "minji") {
		t.Errorf("an agent forgot a customer: exit %d %q", code, stderr)
	}
	if code, _, stderr := dangol(t, "forget", "999999", "--db", path, "--as", "sora"); code != 1 || !strings.Contains(stderr, "999999") {
		t.Errorf("an unknown customer: exit %d %q", code, stderr)
	}
	code, out, stderr := dangol(t, "forget", "7", "--db", path, "--as", "sora")
	var res struct {
		Forgotten int64   `json:"forgotten"`
		Cancelled []int64 `json:"cancelled"`
		Emptied   bool    `json:"log_emptied"`
	}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || res.Forgotten != 7 || !res.Emptied {
		t.Fatalf("forget: exit %d %q %q (%v)", code, out, stderr, err)
	}
	_, csv, _ := dangol(t, "export", "customers", "--db", path, "--format", "csv")
	found := false
	for _, line := range strings.Split(csv, "\n") {
		if strings.HasPrefix(line, "7,") {
			found = true
			if !strings.Contains(line, ",—,") {
				t.Errorf("customer 7 after forget: %s", line)
			}
		}
	}
	if !found {
		t.Errorf("customer 7 is not in the export:\n%.300s", csv)
	}
	_, audit, _ := dangol(t, "export", "audit", "--db", path, "--customer", "7", "--action", "forget", "--format", "csv")
	if !strings.Contains(audit, "sora") {
		t.Errorf("the erasure is not in the audit:\n%s", audit)
	}
}

func TestExportOnePerson(t *testing.T) {
	path := seeded(t)
	code, out, stderr := dangol(t, "export", "customer", "3", "--db", path, "--format", "json")
	var p map[string]any
	if err := json.Unmarshal([]byte(out), &p); code != 0 || err != nil {
		t.Fatalf("export customer: exit %d %q (%v)", code, stderr, err)
	}
	for _, part := range []string{"customer", "phones", "emails", "purchases", "points", "complaints", "interactions", "callbacks", "audit"} {
		if _, ok := p[part]; !ok {
			t.Errorf("the export has no %s", part)
		}
	}
	cust, _ := p["customer"].(map[string]any)
	if cust["id"] != float64(3) || cust["name"] == "" {
		t.Errorf("customer = %v", cust)
	}
	if notes, _ := p["interactions"].([]any); len(notes) == 0 {
		t.Error("the demo customer's interactions are missing")
	}
	if code, _, stderr := dangol(t, "export", "customer", "999999", "--db", path); code != 1 || !strings.Contains(stderr, "999999") {
		t.Errorf("an unknown customer: exit %d %q", code, stderr)
	}
	if code, _, _ := dangol(t, "export", "customer", "--db", path); code != 2 {
		t.Errorf("export customer without an id: exit %d, want 2", code)
	}
}

func TestMergeFromTheCommandLine(t *testing.T) {
	path := seeded(t)
	code, out, stderr := dangol(t, "merge", "4", "5", "--db", path)
	if code != 0 || !strings.Contains(out, "nothing changed") {
		t.Fatalf("merge preview: exit %d %q %q", code, out, stderr)
	}
	if n := count(t, path, `SELECT count(*) FROM customers WHERE merged_into IS NOT NULL`); n != 0 {
		t.Fatal("the preview merged")
	}
	if code, _, stderr := dangol(t, "merge", "4", "--db", path); code != 2 || !strings.Contains(stderr, "two customer ids") {
		t.Errorf("one id: exit %d %q", code, stderr)
	}
	if code, _, stderr := dangol(t, "merge", "4", "4", "--yes", "--db", path); code != 1 || !strings.Contains(stderr, "itself") {
		t.Errorf("a customer with itself: exit %d %q", code, stderr)
	}
	code, out, stderr = dangol(t, "merge", "4", "5", "--yes", "--db", path, "--as", "sora")
	var res struct {
		Merge int64 `json:"merge"`
	}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || res.Merge == 0 {
		t.Fatalf("merge: exit %d %q %q", code, out, stderr)
	}
	if n := count(t, path, `SELECT count(*) FROM customers WHERE id = 5 AND merged_into = 4`); n != 1 {
		t.Error("customer 5 is not merged into 4")
	}
	code, out, stderr = dangol(t, "merge", "--undo", fmt.Sprint(res.Merge), "--db", path, "--as", "sora")
	if code != 0 || !strings.Contains(out, `"undone"`) {
		t.Fatalf("undo: exit %d %q %q", code, out, stderr)
	}
	if n := count(t, path, `SELECT count(*) FROM customers WHERE merged_into IS NOT NULL`); n != 0 {
		t.Error("the undo left a customer merged")
	}
}
