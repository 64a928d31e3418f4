package kit

import (
	"fmt"
	"strings"

	"github.com/dangol/dangol/queue"
)

// TeamText holds the strings of the supervisor's and admin's screens: the
// board, the team's callbacks, the audit log, the figures, agents and
// policy. It is part of Text.
type TeamText struct {
	KeyAgentCallbacks, KeyAgentOverdue, ColAgent, ColOnline, ColOnCustomer, ColClaimed, ColOpen string
	ColDueToday, ColOverdue, ColDoneToday, ColHandling, ColReach, TeamPool, BoardAt             string

	KeySelect, KeyRange, KeySelectAll, KeyClear, KeyFilterForm, KeyOverdueOnly, KeySort, KeyReverse string
	KeyReassign, KeyPriority, KeyDue, KeyCancelCallbacks, KeyForceRelease, KeyUndo                  string
	ColDue, ColCustomer, ColOwner, ColState, ColTries, ColKind, ColTier, ColBlocked, ColReason      string
	RangeStarted, ConfirmUndo, NothingToUndo, AskReassign, AskPriority, AskDue, AskCancel           string
	UndoMove, UndoPriority, UndoDue, UndoCancel, ReleaseNoUndo, UndoPool                            string
	NeedReason, NothingClaimed, AskRelease, ReleasedBy, AskReleaseAll, SelectedAll                  string
	FilterTitle, BadFilterValue, FieldState, FieldDueDay, FieldBlocked, FieldAgent, FieldPoolOnly   string
	FieldKind, FieldText, FieldOverdueOnly, DueDayHint, FieldTier, BlockAny, BlockWindowWord        string
	SortedBy, SelectedCount, NoMatch, OverdueOnly, FilterNone, FilterIs, HelpSelection              string
	ConfirmTitle, ConfirmKeys, KeyYes, KeyNo                                                        string
	BulkDone, BulkMoved, BulkSkipped, Undone                                                        string

	KeyExportCSV, ColWhen, ColActor, ColWhat, ColAction, ColChange, AuditExported, AuditFilterTitle string
	FieldCustomerNo, FieldCallbackNo, FieldFromDay, FieldToDay, FieldActor, FieldAction             string

	KeyWhoFigures, KeyWeek, FigChurn, FigTeam, FigPeriod                                      string
	FigOnTime, FigOverdueNow, FigFirstContact, FigReach, FigHandling, FigRetention, FigRepeat string
	FigFirstResponse, FigFirstResponseHours, FigResolution, FigResolutionHours                string
	FigSatisfaction, FigNPS, FigReferrals, FigPointsIssued, FigPointsRedeemed                 string

	KeyAddAgent, KeyRole, KeyCap, KeyDeactivate, KeyActivate, ColDisplay, ColRole, ColActive, ColCap string
	AskRole, DoneAgent, AskCap, BadCap, CapDefault, AskDeactivate, DoneDeactivate, AskActivate       string
	BadRole, Yes, No                                                                                 string

	KeyEdit, ColSetting, ColValue, DonePolicy, WindowTitle, BadClock, FieldFrom, FieldUntil, FieldExempt string
	CodeTitle, BadRetry, FieldLabelKo, FieldLabelEn, FieldRetry, FieldNeedsNote, DefaultIs               string

	MovedToYou, MovedAway, FreedYours, CancelledYours, ChangedYours, ExpiredYours, Deactivated string
	AuditAll                                                                                   string

	// The agent's day: refusals, warnings and the wrap-up.
	RefusedConsent, RefusedRole, NeedNote, NoteTooLong, BadValue, NotFound, OutsideHours, BlockConsent        string
	Final, ConfirmFinal, KeyOpening, KeyUndoWrapup, UndoHint, WrapupUndone                                    string
	ViewAll, ViewMine, ViewPool, ViewOverdue, ViewToday, ViewBlocked, SortNextBest, SortDueTime, SortPriority string
	QueueTextTitle, QueueTextHint, ColStatus, ColPhone, KeyQueueView, KeyQueueText                            string
	QuitHolding, QuitRelease, QuitKeep, QuitStay, OnCall, OnCalls, KeyBackToCall, NotOnCall, KeyPages         string
	DialDNC, OpenCallbacks, NoOpenCallbacks, SecondCallback, Tries, Attempt, BornIn, KeyChooseToast           string
}

