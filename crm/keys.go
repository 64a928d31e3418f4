package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// Key is an SSH public key an agent logs in with (dangol serve).
type Key struct {
	Fingerprint string // SHA256:…
	Type        string // ssh-ed25519, ssh-rsa, …
	Comment     string
}

// ErrUnknownKey is a key no agent has.
var ErrUnknownKey = errors.New("unknown key")

// ParseKey reads one public key as an authorized_keys line or a .pub file
// holds it. Anything else (a private key, two keys, garbage) is refused
// with the reason.
func ParseKey(text string) (ssh.PublicKey, string, error) {
	text = strings.TrimSpace(text)
	if strings.Contains(text, "PRIVATE KEY") {
		return nil, "", problem.New("key_private", "that is a private key: give the public one (the .pub file)")
	}
	lines := 0
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines++
		}
	}
	if lines != 1 {
		return nil, "", problem.New("key_count", "give exactly one public key (found %d)", lines)
	}
	key, comment, _, _, err := ssh.ParseAuthorizedKey([]byte(text))
	if err != nil {
		return nil, "", problem.New("key_unreadable", "not an SSH public key: %s", err.Error())
	}
	return key, comment, nil
}

// AddKey gives agent name the key in text; only admins may. A key belongs
// to one agent only.
func (s *Service) AddKey(ctx context.Context, actor Agent, name, text string) (Key, error) {
	if err := s.Require(ctx, actor, PermManageAgents, "agent"); err != nil {
		return Key{}, err
	}
	pub, comment, err := ParseKey(text)
	if err != nil {
		return Key{}, err
	}
	target, err := s.AgentByName(ctx, name)
	if err != nil {
		return Key{}, err
	}
	k := Key{Fingerprint: ssh.FingerprintSHA256(pub), Type: pub.Type(), Comment: plainComment(comment)}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT a.name FROM agent_keys k JOIN agents a ON a.id = k.agent_id
			WHERE k.fingerprint = ?`, k.Fingerprint).Scan(&owner)
		switch {
		case err == nil:
			return problem.New("key_taken", "key %s already belongs to %s", k.Fingerprint, owner)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
		var by any
		if actor.ID != 0 {
			by = actor.ID
		}
		// Two admins adding one key at once: the unique fingerprint
		// decides, and the second is told as if it had read the first's
		// (below, after the transaction, which the violation ended).
		if _, err := tx.ExecContext(ctx, `INSERT INTO agent_keys(agent_id, fingerprint, public_key, comment, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?)`, target.ID, k.Fingerprint, line, k.Comment, now.Unix(), by); err != nil {
			return err
		}
		return WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "agent", EntityID: target.ID, Action: "key_add",
			To: k.Fingerprint + " " + k.Type})
	})
	if db.IsUnique(err) {
		var owner string
		if rerr := s.DB.Read.QueryRowContext(ctx, `SELECT a.name FROM agent_keys k JOIN agents a ON a.id = k.agent_id
			WHERE k.fingerprint = ?`, k.Fingerprint).Scan(&owner); rerr == nil {
			return Key{}, problem.New("key_taken", "key %s already belongs to %s", k.Fingerprint, owner)
		}
	}
	if err != nil {
		return Key{}, s.DB.Describe(err)
	}
	s.DB.Changes.Publish(db.Change{Entity: "agent", ID: target.ID, Actor: actor.Name, Action: "key_add"})
	return k, nil
}

// RemoveKey takes a key from agent name: given as the key itself or its
// fingerprint. Only admins may.
func (s *Service) RemoveKey(ctx context.Context, actor Agent, name, keyOrFingerprint string) error {
	if err := s.Require(ctx, actor, PermManageAgents, "agent"); err != nil {
		return err
	}
	target, err := s.AgentByName(ctx, name)
	if err != nil {
		return err
	}
	fp := strings.TrimSpace(keyOrFingerprint)
	if !strings.HasPrefix(fp, "SHA256:") {
		pub, _, err := ParseKey(keyOrFingerprint)
		if err != nil {
			return err
		}
		fp = ssh.FingerprintSHA256(pub)
	}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM agent_keys WHERE agent_id = ? AND fingerprint = ?`, target.ID, fp)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return problem.New("key_not_found", "%s has no key %s", target.Name, fp)
		}
		return WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "agent", EntityID: target.ID, Action: "key_remove",
			From: fp})
	})
	if err != nil {
		return s.DB.Describe(err)
	}
	s.DB.Changes.Publish(db.Change{Entity: "agent", ID: target.ID, Actor: actor.Name, Action: "key_remove"})
	return nil
}

