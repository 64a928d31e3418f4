// Package ingest reads the customer files people really have: CSV with
// quoted fields, embedded commas and newlines; UTF-8 with or without a
// BOM, or CP949/EUC-KR (detected, or named); comma, tab or semicolon
// separated. It finds each column's meaning from its header in Korean or
// English (or a --map), and keeps every column it does not know as an
// attribute, so nothing in a file is silently dropped. It only reads:
// crm decides what a row does to the database.
package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dangol/dangol/clean"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/transform"
)

// Field is what a column means.
type Field string

const (
	ExternalID Field = "external_id" // the customer's number in the system the file came from
	Name       Field = "name"        // the full name
	Family     Field = "family_name" // 성, with Given: the name is the two together
	Given      Field = "given_name"
	Roman      Field = "name_roman"
	Phone      Field = "phone" // several columns may be phones
	Email      Field = "email"
	Birthday   Field = "birthday"
	Joined     Field = "joined"
	Lang       Field = "language" // ko or en
	TZ         Field = "time_zone"
	DNC        Field = "do_not_call" // yes/no, 예/아니오, 1/0, true/false
	Marketing  Field = "consent_marketing"
	SMS        Field = "consent_sms"
	EmailOK    Field = "consent_email"
	Points     Field = "points" // a balance
	Tier       Field = "tier"   // a membership tier, by code or name (gold, 골드)
	Attribute  Field = ""       // anything else: kept under its header

	// History files name the customer (ExternalID, CustomerNo or Phone)
	// and say what happened when.
	CustomerNo Field = "customer"  // dangol's own customer number
	At         Field = "at"        // when: a date, or a date and time
	Channel    Field = "channel"   // phone, sms, email, chat, visit, 080 / store, online
	Direction  Field = "direction" // in or out
	AgentName  Field = "agent"     // the agent's login name
	Body       Field = "note"
	Item       Field = "item"
	Amount     Field = "amount"
	Kind       Field = "kind"     // a callback's: service, complaint, sales, marketing
	Priority   Field = "priority" // a callback's: 1 (most urgent) to 5
)

// HistoryFields are the fields a --map may name in a history file.
var HistoryFields = []Field{ExternalID, CustomerNo, Phone, At, Channel, Direction, AgentName, Body, Item, Amount, Kind, Priority}

// HistoryHeaders are the column names of interaction and purchase files.
var HistoryHeaders = map[string]Field{
	"고객번호": ExternalID, "회원번호": ExternalID, "customerid": ExternalID, "externalid": ExternalID, "memberid": ExternalID,
	"customer": CustomerNo, "dangolid": CustomerNo, "customerno": CustomerNo,
	"phone": Phone, "전화번호": Phone, "휴대폰": Phone, "연락처": Phone, "mobile": Phone,
	"at": At, "date": At, "datetime": At, "time": At, "createdat": At, "purchasedat": At, "일시": At, "날짜": At,
	"상담일시": At, "구매일": At, "구매일시": At, "일자": At,
	"channel": Channel, "채널": Channel, "경로": Channel,
	"direction": Direction, "방향": Direction, "수발신": Direction,
	"agent": AgentName, "상담원": AgentName, "담당자": AgentName,
	"note": Body, "notes": Body, "body": Body, "memo": Body, "메모": Body, "내용": Body, "상담내용": Body,
	"due": At, "dueat": At, "예정": At, "예정일시": At, "콜백일시": At, "reason": Body, "사유": Body, "용건": Body,
	"kind": Kind, "종류": Kind, "유형": Kind, "priority": Priority, "우선순위": Priority, "owner": AgentName,
	"item": Item, "product": Item, "상품": Item, "상품명": Item, "품목": Item,
	"amount": Amount, "price": Amount, "금액": Amount, "결제금액": Amount,
}

// Fields are the fields a --map may name.
var Fields = []Field{ExternalID, Name, Family, Given, Roman, Phone, Email, Birthday, Joined, Lang, TZ, DNC, Marketing, SMS, EmailOK, Points, Tier}

