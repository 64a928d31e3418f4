package db

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// watchPostgres is Watch on PostgreSQL: a connection of its own LISTENs to
// the notices other nodes send after they commit (see notify), and each
// becomes a Change with what it was about. When the connection is lost (a
// restart, a standby promoted behind the same address) it connects again
// by itself, and then publishes one Change that makes every console reload:
// whatever was committed meanwhile was not heard.
func (d *DB) watchPostgres(ctx context.Context) error {
	conn, err := d.listen(ctx)
	if err != nil {
		return d.Describe(err)
	}
	go func() {
		defer func() { conn.Close(context.Background()) }()
		for {
			n, err := conn.WaitForNotification(ctx)
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				conn.Close(context.Background())
				if conn = d.relisten(ctx); conn == nil {
					return
				}
				d.gen.Add(1)
				d.Changes.Publish(Change{Action: External})
				continue
			}
			node, entity, _ := strings.Cut(n.Payload, " ")
			if node == d.pg.node {
				continue
			}
			if entity != Presence {
				d.gen.Add(1)
			}
			d.Changes.Publish(Change{Entity: entity, Action: External})
		}
	}()
	return nil
}

// listen opens the listening connection.
func (d *DB) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, d.pg.config.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `LISTEN `+notifyChannel); err != nil {
		conn.Close(context.Background())
		return nil, err
	}
	return conn, nil
}

// relisten connects again, waiting longer after each failure (at most
// two seconds), until it is back or ctx ends (nil).
func (d *DB) relisten(ctx context.Context) *pgx.Conn {
	wait := 50 * time.Millisecond
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		if conn, err := d.listen(ctx); err == nil {
			return conn
		}
		wait = min(2*wait, 2*time.Second)
	}
}