// Keys lists an agent's keys.
func (s *Service) Keys(ctx context.Context, agentID int64) ([]Key, error) {
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT fingerprint, public_key, comment FROM agent_keys
		WHERE agent_id = ? ORDER BY created_at, id`, agentID)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	defer rows.Close()
	var out []Key
	for rows.Next() {
		var k Key
		var line string
		if err := rows.Scan(&k.Fingerprint, &line, &k.Comment); err != nil {
			return nil, err
		}
		k.Type, _, _ = strings.Cut(line, " ")
		out = append(out, k)
	}
	return out, rows.Err()
}

// AgentByKey finds the agent a public key belongs to (active or not).
func (s *Service) AgentByKey(ctx context.Context, key ssh.PublicKey) (Agent, error) {
	var a Agent
	err := s.DB.Read.QueryRowContext(ctx, `SELECT a.id, a.name, a.display_name, a.role, a.active
		FROM agent_keys k JOIN agents a ON a.id = k.agent_id WHERE k.fingerprint = ?`, ssh.FingerprintSHA256(key)).
		Scan(&a.ID, &a.Name, &a.DisplayName, &a.Role, &a.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return Agent{}, fmt.Errorf("%w %s", ErrUnknownKey, ssh.FingerprintSHA256(key))
	}
	if err != nil {
		return Agent{}, s.DB.Describe(err)
	}
	return a, nil
}

// Login is what an agent's settings say about their console: the language
// they chose and their phone extension (empty when not set).
type Login struct {
	Lang, Extension string
}

// LoginOf reads an agent's console settings.
func (s *Service) LoginOf(ctx context.Context, agentID int64) (Login, error) {
	var l Login
	var lang, ext sql.NullString
	err := s.DB.Read.QueryRowContext(ctx, `SELECT lang, extension FROM agents WHERE id = ?`, agentID).Scan(&lang, &ext)
	if err != nil {
		return l, s.DB.Describe(err)
	}
	return Login{Lang: lang.String, Extension: ext.String}, nil
}

// plainComment keeps a key's comment as a short line of text: no control
// characters, at most 80 characters. It is shown in lists and logs.
func plainComment(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80])
	}
	return strings.TrimSpace(s)
}

// LoginRefused records a refused SSH login in the audit log, as dangol's
// own act: who the key belongs to when it is known (agentID, else 0),
// and why, with the key's fingerprint and the address it came from.
func (s *Service) LoginRefused(ctx context.Context, agentID int64, why, fingerprint, user, addr string) error {
	err := WriteAudit(ctx, s.DB, Audit{At: s.now(), Actor: System, Entity: "ssh", EntityID: agentID, Action: "login_refused",
		From: plainComment(user), To: fingerprint, Reason: why + " from " + addr})
	return s.DB.Describe(err)
}

// ConnectionsRefused records, as dangol's own act, n connections from host
// refused in the minute from minute (over the limits of the SSH server's
// edge, or logins refused after the first of that minute): one row however
// many there were.
func (s *Service) ConnectionsRefused(ctx context.Context, host, why string, n int, minute time.Time) error {
	err := WriteAudit(ctx, s.DB, Audit{At: s.now(), Actor: System, Entity: "ssh", Action: "connections_refused",
		From: plainComment(host), To: fmt.Sprint(n), Reason: fmt.Sprintf("%s, in the minute from %s", plainComment(why),
			minute.Format("2006-01-02 15:04"))})
	return s.DB.Describe(err)
}
