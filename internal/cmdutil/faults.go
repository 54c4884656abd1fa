package cmdutil

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chanconf/chanconf/fixtures/refchannel"
)

// CheckFaults refuses reference-channel fault names that do not exist, listing the known ones
// (the way venom names its known executors), so a typo never starts a conformant channel that
// the user believes is broken.
func CheckFaults(names []string) error {
	var known []string
	for _, f := range refchannel.Faults() {
		known = append(known, f.Name)
	}
	return checkSwitches("fault", "faults", names, known)
}

// CheckVariants refuses reference-channel variant names that do not exist, listing the known
// ones, so a typo never starts the default channel that the user believes uses a freedom.
func CheckVariants(names []string) error {
	var known []string
	for _, v := range refchannel.Variants() {
		known = append(known, v.Name)
	}
	return checkSwitches("variant", "variants", names, known)
}

// checkSwitches is the shared refusal of CheckFaults and CheckVariants: every name not in known,
// quoted, then the known names and the command that lists them.
func checkSwitches(kind, command string, names, known []string) error {
	var unknown []string
	for _, n := range names {
		if !slices.Contains(known, n) {
			unknown = append(unknown, fmt.Sprintf("%q", n))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return Usagef("unknown %s %s; known %s: %s (see `chanconf %s`)",
		kind, strings.Join(unknown, ", "), command, strings.Join(known, ", "), command)
}
