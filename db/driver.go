package db

import (
	"database/sql"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
)

// driverName is go-sqlite3 with dangol's SQL functions on every connection.
const driverName = "sqlite3_dangol"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			if err := c.RegisterFunc("local_minute", LocalMinute, true); err != nil {
				return err
			}
			return c.RegisterFunc("window_flip", WindowFlip, true)
		},
	})
}

// zones caches loaded time zones; LoadLocation reads tzdata from disk.
var zones sync.Map // name → *time.Location

// Zone loads an IANA time zone, falling back to Korea's fixed offset when
// the name is unknown (or the machine has no tzdata), so a bad value in one
// customer row never stops the queue.
func Zone(name string) *time.Location {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" {
		loc = time.FixedZone("KST", 9*3600)
	}
	zones.Store(name, loc)
	return loc
}

// LocalMinute is the SQL function local_minute(tz, unix): minutes after
// midnight at that moment in that zone. Calling rules use it to keep a
// call inside the customer's own day.
func LocalMinute(tz string, unix int64) int64 {
	t := time.Unix(unix, 0).In(Zone(tz))
	return int64(t.Hour()*60 + t.Minute())
}

// Never is a window_flip that never comes: a callback always callable, or
// blocked until its rules change.
const Never = int64(1) << 62

// WindowFlip is the SQL function window_flip(tz, start, end, unix): the
// first moment after unix when a calling window of [start, end) minutes
// after local midnight in zone tz opens or closes. A window with start >=
// end is always open and never flips.
func WindowFlip(tz string, start, end, unix int64) int64 {
	if start >= end {
		return Never
	}
	loc := Zone(tz)
	t := time.Unix(unix, 0).In(loc)
	at := func(day time.Time, minute int64) int64 {
		return time.Date(day.Year(), day.Month(), day.Day(), int(minute/60), int(minute%60), 0, 0, loc).Unix()
	}
	for day := t; ; day = day.AddDate(0, 0, 1) {
		for _, m := range []int64{start, end} {
			if f := at(day, m); f > unix {
				return f
			}
		}
		if day.Sub(t) > 48*time.Hour {
			return Never // a window of impossible minutes
		}
	}
}
