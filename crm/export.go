package crm

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// colKind says how an exported value is written.
type colKind int

const (
	plain colKind = iota
	stamp         // Unix seconds, written as RFC 3339 local time
	flag          // 0/1, written as false/true
)

type exportCol struct {
	name string // readable field name in the output
	expr string // SQL expression
	kind colKind
}

type exportTable struct {
	from string
	cols []exportCol
}

// exportTables are what `dangol export` can write, with readable field names.
var exportTables = map[string]exportTable{
	"customers": {
		from: `customers c LEFT JOIN agents a ON a.id = c.last_contact_agent_id ORDER BY c.id`,
		cols: []exportCol{
			{"id", "c.id", plain}, {"name", "c.name", plain}, {"name_roman", "c.name_roman", plain},
			{"birthday", "c.birthday", plain}, {"language", "c.lang", plain}, {"time_zone", "c.tz", plain},
			{"tier", "c.tier", plain}, {"segment", "c.segment", plain}, {"points", "c.points", plain},
			{"do_not_call", "c.dnc", flag}, {"consent_marketing", "c.consent_marketing", flag},
			{"consent_sms", "c.consent_sms", flag}, {"consent_email", "c.consent_email", flag},
			{"primary_phone", "(SELECT e164 FROM phones WHERE customer_id = c.id ORDER BY is_primary DESC, id LIMIT 1)", plain},
			{"primary_email", "(SELECT address FROM emails WHERE customer_id = c.id ORDER BY is_primary DESC, id LIMIT 1)", plain},
			{"customer_since", "c.joined_at", stamp}, {"last_contact_at", "c.last_contact_at", stamp},
			{"last_contact_channel", "c.last_contact_channel", plain}, {"last_contact_agent", "a.name", plain},
			{"created_at", "c.created_at", stamp}, {"updated_at", "c.updated_at", stamp},
		},
	},
	"interactions": {
		from: `interactions i JOIN customers c ON c.id = i.customer_id LEFT JOIN agents a ON a.id = i.agent_id ORDER BY i.id`,
		cols: []exportCol{
			{"id", "i.id", plain}, {"customer_id", "i.customer_id", plain}, {"customer_name", "c.name", plain},
			{"agent", "a.name", plain}, {"channel", "i.channel", plain}, {"direction", "i.direction", plain},
			{"note", "i.body", plain}, {"callback_id", "i.callback_id", plain}, {"complaint_id", "i.complaint_id", plain},
			{"satisfaction", "i.satisfaction", plain}, {"would_recommend", "i.recommend", plain},
			{"created_at", "i.created_at", stamp},
		},
	},
	"callbacks": {
		from: `callbacks cb JOIN customers c ON c.id = cb.customer_id
			LEFT JOIN agents o ON o.id = cb.owner_id LEFT JOIN agents cl ON cl.id = cb.claimed_by
			LEFT JOIN agents cr ON cr.id = cb.created_by LEFT JOIN agents up ON up.id = cb.updated_by
			LEFT JOIN phones p ON p.id = cb.phone_id ORDER BY cb.id`,
		cols: []exportCol{
			{"id", "cb.id", plain}, {"customer_id", "cb.customer_id", plain}, {"customer_name", "c.name", plain},
			{"phone", "p.e164", plain}, {"kind", "cb.kind", plain}, {"reason", "cb.reason", plain},
			{"priority", "cb.priority", plain}, {"due_at", "cb.due_at", stamp},
			{"owner", "coalesce(o.name, 'pool')", plain}, {"state", "cb.state", plain},
			{"attempts", "cb.attempts", plain}, {"max_attempts", "cb.max_attempts", plain},
			{"claimed_by", "cl.name", plain}, {"lease_until", "cb.lease_until", stamp},
			{"disposition", "cb.disposition", plain}, {"created_at", "cb.created_at", stamp},
			{"created_by", "cr.name", plain}, {"updated_at", "cb.updated_at", stamp}, {"updated_by", "up.name", plain},
		},
	},
	"audit": {
		from: `audit_log ORDER BY id`,
		cols: []exportCol{
			{"id", "id", plain}, {"at", "at", stamp}, {"actor", "actor", plain}, {"entity", "entity", plain},
			{"entity_id", "entity_id", plain}, {"action", "action", plain}, {"from", "from_value", plain},
			{"to", "to_value", plain}, {"reason", "reason", plain},
		},
	},
}

