package mutation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// maxBuilds bounds the compile loop: each round drops the mutants the compiler refused.
const maxBuilds = 6

// Toolchain is how the engine reaches the Go toolchain: the go command and the module root
// it builds in.
type Toolchain struct {
	// Go is the go command (a name looked up in PATH, or a path).
	Go string
	// Root is the chanconf module root (holding go.mod).
	Root string
	// Module is the module path, for the -gcflags pattern.
	Module string
}

// Uncompiled is a mutant the compiler refused, with its first message.
type Uncompiled struct {
	Mutant  *Mutant
	Message string
}

// Build generates the schemata for ms in dir, builds ./cmd/chanconf with them through
// -overlay and returns the binary path, the mutants in the binary (number i+1 runs built[i])
// and the mutants dropped because their copy did not compile.
func Build(ctx context.Context, tc Toolchain, dir string, ms []*Mutant) (binary string, built []*Mutant, dropped []Uncompiled, err error) {
	if _, err := exec.LookPath(tc.Go); err != nil {
		return "", nil, nil, fmt.Errorf("the mutation engine needs the Go toolchain to build the mutants (looked for %q): %w", tc.Go, err)
	}
	built = append([]*Mutant(nil), ms...)
	binary = filepath.Join(dir, "chanconf-mutants")
	for round := 1; round <= maxBuilds; round++ {
		ov, err := writeOverlay(dir, built)
		if err != nil {
			return "", nil, nil, err
		}
		out, err := goBuild(ctx, tc, dir, binary)
		if err == nil {
			return binary, built, dropped, nil
		}
		if ctx.Err() != nil {
			return "", nil, nil, ctx.Err()
		}
		refused := ov.blame(out)
		if len(refused) == 0 {
			return "", nil, nil, fmt.Errorf("building the mutants failed outside any mutant's code: %w\n%s", err, tail(out, 4000))
		}
		kept := built[:0:0]
		for _, m := range built {
			if msg, ok := refused[m]; ok {
				dropped = append(dropped, Uncompiled{Mutant: m, Message: msg})
				continue
			}
			kept = append(kept, m)
		}
		built = kept
	}
	return "", nil, nil, fmt.Errorf("the mutants still did not compile after %d rounds", maxBuilds)
}

// goBuild runs go build with the overlay; -e makes the compiler report every error, so one
// round drops every refused mutant of a package.
func goBuild(ctx context.Context, tc Toolchain, dir, binary string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, tc.Go, "build",
		"-overlay", filepath.Join(dir, "overlay.json"),
		"-gcflags="+tc.Module+"/fixtures/...=-e",
		"-o", binary, "./cmd/chanconf")
	cmd.Dir = tc.Root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return out.Bytes(), fmt.Errorf("run %s build: %w", tc.Go, err)
		}
		return out.Bytes(), fmt.Errorf("go build: %w", err)
	}
	return out.Bytes(), nil
}

// compilerError is one "file.go:line:col: message" line of the compiler.
var compilerError = regexp.MustCompile(`(?m)^(\S+\.go):(\d+):(?:\d+:)?\s*(.*)$`)

// blame maps the compiler's error lines to the mutants whose copies hold them.
func (ov *overlay) blame(out []byte) map[*Mutant]string {
	refused := map[*Mutant]string{}
	for _, sm := range compilerError.FindAllStringSubmatch(string(out), -1) {
		line, _ := strconv.Atoi(sm[2])
		for rel, ranges := range ov.ranges {
			if !strings.HasSuffix(filepath.ToSlash(sm[1]), rel) && !strings.HasSuffix(sm[1], strings.ReplaceAll(rel, "/", "__")) {
				continue
			}
			for _, r := range ranges {
				if line >= r.from && line <= r.to {
					if _, seen := refused[r.m]; !seen {
						refused[r.m] = sm[3]
					}
				}
			}
		}
	}
	return refused
}

// tail is the last n bytes of b.
func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