// headers are the column names people use, folded (lower case, no spaces,
// dashes, dots or underscores).
var headers = map[string]Field{
	"id": ExternalID, "customerid": ExternalID, "externalid": ExternalID, "customerno": ExternalID, "memberid": ExternalID,
	"고객번호": ExternalID, "회원번호": ExternalID, "고객id": ExternalID, "회원id": ExternalID,
	"name": Name, "fullname": Name, "customername": Name, "customer": Name, "이름": Name, "성명": Name, "고객명": Name, "회원명": Name,
	"lastname": Family, "familyname": Family, "surname": Family, "성": Family,
	"firstname": Given, "givenname": Given,
	"romanname": Roman, "nameroman": Roman, "englishname": Roman, "영문이름": Roman, "영문명": Roman,
	"phone": Phone, "phonenumber": Phone, "mobile": Phone, "mobilephone": Phone, "cell": Phone, "cellphone": Phone, "tel": Phone,
	"telephone": Phone, "homephone": Phone, "workphone": Phone, "전화번호": Phone, "전화": Phone, "휴대폰": Phone, "휴대전화": Phone,
	"핸드폰": Phone, "연락처": Phone, "휴대폰번호": Phone, "집전화": Phone, "businessphone": Phone, "otherphone": Phone,
	"homephone2": Phone, "핸드폰번호": Phone, "휴대전화번호": Phone, "전화번호2": Phone,
	"email": Email, "emailaddress": Email, "mail": Email, "이메일": Email, "메일": Email, "전자우편": Email, "이메일주소": Email, "메일주소": Email,
	"birthday": Birthday, "birthdate": Birthday, "dateofbirth": Birthday, "dob": Birthday, "생년월일": Birthday, "생일": Birthday,
	"primaryphone": Phone, "primaryemail": Email,
	"language": Lang, "lang": Lang, "언어": Lang, "timezone": TZ, "tz": TZ, "시간대": TZ,
	"donotcall": DNC, "dnc": DNC, "수신거부": DNC, "통화거부": DNC, "전화거부": DNC,
	"consentmarketing": Marketing, "marketingconsent": Marketing, "마케팅동의": Marketing, "마케팅수신동의": Marketing,
	"consentsms": SMS, "smsconsent": SMS, "문자수신동의": SMS, "sms수신동의": SMS,
	"consentemail": EmailOK, "emailconsent": EmailOK, "이메일수신동의": EmailOK,
	"points": Points, "포인트": Points, "적립금": Points,
	"tier": Tier, "membershiptier": Tier, "membership": Tier, "등급": Tier, "회원등급": Tier, "고객등급": Tier, "멤버십등급": Tier,
	"joined": Joined, "joindate": Joined, "signupdate": Joined, "since": Joined, "customersince": Joined, "가입일": Joined,
	"가입일자": Joined, "등록일": Joined,
}

// known is the field of a folded header: as the table has it, or, for a
// phone or an e-mail, as exports number and suffix them ("Phone 1",
// "Phone 1 - Value", "E-mail 2 Address", "연락처2"). A "Phone 1 - Type"
// column is not a number: it stays an attribute.
func known(table map[string]Field, h string) Field {
	if f, ok := table[h]; ok {
		return f
	}
	base := h
	for _, suffix := range []string{"value", "address", "number", "번호"} {
		base = strings.TrimSuffix(base, suffix)
	}
	base = strings.TrimRightFunc(base, unicode.IsDigit)
	if f := table[base]; f == Phone || f == Email {
		return f
	}
	return table[h]
}

// Fold is a header as the table above keys it.
func Fold(h string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '-', r == '_', r == '.', r == '\uFEFF':
			return -1
		}
		return unicode.ToLower(r)
	}, h)
}

// Row is one record of the file: its first line, its values by field
// (in column order) and the columns kept as attributes.
type Row struct {
	Line   int
	Values map[Field][]string
	Attrs  [][2]string // header, value; blank values left out
}

