package mutation

import (
	"slices"
	"testing"
)

func TestSchedule(t *testing.T) {
	tests := []struct {
		n, every int
		want     []int
	}{
		{3, 25, []int{1, 2, 3, 0}},
		{4, 2, []int{1, 2, 0, 3, 4, 0}},
		{5, 2, []int{1, 2, 0, 3, 4, 0, 5, 0}},
		{0, 2, []int{0}},
	}
	for _, tt := range tests {
		if got := schedule(tt.n, tt.every); !slices.Equal(got, tt.want) {
			t.Errorf("schedule(%d, %d) = %v, want %v", tt.n, tt.every, got, tt.want)
		}
	}
}

// TestChildEnv: a mutant run never inherits a target to test (it must test the embedded,
// mutated channel) and always carries its mutant number.
func TestChildEnv(t *testing.T) {
	got := childEnv([]string{"HOME=/h", "CHANCONF_TARGET=https://x", "CHANCONF_DECLARATION=d.yaml", "CHANCONF_MUTANT=9"}, 3)
	want := []string{"HOME=/h", "CHANCONF_MUTANT=3"}
	if !slices.Equal(got, want) {
		t.Errorf("childEnv = %v, want %v", got, want)
	}
}

// TestBlame: a compiler error inside a mutant's copy drops that mutant only.
func TestBlame(t *testing.T) {
	a, b := &Mutant{ID: "a"}, &Mutant{ID: "b"}
	ov := &overlay{ranges: map[string][]lineRange{"fixtures/p/x.go": {{from: 10, to: 20, m: a}, {from: 21, to: 30, m: b}}}}
	out := []byte("# github.com/chanconf/chanconf/fixtures/p\nfixtures/p/x.go:25:3: declared and not used: v\nfixtures/p/y.go:25:3: other\n")
	got := ov.blame(out)
	if len(got) != 1 || got[b] != "declared and not used: v" {
		t.Errorf("blame = %v, want only b", got)
	}
}
