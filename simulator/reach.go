package simulator

import (
	"slices"
	"strings"
)

// Reachability. A crawler starting at a portal's start URL reaches a
// report when every page on some chain of links from the start to the
// report (and to its attachment) is allowed by robots.txt and not
// permanently faulted in the generation. The chains are the portal's own
// links: home page → 政务公开 page → report column; list page → the pages
// its pager links and its reports' detail pages; the xxgk module form →
// each organisation's and year's report; a stub page → its attachment.
// A page that fails is still requested, but its links are not followed.

// reach is the outcome of walking one portal in a generation.
type reach struct {
	// fetched are the URIs a crawler requests: allowed by robots.txt and
	// linked from a page it got.
	fetched map[string]bool
	// got are the fetched URIs whose content it gets.
	got map[string]bool
}

// links returns the report-related URIs the page at uri links to; all
// are the reports in gen, newest first, and byPath indexes them.
func (sim *Simulator) links(s *site, uri string, gen int, all []*report, byPath map[string]*report) []string {
	switch {
	case uri == "/index.html":
		return []string{s.zwgkPath(), s.columnStart()}
	case uri == s.zwgkPath():
		return []string{s.columnStart()}
	case s.module && uri == s.columnStart():
		var out []string
		for _, o := range s.orgs() {
			for _, y := range sim.moduleYears(s, gen) {
				out = append(out, moduleURI(o[1], y))
			}
		}
		return out
	}
	pages := max(1, (len(all)+s.listSize-1)/s.listSize)
	for k := range pages {
		if uri != s.listURI(k) {
			continue
		}
		var out []string
		for _, p := range s.pagerLinks(k, pages) {
			out = append(out, s.listURI(p))
		}
		for _, r := range all[min(k*s.listSize, len(all)):min((k+1)*s.listSize, len(all))] {
			out = append(out, r.path)
		}
		return out
	}
	if r := byPath[uri]; r != nil {
		{
			var out []string
			if r.attach != "" {
				out = append(out, r.attach)
			}
			if r.junk {
				for _, j := range s.junk {
					out = append(out, j.path)
				}
			}
			return out
		}
	}
	return nil
}

// walk explores the portal from its start URI. robots and faults say
// whether to apply each.
func (sim *Simulator) walk(s *site, gen int, robots, faults bool) reach {
	out := reach{fetched: map[string]bool{}, got: map[string]bool{}}
	all := sim.reportsAt(s, gen)
	byPath := make(map[string]*report, len(all))
	for _, r := range all {
		byPath[r.path] = r
	}
	queue := []string{s.startURI()}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if out.fetched[u] || (robots && !s.robots.allowed(u)) {
			continue
		}
		out.fetched[u] = true
		if faults && s.faultFor(sim.cfg.Seed, gen, u).blocks() {
			continue
		}
		out.got[u] = true
		queue = append(queue, sim.links(s, u, gen, all, byPath)...)
	}
	return out
}

// unreachable says why r cannot be had from s's start URI in gen: "" when
// it can, "robots" when robots.txt alone forbids every way in, else
// "fault:<kind>" naming the permanent fault on the first blocked page of
// its way in.
func (sim *Simulator) unreachable(s *site, r *report, gen int, full, robotsOnly reach) string {
	have := func(rc reach) bool {
		return rc.got[r.path] && (r.attach == "" || rc.got[r.attach])
	}
	if have(full) {
		return ""
	}
	if !have(robotsOnly) {
		return "robots"
	}
	for _, u := range []string{r.path, r.attach} {
		if u == "" {
			continue
		}
		if f := s.faultFor(sim.cfg.Seed, gen, u); f.blocks() {
			return "fault:" + f.kind
		}
	}
	// Blocked on the way in: name the first failing page the walk met.
	for _, u := range sortedKeys(full.fetched) {
		if !full.got[u] {
			return "fault:" + s.faultFor(sim.cfg.Seed, gen, u).kind
		}
	}
	return "fault"
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	// Shorter URIs first: the column's pages before its reports'.
	slices.SortFunc(out, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	})
	return out
}
