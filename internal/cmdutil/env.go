package cmdutil

import (
	"os"
	"slices"

	"github.com/spf13/cobra"
)

// The environment variables chanconf reads, named once so that the commands, the registry and
// the help texts cannot spell them differently.
const (
	EnvTarget      = "CHANCONF_TARGET"
	EnvDeclaration = "CHANCONF_DECLARATION"
	EnvNoColor     = "NO_COLOR"
	// EnvColorForce, EnvColor and EnvTerm are the other colour conventions
	// (https://bixense.com/clicolors/, TERM=dumb), read by iostreams.System.
	EnvColorForce = "CLICOLOR_FORCE"
	EnvColor      = "CLICOLOR"
	EnvTerm       = "TERM"
)

// EnvVar documents one CHANCONF_* environment variable. Sensitive ones are never echoed.
type EnvVar struct {
	Name        string
	Description string
	Expects     string
	Sensitive   bool
}

// Env lists every environment variable chanconf reads. Nothing else is read from the
// environment: Getenv refuses other names, and a test greps for os.Getenv outside this
// registry.
func Env() []EnvVar {
	return []EnvVar{
		{Name: EnvTarget, Description: "base URL of the channel to test when --target is not given (also used by `go test ./suites/...`)", Expects: "https URL"},
		{Name: EnvDeclaration, Description: "channel declaration file when --declaration is not given", Expects: "path"},
		{Name: EnvNoColor, Description: "disables colour on the console (wins over CLICOLOR_FORCE)", Expects: "any non-empty value"},
		{Name: EnvColorForce, Description: "colours the console even when it is not a terminal (CI logs that render ANSI)", Expects: "any value but 0"},
		{Name: EnvColor, Description: "0 disables colour unless CLICOLOR_FORCE is set", Expects: "0 or 1"},
		{Name: EnvTerm, Description: "dumb disables colour (unless CLICOLOR_FORCE) and the redrawn progress line", Expects: "terminal type"},
	}
}

// Getenv is the process environment as chanconf sees it (main passes it to the Factory and to
// iostreams.System): the value of a variable of Env, and "" for any other name, so that a
// variable nobody documented can never change what chanconf does.
func Getenv(name string) string {
	if !slices.ContainsFunc(Env(), func(v EnvVar) bool { return v.Name == name }) {
		return ""
	}
	return os.Getenv(name)
}

// TargetFromEnv fills target and declaration from CHANCONF_TARGET and CHANCONF_DECLARATION
// when their flags (--target, --declaration) were not given, the rule of every command that
// names a channel. A nil getenv leaves both as they are.
func TargetFromEnv(cmd *cobra.Command, getenv func(string) string, target, declaration *string) {
	if getenv == nil {
		return
	}
	if !cmd.Flags().Changed("target") {
		*target = getenv(EnvTarget)
	}
	if !cmd.Flags().Changed("declaration") {
		*declaration = getenv(EnvDeclaration)
	}
}
