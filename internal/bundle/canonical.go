package bundle

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// ErrDamaged marks a bundle whose bytes are not a readable chanconf zip (bad CRC, truncated,
// a repeated name, not a zip at all). Such a file was read, so it is evidence, and it is not
// certifiable: `verify` says so with the reason (exit 1) rather than calling it unreadable
// input (exit 2), which is kept for a path that cannot be opened.
var ErrDamaged = errors.New("damaged bundle")

// What the signature covers. manifest.sig signs manifest.json, which lists every other entry
// with its name, size and SHA-256; verify refuses an entry the manifest does not list, a listed
// one that is missing, a repeated name, and, with checkCanonical, any zip metadata that is not
// exactly what writeZip writes (comments, extra fields, flags, attributes, times, order, data
// before or after the archive). Together: a bundle is accepted only if its bytes are the
// canonical zip of the signed files, so no byte of it can change without verify noticing,
// except inside a deflate stream where the change decompresses to the same signed content.

// canonicalHeader is the header writeZip gives every entry (after zip.Writer.CreateHeader has
// added what it adds: the data-descriptor flag, version 2.0 made on Unix, version 2.0 needed).
func canonicalHeader(name string, date, clock uint16) *zip.FileHeader {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, ModifiedDate: date, ModifiedTime: clock}
	h.SetMode(0o644)
	h.Flags |= 0x8
	h.CreatorVersion = h.CreatorVersion&0xff00 | 20
	h.ReaderVersion = 20
	return h
}

// checkCanonical re-writes the zip in data the way writeZip writes it, reusing each entry's
// compressed bytes as they are (so the check does not depend on the compressor), and returns an
// error naming the first byte where data differs. The modification time is the first entry's;
// every entry must have the same.
func checkCanonical(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("not a readable zip: %w", err)
	}
	if len(zr.File) == 0 {
		return errors.New("the zip has no entries")
	}
	date, clock := zr.File[0].ModifiedDate, zr.File[0].ModifiedTime
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		h := canonicalHeader(zf.Name, date, clock)
		h.CRC32, h.CompressedSize64, h.UncompressedSize64 = zf.CRC32, zf.CompressedSize64, zf.UncompressedSize64
		if err := copyRaw(zw, h, zf); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("re-write the zip: %w", err)
	}
	want := buf.Bytes()
	if bytes.Equal(want, data) {
		return nil
	}
	at := 0
	for at < len(want) && at < len(data) && want[at] == data[at] {
		at++
	}
	return fmt.Errorf("the zip's metadata differs from the form chanconf writes from byte %d on (%d bytes, canonical %d): "+
		"a header, comment, extra field or trailing data was changed or added after signing", at, len(data), len(want))
}

// copyRaw adds the compressed bytes of zf to zw under header h, without recompressing.
func copyRaw(zw *zip.Writer, h *zip.FileHeader, zf *zip.File) error {
	w, err := zw.CreateRaw(h)
	if err != nil {
		return fmt.Errorf("re-write %s: %w", zf.Name, err)
	}
	r, err := zf.OpenRaw()
	if err != nil {
		return fmt.Errorf("zip entry %s: %w", zf.Name, err)
	}
	if _, err := io.Copy(w, io.LimitReader(r, int64(zf.CompressedSize64))); err != nil {
		return fmt.Errorf("zip entry %s: %w", zf.Name, err)
	}
	return nil
}
