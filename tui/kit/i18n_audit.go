package kit

import "strings"

// The audit log's words: what was changed and how, in the screen's
// language. A code without a word here is shown as it is stored, its
// underscores as spaces.

var auditEntitiesKo = map[string]string{"callback": "콜백", "customer": "고객", "interaction": "메모", "complaint": "불만",
	"agent": "상담원", "bulk": "일괄 작업", "policy": "정책", "permission": "권한", "ssh": "SSH", "merge": "합치기"}

var auditActionsKo = map[string]string{"create": "생성", "edit": "수정", "claim": "맡음", "release": "해제",
	"disposition": "통화 결과", "undo_wrapup": "결과 되돌림", "to_pool": "팀 공용으로", "reassign": "담당 변경",
	"cancel": "취소", "undo": "되돌림", "priority": "우선순위", "due": "예정 변경", "lease_expired": "점유 만료",
	"refused": "거절됨", "purchase": "구매", "points": "포인트", "referral": "추천", "feedback": "만족도",
	"phone_invalid": "번호 오류", "open": "접수", "resolve": "해결", "respond": "응대", "merge": "합침", "merge_undo": "합치기 되돌림",
	"forget": "삭제 요청", "key_add": "키 추가", "key_remove": "키 삭제", "login_refused": "로그인 거절",
	"connections_refused": "연결 거절", "activate": "활성화", "deactivate": "비활성화", "window": "통화 시간",
	"snooze": "알림 미룸", "dnc": "통화 거부", "setting": "설정"}

// AuditEntity names the kind of thing an audit row is about.
func (t Text) AuditEntity(e string) string { return t.auditWord(auditEntitiesKo, e) }

// AuditAction names what an audit row did.
func (t Text) AuditAction(a string) string { return t.auditWord(auditActionsKo, a) }

func (t Text) auditWord(ko map[string]string, code string) string {
	if w, ok := ko[code]; ok && t.Lang == Korean {
		return w
	}
	return Safe(strings.ReplaceAll(code, "_", " "))
}
