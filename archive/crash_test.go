package archive

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// crashDirEnv, when set, turns the test binary into a writer that appends
// exchanges to that directory until it is killed (see TestMain).
const crashDirEnv = "NIANBAO_ARCHIVE_CRASH_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		if err := crashWriter(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashWriter writes exchanges to dir forever, printing each record ID once
// Write has returned.
func crashWriter(dir string) error {
	cfg := DefaultConfig()
	cfg.Dir = dir
	w, err := NewWriter(cfg, nil)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		loc, err := w.Write(context.Background(), htmlExchange(fmt.Sprintf("http://127.0.0.1/%d", i), binaryBody(256<<10, uint64(i))))
		if err != nil {
			return err
		}
		fmt.Fprintln(out, loc.RecordID)
		if err := out.Flush(); err != nil {
			return err
		}
	}
}

// TestKilledWriter kills a writing process with SIGKILL and checks that
// every exchange whose Write had returned can be read back, and that the
// file it leaves reads cleanly.
func TestKilledWriter(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var written []string
	sc := bufio.NewScanner(stdout)
	for len(written) < 20 && sc.Scan() {
		written = append(written, sc.Text())
	}
	// Let it get well into the next write, then kill it.
	time.Sleep(3 * time.Millisecond)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() { // records reported between our last read and the kill
		written = append(written, sc.Text())
	}
	_ = cmd.Wait() // "signal: killed"
	if len(written) < 20 {
		t.Fatalf("writer reported %d records before dying; stderr: %s", len(written), stderr.String())
	}

	names := listDir(t, dir)
	if len(names) != 1 || !strings.HasSuffix(names[0], ".warc.gz"+openSuffix) {
		t.Fatalf("files after the kill = %q, want one .open file", names)
	}
	seen := map[string]bool{}
	if err := Scan(context.Background(), dir, func(r *Record) error {
		seen[r.RecordID] = true
		return nil
	}); err != nil {
		t.Fatalf("Scan after kill: %v", err)
	}
	for _, id := range written {
		if !seen[id] {
			t.Errorf("record %s was reported written but is not in the archive", id)
		}
	}
	if extra := len(seen) - len(written); extra < 0 || extra > 1 {
		t.Errorf("archive holds %d records, %d were reported: want at most one more (the write the kill interrupted before it was reported)", len(seen), len(written))
	}
}
