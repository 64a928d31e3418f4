// Package crm is the customer side of dangol: agents, customers and their
// contacts, notes of every interaction, purchases, loyalty, complaints, the
// audit log, drafts, demo data and export. It is plain Go over SQLite; the
// console, the CLI and the tests all call the same functions.
package crm

import (
	"context"
	"time"

	"github.com/dangol/dangol/db"
)

// Service holds what every crm operation needs: the database and a clock.
// Tests set Now to pin time; everything else uses time.Now.
type Service struct {
	DB  *db.DB
	Now func() time.Time
	// DoNotCall cancels a customer's open callbacks when they go on the
	// do-not-call list; the queue package sets it (see queue.New).
	DoNotCall DoNotCall
}

// New returns a Service on d using the wall clock.
func New(d *db.DB) *Service {
	return &Service{DB: d, Now: time.Now}
}

// now is the service clock, truncated to the second the database stores.
func (s *Service) now() time.Time {
	return s.Now().Truncate(time.Second)
}

// fromUnix converts a stored time; NULL becomes the zero time.
func fromUnix(v *int64) time.Time {
	if v == nil {
		return time.Time{}
	}
	return time.Unix(*v, 0)
}

// SiteZoneKey is the meta row naming the call center's time zone: the
// zone every time on screen is in, and the zone of "today".
const SiteZoneKey = "site.tz"

// SiteZone is the call center's time zone (Asia/Seoul unless the meta row
// says otherwise).
func (s *Service) SiteZone(ctx context.Context) *time.Location {
	var name string
	if err := s.DB.Read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, SiteZoneKey).Scan(&name); err != nil || name == "" {
		name = "Asia/Seoul"
	}
	return db.Zone(name)
}
