package cai

import (
	"strings"
	"unicode/utf8"
)

// maskKeep keeps the first head and last tail bytes of s and replaces the rest by '*', keeping
// the length. Values too short to keep both ends are masked completely.
func maskKeep(s string, head, tail int) string {
	if len(s) <= head+tail {
		return strings.Repeat("*", utf8.RuneCountInString(s))
	}
	return s[:head] + strings.Repeat("*", len(s)-head-tail) + s[len(s)-tail:]
}

// MaskIDNo masks an ID number as CAI-9.2 prescribes: first 3 and last 4 characters kept
// (110***********1234, 18 characters).
func MaskIDNo(idNo string) string { return maskKeep(idNo, 3, 4) }

// MaskPhone masks a phone number: first 3 and last 4 digits kept (138****5678).
func MaskPhone(phone string) string { return maskKeep(phone, 3, 4) }

// MaskBankAccount masks a bank account: first 6 and last 4 digits kept, '*' between.
func MaskBankAccount(account string) string { return maskKeep(account, 6, 4) }

// MaskName masks a name: the first character kept, every other character '*' (张*, 欧**).
func MaskName(name string) string {
	first, size := utf8.DecodeRuneInString(name)
	if size == 0 {
		return ""
	}
	return string(first) + strings.Repeat("*", utf8.RuneCountInString(name[size:]))
}
