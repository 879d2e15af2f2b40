package chdb

import (
	"slices"
	"testing"
)

func TestCandidates(t *testing.T) {
	tests := []struct {
		name string
		s    Search
		want []string
	}{
		{"explicit wins", Search{Explicit: "/opt/x.so", Env: "/env.so", WorkDir: "/w"}, []string{"/opt/x.so"}},
		{"env alone", Search{Env: "/env/libchdb.so", WorkDir: "/w"}, []string{"/env/libchdb.so"}},
		{"search order", Search{WorkDir: "/repo", Executable: "/repo/bin/nianbao"}, []string{
			"/repo/.deps/chdb/libchdb.so",
			"/repo/bin/.deps/chdb/libchdb.so",
			// the executable's parent is the working directory: not twice
			"/usr/local/lib/libchdb.so",
			"libchdb.so",
		}},
		{"nothing known", Search{}, []string{"/usr/local/lib/libchdb.so", "libchdb.so"}},
	}
	for _, tt := range tests {
		if got := tt.s.Candidates(); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Candidates() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
