package parser

import (
	"strings"
	"sync"

	"github.com/nianbao/nianbao/gazetteer"
)

// regions resolves reporting bodies to NBS division codes with the
// embedded gazetteer, loaded on first use.
type regions struct {
	once sync.Once
	g    *gazetteer.Gazetteer
	err  error
}

func (rg *regions) load() (*gazetteer.Gazetteer, error) {
	rg.once.Do(func() { rg.g, rg.err = gazetteer.Load() })
	return rg.g, rg.err
}

// resolveRegion sets r.RegionCode when the gazetteer resolves the body's
// name to one division, within the hinted region when there is one; when
// several divisions bear the name, the one whose enclosing county or city
// the report names wins. A body whose division is found also gets the
// division's level, unless it is a department or the caller gave a level:
// a 市 may be a county-level city. Without a resolution the hint's code
// stands.
func (p *Parser) resolveRegion(r *Report, d *document, hint Hint) {
	r.RegionCode = hint.RegionCode
	if !p.cfg.ResolveRegions || r.Agency == "" {
		return
	}
	g, err := p.regions.load()
	if err != nil {
		return
	}
	for _, name := range regionNames(r.Agency, r.Level) {
		divs := g.Resolve(name, hint.RegionCode)
		if len(divs) > 1 && d != nil {
			divs = namedParents(g, divs, d.prose)
		}
		if len(divs) != 1 {
			continue
		}
		div := divs[0]
		r.RegionCode = div.Code
		if hint.Level == "" && r.Level != LevelDepartment {
			switch div.Level {
			case gazetteer.LevelProvince:
				r.Level = LevelProvince
			case gazetteer.LevelCity:
				r.Level = LevelCity
			case gazetteer.LevelCounty:
				r.Level = LevelCounty
			case gazetteer.LevelTownship:
				r.Level = LevelTownship
			}
		}
		return
	}
}

// regionNames returns the names to look a body up by: the body itself, or
// for a department the places its name starts with, longest first
// ("府谷县人民政府办公室" → "府谷县").
func regionNames(agency, level string) []string {
	if level != LevelDepartment {
		return []string{agency}
	}
	var out []string
	rs := []rune(agency)
	for i := len(rs) - 1; i >= 2; i-- {
		switch rs[i-1] {
		case '省', '市', '县', '区', '旗', '州', '盟':
			out = append(out, string(rs[:i]))
		}
	}
	return out
}

// namedParents keeps the divisions one of whose enclosing divisions the
// text names ("地址:靖远县三滩镇…" picks the 三滩镇 of 靖远县).
func namedParents(g *gazetteer.Gazetteer, divs []gazetteer.Division, text string) []gazetteer.Division {
	var out []gazetteer.Division
	for _, d := range divs {
		for _, p := range g.Parents(d.Code) {
			if placeName(p.Name) && strings.Contains(text, p.Name) {
				out = append(out, d)
				break
			}
		}
	}
	return out
}

// placeName reports whether a division name names a place, unlike the NBS
// placeholders 市辖区, 县 and 省直辖县级行政区划.
func placeName(name string) bool {
	switch name {
	case "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划":
		return false
	}
	return runeLen(name) >= 2
}
