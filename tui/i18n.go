package tui

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/queue"
)

// Lang is a UI language.
type Lang string

// The languages every UI string exists in.
const (
	Korean  Lang = "ko"
	English Lang = "en"
)

// ParseLang accepts ko or en.
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ko", "kr", "korean", "한국어":
		return Korean, nil
	case "en", "english":
		return English, nil
	}
	return "", fmt.Errorf("language %q: choose ko or en", s)
}

// LangFromEnv picks the language from LC_ALL, LC_MESSAGES or LANG, the way
// other terminal programs do: Korean for ko_*, English otherwise.
func LangFromEnv(getenv func(string) string) Lang {
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "ko") {
				return Korean
			}
			return English
		}
	}
	return English
}

// Text holds every string the console shows, in one language. A struct
// rather than a map, so a missing translation is a compile error and a
// test checks that no field is empty.
type Text struct {
	Lang Lang

	RoleAgent, RoleSupervisor, RoleAdmin string

	QueueTitle, QueueEmpty, QueueCounts string // QueueCounts: total, overdue
	Pool, Mine, Overdue, DueIn, DueNow  string // Overdue/DueIn take a duration
	AgoFmt, JustNow                     string
	Minute, Hour, Day                   string // unit suffixes

	CustomerTitle, NoCustomerOpen, Loading            string
	Phones, Emails, Points, Lifetime, Purchases       string // Purchases takes a count
	Benefits, LastContact, NeverContacted, SinceLabel string
	LocalTime, Consent, Marketing, SMS, EmailC        string
	DNC, OpenComplaints, NoOpenComplaints             string
	NoNotes, Unattended, PrimaryTag                   string

	ChannelPhone, Channel080, ChannelSMS, ChannelEmail, ChannelChat, ChannelVisit string
	KindMobile, KindHome, KindWork, KindOther                                     string
	StatusOpen, StatusResponded, StatusResolved                                   string

	NoteTitle, NotePlaceholder, NoteSaved, DraftKept, DraftRestored string
	NoteChars, SelectCustomerFirst, DraftSaving, DraftSaveFailed    string
	DraftSaveFailedQuit                                             string

	KeyUp, KeyDown, KeyOpen, KeyNote, KeyHelp, KeyQuit, KeyBack string
	KeySave, KeyPane, KeyTop, KeyBottom, KeyPage, KeyDiscard    string
	KeyMove                                                     string

	HelpTitle, HelpGlobal, HelpQueue, HelpCustomer, HelpNote string
	TooSmall, ErrorPrefix                                    string

	KeyClaim, KeyNext, KeyWrapup, KeyRelease, KeyPick, KeySetTime, KeyCancel string
	KeyOpenReminder, KeySnooze, KeyDismiss                                   string

	StatusLease, StatusTaken, BlockDNC, BlockInvalid, BlockNoPhone, BlockOpens string
	Claimed, NothingCallable, Released, Wrapped, WrappedNext, LeaseLost        string
	WrapupTitle, AsksTime, NextCallAt, DefaultFollowUp, NotYourClaim           string
	PhrasePlaceholder, PhraseHint, Weekdays                                    string

	ReminderBefore, ReminderDue, ReminderSnooze, MissedTitle, MoreReminders string
	SnoozeTitle, SnoozeCustom, Snoozed, HelpReminders                       string

	RefusedYours, RefusedTaken, RefusedClosed, RefusedOthers                                                                      string
	RefusedDNC, RefusedBadNumber, RefusedNoPhone, RefusedWindow                                                                   string
	SearchTitle, SearchPlaceholder, SearchHint, SearchNone, SearchFound, KeySearch                                                string
	ActCallback, ActComplaint, ActRespond, ActResolve, ActPoints, ActPurchase, ActContact, ActFeedback, ActReferral               string
	DoneCallback, DoneComplaint, DoneRespond, DoneResolve, DonePoints, DonePurchase, DoneContact, DoneFeedback, DoneReferral      string
	FieldWhen, FieldReason, FieldPriority, FieldToPool, FieldSubject, FieldNote, FieldComplaint, FieldPointsKind, FieldPoints     string
	FieldItem, FieldAmount, FieldName, FieldRoman, FieldAddPhone, FieldAddEmail, FieldSatisfaction, FieldRecommend, FieldReferrer string
	ReferrerHint, PointsEarn, PointsKinds, BadPriority, NeedSubject, NeedComplaint, BadPointsKind, BadPoints, BadAmount           string
	NeedName, NeedCall, BadScore, NeedReferrer, FormKeys, MenuTitle, KeyActions                                                   string
	ChurnRisk, OnCustomer, DaysAgo, Last12Months, ReferredBy, ReferredCount, Referral, Timeline, KeyFilter                        string
	Copied, Dialing, NoDialCmd, DialFailed, DialDone, InvalidNumber, KeyNextPhone, KeyCopy, KeyDial                               string
	RefusedBalance                                                                                                                string
	Year                                                                                                                          string

	KeyScreen, ScreenWork, ScreenBoard, ScreenTeam, ScreenAudit, ScreenFigures, ScreenAgents, ScreenPolicy string

	TeamText
}

