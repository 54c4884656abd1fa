package iostreams

import "testing"

// TestColorAndProgress: colour follows --no-color, NO_COLOR, CLICOLOR_FORCE, CLICOLOR and
// TERM=dumb in that precedence, per stream; the live progress line needs two terminals and a
// terminal that is not dumb.
func TestColorAndProgress(t *testing.T) {
	tests := []struct {
		name           string
		env            map[string]string
		outTTY, errTTY bool
		noColorFlag    bool
		wantErrColor   bool
		wantOutColor   bool
		wantLive       bool
	}{
		{"both terminals", nil, true, true, false, true, true, true},
		{"--no-color", nil, true, true, true, false, false, true},
		{"stdout piped", nil, false, true, false, true, false, false},
		{"stderr piped", nil, true, false, false, false, true, false},
		{"nothing a terminal", nil, false, false, false, false, false, false},
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, true, true, false, false, false, true},
		{"NO_COLOR empty is unset", map[string]string{"NO_COLOR": ""}, true, true, false, true, true, true},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, true, true, false, false, false, false},
		{"TERM=xterm", map[string]string{"TERM": "xterm-256color"}, true, true, false, true, true, true},
		{"CLICOLOR=0", map[string]string{"CLICOLOR": "0"}, true, true, false, false, false, true},
		{"CLICOLOR_FORCE without terminal", map[string]string{"CLICOLOR_FORCE": "1"}, false, false, false, true, true, false},
		{"CLICOLOR_FORCE=0 forces nothing", map[string]string{"CLICOLOR_FORCE": "0"}, false, false, false, false, false, false},
		{"CLICOLOR_FORCE beats TERM=dumb", map[string]string{"CLICOLOR_FORCE": "1", "TERM": "dumb"}, false, false, false, true, true, false},
		{"NO_COLOR beats CLICOLOR_FORCE", map[string]string{"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, true, true, false, false, false, true},
		{"--no-color beats CLICOLOR_FORCE", map[string]string{"CLICOLOR_FORCE": "1"}, true, true, true, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios := System(func(k string) string { return tt.env[k] })
			ios.SetTerminal(tt.outTTY, tt.errTTY)
			ios.SetNoColor(tt.noColorFlag)
			if got := ios.ColorEnabled(); got != tt.wantErrColor {
				t.Errorf("ColorEnabled() = %v, want %v", got, tt.wantErrColor)
			}
			if got := ios.OutColorEnabled(); got != tt.wantOutColor {
				t.Errorf("OutColorEnabled() = %v, want %v", got, tt.wantOutColor)
			}
			if got := ios.LiveProgress(); got != tt.wantLive {
				t.Errorf("LiveProgress() = %v, want %v", got, tt.wantLive)
			}
		})
	}
}
