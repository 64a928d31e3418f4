package db

import (
	"errors"

	"github.com/mattn/go-sqlite3"
)

// Class is what kind of failure a database error is, whatever the engine
// said it in: code above db asks the class, never the message text.
type Class int

// The classes of failure code above db acts on.
const (
	Other         Class = iota
	Busy                // another writer held the lock for longer than the wait
	Unique              // a row with the same unique key exists
	ForeignKey          // the row refers to one that does not exist
	Serialization       // a transaction lost a conflict with another: run it again
	ReadOnly            // the database takes no writes
	Full                // the disk (or a size limit) refused the write
	Damaged             // the file is damaged or not a database
	CannotOpen          // the file cannot be opened (permissions, missing)
)

// ClassOf is err's class, by the driver's codes.
func ClassOf(err error) Class {
	if code := pgCode(err); code != "" {
		return pgClass(code)
	}
	if isConnectError(err) {
		return CannotOpen
	}
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return Other
	}
	switch se.ExtendedCode {
	case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
		return Unique
	case sqlite3.ErrConstraintForeignKey:
		return ForeignKey
	}
	switch se.Code {
	case sqlite3.ErrBusy, sqlite3.ErrLocked:
		return Busy
	case sqlite3.ErrReadonly:
		return ReadOnly
	case sqlite3.ErrFull, sqlite3.ErrIoErr:
		return Full
	case sqlite3.ErrNotADB, sqlite3.ErrCorrupt:
		return Damaged
	case sqlite3.ErrCantOpen, sqlite3.ErrPerm, sqlite3.ErrAuth:
		return CannotOpen
	}
	return Other
}

// IsUnique reports a unique key violated.
func IsUnique(err error) bool { return ClassOf(err) == Unique }

// IsForeignKey reports a reference to a row that does not exist.
func IsForeignKey(err error) bool { return ClassOf(err) == ForeignKey }
