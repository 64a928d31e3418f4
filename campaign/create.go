package campaign

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
	"github.com/dangol/dangol/queue"
)

// Spec is a campaign to create. Zero values take the defaults.
type Spec struct {
	Name        string
	Segment     string // a segment expression (see ParseExpr)
	Kind        string // the kind of call: marketing (consent and calling hours), sales, service
	Reason      string // shown on every call
	Metric      string // the primary metric (Metrics)
	ControlPct  int    // held out, 1–50 %
	MeasureDays int    // the days after the start the report compares
	Priority    int    // of its calls, 1–5
	Agents      []string
	Until       time.Time // its calls are not offered after; zero: no end
	Seed        int64     // of the split; 0: a random one (stored either way)
	// Progress is told how a scoring goes, when the segment needs one.
	Progress crm.ScoreProgress
}

// Created is what Create did.
type Created struct {
	Campaign
	Matched    int // customers the segment matched
	Excluded   int // of those, left out: no usable number, do-not-call, no consent, another campaign's control or cap
	ToPool     int // calls for the pool, the named agents' caps being full
	Scored     int // customers scored first (0: the scores were recent)
	AgentCalls map[string]int
}

func notFound(name string) error {
	return fmt.Errorf("campaign %q: %w", clip(name), crm.ErrNotFound)
}

