package warehouse

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/warehouse/agency"
)

// agencyState is the Warehouse's agency directory, built on first use
// from the gazetteer and the registered departments, and the matches it
// has made (reports of one body repeat the same question every year).
type agencyState struct {
	mu      sync.Mutex
	dir     *agency.Directory
	matches map[agency.Query]agency.Match
}

// maxCachedMatches bounds the match cache; it is emptied when full.
const maxCachedMatches = 1 << 20

// directory returns the agency directory, loading it on first use.
func (w *Warehouse) directory(ctx context.Context) (*agency.Directory, error) {
	w.agencies.mu.Lock()
	defer w.agencies.mu.Unlock()
	if w.agencies.dir != nil {
		return w.agencies.dir, nil
	}
	g, err := gazetteer.Load()
	if err != nil {
		return nil, fmt.Errorf("agencies: %w", err)
	}
	var depts []agency.Department
	r, err := w.eng.query(ctx, "SELECT name, region_code FROM agencies WHERE origin = 'source' AND level = 'department' ORDER BY agency_id")
	switch {
	case errorCode(err) == codeUnknownTable:
		// Not migrated to schema v2: no departments registered.
	case err != nil:
		return nil, fmt.Errorf("agencies: read departments: %w", err)
	default:
		for _, row := range r.Rows {
			depts = append(depts, agency.Department{Name: row[0].(string), RegionCode: row[1].(string)})
		}
	}
	dir, err := agency.New(g, depts)
	if err != nil {
		return nil, fmt.Errorf("agencies: %w", err)
	}
	w.agencies.dir = dir
	w.agencies.matches = map[agency.Query]agency.Match{}
	return dir, nil
}

// Agencies returns the agency directory the warehouse matches reports
// against: every gazetteer division and the departments registered when
// it was first needed (WriteSources refreshes it).
func (w *Warehouse) Agencies(ctx context.Context) (*agency.Directory, error) {
	return w.directory(ctx)
}

// match matches q in dir, through the cache.
func (w *Warehouse) match(dir *agency.Directory, q agency.Query) agency.Match {
	w.agencies.mu.Lock()
	m, ok := w.agencies.matches[q]
	w.agencies.mu.Unlock()
	if ok {
		return m
	}
	m = dir.Match(q)
	w.agencies.mu.Lock()
	if w.agencies.dir == dir {
		if len(w.agencies.matches) >= maxCachedMatches {
			clear(w.agencies.matches)
		}
		w.agencies.matches[q] = m
	}
	w.agencies.mu.Unlock()
	return m
}

// forgetAgencies drops the directory, so the next use reloads it.
func (w *Warehouse) forgetAgencies() {
	w.agencies.mu.Lock()
	defer w.agencies.mu.Unlock()
	w.agencies.dir, w.agencies.matches = nil, nil
}

// agencyRow returns an agency as agency_rows holds it.
func agencyRow(a agency.Agency, version uint64) []any {
	return []any{
		a.ID, a.Name, a.Level, a.RegionCode, a.ParentID,
		a.Code(agency.LevelProvince), a.Code(agency.LevelCity), a.Code(agency.LevelCounty),
		nonNil(a.Chain), boolUint8(a.Placeholder), a.Origin, version,
	}
}

// seedAgencies writes every gazetteer division into agency_rows unless
// they are all there already.
func (w *Warehouse) seedAgencies(ctx context.Context) error {
	dir, err := w.directory(ctx)
	if err != nil {
		return err
	}
	var divisions []agency.Agency
	for _, a := range dir.Agencies() {
		if a.Origin == agency.OriginGazetteer {
			divisions = append(divisions, a)
		}
	}
	r, err := w.eng.query(ctx, "SELECT count() FROM agencies WHERE origin = 'gazetteer'")
	if err != nil {
		return fmt.Errorf("seed agencies: %w", err)
	}
	if len(r.Rows) == 1 && r.Rows[0][0] == uint64(len(divisions)) {
		return nil
	}
	version, _ := w.nextVersion()
	rows := make([][]any, len(divisions))
	for i, a := range divisions {
		rows[i] = agencyRow(a, version)
	}
	if err := w.insertBatched(ctx, agenciesTable, rows); err != nil {
		return fmt.Errorf("seed agencies: %w", err)
	}
	return nil
}

// Source is a crawl source as the warehouse registers it: a body and the
// URLs its portal is crawled from.
type Source struct {
	Name       string
	Level      string
	RegionCode string
	StartURLs  []string
	// AgencyID is the agency the source registers (set by
	// CheckSources and WriteSources).
	AgencyID string
	// RegisteredAt is when the source was last written.
	RegisteredAt time.Time
}

// SourceProblem is something wrong with a source registration.
type SourceProblem struct {
	// Index is the source's position in the list checked.
	Index int
	Name  string
	// Fatal problems stop WriteSources; others are warnings.
	Fatal   bool
	Message string
}

// Error implements error.
func (p SourceProblem) Error() string {
	return fmt.Sprintf("sources[%d] %s: %s", p.Index, p.Name, p.Message)
}

// ErrInvalidSources is matched by the error WriteSources returns when
// CheckSources finds a fatal problem.
var ErrInvalidSources = errors.New("invalid sources")

