package tui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/dangol/dangol/campaign"
	"github.com/dangol/dangol/queue"
	"github.com/dangol/dangol/tui/floor"
	"github.com/dangol/dangol/tui/kit"
)

func TestSupervisorBuildsAndWorksACampaign(t *testing.T) {
	c := newTestCommon(t, kit.English)
	a := newApp(t, as(t, c, "sora"), 110, 34)
	run(t, a, press("6"))
	scr, ok := a.screens[kit.ScreenCampaigns].(*floor.CampaignsScreen)
	if !ok || a.active != kit.ScreenCampaigns {
		t.Fatalf("6 should show the campaigns (active %s):\n%s", a.active, shown(a))
	}
	wantShown(t, a, "No campaigns yet", "an empty list says how to start")

	// A bad segment is refused in the form, which stays open; nothing is made.
	run(t, a, press("n"))
	fill(t, a, "Winter thanks", "colour=red")
	run(t, a, press("ctrl+s"))
	wantShown(t, a, `unknown key "colour"`, "the refusal of a bad segment")
	if n := countRows(t, c, `SELECT count(*) FROM campaigns`); n != 0 {
		t.Fatalf("a refused campaign left %d rows", n)
	}
	run(t, a, press("esc"))

	run(t, a, press("n"))
	fill(t, a, "Winter thanks", "points>=0", "20", "service", "thank you call")
	run(t, a, press("ctrl+s"))
	if len(scr.Rows) != 1 || scr.Rows[0].Name != "Winter thanks" {
		t.Fatalf("rows after creating: %+v\n%s", scr.Rows, shown(a))
	}
	made := scr.Rows[0]
	if made.Control == 0 || made.Contact == 0 || made.Kind != "service" || made.ControlPct != 20 || made.CreatedBy != "sora" {
		t.Errorf("campaign made: %+v", made)
	}
	wantShown(t, a, "Winter thanks: "+itoa(made.Contact)+" to call", "the notice of what was made")

	// minji calls one of its customers, who does not answer.
	var first int64
	if err := c.CRM.DB.QueryRow(`SELECT min(id) FROM callbacks WHERE campaign_id IS NOT NULL`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Queue.Claim(c.Ctx, c.Agent, first); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Queue.Done(c.Ctx, c.Agent, first, queue.Wrapup{Disposition: "no_answer"}); err != nil {
		t.Fatal(err)
	}

	// Its report: too early, with both groups, the outcomes by their labels.
	run(t, a, press("enter"))
	wantShown(t, a, "Too early: measured until", "the report's verdict")
	wantShown(t, a, itoa(made.Contact)+" called, "+itoa(made.Control)+" held out", "the groups")
	wantShown(t, a, "Outcomes: No answer 1", "the outcomes, by their labels")
	run(t, a, press("esc"))
	wantShown(t, a, "Winter thanks", "the list again")

	// p pauses it (its calls leave the queue), p again resumes.
	run(t, a, press("p"))
	if scr.Rows[0].State != campaign.Paused || scr.Rows[0].Open != 0 {
		t.Errorf("after p: %s with %d open", scr.Rows[0].State, scr.Rows[0].Open)
	}
	run(t, a, press("p"))
	if scr.Rows[0].State != campaign.Active || scr.Rows[0].Open != made.Contact {
		t.Errorf("after p again: %s with %d open, want active with %d", scr.Rows[0].State, scr.Rows[0].Open, made.Contact)
	}
	// x asks first; y stops it.
	run(t, a, press("x"))
	wantShown(t, a, "Stop campaign Winter thanks?", "the question before a stop")
	run(t, a, press("y"))
	if scr.Rows[0].State != campaign.Stopped {
		t.Errorf("after x, y: %s", scr.Rows[0].State)
	}
}

// fill types each field of a form over what it held, moving on with tab.
func fill(t *testing.T, a *App, fields ...string) {
	for i, f := range fields {
		if i > 0 {
			run(t, a, press("tab"))
		}
		run(t, a, press("ctrl+u"))
		typeText(t, a, f)
	}
}

func itoa(n int) string { return kit.Thousands(int64(n)) }

func countRows(t *testing.T, c *kit.Common, query string) int {
	t.Helper()
	var n int
	if err := c.CRM.DB.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCampaignsScreenFitsSmallTerminals(t *testing.T) {
	c := newTestCommon(t, kit.Korean)
	sora := as(t, c, "sora")
	if _, err := campaign.New(c.Queue).Create(c.Ctx, sora.Agent, campaign.Spec{Name: "겨울 감사 전화 — 우수 고객", Segment: "points>=0",
		Kind: "service"}); err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{80, 24}, {20, 5}, {200, 60}} {
		a := newApp(t, as(t, c, "sora"), size[0], size[1])
		run(t, a, press("6"))
		run(t, a, press("enter"))
		for i, line := range strings.Split(shown(a), "\n") {
			if w := lipgloss.Width(line); w > size[0] {
				t.Errorf("%dx%d: line %d is %d cells wide: %q", size[0], size[1], i, w, line)
			}
		}
		if size[0] >= 80 && !strings.Contains(shown(a), "아직 이릅니다") {
			t.Errorf("%dx%d: the report is not shown:\n%s", size[0], size[1], shown(a))
		}
	}
}
