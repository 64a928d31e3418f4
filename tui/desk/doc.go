// Package desk is the agent's desk: the work screen with the callback
// queue, the customer 360 and the note, and what floats over it (the
// wrap-up picker, the customer search, quick actions, reminders), tied
// together by the call flow (claim, release, wrap-up, undo). It talks to
// the database only through queue and crm, inside tea.Cmds.
package desk
