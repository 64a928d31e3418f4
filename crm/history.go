package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/db"
)

// HistoryRow is one past interaction or purchase as a file gives it. The
// customer is named by their number in the other system, dangol's own
// number, or a phone number, tried in that order.
type HistoryRow struct {
	Line       int
	ExternalID string
	CustomerNo string
	Phone      string
	At         string
	Channel    string
	Direction  string
	Agent      string
	Body       string // interactions
	Item       string // purchases
	Amount     string
	Kind       string // callbacks (At is the due time, Body the reason, Agent the owner)
	Priority   string
}

// historyChannels are the channel words files use.
var historyChannels = map[string]string{
	"": "phone", "phone": "phone", "call": "phone", "전화": "phone", "통화": "phone",
	"080": "inbound080", "inbound080": "inbound080", "sms": "sms", "문자": "sms", "email": "email", "e-mail": "email",
	"이메일": "email", "메일": "email", "chat": "chat", "채팅": "chat", "visit": "visit", "방문": "visit",
}

var purchaseChannels = map[string]string{
	"": "store", "store": "store", "매장": "store", "online": "online", "온라인": "online", "web": "online",
	"phone": "phone", "전화": "phone",
}

// ImportHistory brings past interactions (kind "interactions") or
// purchases (kind "purchases") in through tx. A row already held (the
// same customer, time and note, or time, item and amount) changes
// nothing, so a file can be imported again. Purchases earn no points (the
// balance comes with the customer); tiers and segments are worked out
// again for every customer touched. Each row is audited with its line.
func (s *Service) ImportHistory(ctx context.Context, tx *db.Tx, actor Agent, kind string, rows []HistoryRow, region string,
	now time.Time) (ImportResult, error) {
	var res ImportResult
	touched := map[int64]bool{}
	reject := func(r HistoryRow, why string, args ...any) {
		res.Rejected = append(res.Rejected, ImportIssue{Line: r.Line, Why: fmt.Sprintf(why, args...)})
	}
	for _, r := range rows {
		id, why, err := HistoryCustomer(ctx, tx, r, region)
		if err != nil {
			return res, err
		}
		if why != "" {
			reject(r, "%s", why)
			continue
		}
		at, ok := ReadTime(r.At, now.Location())
		if !ok {
			reject(r, "the time %q does not read", r.At)
			continue
		}
		var added bool
		switch kind {
		case "interactions":
			added, why, err = importInteraction(ctx, tx, actor, id, r, at, now)
		case "purchases":
			added, why, err = importPurchase(ctx, tx, actor, id, r, at, now)
		default:
			return res, fmt.Errorf("import %s: use interactions or purchases", kind)
		}
		if err != nil {
			return res, fmt.Errorf("line %d: %w", r.Line, err)
		}
		switch {
		case why != "":
			reject(r, "%s", why)
		case added:
			res.Created++
			touched[id] = true
		default:
			res.Unchanged++
		}
	}
	for id := range touched {
		if err := Recompute(ctx, tx, actor, id, now); err != nil {
			return res, err
		}
	}
	return res, nil
}

// HistoryCustomer finds the customer a history row names (the queue's
// callback import asks too), or says why not.
func HistoryCustomer(ctx context.Context, tx *db.Tx, r HistoryRow, region string) (int64, string, error) {
	var id int64
	find := func(query string, arg any) (bool, error) {
		err := tx.QueryRowContext(ctx, query, arg).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		return err == nil, err
	}
	if ext := strings.TrimSpace(r.ExternalID); ext != "" {
		ok, err := find(`SELECT coalesce(merged_into, id) FROM customers WHERE external_id = ?`, ext)
		if ok || err != nil {
			return id, "", err
		}
	}
	if no := strings.TrimSpace(r.CustomerNo); no != "" {
		if n, err := strconv.ParseInt(no, 10, 64); err == nil {
			ok, err := find(`SELECT coalesce(merged_into, id) FROM customers WHERE id = ?`, n)
			if ok || err != nil {
				return id, "", err
			}
		}
	}
	if p := strings.TrimSpace(r.Phone); p != "" {
		if e164, _, _, perr := ImportPhone(p, region); perr == nil {
			ok, err := find(`SELECT customer_id FROM phones WHERE e164 = ? ORDER BY customer_id LIMIT 1`, e164)
			if ok || err != nil {
				return id, "", err
			}
		}
	}
	return 0, fmt.Sprintf("no customer is %s", strings.Join(nonEmpty(r.ExternalID, r.CustomerNo, r.Phone), " / ")), nil
}

