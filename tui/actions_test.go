package tui

// The 360's quick actions (a): the forms, what they refuse and what they store.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/tui/desk"
	"github.com/dangol/dangol/tui/kit"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

func TestPointsFormKeepsInputOnRefusal(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 120, 36)
	run(t, a, press("enter"))
	id := a.work.Customer.ID
	run(t, a, press("a"))
	if _, ok := open[*kit.ChoicePane](a); !ok {
		t.Fatal("a should open the actions")
	}
	run(t, a, press("5")) // points
	if _, ok := open[*kit.FormPane](a); !ok {
		t.Fatal("5 should open the points form")
	}
	for range len([]rune(c.Text.PointsEarn)) {
		run(t, a, press("backspace"))
	}
	typeText(t, a, "사용")
	run(t, a, press("tab"))
	typeText(t, a, "99999999")
	run(t, a, press("tab"))
	typeText(t, a, "과한 사용")
	run(t, a, press("ctrl+s"))
	if a.top() == nil || !strings.Contains(shown(a), "차감할 수 없습니다") {
		t.Fatalf("a refused redemption should keep the form with the reason:\n%s", shown(a))
	}
	run(t, a, press("shift+tab"))
	for range 8 {
		run(t, a, press("backspace"))
	}
	typeText(t, a, "10")
	run(t, a, press("ctrl+s"))
	if a.top() != nil {
		t.Fatalf("a valid redemption should close the form:\n%s", shown(a))
	}
	ledger, _ := c.CRM.Ledger(context.Background(), id, 1)
	if len(ledger) != 1 || ledger[0].Delta != -10 || ledger[0].Reason != "과한 사용" || ledger[0].Agent != "minji" {
		t.Errorf("ledger = %+v", ledger)
	}
	wantShown(t, a, "포인트를 반영했습니다", "banner")
}

func TestCallbackFormRejectsBadPhrase(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, c, 120, 36)
	run(t, a, press("enter"))
	id := a.work.Customer.ID
	run(t, a, press("a"))
	run(t, a, press("1"))
	for range len(c.Text.DefaultFollowUp) {
		run(t, a, press("backspace"))
	}
	typeText(t, a, "someday")
	run(t, a, press("ctrl+s"))
	if a.top() == nil || !strings.Contains(shown(a), `"someday" is not a word for a time`) {
		t.Fatalf("bad phrase:\n%s", shown(a))
	}
	for range 7 {
		run(t, a, press("backspace"))
	}
	typeText(t, a, "tomorrow 3pm")
	run(t, a, press("tab"))
	typeText(t, a, "FORM-CALLBACK")
	run(t, a, press("ctrl+s"))
	if a.top() == nil || !strings.Contains(shown(a), "already has an open callback") {
		t.Fatalf("a second callback for the customer should be warned about first:\n%s", shown(a))
	}
	run(t, a, press("ctrl+s"))
	if a.top() != nil {
		t.Fatalf("the form should close:\n%s", shown(a))
	}
	var owner, due int64
	c.CRM.DB.QueryRow(`SELECT owner_id, due_at FROM callbacks WHERE reason = 'FORM-CALLBACK' AND customer_id = ?`, id).Scan(&owner, &due)
	want := time.Date(2026, 11, 24, 15, 0, 0, 0, kst)
	if owner != c.Agent.ID || due != want.Unix() {
		t.Errorf("callback owner %d due %s", owner, time.Unix(due, 0).In(kst))
	}
}

