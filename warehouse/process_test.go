package warehouse

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// envHelper makes the test binary act as a helper process for the tests
// below instead of running tests.
const envHelper = "NIANBAO_WAREHOUSE_HELPER"

// TestHelperProcess is not a test: it is the body of the helper processes
// the tests below start (it returns at once in a normal run).
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(envHelper)
	if mode == "" {
		return
	}
	ctx := context.Background()
	cfg := DefaultConfig()
	cfg.DSN = os.Getenv("NIANBAO_HELPER_DSN")
	switch mode {
	case "missing":
		// CHDB_LIB_PATH points nowhere; nothing has loaded libchdb here.
		w, err := Open(ctx, cfg, nil)
		if err == nil {
			w.Close()
			fmt.Println("opened")
			os.Exit(1)
		}
		fmt.Println(err)
		if !errors.Is(err, ErrEngineMissing) {
			os.Exit(1)
		}
		os.Exit(0)
	case "hold":
		cfg.CHDBLibrary = os.Getenv("NIANBAO_HELPER_LIB")
		w, err := Open(ctx, cfg, nil)
		if err != nil {
			fmt.Println("open:", err)
			os.Exit(1)
		}
		fmt.Println("ready")
		// Hold the directory until the parent closes stdin.
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		if err := w.Close(); err != nil {
			fmt.Println("close:", err)
			os.Exit(1)
		}
		os.Exit(0)
	case "time-open":
		cfg.CHDBLibrary = os.Getenv("NIANBAO_HELPER_LIB")
		start := time.Now()
		w, err := Open(ctx, cfg, nil)
		if err != nil {
			fmt.Println("open:", err)
			os.Exit(1)
		}
		opened := time.Since(start)
		if _, err := w.Query(ctx, "SELECT 1"); err != nil {
			fmt.Println("query:", err)
			os.Exit(1)
		}
		fmt.Printf("Open %v, first query answered %v after Open began", opened.Round(time.Millisecond),
			time.Since(start).Round(time.Millisecond))
		w.Close()
		os.Exit(0)
	}
	t.Fatalf("unknown helper mode %q", mode)
}

// helper returns a command running this test binary as a helper process.
func helper(t *testing.T, mode string, env ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), envHelper+"="+mode)
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

func TestOpenWithoutLibrary(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere", "libchdb.so")
	cmd := helper(t, "missing", "CHDB_LIB_PATH="+missing,
		"NIANBAO_HELPER_DSN=chdb://"+filepath.Join(t.TempDir(), "wh"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	msg := string(out)
	t.Logf("error without the library: %s", strings.TrimSpace(msg))
	for _, want := range []string{missing, "no such file or directory", "make setup", "CHDB_LIB_PATH", "26.7.3-stable.1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", strings.TrimSpace(msg), want)
		}
	}
}

func TestOpenLockedByAnotherProcess(t *testing.T) {
	lib := chdbLibrary(t)
	dir := filepath.Join(t.TempDir(), "wh")
	dsn := "chdb://" + dir
	cmd := helper(t, "hold", "NIANBAO_HELPER_DSN="+dsn, "NIANBAO_HELPER_LIB="+lib)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waited := false
	t.Cleanup(func() {
		if waited {
			return
		}
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper: %v", err)
		}
	})
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- strings.TrimSpace(line)
	}()
	select {
	case line := <-ready:
		if line != "ready" {
			t.Fatalf("helper said %q, want ready", line)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("helper did not open the warehouse within 2 minutes")
	}

	cfg := DefaultConfig()
	cfg.DSN = dsn
	cfg.CHDBLibrary = lib
	w, err := Open(context.Background(), cfg, nil)
	if err == nil {
		w.Close()
		t.Fatal("Open succeeded on a directory another process holds")
	}
	t.Logf("error on a held directory: %v", err)
	if !errors.Is(err, ErrEngineInUse) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("Open error = %v, want ErrEngineInUse naming %s", err, dir)
	}

	// Once the other process lets go, the directory opens here.
	stdin.Close()
	waited = true
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	openWarehouse(t, cfg)
}
