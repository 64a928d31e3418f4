package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// Role says what an agent may do in the console.
type Role string

// The roles of the design: agents work the queue, supervisors also move work
// between agents, admins also manage agents and data.
const (
	RoleAgent      Role = "agent"
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// Agent is a person who logs in. Every write names one as its actor.
type Agent struct {
	ID          int64
	Name        string // login name, e.g. minji
	DisplayName string // 김민지
	Role        Role
	Active      bool
}

// System is the actor for changes dangol makes by itself (lease expiry,
// overdue callbacks moving to the pool). It has no row in agents.
var System = Agent{Name: "dangol", DisplayName: "dangol", Role: RoleAdmin, Active: true}

// ErrDeactivated is returned to an agent who was deactivated while their
// console was open: it no longer works for them.
var ErrDeactivated = errors.New("your account was deactivated")

// ErrUnknownAgent is returned for a login name with no agent row.
var ErrUnknownAgent = errors.New("unknown agent")

// AgentByName finds an active or inactive agent by login name.
func (s *Service) AgentByName(ctx context.Context, name string) (Agent, error) {
	var a Agent
	err := s.DB.Read.QueryRowContext(ctx,
		`SELECT id, name, display_name, role, active FROM agents WHERE name = ?`, name).
		Scan(&a.ID, &a.Name, &a.DisplayName, &a.Role, &a.Active)
	if errors.Is(err, sql.ErrNoRows) {
		names, _ := s.agentNames(ctx)
		return Agent{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownAgent, name, strings.Join(names, ", "))
	}
	if err != nil {
		return Agent{}, s.DB.Describe(err)
	}
	return a, nil
}

// Agents lists every agent by login name.
func (s *Service) Agents(ctx context.Context) ([]Agent, error) {
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT id, name, display_name, role, active FROM agents ORDER BY name`)
	if err != nil {
		return nil, s.DB.Describe(err)
	}
	defer rows.Close()
	var out []Agent
	for rows.Next() {
		var a Agent
		if err := rows.Scan(&a.ID, &a.Name, &a.DisplayName, &a.Role, &a.Active); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *Service) agentNames(ctx context.Context) ([]string, error) {
	as, err := s.Agents(ctx)
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = a.Name
	}
	return names, err
}

// ErrAgentExists refuses a second agent of one login name.
var ErrAgentExists = errors.New("already exists")

func insertAgent(ctx context.Context, q *db.Tx, a Agent, now time.Time) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx,
		`INSERT INTO agents(name, display_name, role, active, created_at) VALUES (?, ?, ?, 1, ?) RETURNING id`,
		a.Name, a.DisplayName, a.Role, now.Unix()).Scan(&id)
	if db.IsUnique(err) {
		return 0, fmt.Errorf("agent %q %w", a.Name, ErrAgentExists)
	}
	return id, err
}

// SetAgentActive turns an agent on or off through q, audited. Turning one
// off is half of a deactivation: the queue moves their work in the same
// transaction or right after.
func SetAgentActive(ctx context.Context, q db.Querier, actor Agent, agentID int64, active bool, now time.Time) error {
	// Conditional: of two admins switching one agent at once, the second
	// changes nothing and audits nothing.
	res, err := q.ExecContext(ctx, `UPDATE agents SET active = ? WHERE id = ? AND active <> ?`, active, agentID, active)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	from, to, action := "active", "inactive", "deactivate"
	if active {
		from, to, action = to, from, "activate"
	}
	return WriteAudit(ctx, q, Audit{At: now, Actor: actor, Entity: "agent", EntityID: agentID, Action: action, From: from, To: to})
}

// loginName is what a login name may be: it is typed at the command line
// and, over SSH, is the user name of the connection.
var loginName = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,31}$`)

// extension is a phone extension: digits, at most 12, or nothing.
var extension = regexp.MustCompile(`^[0-9]{0,12}$`)

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleAgent, RoleSupervisor, RoleAdmin:
		return r, nil
	}
	return "", fmt.Errorf("role %q: use agent, supervisor or admin", s)
}

// AddAgent creates an agent; only admins may.
func (s *Service) AddAgent(ctx context.Context, actor Agent, a Agent) (Agent, error) {
	if err := s.Require(ctx, actor, PermManageAgents, "agent"); err != nil {
		return Agent{}, err
	}
	if !loginName.MatchString(a.Name) {
		return Agent{}, fmt.Errorf("login name %q: 2–32 lower-case letters, digits, dot, dash or underscore, starting with a letter", a.Name)
	}
	if strings.TrimSpace(a.DisplayName) == "" {
		a.DisplayName = a.Name
	}
	if _, err := ParseRole(string(a.Role)); err != nil {
		return Agent{}, err
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		id, err := insertAgent(ctx, tx, a, now)
		if err != nil {
			return err
		}
		a.ID, a.Active = id, true
		return WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "agent", EntityID: id, Action: "create",
			To: a.Name + " " + string(a.Role)})
	})
	if err != nil {
		return Agent{}, s.DB.Describe(err)
	}
	s.DB.Changes.Publish(db.Change{Entity: "agent", ID: a.ID, Actor: actor.Name, Action: "create"})
	return a, nil
}

