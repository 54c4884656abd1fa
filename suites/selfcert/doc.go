// Package selfcert is the self-certification of a spec pack: it shows that the pack passes a
// conformant channel and catches every defect the reference channel can be switched into, so
// that a CONFORMANT verdict means something.
//
// Check works in the style of testing/fstest.TestFS: it runs everything and returns one error
// listing every problem, with a Result that explains the outcome (the kill table). It runs
// three things, each against a fresh in-process reference channel (fixtures/refchannel), through
// exactly the wiring of `chanconf run`: the pack loader of the CLI, the e-SSC platform, the
// engine and the runner.
//
//  1. The whole pack against the clean channel: every case must PASS (no FAIL, WARN or ERROR).
//  2. For every fault switch of the reference channel: the cases tracing to the fault's clauses,
//     focused, against a channel with that fault on. The verdict must be NONCONFORMANT with at
//     least one FAIL among those cases; the fault is then "killed". The kill rate must be 100 %.
//  3. Determinism: the whole pack again with another seed and concurrency 1 must give every case
//     the same state as the first run (which uses a high concurrency).
//
// The runner drives ginkgo, whose suite state is process-global: Check runs its runs one after
// another and must not be called concurrently with another run in the same process.
package selfcert