func TestMergeADuplicateFromThe360(t *testing.T) {
	c := newTestCommon(t, kit.English)
	ctx := context.Background()
	sora, err := c.CRM.AgentByName(ctx, "sora")
	if err != nil {
		t.Fatal(err)
	}
	c.Agent = sora
	a := newApp(t, c, 120, 36)
	first, _ := a.work.Queue.Selected()
	p, err := c.CRM.Profile(ctx, first.CustomerID)
	if err != nil || len(p.Phones) == 0 {
		t.Fatalf("profile %v", err)
	}
	twin, err := c.CRM.AddCustomer(ctx, c.Agent, crm.NewCustomer{Name: "Twin Row", Phones: []string{p.Phones[0].Raw}})
	if err != nil {
		t.Fatal(err)
	}
	run(t, a, press("enter"))
	if s := shown(a); !strings.Contains(s, fmt.Sprintf("Likely the same person: #%d Twin Row (same phone)", twin)) {
		t.Fatalf("the 360 does not name the likely duplicate:\n%s", s)
	}
	wantShown(t, a, "(same phone) (a", "a supervisor is told how to merge")
	// An agent sees the likely duplicate, and no hint to do what they may not.
	b := newApp(t, as(t, c, "minji"), 120, 36)
	run(t, b, kit.OpenCustomerMsg{CustomerID: first.CustomerID})
	if s := shown(b); !strings.Contains(s, "Likely the same person") || strings.Contains(s, "(same phone) (a") {
		t.Errorf("an agent's 360 should name the duplicate without the merge hint:\n%s", s)
	}
	run(t, a, press("a"))
	for range len(desk.QuickActions(c)) - 1 {
		run(t, a, press("down"))
	}
	run(t, a, press("enter"))
	f, ok := open[*kit.FormPane](a)
	if !ok || !strings.Contains(shown(a), "Merge a duplicate into this customer") {
		t.Fatalf("the last action should be the merge form:\n%s", shown(a))
	}
	run(t, a, press("ctrl+s")) // the suggestion is filled in: first say what happens
	if s := shown(a); a.top() != f || !strings.Contains(s, "They differ on name") {
		t.Fatalf("the first submit should show the conflicts and keep the form:\n%s", s)
	}
	run(t, a, press("ctrl+s"))
	if a.top() != nil || !strings.Contains(shown(a), "Merged (merge ") {
		t.Fatalf("the second submit should merge:\n%s", shown(a))
	}
	var into int64
	c.CRM.DB.QueryRow(`SELECT coalesce(merged_into, 0) FROM customers WHERE id = ?`, twin).Scan(&into)
	if into != first.CustomerID {
		t.Errorf("the twin is merged into %d, want %d", into, first.CustomerID)
	}
}

func TestAnAgentCannotMerge(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 120, 36)
	run(t, a, press("enter"))
	run(t, a, press("a"))
	if s := shown(a); strings.Contains(s, c.Text.ActMerge) {
		t.Errorf("an agent's action menu offers the merge:\n%s", s)
	}
	run(t, a, press("esc"))
	// The form refuses too: a role can change while the console is open.
	run(t, a, kit.OpenOverlayMsg{Overlay: desk.MergeForm(c, *a.work.Customer.Profile)})
	typeText(t, a, "2")
	run(t, a, press("ctrl+s"))
	if s := shown(a); a.top() == nil || !strings.Contains(s, "감독자만") {
		t.Errorf("an agent's merge should be refused in the form:\n%s", s)
	}
	if n := 0; c.CRM.DB.QueryRow(`SELECT count(*) FROM customers WHERE merged_into IS NOT NULL`).Scan(&n) == nil && n != 0 {
		t.Errorf("%d customers merged by an agent", n)
	}
}

// TestBookingAsksTheKind: a callback booked from the 360 asks its kind,
// starting from the kind of the call the agent holds; a marketing call
// for a customer who has not consented is refused, saying why, with the
// form kept; the kind chosen is the one stored.
func TestBookingAsksTheKind(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	a := newApp(t, c, 120, 36)
	ctx := context.Background()
	run(t, a, press("N"))
	held, err := c.Queue.Get(ctx, a.work.Customer.CallbackID)
	if err != nil || held.State != queue.Claimed {
		t.Fatalf("N should hold a call: %+v %v", held, err)
	}
	if _, err := c.CRM.DB.Exec(`UPDATE customers SET consent_marketing = 0 WHERE id = ?`, held.CustomerID); err != nil {
		t.Fatal(err)
	}
	run(t, a, press("a"))
	run(t, a, press("1"))
	wantShown(t, a, "종류            "+c.Text.Kind(held.Kind), "the kind starts as the held call's")
	typeText(t, a, "내일 오후 3시")
	for _, v := range []string{"BOOKED-KIND", "", "", ""} {
		run(t, a, press("tab"))
		typeText(t, a, v)
	}
	for range 10 {
		run(t, a, press("backspace"))
	}
	typeText(t, a, "마케팅")
	run(t, a, press("ctrl+s"))
	run(t, a, press("ctrl+s")) // past the warning of a second open callback
	if _, ok := open[*kit.FormPane](a); !ok {
		t.Fatalf("a marketing call without consent should be refused with the form kept:\n%s", shown(a))
	}
	wantShown(t, a, "동의", "the refusal says consent is missing")
	for range 10 {
		run(t, a, press("backspace"))
	}
	typeText(t, a, "영업")
	run(t, a, press("ctrl+s"))
	if a.top() != nil {
		t.Fatalf("the form should close:\n%s", shown(a))
	}
	var kind string
	c.CRM.DB.QueryRow(`SELECT kind FROM callbacks WHERE reason = 'BOOKED-KIND'`).Scan(&kind)
	if kind != "sales" {
		t.Errorf("the booked callback's kind is %q, want sales", kind)
	}
}
