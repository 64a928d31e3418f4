package kit

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Screen is one whole view of the console between the header and the help
// line: the agent's work (queue, customer, note), the team board, the
// team's callbacks, the audit log, the figures, agents and policy. A screen
// is a component in its own file, registered in screenDefs; the root only
// switches between them, routes messages and draws the chrome.
type Screen interface {
	// Update handles a message. Keys come only while the screen is shown
	// and nothing floats over it; other messages come to every screen
	// built, which ignores what is not its own.
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	// ShortHelp is the help line while the screen has the keyboard.
	ShortHelp() []key.Binding
	// HelpGroups are its keys in the full help, by where they work.
	HelpGroups() []HelpGroup
	// Typing reports that a text field has the keyboard: every key but
	// ctrl+c is text then, not a command.
	Typing() bool
	// Cursor is where the terminal's cursor belongs, or nil.
	Cursor() *tea.Cursor
}

// HelpGroup is a titled column of the full help.
type HelpGroup struct {
	Title string
	Keys  []key.Binding
}

// ScreenID names a registered screen.
type ScreenID string

// The console's screens.
const (
	ScreenWork    ScreenID = "work"
	ScreenBoard   ScreenID = "board"
	ScreenTeam    ScreenID = "team"
	ScreenAudit   ScreenID = "audit"
	ScreenFigures ScreenID = "figures"
	ScreenAgents  ScreenID = "agents"
	ScreenPolicy  ScreenID = "policy"
	// ScreenCampaigns is last, so the number keys of the others stay.
	ScreenCampaigns ScreenID = "campaigns"
)

// SwitchScreenMsg asks the root to show a screen, and then hands that
// screen then (a filter to apply, say), if any.
type SwitchScreenMsg struct {
	ID   ScreenID
	Then tea.Msg
}
