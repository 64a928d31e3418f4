package kit

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

func TestBestTimeInWords(t *testing.T) {
	sure := crm.BestTime{Band: 5, Sure: 0.81, Calls: 12, InBand: 8, Answered: 7}
	for _, c := range []struct {
		lang Lang
		b    crm.BestTime
		want string
	}{
		{English, sure, "18–20 · 7 of 8 calls there answered · 81% sure"},
		{Korean, sure, "18–20시 · 그 시간 통화 8건 중 7건 연결 · 확신 81%"},
		{English, crm.BestTime{Band: 2, Sure: 0.1, Calls: 1}, "not enough calls to tell yet · 1 call"},
		{Korean, crm.BestTime{Band: -1}, "현지 08~22시 통화 기록 없음"},
	} {
		if got := TextFor(c.lang).BestTime(c.b); !strings.Contains(got, c.want) {
			t.Errorf("%s %+v: %q, want %q", c.lang, c.b, got, c.want)
		}
	}
}

type stillClock struct{ t time.Time }

func (c stillClock) Now() time.Time                       { return c.t }
func (c stillClock) After(time.Duration, tea.Msg) tea.Cmd { return nil }

func TestTheNextBestSlot(t *testing.T) {
	seoul := time.FixedZone("KST", 9*3600)
	evening := crm.BestTime{Band: 5, Sure: 0.8} // 18–20
	win := &queue.Window{StartMin: 8 * 60, EndMin: 21 * 60}
	for _, c := range []struct {
		now, want string
		b         crm.BestTime
		win       *queue.Window
	}{
		{"2026-12-05 14:02", "2026-12-05 18:00", evening, win},
		{"2026-12-05 18:32", "2026-12-05 18:35", evening, win}, // inside the band: five minutes on
		{"2026-12-05 19:50", "2026-12-06 18:00", evening, win}, // under 15 minutes left: tomorrow
		{"2026-12-05 14:00", "2026-12-05 20:00", crm.BestTime{Band: 6, Sure: 0.8}, &queue.Window{StartMin: 20 * 60, EndMin: 21 * 60}},
		{"2026-12-05 07:00", "2026-12-05 08:00", crm.BestTime{Band: 0, Sure: 0.8}, win},
		// Known days: the next of them (2026-12-05 is a Saturday).
		{"2026-12-05 14:02", "2026-12-08 18:00", crm.BestTime{Band: 5, Sure: 0.8, Days: crm.Days{Group: 2, Sure: 0.7}}, win}, // Tue–Thu
		{"2026-12-05 14:02", "2026-12-05 14:05", crm.BestTime{Band: 3, Sure: 0.1, Days: crm.Days{Group: 0, Sure: 0.7}}, win}, // Sat–Sun, any hour
		{"2026-12-05 14:02", "2026-12-07 08:00", crm.BestTime{Band: 3, Sure: 0.1, Days: crm.Days{Group: 1, Sure: 0.7}}, win}, // Mon–Wed
		{"2026-12-05 14:02", "2026-12-05 18:00", crm.BestTime{Band: 5, Sure: 0.8, Days: crm.Days{Group: 1, Sure: 0.2}}, win}, // days unsure: any day
	} {
		now, _ := time.ParseInLocation("2006-01-02 15:04", c.now, seoul)
		got := NextBestSlot(now, seoul, c.b, c.win)
		if got.Format("2006-01-02 15:04") != c.want {
			t.Errorf("at %s, band %d: %s, want %s", c.now, c.b.Band, got.Format("2006-01-02 15:04"), c.want)
		}
	}
	if got := NextBestSlot(time.Now(), seoul, crm.BestTime{Band: -1}, win); !got.IsZero() {
		t.Errorf("no band: %v", got)
	}
}

