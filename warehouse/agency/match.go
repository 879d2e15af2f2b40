package agency

import (
	"slices"
	"strings"
)

// Match statuses.
const (
	// Matched means exactly one agency was found.
	Matched = "matched"
	// Ambiguous means several agencies in scope carry the name; they are
	// listed in Match.Candidates and none is chosen.
	Ambiguous = "ambiguous"
	// Unmatched means no agency in scope carries the name.
	Unmatched = "unmatched"
)

// Match methods: how a matched agency was found.
const (
	// MethodName: the only agency in the source's region with the name.
	MethodName = "name"
	// MethodText: several agencies carry the name; the report's own text
	// placed it in one of them (the parser's region code).
	MethodText = "text_region"
	// MethodNational: the source has no known region, and the name is
	// unique in the country.
	MethodNational = "national"
)

// Query is what is known about a report's publisher.
type Query struct {
	// Name is the agency the report names ("三滩镇人民政府"); empty means
	// the source's name stands for it.
	Name string
	// Level is the parser's level for the body, when it gave one.
	Level string
	// RegionCode is the region the parser placed the body in, from the
	// report's text and the source's registration.
	RegionCode string
	// Source is the registration of the crawl source that reached the
	// report: its name, level and region code.
	SourceName, SourceLevel, SourceRegion string
}

// Match is a report's agency, or why there is none.
type Match struct {
	// AgencyID is set when Status is Matched.
	AgencyID string
	Status   string
	// Method says how a match was made (Method* constants).
	Method string
	// Candidates are the agencies the name designates in scope, sorted
	// by ID; one when matched, several when ambiguous.
	Candidates []string
}

// Match decides which agency q names. The search is confined to the
// division the source is registered for (and what lies within it); a
// source with no known region searches the whole country but matches only
// a name unique there. Government names may be the division's own or the
// body's ("三滩镇", "三滩镇人民政府", "厚桥街道办事处"); departments match their
// registered name, with or without the names of their enclosing divisions
// ("靖远县教育局" and "教育局" in 靖远县).
func (d *Directory) Match(q Query) Match {
	name := Normalize(q.Name)
	if name == "" {
		name = Normalize(q.SourceName)
	}
	if name == "" {
		return Match{Status: Unmatched}
	}
	scope := ""
	if q.SourceRegion != "" {
		if a, ok := d.Division(q.SourceRegion); ok {
			scope = a.ID
		}
	}
	var cands []string
	if q.Level == LevelDepartment || !d.looksLikeGovernment(name) {
		cands = d.departments(name, scope)
	}
	if len(cands) == 0 {
		cands = d.divisions(name, q.Level, scope)
	}
	slices.Sort(cands)
	cands = slices.Compact(cands)
	switch {
	case len(cands) == 0:
		return Match{Status: Unmatched}
	case len(cands) == 1 && scope == "" && q.SourceRegion != "":
		// The registered region is unknown: do not trust a name alone.
		return Match{Status: Ambiguous, Candidates: cands}
	case len(cands) == 1 && scope == "":
		return Match{AgencyID: cands[0], Status: Matched, Method: MethodNational, Candidates: cands}
	case len(cands) == 1:
		return Match{AgencyID: cands[0], Status: Matched, Method: MethodName, Candidates: cands}
	}
	if rc, ok := d.Division(q.RegionCode); ok && slices.Contains(cands, rc.ID) {
		return Match{AgencyID: rc.ID, Status: Matched, Method: MethodText, Candidates: cands}
	}
	return Match{Status: Ambiguous, Candidates: cands}
}

// looksLikeGovernment reports whether a body's name is a government's: it
// designates some division (a department's, "靖远县教育局", does not).
func (d *Directory) looksLikeGovernment(name string) bool {
	return len(d.g.Resolve(name, "")) > 0 && !strings.HasSuffix(name, "局") && !strings.HasSuffix(name, "委员会")
}

// divisions returns the governments within scope that name designates,
// preferring those of the stated level.
func (d *Directory) divisions(name, level, scope string) []string {
	var all, atLevel []string
	for _, div := range d.g.Resolve(name, scope) {
		if IsPlaceholder(div.Name) {
			continue
		}
		all = append(all, div.Code)
		if string(div.Level) == level {
			atLevel = append(atLevel, div.Code)
		}
	}
	if len(atLevel) > 0 {
		return atLevel
	}
	return all
}

// departments returns the registered departments within scope that name
// designates: those registered under the name itself, or failing any,
// those whose name without their divisions' names ("教育局") is the
// name's without the same divisions.
func (d *Directory) departments(name, scope string) []string {
	var exact, short []string
	// The departments in scope are the run of d.depts whose region codes
	// start with it.
	from, _ := slices.BinarySearchFunc(d.depts, scope, func(i int, scope string) int {
		return strings.Compare(d.all[i].RegionCode, scope)
	})
	region, nameShort := "", "" // name's shortName in region's chain
	for k, i := range d.depts[from:] {
		a := d.all[i]
		if !strings.HasPrefix(a.RegionCode, scope) {
			break
		}
		if a.Name == name {
			exact = append(exact, a.ID)
			continue
		}
		if a.RegionCode != region {
			region, nameShort = a.RegionCode, d.shortName(name, a.Chain)
		}
		if s := d.short[from+k]; s != "" && s == nameShort {
			short = append(short, a.ID)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return short
}

// shortName strips the names of the divisions in chain from the front of
// name: "靖远县教育局" in 甘肃省 › 白银市 › 靖远县 is "教育局".
func (d *Directory) shortName(name string, chain []string) string {
	for _, code := range chain {
		if a, ok := d.Get(code); ok && !a.Placeholder {
			name = strings.TrimPrefix(name, a.Name)
		}
	}
	return name
}
