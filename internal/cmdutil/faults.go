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
	var unknown []string
	for _, n := range names {
		if !slices.Contains(known, n) {
			unknown = append(unknown, fmt.Sprintf("%q", n))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return Usagef("unknown fault %s; known faults: %s (see `chanconf faults`)",
		strings.Join(unknown, ", "), strings.Join(known, ", "))
}

// CheckVariants refuses reference-channel variant names that do not exist, listing the known
// ones, so a typo never starts the default channel that the user believes uses a freedom.
func CheckVariants(names []string) error {
	var known []string
	for _, v := range refchannel.Variants() {
		known = append(known, v.Name)
	}
	var unknown []string
	for _, n := range names {
		if !slices.Contains(known, n) {
			unknown = append(unknown, fmt.Sprintf("%q", n))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return Usagef("unknown variant %s; known variants: %s (see `chanconf variants`)",
		strings.Join(unknown, ", "), strings.Join(known, ", "))
}
