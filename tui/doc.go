// Package tui is dangol's console. The root model (App) only routes: it
// owns what every screen shares (the header, the banner, the help line,
// the overlays, the reminders and the call flow), switches between the
// screens registered in screenDefs, and hands messages to them. The
// agent's desk is package desk, the supervisor's and admin's pages are
// package floor, and what they share is package kit. Nothing here talks to
// the database outside a tea.Cmd, so drawing never waits on SQLite.
package tui
