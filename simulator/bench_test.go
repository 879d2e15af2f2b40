package simulator

import (
	"testing"
)

// BenchmarkNew measures laying out the default portals: drawing and
// rendering every report once.
func BenchmarkNew(b *testing.B) {
	gaz := loadGazetteer(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(DefaultConfig(), gaz, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStartClose measures binding and releasing the default portals'
// listeners.
func BenchmarkStartClose(b *testing.B) {
	gaz := loadGazetteer(b)
	sim, err := New(DefaultConfig(), gaz, nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		s := &Simulator{cfg: sim.cfg, logger: sim.logger, sites: sim.sites, cache: sim.cache, done: make(chan struct{})}
		b.StartTimer()
		if err := s.Start(b.Context()); err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReportPage measures rendering one table report page, the work
// of each detail request.
func BenchmarkReportPage(b *testing.B) {
	sim, err := New(DefaultConfig(), loadGazetteer(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	st := sim.sites[0]
	r := st.reports[0]
	b.ReportAllocs()
	for b.Loop() {
		if resp := sim.route(st, r.path, nil, 0); resp.status != 200 {
			b.Fatal(resp.status)
		}
	}
}
