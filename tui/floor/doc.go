// Package floor holds the supervisor's and the admin's pages: the team
// board, the team's callbacks (filters, bulk moves with undo), the audit
// log, the figures, the agents and the policy. Each page is one file; it
// is registered in the root's screenDefs.
package floor
