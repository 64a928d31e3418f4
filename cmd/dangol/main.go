// Command dangol is the call-center console and its scripting CLI.
//
//	dangol [--db PATH] [--agent NAME] [--lang ko|en]    open the console
//	dangol export TABLE [--db PATH] [--format csv|jsonl]
//	dangol seed [--db PATH] [--customers N] [--interactions N]
//	dangol queue next|done|release|add [...]
//	dangol check [--db PATH]
//	dangol backup [--db PATH] FILE
//	dangol migrate [--from PATH|URL] --to URL|FILE
//	dangol serve [--listen ADDR] [--db PATH] [--host-key PATH] [--idle D] [--dial-cmd CMD]
//	dangol import customers|dnc FILE [...]
//	dangol merge KEEP OTHER [--yes] | --undo MERGE
//	dangol forget ID [--as NAME]
//	dangol campaign create|list|report|pause|resume|stop [...]
//	dangol bench [--customers N] [--interactions N] [--callbacks N] [--db PATH] [--rebuild] [--write] [--json] [--only NAME,...]
//
// main only parses flags and wires packages; the work is in db, crm, queue
// and tui.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes scripts can rely on.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() {
	// SIGTERM, and ctrl+c where it is a signal (a command; the console
	// reads it as a key): a command stops at a safe point and says so.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches a command line and turns its error into one line on stderr
// and an exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var err error
	cmd := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "":
		err = runConsole(ctx, args, stdin, stdout, stderr)
	case "export":
		err = runExport(ctx, args, stdout)
	case "seed":
		err = runSeed(ctx, args, stdout)
	case "queue":
		err = runQueue(ctx, args, stdin, stdout)
	case "agent":
		err = runAgent(ctx, args, stdout)
	case "report":
		err = runReport(ctx, args, stdout)
	case "campaign":
		err = runCampaign(ctx, args, stdout, stderr)
	case "check":
		err = runCheck(ctx, args, stdout, stderr)
	case "backup":
		err = runBackup(ctx, args, stdout)
	case "migrate":
		err = runMigrate(ctx, args, stdout, stderr)
	case "bench":
		err = runBench(ctx, args, stdout, stderr)
	case "forget":
		err = runForget(ctx, args, stdout)
	case "import":
		err = runImport(ctx, args, stdout, stderr)
	case "merge":
		err = runMerge(ctx, args, stdout)
	case "serve":
		err = runServe(ctx, args, stderr)
	case "help":
		err = flag.ErrHelp
	default:
		err = usagef("unknown command %q (try: dangol help)", cmd)
	}
	var he helpError
	if errors.As(err, &he) {
		fmt.Fprint(stdout, commandHelp(he.fs))
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "dangol: "+err.Error())
	var ue usageError
	var ne nothingError
	switch {
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ne):
		return exitNothing
	}
	return exitError
}

const usage = `dangol — a terminal console for call-center agents

  dangol [--db PATH] [--agent NAME] [--lang ko|en]     open the console
  dangol export customers|interactions|callbacks|audit [--db PATH] [--format csv|jsonl] [--raw]
  dangol seed [--db PATH] [--customers N] [--interactions N]
  dangol queue next --agent NAME [--follow]             claim the next callable callback (JSON; exit 3: none);
                                                        --follow: one claim per line on stdin, JSON lines out
  dangol queue done ID --agent NAME --disposition CODE [--due PHRASE] [--note TEXT]
  dangol queue release ID --agent NAME
  dangol queue add --customer ID --due PHRASE [--agent NAME | --pool] [--reason TEXT] [--priority N] [--kind KIND]
  dangol queue reassign (--from NAME [--overdue] | --ids 1,2,3) (--to NAME | --pool) [--as NAME]
  dangol queue release ID... --force [--reason TEXT] [--as NAME]
  dangol queue cancel ID... --reason TEXT [--as NAME]
  dangol agent list [--format text|json]
  dangol agent add NAME --role agent|supervisor|admin [--display NAME] [--cap N] [--as NAME]
  dangol agent set NAME [--role R] [--display NAME] [--cap N] [--as NAME]
  dangol agent deactivate|activate NAME [--as NAME]
  dangol report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--agent NAME] [--format text|json|csv] [--as NAME]
  dangol campaign create NAME --segment EXPR [--control 10%] [--kind K] [--reason TEXT] [--metric M]
                      [--agents a,b | --pool] [--until YYYY-MM-DD] [--days 30] [--as NAME]
                                                        a retention campaign: a random control group held out, the rest called
  dangol campaign list [--format text|json]
  dangol campaign report NAME [--format text|json|csv]  called against control on the primary metric, with a 95 % interval
  dangol campaign pause|resume|stop NAME [--as NAME]    stop cancels its open calls; resume takes a pause or stop back
  dangol campaign score                                 score every customer (segment, churn) and fit the best time to call
  dangol check [--db PATH]                              integrity check of every table (exit 1: damaged)
  dangol backup [--db PATH] FILE                        a consistent copy while consoles run (FILE must be new)
  dangol migrate [--from PATH|URL] --to URL|FILE         copy the database into an empty PostgreSQL one, or back into a new file
  dangol serve [--listen :2222] [--host-key PATH] [--idle 30m] [--dial-cmd CMD]
                                                        the console for a floor over SSH; who logs in comes from their key
  dangol agent key add|remove NAME FILE|SHA256:…       an agent's SSH key (agent add … --key FILE too)
  dangol import customers FILE [--map COLUMN=field]... [--encoding utf-8|cp949] [--region KR] [--dry-run] [--report FILE] [--as NAME]
                                                        customers from a CSV/TSV (Korean or English headers); re-importing changes nothing
  dangol import interactions|purchases|callbacks FILE [--map COLUMN=field]... [--dry-run] [--as NAME]
                                                        history and promises; each row names its customer (id, number or phone)
  dangol import dnc FILE [--as NAME]                    a do-not-call list: customer numbers or phone numbers, one a line
  dangol merge KEEP OTHER [--yes] [--as NAME]           one person, two rows: everything of OTHER to KEEP (without --yes: the conflicts only)
  dangol merge --undo MERGE [--as NAME]                 move back what a merge moved
  dangol export customer ID [--format json]             everything about one person (profile, contacts, history, audit)
  dangol forget ID [--as NAME]                          erase a customer's personal data (their request); figures stay
  dangol bench [--customers N] [--interactions N] [--callbacks N] [--db PATH] [--rebuild] [--write] [--json] [--only startup,draw,search,...]
                                                        measure a large database (BENCHMARKS.md)

The database defaults to ./dangol.db (or $DANGOL_DB); a new file is filled
with demo data. --as names who acts, with that agent's role; without it a
command acts as the machine's user (os:NAME) with admin rights.
`
