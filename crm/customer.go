package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dangol/dangol/db"
)

// Customer is the profile row of one customer.
type Customer struct {
	ID               int64
	Name             string // as the customer writes it: 김민준, Emily Park
	NameRoman        string // Kim Minjun
	Birthday         string // YYYY-MM-DD or empty
	Lang             string // ko, en
	TZ               string // IANA time zone, Asia/Seoul
	Tier             string // tier code: basic, silver, gold, vip
	Segment          string
	Points           int64
	DNC              bool // do not call
	ConsentMarketing bool
	ConsentSMS       bool
	ConsentEmail     bool
	JoinedAt         time.Time // customer since
	LastContact      Contact   // zero when never contacted
	ExternalID       string    // their number in the system they were imported from (고객번호), or ""
}

// Contact says when, how and by whom a customer was last reached; dangol
// keeps it from the interactions, nobody types it.
type Contact struct {
	At      time.Time
	Channel Channel
	Agent   string // login name; empty when the customer wrote in unattended
}

// Location is the customer's time zone (db.Zone: Seoul when the stored
// name is unknown to this machine).
func (c Customer) Location() *time.Location { return db.Zone(c.TZ) }

// Tier is a membership level and what it gives the customer.
type Tier struct {
	Code       string
	Rank       int
	NameKo     string
	NameEn     string
	MinSpend   int64
	MinTenure  int // days
	EarnPct    int
	BenefitsKo string
	BenefitsEn string
}

// Complaint is a customer's complaint and where it stands.
type Complaint struct {
	ID              int64
	CustomerID      int64
	Subject         string
	Status          string // open, responded, resolved
	OpenedAt        time.Time
	FirstResponseAt time.Time
	ResolvedAt      time.Time
}

// Email is one address of a customer.
type Email struct {
	ID        int64
	Address   string
	IsPrimary bool
}

// Profile is the customer 360: everything an agent needs on one screen.
type Profile struct {
	Customer
	Tier           Tier
	Phones         []Phone
	Emails         []Email
	OpenComplaints []Complaint
	Recent         []Interaction // newest first
	LifetimeValue  int64         // won, all purchases
	Purchases      int           // how many
	RFM            RFM
	Churn          Churn
	SLA            SLA
	ReferredBy     *Referral // who brought this customer, if anyone
	Referrals      int       // customers this one brought
	Duplicates     []Duplicate
	LastAttempt    Attempt     // the latest call that did not reach them, after their last contact
	Attributes     []Attribute // what an import brought that has no column of its own
	BestTime       BestTime    // when they answer best, from their calls
}

// Attribute is one named value kept for a customer (an imported column
// dangol has no field for), in key order.
type Attribute struct{ Key, Value string }

// ErrNotFound is returned for an id with no row.
var ErrNotFound = errors.New("not found")

// RecentLimit is how many of the latest interactions the profile carries
// (the timeline shows the history; these are for the latest call's feedback).
const RecentLimit = 5

const customerColumns = `c.id, c.name, c.name_roman, coalesce(c.birthday, ''), c.lang, c.tz, c.tier, c.segment,
	c.points, c.dnc, c.consent_marketing, c.consent_sms, c.consent_email, c.joined_at,
	c.last_contact_at, coalesce(c.last_contact_channel, ''), coalesce(a.name, ''), coalesce(c.external_id, '')`

const customerFrom = ` FROM customers c LEFT JOIN agents a ON a.id = c.last_contact_agent_id`

func scanCustomer(row interface{ Scan(...any) error }) (Customer, error) {
	var c Customer
	var joined int64
	var last *int64
	err := row.Scan(&c.ID, &c.Name, &c.NameRoman, &c.Birthday, &c.Lang, &c.TZ, &c.Tier, &c.Segment,
		&c.Points, &c.DNC, &c.ConsentMarketing, &c.ConsentSMS, &c.ConsentEmail, &joined,
		&last, &c.LastContact.Channel, &c.LastContact.Agent, &c.ExternalID)
	c.JoinedAt = time.Unix(joined, 0)
	c.LastContact.At = fromUnix(last)
	return c, err
}

