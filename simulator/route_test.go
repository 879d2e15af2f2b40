package simulator

import (
	"net/http"
	"net/url"
	"testing"
)

// FuzzRoute checks that any request URI gets a 200 or a 404, never a
// panic or another status, on a TRS portal, a Hanweb one and an xxgk
// module one.
func FuzzRoute(f *testing.F) {
	cfg, err := Profile("mixed")
	if err != nil {
		f.Fatal(err)
	}
	cfg.Counties = []string{"620421"}
	cfg.Formats = map[string]float64{FormatHTML: 1, FormatDOCX: 1} // no PDF: it is slow
	cfg.HanwebModuleShare = 0.5
	sim, err := New(cfg, loadGazetteer(f), nil)
	if err != nil {
		f.Fatal(err)
	}
	var sites []*site
	kinds := map[string]bool{}
	for _, st := range sim.sites {
		kind := st.style
		if st.module {
			kind = "module"
		}
		if !kinds[kind] {
			kinds[kind] = true
			sites = append(sites, st)
		}
	}
	if len(sites) != 3 {
		f.Fatalf("site kinds %v, want trs, hanweb and module", kinds)
	}
	seeds := []string{"/", "/robots.txt", startPath, reportColumn + "index_1.html", reportColumn + "index_-1.html",
		reportColumn + "index_.html", reportColumn + "index_1", "/admin/", "\x00", "", "/module/xxgk/xxgkAnnualReport.jsp?area=x&fbtime=2022",
		"/module/download/downfile.jsp?filename=x.pdf", "/col/col1/index.html?pageNum=0"}
	for _, st := range sites {
		seeds = append(seeds, st.columnStart(), st.listURI(1), st.listURI(9), st.columnStart()+"?uid=1&pageNum=2", st.articles[0].path)
		for _, r := range st.reports {
			seeds = append(seeds, r.path, r.attach)
		}
	}
	for _, p := range seeds {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		u, err := url.ParseRequestURI(uri)
		if err != nil {
			return
		}
		for _, st := range sites {
			resp := sim.route(st, u.Path, u.Query(), 1)
			if resp.status != http.StatusOK && resp.status != http.StatusNotFound {
				t.Errorf("route(%q) = %d on %s", uri, resp.status, st.style)
			}
			if len(resp.body) == 0 {
				t.Errorf("route(%q) has an empty body", uri)
			}
		}
	})
}
