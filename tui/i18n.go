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
}

var korean = Text{
	Lang:      Korean,
	RoleAgent: "상담원", RoleSupervisor: "팀장", RoleAdmin: "관리자",

	QueueTitle: "콜백 대기열", QueueEmpty: "대기 중인 콜백이 없습니다", QueueCounts: "콜백 %d · 지연 %d",
	Pool: "팀", Mine: "개인", Overdue: "%s 지남", DueIn: "%s 후", DueNow: "지금",
	AgoFmt: "%s 전", JustNow: "방금",
	Minute: "분", Hour: "시간", Day: "일",

	CustomerTitle: "고객 360", NoCustomerOpen: "대기열에서 콜백을 고르고 enter를 누르세요", Loading: "불러오는 중…",
	Phones: "전화", Emails: "이메일", Points: "포인트", Lifetime: "누적 구매", Purchases: "%d건",
	Benefits: "등급 혜택", LastContact: "최근 연락", NeverContacted: "없음", SinceLabel: "가입",
	LocalTime: "현지 시각", Consent: "수신 동의", Marketing: "마케팅", SMS: "문자", EmailC: "이메일",
	DNC: "통화 거부(DNC)", OpenComplaints: "미해결 불만", NoOpenComplaints: "미해결 불만 없음",
	NoNotes: "상담 기록 없음", Unattended: "자동", PrimaryTag: "기본",

	ChannelPhone: "전화", Channel080: "080 수신", ChannelSMS: "문자", ChannelEmail: "이메일",
	ChannelChat: "채팅", ChannelVisit: "방문",
	KindMobile: "휴대폰", KindHome: "집", KindWork: "직장", KindOther: "기타",
	StatusOpen: "접수", StatusResponded: "응답함", StatusResolved: "해결",

	NoteTitle: "상담 메모 — %s", NotePlaceholder: "통화 내용을 적으세요…", NoteSaved: "메모를 저장했습니다",
	DraftKept: "작성 중인 메모를 임시 저장했습니다", DraftRestored: "임시 저장된 메모를 불러왔습니다: %s",
	NoteChars: "%d/%d자", SelectCustomerFirst: "먼저 고객을 고르세요", DraftSaving: "임시 저장 중…",
	DraftSaveFailed: "임시 저장 실패 — 메모는 화면에 남아 있습니다: %s",

	KeyUp: "위", KeyDown: "아래", KeyOpen: "고객 열기", KeyNote: "메모 쓰기", KeyHelp: "도움말",
	KeyQuit: "종료", KeyBack: "뒤로", KeySave: "저장", KeyPane: "창 전환", KeyTop: "맨 위",
	KeyBottom: "맨 아래", KeyPage: "페이지", KeyDiscard: "닫기(임시 저장)", KeyMove: "이동",

	HelpTitle: "단축키", HelpGlobal: "공통", HelpQueue: "대기열", HelpCustomer: "고객", HelpNote: "메모",
	TooSmall: "창이 너무 작습니다 (%d×%d). 최소 %d×%d", ErrorPrefix: "오류: ",

	KeyClaim: "맡기", KeyNext: "다음 콜백 맡기", KeyWrapup: "통화 결과", KeyRelease: "맡기 취소",
	KeyPick: "선택", KeySetTime: "시간 지정", KeyCancel: "취소",
	KeyOpenReminder: "열기", KeySnooze: "다시 알림", KeyDismiss: "닫기",

	StatusLease: "▶ %s", StatusTaken: "● %s", BlockDNC: "⛔ 통화거부", BlockInvalid: "⛔ 번호오류",
	BlockNoPhone: "⛔ 번호없음", BlockOpens: "⏸ %s~",
	Claimed: "콜백 #%d 맡음 (%s까지)", NothingCallable: "지금 걸 수 있는 콜백이 없습니다",
	Released: "콜백 #%d: 대기열로 돌려보냈습니다", Wrapped: "%s 처리했습니다", WrappedNext: "%s — 다음 통화 %s",
	LeaseLost:   "콜백 #%d: 맡기 시간이 끝나 대기열로 돌아갔습니다",
	WrapupTitle: "통화 결과 — %s (콜백 #%d)", AsksTime: "시간 입력", NextCallAt: "다음 통화 시각",
	DefaultFollowUp: "내일 오전 10시", NotYourClaim: "먼저 c로 이 콜백을 맡으세요",
	PhrasePlaceholder: "예: 15분 후, 내일 오후 3시, 다음주 월요일 10시",
	PhraseHint:        "15m · 2h · 내일 오후 3시 · 다음주 월요일 10시 · 2026-12-01 14:30", Weekdays: "일월화수목금토",

	ReminderBefore: "%s 후 통화: %s", ReminderDue: "지금 통화: %s", ReminderSnooze: "다시 알림: %s",
	MissedTitle: "자리를 비운 동안 놓친 알림 (%d)", MoreReminders: "알림 %d건 더",
	SnoozeTitle: "언제 다시 알려 드릴까요?", SnoozeCustom: "직접 입력", Snoozed: "%s에 다시 알려 드립니다",
	HelpReminders: "알림",

	ChurnRisk: "이탈 위험", OnCustomer: "%s 님이 이 고객을 응대 중입니다", DaysAgo: "%d일 전", Last12Months: "12개월",
	ReferredBy: "%s(#%d) 님의 추천으로 가입", ReferredCount: "%d명을 추천함", Referral: "추천", Timeline: "고객 이력",
	KeyFilter: "종류 바꾸기", Copied: "번호를 복사했습니다: %s", Dialing: "전화 거는 중: %s",
	NoDialCmd: "전화 걸기 명령이 없습니다 (--dial-cmd 'CMD {number}')", DialFailed: "전화 걸기 실패 (%s): %s",
	DialDone: "전화 걸기 명령이 끝났습니다: %s", InvalidNumber: "잘못된 번호로 표시된 번호입니다",
	KeyNextPhone: "번호 고르기", KeyCopy: "번호 복사", KeyDial: "전화 걸기",
	ActCallback: "콜백 예약", ActComplaint: "불만 접수", ActRespond: "불만 응답", ActResolve: "불만 해결",
	ActPoints: "포인트 적립·사용", ActPurchase: "구매 기록", ActContact: "연락처·수신 동의 수정",
	ActFeedback: "만족도 기록", ActReferral: "추천인 연결",
	DoneCallback: "콜백을 예약했습니다: %s", DoneComplaint: "불만을 접수했습니다", DoneRespond: "불만에 응답했습니다",
	DoneResolve: "불만을 해결 처리했습니다", DonePoints: "포인트를 반영했습니다", DonePurchase: "구매를 기록했습니다",
	DoneContact: "고객 정보를 수정했습니다", DoneFeedback: "만족도를 기록했습니다", DoneReferral: "추천인을 연결했습니다",
	FieldWhen: "시각", FieldReason: "사유", FieldPriority: "우선순위", FieldToPool: "팀 대기열로", FieldSubject: "제목",
	FieldNote: "메모", FieldComplaint: "불만 번호", FieldPointsKind: "종류", FieldPoints: "포인트",
	FieldItem: "상품", FieldAmount: "금액(원)", FieldName: "이름", FieldRoman: "영문 이름", FieldAddPhone: "전화 추가",
	FieldAddEmail: "이메일 추가", FieldSatisfaction: "만족도", FieldRecommend: "추천 의향", FieldReferrer: "추천인",
	ReferrerHint: "고객 번호, 전화번호 또는 이름", PointsEarn: "적립", PointsKinds: "적립 / 사용 / 조정",
	BadPriority: "우선순위는 1(가장 급함)부터 5까지입니다", NeedSubject: "불만 제목을 적어 주세요",
	NeedComplaint: "불만 번호를 적어 주세요", BadPointsKind: "종류는 적립, 사용, 조정 중 하나입니다",
	BadPoints: "포인트는 숫자로 적어 주세요 (조정은 -500처럼 음수도 됩니다)", BadAmount: "금액은 숫자로 적어 주세요 (반품은 음수)",
	NeedName: "이름은 비울 수 없습니다", NeedCall: "이 고객과 내가 남긴 상담 기록이 없습니다",
	BadScore: "만족도는 1-5, 추천 의향은 0-10 숫자입니다", NeedReferrer: "추천인을 한 명으로 찾을 수 없습니다 (고객 번호를 적어 주세요)",
	FormKeys: "tab 다음 칸 · space 체크 · enter/ctrl+s 저장 · esc 취소", MenuTitle: "고객 작업", KeyActions: "고객 작업",
	SearchTitle: "고객 찾기", SearchPlaceholder: "이름, 초성(ㄱㅁㅈ), 영문 이름, 전화번호, 뒤 4자리, 이메일",
	SearchHint: "예: 김민준 · 민준 · ㄱㅁㅈ · 김ㅁ · minjun · 010-1234-5678 · 5678 · kim@naver.com",
	SearchNone: "찾는 고객이 없습니다", SearchFound: "%d명 (%s)", KeySearch: "고객 찾기",

	RefusedBalance: "포인트 잔액이 %sP라서 %sP를 차감할 수 없습니다",
	RefusedYours:   "콜백 #%d: 이미 맡고 있습니다", RefusedTaken: "콜백 #%d: %s 님이 맡았습니다",
	RefusedClosed: "콜백 #%d: 이미 끝났습니다 (%s)", RefusedOthers: "콜백 #%d: %s 님의 콜백입니다",
	RefusedDNC: "콜백 #%d: 통화 거부(DNC) 고객입니다", RefusedBadNumber: "콜백 #%d: 잘못된 번호로 표시되어 있습니다",
	RefusedNoPhone: "콜백 #%d: 전화번호가 없습니다", RefusedWindow: "콜백 #%d: 지금은 고객 통화 가능 시간이 아닙니다. %s부터 가능",
}