// check fills the defaults and refuses what cannot be a campaign.
func (sp *Spec) check() error {
	sp.Name = strings.TrimSpace(sp.Name)
	sp.Reason = strings.TrimSpace(sp.Reason)
	switch {
	case sp.Name == "" || utf8.RuneCountInString(sp.Name) > 60 || strings.ContainsFunc(sp.Name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return problem.New("campaign_name", "a campaign needs a name of 1 to 60 printable characters")
	case utf8.RuneCountInString(sp.Reason) > 200:
		return problem.New("campaign_reason", "the reason is %d characters; keep it under 200", utf8.RuneCountInString(sp.Reason))
	}
	if sp.Kind == "" {
		sp.Kind = "marketing"
	}
	if sp.Reason == "" {
		sp.Reason = "campaign " + sp.Name
	}
	if sp.Metric == "" {
		sp.Metric = MetricRepeat
	}
	if !slices.Contains(Metrics, sp.Metric) {
		return problem.New("campaign_metric", "metric %q: use %s", clip(sp.Metric), strings.Join(Metrics, ", "))
	}
	if sp.ControlPct == 0 {
		sp.ControlPct = DefaultControlPct
	}
	if sp.ControlPct < 1 || sp.ControlPct > 50 {
		return problem.New("campaign_control", "control group %d%%: use 1%% to 50%% (without one, nothing can be measured)", sp.ControlPct)
	}
	if sp.MeasureDays == 0 {
		sp.MeasureDays = DefaultMeasureDays
	}
	if sp.MeasureDays < 1 || sp.MeasureDays > 365 {
		return problem.New("campaign_days", "measured over %d days: use 1 to 365", sp.MeasureDays)
	}
	if sp.Priority == 0 {
		sp.Priority = DefaultPriority
	}
	if sp.Priority < 1 || sp.Priority > 5 {
		return problem.New("priority_range", "priority %d: use 1 (most urgent) to 5", sp.Priority)
	}
	return nil
}

// Create builds a campaign: the customers the segment picks, less those
// the calling rules or other campaigns keep out, split at random into a
// control group (never called under it) and a contact group, whose calls
// it books to the named agents within their caps or to the pool. All in
// one transaction, audited. A segment that reads the scoring (segment,
// churn) scores every customer first when the last scoring is older than
// ScoresMaxAge.
func (s *Service) Create(ctx context.Context, actor crm.Agent, sp Spec) (Created, error) {
	var out Created
	if err := s.CRM.Require(ctx, actor, crm.PermTeamWork, "create a campaign"); err != nil {
		return out, err
	}
	if err := sp.check(); err != nil {
		return out, err
	}
	now := s.now()
	if !sp.Until.IsZero() && !sp.Until.After(now) {
		return out, problem.New("campaign_until", "until %s is already past", sp.Until.Format("2006-01-02 15:04"))
	}
	tiers, err := s.CRM.Tiers(ctx)
	if err != nil {
		return out, err
	}
	codes := make([]string, len(tiers))
	for i, t := range tiers {
		codes[i] = t.Code
	}
	expr, err := ParseExpr(sp.Segment, codes)
	if err != nil {
		return out, err
	}
	var scoresAt time.Time
	if expr.UsesScores() {
		if scoresAt, err = s.CRM.ScoresAt(ctx); err != nil {
			return out, err
		}
		if now.Sub(scoresAt) > ScoresMaxAge {
			if out.Scored, err = s.CRM.ScoreAll(ctx, now, sp.Progress); err != nil {
				return out, err
			}
			scoresAt = now
		}
	}
	if sp.Seed == 0 {
		var b [8]byte
		_, _ = crand.Read(b[:])
		sp.Seed = int64(binary.LittleEndian.Uint64(b[:]) >> 1)
		if sp.Seed == 0 {
			sp.Seed = 1
		}
	}
	err = s.DB.Tx(ctx, func(tx *db.Tx) error {
		out = Created{Scored: out.Scored, AgentCalls: map[string]int{}}
		var lock string
		if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'lock.campaign' FOR UPDATE`).Scan(&lock); err != nil {
			return err
		}
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM campaigns WHERE name = ?`, sp.Name).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return problem.New("campaign_exists", "a campaign named %q exists already", sp.Name)
		}
		agents, err := s.agentsOf(ctx, tx, sp.Agents)
		if err != nil {
			return err
		}
		var consent string
		err = tx.QueryRowContext(ctx, `SELECT consent FROM call_windows WHERE kind = ?`, sp.Kind).Scan(&consent)
		if errors.Is(err, sql.ErrNoRows) {
			return problem.New("kind_unknown", "kind %q: use service, complaint, sales or marketing", clip(sp.Kind))
		}
		if err != nil {
			return err
		}
		matched, eligible, err := s.candidates(ctx, tx, expr, consent, now)
		if err != nil {
			return err
		}
		out.Matched, out.Excluded = matched, matched-len(eligible)
		if len(eligible) < 2 {
			return problem.New("campaign_empty", "segment %q picks %d customers who may be called (of %d matched): a campaign needs at least 2",
				clip(sp.Segment), len(eligible), matched)
		}
		var until any
		if !sp.Until.IsZero() {
			until = sp.Until.Unix()
		}
		var scores any
		if !scoresAt.IsZero() {
			scores = scoresAt.Unix()
		}
		pool := 0
		if len(agents) == 0 {
			pool = 1
		}
		var actorID any
		if actor.ID != 0 {
			actorID = actor.ID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO campaigns(name, segment, kind, reason, metric, control_pct, seed, measure_days,
			state, starts_at, until_at, scores_at, pool, agents, created_at, created_by, actor)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			sp.Name, expr.Text, sp.Kind, sp.Reason, sp.Metric, sp.ControlPct, sp.Seed, sp.MeasureDays,
			now.Unix(), until, scores, pool, strings.Join(sp.Agents, ","), now.Unix(), actorID, actor.Name).Scan(&out.ID); err != nil {
			return err
		}
		control, contact := Split(eligible, sp.ControlPct, sp.Seed)
		owners, err := s.spread(ctx, tx, contact, agents, &out)
		if err != nil {
			return err
		}
		if err := insertMembers(ctx, tx, out.ID, control, contact, owners); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET called = ?, held_out = ? WHERE id = ?`,
			len(contact), len(control), out.ID); err != nil {
			return err
		}
		n, err := s.Queue.BookCampaign(ctx, tx, actor, queue.CampaignCalls{Campaign: out.ID, Name: sp.Name, Kind: sp.Kind,
			Reason: sp.Reason, Priority: sp.Priority, Due: now}, now)
		if err != nil {
			return err
		}
		if n != len(contact) {
			return fmt.Errorf("campaign %s: booked %d calls for %d customers", sp.Name, n, len(contact))
		}
		return crm.WriteAudit(ctx, tx, crm.Audit{At: now, Actor: actor, Entity: "campaign", EntityID: out.ID, Action: "create",
			To:     fmt.Sprintf("%d called, %d held out (%d%%, seed %d)", len(contact), len(control), sp.ControlPct, sp.Seed),
			Reason: fmt.Sprintf("%s: segment %s, kind %s, metric %s", sp.Name, expr.Text, sp.Kind, sp.Metric)})
	})
	if err != nil {
		return out, s.DB.Describe(err)
	}
	s.Queue.PublishMany(actor, "campaign")
	c, err := s.Get(ctx, sp.Name)
	out.Campaign = c
	return out, err
}

// agentsOf reads the named agents' ids, refusing an unknown or inactive one.
func (s *Service) agentsOf(ctx context.Context, tx *db.Tx, names []string) ([]crm.Agent, error) {
	var out []crm.Agent
	for _, name := range names {
		var a crm.Agent
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT id, name, active FROM agents WHERE name = ?`, name).Scan(&a.ID, &a.Name, &active)
		if errors.Is(err, sql.ErrNoRows) || err == nil && !active {
			return nil, problem.New("campaign_agent", "agent %q: no active agent of that name", clip(name))
		}
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// candidates counts the customers the segment matches and returns, in id
// order, those who may be called under a new campaign: a customer of
// record (not merged), not on the do-not-call list, with a usable number,
// with the consent the kind needs, not in the control group of a campaign
// still measured, and not in a campaign's contact group in the last
// CapDays days.
func (s *Service) candidates(ctx context.Context, tx *db.Tx, expr Expr, consent string, now time.Time) (int, []int64, error) {
	cond, args := expr.where(now)
	from := ` FROM customers c LEFT JOIN customer_scores s ON s.customer_id = c.id WHERE c.merged_into IS NULL AND ` + cond
	var matched int
	if err := tx.QueryRowContext(ctx, `SELECT count(*)`+from, args...).Scan(&matched); err != nil {
		return 0, nil, err
	}
	q := `SELECT c.id` + from + ` AND c.dnc = 0
		AND EXISTS (SELECT 1 FROM phones p WHERE p.customer_id = c.id AND p.invalid = 0)
		AND NOT EXISTS (SELECT 1 FROM campaign_members m JOIN campaigns k ON k.id = m.campaign_id
			WHERE m.customer_id = c.id AND ((m.grp = 'control' AND k.starts_at + k.measure_days * 86400 > ?)
				OR (m.grp = 'contact' AND k.starts_at > ?)))`
	args = append(args, now.Unix(), now.Unix()-CapDays*86400)
	if consent != "" {
		q += ` AND c.consent_` + consent + ` = 1` // consent is one of the schema's three words
	}
	ids, err := crm.IDs(ctx, tx, q+` ORDER BY c.id`, args...)
	return matched, ids, err
}

// Split holds pct % of ids out (rounded, at least one) at random from
// seed, and returns the control group and the rest, each in id order. The
// same ids and seed always give the same split.
func Split(ids []int64, pct int, seed int64) (control, contact []int64) {
	shuffled := slices.Clone(ids)
	slices.Sort(shuffled)
	r := rand.New(rand.NewPCG(uint64(seed), 0x64616e676f6c)) // "dangol"
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	n := max(1, (len(ids)*pct+50)/100)
	control, contact = shuffled[:n], shuffled[n:]
	slices.Sort(control)
	slices.Sort(contact)
	return control, contact
}

// spread gives the contact group's calls to the agents in turn, each
// within the room their cap leaves; the rest go to the pool (0).
func (s *Service) spread(ctx context.Context, tx *db.Tx, contact []int64, agents []crm.Agent, out *Created) ([]int64, error) {
	owners := make([]int64, len(contact))
	if len(agents) == 0 {
		return owners, nil
	}
	room := make([]int, len(agents))
	for i, a := range agents {
		r, err := s.Queue.CapRoom(ctx, tx, a.ID)
		if err != nil {
			return nil, err
		}
		room[i] = r
	}
	next := 0
	for i := range contact {
		for tries := 0; tries < len(agents); tries++ {
			k := (next + tries) % len(agents)
			if room[k] != 0 {
				owners[i] = agents[k].ID
				out.AgentCalls[agents[k].Name]++
				if room[k] > 0 {
					room[k]--
				}
				next = k + 1
				break
			}
		}
		if owners[i] == 0 {
			out.ToPool++
		}
	}
	return owners, nil
}

// insertMembers writes both groups, a few hundred rows per statement.
func insertMembers(ctx context.Context, tx *db.Tx, campaign int64, control, contact, owners []int64) error {
	type member struct {
		id    int64
		grp   string
		agent any
	}
	all := make([]member, 0, len(control)+len(contact))
	for _, id := range control {
		all = append(all, member{id, "control", nil})
	}
	for i, id := range contact {
		var agent any
		if owners[i] != 0 {
			agent = owners[i]
		}
		all = append(all, member{id, "contact", agent})
	}
	const batch = 250
	for len(all) > 0 {
		n := min(batch, len(all))
		args := make([]any, 0, 4*n)
		for _, m := range all[:n] {
			args = append(args, campaign, m.id, m.grp, m.agent)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_members(campaign_id, customer_id, grp, agent_id) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", n), ", "), args...); err != nil {
			return err
		}
		all = all[n:]
	}
	return nil
}