func nonEmpty(vs ...string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	if out == nil {
		return []string{"named (no customer column filled)"}
	}
	return out
}

// agentNamed is an agent's id by login name, NULL when the name is empty
// or unknown (the note stays; who wrote it is in the audit reason).
func agentNamed(ctx context.Context, tx *db.Tx, name string) (any, error) {
	if strings.TrimSpace(name) == "" {
		return nil, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM agents WHERE name = ?`, strings.TrimSpace(name)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return id, err
}

func importInteraction(ctx context.Context, tx *db.Tx, actor Agent, customer int64, r HistoryRow, at, now time.Time) (bool, string, error) {
	body := strings.TrimRight(r.Body, " \t\r\n")
	if err := ValidateNote(body); err != nil {
		return false, err.Error(), nil
	}
	channel, ok := historyChannels[strings.ToLower(strings.TrimSpace(r.Channel))]
	if !ok {
		return false, fmt.Sprintf("channel %q: use phone, 080, sms, email, chat or visit", r.Channel), nil
	}
	dir := "out"
	switch strings.ToLower(strings.TrimSpace(r.Direction)) {
	case "in", "inbound", "수신", "인바운드":
		dir = "in"
	case "", "out", "outbound", "발신", "아웃바운드":
	default:
		return false, fmt.Sprintf("direction %q: use in or out", r.Direction), nil
	}
	var held int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM interactions WHERE customer_id = ? AND created_at = ? AND body = ?`,
		customer, at.Unix(), body).Scan(&held); err != nil || held > 0 {
		return false, "", err
	}
	agent, err := agentNamed(ctx, tx, r.Agent)
	if err != nil {
		return false, "", err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO interactions(customer_id, agent_id, channel, direction, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, customer, agent, channel, dir, body, at.Unix()).Scan(&id); err != nil {
		return false, "", err
	}
	agentID, _ := agent.(int64)
	if err := MoveLastContact(ctx, tx, customer, at, Channel(channel), agentID); err != nil {
		return false, "", err
	}
	return true, "", WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "interaction", EntityID: id, Action: "create",
		Reason: fmt.Sprintf("import, line %d (agent %s)", r.Line, strings.TrimSpace(r.Agent))})
}

func importPurchase(ctx context.Context, tx *db.Tx, actor Agent, customer int64, r HistoryRow, at, now time.Time) (bool, string, error) {
	item := strings.TrimSpace(r.Item)
	amount, err := strconv.ParseInt(strings.NewReplacer(",", "", "원", "", "₩", "", " ", "").Replace(r.Amount), 10, 64)
	if item == "" || err != nil || amount == 0 {
		return false, fmt.Sprintf("a purchase needs an item and an amount in won (item %q, amount %q)", r.Item, r.Amount), nil
	}
	channel, ok := purchaseChannels[strings.ToLower(strings.TrimSpace(r.Channel))]
	if !ok {
		return false, fmt.Sprintf("channel %q: use store, online or phone", r.Channel), nil
	}
	var held int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM purchases WHERE customer_id = ? AND purchased_at = ? AND item = ? AND amount = ?`,
		customer, at.Unix(), item, amount).Scan(&held); err != nil || held > 0 {
		return false, "", err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO purchases(customer_id, item, amount, channel, purchased_at, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, customer, item, amount, channel, at.Unix(), now.Unix(), actorID(actor)).Scan(&id); err != nil {
		return false, "", err
	}
	return true, "", WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "customer", EntityID: customer, Action: "purchase",
		To: fmt.Sprintf("%s %d", item, amount), Reason: fmt.Sprintf("import, line %d (purchase %d)", r.Line, id)})
}
