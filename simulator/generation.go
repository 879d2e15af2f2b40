package simulator

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/simulator/render"
)

// A generation is one state of every portal's content: generation 0 is
// the first crawl's, and each later one may edit some reports (new bytes,
// new validators, figures that still satisfy every identity) and publish
// new ones (which changes the portal's list pages). Everything else stays
// byte for byte the same, with the same ETag and Last-Modified, so a
// conditional GET gets 304. Which reports change is a function of the
// seed and the generation alone.

// futuresAt returns the reports s has published in generations 1…gen,
// oldest first.
func (sim *Simulator) futuresAt(s *site, gen int) []*report {
	cfg := sim.cfg
	if cfg.Changes.NewShare <= 0 || gen <= 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for g := s.pubUpTo + 1; g <= gen; g++ {
		if unit(cfg.Seed, "new", s.div.Code, strconv.Itoa(g)) < cfg.Changes.NewShare {
			s.pubGens = append(s.pubGens, g)
		}
		s.pubUpTo = g
	}
	n := 0
	for n < len(s.pubGens) && s.pubGens[n] <= gen {
		n++
	}
	if len(s.futures) < n {
		draws := futureDraws(cfg, s.agency, n, nil)
		for i := len(s.futures); i < n; i++ {
			d := draws[i]
			r := &report{
				spec:      render.Report{Agency: s.name, Place: s.div.Name, County: s.county.Name, Year: d.year, Template: d.template, Variant: d.variant},
				stream:    streamFuture,
				ord:       i,
				published: d.published,
				indexNo:   fmt.Sprintf("%s/%d-%05d", s.orgCode, d.published.Year(), d.seq),
				orgCode:   s.orgCode,
				firstGen:  s.pubGens[i],
			}
			s.placeReport(cfg, r, d.id, unit(cfg.Seed, "future-format", s.div.Code, strconv.Itoa(i)), unit(cfg.Seed, "future-junk", s.div.Code, strconv.Itoa(i)))
			s.futures = append(s.futures, r)
		}
	}
	return s.futures[:n:n]
}

// reportsAt returns the reports s shows in generation gen, newest first.
func (sim *Simulator) reportsAt(s *site, gen int) []*report {
	fut := sim.futuresAt(s, gen)
	if len(fut) == 0 {
		return s.reports
	}
	out := make([]*report, 0, len(fut)+len(s.reports))
	for i := len(fut) - 1; i >= 0; i-- {
		out = append(out, fut[i])
	}
	return append(out, s.reports...)
}

// listVersion is the generation in which s's list pages last changed.
func (sim *Simulator) listVersion(s *site, gen int) int {
	fut := sim.futuresAt(s, gen)
	if len(fut) == 0 {
		return 0
	}
	return fut[len(fut)-1].firstGen
}

// edited reports whether r is edited in generation g.
func (sim *Simulator) edited(s *site, r *report, g int) bool {
	return g > r.firstGen && unit(sim.cfg.Seed, "edit", s.div.Code, strconv.Itoa(r.stream), strconv.Itoa(r.spec.Year), strconv.Itoa(g)) < sim.cfg.Changes.EditShare
}

// version is the generation r's current content dates from.
func (sim *Simulator) version(s *site, r *report, gen int) int {
	v := r.firstGen
	if sim.cfg.Changes.EditShare <= 0 {
		return v
	}
	for g := r.firstGen + 1; g <= gen; g++ {
		if sim.edited(s, r, g) {
			v = g
		}
	}
	return v
}

// figures regenerates r's complete figures as of generation gen.
func (sim *Simulator) figures(s *site, r *report, gen int) metrics.Values {
	mode := figuresAll
	if r.spec.Template == render.TemplateNarrative {
		mode = figuresNarrative // all it reads
	}
	only := func(ord int) figureMode {
		if ord == r.ord {
			return mode
		}
		return figuresNone
	}
	v := sim.streamFigures(s, r.stream, r.ord+1, only)[r.ord]
	sim.applyEdits(s, r, gen, v)
	return v
}

// streamFigures replays one of s's streams (n years of it, for the future
// one) and returns the figures of the years keep accepts, by position.
func (sim *Simulator) streamFigures(s *site, stream, n int, keep func(int) figureMode) []metrics.Values {
	var d []yearDraw
	switch stream {
	case streamOwn:
		d, _ = ownDraws(sim.cfg, s.agency, keep)
	case streamFuture:
		d = futureDraws(sim.cfg, s.agency, n, keep)
	default:
		_, d = deptDraws(sim.cfg, s.agency, stream, keep)
	}
	out := make([]metrics.Values, len(d))
	for i := range d {
		out[i] = d[i].values
	}
	return out
}

// applyEdits changes v, r's first figures, by the edits of generations up
// to gen.
func (sim *Simulator) applyEdits(s *site, r *report, gen int, v metrics.Values) {
	for g := r.firstGen + 1; g <= gen; g++ {
		if sim.edited(s, r, g) {
			rng := siteRand(sim.cfg.Seed, fmt.Sprintf("%s/edit/%d/%d/%d", s.div.Code, r.stream, r.spec.Year, g))
			add := func(m string, x int) { v[metrics.Key{Metric: m, Applicant: metrics.Total}] += float64(x) }
			// Figures no identity involves, stated by both templates.
			add(metrics.ProactiveItems, 1+rng.IntN(40))
			add(render.Table2LicensingDecisions, 1+rng.IntN(9))
			add(render.Table2PenaltyDecisions, rng.IntN(5))
		}
	}
}

// build renders r as of generation gen.
func (sim *Simulator) build(s *site, r *report, gen int) (render.Doc, error) {
	spec := r.spec
	spec.Values = sim.figures(s, r, gen)
	return render.Build(spec)
}

// epoch is when the first generation's pages other than reports were last
// modified: 1 April after the last year reported on.
func (sim *Simulator) epoch() time.Time {
	return time.Date(sim.cfg.LastYear+1, 4, 1, 9, 0, 0, 0, cst())
}

// lastModified is a page's Last-Modified: its natural date in its first
// version, then a day per generation after the epoch, never going back.
func (sim *Simulator) lastModified(natural time.Time, version int) time.Time {
	if version > 0 {
		if t := sim.epoch().Add(time.Duration(version) * 24 * time.Hour); t.After(natural) {
			return t
		}
	}
	return natural
}

// etag is a page's strong validator: a hash of the portal, the URI and
// the page's version.
func (sim *Simulator) etag(s *site, uri string, version int) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%d", sim.cfg.Seed, s.div.Code, uri, version)
	return fmt.Sprintf("\"%x-%d\"", h.Sum64(), version)
}
