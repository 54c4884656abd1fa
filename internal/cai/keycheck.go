package cai

import (
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/emmansun/gmsm/sm4"
)

// KeyCheckLen is the length of a key check value in bytes; it is written as twice as many
// hex characters.
const KeyCheckLen = 3

// keyCheckPattern is the hex form of a key check value.
var keyCheckPattern = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)

// KeyCheckValue is the key check value (KCV) of an SM4 key, as key ceremonies record it: the
// first 3 bytes of the SM4-ECB encryption of one all-zero block under the key, in lowercase
// hex (STANDARD.md section 0, sandbox.dataKeyCheck). It tells whether two parties hold the same
// key without revealing it: 24 bits of a block cipher's output say nothing usable about a
// 128-bit key.
func KeyCheckValue(key []byte) (string, error) {
	block, err := sm4.NewCipher(key)
	if err != nil {
		return "", fmt.Errorf("sm4 key: %w", err)
	}
	var zero, out [16]byte
	block.Encrypt(out[:], zero[:])
	return hex.EncodeToString(out[:KeyCheckLen]), nil
}

// validateDataKeyCheck requires sandbox.dataKeyCheck (since CAI 1.0.1) and that it is the check
// value of sandbox.dataKey. Neither the key nor its computed check value is echoed: a
// declaration whose two values disagree has one of them mistyped, and only the vendor's key
// record (not a value computed from the possibly wrong key) can say which.
func (d *Declaration) validateDataKeyCheck() error {
	const field = "sandbox.dataKeyCheck"
	const how = "the first 3 bytes of SM4-ECB encryption of a zero block under the data key, as 6 hex characters, " +
		"from the channel's key record (STANDARD.md section 0)"
	kcv := d.Sandbox.DataKeyCheck
	switch {
	case kcv == "":
		return d.problem(field, "required since CAI 1.0.1: the key check value of sandbox.dataKey, %s", how)
	case !keyCheckPattern.MatchString(kcv):
		return d.problem(field, "must be 6 hex characters (%s), got %d characters", how, len(kcv))
	case !dataKeyPattern.MatchString(d.Sandbox.DataKey):
		return nil // the data key's own problem is reported; there is nothing to compare
	}
	key, err := hex.DecodeString(d.Sandbox.DataKey)
	if err != nil {
		return nil
	}
	want, err := KeyCheckValue(key)
	if err != nil {
		return d.problem(field, "%v", err)
	}
	if !strings.EqualFold(want, kcv) {
		return d.problem(field, "%s is not the check value of sandbox.dataKey: one of the two is mistyped "+
			"(with a wrong data key every case that opens a real-name token fails); copy both again from the channel's key record", kcv)
	}
	return nil
}
