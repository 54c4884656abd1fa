package iostreams

import "testing"

func TestColorAndProgress(t *testing.T) {
	tests := []struct {
		name                string
		outTTY, errTTY      bool
		noColor             bool
		wantColor, wantLive bool
	}{
		{"both terminals", true, true, false, true, true},
		{"no color flag", true, true, true, false, true},
		{"stdout piped", false, true, false, true, false},
		{"stderr piped", true, false, false, false, false},
		{"nothing a terminal", false, false, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := Test()
			ios.SetTerminal(tt.outTTY, tt.errTTY)
			ios.SetNoColor(tt.noColor)
			if got := ios.ColorEnabled(); got != tt.wantColor {
				t.Errorf("ColorEnabled() = %v, want %v", got, tt.wantColor)
			}
			if got := ios.LiveProgress(); got != tt.wantLive {
				t.Errorf("LiveProgress() = %v, want %v", got, tt.wantLive)
			}
		})
	}
}

func TestSystemHonoursNoColor(t *testing.T) {
	ios := System(func(k string) string {
		if k == "NO_COLOR" {
			return "1"
		}
		return ""
	})
	ios.SetTerminal(true, true)
	if ios.ColorEnabled() {
		t.Fatal("NO_COLOR set but colour enabled")
	}
}
