package bundle

import (
	"encoding/binary"
	"errors"
	"slices"
	"testing"
)

// zipRegions returns the byte ranges of a zip's metadata: every local file header (with its
// name), every data descriptor, the central directory and the end record. It parses only what
// writeZip writes (no zip64, no comment), which is all a test bundle holds.
func zipRegions(t *testing.T, data []byte) (local, central [][2]int) {
	t.Helper()
	eocd := len(data) - 22
	if binary.LittleEndian.Uint32(data[eocd:]) != 0x06054b50 {
		t.Fatal("no end of central directory record where writeZip puts it")
	}
	cdSize := int(binary.LittleEndian.Uint32(data[eocd+12:]))
	cdOff := int(binary.LittleEndian.Uint32(data[eocd+16:]))
	central = append(central, [2]int{cdOff, len(data)})
	for p := cdOff; p < cdOff+cdSize; {
		nameLen := int(binary.LittleEndian.Uint16(data[p+28:]))
		extraLen := int(binary.LittleEndian.Uint16(data[p+30:]))
		commentLen := int(binary.LittleEndian.Uint16(data[p+32:]))
		compSize := int(binary.LittleEndian.Uint32(data[p+20:]))
		off := int(binary.LittleEndian.Uint32(data[p+42:]))
		lNameLen := int(binary.LittleEndian.Uint16(data[off+26:]))
		lExtraLen := int(binary.LittleEndian.Uint16(data[off+28:]))
		hdrEnd := off + 30 + lNameLen + lExtraLen
		local = append(local, [2]int{off, hdrEnd}, [2]int{hdrEnd + compSize, hdrEnd + compSize + 16})
		p += 46 + nameLen + extraLen + commentLen
	}
	return local, central
}

// flipOutcome is what a bundle with one flipped bit does.
type flipOutcome int

const (
	flipUnreadable flipOutcome = iota // Read refused it (ErrDamaged): not certifiable
	flipProblems                      // Verify found problems: not certifiable
	flipSameFiles                     // accepted, and every file read is the signed one
	flipAccepted                      // accepted with different content: a hole
)

// flip judges data with bit of byte at flipped.
func flip(t *testing.T, data []byte, at int, bit byte, pub *PublicKey, want []File) (flipOutcome, bool) {
	d := slices.Clone(data)
	d[at] ^= bit
	b, err := Read(d)
	if err != nil {
		if !errors.Is(err, ErrDamaged) {
			t.Fatalf("byte %d bit %#x: %v does not wrap ErrDamaged", at, bit, err)
		}
		return flipUnreadable, false
	}
	sameFiles := slices.EqualFunc(b.Files, want, func(a, b File) bool {
		data, err := a.ReadAll() // files are read lazily: a damaged one fails here
		return err == nil && a.Name == b.Name && string(data) == string(b.Data)
	})
	switch {
	case len(b.Verify(pub)) > 0:
		return flipProblems, sameFiles
	case sameFiles:
		return flipSameFiles, true
	}
	return flipAccepted, false
}

// TestBitFlips is issue 12 finding 9: 189 of 607 bit flips in the zip's directory records
// changed only metadata and verified. Every bit of the central directory and end record, and
// the lowest and highest bit of every local header and data descriptor, is flipped in turn;
// each flip must make the bundle not certifiable. Flips inside the deflate streams (every byte
// of the smallest entry) must be refused or provably change nothing that is read.
func TestBitFlips(t *testing.T) {
	key, pub := testKey(t, AlgEd25519)
	data, clean := build(t, sampleInput(t), key)
	cleanFiles := loadAll(t, clean)
	local, central := zipRegions(t, data)
	counts := map[flipOutcome]int{}
	metadataOnly := 0
	try := func(at int, bit byte) {
		got, sameFiles := flip(t, data, at, bit, pub, cleanFiles)
		counts[got]++
		if sameFiles {
			metadataOnly++
		}
		if got == flipSameFiles || got == flipAccepted {
			t.Errorf("byte %d bit %#x: a metadata flip was accepted", at, bit)
		}
	}
	for _, r := range central {
		for at := r[0]; at < r[1]; at++ {
			for bit := byte(1); bit != 0; bit <<= 1 {
				try(at, bit)
			}
		}
	}
	for _, r := range local {
		for at := r[0]; at < r[1]; at++ {
			try(at, 0x01)
			try(at, 0x80)
		}
	}
	t.Logf("metadata flips: %d unreadable, %d with problems (%d of them changed no file's content), %d accepted",
		counts[flipUnreadable], counts[flipProblems], metadataOnly, counts[flipSameFiles]+counts[flipAccepted])
	if metadataOnly == 0 {
		t.Error("no flip changed only metadata: the loop does not exercise the canonical-form check")
	}
	// The deflate stream of the first entry: a flip is refused, or decompresses to the same bytes.
	first := local[0]
	compEnd := local[1][0]
	for at := first[1]; at < compEnd; at++ {
		if got, _ := flip(t, data, at, 0x01, pub, cleanFiles); got == flipAccepted {
			t.Errorf("compressed byte %d: a changed content was accepted", at)
		}
	}
}