var englishTeam = TeamText{
	KeyAgentCallbacks: "their callbacks", KeyAgentOverdue: "their overdue", ColAgent: "Agent", ColOnline: "",
	ColOnCustomer: "On customer", ColClaimed: "Held", ColOpen: "Open", ColDueToday: "Today", ColOverdue: "Late",
	ColDoneToday: "Done", ColHandling: "AHT", ColReach: "Reach", TeamPool: "Team pool", BoardAt: "today, as of %s",

	KeySelect: "select", KeyRange: "range", KeySelectAll: "select all that match", KeyClear: "clear", KeyFilterForm: "filter",
	KeyOverdueOnly: "overdue only", KeySort: "sort", KeyReverse: "reverse", KeyReassign: "reassign", KeyPriority: "priority",
	KeyDue: "due time", KeyCancelCallbacks: "cancel", KeyForceRelease: "free claim", KeyUndo: "undo last",
	ColDue: "Due", ColCustomer: "Customer", ColOwner: "Owner", ColState: "State", ColTries: "Try", ColKind: "Kind",
	ColTier: "Tier", ColBlocked: "Blocked", ColReason: "Reason",
	RangeStarted: "Range started: move, then v again", ConfirmUndo: " Callbacks changed since are left alone.",
	UndoMove: "Move %s callback(s) back from %s to %s?", UndoPriority: "Put the priority of %s callback(s) back?",
	UndoDue: "Put the due time of %s callback(s) back?", UndoCancel: "Undo the cancelling of %s callback(s)?",
	ReleaseNoUndo: "Your last bulk action freed claims: that cannot be undone", UndoPool: "the pool",
	NothingToUndo: "No bulk action of yours to undo", AskReassign: "Move %s callback(s) to:", AskPriority: "Priority of %s callback(s)",
	AskDue: "New due time for %s callback(s)", AskCancel: "Cancel %s callback(s)", NeedReason: "Give a reason",
	NothingClaimed: "None of these is claimed", AskRelease: "Free the claims of %d agent(s) (%s)? They keep their notes.",
	AskReleaseAll: "Free every claim among the %s that match? The agents keep their notes.", SelectedAll: "all %s that match",
	ReleasedBy:  "freed by %s",
	FilterTitle: "Filter the team's callbacks", BadFilterValue: "%s: %q is not a choice", FieldState: "State",
	FieldDueDay: "Due on", FieldBlocked: "Blocked", FieldAgent: "Agent", FieldPoolOnly: "Pool only", FieldKind: "Kind",
	FieldText: "Text", FieldOverdueOnly: "Overdue only", DueDayHint: "today, 7d, 2026-12-01..2026-12-07", FieldTier: "Tier",
	SortedBy: "sorted by %s", SelectedCount: "%d selected", NoMatch: "Nothing matches", OverdueOnly: "overdue",
	FilterNone: "all open callbacks · f filter", FilterIs: "filter: %s", HelpSelection: "Selection",
	ConfirmTitle: "Are you sure?", ConfirmKeys: "y yes · n no", KeyYes: "yes", KeyNo: "no",
	BulkDone: "%s: %s done", BulkMoved: "%s moved to %s", BulkSkipped: "%s left alone: %s", Undone: "Undone: %s restored",

	KeyExportCSV: "export CSV", ColWhen: "When", ColActor: "Who", ColWhat: "What", ColAction: "Action", ColChange: "Change",
	AuditExported: "Written to %s", AuditFilterTitle: "Filter the audit log", FieldCustomerNo: "Customer",
	FieldCallbackNo: "Callback", FieldFromDay: "From day", FieldToDay: "To day", FieldActor: "Who", FieldAction: "Action",

	KeyWhoFigures: "team / agent", KeyWeek: "week", FigChurn: "Churn risk by segment (now)", FigTeam: "Team",
	FigPeriod: "%s – %s · charts: %d week(s)",
	FigOnTime: "Callbacks done on time", FigOverdueNow: "Overdue now", FigFirstContact: "First-contact resolution",
	FigReach: "Reach rate", FigHandling: "Average handling time", FigRetention: "Retention", FigRepeat: "Repeat purchase",
	FigFirstResponse: "Complaints answered within SLA", FigFirstResponseHours: "Median hours to first response",
	FigResolution: "Complaints resolved within SLA", FigResolutionHours: "Median hours to resolution",
	FigSatisfaction: "Satisfaction 1–5 (%d scored)", FigNPS: "NPS (%d answer(s))", FigReferrals: "Referrals",
	FigPointsIssued: "Points issued", FigPointsRedeemed: "Points redeemed",

	KeyAddAgent: "add agent", KeyRole: "role", KeyCap: "cap", KeyDeactivate: "deactivate", KeyActivate: "reactivate",
	ColDisplay: "Name", ColRole: "Role", ColActive: "Active", ColCap: "Cap", AskRole: "Role of %s",
	DoneAgent: "Agent %s saved", AskCap: "Most active personal callbacks for %s", BadCap: "Give a whole number (0: the default)",
	CapDefault: "default", AskDeactivate: "Deactivate %s (%s)? Their callbacks go to the pool, their claims are freed and their console stops working for them.",
	DoneDeactivate: "%s deactivated", AskActivate: "Let %s log in again?", BadRole: "Role: agent, supervisor or admin",
	Yes: "yes", No: "no",

	KeyEdit: "change", ColSetting: "Setting", ColValue: "Value", DonePolicy: "%s changed", WindowTitle: "Calling hours: %s",
	BadClock: "Times as HH:MM, the start before the end", FieldFrom: "From", FieldUntil: "Until", FieldExempt: "any hour",
	CodeTitle: "Wrap-up code %s", BadRetry: "Retry delay: whole minutes", FieldLabelKo: "Label (Korean)",
	FieldLabelEn: "Label (English)", FieldRetry: "Retry after", FieldNeedsNote: "note required", DefaultIs: "default %d",

	AuditAll:       "every change · f filter",
	RefusedConsent: "Callback #%d: a call of this kind needs the customer's consent, which they have not given",
	RefusedRole:    "%s is %s: this is not theirs to do", NeedNote: "This outcome needs a note of the call: write it first (n)",
	NoteTooLong: "The note is %d character(s); the limit is %d", BadValue: "that value is not allowed",
	NotFound: "Not found (it may have been removed)", BlockConsent: "⛔ consent", BlockAny: "any", BlockWindowWord: "outside hours",
	Final: "cannot be undone", ConfirmFinal: "End the call as \u201c%s\u201d? This cannot be taken back by calling again. y yes · n no",
	KeyOpening: "next opening", KeyUndoWrapup: "undo the wrap-up", UndoHint: " · ctrl+z undo (2 min)",
	WrapupUndone: "Wrap-up taken back: callback #%s is yours again",
	ViewAll:      "all", ViewMine: "mine", ViewPool: "pool", ViewOverdue: "overdue", ViewToday: "due today", ViewBlocked: "blocked",
	SortNextBest: "order: late first, then priority, then due", SortDueTime: "order: due time", SortPriority: "order: priority",
	QueueTextTitle: "Show the callbacks whose reason or customer has", QueueTextHint: "e.g. 배송, Kim",
	QuitHolding: "You are on %s", QuitRelease: "Release it and quit", QuitKeep: "Keep it until the lease ends (%s) and quit",
	QuitStay: "Stay", OnCall: "▶ on call: %s #%d", OnCalls: "▶ %d call(s) held", KeyBackToCall: "back to the call",
	NotOnCall: "You are not on a call", KeyPages: "page, top, end",
	DialDNC: "Not dialled: the customer is on the do-not-call list", OpenCallbacks: "Open callbacks (%d)",
	NoOpenCallbacks: "No open callbacks", Tries: "try %d/%d", Attempt: "attempt %d", BornIn: "born %s", KeyChooseToast: "another",
	SecondCallback: "This customer already has an open callback (#%d, %s). Press enter again to add another",
	ColStatus:      "Status", ColPhone: "Phone", KeyQueueView: "view: all, mine, pool, late…", KeyQueueText: "text filter",
	OutsideHours: "⚠ outside the customer's calling hours (%s–%s) · %s: the next opening, %s",
	MovedToYou:   "%s moved %d callback(s) to you", MovedAway: "%s moved %d of your callbacks to %s",
	FreedYours: "%s freed your claim on %s; your note is kept", CancelledYours: "%s cancelled %s",
	ChangedYours: "%s changed %s", ExpiredYours: "%s: your claim on %s ran out and went back to the queue",
	Deactivated: "Your account was deactivated. The console no longer works for you; your note is kept as a draft. q quits.",
}

