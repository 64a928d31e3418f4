package crm

import (
	"context"
	"time"

	"github.com/dangol/dangol/db"
)

// ForgottenName is what stands for a forgotten customer's name: no person
// is named, in either language.
const ForgottenName = "—"

// ForgetIn erases the personal data of customer id through tx: names,
// birthday, numbers, e-mail addresses, note texts, complaint subjects,
// points reasons, drafts, search keys, presence, and the old and new
// values of the audit rows about them (who did what, and when, stay).
// What figures need stays: purchases and their amounts, points, tier,
// dates and counts of calls, outcomes, satisfaction. The customer is put
// on the do-not-call list with no consent. The queue's Forget calls it
// inside the transaction that also closes the customer's callbacks.
func ForgetIn(ctx context.Context, tx *db.Tx, actor Agent, id int64, now time.Time) error {
	if err := LockCustomer(ctx, tx, id); err != nil {
		return err
	}
	// A row merged into this one is the same person.
	merged, err := IDs(ctx, tx, `SELECT id FROM customers WHERE merged_into = ?`, id)
	if err != nil {
		return err
	}
	for _, m := range append(merged, id) {
		if err := forgetOne(ctx, tx, actor, m, now); err != nil {
			return err
		}
	}
	return WriteAudit(ctx, tx, Audit{At: now, Actor: actor, Entity: "customer", EntityID: id, Action: "forget",
		Reason: "personal data erased at the customer's request"})
}

// forgetOne erases one customer row's personal data.
func forgetOne(ctx context.Context, tx *db.Tx, actor Agent, id int64, now time.Time) error {
	// The audit rows about the customer, found before the texts that
	// find them (callbacks, notes, complaints) are gone.
	where, args := AuditFilter{CustomerID: id}.where()
	if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET from_value = '', to_value = '', reason = ''`+where, args...); err != nil {
		return err
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE phones SET e164 = '', raw = '', ext = '', invalid = 1 WHERE customer_id = ?`, []any{id}},
		{`DELETE FROM emails WHERE customer_id = ?`, []any{id}},
		{`UPDATE interactions SET body = '' WHERE customer_id = ?`, []any{id}},
		{`UPDATE complaints SET subject = '' WHERE customer_id = ?`, []any{id}},
		{`UPDATE loyalty_ledger SET reason = '' WHERE customer_id = ?`, []any{id}},
		{`DELETE FROM drafts WHERE customer_id = ?`, []any{id}},
		{`DELETE FROM search_keys WHERE customer_id = ?`, []any{id}},
		{`DELETE FROM search_keys_pending WHERE customer_id = ?`, []any{id}},
		{`DELETE FROM presence WHERE customer_id = ?`, []any{id}},
		{`DELETE FROM customer_attributes WHERE customer_id = ?`, []any{id}},
		{`UPDATE customers SET name = ?, name_roman = '', birthday = NULL, external_id = NULL, dnc = 1,
			consent_marketing = 0, consent_sms = 0, consent_email = 0, updated_at = ?, updated_by = ? WHERE id = ?`,
			[]any{ForgottenName, now.Unix(), actorID(actor), id}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return err
		}
	}
	return nil
}