// Get is the first non-blank value of a field.
func (r Row) Get(f Field) string {
	for _, v := range r.Values[f] {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Reader reads rows.
type Reader struct {
	Header   []string
	Columns  []Field // each column's field
	Unknown  []string
	Encoding string // utf-8 or cp949
	Comma    rune
	csv      *csv.Reader
	guard    *guard
}

// Options say how to read a file.
type Options struct {
	Encoding string           // "", "utf-8" or "cp949"; "" detects
	Map      map[string]Field // header (as written, or folded) → field, over the built-in names
	// Headers are the built-in names (default: a customer file's); Need
	// are fields the file must have, each a list of alternatives
	// (default: a name, whole or in parts).
	Headers map[string]Field
	Need    [][]Field
}

// NewReader reads the header of r and works out each column.
func NewReader(r io.Reader, o Options) (*Reader, error) {
	g := newGuard(r)
	br := bufio.NewReaderSize(g, 64*1024)
	head, _ := br.Peek(64 * 1024)
	rd := &Reader{guard: g}
	var src io.Reader = br
	switch strings.ToLower(strings.ReplaceAll(o.Encoding, "-", "")) {
	case "utf8":
		rd.Encoding = "utf-8"
	case "cp949", "euckr":
		rd.Encoding = "cp949"
	case "":
		rd.Encoding = detect(head)
	default:
		return nil, fmt.Errorf("encoding %q: use utf-8 or cp949", o.Encoding)
	}
	if bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
		head = head[3:]
		rd.Encoding = "utf-8"
	}
	if rd.Encoding == "cp949" {
		src = transform.NewReader(br, korean.EUCKR.NewDecoder())
		if dec, _, err := transform.Bytes(korean.EUCKR.NewDecoder(), head); err == nil {
			head = dec
		}
	}
	rd.Comma = delimiter(head)
	rd.csv = csv.NewReader(src)
	rd.csv.Comma = rd.Comma
	rd.csv.FieldsPerRecord = -1
	rd.csv.ReuseRecord = false
	header, err := rd.csv.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty: no header line")
	}
	if err != nil {
		return nil, fmt.Errorf("the header line: %w", err)
	}
	if _, cut := g.wasCut(1, 1); cut {
		return nil, fmt.Errorf("the header line is longer than %d bytes: is this a CSV or TSV file?", MaxRecord)
	}
	if rd.Encoding == "utf-8" && !utf8.ValidString(strings.Join(header, "")) {
		return nil, errors.New("the header line is not valid UTF-8: name the encoding with --encoding cp949 if the file is CP949")
	}
	rd.Header = header
	maps := map[string]Field{}
	for k, v := range o.Map {
		maps[Fold(k)] = v
	}
	builtIn := o.Headers
	if builtIn == nil {
		builtIn = headers
	}
	hasFamily := false
	for _, h := range header {
		f, ok := maps[Fold(h)]
		if !ok {
			f = known(builtIn, Fold(h))
		}
		if f == Family {
			hasFamily = true
		}
		rd.Columns = append(rd.Columns, f)
	}
	for i, f := range rd.Columns {
		if f == Name && hasFamily { // 성 + 이름: 이름 is the given name
			if _, mapped := maps[Fold(header[i])]; !mapped {
				rd.Columns[i] = Given
			}
		}
		if f == Attribute {
			rd.Unknown = append(rd.Unknown, header[i])
		}
	}
	if err := rd.duplicates(maps); err != nil {
		return nil, err
	}
	need := o.Need
	if need == nil {
		need = [][]Field{{Name, Family, Given}}
	}
	for _, alts := range need {
		found := false
		for _, f := range alts {
			found = found || rd.has(f)
		}
		if !found {
			return nil, fmt.Errorf("no column holds the %s (header: %s); name one with --map COLUMN=%s",
				alts[0], headerText(header), alts[0])
		}
	}
	return rd, nil
}

// single are the fields a customer has one of: two columns of one would
// leave one of them out.
func single(f Field) bool { return f != Phone && f != Email && f != Attribute }

// duplicates refuses a header whose columns collide: two columns kept as
// attributes under the same name (once folded), or two columns of a field
// a customer has one of, unless a --map said which one it is. Several
// phone or e-mail columns are all kept.
func (rd *Reader) duplicates(maps map[string]Field) error {
	seen := map[string]int{}
	byField := map[Field]int{}
	for i, h := range rd.Header {
		f := Fold(h)
		if j, ok := seen[f]; ok && f != "" && rd.Columns[i] == Attribute && rd.Columns[j] == Attribute {
			return fmt.Errorf("columns %d and %d are both %q: rename one, or say what one holds with --map (e.g. --map '%s=attribute')",
				j+1, i+1, clean.Excerpt(h, 40), clean.Excerpt(h, 40))
		}
		seen[f] = i
		c := rd.Columns[i]
		if !single(c) {
			continue
		}
		if j, ok := byField[c]; ok {
			_, mi := maps[Fold(h)]
			_, mj := maps[Fold(rd.Header[j])]
			switch {
			case mi && !mj: // --map named this one: the other is kept as an attribute
				rd.Columns[j] = Attribute
				rd.Unknown = append(rd.Unknown, rd.Header[j])
			case mj && !mi:
				rd.Columns[i] = Attribute
				rd.Unknown = append(rd.Unknown, h)
				continue
			default:
				return fmt.Errorf("columns %d (%s) and %d (%s) both hold the %s: say which with --map (e.g. --map '%s=attribute')",
					j+1, clean.Excerpt(rd.Header[j], 40), i+1, clean.Excerpt(h, 40), clean.Excerpt(string(c), 40), clean.Excerpt(h, 40))
			}
		}
		byField[c] = i
	}
	return nil
}

