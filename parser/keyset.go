package parser

import (
	"math/bits"
	"strings"
)

// keySet finds which of up to 64 keywords occur in a text in one pass: a
// table indexed by a hash of three bytes names the keywords that can start
// at each position, so the many strings.Contains calls it replaces, each
// scanning the whole text, become one scan. It is read only once built,
// and safe for concurrent use.
type keySet struct {
	keys []string
	// starts[h] has bit i set when keys[i] begins with three bytes that
	// hash to h.
	starts [1 << keyHashBits]uint64
}

const keyHashBits = 10

// keyHash hashes the three bytes at s[i:].
func keyHash(s string, i int) uint32 {
	x := uint32(s[i])<<16 | uint32(s[i+1])<<8 | uint32(s[i+2])
	return x * 0x9E3779B1 >> (32 - keyHashBits)
}

// newKeySet returns the keySet of keys, each at least three bytes long; at
// most 64 keys are used.
func newKeySet(keys ...string) *keySet {
	k := &keySet{keys: keys[:min(len(keys), 64)]}
	for i, key := range k.keys {
		k.starts[keyHash(key, 0)] |= 1 << i
	}
	return k
}

// find returns a bitmask of the keys that occur in s: bit i for keys[i].
func (k *keySet) find(s string) uint64 {
	var found uint64
	for i := 0; i+2 < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			continue // inside a character: no key starts there
		}
		m := k.starts[keyHash(s, i)] &^ found
		for m != 0 {
			j := bits.TrailingZeros64(m)
			m &^= 1 << j
			if strings.HasPrefix(s[i:], k.keys[j]) {
				found |= 1 << j
			}
		}
	}
	return found
}
