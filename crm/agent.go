package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
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

func insertAgent(ctx context.Context, q db.Querier, a Agent, now time.Time) (int64, error) {
	res, err := q.ExecContext(ctx,
		`INSERT INTO agents(name, display_name, role, active, created_at) VALUES (?, ?, ?, 1, ?)`,
		a.Name, a.DisplayName, a.Role, now.Unix())
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return 0, fmt.Errorf("agent %q already exists", a.Name)
		}
		return 0, err
	}
	return res.LastInsertId()
}

// SetAgentActive turns an agent on or off through q, audited. Turning one
// off is half of a deactivation: the queue moves their work in the same
// transaction or right after.
func SetAgentActive(ctx context.Context, q db.Querier, actor Agent, agentID int64, active bool, now time.Time) error {
	if _, err := q.ExecContext(ctx, `UPDATE agents SET active = ? WHERE id = ?`, active, agentID); err != nil {
		return err
	}
	from, to, action := "active", "inactive", "deactivate"
	if active {
		from, to, action = to, from, "activate"
	}
	return WriteAudit(ctx, q, Audit{At: now, Actor: actor, Entity: "agent", EntityID: agentID, Action: action, From: from, To: to})
}
