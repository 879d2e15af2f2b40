package parser

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestKeySet checks keySet.find against strings.Contains, on texts built
// from the keys' own pieces so that near misses abound.
func TestKeySet(t *testing.T) {
	keys := templateMarkers()
	k := newKeySet(keys...)
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			key := []rune(keys[r.IntN(len(keys))])
			i, j := r.IntN(len(key)), r.IntN(len(key)+1)
			if r.IntN(3) == 0 {
				i, j = 0, len(key)
			}
			b.WriteString(string(key[min(i, j):max(i, j)]))
		}
		s := b.String()
		got := k.find(s)
		for i, key := range keys {
			if want := strings.Contains(s, key); want != (got&(1<<i) != 0) {
				t.Fatalf("find(%q) key %q = %v, want %v", s, key, !want, want)
			}
		}
	}
}

func TestRuneCount(t *testing.T) {
	for _, s := range []string{"", "abc", "三滩镇2019年", "a\xffb", "\xe4\xb8", "根據(jù)", "\x80\x80"} {
		if got, want := runeCount(s), len([]rune(s)); got != want {
			t.Errorf("runeCount(%q) = %d, want %d", s, got, want)
		}
	}
}