// TextFor returns the strings of a language; unknown languages get English.
func TextFor(l Lang) Text {
	t, team := english, englishTeam
	if l == Korean {
		t, team = korean, koreanTeam
	}
	t.TeamText = team
	return t
}

// Duration writes d the short way an agent reads it at a glance: minutes
// under an hour, whole hours under a day, days under a year, then years:
// 45s → "1m", 80m → "1h", 50h → "2d", 800d → "2y" (Korean: 1분, 1시간, 2일, 2년).
func (t Text) Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	mins := int((d + 30*time.Second) / time.Minute)
	switch {
	case mins < 1:
		return "1" + t.Minute
	case mins < 60:
		return fmt.Sprintf("%d%s", mins, t.Minute)
	case mins < 24*60-30:
		return fmt.Sprintf("%d%s", (mins+30)/60, t.Hour)
	case mins < 365*24*60:
		return fmt.Sprintf("%d%s", (mins+12*60)/(24*60), t.Day)
	default:
		return fmt.Sprintf("%d%s", mins/(365*24*60), t.Year)
	}
}

// Due says when a callback is due relative to now: "in 5m", "12m overdue".
func (t Text) Due(due, now time.Time) string {
	d := due.Sub(now)
	switch {
	case d > -30*time.Second && d < 30*time.Second:
		return t.DueNow
	case d < 0:
		return fmt.Sprintf(t.Overdue, t.Duration(d))
	default:
		return fmt.Sprintf(t.DueIn, t.Duration(d))
	}
}

// Ago says how long ago a moment was: "3d ago", "just now".
func (t Text) Ago(at, now time.Time) string {
	if now.Sub(at) < time.Minute {
		return t.JustNow
	}
	return fmt.Sprintf(t.AgoFmt, t.Duration(now.Sub(at)))
}

// Channel names a contact channel.
func (t Text) Channel(c string) string {
	switch c {
	case "phone":
		return t.ChannelPhone
	case "inbound080":
		return t.Channel080
	case "sms":
		return t.ChannelSMS
	case "email":
		return t.ChannelEmail
	case "chat":
		return t.ChannelChat
	case "visit":
		return t.ChannelVisit
	}
	return c
}

// PhoneKind names a kind of phone.
func (t Text) PhoneKind(k string) string {
	switch k {
	case "mobile":
		return t.KindMobile
	case "home":
		return t.KindHome
	case "work":
		return t.KindWork
	}
	return t.KindOther
}

// ComplaintStatus names where a complaint stands.
func (t Text) ComplaintStatus(s string) string {
	switch s {
	case "open":
		return t.StatusOpen
	case "responded":
		return t.StatusResponded
	}
	return t.StatusResolved
}

// Role names an agent's role.
func (t Text) Role(r string) string {
	switch r {
	case "supervisor":
		return t.RoleSupervisor
	case "admin":
		return t.RoleAdmin
	}
	return t.RoleAgent
}

// When writes a moment for the agent, with the customer's local time when
// their zone differs: "11-24 (화) 15:00", "11-24 (Tue) 15:00 · 01:00 there".
func (t Text) When(at, now time.Time, customer *time.Location) string {
	local := at.In(now.Location())
	day := []rune(t.Weekdays)[local.Weekday()]
	s := fmt.Sprintf("%s (%c) %s", local.Format("01-02"), day, local.Format("15:04"))
	if t.Lang == English {
		s = fmt.Sprintf("%s (%s) %s", local.Format("01-02"), local.Format("Mon"), local.Format("15:04"))
	}
	there := at.In(customer)
	_, theirs := there.Zone()
	_, ours := local.Zone()
	switch {
	case theirs == ours:
	case t.Lang == Korean:
		s += " · 고객 현지 " + there.Format("15:04")
	default:
		s += " · " + there.Format("15:04") + " there"
	}
	return s
}

// DispositionLabel names a wrap-up code in the language.
func (t Text) DispositionLabel(d queue.Disposition) string {
	if t.Lang == Korean {
		return d.LabelKo
	}
	return d.LabelEn
}