var koreanTeam = TeamText{
	KeyAgentCallbacks: "담당 콜백", KeyAgentOverdue: "지연 콜백", ColAgent: "상담원", ColOnline: "",
	ColOnCustomer: "응대 중 고객", ColClaimed: "통화", ColOpen: "보유", ColDueToday: "오늘", ColOverdue: "지연",
	ColDoneToday: "완료", ColHandling: "처리시간", ColReach: "연결률", TeamPool: "팀 공용", BoardAt: "오늘 %s 기준",

	KeySelect: "선택", KeyRange: "범위 선택", KeySelectAll: "조건에 맞는 것 모두 선택", KeyClear: "해제", KeyFilterForm: "필터",
	KeyOverdueOnly: "지연만", KeySort: "정렬", KeyReverse: "역순", KeyReassign: "재배정", KeyPriority: "우선순위",
	KeyDue: "예정 시각", KeyCancelCallbacks: "취소", KeyForceRelease: "통화 해제", KeyUndo: "마지막 작업 되돌리기",
	ColDue: "예정", ColCustomer: "고객", ColOwner: "담당", ColState: "상태", ColTries: "시도", ColKind: "종류",
	ColTier: "등급", ColBlocked: "통화 제한", ColReason: "사유",
	RangeStarted: "범위 시작: 이동한 뒤 v를 한 번 더", ConfirmUndo: " 그 뒤에 바뀐 콜백은 그대로 둡니다.",
	UndoMove: "콜백 %s건의 담당을 %s에서 %s(으)로 되돌릴까요?", UndoPriority: "콜백 %s건의 우선순위를 되돌릴까요?",
	UndoDue: "콜백 %s건의 예정 시각을 되돌릴까요?", UndoCancel: "취소한 콜백 %s건을 다시 열까요?",
	ReleaseNoUndo: "마지막 일괄 작업은 통화 해제라 되돌릴 수 없습니다", UndoPool: "팀 공용",
	NothingToUndo: "되돌릴 일괄 작업이 없습니다", AskReassign: "콜백 %s건을 옮길 곳:", AskPriority: "콜백 %s건의 우선순위",
	AskDue: "콜백 %s건의 새 예정 시각", AskCancel: "콜백 %s건 취소", NeedReason: "사유를 적어 주세요",
	NothingClaimed: "통화 중인 콜백이 없습니다", AskRelease: "상담원 %d명의 통화(%s)를 해제할까요? 쓰던 메모는 남습니다.",
	AskReleaseAll: "조건에 맞는 %s건 중 통화 중인 것을 모두 해제할까요? 쓰던 메모는 남습니다.", SelectedAll: "조건에 맞는 %s건 모두",
	ReleasedBy:  "%s 님이 해제",
	FilterTitle: "팀 콜백 필터", BadFilterValue: "%s: %q은(는) 고를 수 없는 값입니다", FieldState: "상태",
	FieldDueDay: "예정일", FieldBlocked: "통화 제한", FieldAgent: "상담원", FieldPoolOnly: "팀 공용만", FieldKind: "종류",
	FieldText: "검색어", FieldOverdueOnly: "지연만", DueDayHint: "오늘, 7d, 2026-12-01..2026-12-07", FieldTier: "등급",
	SortedBy: "정렬: %s", SelectedCount: "%d건 선택", NoMatch: "해당하는 항목이 없습니다", OverdueOnly: "지연",
	FilterNone: "열린 콜백 전체 · f 필터", FilterIs: "필터: %s", HelpSelection: "선택",
	ConfirmTitle: "확인", ConfirmKeys: "y 예 · n 아니오", KeyYes: "예", KeyNo: "아니오",
	BulkDone: "%s: %s건 완료", BulkMoved: "%s건을 %s에게 옮겼습니다", BulkSkipped: "%s건은 그대로 둠: %s", Undone: "되돌림: %s건 복구",

	KeyExportCSV: "CSV 내보내기", ColWhen: "시각", ColActor: "누가", ColWhat: "대상", ColAction: "작업", ColChange: "변경",
	AuditExported: "%s에 저장했습니다", AuditFilterTitle: "감사 기록 필터", FieldCustomerNo: "고객 번호",
	FieldCallbackNo: "콜백 번호", FieldFromDay: "시작일", FieldToDay: "종료일", FieldActor: "누가", FieldAction: "작업",

	KeyWhoFigures: "팀 / 상담원", KeyWeek: "주 이동", FigChurn: "세그먼트별 이탈 위험 고객 (현재)", FigTeam: "팀 전체",
	FigPeriod: "%s – %s · 그래프: 최근 %d주",
	FigOnTime: "제때 처리한 콜백", FigOverdueNow: "현재 지연 콜백", FigFirstContact: "첫 통화 해결률",
	FigReach: "연결률", FigHandling: "평균 처리 시간", FigRetention: "고객 유지율", FigRepeat: "재구매율",
	FigFirstResponse: "SLA 내 첫 응답한 불만", FigFirstResponseHours: "첫 응답까지 중앙값(시간)",
	FigResolution: "SLA 내 해결한 불만", FigResolutionHours: "해결까지 중앙값(시간)",
	FigSatisfaction: "만족도 1–5 (%d건 응답)", FigNPS: "NPS (%d건 응답)", FigReferrals: "추천 고객",
	FigPointsIssued: "적립 포인트", FigPointsRedeemed: "사용 포인트",

	KeyAddAgent: "상담원 추가", KeyRole: "역할", KeyCap: "한도", KeyDeactivate: "비활성화", KeyActivate: "다시 활성화",
	ColDisplay: "이름", ColRole: "역할", ColActive: "활성", ColCap: "한도", AskRole: "%s의 역할",
	DoneAgent: "상담원 %s 저장", AskCap: "%s의 개인 콜백 최대 건수", BadCap: "정수로 적어 주세요 (0: 기본값)",
	CapDefault: "기본값", AskDeactivate: "%s(%s) 계정을 비활성화할까요? 담당 콜백은 팀 공용으로, 통화 중인 콜백은 해제되고 콘솔은 더 쓸 수 없습니다.",
	DoneDeactivate: "%s 비활성화함", AskActivate: "%s이(가) 다시 로그인할 수 있게 할까요?", BadRole: "역할: agent, supervisor, admin",
	Yes: "예", No: "아니오",

	KeyEdit: "바꾸기", ColSetting: "항목", ColValue: "값", DonePolicy: "%s 변경함", WindowTitle: "통화 가능 시간: %s",
	BadClock: "시각은 HH:MM으로, 시작이 끝보다 앞서야 합니다", FieldFrom: "시작", FieldUntil: "끝", FieldExempt: "시간 제한 없음",
	CodeTitle: "통화 결과 %s", BadRetry: "재시도 간격은 분 단위 정수", FieldLabelKo: "이름(한국어)",
	FieldLabelEn: "이름(영어)", FieldRetry: "재시도", FieldNeedsNote: "메모 필수", DefaultIs: "기본 %d",

	AuditAll:       "모든 변경 기록 · f 필터",
	RefusedConsent: "콜백 #%d: 이 종류의 통화는 고객 동의가 필요한데, 동의하지 않았습니다",
	RefusedRole:    "%s 님은 %s(이)라 할 수 없는 일입니다", NeedNote: "이 통화 결과는 메모가 필요합니다: 먼저 메모를 쓰세요 (n)",
	NoteTooLong: "메모가 %d자입니다. 최대 %d자까지 쓸 수 있습니다", BadValue: "허용되지 않는 값입니다",
	NotFound: "찾을 수 없습니다 (지워졌을 수 있습니다)", BlockConsent: "⛔ 미동의", BlockAny: "전부", BlockWindowWord: "통화 시간 외",
	Final: "되돌릴 수 없음", ConfirmFinal: "\u201c%s\u201d(으)로 통화를 마칠까요? 다시 전화해서 되돌릴 수 없습니다. y 예 · n 아니오",
	KeyOpening: "다음 가능 시각", KeyUndoWrapup: "통화 결과 되돌리기", UndoHint: " · ctrl+z 되돌리기(2분)",
	WrapupUndone: "통화 결과를 되돌렸습니다: 콜백 #%s을(를) 다시 맡았습니다",
	ViewAll:      "전체", ViewMine: "개인", ViewPool: "팀", ViewOverdue: "지연", ViewToday: "오늘 예정", ViewBlocked: "통화 제한",
	SortNextBest: "순서: 지연 → 우선순위 → 예정", SortDueTime: "순서: 예정 시각", SortPriority: "순서: 우선순위",
	QueueTextTitle: "사유나 고객 이름으로 걸러 보기", QueueTextHint: "예: 배송, 김",
	QuitHolding: "%s 통화 중입니다", QuitRelease: "맡은 통화를 풀고 종료", QuitKeep: "점유 시간(%s)이 끝날 때까지 두고 종료",
	QuitStay: "계속하기", OnCall: "▶ 통화 중: %s #%d", OnCalls: "▶ 통화 %d건 맡음", KeyBackToCall: "통화 중 고객으로",
	NotOnCall: "맡은 통화가 없습니다", KeyPages: "쪽 넘김, 처음, 끝",
	DialDNC: "전화하지 않았습니다: 통화 거부(DNC) 고객입니다", OpenCallbacks: "예정된 콜백 (%d)",
	NoOpenCallbacks: "예정된 콜백 없음", Tries: "시도 %d/%d", Attempt: "%d번째 시도", BornIn: "%s년생", KeyChooseToast: "다른 알림",
	SecondCallback: "이 고객에게는 이미 예정된 콜백이 있습니다 (#%d, %s). 하나 더 잡으려면 enter를 한 번 더 누르세요",
	ColStatus:      "상태", ColPhone: "전화", KeyQueueView: "보기 바꾸기(전체·개인·팀…)", KeyQueueText: "글자로 거르기",
	OutsideHours: "⚠ 고객 통화 가능 시간(%s–%s) 밖입니다 · %s: 다음 가능 시각 %s",
	MovedToYou:   "%s 님이 콜백 %d건을 나에게 배정했습니다", MovedAway: "%s 님이 내 콜백 %d건을 %s에게 옮겼습니다",
	FreedYours: "%s 님이 %s 통화를 해제했습니다. 쓰던 메모는 남아 있습니다", CancelledYours: "%s 님이 %s을(를) 취소했습니다",
	ChangedYours: "%s 님이 %s을(를) 바꿨습니다", ExpiredYours: "%s: %s 통화 점유 시간이 끝나 대기열로 돌아갔습니다",
	Deactivated: "계정이 비활성화되었습니다. 이 콘솔은 더 이상 쓸 수 없습니다. 쓰던 메모는 임시 저장됩니다. q로 종료하세요.",
}

