package crm

import "testing"

func TestInitials(t *testing.T) {
	cases := map[string]string{"김민준": "ㄱㅁㅈ", "남궁지우": "ㄴㄱㅈㅇ", "빠른 꿩": "ㅃㄹ ㄲ", "Emily 박": "Emily ㅂ", "": ""}
	for in, want := range cases {
		if got := Initials(in); got != want {
			t.Errorf("Initials(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatchHangul(t *testing.T) {
	cases := []struct {
		name, query string
		want        bool
	}{
		{"김민준", "ㄱㅁㅈ", true},
		{"김민준", "김ㅁ", true},
		{"김민준", "ㅁㅈ", true},
		{"김민준", "민준", true},
		{"김민준", "김민준", true},
		{"김민준", "ㄱㅁ준", true},
		{"김민준", "ㄱㅈ", false},
		{"김민준", "이ㅁ", false},
		{"김민준", "김민준이", false},
		{"남궁지우", "ㄴㄱㅈ", true},
		{"남궁지우", "궁지", true},
		{"이서연", "ㅅㅇ", true},
	}
	for _, c := range cases {
		if got := matchHangul(c.name, c.query); got != c.want {
			t.Errorf("matchHangul(%q, %q) = %v, want %v", c.name, c.query, got, c.want)
		}
	}
}