// headerText is a header for a message: each cell safe and short.
func headerText(header []string) string {
	cells := make([]string, 0, min(len(header), 12))
	for i, h := range header {
		if i == 12 {
			cells = append(cells, fmt.Sprintf("… %d more", len(header)-12))
			break
		}
		cells = append(cells, clean.Excerpt(h, 30))
	}
	return strings.Join(cells, ", ")
}

func (rd *Reader) has(f Field) bool {
	for _, c := range rd.Columns {
		if c == f {
			return true
		}
	}
	return false
}

// Next reads the next row. A record the CSV reader cannot read is
// returned as a *RowError with its line, and reading goes on after it.
func (rd *Reader) Next() (Row, error) {
	rec, err := rd.csv.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if l, cut := rd.guard.wasCut(pe.StartLine, pe.Line); cut {
				return Row{}, &RowError{Line: l, Why: fmt.Sprintf("longer than %d bytes: the row is left out", MaxRecord)}
			}
			return Row{}, &RowError{Line: pe.StartLine, Why: pe.Err.Error()}
		}
		return Row{}, err
	}
	line, _ := rd.csv.FieldPos(0)
	last, _ := rd.csv.FieldPos(len(rec) - 1)
	last += strings.Count(rec[len(rec)-1], "\n") // a quoted field's lines
	if l, cut := rd.guard.wasCut(line, last); cut {
		return Row{}, &RowError{Line: l, Why: fmt.Sprintf("longer than %d bytes: the row is left out", MaxRecord)}
	}
	if rd.Encoding == "utf-8" {
		for _, v := range rec {
			if !utf8.ValidString(v) {
				return Row{}, &RowError{Line: line, Why: "not valid UTF-8 (the file is read as UTF-8): the row is left out"}
			}
		}
	}
	row := Row{Line: line, Values: map[Field][]string{}}
	for i, v := range rec {
		v = unguard(v)
		if i >= len(rd.Columns) {
			if strings.TrimSpace(v) != "" {
				row.Attrs = append(row.Attrs, [2]string{fmt.Sprintf("column %d", i+1), v})
			}
			continue
		}
		f := rd.Columns[i]
		if f == Attribute {
			if strings.TrimSpace(v) != "" {
				row.Attrs = append(row.Attrs, [2]string{rd.Header[i], v})
			}
			continue
		}
		row.Values[f] = append(row.Values[f], v)
	}
	if row.Get(Name) == "" && (row.Get(Family) != "" || row.Get(Given) != "") {
		fam, given := row.Get(Family), row.Get(Given)
		switch {
		case fam != "" && given != "" && isHangul(fam+given):
			row.Values[Name] = []string{fam + given}
		default:
			row.Values[Name] = []string{strings.TrimSpace(given + " " + fam)}
		}
	}
	return row, nil
}

// unguard undoes the apostrophe a spreadsheet-safe export (dangol's own,
// and the common practice) puts before a cell that would start a formula:
// '+821012345678 is the number.
func unguard(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(v[1])) {
		return v[1:]
	}
	return v
}

// RowError is a record that could not be read.
type RowError struct {
	Line int
	Why  string
}

func (e *RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Why) }

// detect says whether the start of a file is UTF-8 or CP949: CP949 text
// is almost never valid UTF-8. A start that holds UTF-8 beyond ASCII and
// only a stray invalid byte or two is UTF-8 (those rows are errors of their
// own): a whole file is read as CP949 only when its text is not UTF-8.
func detect(head []byte) string {
	for i := 0; i < 4 && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1] // a rune cut by the peek's end
	}
	if utf8.Valid(head) {
		return "utf-8"
	}
	valid, invalid := 0, 0
	for i := 0; i < len(head); {
		r, size := utf8.DecodeRune(head[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			invalid++
		case size > 1:
			valid++
		}
		i += size
	}
	if valid > 4*invalid {
		return "utf-8"
	}
	return "cp949"
}

// delimiter is the separator of the header line: comma, tab or
// semicolon, whichever it holds most of outside quotes.
func delimiter(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(line) {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ',' || r == '\t' || r == ';'):
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{'\t', ';'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

func isHangul(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}
