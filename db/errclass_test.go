package db

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestErrorsAreClassifiedByCode: the classes code above db acts on come
// from the driver's codes, so a message worded otherwise (another engine,
// another version) is classified the same.
func TestErrorsAreClassifiedByCode(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	add := `INSERT INTO agents(name, display_name, role, active, created_at) VALUES ('mi', 'Mi', 'agent', 1, 0)`
	if _, err := d.ExecContext(ctx, add); err != nil {
		t.Fatal(err)
	}
	_, err = d.ExecContext(ctx, add)
	if !IsUnique(err) || IsForeignKey(err) {
		t.Errorf("a second agent of one name: %v is %v", err, ClassOf(err))
	}
	_, err = d.ExecContext(ctx, `INSERT INTO interactions(customer_id, channel, direction, body, created_at)
		VALUES (424242, 'phone', 'out', 'x', 0)`)
	if !IsForeignKey(err) || IsUnique(err) {
		t.Errorf("a note for no customer: %v is %v", err, ClassOf(err))
	}
	_, err = d.ExecContext(ctx, `INSERT INTO nowhere VALUES (1)`)
	if c := ClassOf(err); err == nil || c != Other {
		t.Errorf("a missing table: %v is %v", err, c)
	}
	if c := ClassOf(errors.New("UNIQUE constraint failed: FOREIGN KEY")); c != Other {
		t.Errorf("a message that only reads like a violation is %v", c)
	}
}
