package simulator

import (
	"fmt"
	"strconv"
	"strings"
)

// robotsFile is a portal's robots.txt and the rules truth applies.
type robotsFile struct {
	missing bool   // no robots.txt: 404, everything allowed
	text    string // the file
	rules   []robotsRule
	delay   float64 // Crawl-delay of the "*" group, seconds; 0 if none
	blocks  string  // what the file blocks beyond /admin/, for Portal
}

// robotsRule is one Allow or Disallow line of the "*" group.
type robotsRule struct {
	allow   bool
	pattern string
}

// defaultRobots allows the public columns and disallows the admin area.
const defaultRobots = "User-agent: *\nAllow: /zwgk/\nAllow: /xwdt/\nDisallow: /admin/\n"

// parseRobots reads the rules and Crawl-delay of the groups for "*"
// (RFC 9309 §2.2.1: groups naming the same agent combine).
func parseRobots(text string) (rules []robotsRule, delay float64) {
	inGroup, star, lastWasAgent := false, false, false
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		switch key {
		case "user-agent":
			if !lastWasAgent {
				inGroup, star = true, false
			}
			star = star || value == "*"
			lastWasAgent = true
			continue
		case "allow", "disallow":
			if inGroup && star && value != "" {
				rules = append(rules, robotsRule{allow: key == "allow", pattern: value})
			}
		case "crawl-delay":
			if inGroup && star {
				if d, err := strconv.ParseFloat(value, 64); err == nil {
					delay = d
				}
			}
		}
		lastWasAgent = false
	}
	return rules, delay
}

// allowed applies RFC 9309 to a request URI (path and query): the
// longest matching pattern wins, Allow on a tie; no match allows.
func (r *robotsFile) allowed(uri string) bool {
	if r == nil || r.missing || uri == "/robots.txt" {
		return true
	}
	best, allow := -1, true
	for _, rule := range r.rules {
		if robotsMatch(rule.pattern, uri) {
			n := len(rule.pattern)
			if n > best || (n == best && rule.allow) {
				best, allow = n, rule.allow
			}
		}
	}
	return allow
}

// robotsMatch matches a robots.txt pattern ("*" any run, "$" at the end
// anchors) against the start of uri.
func robotsMatch(pattern, uri string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	pattern = strings.TrimSuffix(pattern, "$")
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(uri, parts[0]) {
		return false
	}
	rest := uri[len(parts[0]):]
	if len(parts) == 1 {
		return !anchored || rest == ""
	}
	for i, p := range parts[1:] {
		last := i == len(parts)-2
		if last && anchored {
			return strings.HasSuffix(rest, p)
		}
		j := strings.Index(rest, p)
		if j < 0 {
			return false
		}
		rest = rest[j+len(p):]
	}
	return true
}

// buildRobots draws a portal's robots.txt. u holds independent draws in
// [0, 1): crawl delay, block column, block part, block pdf, missing.
func buildRobots(cfg Robots, u [5]float64, st *site) *robotsFile {
	if u[4] < cfg.MissingShare {
		return &robotsFile{missing: true}
	}
	var extra []string
	var blocks []string
	if u[1] < cfg.BlockColumnShare {
		extra = append(extra, "Disallow: "+st.columnDir())
		blocks = append(blocks, "column")
	} else if u[2] < cfg.BlockPartShare {
		if p := st.partToBlock(); p != "" {
			extra = append(extra, "Disallow: "+p)
			blocks = append(blocks, "part")
		}
	}
	if u[3] < cfg.BlockPDFShare {
		extra = append(extra, "Disallow: /*.pdf$")
		blocks = append(blocks, "pdf")
	}
	delay := u[0] < cfg.CrawlDelayShare && cfg.CrawlDelay > 0
	var text string
	if len(extra) == 0 && !delay {
		text = defaultRobots
	} else {
		var b strings.Builder
		if len(extra) > 0 {
			// A search engine gets everything; the rest of us do not.
			b.WriteString("User-agent: Baiduspider\nAllow: /\n\n")
		}
		b.WriteString("User-agent: *\n")
		for _, e := range extra {
			b.WriteString(e + "\n")
		}
		b.WriteString("Disallow: /admin/\nDisallow: /search/\n")
		if delay {
			fmt.Fprintf(&b, "Crawl-delay: %s\n", strconv.FormatFloat(cfg.CrawlDelay, 'f', -1, 64))
		}
		text = b.String()
	}
	rules, d := parseRobots(text)
	return &robotsFile{text: text, rules: rules, delay: d, blocks: strings.Join(blocks, ",")}
}
