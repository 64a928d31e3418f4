package db

import (
	"errors"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
)

// PostgreSQL's SQLSTATE codes by class (Appendix A of its manual).
func pgClass(code string) Class {
	switch code {
	case "23505":
		return Unique
	case "23503":
		return ForeignKey
	case "40001", "40P01": // serialization failure, deadlock
		return Serialization
	case "55P03", "57014": // lock_not_available (lock_timeout), query_canceled (statement_timeout)
		return Busy
	case "25006": // read_only_sql_transaction
		return ReadOnly
	case "53100", "53200", "53400": // disk_full, out_of_memory, configuration_limit_exceeded
		return Full
	case "XX001", "XX002": // data_corrupted, index_corrupted
		return Damaged
	case "28P01", "28000", "3D000", "42501":
		return CannotOpen
	}
	if cutByServer(code) {
		return CannotOpen
	}
	if len(code) == 5 && code[:2] == "08" { // connection exception
		return CannotOpen
	}
	return Other
}

// pgCode is err's SQLSTATE, or "" when the server did not say one.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// isServerError reports an error from PostgreSQL or the way to it.
func isServerError(err error) bool { return pgCode(err) != "" || isConnectError(err) }

// isConnectError reports that the server could not be reached or the
// connection was lost, including one the server cut (cutByServer).
func isConnectError(err error) bool {
	var oe *net.OpError
	return unsent(err) || errors.As(err, &oe)
}

// unsent reports that a statement did not run: the server could not be
// reached, cut its connection (cutByServer), or the statement was never
// sent whole. A connection lost while the statement ran (a bare network
// error) is not one: outside a transaction, the statement may have
// committed.
func unsent(err error) bool {
	var ce *pgconn.ConnectError
	return cutByServer(pgCode(err)) || errors.As(err, &ce) || pgconn.SafeToRetry(err)
}

// cutByServer reports the codes of a connection the server cut, while a
// statement ran or as it was made: 57P01 (a fast shutdown, a restart,
// pg_terminate_backend), 57P02 (another backend crashed), 57P03 (the
// server is starting). A transaction on such a connection died with it,
// uncommitted.
func cutByServer(code string) bool {
	return code == "57P01" || code == "57P02" || code == "57P03"
}
