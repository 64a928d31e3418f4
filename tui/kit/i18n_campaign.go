package kit

// CampaignText holds the strings of retention campaigns: the campaigns
// screen, its form, and the report (which `dangol campaign report` prints
// too). It is part of Text.
type CampaignText struct {
	ScreenCampaigns, CampaignNone, KeyNewCampaign, KeyPauseResume, KeyStopCampaign, KeyCampaignReport string
	ColCampaign, ColCState, ColSegment, ColCalled, ColControl, ColOpenCalls, ColMeasuredUntil         string
	FieldCName, FieldSegment, FieldControl, FieldCKind, FieldCReason, FieldAgents, FieldCUntil        string
	SegmentHint, AgentsHint, UntilHint, BadControl, BadUntil, NeedCampaignName                        string
	DoneCreate, DonePause, DoneResume, DoneStop, AskStop, CampaignWorking                             string

	CampaignActive, CampaignPaused, CampaignStopped, CampaignEnded string
	MetricRepeat, MetricReferral, MetricRedeem                     string

	RepHead, RepMeasured, RepComplete, RepSoFar, RepGroups, RepCalled, RepControlGroup, RepPrimary string
	RepBeside, RepReached, RepCalls, RepBought, RepSpend, RepPoints, RepReferrals, RepAtRisk       string
	RepOutcomes, RepNoCalls, RepInterval, RepOfN                                                   string
	VerdictEarly, VerdictRaised, VerdictLowered, VerdictNone, KeyBackToList                        string

	// The customer 360's best time to call.
	BestTimeLabel, BestTimeIs, BestTimeUnsure, BestTimeNone string
	BestTimeKey, NoBestTime                                 string
	BestDaysIs, DayNames                                    string
}

var englishCampaign = CampaignText{
	ScreenCampaigns: "Campaigns", CampaignNone: "No campaigns yet: n makes one from a segment.",
	KeyNewCampaign: "new campaign", KeyPauseResume: "pause/resume", KeyStopCampaign: "stop", KeyCampaignReport: "report",
	ColCampaign: "Campaign", ColCState: "State", ColSegment: "Segment", ColCalled: "Called", ColControl: "Control",
	ColOpenCalls: "Open", ColMeasuredUntil: "Measured to",
	FieldCName: "Name", FieldSegment: "Segment", FieldControl: "Control group %", FieldCKind: "Kind of call",
	FieldCReason: "Reason", FieldAgents: "Agents", FieldCUntil: "Last day",
	SegmentHint: "segment=at_risk, tier=gold|vip, churn=yes, last_purchase>90d, points>=1000",
	AgentsHint:  "minji,junho (empty: the pool)", UntilHint: "YYYY-MM-DD (empty: no end)",
	BadControl: "The control group is a whole percent from 1 to 50.", BadUntil: "Write the last day as YYYY-MM-DD.",
	NeedCampaignName: "The campaign needs a name.",
	DoneCreate:       "Campaign %s: %d to call, %d held out.", DonePause: "Campaign %s paused: %d call(s) off the queue.",
	DoneResume: "Campaign %s resumed: %d call(s) back on the queue.", DoneStop: "Campaign %s stopped: %d call(s) cancelled (p resumes it).",
	AskStop: "Stop campaign %s? Its %d open call(s) are cancelled; resuming takes it back.", CampaignWorking: "Building the campaign…",

	CampaignActive: "active", CampaignPaused: "paused", CampaignStopped: "stopped", CampaignEnded: "ended",
	MetricRepeat: "repeat purchases", MetricReferral: "referrals", MetricRedeem: "points use",

	RepHead:     "Campaign %s · %s · %s · %s",
	RepMeasured: "Measured %s → %s, %s · made by %s", RepComplete: "complete", RepSoFar: "so far (%d day(s) to go)",
	RepGroups: "%d called, %d held out as the control group (%d%%, seed %d)",
	RepCalled: "called", RepControlGroup: "control", RepPrimary: "%s: the primary metric",
	RepBeside: "Beside it (no verdict)", RepReached: "reached by an agent", RepCalls: "calls made · still to make",
	RepBought: "bought anything", RepSpend: "spend per customer", RepPoints: "points earned · used per customer",
	RepReferrals: "referrals made", RepAtRisk: "at churn risk at the end", RepOutcomes: "Outcomes", RepNoCalls: "no call made yet",
	RepInterval: "95 % interval: Newcombe's hybrid score interval for a difference of two proportions.", RepOfN: "%s of %d",
	VerdictEarly:   "Too early: measured until %s. So far %s, called %s against control %s.",
	VerdictRaised:  "Calls raised %s by %s points, 95 %% interval %s to %s.",
	VerdictLowered: "Calls lowered %s by %s points, 95 %% interval %s to %s.",
	VerdictNone:    "No measurable effect on %s: %s points, 95 %% interval %s to %s.",
	KeyBackToList:  "back to the list",

	BestTimeLabel: "Best time", BestTimeIs: "%s · %d of %d calls there answered · %d%% sure",
	BestDaysIs: "%s · %d of %d calls on those days answered · %d%% sure", DayNames: "Mon Tue Wed Thu Fri Sat Sun",
	BestTimeKey:    "%s or \"best time\": the next slot of %s, when they answer best",
	NoBestTime:     "no best time known for this customer yet: give a time",
	BestTimeUnsure: "not enough calls to tell yet · %d call(s)", BestTimeNone: "no calls yet between 08 and 22 their time",
}

