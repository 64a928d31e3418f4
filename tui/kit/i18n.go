package kit

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/due"
	"github.com/dangol/dangol/problem"
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

	CustomerTitle, NoCustomerOpen, Loading                                                                               string
	Phones, Emails, Points, Lifetime, Purchases                                                                          string // Purchases takes a count
	Benefits, LastContact, NeverContacted, SinceLabel, LastAttempt, Birthday, CustomerNumber, Attributes, MoreAttributes string
	LocalTime, Consent, Marketing, SMS, EmailC                                                                           string
	DNC, OpenComplaints, NoOpenComplaints                                                                                string
	NoNotes, Unattended, PrimaryTag                                                                                      string

	ChannelPhone, Channel080, ChannelSMS, ChannelEmail, ChannelChat, ChannelVisit string
	KindMobile, KindHome, KindWork, KindOther                                     string
	StatusOpen, StatusResponded, StatusResolved                                   string

	NoteTitle, NotePlaceholder, NoteSaved, DraftKept, DraftRestored, DraftRestoredCall string
	NoteChars, SelectCustomerFirst, DraftSaving, DraftSaveFailed                       string
	DraftSaveFailedQuit                                                                string

	KeyUp, KeyDown, KeyOpen, KeyNote, KeyHelp, KeyQuit, KeyBack string
	KeySave, KeyPane, KeyTop, KeyBottom, KeyPage, KeyDiscard    string
	KeyMove                                                     string

	HelpTitle, HelpGlobal, HelpQueue, HelpCustomer, HelpNote string
	TooSmall, TooLarge, ErrorPrefix                          string

	KeyClaim, KeyNext, KeyWrapup, KeyRelease, KeyPick, KeySetTime, KeyCancel string
	KeyOpenReminder, KeySnooze, KeyDismiss                                   string

	StatusLease, StatusTaken, BlockDNC, BlockInvalid, BlockNoPhone, BlockOpens string
	Claimed, NothingCallable, Released, Wrapped, WrappedNext, LeaseLost        string
	WrapupTitle, AsksTime, NextCallAt, DefaultFollowUp, NotYourClaim           string
	PhrasePlaceholder, PhraseHint, Weekdays                                    string
	PreviewThere, PreviewDefault                                               string

	ReminderBefore, ReminderDue, ReminderSnooze, MissedTitle, MoreReminders string
	SnoozeTitle, SnoozeCustom, Snoozed, HelpReminders                       string

	RefusedYours, RefusedTaken, RefusedClosed, RefusedOthers                                                        string
	RefusedDNC, RefusedBadNumber, RefusedNoPhone, RefusedWindow                                                     string
	SearchTitle, SearchPlaceholder, SearchHint, SearchNone, SearchFound, SearchMore, KeySearch                      string
	ActCallback, ActComplaint, ActRespond, ActResolve, ActPoints, ActPurchase, ActContact, ActFeedback, ActReferral string
	// Likely duplicates and merging them: the 360's line, the action.
	Duplicates, MergeThem, DupPhone, DupEmail, DupNameBirthday, ActMerge, FieldMergeWith, MergeHint, MergeConflicts, MergeNoConflict string
	DoneMerge, NeedMergeID, MergeSupervisor                                                                                          string
	DoneCallback, DoneComplaint, DoneRespond, DoneResolve, DonePoints, DonePurchase, DoneContact, DoneFeedback, DoneReferral         string
	FieldWhen, FieldReason, FieldPriority, FieldToPool, FieldSubject, FieldNote, FieldComplaint, FieldPointsKind, FieldPoints        string
	FieldItem, FieldAmount, FieldName, FieldRoman, FieldAddPhone, FieldAddEmail, FieldSatisfaction, FieldRecommend, FieldReferrer    string
	ReferrerHint, PointsEarn, PointsKinds, BadPriority, NeedSubject, NeedComplaint, BadPointsKind, BadPoints, BadAmount              string
	NeedName, NeedCall, BadScore, NeedReferrer, FormKeys, MenuTitle, KeyActions, BadChoice                                           string
	ChurnRisk, OnCustomer, DaysAgo, Last12Months, ReferredBy, ReferredCount, Referral, Timeline, KeyFilter                           string
	Copied, Dialing, NoDialCmd, DialFailed, DialDone, InvalidNumber, KeyNextPhone, KeyCopy, KeyDial                                  string
	// Why a number may not be dialled or copied now, as a claim would
	// refuse it (DialWindow: when it may; DialDNC and InvalidNumber are
	// the others).
	DialWindow, DialConsent string
	RefusedBalance          string
	Year                    string

	KeyScreen, ScreenWork, ScreenBoard, ScreenTeam, ScreenAudit, ScreenFigures, ScreenAgents, ScreenPolicy string

	TeamText
	CampaignText
}

