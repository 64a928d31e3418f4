package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/tui"
)

// runAgent manages agents: list, add, set, deactivate, activate.
func runAgent(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usagef("agent needs a command: list, add, set, deactivate or activate (see dangol help)")
	}
	cmd, args := args[0], args[1:]
	fs := newFlags("agent " + cmd)
	dbPath := dbFlag(fs)
	as := asFlag(fs)
	var role, display, format *string
	var capFlag *int
	switch cmd {
	case "list":
		format = fs.String("format", "text", "text or json")
	case "add", "set":
		role = fs.String("role", "", "agent, supervisor or admin")
		display = fs.String("display", "", "the name shown (김민지)")
		capFlag = fs.Int("cap", -1, "active personal callbacks at most (0: the policy's default)")
	case "deactivate", "activate":
	default:
		return usagef("unknown agent command %q: use list, add, set, deactivate or activate", cmd)
	}
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	var name string
	if cmd == "list" {
		if len(rest) > 0 {
			return usagef("unexpected argument %q", rest[0])
		}
		if *format != "text" && *format != "json" {
			return usagef("unknown format %q: choose text or json", *format)
		}
	} else {
		if len(rest) != 1 {
			return usagef("agent %s needs one login NAME", cmd)
		}
		name = rest[0]
	}
	var r crm.Role
	if role != nil && *role != "" {
		if r, err = crm.ParseRole(*role); err != nil {
			return usageError{err.Error()}
		}
	}
	if cmd == "add" && r == "" {
		return usagef("agent add needs --role agent|supervisor|admin")
	}
	d, crmSvc, q, err := openWork(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	if cmd == "list" {
		return listAgents(ctx, crmSvc, stdout, *format)
	}
	actor, err := resolveActor(ctx, crmSvc, *as)
	if err != nil {
		return err
	}
	switch cmd {
	case "add":
		a, err := crmSvc.AddAgent(ctx, actor, crm.Agent{Name: name, DisplayName: *display, Role: r})
		if err != nil {
			return err
		}
		if *capFlag > 0 {
			if err := crmSvc.SetAgent(ctx, actor, name, crm.AgentChange{MaxActive: capFlag}); err != nil {
				return err
			}
		}
		_, err = fmt.Fprintf(stdout, "added %s (%s, %s)\n", a.Name, a.DisplayName, a.Role)
		return err
	case "set":
		c := crm.AgentChange{}
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
			return usagef("agent set needs --role, --display or --cap")
		}
		if err := crmSvc.SetAgent(ctx, actor, name, c); err != nil {
			return err
		}
	case "deactivate":
		if err := q.Deactivate(ctx, actor, name); err != nil {
			return err
		}
	case "activate":
		if err := crmSvc.Activate(ctx, actor, name); err != nil {
			return err
		}
	}
	return listAgents(ctx, crmSvc, stdout, "text")
}

// agentJSON is an agent as scripts read it.
type agentJSON struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	Active      bool   `json:"active"`
	Cap         int    `json:"cap,omitempty"`
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
		out[i] = agentJSON{Name: a.Name, DisplayName: a.DisplayName, Role: string(a.Role), Active: a.Active, Cap: capN}
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
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDISPLAY\tROLE\tACTIVE\tCAP")
	for _, a := range out {
		capText := "default"
		if a.Cap > 0 {
			capText = fmt.Sprint(a.Cap)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%s\n", a.Name, tui.Safe(a.DisplayName), a.Role, a.Active, capText)
	}
	return tw.Flush()
}