// Kind names a kind of call.
func (t Text) Kind(k string) string {
	ko := map[string]string{"service": "서비스", "complaint": "불만", "sales": "영업", "marketing": "마케팅"}
	if t.Lang == Korean {
		if s, ok := ko[k]; ok {
			return s
		}
	}
	return Safe(k)
}

// TierName names a tier by its code.
func (t Text) TierName(code string) string {
	ko := map[string]string{"basic": "일반", "silver": "실버", "gold": "골드", "vip": "VIP"}
	en := map[string]string{"basic": "Basic", "silver": "Silver", "gold": "Gold", "vip": "VIP"}
	m := en
	if t.Lang == Korean {
		m = ko
	}
	if s, ok := m[code]; ok {
		return s
	}
	return Safe(code)
}

// SortName names a sort key of the team table.
func (t Text) SortName(k string) string {
	ko := map[string]string{"": "처리 순서", "due": "예정", "priority": "우선순위", "customer": "고객", "owner": "담당",
		"state": "상태", "kind": "종류", "attempts": "시도", "tier": "등급", "reason": "사유"}
	en := map[string]string{"": "next best", "due": "due", "priority": "priority", "customer": "customer", "owner": "owner",
		"state": "state", "kind": "kind", "attempts": "tries", "tier": "tier", "reason": "reason"}
	if t.Lang == Korean {
		return ko[k]
	}
	return en[k]
}

