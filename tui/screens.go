package tui

import "github.com/dangol/dangol/crm"

// screenDef registers a screen: its name in the tab bar, who may see it
// and how it is made.
type screenDef struct {
	id    screenID
	title func(Text) string
	allow func(crm.Role) bool
	make  func(*Common) screen
}

// everyone, supervisors and admins are who may see a screen.
func everyone(crm.Role) bool { return true }

func supervisors(r crm.Role) bool { return r == crm.RoleSupervisor || r == crm.RoleAdmin }

func admins(r crm.Role) bool { return r == crm.RoleAdmin }

// screenDefs are the console's screens in tab order; the number keys pick
// them (1 the first). A new screen is one entry here and its own file.
func screenDefs() []screenDef {
	return []screenDef{
		{screenWork, func(t Text) string { return t.ScreenWork }, everyone, func(c *Common) screen { return newWorkScreen(c) }},
		{screenBoard, func(t Text) string { return t.ScreenBoard }, supervisors, func(c *Common) screen { return newBoardScreen(c) }},
		{screenTeam, func(t Text) string { return t.ScreenTeam }, supervisors, func(c *Common) screen { return newTeamScreen(c) }},
		{screenAudit, func(t Text) string { return t.ScreenAudit }, supervisors, func(c *Common) screen { return newAuditScreen(c) }},
		{screenFigures, func(t Text) string { return t.ScreenFigures }, supervisors, func(c *Common) screen { return newFiguresScreen(c) }},
		{screenAgents, func(t Text) string { return t.ScreenAgents }, admins, func(c *Common) screen { return newAgentsScreen(c) }},
		{screenPolicy, func(t Text) string { return t.ScreenPolicy }, admins, func(c *Common) screen { return newPolicyScreen(c) }},
	}
}
