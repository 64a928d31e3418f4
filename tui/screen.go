package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
)

// screen is one whole view of the console between the header and the help
// line: the agent's work (queue, customer, note), the team board, the
// team's callbacks, the audit log, the figures, agents and policy. A screen
// is a component in its own file, registered in screenDefs; the root only
// switches between them, routes messages and draws the chrome.
type screen interface {
	// Update handles a message. Keys come only while the screen is shown
	// and nothing floats over it; other messages come to every screen
	// built, which ignores what is not its own.
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	// ShortHelp is the help line while the screen has the keyboard.
	ShortHelp() []key.Binding
	// HelpGroups are its keys in the full help, by where they work.
	HelpGroups() []helpGroup
	// Typing reports that a text field has the keyboard: every key but
	// ctrl+c is text then, not a command.
	Typing() bool
	// Cursor is where the terminal's cursor belongs, or nil.
	Cursor() *tea.Cursor
}

// helpGroup is a titled column of the full help.
type helpGroup struct {
	title string
	keys  []key.Binding
}

// screenID names a registered screen.
type screenID string

// The console's screens.
const (
	screenWork    screenID = "work"
	screenBoard   screenID = "board"
	screenTeam    screenID = "team"
	screenAudit   screenID = "audit"
	screenFigures screenID = "figures"
	screenAgents  screenID = "agents"
	screenPolicy  screenID = "policy"
)

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

// switchScreenMsg asks the root to show a screen, and then hands that
// screen then (a filter to apply, say), if any.
type switchScreenMsg struct {
	id   screenID
	then tea.Msg
}
