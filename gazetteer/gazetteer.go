package gazetteer

import (
	"bytes"
	"compress/gzip"
	_ "embed" // the division table
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// divisionsGz is the generated division table (see doc.go). It is read-only
// data, parsed afresh by every Load.
//
//go:embed divisions.tsv.gz
var divisionsGz []byte

// Level is the tier of an administrative division.
type Level string

// The four tiers the gazetteer holds, from the top.
const (
	LevelProvince Level = "province"
	LevelCity     Level = "city"
	LevelCounty   Level = "county"
	LevelTownship Level = "township"
)

// levelOf returns the tier of an NBS code trimmed to its level, by length.
func levelOf(code string) (Level, bool) {
	switch len(code) {
	case 2:
		return LevelProvince, true
	case 4:
		return LevelCity, true
	case 6:
		return LevelCounty, true
	case 9:
		return LevelTownship, true
	}
	return "", false
}

// Division is one administrative division.
type Division struct {
	// Code is the NBS code trimmed to the division's level, e.g. "620421113".
	Code string `json:"code"`
	// Name is the official name, e.g. "三滩镇".
	Name string `json:"name"`
	// Level is the division's tier.
	Level Level `json:"level"`
	// ParentCode is the code of the enclosing division, empty for a province.
	ParentCode string `json:"parent_code,omitempty"`
}

// Gazetteer answers questions about divisions. It is immutable after Load and
// safe for concurrent use.
//
// Its tables hold no pointer but the one to the decompressed text: records
// are offsets into it, and names are found through an open-addressing
// index of record numbers. A gazetteer lives as long as the process that
// parses or loads reports; held as strings and a map, its tens of
// thousands of records would be marked by the garbage collector on every
// cycle.
type Gazetteer struct {
	header []string
	text   string   // the decompressed table; every Division's strings are slices of it
	recs   []record // sorted by code, so a parent precedes its children
	// Children and same-name lists are singly linked through index arrays
	// (-1 ends a list) rather than held in slices, which keeps Load to a
	// handful of allocations.
	firstChild, nextSibling []int32
	names                   []int32 // by name hash, open addressing: a name's first record, -1 empty
	nextName                []int32
	counts                  map[Level]int
}

// record is a division as offsets into Gazetteer.text.
type record struct {
	code, parent, name span
	level              uint8 // index into levels()
}

// span is a slice of Gazetteer.text.
type span struct{ off, n int32 }

// levels are the division levels by record.level.
func levels() [4]Level {
	return [4]Level{LevelProvince, LevelCity, LevelCounty, LevelTownship}
}

// levelIndex returns l's number in levels().
func levelIndex(l Level) uint8 {
	for i, x := range levels() {
		if x == l {
			return uint8(i)
		}
	}
	return 0
}

// str returns the text of a span.
func (g *Gazetteer) str(s span) string { return g.text[s.off : s.off+s.n] }

// code returns record i's code.
func (g *Gazetteer) code(i int32) string { return g.str(g.recs[i].code) }

// div returns record i as a Division; its strings share the table's text.
func (g *Gazetteer) div(i int32) Division {
	r := &g.recs[i]
	return Division{Code: g.str(r.code), Name: g.str(r.name), Level: levels()[r.level], ParentCode: g.str(r.parent)}
}

// nameHash is FNV-1a over a name's bytes.
func nameHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// firstNamed returns the first record, in code order, named name.
func (g *Gazetteer) firstNamed(name string) (int32, bool) {
	mask := uint64(len(g.names) - 1)
	for h := nameHash(name) & mask; ; h = (h + 1) & mask {
		i := g.names[h]
		if i < 0 {
			return -1, false
		}
		if g.str(g.recs[i].name) == name {
			return i, true
		}
	}
}

// Load parses the embedded division table. It takes a few tens of
// milliseconds; callers that need the gazetteer repeatedly should keep the
// result.
func Load() (*Gazetteer, error) {
	return parse(divisionsGz)
}

// parse reads a gzip-compressed division table.
func parse(gz []byte) (*Gazetteer, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	g := &Gazetteer{text: string(raw), counts: make(map[Level]int, 4)}
	text := g.text // what is left to read
	g.recs = make([]record, 0, strings.Count(text, "\n"))
	for lineNo := 1; text != ""; lineNo++ {
		var line string
		off := int32(len(g.text) - len(text))
		line, text, _ = strings.Cut(text, "\n")
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			g.header = append(g.header, strings.TrimSpace(strings.TrimPrefix(line, "#")))
			continue
		}
		code, rest, ok1 := strings.Cut(line, "\t")
		parent, name, ok2 := strings.Cut(rest, "\t")
		level, ok3 := levelOf(code)
		if !ok1 || !ok2 || !ok3 || name == "" {
			return nil, fmt.Errorf("gazetteer: line %d: malformed record %q", lineNo, line)
		}
		if k := len(g.recs); k > 0 && g.code(int32(k-1)) >= code {
			return nil, fmt.Errorf("gazetteer: line %d: code %s out of order", lineNo, code)
		}
		// The line is code TAB parent TAB name.
		pOff := off + int32(len(code)) + 1
		g.recs = append(g.recs, record{
			code:   span{off, int32(len(code))},
			parent: span{pOff, int32(len(parent))},
			name:   span{pOff + int32(len(parent)) + 1, int32(len(name))},
			level:  levelIndex(level),
		})
		g.counts[level]++
	}
	k := len(g.recs)
	links := make([]int32, 3*k)
	g.firstChild, g.nextSibling, g.nextName = links[:k], links[k:2*k], links[2*k:]
	for i := range links {
		links[i] = -1
	}
	// In code order a parent precedes its children, so the open ancestors
	// form a stack: at most one per level.
	var stack []int32
	lastChild := make([]int32, k)
	for i := range g.recs {
		d := g.div(int32(i))
		for len(stack) > 0 && !strings.HasPrefix(d.Code, g.code(stack[len(stack)-1])) {
			stack = stack[:len(stack)-1]
		}
		if d.ParentCode != "" {
			if len(stack) == 0 || g.code(stack[len(stack)-1]) != d.ParentCode {
				return nil, fmt.Errorf("gazetteer: code %s: parent %s missing", d.Code, d.ParentCode)
			}
			p := stack[len(stack)-1]
			if g.firstChild[p] < 0 {
				g.firstChild[p] = int32(i)
			} else {
				g.nextSibling[lastChild[p]] = int32(i)
			}
			lastChild[p] = int32(i)
		}
		stack = append(stack, int32(i))
	}
	// The name index: a power of two at least twice the records. Walk
	// backwards so that every same-name list comes out in code order.
	size := 1
	for size < 2*k {
		size *= 2
	}
	g.names = make([]int32, size)
	for i := range g.names {
		g.names[i] = -1
	}
	mask := uint64(size - 1)
	for i := int32(k - 1); i >= 0; i-- {
		name := g.str(g.recs[i].name)
		h := nameHash(name) & mask
		for g.names[h] >= 0 && g.str(g.recs[g.names[h]].name) != name {
			h = (h + 1) & mask
		}
		g.nextName[i] = g.names[h]
		g.names[h] = i
	}
	return g, nil
}

