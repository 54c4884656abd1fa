package cai

// idCheckChars maps the weighted sum modulo 11 to the check character.
const idCheckChars = "10X98765432"

// CheckChar returns the GB 11643 check character ('0'-'9' or 'X') for the first 17 characters
// of an ID number, or 0 when first17 is not 17 ASCII digits.
func CheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	// The GB 11643-1999 weights of the first 17 characters.
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * weights[i]
	}
	return idCheckChars[sum%11]
}

// ValidIDNo reports whether id is 17 digits followed by the correct check character (upper
// case 'X' for ten), the check CAI-3.6 requires.
func ValidIDNo(id string) bool {
	if len(id) != 18 {
		return false
	}
	c := CheckChar(id[:17])
	return c != 0 && id[17] == c
}
