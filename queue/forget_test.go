package queue

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

func TestForgetLeavesNoPersonalTextInTheFile(t *testing.T) {
	f := newFixture(t, 60, true)
	ctx := context.Background()
	// A person with text that occurs nowhere else: in their name, numbers,
	// address, a note, a draft that was later saved, a complaint, a
	// callback reason and a points reason.
	secret := map[string]string{
		"name": "비밀고객홍길순", "roman": "Hong Gilsoon Secretname", "phone": "010-7391-2846",
		"e164": "+821073912846", "email": "gilsoon.secret@example.org", "note": "비밀메모: 집 비밀번호 4821",
		"draft": "임시메모 비밀초안", "complaint": "비밀불만 환불 요청", "reason": "비밀사유 재통화",
	}
	id, err := f.CRM.AddCustomer(ctx, f.minji, crm.NewCustomer{Name: secret["name"], NameRoman: secret["roman"],
		Phones: []string{secret["phone"]}, Emails: []string{secret["email"]}, Birthday: "1981-04-05"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.CRM.SaveDraft(ctx, f.minji.ID, id, secret["draft"]); err != nil {
		t.Fatal(err)
	}
	if _, err := f.CRM.AddNote(ctx, f.minji, crm.NewNote{CustomerID: id, Body: secret["note"]}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.CRM.OpenComplaint(ctx, f.minji, id, secret["complaint"], ""); err != nil {
		t.Fatal(err)
	}
	if err := f.CRM.AddPurchase(ctx, f.minji, id, "텀블러", 25000, "store"); err != nil {
		t.Fatal(err)
	}
	cb, err := f.Add(ctx, f.minji, NewCallback{CustomerID: id, Reason: secret["reason"], Kind: "complaint", Due: testNow.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	purchases := f.count(t, `SELECT count(*) FROM purchases WHERE customer_id = ?`, id)
	notes := f.count(t, `SELECT count(*) FROM interactions WHERE customer_id = ?`, id)

	// Agents may not; a claimed callback stops it.
	if _, err := f.Forget(ctx, f.minji, id); !errors.As(err, new(crm.ForbiddenError)) {
		t.Fatalf("an agent forgot a customer: %v", err)
	}
	if _, err := f.Claim(ctx, f.minji, cb.ID); err != nil {
		t.Fatal(err)
	}
	var p problem.Error
	if _, err := f.Forget(ctx, f.sora, id); !errors.As(err, &p) || p.Code != "forget_claimed" {
		t.Fatalf("forgetting during a call: %v", err)
	}
	if err := f.Release(ctx, f.minji, cb.ID); err != nil {
		t.Fatal(err)
	}

	res, err := f.Forget(ctx, f.sora, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Cancelled) != 1 || res.Cancelled[0] != cb.ID || !res.Checkpointed {
		t.Errorf("result %+v: want callback %d cancelled and the log emptied", res, cb.ID)
	}
	// The figures stay.
	if got := f.count(t, `SELECT count(*) FROM purchases WHERE customer_id = ?`, id); got != purchases {
		t.Errorf("purchases %d, were %d", got, purchases)
	}
	if got := f.count(t, `SELECT count(*) FROM interactions WHERE customer_id = ?`, id); got != notes {
		t.Errorf("interactions %d, were %d", got, notes)
	}
	if f.count(t, `SELECT count(*) FROM customers WHERE id = ? AND dnc = 1 AND name = ?`, id, crm.ForgottenName) != 1 {
		t.Error("the forgotten customer should be nameless and never called")
	}
	if f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'customer' AND entity_id = ? AND action = 'forget' AND actor = 'sora'`, id) != 1 {
		t.Error("the erasure is not audited with its actor")
	}
	hits, _, _ := f.CRM.Search(ctx, "홍길순", 10)
	if len(hits) != 0 {
		t.Errorf("search still finds the forgotten customer: %+v", hits)
	}
	// No byte of it is left in the file or its log.
	noTraceOf(t, f, secret)
}

// noTraceOf closes the fixture's database and checks that no text of
// secret (nor its lower case) is in the file or its log.
func noTraceOf(t *testing.T, f *fixture, secret map[string]string) {
	t.Helper()
	f.DB.Close()
	f.CRM.DB.Read.Close()
	for _, path := range []string{f.DB.Path, f.DB.Path + "-wal"} {
		raw, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for what, text := range secret {
			if bytes.Contains(raw, []byte(text)) || bytes.Contains(raw, []byte(strings.ToLower(text))) {
				t.Errorf("%s still holds the %s %q", path, what, text)
			}
		}
	}
}

// An imported customer's search keys wait in a table of their own before
// they are settled into the index, and settling a site's first import
// empties that table at once: forgotten while the keys wait or after they
// were settled, nothing of the person is left in the file's pages, used
// or free.
func TestForgetAnImportedCustomerLeavesNoTrace(t *testing.T) {
	for _, settleFirst := range []bool{true, false} {
		t.Run(map[bool]string{true: "settled", false: "waiting"}[settleFirst], func(t *testing.T) {
			f := newFixture(t, 5, false)
			ctx := context.Background()
			secret := map[string]string{"name": "비밀수입고객", "roman": "Secretimport Kim", "e164": "+821073910077",
				"email": "imported.secret@example.org"}
			rows := []crm.ImportRow{{Line: 2, Name: secret["name"], NameRoman: secret["roman"], Phones: []string{"010-7391-0077"},
				Emails: []string{secret["email"]}}}
			for i := range 200 { // most keys new: the settling that drops and rebuilds
				rows = append(rows, crm.ImportRow{Line: i + 3, Name: fmt.Sprintf("고객%d", i), Phones: []string{fmt.Sprintf("010-5555-%04d", i)}})
			}
			err := f.DB.Tx(ctx, func(tx *db.Tx) error {
				_, err := f.CRM.ImportPlanned(ctx, tx, f.sora, crm.PrepareImport(rows, "KR", testNow), testNow)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			var id int64
			f.DB.QueryRow(`SELECT id FROM customers WHERE name = ?`, secret["name"]).Scan(&id)
			if settleFirst {
				if _, err := f.CRM.SettleSearchKeys(ctx); err != nil {
					t.Fatal(err)
				}
				if hits, _, _ := f.CRM.Search(ctx, secret["email"], 5); len(hits) != 1 {
					t.Fatalf("the imported customer is not found once settled: %+v", hits)
				}
			}
			if _, err := f.Forget(ctx, f.sora, id); err != nil {
				t.Fatal(err)
			}
			if _, err := f.CRM.SettleSearchKeys(ctx); err != nil {
				t.Fatal(err)
			}
			if hits, _, _ := f.CRM.Search(ctx, secret["email"], 5); len(hits) != 0 {
				t.Errorf("search finds the forgotten customer: %+v", hits)
			}
			noTraceOf(t, f, secret)
		})
	}
}

func TestMergingWithAForgottenCustomerIsRefused(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	gone, keep := f.callableCustomer(t, 0), f.callableCustomer(t, 1)
	if _, err := f.Forget(ctx, f.sora, gone); err != nil {
		t.Fatal(err)
	}
	var p problem.Error
	if _, err := f.Merge(ctx, f.sora, keep, gone); !errors.As(err, &p) || p.Code != "merge_forgotten" {
		t.Errorf("merging with a forgotten customer: %v", err)
	}
	if _, err := f.Merge(ctx, f.sora, gone, keep); !errors.As(err, &p) || p.Code != "merge_forgotten" {
		t.Errorf("merging into a forgotten customer: %v", err)
	}
}

// Trying another agent's claim or callback is refused and audited; an
// agent books callbacks for themselves or the pool only.
func TestOwnershipRefusalsAreAudited(t *testing.T) {
	f := newFixture(t, 40, false)
	ctx := context.Background()
	held := f.addDue(t, f.callableCustomer(t, 0), -time.Minute, 0, 3)
	if _, err := f.Claim(ctx, f.junho, held.ID); err != nil {
		t.Fatal(err)
	}
	theirs := f.addDue(t, f.callableCustomer(t, 1), -time.Minute, f.junho.ID, 3)
	before := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'refused'`)
	if err := f.Release(ctx, f.minji, held.ID); err == nil {
		t.Error("minji released junho's claim")
	}
	if _, err := f.Done(ctx, f.minji, held.ID, Wrapup{Disposition: "resolved"}); err == nil {
		t.Error("minji wrapped up junho's claim")
	}
	if _, err := f.Claim(ctx, f.minji, theirs.ID); err == nil {
		t.Error("minji claimed junho's callback")
	}
	if _, err := f.Add(ctx, f.minji, NewCallback{CustomerID: f.callableCustomer(t, 2), Due: testNow.Add(time.Hour), OwnerID: f.junho.ID}); err == nil {
		t.Error("minji booked a callback for junho")
	}
	if _, err := f.Add(ctx, f.minji, NewCallback{CustomerID: f.callableCustomer(t, 2), Due: testNow.Add(time.Hour), OwnerID: f.minji.ID}); err != nil {
		t.Errorf("minji booking for herself: %v", err)
	}
	if _, err := f.Add(ctx, f.sora, NewCallback{CustomerID: f.callableCustomer(t, 3), Due: testNow.Add(time.Hour), OwnerID: f.junho.ID}); err != nil {
		t.Errorf("a supervisor booking for junho: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = 'refused' AND actor = 'minji'`) - before; n != 4 {
		t.Errorf("%d refusals audited, want 4 (release, wrap-up, claim, booking)", n)
	}
}
