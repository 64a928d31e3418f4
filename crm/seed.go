package crm

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
)

// SeedOptions size the demo data.
type SeedOptions struct {
	Customers    int       // how many customers
	Interactions int       // how many notes in all; 0 means about five per customer
	Now          time.Time // the present of the demo; histories end here
	Seed         uint64    // the same seed gives the same data
}

// DemoAgents are the people of the demo call center.
var DemoAgents = []Agent{
	{Name: "minji", DisplayName: "김민지", Role: RoleAgent},
	{Name: "junho", DisplayName: "이준호", Role: RoleAgent},
	{Name: "sora", DisplayName: "박소라", Role: RoleSupervisor},
	{Name: "yuna", DisplayName: "최유나", Role: RoleAdmin},
}

// IsDemo reports whether the database was filled by Seed.
func (s *Service) IsDemo(ctx context.Context) (bool, error) {
	var n int
	err := s.DB.Read.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key = 'demo' AND value = '1'`).Scan(&n)
	return n > 0, s.DB.Describe(err)
}

// Seed fills an empty database with a believable call center: the demo
// agents, customers with Korean (and some English) names and phones, their
// purchases, points, tiers, complaints and a history of interactions. It
// IsDemoAgent reports whether name is one of the agents a new demo
// database has.
func IsDemoAgent(name string) bool {
	for _, a := range DemoAgents {
		if a.Name == name {
			return true
		}
	}
	return false
}

// DemoAgentNames are the login names of the demo's agents, sorted.
func DemoAgentNames() []string {
	names := make([]string, len(DemoAgents))
	for i, a := range DemoAgents {
		names[i] = a.Name
	}
	sort.Strings(names)
	return names
}

// refuses a database that already has customers, so it never re-seeds.
func (s *Service) Seed(ctx context.Context, opt SeedOptions) error {
	if opt.Customers <= 0 {
		return fmt.Errorf("seed: need at least one customer")
	}
	if opt.Interactions <= 0 {
		opt.Interactions = opt.Customers * 5
	}
	if opt.Now.IsZero() {
		opt.Now = s.now()
	}
	var existing int
	if err := s.DB.Read.QueryRowContext(ctx, `SELECT count(*) FROM customers`).Scan(&existing); err != nil {
		return s.DB.Describe(err)
	}
	if existing > 0 {
		return fmt.Errorf("%s already has %d customers; seed only fills a new database", s.DB.Path, existing)
	}
	tiers, err := s.Tiers(ctx)
	if err != nil {
		return err
	}
	g := &seeder{opt: opt, tiers: tiers, rng: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		for _, a := range DemoAgents {
			id, err := insertAgent(ctx, tx, a, opt.Now.AddDate(-2, 0, 0))
			if err != nil {
				return err
			}
			a.ID = id
			g.agents = append(g.agents, a)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('demo', '1')
			ON CONFLICT(key) DO UPDATE SET value = '1'`)
		return err
	})
	if err != nil {
		return s.DB.Describe(err)
	}
	// Search keys go to a scratch table first and into the index at the
	// end, sorted: a million customers' keys inserted in key order is a
	// fast append, in customer order a slow shuffle through the B-tree.
	// A table of the database, not a TEMP one: a TEMP table belongs to one
	// connection, and PostgreSQL's batches may each have another.
	_, err = s.DB.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS seed_keys(key TEXT, customer_id BIGINT)`)
	if err != nil {
		return s.DB.Describe(err)
	}
	// Large seeds commit in batches so memory and the WAL stay small.
	const batch = 20000
	for start := 0; start < opt.Customers; start += batch {
		n := min(batch, opt.Customers-start)
		if err := s.DB.Tx(ctx, func(tx *db.Tx) error { return g.customers(ctx, tx, start, n) }); err != nil {
			return s.DB.Describe(err)
		}
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_keys(key, customer_id)
			SELECT key, customer_id FROM seed_keys WHERE true ORDER BY key, customer_id ON CONFLICT DO NOTHING`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DROP TABLE seed_keys`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('search_version', ?)
			ON CONFLICT(key) DO UPDATE SET value = excluded.value`, SearchVersion)
		return err
	})
	return s.DB.Describe(err)
}

// seeder generates demo rows with prepared statements.
type seeder struct {
	opt    SeedOptions
	tiers  []Tier
	rng    *rand.Rand
	agents []Agent
	notes  int // interactions written so far
}

type seedStmts struct {
	customer, phone, email, purchase, ledger, complaint, interaction, lastContact, key *db.Stmt
}