// ExportTables lists the names Export accepts.
func ExportTables() []string {
	names := make([]string, 0, len(exportTables))
	for n := range exportTables {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ExportFormats lists the formats Export accepts.
var ExportFormats = []string{"csv", "jsonl"}

// UsageError is a bad table or format name: the caller's mistake, not the data's.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

// ExportOptions say how Export writes.
type ExportOptions struct {
	Format string         // csv or jsonl
	Loc    *time.Location // times are written in RFC 3339 at this zone
	// Raw writes csv cells exactly as stored. Without it a cell that a
	// spreadsheet would run as a formula (it begins with = + - @, a tab or
	// a carriage return) gets a leading apostrophe, and control characters
	// and invalid bytes become U+FFFD. jsonl is always exact.
	Raw bool
	// Audit limits the audit table to the rows it matches.
	Audit AuditFilter
}

// Export writes every row of table to w as csv (with a header) or jsonl (one
// object per line), streaming. Output is always whole rows: when reading
// fails part way (a damaged file, say), the rows read so far are written
// and the error says why the rest is missing.
func (s *Service) Export(ctx context.Context, w io.Writer, table string, o ExportOptions) error {
	t, ok := exportTables[table]
	if !ok {
		return &UsageError{fmt.Sprintf("unknown table %q: choose one of %s", table, strings.Join(ExportTables(), ", "))}
	}
	if o.Format != "csv" && o.Format != "jsonl" {
		return &UsageError{fmt.Sprintf("unknown format %q: choose csv or jsonl", o.Format)}
	}
	if o.Loc == nil {
		o.Loc = time.Local
	}
	exprs := make([]string, len(t.cols))
	for i, c := range t.cols {
		exprs[i] = c.expr
	}
	from, args := t.from, []any(nil)
	if table == "audit" {
		where, wargs := o.Audit.where()
		from, args = `audit_log`+where+` ORDER BY id`, wargs
	}
	rows, err := s.DB.Read.QueryContext(ctx, `SELECT `+strings.Join(exprs, ", ")+` FROM `+from, args...)
	if err != nil {
		return s.DB.Describe(err)
	}
	defer rows.Close()

	bw := bufio.NewWriterSize(w, 64<<10)
	var cw *csv.Writer
	flush := func() error {
		if cw != nil {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err
			}
		}
		return bw.Flush()
	}
	// fail writes out the whole rows already encoded, then reports err.
	fail := func(err error) error {
		if ferr := flush(); ferr != nil {
			return ferr
		}
		return s.DB.Describe(err)
	}
	if o.Format == "csv" {
		cw = csv.NewWriter(bw)
		header := make([]string, len(t.cols))
		for i, c := range t.cols {
			header[i] = c.name
		}
		if err := cw.Write(header); err != nil {
			return err
		}
	}
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	record := make([]string, len(t.cols))
	var line []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fail(err)
		}
		if cw != nil {
			for i, c := range t.cols {
				record[i] = csvValue(c.kind, vals[i], o.Loc)
				if !o.Raw {
					record[i] = SpreadsheetSafe(record[i])
				}
			}
			if err := cw.Write(record); err != nil {
				return err
			}
			continue
		}
		if line, err = appendJSONLine(line[:0], t.cols, vals, o.Loc); err != nil {
			return fail(err)
		}
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	return flush()
}

// plainNumber is a cell a spreadsheet reads as a number, never a formula,
// even when it begins with a minus sign.
var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// SpreadsheetSafe makes one csv cell harmless to a spreadsheet and to a
// terminal that prints the file: a cell that would start a formula gets
// the customary leading apostrophe (OWASP's advice for CSV injection), and
// control characters and invalid bytes become U+FFFD. Tabs, newlines and
// carriage returns inside a cell are kept; csv quoting carries them.
func SpreadsheetSafe(v string) string {
	if v == "" {
		return v
	}
	v = strings.ToValidUTF8(v, "\uFFFD")
	v = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return '\uFFFD'
		}
		return r
	}, v)
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if !plainNumber.MatchString(v) {
			return "'" + v
		}
	}
	return v
}

// exportValue converts a scanned value for output: nil stays nil.
func exportValue(kind colKind, v any, loc *time.Location) any {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	if v == nil {
		return nil
	}
	n, isInt := v.(int64)
	switch {
	case kind == stamp && isInt:
		return time.Unix(n, 0).In(loc).Format(time.RFC3339)
	case kind == flag && isInt:
		return n != 0
	}
	return v
}

func csvValue(kind colKind, v any, loc *time.Location) string {
	switch x := exportValue(kind, v, loc).(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	default:
		return fmt.Sprint(x)
	}
}

// appendJSONLine appends one object with the fields in table order and a
// newline to b.
func appendJSONLine(b []byte, cols []exportCol, vals []any, loc *time.Location) ([]byte, error) {
	b = append(b, '{')
	for i, c := range cols {
		if i > 0 {
			b = append(b, ',')
		}
		k, err := json.Marshal(c.name)
		if err != nil {
			return b, err
		}
		v, err := json.Marshal(exportValue(c.kind, vals[i], loc))
		if err != nil {
			return b, err
		}
		b = append(b, k...)
		b = append(b, ':')
		b = append(b, v...)
	}
	return append(b, '}', '\n'), nil
}
