// Package mutation measures the detection power of the spec pack against mistakes nobody
// chose: it generates mutants of the reference channel from its Go source, builds them all
// into one chanconf binary behind a switch (mutant schemata), runs `chanconf run` against the
// embedded reference channel once per mutant and records which mutants the pack kills.
//
// Scope. The mutated packages are fixtures/refchannel and fixtures/refchannel/gqlexec: the
// channel's own checks live there. internal/cai is left out on purpose: its checks are shared
// by the channel and by chanconf (the platform side verifies and signs with the same code), so
// a mutant there changes the judge as well as the judged and measures nothing.
//
// What is not mutated: the fault and variant switches themselves and the code they guard (an
// if whose condition can only hold with a switch on, its body, and functions reached only from
// such code), the catalogue files of the switches, functions named after them, logging
// statements, and functions with labels (the schemata copy a function body, and labels cannot
// be duplicated).
//
// Schemata. Every function holding mutants starts, in the generated source only, with
// `switch zzMutantSelected { case N: <the body with mutant N applied> }` followed by the
// original body; zzMutantSelected is read once from CHANCONF_MUTANT by a generated file. The
// generated files reach the compiler through `go build -overlay`, so the repository is never
// modified. A mutant whose copy does not compile (the operators are syntactic; the compiler
// is the type check) is dropped with its compiler message and the build is repeated.
//
// Verdicts. Each mutant is one `chanconf run --quiet` of the whole embedded pack with the
// mutant selected: exit 1 (NONCONFORMANT) and exit 3 (INCOMPLETE: the mutant made the run
// unable to finish its checks, so no certificate could be issued) kill it, a Go panic that ends
// the process kills it (verdict CRASH), so does a mutant that keeps the embedded channel from
// starting (verdict NO-START: a real channel that never answers is unreachable, INCOMPLETE), exit 0 (CONFORMANT) lets it survive, a run over the
// timeout is a timeout, and anything else (usage or internal error) is an error. The score is
// killed / (killed + survived); timeouts, errors, mutants that did not compile and the reviewed
// equivalent mutants are counted separately. Unmutated control runs are interleaved with the
// mutants: the first must be CONFORMANT or the campaign stops, and a later one that is not
// marks the campaign unstable (its kills may be the machine's doing).
package mutation
