package verify

import (
	"archive/zip"
	"os"

	"github.com/chanconf/chanconf/internal/bundle"
)

// writeZip writes files as a plain zip, leaving the manifest as it is (to tamper).
func writeZip(path string, files []bundle.File) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, file := range files {
		w, err := zw.Create(file.Name)
		if err != nil {
			return err
		}
		if _, err := w.Write(file.Data); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