var koreanCampaign = CampaignText{
	ScreenCampaigns: "캠페인", CampaignNone: "캠페인이 아직 없습니다: n으로 세그먼트에서 만듭니다.",
	KeyNewCampaign: "새 캠페인", KeyPauseResume: "일시 정지/재개", KeyStopCampaign: "중단", KeyCampaignReport: "보고서",
	ColCampaign: "캠페인", ColCState: "상태", ColSegment: "세그먼트", ColCalled: "대상", ColControl: "대조군",
	ColOpenCalls: "남음", ColMeasuredUntil: "측정 종료",
	FieldCName: "이름", FieldSegment: "세그먼트", FieldControl: "대조군 %", FieldCKind: "통화 종류",
	FieldCReason: "사유", FieldAgents: "상담원", FieldCUntil: "마지막 날",
	SegmentHint: "segment=at_risk, tier=gold|vip, churn=yes, last_purchase>90d, points>=1000",
	AgentsHint:  "minji,junho (비우면 팀 공용)", UntilHint: "YYYY-MM-DD (비우면 끝 없음)",
	BadControl: "대조군은 1에서 50 사이의 정수 퍼센트입니다.", BadUntil: "마지막 날은 YYYY-MM-DD로 적어 주세요.",
	NeedCampaignName: "캠페인 이름이 필요합니다.",
	DoneCreate:       "캠페인 %s: 통화 대상 %d명, 대조군 %d명.", DonePause: "캠페인 %s 일시 정지: 통화 %d건을 대기열에서 뺐습니다.",
	DoneResume: "캠페인 %s 재개: 통화 %d건을 대기열에 되돌렸습니다.", DoneStop: "캠페인 %s 중단: 통화 %d건 취소 (p로 재개).",
	AskStop: "캠페인 %s을(를) 중단할까요? 남은 통화 %d건이 취소되며, 재개하면 되돌아옵니다.", CampaignWorking: "캠페인을 만드는 중…",

	CampaignActive: "진행 중", CampaignPaused: "일시 정지", CampaignStopped: "중단", CampaignEnded: "종료",
	MetricRepeat: "재구매", MetricReferral: "추천", MetricRedeem: "포인트 사용",

	RepHead:     "캠페인 %s · %s · %s · %s",
	RepMeasured: "측정 기간 %s → %s, %s · 만든 사람 %s", RepComplete: "완료", RepSoFar: "진행 중 (%d일 남음)",
	RepGroups: "통화 대상 %d명, 대조군 %d명 (%d%%, 시드 %d)",
	RepCalled: "통화 대상", RepControlGroup: "대조군", RepPrimary: "%s: 주 지표",
	RepBeside: "참고 지표 (판정 없음)", RepReached: "상담원과 연결", RepCalls: "한 통화 · 남은 통화",
	RepBought: "구매한 고객", RepSpend: "고객당 구매액", RepPoints: "고객당 포인트 적립 · 사용",
	RepReferrals: "추천", RepAtRisk: "기간 끝 이탈 위험", RepOutcomes: "통화 결과", RepNoCalls: "아직 통화 없음",
	RepInterval: "95% 구간: 두 비율의 차이에 대한 Newcombe 하이브리드 스코어 구간.", RepOfN: "%[2]d명 중 %[1]s",
	VerdictEarly:   "아직 이릅니다: %s까지 측정합니다. 지금까지 %s: 통화 대상 %s, 대조군 %s.",
	VerdictRaised:  "전화로 %s이(가) %s포인트 올랐습니다 (95%% 구간 %s ~ %s).",
	VerdictLowered: "전화로 %s이(가) %s포인트 내려갔습니다 (95%% 구간 %s ~ %s).",
	VerdictNone:    "%s에 측정할 만한 효과가 없습니다: %s포인트 (95%% 구간 %s ~ %s).",
	KeyBackToList:  "목록으로",

	BestTimeLabel: "통화 적기", BestTimeIs: "%s · 그 시간 통화 %[3]d건 중 %[2]d건 연결 · 확신 %[4]d%%",
	BestDaysIs: "%s · 그 요일 통화 %[3]d건 중 %[2]d건 연결 · 확신 %[4]d%%", DayNames: "월 화 수 목 금 토 일",
	BestTimeKey:    "%s 또는 \"통화 잘 되는 시간\": 잘 받는 %s의 다음 시각",
	NoBestTime:     "이 고객의 통화 잘 되는 시간은 아직 모릅니다: 시각을 적어 주세요",
	BestTimeUnsure: "아직 판단할 통화가 부족합니다 · 통화 %d건", BestTimeNone: "현지 08~22시 통화 기록 없음",
}
