package kit

import (
	"strings"
	"testing"

	"github.com/dangol/dangol/crm"
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