// SettingName names a policy setting.
func (t Text) SettingName(key string) string {
	ko := map[string]string{"policy.lease_minutes": "통화 점유 시간", "policy.auto_pool_minutes": "지연 시 팀 공용으로",
		"policy.max_active": "상담원별 개인 콜백 한도", "policy.max_attempts": "최대 시도 횟수",
		"policy.reminder_lead_minutes": "미리 알림", "sla.first_response_hours": "불만 첫 응답 SLA",
		"sla.resolution_hours": "불만 해결 SLA", "policy.default_due_hour": "시각 없는 날짜의 예정 시각",
		"policy.best_time_first": "다음 통화: 지금 잘 받는 고객 먼저"}
	en := map[string]string{"policy.lease_minutes": "Claim lease", "policy.auto_pool_minutes": "Overdue to pool after",
		"policy.max_active": "Personal callbacks per agent", "policy.max_attempts": "Attempts before failing",
		"policy.reminder_lead_minutes": "Reminder ahead", "sla.first_response_hours": "Complaint first-response SLA",
		"sla.resolution_hours": "Complaint resolution SLA", "policy.default_due_hour": "Due hour of a date without a time",
		"policy.best_time_first": "Claim next: customers in their best time first"}
	m := en
	if t.Lang == Korean {
		m = ko
	}
	if s, ok := m[key]; ok {
		return s
	}
	return key
}

