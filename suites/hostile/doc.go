// Package hostile is the hostile-channel suite: chanconf run against the reference channel
// behind fixtures/hostileproxy, one proxy behaviour at a time. Its tests assert, per behaviour,
// the verdict, that no case which received a hostile answer PASSes, that nothing secret reaches
// the outputs, and that memory stays bounded; its benchmark reports the peak heap per behaviour.
// The package has no code besides its tests.
package hostile
