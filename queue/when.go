package queue

import (
	"time"

	"github.com/dangol/dangol/due"
)

// ReadDue reads a due-time phrase (see package due) with this policy's
// default hour for a date said without a time of day.
func (p Policy) ReadDue(phrase string, now time.Time, loc *time.Location) (due.Reading, error) {
	return due.Parse(phrase, now, loc, due.Options{DefaultHour: p.DefaultDueHour})
}

// ParseDue is the instant of ReadDue: a due time after now, read in loc
// (the customer's zone when scheduling a call to them).
func (p Policy) ParseDue(phrase string, now time.Time, loc *time.Location) (time.Time, error) {
	r, err := p.ReadDue(phrase, now, loc)
	return r.At, err
}