// Unit names a setting's unit.
func (t Text) Unit(u string) string {
	switch u {
	case "minutes":
		return strings.TrimSpace(t.Minute)
	case "o'clock":
		if t.Lang == Korean {
			return "시"
		}
		return ":00"
	case "hours":
		return strings.TrimSpace(t.Hour)
	case "switch":
		if t.Lang == Korean {
			return "(0 끔 · 1 켬)"
		}
		return "(0 off · 1 on)"
	}
	return ""
}

// BulkText says what a bulk action (or its undo) did, with the callbacks
// left alone and why: "3 moved to junho · 2 left alone: #12 changed, #20
// minji is on it".
func (t Text) BulkText(res queue.BulkResult, undo bool) string {
	var s string
	switch {
	case undo:
		s = Sprintf(t.Undone, Thousands(int64(res.Changed)))
	case res.Action == queue.BulkReassign:
		to := res.To
		if to == "pool" {
			to = t.TeamPool
		}
		s = Sprintf(t.BulkMoved, Thousands(int64(res.Changed)), to)
	default:
		s = Sprintf(t.BulkDone, t.BulkAction(res.Action), Thousands(int64(res.Changed)))
	}
	if res.Passed > 0 {
		var why []string
		for i, sk := range res.Skipped {
			if i == 5 {
				why = append(why, "…")
				break
			}
			why = append(why, fmt.Sprintf("#%d %s", sk.ID, t.SkipWhy(sk)))
		}
		if res.Passed > len(res.Skipped) && len(res.Skipped) <= 5 {
			why = append(why, "…")
		}
		s += " · " + Sprintf(t.BulkSkipped, Thousands(int64(res.Passed)), strings.Join(why, ", "))
	}
	return s
}

