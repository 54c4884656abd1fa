package cmdutil

// EnvVar documents one CHANCONF_* environment variable. Sensitive ones are never echoed.
type EnvVar struct {
	Name        string
	Description string
	Expects     string
	Sensitive   bool
}

// Env lists every environment variable chanconf reads. Nothing else is read from the
// environment (tests grep for os.Getenv outside this registry).
func Env() []EnvVar {
	return []EnvVar{
		{Name: "CHANCONF_TARGET", Description: "base URL of the channel to test when --target is not given (also used by `go test ./suites/...`)", Expects: "https URL"},
		{Name: "CHANCONF_DECLARATION", Description: "channel declaration file when --declaration is not given", Expects: "path"},
		{Name: "NO_COLOR", Description: "disables colour on the console", Expects: "any non-empty value"},
	}
}