// Refusal words a refused claim or points change; other errors pass
// through in English.
func (t Text) Refusal(err error, now time.Time) string {
	var ce queue.ClaimError
	var be queue.BlockedError
	var bal *crm.BalanceError
	switch {
	case errors.As(err, &bal):
		return fmt.Sprintf(t.RefusedBalance, thousands(bal.Balance), thousands(bal.Taken))
	case errors.As(err, &ce):
		switch ce.Why {
		case queue.AlreadyYours:
			return fmt.Sprintf(t.RefusedYours, ce.ID)
		case queue.TakenBy:
			return fmt.Sprintf(t.RefusedTaken, ce.ID, ce.Who)
		case queue.Closed:
			return fmt.Sprintf(t.RefusedClosed, ce.ID, ce.State)
		}
		return fmt.Sprintf(t.RefusedOthers, ce.ID, ce.Who)
	case errors.As(err, &be):
		switch be.Block.Reason {
		case queue.BlockDNC:
			return fmt.Sprintf(t.RefusedDNC, be.ID)
		case queue.BlockInvalidPhone:
			return fmt.Sprintf(t.RefusedBadNumber, be.ID)
		case queue.BlockNoPhone:
			return fmt.Sprintf(t.RefusedNoPhone, be.ID)
		}
		return fmt.Sprintf(t.RefusedWindow, be.ID, t.When(be.Block.OpensAt, now, be.Block.OpensAt.Location()))
	}
	return t.ErrorPrefix + err.Error()
}

// QueryKind names how a search query was read.
func (t Text) QueryKind(k string) string {
	ko := map[string]string{"name": "이름", "initials": "초성", "latin": "영문 이름", "phone": "전화번호", "last4": "뒤 4자리", "email": "이메일"}
	if t.Lang == Korean {
		if s, ok := ko[k]; ok {
			return s
		}
	}
	en := map[string]string{"last4": "last 4 digits", "latin": "romanized name"}
	if s, ok := en[k]; ok {
		return s
	}
	return k
}

// Segment names an RFM segment.
func (t Text) Segment(code string) string {
	ko := map[string]string{"champion": "최우수 고객", "loyal": "충성 고객", "new": "신규 고객", "promising": "성장 고객",
		"at_risk": "이탈 우려 고객", "hibernating": "휴면 고객", "regular": "일반 고객", "none": "구매 없음"}
	en := map[string]string{"champion": "champion", "loyal": "loyal", "new": "new", "promising": "promising",
		"at_risk": "at risk", "hibernating": "hibernating", "regular": "regular", "none": "no purchases"}
	m := en
	if t.Lang == Korean {
		m = ko
	}
	if s, ok := m[code]; ok {
		return s
	}
	return code
}

// ChurnReason says one reason for the churn flag with its numbers.
func (t Text) ChurnReason(r crm.ChurnReason) string {
	ko := t.Lang == Korean
	switch r.Code {
	case "silence":
		if ko {
			return fmt.Sprintf("%d일째 구매 없음 (보통 %d일마다 구매)", r.SilentDays, r.UsualDays)
		}
		return fmt.Sprintf("no purchase for %d days (usually every %d)", r.SilentDays, r.UsualDays)
	case "complaint":
		if ko {
			return "최근 미해결 불만: " + r.Subject
		}
		return "recent unresolved complaint: " + r.Subject
	case "falling_spend":
		if ko {
			return fmt.Sprintf("구매 감소: 최근 6개월 %s, 그 전 6개월 %s", won(t, r.Recent), won(t, r.Before))
		}
		return fmt.Sprintf("falling spend: %s in the last 6 months, %s in the 6 before", won(t, r.Recent), won(t, r.Before))
	}
	return r.Code
}

// SLAText says how a complaint stands against its SLA: its age, and the
// time left or how far over.
func (t Text) SLAText(s crm.SLAStatus, opened, now time.Time) string {
	age := t.Duration(now.Sub(opened))
	clock := map[string][2]string{"first_response": {"첫 응답", "first response"}, "resolution": {"해결", "resolution"}}[s.Clock]
	name := clock[1]
	if t.Lang == Korean {
		name = clock[0]
	}
	left := s.Due.Sub(now)
	if t.Lang == Korean {
		if left < 0 {
			return fmt.Sprintf("접수 %s 경과 · %s 기한 %s 초과", age, name, t.Duration(left))
		}
		return fmt.Sprintf("접수 %s 경과 · %s 기한 %s 남음", age, name, t.Duration(left))
	}
	if left < 0 {
		return fmt.Sprintf("%s old · %s overdue by %s", age, name, t.Duration(left))
	}
	return fmt.Sprintf("%s old · %s due in %s", age, name, t.Duration(left))
}

// TimelineFilter names a timeline kind ("" is everything).
func (t Text) TimelineFilter(k string) string {
	ko := map[string]string{"": "전체", "interaction": "상담", "purchase": "구매", "complaint": "불만", "points": "포인트", "callback": "콜백"}
	en := map[string]string{"": "all", "interaction": "contacts", "purchase": "purchases", "complaint": "complaints", "points": "points", "callback": "callbacks"}
	if t.Lang == Korean {
		return ko[k]
	}
	return en[k]
}

// State names a callback state.
func (t Text) State(s string) string {
	if t.Lang != Korean {
		return s
	}
	ko := map[string]string{"scheduled": "예정", "claimed": "통화 중", "done": "완료", "cancelled": "취소", "failed": "실패"}
	if k, ok := ko[s]; ok {
		return k
	}
	return s
}
