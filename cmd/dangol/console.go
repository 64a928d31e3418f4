package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/tui"
	"github.com/dangol/dangol/tui/kit"
)

// demoCustomers is the size of the demo a new database is filled with.
const demoCustomers = 300

func runConsole(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("dangol")
	dbPath := dbFlag(fs)
	agentName := fs.String("agent", "", "log in as this agent (default minji on a demo database)")
	langFlag := fs.String("lang", "", "UI language: ko or en (default from LANG)")
	dialCmd := fs.String("dial-cmd", "", "command that dials a number, e.g. 'linphonecsh dial {number}'")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	stopProfile, err := profileCPU()
	if err != nil {
		return err
	}
	defer stopProfile()
	lang := kit.LangFromEnv(os.Getenv)
	if *langFlag != "" {
		if lang, err = kit.ParseLang(*langFlag); err != nil {
			return usageError{err.Error()}
		}
	}

	if *dialCmd != "" && !strings.Contains(*dialCmd, "{number}") {
		return usagef("--dial-cmd needs {number} where the number goes")
	}
	// A new file becomes the demo, whose agents are known: a login that
	// cannot work there is refused before the file is made.
	if _, err := os.Stat(*dbPath); !db.IsServer(*dbPath) && errors.Is(err, os.ErrNotExist) && *agentName != "" && !crm.IsDemoAgent(*agentName) {
		return usagef("%s does not exist, and a new database has only the demo agents (%s); check --db and --agent",
			*dbPath, strings.Join(crm.DemoAgentNames(), ", "))
	}

	d, crmSvc, queueSvc, closeDB, err := openLive(ctx, *dbPath, stderr)
	if err != nil {
		return err
	}
	defer closeDB()

	name := *agentName
	if name == "" {
		demo, err := crmSvc.IsDemo(ctx)
		if err != nil {
			return err
		}
		if !demo {
			return usagef("choose who is logging in with --agent NAME")
		}
		name = "minji"
	}
	agent, err := crmSvc.AgentByName(ctx, name)
	if err != nil {
		return usageError{err.Error()}
	}
	if !agent.Active {
		return fmt.Errorf("agent %s is deactivated", agent.Name)
	}

	logger, closeLog, err := openLog(*dbPath)
	if err != nil {
		return err
	}
	defer closeLog()
	logger.Info("console start", "agent", agent.Name, "db", db.Shown(*dbPath), "lang", lang)

	if _, err := queueSvc.LoadPolicy(ctx); err != nil {
		return err
	}
	// Other processes (scripts, other consoles) are noticed through
	// SQLite's data_version; this process's own writes through the bus.
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	if err := d.Watch(watchCtx, 250*time.Millisecond); err != nil {
		return err
	}

	common := kit.NewCommon(ctx, crmSvc, queueSvc, agent, lang, logger)
	common.DialCmd = *dialCmd
	app := tui.NewApp(common)
	defer app.Close()
	// 120 frames a second, as over SSH: a key waits at most 8 ms for its frame.
	p := tea.NewProgram(app, tea.WithContext(ctx), tea.WithInput(stdin), tea.WithOutput(stdout), tea.WithFPS(120))
	tui.Listen(watchCtx, d.Changes, p.Send)
	_, runErr := p.Run()
	stopWatch()
	// Whatever ended the program, text still in the editor becomes a draft.
	if id, body, ok := app.Unsaved(); ok {
		saveCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := crmSvc.SaveDraft(saveCtx, agent.ID, id, body); err != nil {
			// The terminal is the console's no more: the note goes there,
			// so what the agent typed is never lost.
			logger.Error("draft not kept; note printed", "customer", id, "err", err)
			fmt.Fprintf(stderr, "dangol: the note for customer %d could not be kept as a draft; here it is:\n\n%s\n\n", id, body)
			return fmt.Errorf("could not keep the unsaved note as a draft: %w", err)
		}
		logger.Info("draft kept at exit", "customer", id)
	}
	logger.Info("console end", "agent", agent.Name, "err", runErr)
	if runErr != nil && ctx.Err() == nil {
		return runErr
	}
	return nil
}
