package crm

import "fmt"

// Problem is an error a person caused and can fix (an empty note, a bad
// phone number, a time in the past). It carries a code and its arguments,
// so the console can say it in the agent's language; Error is the English
// the command line prints. Errors that are not a Problem are the system's
// (a full disk, a damaged file) and are described by db.
type Problem struct {
	Code string
	Args []any
	text string
}

func (p Problem) Error() string { return p.text }

// Problemf makes a Problem with code and the English format and args; the
// console's other languages give their own format for the same args.
func Problemf(code, format string, args ...any) Problem {
	return Problem{Code: code, Args: args, text: fmt.Sprintf(format, args...)}
}
