package crm

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Working an imported row out before the database is touched: its clean
// values, its flags and its search keys (all CPU, done a batch ahead of
// the writes).

// importing is one row worked out: its clean values and its flags.
type importing struct {
	row      ImportRow
	phones   []importPhone
	emails   []string
	birthday string
	joined   int64
	lang, tz string
	dnc      *bool // nil: not said
	consent  [3]*bool
	points   *int64
	tier     string // a tier's code, or "" when the file says none
	attrs    map[string]string
	flags    []string
	keys     []string // the search keys of the row as a new customer
}

type importPhone struct{ e164, ext, raw string }

func prepareImport(r ImportRow, region string, now time.Time) (importing, string) {
	im := importing{row: r, attrs: map[string]string{}, joined: now.Unix()}
	im.row.Name = strings.TrimSpace(r.Name)
	im.row.ExternalID = strings.TrimSpace(r.ExternalID)
	if im.row.Name == "" {
		return im, "no name"
	}
	for _, a := range r.Attrs {
		im.attrs[strings.TrimSpace(a[0])] = strings.TrimSpace(a[1])
	}
	for _, p := range r.Phones {
		if strings.TrimSpace(p) == "" {
			continue
		}
		e164, ext, valid, err := ImportPhone(p, region)
		switch {
		case err != nil:
			im.flags = append(im.flags, fmt.Sprintf("phone %q is not a number: kept as text, never dialled", p))
		case !valid:
			im.flags = append(im.flags, fmt.Sprintf("phone %q is not in its country's numbering plan as known here: kept, check it", p))
		}
		im.phones = append(im.phones, importPhone{e164: e164, ext: ext, raw: strings.TrimSpace(p)})
	}
	for _, e := range r.Emails {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if checkEmail(e) != nil {
			im.flags = append(im.flags, fmt.Sprintf("e-mail %q is not an address: kept as an attribute", e))
			im.attrs["e-mail (unreadable)"] = e
			continue
		}
		if !hasFold(im.emails, e) {
			im.emails = append(im.emails, e)
		}
	}
	unread := func(what, key, v string) {
		im.flags = append(im.flags, fmt.Sprintf("%s %q does not read: kept as an attribute", what, v))
		im.attrs[key+" (unreadable)"] = v
	}
	if b := strings.TrimSpace(r.Birthday); b != "" {
		if d, ok := ReadTime(b, time.UTC); ok {
			im.birthday = d.Format("2006-01-02")
		} else {
			unread("birthday", "birthday", b)
		}
	}
	if j := strings.TrimSpace(r.Joined); j != "" {
		if d, ok := ReadTime(j, now.Location()); ok {
			im.joined = d.Unix()
		} else {
			unread("joining date", "joined", j)
		}
	}
	switch l := strings.ToLower(strings.TrimSpace(r.Lang)); {
	case l == "":
	case l == "ko" || l == "korean" || l == "한국어":
		im.lang = "ko"
	case l == "en" || l == "english" || l == "영어":
		im.lang = "en"
	default:
		unread("language", "language", r.Lang)
	}
	if z := strings.TrimSpace(r.TZ); z != "" {
		if _, err := time.LoadLocation(z); err == nil {
			im.tz = z
		} else {
			unread("time zone", "time_zone", z)
		}
	}
	for _, f := range []struct {
		v    string
		key  string
		dest **bool
	}{{r.DNC, "do_not_call", &im.dnc}, {r.Marketing, "consent_marketing", &im.consent[0]},
		{r.SMS, "consent_sms", &im.consent[1]}, {r.EmailOK, "consent_email", &im.consent[2]}} {
		if strings.TrimSpace(f.v) == "" {
			continue
		}
		if v, ok := readFlag(f.v); ok {
			*f.dest = &v
		} else {
			unread(f.key, f.key, f.v)
		}
	}
	if p := strings.ReplaceAll(strings.TrimSpace(r.Points), ",", ""); p != "" {
		if n, err := strconv.ParseInt(p, 10, 64); err == nil && n >= 0 {
			im.points = &n
		} else {
			unread("points", "points", r.Points)
		}
	}
	if v := strings.TrimSpace(r.Tier); v != "" {
		if code, ok := importTiers[strings.ToLower(v)]; ok {
			im.tier = code
		} else {
			unread("tier", "tier", r.Tier)
		}
	}
	e164s := make([]string, len(im.phones))
	for i, p := range im.phones {
		e164s[i] = p.e164
	}
	im.keys = searchKeys(im.row.Name, strings.TrimSpace(im.row.NameRoman), e164s, im.emails)
	return im, ""
}

// ImportPlan is a batch of rows worked out before the database is
// touched: their clean values, flags, rejections and search keys. Making
// it is all CPU, so a reader makes the next batch's plan while the
// current one is written (PrepareImport, then ImportPlanned).
type ImportPlan struct {
	rows []importing
	// rejected rows, in line order among the rows
	rejected map[int]string
}

// PrepareImport works rows out for ImportPlanned, in region's convention
// for numbers without a country code.
func PrepareImport(rows []ImportRow, region string, now time.Time) ImportPlan {
	p := ImportPlan{rows: make([]importing, 0, len(rows))}
	for _, r := range rows {
		im, why := prepareImport(r, region, now)
		if why != "" {
			if p.rejected == nil {
				p.rejected = map[int]string{}
			}
			p.rejected[len(p.rows)] = why
		}
		p.rows = append(p.rows, im)
	}
	return p
}

func hasFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// importTiers are the tiers a file may name, by code and by name.
var importTiers = map[string]string{"basic": "basic", "일반": "basic", "silver": "silver", "실버": "silver",
	"gold": "gold", "골드": "gold", "vip": "vip"}