// AgentChange is a change to an agent; nil fields stay as they are.
type AgentChange struct {
	Role        *Role
	DisplayName *string
	// MaxActive is the agent's cap on active personal callbacks; a
	// pointer to 0 clears it (the policy's default applies).
	MaxActive *int
	// Lang is the console's language for the agent over SSH: ko, en, or
	// "" to follow the client's LANG.
	Lang *string
	// Extension is the phone extension a click-to-call command dials
	// from; "" clears it.
	Extension *string
}

// SetAgent changes an agent's role, name or cap; only admins may. Each
// field changed is an audit row with its old and new value.
func (s *Service) SetAgent(ctx context.Context, actor Agent, name string, c AgentChange) error {
	if err := s.Require(ctx, actor, PermManageAgents, "agent"); err != nil {
		return err
	}
	if c.Role != nil {
		if _, err := ParseRole(string(*c.Role)); err != nil {
			return err
		}
	}
	if c.Lang != nil && *c.Lang != "" && *c.Lang != "ko" && *c.Lang != "en" {
		return problem.New("agent_lang", "language %q: use ko, en, or an empty value to follow the client", *c.Lang)
	}
	if c.Extension != nil && !extension.MatchString(*c.Extension) {
		return problem.New("agent_extension", "extension %q: up to 12 digits, or empty", *c.Extension)
	}
	if c.MaxActive != nil && (*c.MaxActive < 0 || *c.MaxActive > 10000) {
		return fmt.Errorf("cap %d: use 1–10000, or 0 for the policy's default", *c.MaxActive)
	}
	target, err := s.AgentByName(ctx, name)
	if err != nil {
		return err
	}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		// What the audit says it was is read under the row's lock, so two
		// admins changing one agent at once each record what they changed.
		var capNow sql.NullInt64
		var lang, ext sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT role, display_name, max_active, lang, extension FROM agents WHERE id = ? FOR UPDATE`,
			target.ID).Scan(&target.Role, &target.DisplayName, &capNow, &lang, &ext); err != nil {
			return err
		}
		change := func(col string, value any, what, from, to string) error {
			if from == to {
				return nil
			}
			if _, err := tx.ExecContext(ctx, `UPDATE agents SET `+col+` = ? WHERE id = ?`, value, target.ID); err != nil {
				return err
			}
			return WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "agent", EntityID: target.ID, Action: "edit",
				From: what + "=" + from, To: what + "=" + to})
		}
		if c.Role != nil {
			if err := change("role", string(*c.Role), "role", string(target.Role), string(*c.Role)); err != nil {
				return err
			}
		}
		if c.DisplayName != nil && strings.TrimSpace(*c.DisplayName) != "" {
			v := strings.TrimSpace(*c.DisplayName)
			if err := change("display_name", v, "display_name", target.DisplayName, v); err != nil {
				return err
			}
		}
		for _, f := range []struct {
			col  string
			to   *string
			from sql.NullString
		}{{"lang", c.Lang, lang}, {"extension", c.Extension, ext}} {
			if f.to == nil {
				continue
			}
			var value any
			if *f.to != "" {
				value = *f.to
			}
			if err := change(f.col, value, f.col, f.from.String, *f.to); err != nil {
				return err
			}
		}
		if c.MaxActive != nil {
			from := "default"
			if capNow.Valid {
				from = fmt.Sprint(capNow.Int64)
			}
			var value any
			to := "default"
			if *c.MaxActive > 0 {
				value, to = *c.MaxActive, fmt.Sprint(*c.MaxActive)
			}
			if err := change("max_active", value, "max_active", from, to); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return s.DB.Describe(err)
	}
	s.DB.Changes.Publish(db.Change{Entity: "agent", ID: target.ID, Actor: actor.Name, Action: "edit"})
	return nil
}

// Activate lets a deactivated agent log in again; only admins may. Their
// callbacks stay where deactivation moved them.
func (s *Service) Activate(ctx context.Context, actor Agent, name string) error {
	if err := s.Require(ctx, actor, PermManageAgents, "agent"); err != nil {
		return err
	}
	target, err := s.AgentByName(ctx, name)
	if err != nil {
		return err
	}
	if target.Active {
		return nil
	}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *db.Tx) error { return SetAgentActive(ctx, tx, actor, target.ID, true, now) })
	if err != nil {
		return s.DB.Describe(err)
	}
	s.DB.Changes.Publish(db.Change{Entity: "agent", ID: target.ID, Actor: actor.Name, Action: "activate"})
	return nil
}

// AgentCap is an agent's own cap on active personal callbacks, 0 when the
// policy's default applies.
func (s *Service) AgentCap(ctx context.Context, name string) (int, error) {
	var c sql.NullInt64
	err := s.DB.Read.QueryRowContext(ctx, `SELECT max_active FROM agents WHERE name = ?`, name).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%w %q", ErrUnknownAgent, name)
	}
	return int(c.Int64), s.DB.Describe(err)
}
