// Package problem is the error a person caused and can fix (an empty
// note, a bad phone number, a time in the past), shared by every layer
// that refuses input: due, crm, queue. It is a leaf: the phrase parser
// links no database through it.
package problem

import "fmt"

// Error carries a code and its arguments, so the console can say it in
// the agent's language; Error() is the English the command line prints.
// Errors that are not an Error are the system's (a full disk, a damaged
// file) and are described by db.
type Error struct {
	Code string
	Args []any
	text string
}

func (e Error) Error() string { return e.text }

// New makes an Error with code and the English format and args; the
// console's other languages give their own format for the same args.
func New(code, format string, args ...any) Error {
	return Error{Code: code, Args: args, text: fmt.Sprintf(format, args...)}
}
