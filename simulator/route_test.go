package simulator

import (
	"net/http"
	"net/url"
	"testing"
)

// FuzzRoute checks that any request path gets a 200 or a 404, never a
// panic or another status.
func FuzzRoute(f *testing.F) {
	cfg := DefaultConfig()
	cfg.Counties = []string{"620421"}
	sim, err := New(cfg, loadGazetteer(f), nil)
	if err != nil {
		f.Fatal(err)
	}
	st := sim.sites[1]
	for _, p := range []string{"/", "/robots.txt", startPath, reportColumn + "index_1.html", reportColumn + "index_-1.html",
		reportColumn + "index_.html", reportColumn + "index_1", st.reports[0].path, st.articles[0].path, "/admin/", "\x00", ""} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, path string) {
		u, err := url.Parse(path)
		if err != nil {
			return
		}
		resp := sim.route(st, u.Path, u.Query(), 0)
		if resp.status != http.StatusOK && resp.status != http.StatusNotFound {
			t.Errorf("route(%q) = %d", path, resp.status)
		}
		if len(resp.body) == 0 {
			t.Errorf("route(%q) has an empty body", path)
		}
	})
}
