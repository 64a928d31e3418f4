package crm

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// newKey makes an SSH key pair and returns the public key's
// authorized_keys line.
func newKey(t *testing.T, comment string) (ssh.PublicKey, string) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return k, strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + " " + comment
}

func TestAgentKeys(t *testing.T) {
	s := newDemo(t, 5)
	ctx := context.Background()
	yuna, _ := s.AgentByName(ctx, "yuna")
	minji, _ := s.AgentByName(ctx, "minji")
	key, line := newKey(t, "minji@desk-7\x1b[31m")
	k, err := s.AddKey(ctx, yuna, "minji", line)
	if err != nil {
		t.Fatal(err)
	}
	if k.Fingerprint != ssh.FingerprintSHA256(key) || k.Type != "ssh-ed25519" || k.Comment != "minji@desk-7[31m" {
		t.Errorf("key = %+v", k)
	}
	if a, err := s.AgentByKey(ctx, key); err != nil || a.Name != "minji" {
		t.Errorf("AgentByKey = %v, %v", a.Name, err)
	}
	if _, err := s.AddKey(ctx, yuna, "junho", line); err == nil || !strings.Contains(err.Error(), "already belongs to minji") {
		t.Errorf("the same key for another agent: %v", err)
	}
	if _, err := s.AddKey(ctx, minji, "minji", line); err == nil {
		t.Error("an agent added a key (only admins may)")
	}
	for _, bad := range []string{"", "hello", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----", line + "\n" + line} {
		if _, err := s.AddKey(ctx, yuna, "minji", bad); err == nil {
			t.Errorf("AddKey(%q) accepted", bad)
		}
	}
	other, _ := newKey(t, "")
	if _, err := s.AgentByKey(ctx, other); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("an unknown key: %v", err)
	}
	keys, err := s.Keys(ctx, minji.ID)
	if err != nil || len(keys) != 1 {
		t.Fatalf("Keys = %v, %v", keys, err)
	}
	if err := s.RemoveKey(ctx, yuna, "minji", k.Fingerprint); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveKey(ctx, yuna, "minji", k.Fingerprint); err == nil {
		t.Error("removing a key twice")
	}
	if _, err := s.AgentByKey(ctx, key); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("a removed key still logs in: %v", err)
	}
	var audits int
	s.DB.Read.QueryRow(`SELECT count(*) FROM audit_log WHERE entity = 'agent' AND action IN ('key_add', 'key_remove') AND actor = 'yuna'`).Scan(&audits)
	if audits != 2 {
		t.Errorf("%d audit rows for a key added and removed", audits)
	}
}

func TestAgentLoginSettings(t *testing.T) {
	s := newDemo(t, 5)
	ctx := context.Background()
	yuna, _ := s.AgentByName(ctx, "yuna")
	minji, _ := s.AgentByName(ctx, "minji")
	en, ext := "en", "2041"
	if err := s.SetAgent(ctx, yuna, "minji", AgentChange{Lang: &en, Extension: &ext}); err != nil {
		t.Fatal(err)
	}
	if l, err := s.LoginOf(ctx, minji.ID); err != nil || l != (Login{Lang: "en", Extension: "2041"}) {
		t.Errorf("LoginOf = %+v, %v", l, err)
	}
	for _, bad := range []AgentChange{{Lang: strPtr("fr")}, {Extension: strPtr("12a")}} {
		if err := s.SetAgent(ctx, yuna, "minji", bad); err == nil {
			t.Errorf("SetAgent(%+v) accepted", bad)
		}
	}
	none := ""
	if err := s.SetAgent(ctx, yuna, "minji", AgentChange{Lang: &none}); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.LoginOf(ctx, minji.ID); l.Lang != "" {
		t.Errorf("lang cleared, still %q", l.Lang)
	}
}

func strPtr(s string) *string { return &s }
