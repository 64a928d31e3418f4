package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/serve"
	"github.com/dangol/dangol/tui/kit"
)

// runServe is `dangol serve`: the console for a whole floor over SSH. It
// runs until SIGTERM or ctrl+c, then stops within 5 seconds, each session
// told and its note kept as a draft.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlags("serve")
	dbPath := dbFlag(fs)
	listen := fs.String("listen", ":2222", "address to listen on (host:port)")
	hostKey := fs.String("host-key", "", "the server's SSH host key, made on first start (default: dangol_host_ed25519 beside the database)")
	idle := fs.Duration("idle", 30*time.Minute, "end a session after this long without input, keeping its note (0: never)")
	maxSessions := fs.Int("max-sessions", serve.DefaultSessionsPerAgent, "consoles one agent may have open at once")
	dialCmd := fs.String("dial-cmd", "", "a click-to-call command run on the server: {number}, {agent}, {extension}")
	langFlag := fs.String("lang", "", "language for agents who chose none and whose client sends no LANG (default from LANG)")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	lang := kit.LangFromEnv(os.Getenv)
	if *langFlag != "" {
		var err error
		if lang, err = kit.ParseLang(*langFlag); err != nil {
			return usageError{err.Error()}
		}
	}
	if *maxSessions < 1 || *maxSessions > 100 {
		return usagef("--max-sessions must be between 1 and 100")
	}
	if *idle < 0 {
		return usagef("--idle must not be negative")
	}
	if *hostKey == "" {
		*hostKey = beside(*dbPath, "dangol_host_ed25519")
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	stopProfile, err := profileCPU()
	if err != nil {
		return err
	}
	defer stopProfile()
	// The server serves a database; it never makes one (the console's
	// first start, `seed` and `import customers --new` do).
	if err := db.CheckExisting(ctx, *dbPath); err != nil {
		return fmt.Errorf("%w: make it with `dangol seed`, `dangol import customers FILE --new`, or start the console on it once", err)
	}
	d, crmSvc, q, closeDB, err := openLive(ctx, *dbPath, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	if _, err := q.LoadPolicy(ctx); err != nil {
		return err
	}
	logger, closeLog, err := openLog(*dbPath)
	if err != nil {
		return err
	}
	defer closeLog()
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	if err := d.Watch(watchCtx, 250*time.Millisecond); err != nil { // the command line's changes, and local consoles'
		return err
	}
	srv, err := serve.New(d, crmSvc, q, serve.Config{Listen: *listen, HostKey: *hostKey, Idle: *idle, SessionsPerAgent: *maxSessions,
		DialCmd: *dialCmd, Lang: lang, Log: logger})
	if err != nil {
		return err
	}
	addr, err := srv.Listen()
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "dangol: serving %s on %s (host key %s %s); ctrl+c stops\n", db.Shown(*dbPath), addr, *hostKey, hostFingerprint(*hostKey))
	return srv.Serve(ctx)
}

// hostFingerprint is the host key's fingerprint, for agents to check on
// their first connection.
func hostFingerprint(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	signer, err := ssh.ParsePrivateKey(b)
	if err != nil {
		return ""
	}
	return ssh.FingerprintSHA256(signer.PublicKey())
}
