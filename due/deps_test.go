package due

import (
	"os/exec"
	"strings"
	"testing"
)

// TestThePhraseParserLinksNoDatabase: due is a pure parser, so a tool that
// reads phrases does not carry SQLite (it once did, through crm's error
// type).
func TestThePhraseParserLinksNoDatabase(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Skipf("go list: %v: %s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 {
		t.Fatalf("go list -deps listed only %v", deps)
	}
	for _, d := range deps {
		if strings.Contains(d, "sqlite") || strings.HasPrefix(d, "github.com/dangol/dangol/") && d != "github.com/dangol/dangol/due" && d != "github.com/dangol/dangol/problem" {
			t.Errorf("due depends on %s", d)
		}
	}
}