// TextFor returns the strings of a language; unknown languages get English.
func TextFor(l Lang) Text {
	t, team, camp := english, englishTeam, englishCampaign
	if l == Korean {
		t, team, camp = korean, koreanTeam, koreanCampaign
	}
	t.TeamText, t.CampaignText = team, camp
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
		return Sprintf(t.Overdue, t.Duration(d))
	default:
		return Sprintf(t.DueIn, t.Duration(d))
	}
}

// Ago says how long ago a moment was: "3d ago", "just now".
func (t Text) Ago(at, now time.Time) string {
	if now.Sub(at) < time.Minute {
		return t.JustNow
	}
	return Sprintf(t.AgoFmt, t.Duration(now.Sub(at)))
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

// Preview says what a due-time phrase means before it is saved: the full
// date, weekday and clock time in the site's zone, the customer's when
// their zone differs, and that the time is the default when none was said:
// "2026-11-25 (수) 15:00 · 고객 현지 (PST) 11-24 (화) 22:00".
func (t Text) Preview(r due.Reading, site, customer *time.Location) string {
	day := func(at time.Time, layout string) string {
		if t.Lang == English {
			return at.Format(layout + " (Mon) 15:04")
		}
		return fmt.Sprintf("%s (%c) %s", at.Format(layout), []rune(t.Weekdays)[at.Weekday()], at.Format("15:04"))
	}
	local := r.At.In(site)
	s := day(local, "2006-01-02")
	there := r.At.In(customer)
	zone, theirs := there.Zone()
	if _, ours := local.Zone(); theirs != ours {
		s += Sprintf(t.PreviewThere, zone, day(there, "01-02"))
	}
	if r.Defaulted {
		s += t.PreviewDefault
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

// Refusal words any error a person can see in the UI's language: a
// refused claim, a calling rule, a permission, a problem.Error of the engine
// (worded by its code), a bulk or policy value. An error of
// the system (a full disk, a damaged file) keeps the engine's words, which
// name the file, after the language's prefix.
func (t Text) Refusal(err error, now time.Time) string {
	var ce queue.ClaimError
	var be queue.BlockedError
	var bal *crm.BalanceError
	var pr problem.Error
	var fe crm.ForbiddenError
	var nr queue.NoteRequiredError
	var ntl *crm.NoteTooLongError
	var bulk queue.BulkError
	var set queue.SettingError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &bal):
		return Sprintf(t.RefusedBalance, Thousands(bal.Balance), Thousands(bal.Taken))
	case errors.As(err, &ce):
		switch ce.Why {
		case queue.AlreadyYours:
			return Sprintf(t.RefusedYours, ce.ID)
		case queue.TakenBy:
			return Sprintf(t.RefusedTaken, ce.ID, Safe(ce.Who))
		case queue.Closed:
			return Sprintf(t.RefusedClosed, ce.ID, t.State(string(ce.State)))
		}
		return Sprintf(t.RefusedOthers, ce.ID, Safe(ce.Who))
	case errors.As(err, &be):
		switch be.Block.Reason {
		case queue.BlockDNC:
			return Sprintf(t.RefusedDNC, be.ID)
		case queue.BlockInvalidPhone:
			return Sprintf(t.RefusedBadNumber, be.ID)
		case queue.BlockNoPhone:
			return Sprintf(t.RefusedNoPhone, be.ID)
		case queue.BlockConsent:
			return Sprintf(t.RefusedConsent, be.ID)
		}
		return Sprintf(t.RefusedWindow, be.ID, t.When(be.Block.OpensAt, now, be.Block.OpensAt.Location()))
	case errors.As(err, &pr):
		return t.problem(pr)
	case errors.As(err, &fe):
		return Sprintf(t.RefusedRole, Safe(fe.Actor), t.Role(string(fe.Role)))
	case errors.As(err, &nr):
		return t.NeedNote
	case errors.As(err, &ntl):
		return Sprintf(t.NoteTooLong, ntl.Runes, crm.MaxNoteRunes)
	case errors.As(err, &bulk), errors.As(err, &set):
		if t.Lang == Korean {
			return t.ErrorPrefix + t.BadValue
		}
		return err.Error()
	case errors.Is(err, crm.ErrDeactivated):
		return t.Deactivated
	case errors.Is(err, queue.ErrNothingCallable):
		return t.NothingCallable
	case errors.Is(err, crm.ErrNotFound):
		return t.NotFound
	}
	return t.ErrorPrefix + err.Error()
}

// problem words a problem.Error: by its code in Korean, as the engine says
// it in English.
func (t Text) problem(p problem.Error) string {
	if t.Lang == Korean {
		if f, ok := problemsKo[p.Code]; ok {
			args := make([]any, len(p.Args))
			for i, a := range p.Args {
				args[i] = a
				if wd, ok := a.(time.Weekday); ok { // 목요일, not Thursday
					args[i] = string([]rune(t.Weekdays)[wd]) + "요일"
				}
			}
			return Sprintf(f, args...)
		}
	}
	return p.Error()
}

// problemsKo are the engine's Problems in Korean, by code, with the same
// arguments as the English (TestEveryProblemInKorean checks both).
var problemsKo = map[string]string{
	"phrase_not_text":        "예정 시각이 올바른 글자가 아닙니다",
	"phrase_empty":           "예정 시각이 비어 있습니다 (예: 15분, 내일 오후 3시, tomorrow 3pm)",
	"phrase_too_long":        "예정 시각 %q… 은 날짜로 읽기에 너무 깁니다",
	"phrase_unreadable":      "%q을(를) 하나의 시각으로 읽을 수 없습니다: %q이(가) 들어갈 자리가 아닙니다 (예: 15분, 내일 오후 3시, 다음주 월요일 10시, 2026-12-01 14:30)",
	"phrase_number_too_long": "%q은(는) 시각의 숫자로 쓰기에 너무 깁니다",
	"phrase_unknown_word":    "%q은(는) 시각을 나타내는 말이 아닙니다 (예: 15분, 내일 오후 3시, tomorrow 3pm, 2026-12-01 14:30)",
	"phrase_two_days":        "%q에 날짜가 둘 이상 있습니다",
	"phrase_two_times":       "%q에 시각이 둘 이상 있습니다",
	"phrase_no_such_month":   "%q: %d월은 없습니다 (숫자 날짜는 월/일, 또는 연-월-일 순서입니다)",
	"phrase_no_such_day":     "%q: %d월에는 %d일이 없습니다",
	"phrase_no_such_hour":    "%q: %d시는 없습니다",
	"phrase_twelve_hour":     "%q: %d시는 오전/오후와 함께 쓸 수 없습니다 (오전·오후, am·pm은 1시부터 12시까지)",
	"phrase_no_such_minute":  "%q: %d분은 없습니다",
	"phrase_not_in_part":     "%q: %02d:%02d는 말한 때(아침, 오후, 저녁 등)에 들지 않습니다",
	"phrase_night_hour":      "%q: 밤 %d시는 자정 전인지 후인지 알 수 없습니다 (새벽 %d시 또는 오후 %d시로 말해 주세요)",
	"phrase_bare_number":     "%q: 숫자 %d만으로는 시각이 아닙니다; 단위를 붙여 주세요 (%dpm, %d시, %d일, %d분)",
	"phrase_weekday":         "%q: %s은(는) %s(이)지 %s이(가) 아닙니다",
	"phrase_vague":           "%q은(는) 기간이라 하나의 시각이 아닙니다; 날짜와 시각을 말해 주세요 (다음주 월요일 10시)",
	"phrase_lunar":           "%q은(는) 해마다 날짜가 다릅니다; 날짜로 말해 주세요",
	"phrase_ambiguous_zone":  "%q: %s은(는) 여러 시간대를 가리킵니다; 고객 현지 시각으로 말해 주세요",
	"phrase_range":           "%q은(는) 범위입니다; 콜백할 시각 하나를 말해 주세요",
	"phrase_day_over":        "%q: 오늘은 남은 시간이 없습니다; 내일 시각으로 말해 주세요",
	"key_private":            "개인 키입니다: 공개 키(.pub 파일)를 주세요",
	"key_count":              "공개 키를 하나만 주세요 (%d개 있음)",
	"key_unreadable":         "SSH 공개 키가 아닙니다: %s",
	"key_taken":              "키 %s은(는) 이미 %s의 키입니다",
	"key_not_found":          "%s에게 키 %s이(가) 없습니다",
	"agent_lang":             "언어 %q: ko, en, 또는 빈 값(접속한 단말의 LANG을 따름)을 쓰세요",
	"agent_extension":        "내선 번호 %q: 숫자 12자리까지, 또는 빈 값",
	"phrase_span_too_far":    "%q은(는) 1년이 넘게 남았습니다",
	"phrase_clock_change":    "%q: %02d:%02d는 %s에 없는 시각입니다 (서머타임으로 시계가 한 시간 당겨집니다)",
	"phrase_past":            "%q은(는) %s(으)로, 이미 지난 시각입니다",
	"phrase_too_far":         "%q은(는) %s(으)로, 1년이 넘게 남았습니다",
	"note_empty":             "메모가 비어 있습니다",
	"note_not_text":          "메모에 올바르지 않은 글자가 있습니다",
	"customer_no_name":       "고객 이름이 필요합니다",
	"tz_unknown":             "시간대 %q을(를) 알 수 없습니다",
	"birthday_format":        "생일 %q: YYYY-MM-DD로 적어 주세요",
	"email_invalid":          "이메일 %q은(는) 주소가 아닙니다",
	"phone_duplicate":        "%s은(는) 이미 이 고객의 번호입니다",
	"points_no_reason":       "포인트 변경에는 사유가 필요합니다",
	"points_earn_positive":   "적립할 포인트는 양수여야 합니다",
	"points_redeem_positive": "사용할 포인트는 양수여야 합니다",
	"points_adjust_zero":     "0포인트 조정은 아무것도 바꾸지 않습니다",
	"points_kind":            "포인트 변경 %q: earn, redeem, adjust 중에서 고르세요",
	"purchase_incomplete":    "구매에는 상품과 금액이 필요합니다",
	"complaint_no_subject":   "불만에는 제목이 필요합니다",
	"complaint_resolved":     "불만 #%d은(는) 이미 해결되었습니다",
	"satisfaction_range":     "만족도 %d: 1에서 5 사이로 적어 주세요",
	"recommend_range":        "추천 의향 %d: 0에서 10 사이로 적어 주세요",
	"referral_self":          "고객이 자기 자신을 추천할 수는 없습니다",
	"referral_already":       "고객 #%d은(는) 이미 %s 님의 추천으로 등록되어 있습니다",
	"phone_empty":            "전화번호가 비어 있습니다",
	"phone_unreadable":       "전화번호 %q: %v",
	"phone_invalid":          "전화번호 %q은(는) 올바른 번호가 아닙니다",
	"lease_lost":             "콜백 #%d은(는) 더 이상 내 통화가 아닙니다: 점유 시간이 끝났거나 다른 사람이 가져갔습니다",
	"not_your_claim":         "콜백 #%d은(는) %s 님의 통화입니다",
	"not_claimed":            "콜백 #%d은(는) 통화 중이 아닙니다 (%s)",
	"claim_first":            "콜백 #%d은(는) %s 님이 맡은 통화가 아닙니다 (%s). 먼저 맡으세요",
	"wrapup_needs_due":       "통화 결과 %s에는 다음 통화 시각이 필요합니다",
	"wrapup_due_past":        "다음 통화 시각 %s은(는) 이미 지났습니다",
	"disposition_unknown":    "통화 결과 %q을(를) 알 수 없습니다 (%s 중에서 고르세요)",
	"agent_at_cap":           "%s 님은 이미 진행 중인 콜백이 %d건입니다 (한도 %d건)",
	"priority_range":         "우선순위 %d: 1(가장 급함)에서 5 사이로 적어 주세요",
	"callback_no_due":        "콜백에는 예정 시각이 필요합니다",
	"callback_dnc":           "고객 #%d은(는) 통화 거부(DNC) 고객이라 콜백을 잡을 수 없습니다",
	"callback_no_consent":    "고객 #%d은(는) %s 수신에 동의하지 않아 %s 콜백을 잡을 수 없습니다",
	"forget_claimed":         "고객 #%d: 콜백 #%d을(를) %s 님이 통화 중입니다. 통화가 끝난 뒤 지우세요",
	"merge_claimed":          "고객 #%d: 콜백 #%d을(를) %s 님이 통화 중입니다. 통화가 끝난 뒤 합치세요",
	"merge_self":             "고객 #%d을(를) 자기 자신과 합칠 수 없습니다",
	"merge_merged":           "고객 #%d은(는) 이미 #%d에 합쳐졌습니다",
	"merge_forgotten":        "고객 #%d은(는) 삭제 요청으로 지워졌습니다: 합칠 사람이 없습니다",
	"merge_draft":            "고객 #%d에 대해 저장하지 않은 메모가 있습니다. 저장한 뒤 합치세요",
	"merge_undone":           "합치기 %d은(는) 이미 되돌렸습니다",
	"callback_no_phone":      "고객 #%d에게 전화할 번호가 없습니다",
	"kind_unknown":           "종류 %q: service, complaint, sales, marketing 중에서 고르세요",
	"snooze_past":            "%s까지 다시 알림: 미래의 시각이 아닙니다",
	"snooze_closed":          "콜백 #%d은(는) %s 상태라 알릴 것이 없습니다",
	"undo_none":              "콜백 #%d에는 되돌릴 내 통화 결과가 없습니다",
	"undo_too_late":          "콜백 #%d의 통화 결과는 %d분이 지나 되돌릴 수 없습니다",
	"undo_final":             "%s은(는) 고객 정보까지 바꾸어 여기서 되돌릴 수 없습니다",
	"undo_changed":           "콜백 #%d은(는) 통화 결과 뒤에 바뀌어 그대로 둡니다",

	"campaign_name":     "캠페인 이름은 출력 가능한 문자 1~60자로 적어 주세요",
	"campaign_reason":   "사유가 %d자입니다. 200자 안으로 줄여 주세요",
	"campaign_metric":   "지표 %q: %s 중에서 고르세요",
	"campaign_control":  "대조군 %d%%: 1%%에서 50%% 사이로 정하세요 (대조군 없이는 효과를 잴 수 없습니다)",
	"campaign_days":     "측정 기간 %d일: 1일에서 365일 사이로 정하세요",
	"campaign_until":    "종료일 %s은(는) 이미 지났습니다",
	"campaign_exists":   "%q 캠페인이 이미 있습니다",
	"campaign_empty":    "세그먼트 %q: 전화할 수 있는 고객은 %d명입니다 (조건에 맞는 고객 %d명): 캠페인에는 2명 이상이 필요합니다",
	"campaign_agent":    "상담원 %q: 그런 이름의 활성 상담원이 없습니다",
	"campaign_already":  "캠페인 %s은(는) 이미 %s 상태입니다",
	"campaign_stopped":  "캠페인 %s은(는) 중단되었습니다. 먼저 재개하세요",
	"campaign_not_held": "캠페인 %s은(는) %s 상태입니다: 일시 정지나 중단된 캠페인만 재개합니다",
	"segment_empty":     "캠페인에는 세그먼트가 필요합니다. 예: segment=at_risk 또는 tier=gold,last_purchase>90d",
	"segment_term":      "세그먼트 %q: 조건은 KEY=VALUE, KEY>VALUE … 꼴로, 쉼표로 이어 적습니다",
	"segment_key":       "세그먼트 %q: 알 수 없는 키 %q. %s 중에서 쓰세요",
	"segment_op":        "세그먼트 %q: %s에는 %s 연산자를 씁니다",
	"segment_value":     "세그먼트 %q: %s 값은 %s 꼴로 적습니다",
}

// QueryKind names how a search query was read.
func (t Text) QueryKind(k string) string {
	ko := map[string]string{"name": "이름", "initials": "초성", "latin": "영문 이름", "phone": "전화번호", "last4": "뒤 4자리", "email": "이메일", "number": "고객번호"}
	if t.Lang == Korean {
		if s, ok := ko[k]; ok {
			return s
		}
	}
	en := map[string]string{"last4": "last 4 digits", "latin": "romanized name", "number": "customer no."}
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
			return fmt.Sprintf("구매 감소: 최근 6개월 %s, 그 전 6개월 %s", Won(t, r.Recent), Won(t, r.Before))
		}
		return fmt.Sprintf("falling spend: %s in the last 6 months, %s in the 6 before", Won(t, r.Recent), Won(t, r.Before))
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
	ko := map[string]string{"": "전체", "interaction": "상담", "purchase": "구매", "complaint": "불만", "points": "포인트",
		"callback": "콜백", "outcome": "통화 결과"}
	en := map[string]string{"": "all", "interaction": "contacts", "purchase": "purchases", "complaint": "complaints",
		"points": "points", "callback": "callbacks", "outcome": "call outcomes"}
	if t.Lang == Korean {
		return ko[k]
	}
	return en[k]
}

// TimelineHead names one event of the history, in the singular.
func (t Text) TimelineHead(k crm.TimelineKind) string {
	ko := map[crm.TimelineKind]string{"purchase": "구매", "complaint": "불만", "points": "포인트", "callback": "콜백 예약",
		"outcome": "통화 결과"}
	en := map[crm.TimelineKind]string{"purchase": "purchase", "complaint": "complaint", "points": "points",
		"callback": "callback booked", "outcome": "call"}
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