// Source returns the provenance header of the embedded table: source
// package, version, checksum, licence and counts, one line each.
func (g *Gazetteer) Source() []string {
	return slices.Clone(g.header)
}

// Count returns how many divisions of the given level the gazetteer holds.
func (g *Gazetteer) Count(level Level) int {
	return g.counts[level]
}

// ByCode returns the division with the given code. It accepts the code
// trimmed to its level ("620421") or the 12-digit zero-padded form
// ("620421000000").
func (g *Gazetteer) ByCode(code string) (Division, bool) {
	i, ok := g.index(code)
	if !ok {
		return Division{}, false
	}
	return g.div(i), true
}

// index returns the position of code in recs, accepting the 12-digit
// padded form: the longest prefix of it that is a known code and is
// followed only by zeros.
func (g *Gazetteer) index(code string) (int32, bool) {
	if i, ok := g.find(code); ok {
		return i, true
	}
	if len(code) != 12 || strings.IndexFunc(code, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, false
	}
	for _, n := range []int{9, 6, 4, 2} {
		if strings.Trim(code[n:], "0") != "" {
			break
		}
		if i, ok := g.find(code[:n]); ok {
			return i, true
		}
	}
	return 0, false
}

// find returns the position of the exact code in recs.
func (g *Gazetteer) find(code string) (int32, bool) {
	i, ok := slices.BinarySearchFunc(g.recs, code, func(r record, c string) int { return strings.Compare(g.str(r.code), c) })
	return int32(i), ok
}

// Parents returns the chain of divisions enclosing code, nearest first and
// the province last; nil for a province or an unknown code.
func (g *Gazetteer) Parents(code string) []Division {
	i, ok := g.index(code)
	if !ok {
		return nil
	}
	var out []Division
	for p := g.str(g.recs[i].parent); p != ""; {
		j, ok := g.find(p)
		if !ok {
			break
		}
		d := g.div(j)
		out = append(out, d)
		p = d.ParentCode
	}
	return out
}

// Children returns the divisions directly under code, sorted by code. The
// empty code stands for the country: its children are the provinces.
func (g *Gazetteer) Children(code string) []Division {
	if code == "" {
		var out []Division
		for i, r := range g.recs {
			if levels()[r.level] == LevelProvince {
				out = append(out, g.div(int32(i)))
			}
		}
		return out
	}
	i, ok := g.index(code)
	if !ok {
		return nil
	}
	out := []Division{}
	for j := g.firstChild[i]; j >= 0; j = g.nextSibling[j] {
		out = append(out, g.div(j))
	}
	return out
}

