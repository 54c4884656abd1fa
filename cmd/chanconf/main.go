// Command chanconf runs the unified e-SSC channel access test specification against a channel
// and writes the certification report. See the README.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/chanconf/chanconf/internal/cli"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], iostreams.System(cmdutil.Getenv), cmdutil.Getenv)
	stop()
	os.Exit(int(code))
}
