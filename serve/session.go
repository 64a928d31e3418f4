package serve

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/wish/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/ssh"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/tui"
	"github.com/dangol/dangol/tui/kit"
)

// session is one agent's console over SSH.
type session struct {
	agent crm.Agent
	key   ssh.PublicKey // the key it logged in with: removing it ends the session
	addr  string
	sess  ssh.Session

	out *output // the terminal the console draws on

	mu      sync.Mutex
	program *tea.Program
	why     string // set when the server ends the session: the line shown after
}

// output is a session's terminal as its console writes to it, noting when
// a write is under way: a console whose client stopped reading is stuck
// in one, and will not take a request to quit.
type output struct {
	io.Writer
	since atomic.Int64 // when the write under way began (Unix ns), 0 when none is
}

func (o *output) Write(p []byte) (int, error) {
	o.since.Store(time.Now().UnixNano())
	defer o.since.Store(0)
	return o.Writer.Write(p)
}

// stuckFor is how long the write under way has taken so far.
func (o *output) stuckFor() time.Duration {
	if began := o.since.Load(); began != 0 {
		return time.Since(time.Unix(0, began))
	}
	return 0
}

// end stops the session's console and leaves why to be shown once it has
// let go of the terminal.
//
// The console is asked to quit without waiting for it to take the
// request: Quit waits until the program's loop reads it, and the loop of
// a session whose client stopped reading is stuck writing a frame. The
// caller (shutdown, holding the server's lock) must not be stuck with it.
func (ss *session) end(why string) {
	ss.mu.Lock()
	if ss.why == "" {
		ss.why = why
	}
	p := ss.program
	ss.mu.Unlock()
	if p != nil {
		go p.Quit()
	}
}

// kill stops the session's console, for a session that did not end when
// asked: shutdown's last resort, before it closes the connections. Kill
// itself waits for the renderer, which is stuck until its connection
// closes, so it is not waited for.
func (ss *session) kill() {
	ss.mu.Lock()
	p := ss.program
	ss.mu.Unlock()
	if p != nil {
		go p.Kill()
	}
}

func (ss *session) reason() string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.why
}

// handle is the middleware that runs a console for each session.
func (s *Server) handle(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer next(sess)
		a, ok := sess.Context().Value(agentKey{}).(crm.Agent)
		if !ok {
			wish.Fatalln(sess, "dangol: no agent for this session")
			return
		}
		addr := sess.RemoteAddr().String()
		if len(sess.Command()) > 0 {
			wish.Fatalln(sess, "dangol: this server runs the console only; connect without a command (ssh -t)")
			return
		}
		pty, windows, isPty := sess.Pty()
		if !isPty {
			wish.Fatalln(sess, "dangol: the console needs a terminal: connect with ssh -t")
			return
		}
		ss := &session{agent: a, key: sess.PublicKey(), addr: addr, sess: sess, out: &output{Writer: sess}}
		if why := s.register(ss); why != "" {
			s.log.Warn("session refused", "agent", a.Name, "addr", addr, "why", why)
			wish.Fatalln(sess, why)
			return
		}
		defer s.unregister(ss)
		log := s.log.With("agent", a.Name, "addr", addr)
		log.Info("session start", "term", pty.Term, "size", fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height))
		start := time.Now()

		ctx, cancel := context.WithCancel(sess.Context())
		defer cancel()
		login, err := s.crm.LoginOf(ctx, a.ID)
		if err != nil {
			log.Error("agent settings", "err", err)
		}
		common := kit.NewCommon(ctx, s.crm, s.q, a, s.langFor(login, sess.Environ()), log)
		common.DialCmd = s.dialCmdFor(a, login.Extension)
		app := tui.NewApp(common)
		// The screen the console draws is bounded whatever the client
		// asks for (see MaxCols): a larger one is drawn at the bound, and
		// told so.
		w, h, over := clampSize(pty.Window.Width, pty.Window.Height)
		p := tea.NewProgram(app, programOptions(sess, ss.out, pty, w, h, ctx)...)
		ss.mu.Lock()
		ss.program = p
		ss.mu.Unlock()
		if why := ss.reason(); why != "" { // ended before it began
			p.Quit()
		}
		tui.Listen(ctx, s.d.Changes, p.Send)
		go func() {
			if over {
				p.Send(kit.TooLargeMsg{Width: pty.Window.Width, Height: pty.Window.Height, MaxWidth: MaxCols, MaxHeight: MaxRows})
			}
			for {
				select {
				case <-ctx.Done():
					return
				case win := <-windows:
					w, h, over := clampSize(win.Width, win.Height)
					p.Send(tea.WindowSizeMsg{Width: w, Height: h})
					if over {
						p.Send(kit.TooLargeMsg{Width: win.Width, Height: win.Height, MaxWidth: MaxCols, MaxHeight: MaxRows})
					}
				}
			}
		}()
		_, runErr := p.Run()
		// However it ended (quit, dropped connection, idle, shutdown), text
		// still in the editor becomes this agent's draft; a claim stays until
		// its lease ends, so reconnecting in time resumes the call.
		if id, body, ok := app.Unsaved(); ok {
			// The draft goes before every background write (db.Background);
			// with a hundred consoles writing it may still wait a while.
			saveCtx, cancelSave := context.WithTimeout(context.Background(), 30*time.Second)
			if err := s.crm.SaveDraft(saveCtx, a.ID, id, body); err != nil {
				log.Error("draft not kept", "customer", id, "err", err)
			} else {
				log.Info("draft kept", "customer", id)
			}
			cancelSave()
		}
		app.Close()
		if why := ss.reason(); why != "" {
			fmt.Fprintf(sess, "\r\n%s\r\n", why)
			sess.Exit(1)
		}
		log.Info("session end", "after", time.Since(start).Round(time.Second).String(), "err", errText(runErr))
	}
}

// programOptions are the console's program options for an SSH session
// with an emulated terminal, as wish's bubbletea.MakeOptions makes them,
// from the pty read once when the session began: the SSH library writes a
// session's window size without a lock as window changes come, and
// reading it again (MakeOptions does) races with them.
func programOptions(sess ssh.Session, out io.Writer, pty ssh.Pty, w, h int, ctx context.Context) []tea.ProgramOption {
	env := append(sess.Environ(), "TERM="+pty.Term)
	return []tea.ProgramOption{tea.WithInput(sess), tea.WithOutput(out), tea.WithColorProfile(colorprofile.Env(env)),
		tea.WithEnvironment(env), tea.WithWindowSize(w, h), tea.WithContext(ctx), tea.WithFPS(120),
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			if _, ok := msg.(tea.SuspendMsg); ok { // ctrl+z over SSH: nothing to suspend to
				return tea.ResumeMsg{}
			}
			return msg
		})}
}

// langFor chooses the console's language: the agent's setting, else the
// client's LANG (or LC_ALL, LC_MESSAGES) when it sends one, else the
// server's.
func (s *Server) langFor(login crm.Login, env []string) kit.Lang {
	switch login.Lang {
	case "ko":
		return kit.Korean
	case "en":
		return kit.English
	}
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	if vars["LC_ALL"] == "" && vars["LC_MESSAGES"] == "" && vars["LANG"] == "" {
		return s.cfg.Lang
	}
	return kit.LangFromEnv(func(k string) string { return vars[k] })
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
