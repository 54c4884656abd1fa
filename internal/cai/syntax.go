package cai

// digits reports whether s is exactly n ASCII digits.
func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ValidChannelNo reports whether s has the form of a channel number: 10 ASCII digits, as the
// declaration and the reference channel's options require.
func ValidChannelNo(s string) bool { return digits(s, 10) }

// ValidRegion reports whether s has the form of a region code: 6 ASCII digits (GB/T 2260). A
// region of another form is 400 INVALID_REGION (CAI-10.5), a well-formed one the channel does
// not serve REGION_UNSUPPORTED.
func ValidRegion(s string) bool { return digits(s, 6) }
