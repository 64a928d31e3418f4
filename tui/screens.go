package tui

import (
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/tui/desk"
	"github.com/dangol/dangol/tui/floor"
	"github.com/dangol/dangol/tui/kit"
)

// screenDef registers a screen: its name in the tab bar, who may see it
// and how it is made.
type screenDef struct {
	id    kit.ScreenID
	title func(kit.Text) string
	allow func(crm.Role) bool
	make  func(*kit.Common) kit.Screen
}

// everyone, supervisors and admins are who may see a screen.
func everyone(crm.Role) bool { return true }

func supervisors(r crm.Role) bool { return r == crm.RoleSupervisor || r == crm.RoleAdmin }

func admins(r crm.Role) bool { return r == crm.RoleAdmin }

// screenDefs are the console's screens in tab order; the number keys pick
// them (1 the first). A new screen is one entry here and its own file.
func screenDefs() []screenDef {
	return []screenDef{
		{kit.ScreenWork, func(t kit.Text) string { return t.ScreenWork }, everyone, func(c *kit.Common) kit.Screen { return desk.NewWorkScreen(c) }},
		{kit.ScreenBoard, func(t kit.Text) string { return t.ScreenBoard }, supervisors, func(c *kit.Common) kit.Screen { return floor.NewBoardScreen(c) }},
		{kit.ScreenTeam, func(t kit.Text) string { return t.ScreenTeam }, supervisors, func(c *kit.Common) kit.Screen { return floor.NewTeamScreen(c) }},
		{kit.ScreenAudit, func(t kit.Text) string { return t.ScreenAudit }, supervisors, func(c *kit.Common) kit.Screen { return floor.NewAuditScreen(c) }},
		{kit.ScreenFigures, func(t kit.Text) string { return t.ScreenFigures }, supervisors, func(c *kit.Common) kit.Screen { return floor.NewFiguresScreen(c) }},
		{kit.ScreenAgents, func(t kit.Text) string { return t.ScreenAgents }, admins, func(c *kit.Common) kit.Screen { return floor.NewAgentsScreen(c) }},
		{kit.ScreenPolicy, func(t kit.Text) string { return t.ScreenPolicy }, admins, func(c *kit.Common) kit.Screen { return floor.NewPolicyScreen(c) }},
		{kit.ScreenCampaigns, func(t kit.Text) string { return t.ScreenCampaigns }, supervisors, func(c *kit.Common) kit.Screen { return floor.NewCampaignsScreen(c) }},
	}
}