// Resolve returns every division that a body's name designates, within the
// division coded within (any level; empty means the whole country), sorted by
// code. Several results mean the name is ambiguous there — there are two
// 三滩镇 — and choosing is the caller's business; no result means the name is
// unknown there, or within is not a known code.
//
// The name may be the division's own ("三滩镇") or the body's ("三滩镇人民政府",
// "厚桥街道办事处"): whitespace is ignored and a trailing 人民政府 or 政府 is
// dropped; a name ending in 街道办事处, 街道 or 办事处 matches a division
// named with any of the three. A name that begins with its enclosing
// divisions ("靖远县三滩镇人民政府", "甘肃省白银市靖远县三滩镇") is resolved
// within them. Failing an exact match, Resolve falls back to divisions whose
// name differs only in the level suffix ("三滩乡" finds 三滩镇, as when a 乡
// became a 镇; "三滩" finds both); callers that need an exact match compare
// Name.
func (g *Gazetteer) Resolve(name, within string) []Division {
	var scope string
	if within != "" {
		i, ok := g.index(within)
		if !ok {
			return nil
		}
		scope = g.code(i)
	}
	q := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, name)
	q = bodyName(q)
	if q == "" {
		return nil
	}
	return g.divisions(g.resolve(q, scope, 0))
}

// maxPrefixDepth bounds how many enclosing-division prefixes Resolve strips.
const maxPrefixDepth = 3

// resolve finds q within scope: exact forms first, then enclosing-division
// prefixes, then the stem fallback.
func (g *Gazetteer) resolve(q, scope string, depth int) []int32 {
	var hits []int32
	for _, f := range nameForms(q) {
		hits = g.appendWithin(hits, f, scope)
	}
	if len(hits) > 0 || depth >= maxPrefixDepth {
		return hits
	}
	// "靖远县三滩镇": an enclosing division's name, then the rest.
	for cut := len(q) - 1; cut > 0; cut-- {
		if !utf8Boundary(q, cut) {
			continue
		}
		p, ok := g.firstNamed(q[:cut])
		for ; ok && p >= 0; p = g.nextName[p] {
			d := g.div(p)
			if d.Level == LevelTownship || !within(d.Code, scope) && !within(scope, d.Code) {
				continue
			}
			inner := d.Code
			if len(scope) > len(inner) {
				inner = scope
			}
			hits = append(hits, g.resolve(q[cut:], inner, depth+1)...)
		}
	}
	if len(hits) > 0 {
		return hits
	}
	// The stem fallback: any name whose stem is q's is that stem plus a
	// level suffix.
	st := stem(q)
	for _, suf := range levelSuffixes() {
		for _, i := range g.appendWithin(nil, st+suf, scope) {
			if stem(g.str(g.recs[i].name)) == st {
				hits = append(hits, i)
			}
		}
	}
	return hits
}

// appendWithin appends the divisions named name whose codes lie within
// scope.
func (g *Gazetteer) appendWithin(dst []int32, name, scope string) []int32 {
	i, ok := g.firstNamed(name)
	for ; ok && i >= 0; i = g.nextName[i] {
		if within(g.code(i), scope) {
			dst = append(dst, i)
		}
	}
	return dst
}

// divisions returns the divisions at idx, deduplicated and sorted by code.
func (g *Gazetteer) divisions(idx []int32) []Division {
	if len(idx) == 0 {
		return nil
	}
	slices.Sort(idx) // recs is sorted by code, so index order is code order
	idx = slices.Compact(idx)
	out := make([]Division, len(idx))
	for k, i := range idx {
		out[k] = g.div(i)
	}
	return out
}

// within reports whether code lies in the division coded scope (or is it).
func within(code, scope string) bool {
	return strings.HasPrefix(code, scope)
}

func utf8Boundary(s string, i int) bool {
	return i < len(s) && (s[i]&0xC0) != 0x80
}

// bodyName turns a body's name into its division's: "三滩镇人民政府" → "三滩镇".
func bodyName(q string) string {
	for _, suf := range []string{"人民政府", "政府"} {
		if t, ok := strings.CutSuffix(q, suf); ok {
			return t
		}
	}
	return q
}

// nameForms returns the division names q may stand for.
func nameForms(q string) []string {
	for _, suf := range []string{"街道办事处", "街道", "办事处"} {
		if x, ok := strings.CutSuffix(q, suf); ok && x != "" {
			return []string{q, x + "街道", x + "街道办事处", x + "办事处"}
		}
	}
	return []string{q}
}

// levelSuffixes returns the endings stem strips, longest first where one
// ends another.
func levelSuffixes() []string {
	return []string{
		"街道办事处", "办事处", "街道", "民族乡", "民族镇", "镇", "乡", "苏木",
		"自治县", "自治旗", "县", "旗", "区", "市", "自治州", "州", "盟", "地区", "自治区", "省",
	}
}

// stem strips one level suffix from a name, keeping at least two runes:
// "三滩镇" → "三滩".
func stem(name string) string {
	for _, suf := range levelSuffixes() {
		if s, ok := strings.CutSuffix(name, suf); ok && utf8.RuneCountInString(s) >= 2 {
			return s
		}
	}
	return name
}
