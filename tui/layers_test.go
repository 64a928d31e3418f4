package tui

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestTheConsolesPartsPointDown: kit knows no page, the desk and the floor
// know each other not at all, and only the root knows them both. A part
// that needs another's code is a sign the code belongs in kit.
func TestTheConsolesPartsPointDown(t *testing.T) {
	const mod = "github.com/dangol/dangol/tui"
	may := map[string][]string{
		"kit":   {},
		"desk":  {mod + "/kit"},
		"floor": {mod + "/kit"},
	}
	for dir, allowed := range may {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) < 3 {
			t.Fatalf("%s: %d files, %v", dir, len(files), err)
		}
		for _, f := range files {
			ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range ast.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if p != mod && !strings.HasPrefix(p, mod+"/") {
					continue
				}
				ok := false
				for _, a := range allowed {
					ok = ok || p == a
				}
				if !ok {
					t.Errorf("%s imports %s: only %v may be", f, p, allowed)
				}
			}
		}
	}
}
