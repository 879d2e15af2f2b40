package crawler

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: a
// crawl must stop every worker, timer and connection it started.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