// CheckSources checks registrations against the gazetteer and sets each
// source's AgencyID. Fatal: an unknown region code, a level that does
// not fit the code (a township's is 9 digits, a county's 6, a city's 4, a
// province's 2), a government whose name designates another division, a
// department with no name or no region, the same agency registered twice
// with different names. Warning: a government whose name designates no
// division at all (the name is then not checked).
func CheckSources(dir *agency.Directory, srcs []Source) []SourceProblem {
	var out []SourceProblem
	seen := map[string]int{}
	for i := range srcs {
		s := &srcs[i]
		bad := func(fatal bool, format string, args ...any) {
			out = append(out, SourceProblem{Index: i, Name: s.Name, Fatal: fatal, Message: fmt.Sprintf(format, args...)})
		}
		if strings.TrimSpace(s.Name) == "" {
			bad(true, "no name")
			continue
		}
		if s.RegionCode == "" {
			bad(true, "no region_code: a source's region scopes the agency names its reports are matched against")
			continue
		}
		region, ok := dir.Division(s.RegionCode)
		if !ok {
			bad(true, "region_code %q is not an NBS code the gazetteer holds", s.RegionCode)
			continue
		}
		switch s.Level {
		case agency.LevelDepartment:
			s.AgencyID = agency.DepartmentID(region.ID, s.Name)
		case agency.LevelProvince, agency.LevelCity, agency.LevelCounty, agency.LevelTownship:
			if region.Level != s.Level {
				bad(true, "level %s, but %s (%s) is a %s", s.Level, region.ID, region.Name, region.Level)
				continue
			}
			s.AgencyID = region.ID
			// The name is looked up among the region's siblings, so a
			// neighbour's name is caught.
			m := dir.Match(agency.Query{Name: s.Name, Level: s.Level, RegionCode: region.ID, SourceRegion: region.ParentID})
			switch {
			case m.Status == agency.Matched && m.AgencyID != region.ID:
				bad(true, "the name designates %s, not %s (%s)", m.AgencyID, region.ID, region.Name)
			case m.Status == agency.Ambiguous && !slices.Contains(m.Candidates, region.ID):
				bad(true, "the name designates %s, not %s (%s)", strings.Join(m.Candidates, " or "), region.ID, region.Name)
			case m.Status == agency.Unmatched:
				bad(false, "the name designates no division near %s (%s); not checked", region.ID, region.Name)
			}
		default:
			bad(true, "level %q: want province, city, county, township or department", s.Level)
			continue
		}
		if j, dup := seen[s.AgencyID]; dup && agency.Normalize(srcs[j].Name) != agency.Normalize(s.Name) {
			bad(true, "registers agency %s, as sources[%d] %s does", s.AgencyID, j, srcs[j].Name)
		}
		seen[s.AgencyID] = i
	}
	return out
}

// WriteSources registers crawl sources: each source's row in sources,
// and an agency for each department among them. It refuses the whole list
// (ErrInvalidSources, with the problems) if CheckSources finds a fatal
// problem. Writing a source again replaces it. Reports loaded afterwards
// are matched against the new departments; reports already loaded keep
// their match until reparsed.
func (w *Warehouse) WriteSources(ctx context.Context, srcs []Source) error {
	dir, err := w.directory(ctx)
	if err != nil {
		return err
	}
	srcs = append([]Source(nil), srcs...)
	var fatal []error
	for _, p := range CheckSources(dir, srcs) {
		if p.Fatal {
			fatal = append(fatal, p)
		}
	}
	if len(fatal) > 0 {
		return fmt.Errorf("%w: %w", ErrInvalidSources, errors.Join(fatal...))
	}
	version, now := w.nextVersion()
	var rows, agencies [][]any
	var depts []agency.Department
	for _, s := range srcs {
		rows = append(rows, []any{
			s.Name, s.Level, s.RegionCode, nonNil(s.StartURLs), s.AgencyID, clampDateTime(now), version,
		})
		if s.Level == agency.LevelDepartment {
			depts = append(depts, agency.Department{Name: s.Name, RegionCode: s.RegionCode})
		}
	}
	if len(depts) > 0 {
		g, err := gazetteer.Load()
		if err != nil {
			return fmt.Errorf("write sources: %w", err)
		}
		only, err := agency.New(g, depts)
		if err != nil {
			return fmt.Errorf("write sources: %w", err)
		}
		for _, a := range only.Agencies() {
			if a.Origin == agency.OriginSource {
				agencies = append(agencies, agencyRow(a, version))
			}
		}
	}
	if err := w.insertBatched(ctx, agenciesTable, agencies); err != nil {
		return fmt.Errorf("write sources: %w", err)
	}
	if err := w.insertBatched(ctx, sourcesTable, rows); err != nil {
		return fmt.Errorf("write sources: %w", err)
	}
	w.forgetAgencies()
	return nil
}

// Sources returns the registered sources, by level, region and name.
func (w *Warehouse) Sources(ctx context.Context) ([]Source, error) {
	r, err := w.eng.query(ctx, `SELECT name, level, region_code, start_urls, agency_id, registered_at
FROM sources ORDER BY level, region_code, name`)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	out := make([]Source, 0, len(r.Rows))
	for _, row := range r.Rows {
		s := Source{Name: row[0].(string), Level: row[1].(string), RegionCode: row[2].(string),
			AgencyID: row[4].(string), RegisteredAt: row[5].(time.Time)}
		for _, u := range row[3].([]any) {
			s.StartURLs = append(s.StartURLs, u.(string))
		}
		out = append(out, s)
	}
	return out, nil
}