var english = Text{
	Lang:      English,
	RoleAgent: "agent", RoleSupervisor: "supervisor", RoleAdmin: "admin",

	QueueTitle: "Callback queue", QueueEmpty: "No callbacks waiting", QueueCounts: "%d callbacks · %d overdue",
	Pool: "pool", Mine: "mine", Overdue: "%s overdue", DueIn: "in %s", DueNow: "now",
	AgoFmt: "%s ago", JustNow: "just now",
	Minute: "m", Hour: "h", Day: "d",

	CustomerTitle: "Customer 360", NoCustomerOpen: "Pick a callback in the queue and press enter", Loading: "Loading…",
	Phones: "Phone", Emails: "Email", Points: "Points", Lifetime: "Lifetime", Purchases: "%d purchases",
	Benefits: "Benefits", LastContact: "Last contact", NeverContacted: "never", SinceLabel: "since",
	LocalTime: "local time", Consent: "Consent", Marketing: "marketing", SMS: "SMS", EmailC: "email",
	DNC: "DO NOT CALL", OpenComplaints: "Open complaints", NoOpenComplaints: "No open complaints",
	NoNotes: "No interactions yet", Unattended: "auto", PrimaryTag: "primary",

	ChannelPhone: "phone", Channel080: "080 in", ChannelSMS: "SMS", ChannelEmail: "email",
	ChannelChat: "chat", ChannelVisit: "visit",
	KindMobile: "mobile", KindHome: "home", KindWork: "work", KindOther: "other",
	StatusOpen: "open", StatusResponded: "responded", StatusResolved: "resolved",

	NoteTitle: "Note — %s", NotePlaceholder: "What was the call about…", NoteSaved: "Note saved",
	DraftKept: "Draft kept", DraftRestored: "Draft restored: %s",
	NoteChars: "%d/%d chars", SelectCustomerFirst: "Pick a customer first", DraftSaving: "Saving draft…",
	DraftSaveFailed: "Could not save the draft — the note is still on screen: %s",

	KeyUp: "up", KeyDown: "down", KeyOpen: "open", KeyNote: "write note", KeyHelp: "help",
	KeyQuit: "quit", KeyBack: "back", KeySave: "save", KeyPane: "switch pane", KeyTop: "top",
	KeyBottom: "bottom", KeyPage: "page", KeyDiscard: "close (keep draft)", KeyMove: "move",

	HelpTitle: "Keys", HelpGlobal: "Everywhere", HelpQueue: "Queue", HelpCustomer: "Customer", HelpNote: "Note",
	TooSmall: "Terminal too small (%d×%d). Need %d×%d", ErrorPrefix: "Error: ",

	KeyClaim: "claim", KeyNext: "claim next", KeyWrapup: "wrap up", KeyRelease: "release",
	KeyPick: "pick", KeySetTime: "set time", KeyCancel: "cancel",
	KeyOpenReminder: "open", KeySnooze: "snooze", KeyDismiss: "dismiss",

	StatusLease: "▶ %s", StatusTaken: "● %s", BlockDNC: "⛔ DNC", BlockInvalid: "⛔ bad no.",
	BlockNoPhone: "⛔ no phone", BlockOpens: "⏸ %s~",
	Claimed: "Callback #%d is yours (until %s)", NothingCallable: "Nothing to call right now",
	Released: "Callback #%d is back in the queue", Wrapped: "Wrapped up: %s", WrappedNext: "%s — next call %s",
	LeaseLost:   "Callback #%d: your claim ran out and it went back to the queue",
	WrapupTitle: "Wrap-up — %s (callback #%d)", AsksTime: "asks a time", NextCallAt: "Next call at",
	DefaultFollowUp: "tomorrow 10am", NotYourClaim: "Claim this callback first (c)",
	PhrasePlaceholder: "e.g. 15m, tomorrow 3pm, next monday 10am",
	PhraseHint:        "15m · 2h · tomorrow 3pm · next monday 10am · 2026-12-01 14:30", Weekdays: "SMTWTFS",

	ReminderBefore: "in %s: call %s", ReminderDue: "Call now: %s", ReminderSnooze: "Reminder: %s",
	MissedTitle: "Reminders you missed while away (%d)", MoreReminders: "%d more reminders",
	SnoozeTitle: "Remind me again in…", SnoozeCustom: "type a time", Snoozed: "Will remind you at %s",
	HelpReminders: "Reminders",

	ChurnRisk: "churn risk", OnCustomer: "%s is on this customer", DaysAgo: "%dd ago", Last12Months: "12 months",
	ReferredBy: "referred by %s (#%d)", ReferredCount: "referred %d", Referral: "Referrals", Timeline: "History",
	KeyFilter: "filter", Copied: "Copied %s", Dialing: "Dialling %s",
	NoDialCmd: "No dial command (start with --dial-cmd 'CMD {number}')", DialFailed: "Dialling %s failed: %s",
	DialDone: "The dial command for %s ended", InvalidNumber: "This number is marked wrong",
	KeyNextPhone: "pick number", KeyCopy: "copy number", KeyDial: "dial",
	ActCallback: "Schedule a callback", ActComplaint: "Log a complaint", ActRespond: "Respond to a complaint",
	ActResolve: "Resolve a complaint", ActPoints: "Earn or redeem points", ActPurchase: "Record a purchase",
	ActContact: "Edit contact data and consent", ActFeedback: "Record feedback", ActReferral: "Link a referrer",
	DoneCallback: "Callback scheduled: %s", DoneComplaint: "Complaint logged", DoneRespond: "Response recorded",
	DoneResolve: "Complaint resolved", DonePoints: "Points updated", DonePurchase: "Purchase recorded",
	DoneContact: "Customer updated", DoneFeedback: "Feedback recorded", DoneReferral: "Referrer linked",
	FieldWhen: "When", FieldReason: "Reason", FieldPriority: "Priority", FieldToPool: "To team pool", FieldSubject: "Subject",
	FieldNote: "Note", FieldComplaint: "Complaint #", FieldPointsKind: "Kind", FieldPoints: "Points",
	FieldItem: "Item", FieldAmount: "Amount (won)", FieldName: "Name", FieldRoman: "Romanized", FieldAddPhone: "Add phone",
	FieldAddEmail: "Add e-mail", FieldSatisfaction: "Satisfaction", FieldRecommend: "Recommend", FieldReferrer: "Referrer",
	ReferrerHint: "customer number, phone or name", PointsEarn: "earn", PointsKinds: "earn / redeem / adjust",
	BadPriority: "Priority is 1 (most urgent) to 5", NeedSubject: "Give the complaint a subject",
	NeedComplaint: "Give the complaint number", BadPointsKind: "Kind is earn, redeem or adjust",
	BadPoints: "Points are a number (an adjustment may be negative, like -500)", BadAmount: "The amount is a number (negative for a refund)",
	NeedName: "The name cannot be empty", NeedCall: "You have no note with this customer yet",
	BadScore: "Satisfaction is 1-5, recommend 0-10", NeedReferrer: "No single customer matches (give the customer number)",
	FormKeys: "tab next · space tick · enter/ctrl+s save · esc cancel", MenuTitle: "Customer actions", KeyActions: "actions",
	SearchTitle: "Find a customer", SearchPlaceholder: "name, initials (ㄱㅁㅈ), romanized name, phone, last 4 digits, e-mail",
	SearchHint: "e.g. 김민준 · 민준 · ㄱㅁㅈ · 김ㅁ · minjun · 010-1234-5678 · 5678 · kim@naver.com",
	SearchNone: "No customer found", SearchFound: "%d found (%s)", KeySearch: "find customer",

	RefusedBalance: "The balance is %sP; %sP cannot be taken away",
	RefusedYours:   "Callback #%d is already yours", RefusedTaken: "Callback #%d is taken: %s is on it",
	RefusedClosed: "Callback #%d is already closed (%s)", RefusedOthers: "Callback #%d is %s's",
	RefusedDNC: "Callback #%d: the customer is on the do-not-call list", RefusedBadNumber: "Callback #%d: the number is marked wrong",
	RefusedNoPhone: "Callback #%d: no phone number", RefusedWindow: "Callback #%d: outside the customer's calling hours; from %s",
}

// TextFor returns the strings of a language; unknown languages get English.
func TextFor(l Lang) Text {
	if l == Korean {
		return korean
	}
	return english
}

// Duration writes d the short way an agent reads it at a glance: minutes
// under an hour, whole hours under a day, whole days beyond: 45s → "1m",
// 80m → "1h", 50h → "2d" (Korean: 1분, 1시간, 2일).
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
	default:
		return fmt.Sprintf("%d%s", (mins+12*60)/(24*60), t.Day)
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
