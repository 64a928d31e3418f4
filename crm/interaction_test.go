package crm

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestAddNoteRecordsEverything(t *testing.T) {
	s := newDemo(t, 10)
	ctx := context.Background()
	minji := agent(t, s, "minji")
	if err := s.SaveDraft(ctx, minji.ID, 3, "반쯤 쓴 메모"); err != nil {
		t.Fatal(err)
	}
	body := "배송 지연 사과. 내일 오전 도착 확인함.\n쿠폰 3천원 발급."
	in, err := s.AddNote(ctx, minji, NewNote{CustomerID: 3, Body: body + "\n\n"})
	if err != nil {
		t.Fatal(err)
	}
	if in.Body != body || in.Agent != "minji" || in.Channel != ChannelPhone || !in.CreatedAt.Equal(demoNow) {
		t.Errorf("interaction = %+v", in)
	}
	c, err := s.Customer(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !c.LastContact.At.Equal(demoNow) || c.LastContact.Agent != "minji" || c.LastContact.Channel != ChannelPhone {
		t.Errorf("last contact = %+v", c.LastContact)
	}
	if n := count(t, s, `SELECT count(*) FROM drafts WHERE agent_id = ? AND customer_id = 3`, minji.ID); n != 0 {
		t.Error("saving the note should clear the draft")
	}
	trail, err := s.AuditTrail(ctx, "interaction", in.ID)
	if err != nil || len(trail) != 1 || trail[0].Actor.Name != "minji" || trail[0].Action != "create" ||
		!strings.HasPrefix(trail[0].To, "배송 지연 사과") {
		t.Errorf("audit = %+v, %v", trail, err)
	}
	p, err := s.Profile(ctx, 3)
	if err != nil || len(p.Recent) == 0 || p.Recent[0].ID != in.ID {
		t.Errorf("the 360 should show the new note first: %v", err)
	}
}

func TestAddNoteRejectsBadInput(t *testing.T) {
	s := newDemo(t, 3)
	ctx := context.Background()
	minji := agent(t, s, "minji")
	before := count(t, s, `SELECT count(*) FROM interactions`)
	cases := []struct {
		name string
		note NewNote
		want string
	}{
		{"empty", NewNote{CustomerID: 1, Body: "  \n "}, "empty"},
		{"huge", NewNote{CustomerID: 1, Body: strings.Repeat("가", MaxNoteRunes+1)}, "10001 characters; the limit is 10000"},
		{"bad channel", NewNote{CustomerID: 1, Body: "x", Channel: "fax"}, "channel"},
		{"unknown customer", NewNote{CustomerID: 999, Body: "x"}, "not found"},
	}
	for _, c := range cases {
		_, err := s.AddNote(ctx, minji, c.note)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
	var tooLong *NoteTooLongError
	_, err := s.AddNote(ctx, minji, NewNote{CustomerID: 1, Body: strings.Repeat("a", MaxNoteRunes+5)})
	if !errors.As(err, &tooLong) || tooLong.Runes != MaxNoteRunes+5 {
		t.Errorf("a long note should be a NoteTooLongError, got %v", err)
	}
	if after := count(t, s, `SELECT count(*) FROM interactions`); after != before {
		t.Errorf("rejected notes were stored: %d -> %d", before, after)
	}
	if _, err := s.AddNote(ctx, minji, NewNote{CustomerID: 1, Body: strings.Repeat("가", MaxNoteRunes)}); err != nil {
		t.Errorf("a note of exactly the limit should be kept: %v", err)
	}
}

func TestDrafts(t *testing.T) {
	s := newDemo(t, 5)
	ctx := context.Background()
	minji, junho := agent(t, s, "minji"), agent(t, s, "junho")
	s.SaveDraft(ctx, minji.ID, 2, "첫 줄")
	s.SaveDraft(ctx, minji.ID, 2, "첫 줄\n둘째 줄")
	s.SaveDraft(ctx, junho.ID, 2, "준호의 메모")
	ds, err := s.Drafts(ctx, minji.ID)
	if err != nil || len(ds) != 1 || ds[0].Body != "첫 줄\n둘째 줄" || ds[0].CustomerID != 2 || ds[0].CustomerName == "" {
		t.Fatalf("drafts = %+v, %v", ds, err)
	}
	s.SaveDraft(ctx, minji.ID, 2, "   ")
	if ds, _ := s.Drafts(ctx, minji.ID); len(ds) != 0 {
		t.Errorf("an emptied draft should go away: %+v", ds)
	}
	if ds, _ := s.Drafts(ctx, junho.ID); len(ds) != 1 {
		t.Errorf("junho's draft is his own: %+v", ds)
	}
	// An autosave that lands after its note was saved does not bring the
	// note back as a draft; a different text still is kept.
	if _, err := s.AddNote(ctx, minji, NewNote{CustomerID: 3, Body: "환불 안내함"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveDraft(ctx, minji.ID, 3, "환불 안내함\n"); err != nil {
		t.Fatal(err)
	}
	if ds, _ := s.Drafts(ctx, minji.ID); len(ds) != 0 {
		t.Errorf("the saved note came back as a draft: %+v", ds)
	}
	s.SaveDraft(ctx, minji.ID, 3, "환불 안내함, 다시 전화")
	if ds, _ := s.Drafts(ctx, minji.ID); len(ds) != 1 {
		t.Errorf("a new text should be kept as a draft: %+v", ds)
	}
}
