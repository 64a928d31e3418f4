package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/db"
	"github.com/dangol/dangol/db/pgtest"
)

// A floor on two machines: two `dangol serve` processes on one PostgreSQL
// database, an agent on each over real SSH. What one agent does shows on
// the other node's console by itself (LISTEN/NOTIFY), and dialers on
// separate processes claim every callback once.
func TestE2ETwoNodesOnOnePostgres(t *testing.T) {
	needE2E(t)
	url := pgtest.NewDatabase(t)
	a := &sshServer{t: t, dir: t.TempDir(), db: url}
	a.run("seed", "--db", url, "--customers", "100")
	for _, agent := range []string{"minji", "junho"} {
		a.keygen(agent)
		a.run("agent", "key", "add", agent, filepath.Join(a.dir, agent+".pub"), "--db", url)
		a.run("agent", "set", agent, "--lang", "ko", "--db", url)
	}
	// One open callback, in the pool, due, callable at any hour.
	callable(t, url, 1)
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var name string
	if err := d.QueryRow(`SELECT c.name FROM callbacks cb JOIN customers c ON c.id = cb.customer_id
		WHERE cb.state = 'scheduled'`).Scan(&name); err != nil {
		t.Fatal(err)
	}

	a.start("host_a")
	b := &sshServer{t: t, dir: a.dir, db: url}
	b.start("host_b")
	minji := startTerm(t, 120, 30, strings.Join(a.ssh("minji", filepath.Join(a.dir, "minji"), "-t"), " "))
	junho := startTerm(t, 120, 30, strings.Join(b.ssh("junho", filepath.Join(a.dir, "junho"), "-t"), " "))
	for _, tm := range []*term{minji, junho} {
		tm.waitFor("콜백 대기열", "cli test")
		tm.dismissLogin()
		tm.waitFor("콜백 1 ·")
	}

	// minji claims it on node a: on node b it is no longer junho's to take.
	minji.keys("N")
	minji.waitFor("통화 중: " + name)
	start := time.Now()
	junho.waitFor("● minji")
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("node b showed the claim after %s", took)
	}
	// junho asks for the next one: there is none.
	junho.keys("N")
	junho.waitFor("지금 걸 수 있는 콜백이 없습니다")

	// minji's note on node a is in the 360 junho opens on node b.
	minji.keys("n")
	minji.waitFor("상담 메모")
	note := "두 노드 메모: 노드 A에서 저장"
	minji.typeText(note)
	minji.keys("C-s")
	minji.waitFor("메모를 저장했습니다")
	junho.keys("Enter")
	junho.waitFor("고객 360", name, "두 노드 메모")

	// Dialers: four processes, each a node of its own to the server.
	callable(t, url, 80)
	claimAllAtOnce(t, url, 80, "minji", "junho", "sora", "yuna")
}