// BulkAction names a bulk action.
func (t Text) BulkAction(a queue.BulkAction) string {
	ko := map[queue.BulkAction]string{queue.BulkReassign: "재배정", queue.BulkPriority: "우선순위", queue.BulkDue: "예정 시각",
		queue.BulkCancel: "취소", queue.BulkRelease: "통화 해제"}
	en := map[queue.BulkAction]string{queue.BulkReassign: "reassign", queue.BulkPriority: "priority", queue.BulkDue: "due time",
		queue.BulkCancel: "cancel", queue.BulkRelease: "free claims"}
	if t.Lang == Korean {
		return ko[a]
	}
	return en[a]
}

// SkipWhy says why a bulk action left a callback alone.
func (t Text) SkipWhy(sk queue.Skipped) string {
	ko := map[queue.SkipReason]string{queue.SkipChanged: "그 사이 바뀜", queue.SkipClosed: "이미 종료", queue.SkipClaimed: "%s 통화 중",
		queue.SkipNotClaimed: "통화 중 아님", queue.SkipAtCap: "한도 초과", queue.SkipSame: "이미 그렇게 됨", queue.SkipMissing: "없음"}
	en := map[queue.SkipReason]string{queue.SkipChanged: "changed meanwhile", queue.SkipClosed: "closed", queue.SkipClaimed: "%s is on it",
		queue.SkipNotClaimed: "not claimed", queue.SkipAtCap: "at their cap", queue.SkipSame: "already so", queue.SkipMissing: "no such callback"}
	m := en
	if t.Lang == Korean {
		m = ko
	}
	s := m[sk.Why]
	if strings.Contains(s, "%s") {
		return Sprintf(s, Safe(sk.Who))
	}
	return s
}

