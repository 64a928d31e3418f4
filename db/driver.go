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
			return c.RegisterFunc("local_minute", LocalMinute, true)
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
