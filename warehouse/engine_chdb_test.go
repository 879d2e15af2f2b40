package warehouse

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestCHDBSessionSettings checks that every setting chdbSession sets is in
// force on an open chDB warehouse.
func TestCHDBSessionSettings(t *testing.T) {
	w := openCHDBWarehouse(t)
	for _, set := range chdbSession() {
		name, value, ok := strings.Cut(strings.TrimPrefix(set, "SET "), " = ")
		if !ok {
			t.Fatalf("%q is not SET name = value", set)
		}
		value = strings.Trim(value, "'")
		r, err := w.eng.query(context.Background(), "SELECT toString(getSetting('"+name+"'))")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := r.Rows[0][0].(string)
		if got != value && !(value == "0" && got == "false") && !(value == "1" && got == "true") {
			t.Errorf("%s = %q, want %q", name, got, value)
		}
	}
}

// TestInsertBuffers: an INSERT takes the smallest kept buffer that holds
// its block, else the largest; a finished one is kept up to the limit,
// then in place of a smaller one.
func TestInsertBuffers(t *testing.T) {
	caps := func(bufs [][]byte) []int {
		var out []int
		for _, b := range bufs {
			out = append(out, cap(b))
		}
		return out
	}
	mk := func(cs ...int) [][]byte {
		var out [][]byte
		for _, c := range cs {
			out = append(out, make([]byte, 0, c))
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		have      []int
		size      int
		took      int
		remaining []int
	}{
		{"none kept", nil, 10, 0, nil},
		{"smallest that fits", []int{50, 200, 20, 100}, 60, 100, []int{50, 200, 20}},
		{"exact fit", []int{50, 60, 70}, 60, 60, []int{50, 70}},
		{"none fits: the largest", []int{50, 10, 30}, 60, 50, []int{10, 30}},
		{"one kept", []int{5}, 60, 5, []int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bufs := mk(tc.have...)
			got := takeBuffer(&bufs, tc.size)
			if cap(got) != tc.took {
				t.Errorf("took a buffer of %d, want %d", cap(got), tc.took)
			}
			if c := caps(bufs); len(c)+len(tc.remaining) > 0 && !slices.Equal(c, tc.remaining) {
				t.Errorf("left %v, want %v", c, tc.remaining)
			}
		})
	}
	for _, tc := range []struct {
		name string
		have []int
		put  int
		want []int
	}{
		{"room left", []int{10}, 20, []int{10, 20}},
		{"full: replaces the smallest", []int{30, 10, 20}, 15, []int{30, 15, 20}},
		{"full: smaller than all", []int{30, 10, 20}, 5, []int{30, 10, 20}},
		{"over the size limit", nil, 101, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bufs := mk(tc.have...)
			putBuffer(&bufs, make([]byte, 0, tc.put), 3, 100)
			if c := caps(bufs); !slices.Equal(c, tc.want) {
				t.Errorf("kept %v, want %v", c, tc.want)
			}
		})
	}
}
