package reports_test

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/chanconf/chanconf/reports"
)

func ExampleNewConsole() {
	// Tags make colours visible, as tests see them; the CLI uses Enabled on a colour terminal.
	c := reports.NewConsole(os.Stdout, reports.ColorScheme{Tags: true})
	c.CaseFinished(reports.Case{ID: "FUN-SES-001", State: reports.Pass})
	c.CaseFinished(reports.Case{ID: "FUN-SES-002", State: reports.Fail, Message: "status: expected [401], actual 200\nmore"})
	// Output:
	// FUN-SES-002	{red}FAIL{/}	status: expected [401], actual 200
}

func ExampleReadJSON() {
	r := &reports.Report{
		Pack:      reports.PackRef{Name: "essc-cai", Version: "1.0.0"},
		StartedAt: time.Date(2026, 3, 1, 16, 0, 0, 5e8, time.FixedZone("CST", 8*3600)),
		Cases: reports.Cases{{ID: "FUN-SES-001", Level: "MUST", State: reports.Pass,
			Checks: []reports.Check{{Name: "status", Step: 1, Outcome: reports.Passed}}}},
	}
	reports.Judge(r)
	var buf bytes.Buffer
	if err := reports.WriteJSON(&buf, r); err != nil {
		fmt.Println(err)
		return
	}
	back, err := reports.ReadJSON(&buf)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(back.Verdict, back.Summary.Pass, back.StartedAt.Format(reports.TimeLayout))
	// Output:
	// CONFORMANT 1 2026-03-01T08:00:00.500Z
}
