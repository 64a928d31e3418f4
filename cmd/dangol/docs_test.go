package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The docs cannot drift from the binary: their examples run as written,
// and every flag they show a command with is one that command takes.

// runMarker is the line that makes the sh block after it an example run by
// TestTheDocsExamplesRun.
const runMarker = "<!-- run as written by cmd/dangol/docs_test.go -->"

// asMainEnv makes the test binary act as dangol (see TestMain), so the docs'
// shell blocks can call `dangol` without a build.
const asMainEnv = "DANGOL_TEST_AS_MAIN"

// docFiles are the documents whose commands are checked.
func docFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../../README.md", "../../BENCHMARKS.md")
	if len(files) < 5 {
		t.Fatalf("found only %v", files)
	}
	return files
}

// shBlock is one ```sh block of a document.
type shBlock struct {
	file   string
	line   int // of the opening fence
	text   string
	tested bool // follows runMarker
}

func shBlocks(t *testing.T, file string) []shBlock {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []shBlock
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```sh" {
			continue
		}
		b := shBlock{file: filepath.Base(file), line: i + 1, tested: i > 0 && strings.TrimSpace(lines[i-1]) == runMarker}
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		b.text = strings.Join(body, "\n") + "\n"
		blocks = append(blocks, b)
	}
	return blocks
}

// TestTheDocsExamplesRun runs every marked block under bash, in a new
// directory, with `dangol` on the PATH: each must exit 0.
func TestTheDocsExamplesRun(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(self, filepath.Join(bin, "dangol")); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, file := range docFiles(t) {
		for _, b := range shBlocks(t, file) {
			if !b.tested {
				continue
			}
			ran++
			dir := t.TempDir()
			cmd := exec.Command(bash, "-euo", "pipefail", "-c", b.text)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), asMainEnv+"=1", "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "DANGOL_DB=")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Run(); err != nil {
				t.Errorf("%s:%d: the example failed (%v):\n%s", b.file, b.line, err, tail(out.String(), 40))
			}
		}
	}
	if ran < 2 {
		t.Fatalf("%d marked examples found; the admin's and the supervisor's guides each hold one", ran)
	}
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

var (
	// dangolCall is `dangol` as a command (not a path or a file name) and
	// what follows it up to the end of that command.
	dangolCall = regexp.MustCompile(`(?:^|[\s(])dangol((?: [^&|;>#)]*)?)`)
	flagName   = regexp.MustCompile(`--([a-z][a-z0-9-]*)`)
)

// TestTheDocsShowOnlyFlagsThatExist reads every command shown in a sh
// block (synopses, examples, crontab lines, long-running ones such as
// serve and bench alike) and checks each flag against that command's
// --help.
func TestTheDocsShowOnlyFlagsThatExist(t *testing.T) {
	helps := map[string]string{}
	checked := 0
	for _, file := range docFiles(t) {
		for _, b := range shBlocks(t, file) {
			for n, line := range strings.Split(b.text, "\n") {
				line = strings.ReplaceAll(line, "go run ./cmd/dangol", "dangol")
				for _, m := range dangolCall.FindAllStringSubmatch(line, -1) {
					words, flags := splitCall(m[1])
					if len(flags) == 0 {
						continue
					}
					key := strings.Join(words, " ")
					help, ok := helps[key]
					if !ok {
						var out, errOut bytes.Buffer
						code := run(context.Background(), append(append([]string{}, words...), "--help"), strings.NewReader(""), &out, &errOut)
						if code != exitOK {
							t.Errorf("%s:%d: dangol %s --help exits %d: %s", b.file, b.line+n+1, key, code, errOut.String())
						}
						help = out.String()
						helps[key] = help
					}
					for _, f := range flags {
						checked++
						if !strings.Contains(help, "  -"+f+" ") && !strings.Contains(help, "  -"+f+"\n") {
							t.Errorf("%s:%d: `dangol %s` is shown with --%s, which its --help does not list", b.file, b.line+n+1, key, f)
						}
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d flags checked: the docs' commands were not found", checked)
	}
}

// splitCall takes what follows `dangol` on a line apart: the words that
// name the command (up to the first flag; of `a|b` the first), and the
// flags shown.
func splitCall(s string) (words, flags []string) {
	for _, w := range strings.Fields(s) {
		w = strings.Trim(w, "[]()")
		if strings.HasPrefix(w, "-") {
			break
		}
		if w == "" {
			continue
		}
		words = append(words, strings.Split(w, "|")[0])
	}
	for _, m := range flagName.FindAllStringSubmatch(s, -1) {
		flags = append(flags, m[1])
	}
	return words, flags
}
