package essc

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chanconf/chanconf/fixtures/personas"
	"github.com/chanconf/chanconf/internal/cai"
)

// Kinds of personal data the detector finds (CAI-9.1).
const (
	KindIDNo        = "idNo"
	KindName        = "name"
	KindPhone       = "phone"
	KindBankAccount = "bankAccount"
)

// Finding is one piece of personal data found in a text. Value is masked so that the finding
// itself can be reported without leaking what it found.
type Finding struct {
	Kind  string
	Value string
	// Where locates the value in the scanned text ("offset 40", "QR code payload at offset 12").
	Where string
}

// String prints "kind masked-value at where".
func (f Finding) String() string { return f.Kind + " " + f.Value + " at " + f.Where }

var (
	// wordPattern finds maximal ASCII alphanumeric words: a number only counts when it stands
	// alone, which keeps digit runs inside hex digests and base64 from matching.
	wordPattern = regexp.MustCompile(`[A-Za-z0-9]+`)
	// qrPattern finds CAI v1 QR codes.
	qrPattern = regexp.MustCompile(`CAIQR1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
	// unicodeEscape finds JSON \uXXXX escapes (channels that escape non-ASCII text).
	unicodeEscape = regexp.MustCompile(`\\u[0-9a-fA-F]{4}`)
	// phonePattern is a mainland mobile number.
	phonePattern = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	// idPattern is 17 digits and a check character.
	idPattern = regexp.MustCompile(`^[0-9]{17}[0-9Xx]$`)
	// digitsPattern is an all-digit word.
	digitsPattern = regexp.MustCompile(`^[0-9]+$`)
)

// ScanPersonalData finds unmasked personal data in text: GB 11643 ID numbers (valid check
// character and birth date), mobile numbers, UnionPay-like Luhn-valid account numbers, and the
// full names, phones, bank accounts and ID numbers of the known personas. It also decodes CAI
// QR codes found in text and scans their payloads, and it scans a JSON-unescaped and a
// percent-decoded form of text when those differ. Correct masks (110***********1234,
// 138****5678, 张*) are never findings.
func ScanPersonalData(text string, known []personas.Persona) []Finding {
	return NewDetector(known).Scan(text)
}

// Detector scans texts for personal data; it indexes the known personas once so that scanning
// many exchanges for many personas stays linear in the text.
type Detector struct {
	// words maps a known persona's ID number, phone and bank account to its kind.
	words map[string]string
	// names holds the known personas' full names; nameLens their lengths in runes.
	names    map[string]bool
	nameLens []int
}

// NewDetector indexes the known personas.
func NewDetector(known []personas.Persona) *Detector {
	d := &Detector{words: map[string]string{}, names: map[string]bool{}}
	lens := map[int]bool{}
	for _, p := range known {
		for kind, v := range map[string]string{KindIDNo: p.IDNo, KindPhone: p.Phone, KindBankAccount: p.BankAccount} {
			if v != "" {
				d.words[v] = kind
			}
		}
		if n := utf8.RuneCountInString(p.Name); n > 0 {
			d.names[p.Name] = true
			lens[n] = true
		}
	}
	for n := range lens {
		d.nameLens = append(d.nameLens, n)
	}
	sort.Ints(d.nameLens)
	return d
}

// Scan returns the findings in text.
func (d *Detector) Scan(text string) []Finding {
	s := scanner{d: d, seen: map[string]bool{}}
	s.scan(text, "")
	return s.out
}

// scanner accumulates the findings of one Scan without duplicates.
type scanner struct {
	d    *Detector
	seen map[string]bool
	out  []Finding
}

// add records a finding once per kind, value and place.
func (s *scanner) add(kind, raw, where string) {
	key := kind + "\x00" + raw + "\x00" + where
	if s.seen[key] {
		return
	}
	s.seen[key] = true
	s.out = append(s.out, Finding{Kind: kind, Value: maskFor(kind, raw), Where: where})
}

// scan looks at text and its decoded forms; prefix names where text came from.
func (s *scanner) scan(text, prefix string) {
	s.scanPlain(text, prefix)
	if strings.Contains(text, `\u`) {
		if dec := unescapeUnicode(text); dec != text {
			s.scanPlain(dec, prefix+"JSON-unescaped text, ")
		}
	}
	if strings.Contains(text, "%") {
		if dec, err := url.PathUnescape(text); err == nil && dec != text {
			s.scanPlain(dec, prefix+"percent-decoded text, ")
		}
	}
	if prefix != "" {
		return // QR payloads are not searched for further QR codes
	}
	for _, loc := range qrPattern.FindAllStringIndex(text, -1) {
		payload, err := cai.QRPayloadJSON(text[loc[0]:loc[1]])
		if err != nil {
			continue
		}
		s.scan(string(payload), fmt.Sprintf("QR code payload (code at offset %d), ", loc[0]))
	}
}

// scanPlain runs the word detectors (generic patterns and the personas' numbers) and the
// name detector over text.
func (s *scanner) scanPlain(text, prefix string) {
	for _, loc := range wordPattern.FindAllStringIndex(text, -1) {
		word := text[loc[0]:loc[1]]
		where := fmt.Sprintf("%soffset %d", prefix, loc[0])
		if kind, ok := s.d.words[word]; ok {
			s.add(kind, word, where)
		} else if kind, raw := classifyWord(word); kind != "" {
			s.add(kind, raw, where)
		}
	}
	if len(s.d.names) == 0 {
		return
	}
	for i, r := range text {
		if r < utf8.RuneSelf {
			continue
		}
		for _, n := range s.d.nameLens {
			if cand, ok := runePrefix(text[i:], n); ok && s.d.names[cand] {
				s.add(KindName, cand, fmt.Sprintf("%soffset %d", prefix, i))
			}
		}
	}
}

// runePrefix returns the first n runes of s, if s has that many.
func runePrefix(s string, n int) (string, bool) {
	end := 0
	for k := 0; k < n; k++ {
		if end >= len(s) {
			return "", false
		}
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
	}
	return s[:end], true
}

// classifyWord says whether a standalone alphanumeric word is an ID number, a phone number or
// an account number, returning the kind and the value.
func classifyWord(word string) (kind, raw string) {
	switch {
	case len(word) == 18 && idPattern.MatchString(word) && plausibleIDNo(strings.ToUpper(word)):
		return KindIDNo, word
	case len(word) == 11 && phonePattern.MatchString(word):
		return KindPhone, word
	case len(word) == 13 && strings.HasPrefix(word, "86") && phonePattern.MatchString(word[2:]):
		return KindPhone, word[2:]
	case len(word) >= 16 && len(word) <= 19 && strings.HasPrefix(word, "62") &&
		digitsPattern.MatchString(word) && personas.LuhnValid(word):
		return KindBankAccount, word
	}
	return "", ""
}

// plausibleIDNo requires what a real ID number has beyond its check character: a region
// starting 1-8 and a real birth date from 1900 on, which keeps random 18-digit identifiers
// (one in eleven has a "valid" check character) from being reported.
func plausibleIDNo(id string) bool {
	if !cai.ValidIDNo(id) || id[0] < '1' || id[0] > '8' {
		return false
	}
	d, err := time.Parse("20060102", id[6:14])
	return err == nil && d.Year() >= 1900 && d.Year() <= 2100
}

// unescapeUnicode replaces JSON \uXXXX escapes by their characters.
func unescapeUnicode(text string) string {
	return unicodeEscape.ReplaceAllStringFunc(text, func(esc string) string {
		n, err := strconv.ParseUint(esc[2:], 16, 32)
		if err != nil {
			return esc
		}
		return string(rune(n))
	})
}

// maskFor returns the standard's mask of a found value, for display.
func maskFor(kind, v string) string {
	switch kind {
	case KindIDNo:
		return cai.MaskIDNo(v)
	case KindName:
		return cai.MaskName(v)
	case KindPhone:
		return cai.MaskPhone(v)
	case KindBankAccount:
		return cai.MaskBankAccount(v)
	}
	return strings.Repeat("*", len(v))
}
