package parser

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"
)

// pdfText extracts the text layer of a PDF with poppler's pdftotext
// -layout, which keeps table rows on one line with columns separated by
// runs of spaces. The PDF is piped through stdin; nothing touches disk.
func pdfText(ctx context.Context, cfg Config, body []byte) (string, error) {
	if cfg.PDFToText == "" {
		return "", wrapf(ErrPDFTool, "no pdftotext configured")
	}
	path, err := exec.LookPath(cfg.PDFToText)
	if err != nil {
		return "", wrapf(ErrPDFTool, "%v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.PDFTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-layout", "-enc", "UTF-8", "-q", "-", "-")
	cmd.Stdin = bytes.NewReader(body)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", wrapf(ErrPDFTool, "pdftotext: %v", ctx.Err())
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", wrapf(ErrCorrupt, "pdftotext exit %d: %s", ee.ExitCode(), strings.TrimSpace(stderr.String()))
		}
		return "", wrapf(ErrPDFTool, "pdftotext: %v", err)
	}
	return stdout.String(), nil
}
