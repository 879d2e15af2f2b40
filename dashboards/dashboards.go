// Package dashboards holds nianbao's saved comparison queries: one .sql
// file per query, reviewed like code, embedded in the binary and run by
// `nianbao query --saved NAME --param k=v`.
//
// Each file starts with a header of SQL comments:
//
//	-- title: Township league table for a county and year
//	-- param: county String  6-digit NBS code of the county
//	-- param: year UInt16    the year reported on
//
// followed by one SELECT using ClickHouse-style placeholders {county:String}
// that the warehouse binds client-side, so the same text runs on chDB and
// on any ClickHouse server.
package dashboards

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
)

//go:embed *.sql
var files embed.FS

// Query is one saved query.
type Query struct {
	// Name is the file name without .sql.
	Name string
	// Title says what the query answers.
	Title string
	// Params are the placeholders the SQL uses, in header order.
	Params []Param
	// SQL is the query text with placeholders.
	SQL string
}

// Param is one named parameter of a saved query.
type Param struct {
	Name        string
	Type        string
	Description string
}

var (
	titleLine = regexp.MustCompile(`^--\s*title:\s*(.+)$`)
	paramLine = regexp.MustCompile(`^--\s*param:\s*(\w+)\s+(\w+(?:\(\w+\))?)\s*(.*)$`)
	placeRef  = regexp.MustCompile(`\{(\w+):([\w()]+)\}`)
)

// All returns every saved query, sorted by name.
func All() ([]Query, error) {
	names, err := fs.Glob(files, "*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]Query, 0, len(names))
	for _, n := range names {
		q, err := load(n)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// Get returns the saved query called name.
func Get(name string) (Query, error) {
	if !regexp.MustCompile(`^[a-z0-9_]+$`).MatchString(name) {
		return Query{}, fmt.Errorf("saved query %q: no such query", name)
	}
	q, err := load(name + ".sql")
	if err != nil {
		return Query{}, fmt.Errorf("saved query %q: no such query (see nianbao query --list)", name)
	}
	return q, nil
}

func load(file string) (Query, error) {
	data, err := files.ReadFile(file)
	if err != nil {
		return Query{}, err
	}
	q := Query{Name: strings.TrimSuffix(file, ".sql"), SQL: strings.TrimSpace(string(data))}
	for _, line := range strings.Split(q.SQL, "\n") {
		line = strings.TrimSpace(line)
		if m := titleLine.FindStringSubmatch(line); m != nil {
			q.Title = m[1]
		} else if m := paramLine.FindStringSubmatch(line); m != nil {
			q.Params = append(q.Params, Param{Name: m[1], Type: m[2], Description: strings.TrimSpace(m[3])})
		}
	}
	if q.Title == "" {
		return Query{}, fmt.Errorf("saved query %s: no '-- title:' line", file)
	}
	declared := map[string]string{}
	for _, p := range q.Params {
		declared[p.Name] = p.Type
	}
	for _, m := range placeRef.FindAllStringSubmatch(q.SQL, -1) {
		if t, ok := declared[m[1]]; !ok || t != m[2] {
			return Query{}, fmt.Errorf("saved query %s: placeholder {%s:%s} is not declared by a '-- param:' line", file, m[1], m[2])
		}
	}
	return q, nil
}
