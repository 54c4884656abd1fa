// Command chanconf runs the unified e-SSC channel access test specification against a channel
// and writes the certification report. See the README.
package main

import (
	"os"

	"github.com/chanconf/chanconf/internal/cli"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func main() {
	os.Exit(int(cli.Main(os.Args[1:], iostreams.System(os.Getenv), os.Getenv)))
}
