package crm

// Name material for demo data: common Korean surnames with their usual
// romanization and rough frequency, popular given names, and a few English
// names for customers who prefer English.

type romanized struct {
	hangul, roman string
	weight        int
}

var surnames = []romanized{
	{"김", "Kim", 215}, {"이", "Lee", 147}, {"박", "Park", 84}, {"최", "Choi", 47}, {"정", "Jung", 43},
	{"강", "Kang", 24}, {"조", "Cho", 21}, {"윤", "Yoon", 20}, {"장", "Jang", 20}, {"임", "Lim", 17},
	{"한", "Han", 15}, {"오", "Oh", 15}, {"서", "Seo", 15}, {"신", "Shin", 15}, {"권", "Kwon", 14},
	{"황", "Hwang", 14}, {"안", "Ahn", 14}, {"송", "Song", 14}, {"류", "Ryu", 12}, {"전", "Jeon", 11},
	{"홍", "Hong", 11}, {"고", "Ko", 9}, {"문", "Moon", 9}, {"양", "Yang", 9}, {"손", "Son", 9},
	{"배", "Bae", 8}, {"백", "Baek", 8}, {"허", "Heo", 6}, {"남", "Nam", 5}, {"노", "Noh", 5},
	{"남궁", "Namgung", 1}, {"선우", "Sunwoo", 1}, {"제갈", "Jegal", 1},
}

var givenNames = []romanized{
	{"민준", "Minjun", 10}, {"서연", "Seoyeon", 10}, {"도윤", "Doyun", 9}, {"서윤", "Seoyun", 9},
	{"하준", "Hajun", 8}, {"지우", "Jiwoo", 8}, {"시우", "Siwoo", 8}, {"하윤", "Hayun", 8},
	{"주원", "Juwon", 7}, {"지유", "Jiyu", 7}, {"지호", "Jiho", 7}, {"서현", "Seohyun", 7},
	{"예준", "Yejun", 6}, {"민서", "Minseo", 6}, {"건우", "Geonwoo", 6}, {"수아", "Sua", 6},
	{"현우", "Hyunwoo", 6}, {"지민", "Jimin", 6}, {"우진", "Woojin", 5}, {"채원", "Chaewon", 5},
	{"선우", "Sunwoo", 5}, {"지아", "Jia", 5}, {"연우", "Yeonwoo", 5}, {"다은", "Daeun", 5},
	{"유준", "Yujun", 4}, {"은서", "Eunseo", 4}, {"정우", "Jungwoo", 4}, {"예은", "Yeeun", 4},
	{"승현", "Seunghyun", 4}, {"수빈", "Subin", 4}, {"준서", "Junseo", 4}, {"지윤", "Jiyun", 4},
	{"영수", "Youngsoo", 3}, {"영희", "Younghee", 3}, {"철수", "Cheolsu", 3}, {"미경", "Mikyung", 3},
	{"상훈", "Sanghoon", 3}, {"정희", "Junghee", 3}, {"성민", "Sungmin", 3}, {"혜진", "Hyejin", 3},
	{"동현", "Donghyun", 3}, {"은지", "Eunji", 3}, {"재원", "Jaewon", 3}, {"소영", "Soyoung", 3},
	{"태윤", "Taeyun", 2}, {"나래", "Narae", 2}, {"한결", "Hangyeol", 2}, {"보람", "Boram", 2},
	{"순자", "Sunja", 2}, {"광수", "Kwangsu", 2}, {"옥순", "Oksun", 1}, {"길동", "Gildong", 1},
}

var englishFirst = []string{"Emily", "James", "Olivia", "Daniel", "Sophia", "Michael", "Grace", "David",
	"Hannah", "Ryan", "Chloe", "Jason", "Rachel", "Kevin", "Sarah", "Brian"}

var englishLast = []string{"Park", "Kim", "Lee", "Smith", "Wilson", "Brown", "Taylor", "Choi",
	"Johnson", "Martin", "Clark", "Lewis", "Walker", "Young", "Allen", "Scott"}

// abroad are time zones of customers who live outside Korea, with the
// country calling code and a number pattern for their phones.
var abroad = []struct {
	tz, prefix string
	digits     int
	area       []string
}{
	{"America/Los_Angeles", "+1", 7, []string{"213", "310", "415", "626"}},
	{"America/New_York", "+1", 7, []string{"212", "347", "646", "718"}},
	{"Europe/London", "+44", 8, []string{"20"}},
	{"Asia/Tokyo", "+81", 8, []string{"3"}},
}

var noteTemplates = map[Channel][]string{
	ChannelPhone: {
		"배송 지연 문의. 택배사 확인 후 내일 오전 도착 예정 안내함.",
		"교환 요청. 사이즈 교체 접수, 회수 기사 방문 일정 문자로 안내.",
		"포인트 적립 누락 문의. 영수증 확인 후 수동 적립 처리함.",
		"멤버십 등급 문의. 현재 등급과 다음 등급 기준 설명함.",
		"환불 진행 상황 문의. 카드사 처리 3~5영업일 소요 안내.",
		"신제품 출시 안내 전화. 관심 있음, 카탈로그 이메일 발송 요청.",
		"부재중. 문자 남김.",
		"주소 변경 요청 처리. 다음 배송부터 새 주소 적용.",
		"Called about a late delivery; tracking shows it arrives tomorrow.",
	},
	Channel080: {
		"080 수신: 제품 불량(전원 안 켜짐) 신고. 교환 접수함.",
		"080 수신: 결제 오류 문의. 중복 결제 확인, 취소 처리.",
		"080 수신: 매장 영업시간 문의.",
		"080 수신: 회원 탈퇴 문의, 혜택 설명 후 유지하기로 함.",
	},
	ChannelSMS: {
		"배송 출발 알림 문자 발송.",
		"고객 문자: 내일 오후에 전화 부탁드립니다.",
		"생일 쿠폰 문자 발송.",
	},
	ChannelEmail: {
		"영수증 재발행 요청 이메일 회신 완료.",
		"불만 접수 이메일: 상담원 응대 태도 관련. 사과 메일 발송.",
		"Email: asked for an English invoice; sent.",
	},
	ChannelChat: {
		"채팅 상담: 쿠폰 사용 방법 안내.",
		"채팅 상담: 재고 문의, 입고 시 알림 신청.",
	},
	ChannelVisit: {
		"매장 방문: 제품 시연 후 구매 상담.",
		"매장 방문: A/S 접수, 2주 소요 안내.",
	},
}

var items = []struct {
	name  string
	price int64
}{
	{"무선 청소기", 389000}, {"공기청정기 필터", 45000}, {"전기밥솥", 219000}, {"에어프라이어", 129000},
	{"스킨케어 세트", 68000}, {"커피 원두 1kg", 32000}, {"운동화", 99000}, {"겨울 패딩", 259000},
	{"블루투스 이어폰", 149000}, {"텀블러", 25000}, {"건강기능식품 3개월", 87000}, {"침구 세트", 178000},
	{"정수기 렌탈 월납", 39900}, {"유아용 카시트", 320000}, {"노트북 파우치", 29000}, {"선물 세트", 55000},
}

var complaintSubjects = []string{
	"배송 지연 (7일 이상)", "불량품 수령", "환불 미처리", "상담원 응대 불만", "포인트 소멸 이의",
	"중복 결제", "A/S 기간 지연", "Wrong item delivered",
}
