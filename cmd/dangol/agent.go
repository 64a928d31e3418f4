package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/tui/kit"
)

// runAgent manages agents: list, add, set, deactivate, activate, and
// their SSH keys (key add, key remove).
func runAgent(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usagef("agent needs a command: list, add, set, deactivate, activate or key (see dangol help)")
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "key":
		return runAgentKey(ctx, args, stdout)
	case "list":
		return agentList(ctx, args, stdout)
	case "add", "set":
		return agentAddOrSet(ctx, cmd, args, stdout)
	case "deactivate", "activate":
		return agentActivate(ctx, cmd, args, stdout)
	}
	return usagef("unknown agent command %q: use list, add, set, deactivate, activate or key", cmd)
}

func agentList(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("agent list")
	dbPath := dbFlag(fs)
	format := fs.String("format", "text", "text or json")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	d, crmSvc, _, err := openWork(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	return listAgents(ctx, crmSvc, stdout, *format)
}

// parseNamed parses an agent command's flags and its one login NAME.
func parseNamed(fs *flag.FlagSet, cmd string, args []string) (string, error) {
	rest, err := parse(fs, args)
	if err != nil {
		return "", err
	}
	if len(rest) != 1 {
		return "", usagef("agent %s needs one login NAME", cmd)
	}
	return rest[0], nil
}

// agentAddOrSet adds an agent or changes one: role, display name, cap,
// language and extension (and for add, an SSH key).
func agentAddOrSet(ctx context.Context, cmd string, args []string, stdout io.Writer) error {
	fs := newFlags("agent " + cmd)
	dbPath, as := dbFlag(fs), asFlag(fs)
	role := fs.String("role", "", "agent, supervisor or admin")
	display := fs.String("display", "", "the name shown (김민지)")
	capFlag := fs.Int("cap", -1, "active personal callbacks at most (0: the policy's default)")
	lang := fs.String("lang", "", "the console's language over SSH: ko, en, or empty to follow the client")
	ext := fs.String("extension", "", "the phone extension a click-to-call command dials from (empty clears it)")
	var keyFile *string
	if cmd == "add" {
		keyFile = fs.String("key", "", "an SSH public key file (.pub) the agent logs in with (dangol serve)")
	}
	name, err := parseNamed(fs, cmd, args)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var r crm.Role
	if *role != "" {
		if r, err = crm.ParseRole(*role); err != nil {
			return usageError{err.Error()}
		}
	}
	// What changes besides the role (for add, beyond what AddAgent sets).
	c := crm.AgentChange{}
	if set["lang"] {
		c.Lang = lang
	}
	if set["extension"] {
		c.Extension = ext
	}
	var keyText string
	if cmd == "add" {
		if r == "" {
			return usagef("agent add needs --role agent|supervisor|admin")
		}
		if *capFlag > 0 {
			c.MaxActive = capFlag
		}
		if *keyFile != "" { // a bad key refuses the command before the agent is added
			if keyText, err = readKeyFile(*keyFile); err != nil {
				return err
			}
			if _, _, err := crm.ParseKey(keyText); err != nil {
				return usageError{fmt.Sprintf("%s: %v", *keyFile, err)}
			}
		}
	} else {
		if r != "" {
			c.Role = &r
		}
		if *display != "" {
			c.DisplayName = display
		}
		if *capFlag >= 0 {
			c.MaxActive = capFlag
		}
		if c == (crm.AgentChange{}) {
			return usagef("agent set needs --role, --display, --cap, --lang or --extension")
		}
	}
	d, crmSvc, _, actor, err := openAs(ctx, *dbPath, *as)
	if err != nil {
		return err
	}
	defer d.Close()
	if cmd == "set" {
		if err := crmSvc.SetAgent(ctx, actor, name, c); err != nil {
			return err
		}
		return listAgents(ctx, crmSvc, stdout, "text")
	}
	a, err := crmSvc.AddAgent(ctx, actor, crm.Agent{Name: name, DisplayName: *display, Role: r})
	if err != nil {
		return err
	}
	if c != (crm.AgentChange{}) {
		if err := crmSvc.SetAgent(ctx, actor, name, c); err != nil {
			return err
		}
	}
	if keyText != "" {
		k, err := crmSvc.AddKey(ctx, actor, name, keyText)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "key %s\n", k.Fingerprint)
	}
	_, err = fmt.Fprintf(stdout, "added %s (%s, %s)\n", a.Name, kit.Safe(a.DisplayName), a.Role)
	return err
}

