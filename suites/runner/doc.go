// Package runner turns a loaded spec pack into a ginkgo v2 spec tree at run time and runs it from
// a normal binary, producing a reports.Report.
//
// The design is the "futures" pattern (docs/design.md, Execution): the tree has one It per case,
// labelled with the case ID, its clauses, level, suite, area, profile and own labels. Before
// ginkgo runs, PreviewSpecs tells which specs the filters select; those cases are enqueued, in
// preview order, into a bounded worker pool that executes them through the engine (non-serial
// cases first, Concurrency at a time; serial cases afterwards, one at a time, alone). Each It only
// waits for its own case's outcome and judges it with gomega, so ginkgo keeps its filters, seed,
// timeouts and per-spec pass/fail while the network work runs concurrently in one process.
//
// The outcomes, not ginkgo's spec states, are the source of truth for the report: the report
// lists every case of the pack in pack order, with the cases the filters left out as SKIP.
//
// # Process-wide effects of ginkgo
//
// ginkgo keeps its suite in process-global variables, so Run, Preview and BuildTree reset them
// (extensions/globals.Reset) and must not be called concurrently with each other. While RunSpecs
// runs, ginkgo also:
//   - listens for SIGINT and SIGTERM (it interrupts the running spec; the CLI's own context
//     cancellation stops the pool) and never stops listening afterwards: ginkgo does not stop its
//     interrupt handler, so after a first run SIGINT no longer kills the process by default;
//     the CLI must therefore cancel its context on SIGINT itself (signal.NotifyContext). Each
//     Run leaves two such idle handler goroutines behind (one from PreviewSpecs, one from
//     RunSpecs);
//   - listens for SIGUSR1 to print a progress report (it also builds one when a spec times out
//     or is interrupted); Run silences the reporter, but if ginkgo fails to build such a report
//     it prints the error with fmt.Printf to the process's stdout. That is the only known path
//     by which Run can still write to stdout;
//   - writes configuration errors to stderr and exits the process; Run validates every input
//     ginkgo would reject (label filter, labels, -count/-parallel test flags) first, so that path
//     is not reached.
//
// Run silences ginkgo's console reporter by pointing formatter.ColorableStdOut (which the
// default reporter is created with) at io.Discard for the duration of RunSpecs; GinkgoWriter
// stays in buffer-only mode because Run never asks for verbose output.
package runner
