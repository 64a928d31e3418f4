package queue

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/problem"
)

func TestMergeMovesEverythingAndUndoPutsItBack(t *testing.T) {
	f := newFixture(t, 30, false)
	ctx := context.Background()
	add := func(name, phone, email, birthday string) int64 {
		id, err := f.CRM.AddCustomer(ctx, f.minji, crm.NewCustomer{Name: name, Phones: []string{phone}, Emails: []string{email}, Birthday: birthday})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	keep := add("김하늘", "010-2718-2818", "haneul@example.com", "1988-02-03")
	other := add("김 하늘", "010-1414-2135", "sky@example.com", "1988-03-02")
	for _, id := range []int64{keep, other} {
		if _, err := f.CRM.AddNote(ctx, f.minji, crm.NewNote{CustomerID: id, Body: "통화 메모"}); err != nil {
			t.Fatal(err)
		}
		if err := f.CRM.AddPurchase(ctx, f.minji, id, "텀블러", 300000, "store"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.CRM.OpenComplaint(ctx, f.minji, other, "배송 지연", ""); err != nil {
		t.Fatal(err)
	}
	cb, err := f.Add(ctx, f.minji, NewCallback{CustomerID: other, Kind: "complaint", Reason: "재통화", Due: testNow.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.DB.Tx(ctx, func(tx *db.Tx) error {
		_, err := f.CRM.ImportBatch(ctx, tx, f.minji, []crm.ImportRow{{Line: 2, Name: "김 하늘", Phones: []string{"010-1414-2135"},
			Attrs: [][2]string{{"회사", "하늘상사"}}}}, "KR", testNow)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	points := func(id int64) int {
		return f.count(t, `SELECT points FROM customers WHERE id = ?`, id)
	}
	keepPoints, otherPoints := points(keep), points(other)
	owned := func(id int64) int {
		return f.count(t, `SELECT (SELECT count(*) FROM phones WHERE customer_id = ?) + (SELECT count(*) FROM emails WHERE customer_id = ?)
			+ (SELECT count(*) FROM interactions WHERE customer_id = ?) + (SELECT count(*) FROM purchases WHERE customer_id = ?)
			+ (SELECT count(*) FROM complaints WHERE customer_id = ?) + (SELECT count(*) FROM callbacks WHERE customer_id = ?)
			+ (SELECT count(*) FROM loyalty_ledger WHERE customer_id = ?) + (SELECT count(*) FROM customer_attributes WHERE customer_id = ?)`, id, id, id, id, id, id, id, id)
	}
	keepRows, otherRows := owned(keep), owned(other)

	if _, err := f.Merge(ctx, f.minji, keep, other); !errors.As(err, new(crm.ForbiddenError)) {
		t.Fatalf("an agent merged: %v", err)
	}
	if _, err := f.Claim(ctx, f.junho, cb.ID); err != nil {
		t.Fatal(err)
	}
	var p problem.Error
	if _, err := f.Merge(ctx, f.sora, keep, other); !errors.As(err, &p) || p.Code != "merge_claimed" {
		t.Fatalf("a merge during a call: %v", err)
	}
	if err := f.Release(ctx, f.junho, cb.ID); err != nil {
		t.Fatal(err)
	}
	preview, err := f.CRM.MergePreview(ctx, keep, other)
	if err != nil || len(preview) != 2 { // the name and the birthday differ
		t.Fatalf("preview %+v, %v", preview, err)
	}

	res, err := f.Merge(ctx, f.sora, keep, other)
	if err != nil {
		t.Fatal(err)
	}
	if res.CallbacksMoved != 1 || len(res.Conflicts) != 2 {
		t.Errorf("merge %+v", res)
	}
	if got := owned(keep); got != keepRows+otherRows || owned(other) != 0 {
		t.Errorf("after the merge keep owns %d rows (want %d), other %d", got, keepRows+otherRows, owned(other))
	}
	if points(keep) != keepPoints+otherPoints || points(other) != 0 {
		t.Errorf("points %d and %d, want %d and 0", points(keep), points(other), keepPoints+otherPoints)
	}
	if f.count(t, `SELECT count(*) FROM customers WHERE id = ? AND merged_into = ?`, other, keep) != 1 {
		t.Error("the merged customer does not name the kept one")
	}
	if hits, _, _ := f.CRM.Search(ctx, "2135", 10); len(hits) != 1 || hits[0].ID != keep {
		t.Errorf("the other's number should find the kept customer: %+v", hits)
	}
	if f.count(t, `SELECT count(*) FROM phones WHERE customer_id = ? AND is_primary = 1`, keep) != 1 {
		t.Error("the kept customer should have one primary number")
	}
	if _, err := f.Merge(ctx, f.sora, keep, other); !errors.As(err, &p) || p.Code != "merge_merged" {
		t.Errorf("merging a merged customer again: %v", err)
	}

	undo, err := f.UndoMerge(ctx, f.yuna, res.MergeID)
	if err != nil {
		t.Fatal(err)
	}
	if undo.Keep != keep || undo.Other != other || undo.CallbacksMoved != 1 {
		t.Errorf("undo %+v", undo)
	}
	if owned(keep) != keepRows || owned(other) != otherRows || points(keep) != keepPoints || points(other) != otherPoints {
		t.Errorf("after the undo: keep %d rows %d points, other %d rows %d points; want %d %d, %d %d",
			owned(keep), points(keep), owned(other), points(other), keepRows, keepPoints, otherRows, otherPoints)
	}
	if f.count(t, `SELECT count(*) FROM customers WHERE id = ? AND merged_into IS NULL`, other) != 1 {
		t.Error("the other customer is still merged")
	}
	if hits, _, _ := f.CRM.Search(ctx, "2135", 10); len(hits) != 1 || hits[0].ID != other {
		t.Errorf("after the undo the number should find the other customer again: %+v", hits)
	}
	if _, err := f.UndoMerge(ctx, f.yuna, res.MergeID); !errors.As(err, &p) || p.Code != "merge_undone" {
		t.Errorf("a second undo: %v", err)
	}
	if f.count(t, `SELECT count(*) FROM audit_log WHERE action IN ('merge', 'merge_undo') AND actor IN ('sora', 'yuna')`) != 2 {
		t.Error("the merge and its undo are not audited with their actors")
	}
}
