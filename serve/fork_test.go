package serve

import (
	"os"
	"strings"
	"testing"
)

// TestTheRendererForkIsTheVersionGoModRequires fails when go.mod requires
// another ultraviolet than the one third_party/ultraviolet was rebuilt
// from (a Bubble Tea update moves it): the replace would silently run the
// old renderer. third_party/rebuild-ultraviolet.sh --write rebuilds it;
// the script without flags, run by .ci/run, checks the files themselves.
func TestTheRendererForkIsTheVersionGoModRequires(t *testing.T) {
	const mod = "github.com/charmbracelet/ultraviolet"
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	required := ""
	for _, line := range strings.Split(string(gomod), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == mod && strings.HasPrefix(f[1], "v") {
			required = f[1]
		}
	}
	if required == "" {
		t.Fatalf("go.mod requires no version of %s", mod)
	}
	built, err := os.ReadFile("../third_party/ultraviolet/VERSION")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(built)); got != required {
		t.Fatalf("go.mod requires %s %s, but third_party/ultraviolet is %s: run third_party/rebuild-ultraviolet.sh --write", mod, required, got)
	}
}
