package warehouse

import (
	"context"
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
