package db

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Engine is what differs between the database engines dangol runs on,
// named and side by side, the one place that knows. Everything above db
// writes one SQL text per statement, to the stricter engine's rules: ?
// placeholders, positional arguments, RETURNING for new ids, an ORDER BY
// wherever order matters, and row locks (FOR UPDATE, FOR NO KEY UPDATE
// SKIP LOCKED) on the rows a read-then-write transaction reads. An
// engine rebinds that text for its driver before it runs.
type Engine interface {
	// Name is the engine's name: "sqlite" or "postgres".
	Name() string
	// Rebind rewrites a statement for the driver.
	Rebind(query string) string
	// Bind gives the arguments as the driver takes them.
	Bind(args []any) []any
	// JSONValues is a FROM item named alias whose column value holds the
	// elements of the JSON array given as one argument (a list of keys to
	// look up in one statement).
	JSONValues(alias string) string
}

// SQLite is the embedded engine. Its placeholders are ?, as written. It
// has no row locks and needs none: every write transaction begins
// IMMEDIATE and holds the database's one write lock until it ends, which
// is stronger than any row lock, so the lock clauses are dropped.
type SQLite struct{}

// Name is "sqlite".
func (SQLite) Name() string { return "sqlite" }

// Rebind drops the row-lock clauses (see SQLite).
func (SQLite) Rebind(query string) string { return rebound(&sqliteCache, query, dropLocks) }

// Bind passes the arguments as they are (go-sqlite3 stores a bool as
// 0/1), but for text that is not UTF-8 (see validText).
func (SQLite) Bind(args []any) []any { return validText(args) }

// validText gives args with every string made valid UTF-8, its bad bytes
// each U+FFFD: the database holds text on both engines, and PostgreSQL
// refuses a string that is not UTF-8 with a message about bytes. Hostile
// input (an imported cell, a pasted name) is kept, readable, instead. The
// caller's slice stays as it was.
func validText(args []any) []any {
	copied := false
	for i, a := range args {
		s, ok := a.(string)
		if !ok || utf8.ValidString(s) {
			continue
		}
		if !copied {
			args, copied = append([]any(nil), args...), true
		}
		args[i] = strings.ToValidUTF8(s, "\uFFFD")
	}
	return args
}

// JSONValues is json_each.
func (SQLite) JSONValues(alias string) string { return "json_each(?) " + alias }

// Postgres is PostgreSQL's SQL: placeholders numbered $1, $2, … in order;
// row locks kept.
type Postgres struct{}

// Name is "postgres".
func (Postgres) Name() string { return "postgres" }

// Rebind numbers the placeholders.
func (Postgres) Rebind(query string) string {
	return rebound(&postgresCache, query, numberPlaceholders)
}

// Bind turns bools into 0/1: dangol's flags are integer columns on both
// engines, and pgx does not write a bool into one. The caller's slice
// stays as it was.
func (Postgres) Bind(args []any) []any {
	args = validText(args)
	copied := false
	for i, a := range args {
		b, ok := a.(bool)
		if !ok {
			continue
		}
		if !copied {
			args, copied = append([]any(nil), args...), true
		}
		args[i] = int64(0)
		if b {
			args[i] = int64(1)
		}
	}
	return args
}

// JSONValues is json_array_elements_text.
func (Postgres) JSONValues(alias string) string {
	return "json_array_elements_text(CAST(? AS json)) AS " + alias + "(value)"
}

// The rebound statements are kept: dangol's SQL is constant text, a few
// hundred statements, and a claim must not scan its query on every call.
var sqliteCache, postgresCache sync.Map // query → rebound query

// rebound rewrites query once with each piece of code outside quotes and
// comments passed through rewrite; n counts placeholders across pieces.
func rebound(cache *sync.Map, query string, rewrite func(code string, n *int) string) string {
	if r, ok := cache.Load(query); ok {
		return r.(string)
	}
	var b strings.Builder
	n := 0
	for _, p := range pieces(query) {
		if p.code {
			b.WriteString(rewrite(p.text, &n))
		} else {
			b.WriteString(p.text)
		}
	}
	r := b.String()
	cache.Store(query, r)
	return r
}

// piece is a run of a statement: code, or a quoted string, a quoted
// name or a comment, which no rewrite touches.
type piece struct {
	text string
	code bool
}

// pieces cuts a statement into code and what is quoted or commented.
func pieces(q string) []piece {
	var out []piece
	start := 0
	for i := 0; i < len(q); i++ {
		var end int
		switch {
		case q[i] == '\'' || q[i] == '"':
			end = quoted(q, i)
		case strings.HasPrefix(q[i:], "--"):
			end = strings.IndexByte(q[i:], '\n')
			if end < 0 {
				end = len(q)
			} else {
				end += i
			}
		case strings.HasPrefix(q[i:], "/*"):
			end = strings.Index(q[i+2:], "*/")
			if end < 0 {
				end = len(q)
			} else {
				end += i + 4
			}
		default:
			continue
		}
		if i > start {
			out = append(out, piece{q[start:i], true})
		}
		out = append(out, piece{q[i:end], false})
		start, i = end, end-1
	}
	if start < len(q) {
		out = append(out, piece{q[start:], true})
	}
	return out
}

// quoted is where the quoted run opening at i ends: after its closing
// quote (a doubled quote is one quote inside it), or at the end.
func quoted(q string, i int) int {
	c := q[i]
	for j := i + 1; j < len(q); j++ {
		if q[j] == c {
			if j+1 < len(q) && q[j+1] == c {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(q)
}

// lockClause is a row-lock clause: FOR UPDATE, FOR NO KEY UPDATE, FOR
// SHARE, FOR KEY SHARE, of some tables (OF cb, c), with SKIP LOCKED or
// NOWAIT.
var lockClause = regexp.MustCompile(`(?i)\s+FOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)(?:\s+OF\s+\w+(?:\s*,\s*\w+)*)?(?:\s+SKIP\s+LOCKED|\s+NOWAIT)?\b`)

func dropLocks(code string, _ *int) string { return lockClause.ReplaceAllString(code, "") }

func numberPlaceholders(code string, n *int) string {
	if !strings.Contains(code, "?") {
		return code
	}
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		if code[i] != '?' {
			b.WriteByte(code[i])
			continue
		}
		*n++
		b.WriteString("$" + strconv.Itoa(*n))
	}
	return b.String()
}
