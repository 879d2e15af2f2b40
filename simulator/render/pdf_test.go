package render

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/metrics"
)

// wqyZenhei is the CJK font Debian's fonts-wqy-zenhei installs (`make
// test-setup` does).
const wqyZenhei = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

func pdfWriter(t testing.TB) *PDFWriter {
	t.Helper()
	font, err := os.ReadFile(wqyZenhei)
	if err != nil {
		t.Fatalf("PDF font (install fonts-wqy-zenhei, e.g. make test-setup): %v", err)
	}
	w, err := NewPDFWriter(font)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// pdftotext runs poppler's pdftotext -layout on a PDF.
func pdftotext(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext (install poppler-utils, e.g. make setup): %v", err)
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestPDFTextLayer renders both templates as PDF and reads them back with
// pdftotext -layout: the title, the headings and every stated figure of
// table 三's first row must be in the text layer, on the row's line.
func TestPDFTextLayer(t *testing.T) {
	w := pdfWriter(t)
	created := time.Date(2023, 1, 18, 9, 30, 0, 0, time.UTC)
	for _, tmpl := range Templates() {
		t.Run(tmpl, func(t *testing.T) {
			doc, err := Build(sample(tmpl, busy(), 3))
			if err != nil {
				t.Fatal(err)
			}
			pdf, err := w.Write(doc, created)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("Write returned %q…, not a PDF", pdf[:min(len(pdf), 16)])
			}
			again, err := w.Write(doc, created)
			if err != nil || !bytes.Equal(pdf, again) {
				t.Errorf("two writes of the same doc differ (err %v)", err)
			}
			text := pdftotext(t, pdf)
			flat := strings.Join(strings.Fields(text), "")
			for _, b := range append([]Block{{Kind: Heading, Text: doc.Title}}, doc.Blocks...) {
				if b.Kind == Heading && !strings.Contains(flat, b.Text) {
					t.Errorf("text layer lacks heading %q", b.Text)
				}
			}
			if tmpl != TemplateTable2021 {
				items, _ := doc.Stated.Get(metrics.ProactiveItems, metrics.Total)
				if !regexp.MustCompile(`公开[^0-9。]*` + formatNumber(items) + `条`).MatchString(flat) {
					t.Errorf("text layer lacks the proactive count %v:\n%s", items, text)
				}
				return
			}
			var row string
			for _, line := range strings.Split(text, "\n") {
				if strings.Contains(line, "本年新收政府信息公开申请数量") {
					row = line
				}
			}
			var want []string
			for _, a := range metrics.Applicants() {
				v, _ := doc.Stated.Get(metrics.RequestsNew, a)
				want = append(want, formatNumber(v))
			}
			got := regexp.MustCompile(`[0-9]+`).FindAllString(row, -1)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("row 本年新收 reads %q, want figures %v\n%s", row, want, text)
			}
		})
	}
}

func TestNewPDFWriterRejectsOtherFonts(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x05"), []byte("OTTO0123456789"), []byte("<html>not a font</html>")} {
		if _, err := NewPDFWriter(b); err == nil {
			t.Errorf("NewPDFWriter(%q) succeeded", b)
		}
	}
}
