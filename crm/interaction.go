package crm

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

// Channel is how a contact with the customer happened.
type Channel string

// The two-way channels of the design.
const (
	ChannelPhone   Channel = "phone"      // outbound or answered call
	Channel080     Channel = "inbound080" // the toll-free line
	ChannelSMS     Channel = "sms"
	ChannelEmail   Channel = "email"
	ChannelChat    Channel = "chat"
	ChannelVisit   Channel = "visit"
	directionIn            = "in"
	directionOut           = "out"
	maxNoteDisplay         = 80
)

// Channels lists every channel in display order.
var Channels = []Channel{ChannelPhone, Channel080, ChannelSMS, ChannelEmail, ChannelChat, ChannelVisit}

// Valid reports whether c is one of Channels.
func (c Channel) Valid() bool {
	for _, k := range Channels {
		if c == k {
			return true
		}
	}
	return false
}

// MaxNoteRunes bounds a note. A call note of ten thousand characters is
// already a long letter; anything longer is almost always a paste gone
// wrong, and the agent is told so instead of the database growing silently.
const MaxNoteRunes = 10000

// Interaction is one note of a contact with a customer.
type Interaction struct {
	ID           int64
	CustomerID   int64
	Agent        string // login name; empty when unattended
	Channel      Channel
	Inbound      bool
	Body         string
	CallbackID   int64
	ComplaintID  int64
	Satisfaction int // 1–5, 0 when not asked
	Recommend    int // 0–10, -1 when not asked
	CreatedAt    time.Time
}

// NewNote is what an agent writes after a contact.
type NewNote struct {
	CustomerID  int64
	Channel     Channel // phone when empty
	Inbound     bool
	Body        string
	CallbackID  int64 // the callback this call worked, if any
	ComplaintID int64
}

// NoteTooLongError says how far over the limit a note is, so the agent can
// shorten it; the draft is kept.
type NoteTooLongError struct{ Runes int }

func (e *NoteTooLongError) Error() string {
	return fmt.Sprintf("note is %d characters; the limit is %d", e.Runes, MaxNoteRunes)
}

// ValidateNote checks a note body before it is stored.
func ValidateNote(body string) error {
	if strings.TrimSpace(body) == "" {
		return problem.New("note_empty", "note is empty")
	}
	if !utf8.ValidString(body) {
		return problem.New("note_not_text", "note is not valid UTF-8 text")
	}
	if n := utf8.RuneCountInString(body); n > MaxNoteRunes {
		return &NoteTooLongError{Runes: n}
	}
	return nil
}