// QueueView names a quick view of the queue.
func (t Text) QueueView(v int) string {
	return []string{t.ViewAll, t.ViewMine, t.ViewPool, t.ViewOverdue, t.ViewToday, t.ViewBlocked}[v]
}

// QueueSort names an order of the queue.
func (t Text) QueueSort(i int) string {
	return []string{t.SortNextBest, t.SortDueTime, t.SortPriority}[i]
}

// UndoQuestion asks whether to take back a bulk action, saying what it
// was: "Move 12 callbacks back from the pool to 박소라?".
func (t Text) UndoQuestion(p queue.Pending) string {
	n := Thousands(int64(p.Count))
	var q string
	switch p.Action {
	case queue.BulkReassign:
		q = Sprintf(t.UndoMove, n, t.owners(p.Now), t.owners(p.Back))
	case queue.BulkPriority:
		q = Sprintf(t.UndoPriority, n)
	case queue.BulkDue:
		q = Sprintf(t.UndoDue, n)
	default:
		q = Sprintf(t.UndoCancel, n)
	}
	return q + t.ConfirmUndo
}

// owners names where callbacks are: agents by name, "" as the pool, a few
// at most.
func (t Text) owners(names []string) string {
	out := make([]string, 0, len(names))
	for i, n := range names {
		switch {
		case i == 3:
			out = append(out, "…")
		case n == "":
			out = append(out, t.UndoPool)
		default:
			out = append(out, Safe(n))
		}
	}
	return strings.Join(out, ", ")
}
