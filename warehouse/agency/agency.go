package agency

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/nianbao/nianbao/gazetteer"
)

// Levels of agency. The first four are the gazetteer's.
const (
	LevelProvince   = "province"
	LevelCity       = "city"
	LevelCounty     = "county"
	LevelTownship   = "township"
	LevelDepartment = "department"
)

// Origins of an agency: the division table, or a crawl source's
// registration.
const (
	OriginGazetteer = "gazetteer"
	OriginSource    = "source"
)

// Agency is a body expected to publish an annual report.
type Agency struct {
	// ID is the division's NBS code, or DepartmentID for a department.
	ID string
	// Name is the division's official name ("三滩镇") or the department's
	// registered name.
	Name  string
	Level string
	// RegionCode is the division's own code; a department's region.
	RegionCode string
	// ParentID is the enclosing division's ID (a department's: its
	// region's); empty for a province.
	ParentID string
	// Chain holds the codes of the divisions from the province down to
	// RegionCode, inclusive.
	Chain []string
	// Placeholder is set for NBS placeholder divisions (市辖区, 县,
	// 省直辖县级行政区划…), which have no government of their own.
	Placeholder bool
	Origin      string
}

// Code returns the code of the division at level in a's chain ("" when
// the chain does not reach it): the province of a township, say.
func (a Agency) Code(level string) string {
	n := 0
	switch level {
	case LevelProvince:
		n = 2
	case LevelCity:
		n = 4
	case LevelCounty:
		n = 6
	case LevelTownship:
		n = 9
	}
	for _, c := range a.Chain {
		if len(c) == n {
			return c
		}
	}
	return ""
}

// Department is a department a crawl source registers.
type Department struct {
	Name       string
	RegionCode string
}

// DepartmentID returns the ID of the department called name in the
// division coded region: "620421/靖远县教育局". Names are compared after
// normalisation (NFKC, no white space), so spacing and full-width forms
// do not make a second department.
func DepartmentID(region, name string) string {
	return region + "/" + Normalize(name)
}

// Normalize returns a name as names are compared: NFKC-normalised, with
// white space removed.
func Normalize(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(name))
}

// IsPlaceholder reports whether a division name is an NBS placeholder
// rather than a place with a government: 市辖区, 县, 省直辖县级行政区划 and
// the like, and the townships named …直辖村级区划.
func IsPlaceholder(name string) bool {
	switch name {
	case "市辖区", "县":
		return true
	}
	return strings.HasSuffix(name, "直辖县级行政区划") || strings.HasSuffix(name, "直辖村级区划")
}

// Directory holds every agency: the gazetteer's divisions and the
// registered departments. It is immutable and safe for concurrent use.
type Directory struct {
	g     *gazetteer.Gazetteer
	all   []Agency
	byID  map[string]int
	depts []int    // indexes of departments in all, by region code
	short []string // each department's shortName, parallel to depts
}

// ErrUnknownRegion is matched by errors for a region code the gazetteer
// does not hold.
var ErrUnknownRegion = errors.New("unknown region code")

// New returns the directory of g's divisions and the departments given.
// A department in a region g does not hold is an error matching
// ErrUnknownRegion; the same department twice is kept once.
func New(g *gazetteer.Gazetteer, depts []Department) (*Directory, error) {
	d := &Directory{g: g, byID: map[string]int{}}
	var walk func(code string, chain []string)
	walk = func(code string, chain []string) {
		for _, div := range g.Children(code) {
			c := append(slices.Clip(chain), div.Code)
			d.add(Agency{
				ID: div.Code, Name: div.Name, Level: string(div.Level), RegionCode: div.Code,
				ParentID: div.ParentCode, Chain: c, Placeholder: IsPlaceholder(div.Name), Origin: OriginGazetteer,
			})
			walk(div.Code, c)
		}
	}
	walk("", nil)
	var errs []error
	for _, dep := range depts {
		region, ok := g.ByCode(dep.RegionCode)
		if !ok {
			errs = append(errs, fmt.Errorf("department %s: %w %q", dep.Name, ErrUnknownRegion, dep.RegionCode))
			continue
		}
		name := Normalize(dep.Name)
		if name == "" {
			errs = append(errs, fmt.Errorf("department in %s: empty name", dep.RegionCode))
			continue
		}
		id := DepartmentID(region.Code, name)
		if _, dup := d.byID[id]; dup {
			continue
		}
		d.depts = append(d.depts, len(d.all))
		d.add(Agency{
			ID: id, Name: name, Level: LevelDepartment, RegionCode: region.Code, ParentID: region.Code,
			Chain: d.all[d.byID[region.Code]].Chain, Origin: OriginSource,
		})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// By region code, so that the departments of a region are one run
	// (registration order kept within it).
	slices.SortStableFunc(d.depts, func(i, j int) int { return strings.Compare(d.all[i].RegionCode, d.all[j].RegionCode) })
	d.short = make([]string, len(d.depts))
	for k, i := range d.depts {
		d.short[k] = d.shortName(d.all[i].Name, d.all[i].Chain)
	}
	return d, nil
}

func (d *Directory) add(a Agency) {
	d.byID[a.ID] = len(d.all)
	d.all = append(d.all, a)
}

// Agencies returns every agency: divisions in code order, then
// departments in registration order. The slice is shared; do not modify it.
func (d *Directory) Agencies() []Agency { return d.all }

// Get returns the agency with the given ID.
func (d *Directory) Get(id string) (Agency, bool) {
	i, ok := d.byID[id]
	if !ok {
		return Agency{}, false
	}
	return d.all[i], true
}

// Division returns the division a code names, accepting the 12-digit
// padded form; ok is false for an unknown code.
func (d *Directory) Division(code string) (Agency, bool) {
	div, ok := d.g.ByCode(code)
	if !ok {
		return Agency{}, false
	}
	return d.Get(div.Code)
}