func TestThePhraseTakesTheBestTime(t *testing.T) {
	now := time.Date(2026, 12, 5, 14, 2, 0, 0, time.FixedZone("KST", 9*3600))
	c := &Common{Queue: queue.New(nil, nil), Text: TextFor(Korean), Styles: NewStyles(true), Clock: stillClock{now}}
	win := &queue.Window{StartMin: 8 * 60, EndMin: 21 * 60}
	p := NewPhraseInput(c, "Asia/Seoul", "", win)
	p.SetBest(crm.BestTime{Band: 5, Sure: 0.8})
	p.Update(tea.KeyPressMsg{Code: 'b', Mod: tea.ModCtrl})
	if at, err := p.Time(); err != nil || at.Format("15:04") != "18:00" || !strings.Contains(p.View(), "ctrl+b") {
		t.Errorf("ctrl+b: %v, %v\n%s", at, err, p.View())
	}
	p = NewPhraseInput(c, "Asia/Seoul", "", win)
	p.SetBest(crm.BestTime{Band: 5, Sure: 0.8})
	p.Focus()
	for _, r := range "best time" { // a word of it is not yet the phrase
		p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if p.Phrase() != "2026-12-05 18:00" {
		t.Errorf("best time typed: field %q", p.Phrase())
	}
	p = NewPhraseInput(c, "Asia/Seoul", "", win)
	p.SetBest(crm.BestTime{Band: 5, Sure: 0.8})
	p.Focus()
	for _, r := range "통화 잘 되는 시간" {
		p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if at, err := p.Time(); err != nil || at.Format("15:04") != "18:00" || p.Phrase() != "2026-12-05 18:00" {
		t.Errorf("the phrase: %v, %v, field %q", at, err, p.Phrase())
	}
	// Unsure: the phrase says so and gives no time.
	p = NewPhraseInput(c, "Asia/Seoul", "", win)
	p.SetBest(crm.BestTime{Band: 5, Sure: 0.1})
	p.SetWidth(100)
	p.Focus()
	for _, r := range "best time" {
		p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if _, err := p.Time(); err == nil || !strings.Contains(p.View(), "아직 모릅니다") {
		t.Errorf("unsure: %v\n%s", err, p.View())
	}
	// ctrl+b on an empty field, unsure: it says so too.
	p = NewPhraseInput(c, "Asia/Seoul", "내일 오전 10시", win)
	p.SetWidth(100)
	p.Update(tea.KeyPressMsg{Code: 'b', Mod: tea.ModCtrl})
	if !strings.Contains(p.View(), "아직 모릅니다") {
		t.Errorf("ctrl+b, unsure:\n%s", p.View())
	}
}

func TestTheBestTimeInWords(t *testing.T) {
	both := crm.BestTime{Band: 5, Sure: 0.81, Calls: 12, InBand: 8, Answered: 8, Days: crm.Days{Group: 2, Sure: 0.6, In: 7, Answered: 6}}
	daysOnly := crm.BestTime{Band: 3, Sure: 0.1, Calls: 12, Days: crm.Days{Group: 0, Sure: 0.7, In: 5, Answered: 4}}
	bandOnly := crm.BestTime{Band: 5, Sure: 0.81, Calls: 12, InBand: 8, Answered: 8, Days: crm.Days{Group: 2, Sure: 0.3}}
	for _, c := range []struct {
		lang Lang
		b    crm.BestTime
		want string
	}{
		{Korean, both, "화–목 18–20시 · 그 시간 통화 8건 중 8건 연결 · 확신 81%"},
		{English, both, "Tue–Thu 18–20 · 8 of 8 calls there answered · 81% sure"},
		{English, daysOnly, "Sat–Sun · 4 of 5 calls on those days answered · 70% sure"},
		{Korean, daysOnly, "토–일 · 그 요일 통화 5건 중 4건 연결 · 확신 70%"},
		{English, bandOnly, "18–20 · 8 of 8 calls there answered · 81% sure"},
	} {
		if got := TextFor(c.lang).BestTime(c.b); got != c.want {
			t.Errorf("%v: %q, want %q", c.lang, got, c.want)
		}
	}
}
