package crawler

import (
	"fmt"
	"testing"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"", Shard{}, true},
		{"0/1", Shard{0, 1}, true},
		{"2/3", Shard{2, 3}, true},
		{"3/3", Shard{}, false},
		{"-1/3", Shard{}, false},
		{"1/0", Shard{}, false},
		{"1", Shard{}, false},
		{"a/b", Shard{}, false},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// Shards partition the sources: each source in exactly one, hosts never
// split, and no shard empty for a reasonable spread.
func TestShardPartitions(t *testing.T) {
	var sources []Source
	for i := range 300 {
		host := fmt.Sprintf("127.0.%d.%d:8080", i/250, 1+i%250)
		sources = append(sources, Source{Name: fmt.Sprint(i), Level: "township", StartURLs: []string{"http://" + host + "/"}})
		// A second source on the same host must land in the same shard.
		sources = append(sources, Source{Name: fmt.Sprint(i, "b"), Level: "department", StartURLs: []string{"http://" + host + "/bm/"}})
	}
	const n = 4
	seen := map[string]int{}
	for i := range n {
		part := Shard{i, n}.Select(sources)
		if len(part) == 0 {
			t.Errorf("shard %d/%d empty", i, n)
		}
		for _, s := range part {
			seen[s.Name]++
			if !(Shard{i, n}).Owns(s) {
				t.Errorf("Select returned %s, which shard %d does not own", s.Name, i)
			}
		}
		for j := 0; j+1 < len(sources); j += 2 {
			if (Shard{i, n}).Owns(sources[j]) != (Shard{i, n}).Owns(sources[j+1]) {
				t.Errorf("host of %s split across shards", sources[j].Name)
			}
		}
	}
	for _, s := range sources {
		if seen[s.Name] != 1 {
			t.Errorf("source %s in %d shards", s.Name, seen[s.Name])
		}
	}
}