// agentActivate deactivates an agent (their work goes to the pool, their
// sessions end) or activates them again.
func agentActivate(ctx context.Context, cmd string, args []string, stdout io.Writer) error {
	fs := newFlags("agent " + cmd)
	dbPath, as := dbFlag(fs), asFlag(fs)
	name, err := parseNamed(fs, cmd, args)
	if err != nil {
		return err
	}
	d, crmSvc, q, actor, err := openAs(ctx, *dbPath, *as)
	if err != nil {
		return err
	}
	defer d.Close()
	if cmd == "deactivate" {
		err = q.Deactivate(ctx, actor, name)
	} else {
		err = crmSvc.Activate(ctx, actor, name)
	}
	if err != nil {
		return err
	}
	return listAgents(ctx, crmSvc, stdout, "text")
}

// agentJSON is an agent as scripts read it.
type agentJSON struct {
	Name        string    `json:"name"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role"`
	Active      bool      `json:"active"`
	Cap         int       `json:"cap,omitempty"`
	Lang        string    `json:"lang,omitempty"`
	Extension   string    `json:"extension,omitempty"`
	Keys        []keyJSON `json:"keys"`
}

// keyJSON is an SSH key as scripts read it.
type keyJSON struct {
	Fingerprint string `json:"fingerprint"`
	Type        string `json:"type"`
	Comment     string `json:"comment,omitempty"`
}

func listAgents(ctx context.Context, c *crm.Service, w io.Writer, format string) error {
	agents, err := c.Agents(ctx)
	if err != nil {
		return err
	}
	out := make([]agentJSON, len(agents))
	for i, a := range agents {
		capN, err := c.AgentCap(ctx, a.Name)
		if err != nil {
			return err
		}
		login, err := c.LoginOf(ctx, a.ID)
		if err != nil {
			return err
		}
		keys, err := c.Keys(ctx, a.ID)
		if err != nil {
			return err
		}
		out[i] = agentJSON{Name: a.Name, DisplayName: a.DisplayName, Role: string(a.Role), Active: a.Active, Cap: capN,
			Lang: login.Lang, Extension: login.Extension, Keys: []keyJSON{}}
		for _, k := range keys {
			out[i].Keys = append(out[i].Keys, keyJSON{Fingerprint: k.Fingerprint, Type: k.Type, Comment: k.Comment})
		}
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, a := range out {
			if err := enc.Encode(a); err != nil {
				return err
			}
		}
		return nil
	}
	rows := [][]string{{"NAME", "DISPLAY", "ROLE", "ACTIVE", "CAP", "LANG", "KEYS"}}
	for _, a := range out {
		capText := "default"
		if a.Cap > 0 {
			capText = fmt.Sprint(a.Cap)
		}
		keys := "-"
		if len(a.Keys) > 0 {
			fps := make([]string, len(a.Keys))
			for i, k := range a.Keys {
				fps[i] = k.Fingerprint
			}
			keys = strings.Join(fps, ", ")
		}
		lang := a.Lang
		if lang == "" {
			lang = "client"
		}
		rows = append(rows, []string{a.Name, kit.Safe(a.DisplayName), a.Role, fmt.Sprint(a.Active), capText, lang, keys})
	}
	return writeColumns(w, rows)
}

// runAgentKey is `agent key add|remove NAME FILE|FINGERPRINT`.
func runAgentKey(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" && args[0] != "remove" {
		return usagef("agent key needs add or remove: agent key add NAME FILE, agent key remove NAME FILE|SHA256:…")
	}
	cmd, args := args[0], args[1:]
	fs := newFlags("agent key " + cmd)
	dbPath := dbFlag(fs)
	as := asFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 2 {
		return usagef("agent key %s needs a login NAME and a key FILE%s", cmd, map[bool]string{true: " or its SHA256: fingerprint"}[cmd == "remove"])
	}
	name, which := rest[0], rest[1]
	key := which
	if cmd == "add" || !strings.HasPrefix(which, "SHA256:") {
		if key, err = readKeyFile(which); err != nil {
			return err
		}
		if _, _, err := crm.ParseKey(key); err != nil {
			return usageError{fmt.Sprintf("%s: %v", which, err)}
		}
	}
	d, crmSvc, _, actor, err := openAs(ctx, *dbPath, *as)
	if err != nil {
		return err
	}
	defer d.Close()
	if cmd == "add" {
		k, err := crmSvc.AddKey(ctx, actor, name, key)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s can log in with %s %s\n", name, k.Type, k.Fingerprint)
		return err
	}
	if err := crmSvc.RemoveKey(ctx, actor, name, key); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "removed the key from %s\n", name)
	return err
}

// readKeyFile reads a public key file, refusing anything too big to be one.
func readKeyFile(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", usagef("key file %s: %v", path, err)
	}
	if st.Size() > 16<<10 {
		return "", usagef("key file %s is %d bytes: not a public key", path, st.Size())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", usagef("key file %s: %v", path, err)
	}
	return string(b), nil
}