// AddNote stores a note by actor, now, updates the customer's last contact,
// clears the actor's draft for that customer and writes the audit row, all
// in one transaction.
func (s *Service) AddNote(ctx context.Context, actor Agent, n NewNote) (Interaction, error) {
	// Check before taking the write lock; AddNoteTx checks again.
	if err := ValidateNote(strings.TrimRight(n.Body, " \t\n")); err != nil {
		return Interaction{}, err
	}
	var in Interaction
	err := s.DB.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if in, err = AddNoteTx(ctx, tx, actor, n, s.now()); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM drafts WHERE agent_id = ? AND customer_id = ?`, actor.ID, n.CustomerID)
		return err
	})
	if err != nil {
		return Interaction{}, s.DB.Describe(err)
	}
	s.DB.Changes.Publish(db.Change{Entity: "interaction", ID: in.ID, Actor: actor.Name, Action: "create"})
	return in, nil
}

// AddNoteTx stores a note inside a caller's transaction (a disposition
// with its note, say), with the same checks and audit row as AddNote.
func AddNoteTx(ctx context.Context, tx *db.Tx, actor Agent, n NewNote, now time.Time) (Interaction, error) {
	if n.Channel == "" {
		n.Channel = ChannelPhone
	}
	if !n.Channel.Valid() {
		return Interaction{}, fmt.Errorf("channel %q: choose one of %v", n.Channel, Channels)
	}
	n.Body = strings.TrimRight(n.Body, " \t\n")
	if err := ValidateNote(n.Body); err != nil {
		return Interaction{}, err
	}
	in, err := insertInteraction(ctx, tx, actor, n, now)
	if err != nil {
		return Interaction{}, err
	}
	return in, WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "interaction", EntityID: in.ID,
		Action: "create", To: summary(n.Body), Reason: fmt.Sprintf("customer %d, %s", n.CustomerID, n.Channel)})
}

// insertInteraction writes the row and moves the customer's last contact.
func insertInteraction(ctx context.Context, q *db.Tx, actor Agent, n NewNote, now time.Time) (Interaction, error) {
	dir := directionOut
	if n.Inbound {
		dir = directionIn
	}
	var agentID any
	if actor.ID != 0 {
		agentID = actor.ID
	}
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO interactions(customer_id, agent_id, channel, direction, body,
		callback_id, complaint_id, created_at) VALUES (?, ?, ?, ?, ?, nullif(?, 0), nullif(?, 0), ?) RETURNING id`,
		n.CustomerID, agentID, n.Channel, dir, n.Body, n.CallbackID, n.ComplaintID, now.Unix()).Scan(&id)
	if err != nil {
		if db.IsForeignKey(err) {
			return Interaction{}, fmt.Errorf("customer %d: %w", n.CustomerID, ErrNotFound)
		}
		return Interaction{}, err
	}
	if err := MoveLastContact(ctx, q, n.CustomerID, now, n.Channel, actor.ID); err != nil {
		return Interaction{}, err
	}
	return Interaction{ID: id, CustomerID: n.CustomerID, Agent: actor.Name, Channel: n.Channel, Inbound: n.Inbound,
		Body: n.Body, CallbackID: n.CallbackID, ComplaintID: n.ComplaintID, Recommend: -1, CreatedAt: now}, nil
}

// summary is the first line of a note, cut to fit an audit row.
func summary(body string) string {
	line, _, _ := strings.Cut(body, "\n")
	if utf8.RuneCountInString(line) > maxNoteDisplay {
		line = string([]rune(line)[:maxNoteDisplay]) + "…"
	}
	return line
}

// Interactions returns up to limit notes of a customer, newest first,
// starting below the note with id before (0 for the newest).
func (s *Service) Interactions(ctx context.Context, customerID, before int64, limit int) ([]Interaction, error) {
	var out []Interaction
	err := s.DB.ReadTx(ctx, func(tx *db.Tx) error {
		var err error
		out, err = interactionsPage(ctx, tx, customerID, before, limit)
		return err
	})
	return out, err
}

func recentInteractions(ctx context.Context, q db.Querier, customerID int64, limit int) ([]Interaction, error) {
	return interactionsPage(ctx, q, customerID, 0, limit)
}

func interactionsPage(ctx context.Context, q db.Querier, customerID, before int64, limit int) ([]Interaction, error) {
	if before == 0 {
		before = 1<<63 - 1
	}
	rows, err := q.QueryContext(ctx, `SELECT i.id, i.customer_id, coalesce(a.name, ''), i.channel, i.direction, i.body,
		coalesce(i.callback_id, 0), coalesce(i.complaint_id, 0), coalesce(i.satisfaction, 0), coalesce(i.recommend, -1), i.created_at
		FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id
		WHERE i.customer_id = ? AND i.id < ? ORDER BY i.created_at DESC, i.id DESC LIMIT ?`, customerID, before, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Interaction
	for rows.Next() {
		var in Interaction
		var dir string
		var at int64
		if err := rows.Scan(&in.ID, &in.CustomerID, &in.Agent, &in.Channel, &dir, &in.Body, &in.CallbackID,
			&in.ComplaintID, &in.Satisfaction, &in.Recommend, &at); err != nil {
			return nil, err
		}
		in.Inbound = dir == directionIn
		in.CreatedAt = time.Unix(at, 0)
		out = append(out, in)
	}
	return out, rows.Err()
}