func prepare(ctx context.Context, tx *db.Tx) (*seedStmts, error) {
	var st seedStmts
	queries := []struct {
		dst **db.Stmt
		sql string
	}{
		{&st.customer, `INSERT INTO customers(name, name_roman, birthday, lang, tz, tier, segment, points, dnc, consent_marketing,
			consent_sms, consent_email, joined_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`},
		{&st.phone, `INSERT INTO phones(customer_id, e164, raw, kind, is_primary, created_at) VALUES (?, ?, ?, ?, ?, ?)`},
		{&st.email, `INSERT INTO emails(customer_id, address, is_primary, created_at) VALUES (?, ?, 1, ?)`},
		{&st.purchase, `INSERT INTO purchases(customer_id, item, amount, channel, purchased_at, created_at) VALUES (?, ?, ?, ?, ?, ?)
			RETURNING id`},
		{&st.ledger, `INSERT INTO loyalty_ledger(customer_id, kind, delta, balance_after, reason, purchase_id, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.complaint, `INSERT INTO complaints(customer_id, subject, status, opened_at, opened_by, first_response_at, resolved_at, resolved_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`},
		{&st.interaction, `INSERT INTO interactions(customer_id, agent_id, channel, direction, body, complaint_id, created_at,
			satisfaction, recommend) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&st.lastContact, `UPDATE customers SET last_contact_at = ?, last_contact_channel = ?, last_contact_agent_id = ?, points = ?
			WHERE id = ?`},
		{&st.key, `INSERT INTO seed_keys(key, customer_id) VALUES (?, ?)`},
	}
	for _, q := range queries {
		s, err := tx.PrepareContext(ctx, q.sql)
		if err != nil {
			return nil, err
		}
		*q.dst = s
	}
	return &st, nil
}

func (g *seeder) pick(list []romanized) romanized {
	total := 0
	for _, r := range list {
		total += r.weight
	}
	n := g.rng.IntN(total)
	for _, r := range list {
		if n < r.weight {
			return r
		}
		n -= r.weight
	}
	return list[0]
}

// between returns a random time in [from, to).
func (g *seeder) between(from, to time.Time) time.Time {
	span := to.Sub(from)
	if span <= 0 {
		return from
	}
	return from.Add(time.Duration(g.rng.Int64N(int64(span))))
}

func (g *seeder) customers(ctx context.Context, tx *db.Tx, start, n int) error {
	st, err := prepare(ctx, tx)
	if err != nil {
		return err
	}
	for i := start; i < start+n; i++ {
		if err := g.customer(ctx, st, i); err != nil {
			return err
		}
	}
	return nil
}

// customer writes one customer and everything they did. The random draws
// come in a fixed order (person, purchases, flags, contacts, points, a
// complaint, notes), so a seed always makes the same demo.
func (g *seeder) customer(ctx context.Context, st *seedStmts, index int) error {
	now, r := g.opt.Now, g.rng
	joined := now.Add(-time.Duration(r.Int64N(int64(10 * 365 * 24 * time.Hour))))
	p := g.person()
	// Purchases decide the tier, the tier decides how points were earned.
	buys, spend12m := g.purchases(joined)
	tier := TierFor(g.tiers, spend12m, now.Sub(joined))
	history := make([]Purchase, len(buys))
	for i, b := range buys {
		history[i] = Purchase{Amount: b.amount, At: b.at}
	}
	segment := ComputeRFM(history, joined, now).Segment
	dnc := r.IntN(30) == 0
	var id int64
	if err := st.customer.QueryRowContext(ctx, p.name, p.roman, p.birthday, p.lang, p.tz, tier.Code, segment, 0, dnc,
		r.IntN(2) == 0, r.IntN(3) > 0, r.IntN(3) > 0, joined.Unix(), joined.Unix(), now.Unix()).Scan(&id); err != nil {
		return err
	}
	if err := g.contacts(ctx, st, id, index, p, joined); err != nil {
		return err
	}
	balance, err := g.points(ctx, st, id, buys, tier)
	if err != nil {
		return err
	}
	complaintID, err := g.complaint(ctx, st, id)
	if err != nil {
		return err
	}
	last, err := g.notesOf(ctx, st, id, index, joined, complaintID)
	if err != nil {
		return err
	}
	_, err = st.lastContact.ExecContext(ctx, last.at, last.channel, last.agent, balance, id)
	return err
}

// seedPerson is who a customer is: name, language, zone, mobile, birthday.
type seedPerson struct {
	name, roman, lang, tz, phone, phoneRaw, birthday string
}

func (g *seeder) person() seedPerson {
	r := g.rng
	p := seedPerson{lang: "ko", tz: "Asia/Seoul"}
	if r.IntN(10) == 0 {
		first, last := englishFirst[r.IntN(len(englishFirst))], englishLast[r.IntN(len(englishLast))]
		p.name, p.roman, p.lang = first+" "+last, first+" "+last, "en"
		if r.IntN(2) == 0 {
			a := abroad[r.IntN(len(abroad))]
			p.tz = a.tz
			p.phone = a.prefix + a.area[r.IntN(len(a.area))] + digits(r, a.digits)
			p.phoneRaw = p.phone
		}
	} else {
		sur, given := g.pick(surnames), g.pick(givenNames)
		p.name, p.roman = sur.hangul+given.hangul, sur.roman+" "+given.roman
	}
	if p.phone == "" {
		p.phone, p.phoneRaw = koreanMobile(r)
	}
	p.birthday = time.Date(1950+r.IntN(55), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC).Format("2006-01-02")
	return p
}

// seedBuy is one purchase of the demo.
type seedBuy struct {
	item   string
	amount int64
	at     time.Time
}

// purchases are up to 11 purchases since joined, and what was spent in
// the last 12 months.
func (g *seeder) purchases(joined time.Time) ([]seedBuy, int64) {
	now, r := g.opt.Now, g.rng
	var buys []seedBuy
	var spend12m int64
	for k := r.IntN(12); k > 0; k-- {
		it := items[r.IntN(len(items))]
		b := seedBuy{item: it.name, amount: it.price * int64(1+r.IntN(2)), at: g.between(joined, now)}
		buys = append(buys, b)
		if now.Sub(b.at) < 365*24*time.Hour {
			spend12m += b.amount
		}
	}
	return buys, spend12m
}

// contacts writes the customer's numbers and address and their search keys.
func (g *seeder) contacts(ctx context.Context, st *seedStmts, id int64, index int, p seedPerson, joined time.Time) error {
	r := g.rng
	phones, emails := []string{p.phone}, []string(nil)
	if _, err := st.phone.ExecContext(ctx, id, p.phone, p.phoneRaw, "mobile", 1, joined.Unix()); err != nil {
		return err
	}
	if r.IntN(4) == 0 {
		e, raw := koreanLandline(r)
		if _, err := st.phone.ExecContext(ctx, id, e, raw, "home", 0, joined.Unix()); err != nil {
			return err
		}
		phones = append(phones, e)
	}
	if r.IntN(10) < 7 {
		addr := fmt.Sprintf("%s%d@%s", strings.ToLower(strings.ReplaceAll(p.roman, " ", ".")), index%1000,
			[]string{"naver.com", "gmail.com", "daum.net", "kakao.com"}[r.IntN(4)])
		if _, err := st.email.ExecContext(ctx, id, addr, joined.Unix()); err != nil {
			return err
		}
		emails = append(emails, addr)
	}
	for _, k := range searchKeys(p.name, p.roman, phones, emails) {
		if _, err := st.key.ExecContext(ctx, k, id); err != nil {
			return err
		}
	}
	return nil
}

// points writes the purchases with the points they earned, and some
// redeemed; it returns the balance.
func (g *seeder) points(ctx context.Context, st *seedStmts, id int64, buys []seedBuy, tier Tier) (int64, error) {
	r := g.rng
	var balance int64
	for _, b := range buys {
		var pid int64
		if err := st.purchase.QueryRowContext(ctx, id, b.item, b.amount, []string{"store", "online", "phone"}[r.IntN(3)], b.at.Unix(),
			b.at.Unix()).Scan(&pid); err != nil {
			return 0, err
		}
		earned := b.amount * int64(tier.EarnPct) / 100
		balance += earned
		if _, err := st.ledger.ExecContext(ctx, id, "earn", earned, balance, "구매 적립: "+b.item, pid, b.at.Unix(), nil); err != nil {
			return 0, err
		}
		if balance > 5000 && r.IntN(4) == 0 {
			use := balance / 2
			balance -= use
			agent := g.agents[r.IntN(2)]
			if _, err := st.ledger.ExecContext(ctx, id, "redeem", -use, balance, "포인트 사용", nil, b.at.Add(time.Hour).Unix(), agent.ID); err != nil {
				return 0, err
			}
		}
	}
	return balance, nil
}

// complaint opens a complaint for one customer in twelve; its id, or nil.
func (g *seeder) complaint(ctx context.Context, st *seedStmts, id int64) (any, error) {
	now, r := g.opt.Now, g.rng
	if r.IntN(12) != 0 {
		return nil, nil
	}
	opened := now.Add(-time.Duration(r.Int64N(int64(5 * 24 * time.Hour))))
	agent := g.agents[r.IntN(len(g.agents))]
	status, first := "open", any(nil)
	if r.IntN(3) == 0 {
		status, first = "responded", opened.Add(time.Duration(r.Int64N(int64(20*time.Hour)))).Unix()
	}
	var cid int64
	err := st.complaint.QueryRowContext(ctx, id, complaintSubjects[r.IntN(len(complaintSubjects))], status,
		opened.Unix(), agent.ID, first, nil, nil).Scan(&cid)
	return cid, err
}

// seedContact is a customer's last contact, as the customers row keeps it
// (nil when there was none).
type seedContact struct{ at, channel, agent any }

// notesOf writes the customer's share of the interactions (spread so the
// total lands on opt.Interactions), the last one about the complaint if
// any; it returns the last contact.
func (g *seeder) notesOf(ctx context.Context, st *seedStmts, id int64, index int, joined time.Time, complaintID any) (seedContact, error) {
	now, r := g.opt.Now, g.rng
	remaining := g.opt.Interactions - g.notes
	left := g.opt.Customers - index
	count := 0
	if remaining > 0 {
		mean := float64(remaining) / float64(left)
		count = int(r.ExpFloat64() * mean)
		if left == 1 {
			count = remaining
		}
		count = min(count, remaining)
	}
	var last time.Time
	var lastChannel Channel
	var lastAgent any
	for k := 0; k < count; k++ {
		ch := Channels[r.IntN(len(Channels))]
		tmpl := noteTemplates[ch]
		at := businessHours(g.between(joined, now.Add(-time.Hour)), now.Add(-time.Hour))
		var agentID any
		dir := "out"
		if ch == Channel080 || ch == ChannelVisit || r.IntN(3) == 0 {
			dir = "in"
		}
		if !(ch == ChannelSMS && dir == "in") {
			agentID = g.agents[r.IntN(len(g.agents))].ID
		}
		var cid any
		if k == count-1 {
			cid = complaintID
		}
		// About a third of the calls were scored by the customer; the scores
		// come from the time, so the random draws of the rest stay as they were.
		var sat, rec any
		if ch == ChannelPhone && agentID != nil && (id*31+int64(k)*7)%3 == 0 {
			sat, rec = 2+at.Unix()/60%4, 4+at.Unix()/7%7
		}
		if _, err := st.interaction.ExecContext(ctx, id, agentID, ch, dir, tmpl[r.IntN(len(tmpl))], cid, at.Unix(), sat, rec); err != nil {
			return seedContact{}, err
		}
		if at.After(last) {
			last, lastChannel, lastAgent = at, ch, agentID
		}
	}
	g.notes += count
	c := seedContact{agent: lastAgent}
	if !last.IsZero() {
		c.at = last.Unix()
	}
	if lastChannel != "" {
		c.channel = string(lastChannel)
	}
	return c, nil
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	if b[0] == '0' || b[0] == '1' {
		b[0] = '5'
	}
	return string(b)
}

// koreanMobile returns an 010 number in E.164 and as a person typed it.
func koreanMobile(r *rand.Rand) (e164, raw string) {
	mid, end := digits(r, 4), digits(r, 4)
	e164 = "+8210" + mid + end
	switch r.IntN(5) {
	case 0:
		raw = "010" + mid + end
	case 1:
		raw = "010 " + mid + " " + end
	case 2:
		raw = "+82 10-" + mid + "-" + end
	default:
		raw = "010-" + mid + "-" + end
	}
	return e164, raw
}

// koreanLandline returns a Seoul or regional landline.
func koreanLandline(r *rand.Rand) (e164, raw string) {
	area := []string{"2", "31", "32", "51", "53", "62"}[r.IntN(6)]
	mid, end := digits(r, 3+r.IntN(2)), digits(r, 4)
	return "+82" + area + mid + end, "0" + area + "-" + mid + "-" + end
}

// businessHours moves a moment into the call center's day (09:00–18:00 in
// Seoul), keeping its date, so demo notes are not written at 3 a.m. It
// never moves t past limit.
func businessHours(t, limit time.Time) time.Time {
	seoul := db.Zone("Asia/Seoul")
	k := t.In(seoul)
	if k.Hour() >= 9 && k.Hour() < 18 {
		return t
	}
	moved := time.Date(k.Year(), k.Month(), k.Day(), 9+(k.Hour()+k.Minute())%9, k.Minute(), k.Second(), 0, seoul)
	if moved.After(limit) {
		return t
	}
	return moved
}
