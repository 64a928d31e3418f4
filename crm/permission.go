package crm

import (
	"context"
	"fmt"
	"os/user"
)

// Permission is something only some roles may do. Agents work their own
// and the pool's callbacks and may see any customer; supervisors and
// admins also see and move the team's work; only admins manage agents and
// policy.
type Permission string

// The permissions the roles differ by.
const (
	PermTeamWork     Permission = "team_work"     // see and move the team's callbacks, undo, force-release
	PermManageAgents Permission = "manage_agents" // add, change, deactivate and reactivate agents
	PermPolicy       Permission = "policy"        // edit the policy, calling windows, SLA and dispositions
)

// Can reports whether the agent's role allows p.
func (a Agent) Can(p Permission) bool {
	switch p {
	case PermTeamWork:
		return a.Role == RoleSupervisor || a.Role == RoleAdmin
	case PermManageAgents, PermPolicy:
		return a.Role == RoleAdmin
	}
	return false
}

// ForbiddenError is a refused action: who tried, in which role, what.
// The console words it in the agent's language; the CLI prints Error.
type ForbiddenError struct {
	Actor  string
	Role   Role
	Action string // reassign, release_force, cancel, agent_add, policy, ...
	Need   Permission
}

func (e ForbiddenError) Error() string {
	who := "a supervisor or an admin"
	if e.Need != PermTeamWork {
		who = "an admin"
	}
	return fmt.Sprintf("%s is %s %s; only %s may %s", e.Actor, article(e.Role), e.Role, who, actionWords(e.Action))
}

func article(r Role) string {
	if r == RoleAdmin || r == RoleAgent {
		return "an"
	}
	return "a"
}

// actionWords says an action in a few words for a refusal.
func actionWords(action string) string {
	words := map[string]string{
		"reassign": "move the team's callbacks", "release_force": "free another agent's claim",
		"cancel": "cancel callbacks", "priority": "change priorities", "due": "reschedule the team's callbacks",
		"undo": "undo a bulk action", "team": "see the team's callbacks", "agent": "manage agents",
		"policy": "change the policy", "audit": "read the audit log", "report": "read the team's figures",
	}
	if w, ok := words[action]; ok {
		return w
	}
	return action
}

// Require checks that actor may do action, which needs p. A refusal is
// audited (the attempt is itself worth knowing) and returned as a
// ForbiddenError.
func (s *Service) Require(ctx context.Context, actor Agent, p Permission, action string) error {
	if actor.Can(p) {
		return nil
	}
	err := ForbiddenError{Actor: actor.Name, Role: actor.Role, Action: action, Need: p}
	if werr := WriteAudit(ctx, s.DB, Audit{At: s.now(), Actor: actor, Entity: "permission", Action: "refused",
		To: action, Reason: err.Error()}); werr != nil {
		return s.DB.Describe(werr)
	}
	return err
}

// OSActor is the actor of a command run without --as: whoever runs dangol
// on the machine that holds the file already has the file, so the command
// acts with admin rights and the audit records the operating-system user
// ("os:root").
func OSActor() Agent {
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return Agent{Name: "os:" + name, DisplayName: "os:" + name, Role: RoleAdmin, Active: true}
}

// Refused records that actor tried something that was not theirs to do
// (another agent's claim, another agent's callback): the audit log keeps
// what was tried and why it was refused, as it does for a role's refusal.
func (s *Service) Refused(ctx context.Context, actor Agent, entity string, id int64, tried string, why error) error {
	err := WriteAudit(ctx, s.DB, Audit{At: s.now(), Actor: actor, Entity: entity, EntityID: id, Action: "refused",
		To: tried, Reason: why.Error()})
	return s.DB.Describe(err)
}