// Customer reads one customer's profile row.
func (s *Service) Customer(ctx context.Context, id int64) (Customer, error) {
	c, err := scanCustomer(s.DB.Read.QueryRowContext(ctx, `SELECT `+customerColumns+customerFrom+` WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Customer{}, fmt.Errorf("customer %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Customer{}, s.DB.Describe(err)
	}
	return c, nil
}

// Profile assembles the customer 360 in one read transaction, so the parts
// agree with each other.
func (s *Service) Profile(ctx context.Context, id int64) (Profile, error) {
	var p Profile
	now := s.now()
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error { return profileIn(ctx, tx, id, now, &p) })
	if err != nil {
		return p, err
	}
	p.SLA = s.SLA(ctx)
	return p, nil
}

func profileIn(ctx context.Context, tx *db.Tx, id int64, now time.Time, p *Profile) error {
	var err error
	p.Customer, err = scanCustomer(tx.QueryRowContext(ctx, `SELECT `+customerColumns+customerFrom+` WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("customer %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error {
			return tx.QueryRowContext(ctx, `SELECT code, rank, name_ko, name_en, min_spend, min_tenure_days, earn_pct,
				benefits_ko, benefits_en FROM tiers WHERE code = ?`, p.Customer.Tier).
				Scan(&p.Tier.Code, &p.Tier.Rank, &p.Tier.NameKo, &p.Tier.NameEn, &p.Tier.MinSpend, &p.Tier.MinTenure,
					&p.Tier.EarnPct, &p.Tier.BenefitsKo, &p.Tier.BenefitsEn)
		},
		func() error { p.Phones, err = phonesOf(ctx, tx, id); return err },
		func() error { p.Emails, err = emailsOf(ctx, tx, id); return err },
		func() error { p.OpenComplaints, err = openComplaintsOf(ctx, tx, id); return err },
		func() error { p.Recent, err = recentInteractions(ctx, tx, id, RecentLimit); return err },
		func() error { p.Duplicates, err = duplicatesOf(ctx, tx, id); return err },
		func() error { p.LastAttempt, err = lastAttempt(ctx, tx, id, p.LastContact.At); return err },
		func() error { p.Attributes, err = attributesOf(ctx, tx, id); return err },
		func() error { p.BestTime, err = bestTimeIn(ctx, tx, id, p.TZ, p.Segment); return err },
		func() error {
			purchases, err := purchasesOf(ctx, tx, id)
			for _, pu := range purchases {
				p.LifetimeValue += pu.Amount
			}
			p.Purchases = len(purchases)
			p.RFM = ComputeRFM(purchases, p.JoinedAt, now)
			p.Churn = ComputeChurn(purchases, p.OpenComplaints, now)
			return err
		},
		func() error {
			var r Referral
			err := tx.QueryRowContext(ctx, `SELECT c.id, c.name FROM referrals x JOIN customers c ON c.id = x.referrer_id
				WHERE x.referred_id = ?`, id).Scan(&r.ID, &r.Name)
			if err == nil {
				p.ReferredBy = &r
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			return tx.QueryRowContext(ctx, `SELECT count(*) FROM referrals WHERE referrer_id = ?`, id).Scan(&p.Referrals)
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func phonesOf(ctx context.Context, tx *db.Tx, customerID int64) ([]Phone, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, e164, raw, kind, is_primary, invalid FROM phones
		WHERE customer_id = ? ORDER BY is_primary DESC, id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Phone
	for rows.Next() {
		var p Phone
		if err := rows.Scan(&p.ID, &p.E164, &p.Raw, &p.Kind, &p.IsPrimary, &p.Invalid); err != nil {
			return nil, err
		}
		p.Local = FormatPhone(p.E164)
		out = append(out, p)
	}
	return out, rows.Err()
}

func emailsOf(ctx context.Context, tx *db.Tx, customerID int64) ([]Email, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, address, is_primary FROM emails
		WHERE customer_id = ? ORDER BY is_primary DESC, id`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Email
	for rows.Next() {
		var e Email
		if err := rows.Scan(&e.ID, &e.Address, &e.IsPrimary); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func openComplaintsOf(ctx context.Context, tx *db.Tx, customerID int64) ([]Complaint, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, customer_id, subject, status, opened_at, first_response_at, resolved_at
		FROM complaints WHERE customer_id = ? AND status <> 'resolved' ORDER BY opened_at`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Complaint
	for rows.Next() {
		var c Complaint
		var opened int64
		var first, resolved *int64
		if err := rows.Scan(&c.ID, &c.CustomerID, &c.Subject, &c.Status, &opened, &first, &resolved); err != nil {
			return nil, err
		}
		c.OpenedAt, c.FirstResponseAt, c.ResolvedAt = time.Unix(opened, 0), fromUnix(first), fromUnix(resolved)
		out = append(out, c)
	}
	return out, rows.Err()
}

// MaxAttributes is how many attributes the 360 carries: an import can
// bring a customer dozens of columns; the 360 says how many more there are.
const MaxAttributes = 20

func attributesOf(ctx context.Context, tx *db.Tx, customerID int64) ([]Attribute, error) {
	rows, err := tx.QueryContext(ctx, `SELECT key, value FROM customer_attributes WHERE customer_id = ? ORDER BY key LIMIT ?`,
		customerID, MaxAttributes+1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attribute
	for rows.Next() {
		var a Attribute
		if err := rows.Scan(&a.Key, &a.Value); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
