package crawler

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// journalMagic starts a journal file's header line.
const journalMagic = "nianbao-frontier 1"

// Journal persists a crawl's frontier, so that a crawl killed at any point
// (kill -9 included) resumes where it stopped: the URLs it had queued are
// fetched, and the URLs it had finished are not fetched again.
//
// The journal is an append-only text file. Its first line names the run:
//
//	nianbao-frontier 1<TAB>run-id<TAB>started (RFC 3339)
//
// then every URL queued is a line "q<TAB>depth<TAB>role<TAB>url" and every
// URL finished a line "d<TAB>url". A URL is finished once its exchange has
// been handed to the Sink and the links it holds have been queued (their
// "q" lines come first), so a resumed crawl loses no link. A "d" line is
// handed to the operating system as soon as it is written, with every line
// before it, so a process killed at any point (kill -9) fetches again only
// the URLs it was fetching when it died; other lines follow within
// journalFlush. Written lines are fsynced every sync interval, for power
// loss. A torn last line, from a crash mid-write, is ignored.
//
// robots.txt is never marked finished: a resumed crawl reads each host's
// rules again before asking it anything.
//
// Its methods are safe for concurrent use.
type Journal struct {
	path    string
	runID   string
	started time.Time
	resumed bool
	// replay holds what an interrupted run left, until Run takes it.
	replayPending []entry
	replayDone    []uint64
	finished      int

	mu      sync.Mutex
	f       *os.File
	buf     []byte
	dirty   bool // written since the last fsync
	err     error
	closed  bool
	stop    chan struct{}
	stopped chan struct{}
}

// Journal timing.
const (
	journalFlush = 50 * time.Millisecond
)

// OpenJournal opens the journal at path. If it holds an unfinished run,
// the returned journal resumes that run (Resumed reports true, RunID is
// the old run's); otherwise a new journal is started for runID. syncEvery
// is how often written lines are fsynced (0 means every flush).
func OpenJournal(path, runID string, syncEvery time.Duration) (*Journal, error) {
	if runID == "" || strings.ContainsAny(runID, "\t\n") {
		return nil, fmt.Errorf("journal %s: bad run id %q", path, runID)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	j := &Journal{path: path, stop: make(chan struct{}), stopped: make(chan struct{})}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	good, err := j.replay(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	if !j.resumed {
		good = 0
		j.runID, j.started = runID, time.Now().UTC()
	}
	// Cut a torn last line (or a journal of a finished run) and append
	// from there.
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", path, err)
	}
	j.f = f
	if !j.resumed {
		j.buf = fmt.Appendf(j.buf, "%s\t%s\t%s\n", journalMagic, j.runID, j.started.Format(time.RFC3339Nano))
		if err := j.flush(true); err != nil {
			f.Close()
			return nil, err
		}
	}
	go j.loop(syncEvery)
	return j, nil
}

// replay reads an existing journal and returns the length of its intact
// prefix.
func (j *Journal) replay(f *os.File) (int64, error) {
	r := bufio.NewReaderSize(f, 1<<16)
	var good int64
	done := make(map[uint64]struct{})
	var queued []entry
	first := true
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			if errors.Is(err, io.EOF) {
				break // a torn last line, if any, is dropped
			}
			return 0, err
		}
		good += int64(len(line))
		line = strings.TrimSuffix(line, "\n")
		if first {
			first = false
			parts := strings.Split(line, "\t")
			if len(parts) != 3 || parts[0] != journalMagic {
				return 0, errors.New("not a frontier journal")
			}
			t, err := time.Parse(time.RFC3339Nano, parts[2])
			if err != nil {
				return 0, fmt.Errorf("header: %w", err)
			}
			j.runID, j.started, j.resumed = parts[1], t, true
			continue
		}
		kind, rest, _ := strings.Cut(line, "\t")
		switch kind {
		case "q":
			parts := strings.SplitN(rest, "\t", 3)
			if len(parts) != 3 || len(parts[1]) != 1 {
				continue
			}
			d, err := strconv.Atoi(parts[0])
			if err != nil {
				continue
			}
			queued = append(queued, entry{url: parts[2], depth: d, role: role(parts[1][0])})
		case "d":
			done[urlKey(rest)] = struct{}{}
		}
	}
	if !j.resumed {
		return 0, nil
	}
	for _, e := range queued {
		if _, ok := done[urlKey(e.url)]; !ok {
			j.replayPending = append(j.replayPending, e)
		}
	}
	for k := range done {
		j.replayDone = append(j.replayDone, k)
	}
	j.finished = len(done)
	return good, nil
}

// RunID returns the run the journal belongs to.
func (j *Journal) RunID() string { return j.runID }

// Started returns when the journal's run started.
func (j *Journal) Started() time.Time { return j.started }

// Resumed reports whether the journal holds an interrupted run, which
// Run resumes.
func (j *Journal) Resumed() bool { return j.resumed }

// Finished returns how many URLs the interrupted run had finished.
func (j *Journal) Finished() int { return j.finished }

// takeReplay hands the interrupted run's frontier to Run, once.
func (j *Journal) takeReplay() (pending []entry, done []uint64) {
	j.mu.Lock()
	defer j.mu.Unlock()
	pending, done = j.replayPending, j.replayDone
	j.replayPending, j.replayDone = nil, nil
	return pending, done
}

func (j *Journal) queued(e entry) {
	j.mu.Lock()
	j.buf = append(j.buf, 'q', '\t')
	j.buf = strconv.AppendInt(j.buf, int64(e.depth), 10)
	j.buf = append(j.buf, '\t', byte(e.role), '\t')
	j.buf = append(j.buf, e.url...)
	j.buf = append(j.buf, '\n')
	j.mu.Unlock()
}

// done records that u is finished. The line, with the lines queued before
// it (the URL's links among them), goes to the operating system at once,
// so a kill -9 after it never fetches u again.
func (j *Journal) done(u string) {
	j.mu.Lock()
	j.buf = append(j.buf, 'd', '\t')
	j.buf = append(j.buf, u...)
	j.buf = append(j.buf, '\n')
	_ = j.flush(false) // an error is kept in j.err and returned by Close
	j.mu.Unlock()
}

// loop hands buffered lines to the OS every journalFlush and fsyncs every
// syncEvery, until Close.
func (j *Journal) loop(syncEvery time.Duration) {
	defer close(j.stopped)
	t := time.NewTicker(journalFlush)
	defer t.Stop()
	lastSync := time.Now()
	for {
		select {
		case <-j.stop:
			return
		case now := <-t.C:
			doSync := now.Sub(lastSync) >= syncEvery
			if doSync {
				lastSync = now
			}
			j.mu.Lock()
			err := j.flush(doSync)
			j.mu.Unlock()
			_ = err // kept in j.err, returned by Close
		}
	}
}

// flush writes the buffer and, if doSync, fsyncs; j.mu is held.
func (j *Journal) flush(doSync bool) error {
	if j.err != nil || j.f == nil {
		return j.err
	}
	if len(j.buf) > 0 {
		if _, err := j.f.Write(j.buf); err != nil {
			j.err = fmt.Errorf("journal %s: %w", j.path, err)
			return j.err
		}
		j.dirty = true
		if cap(j.buf) > 1<<20 {
			j.buf = nil
		} else {
			j.buf = j.buf[:0]
		}
	}
	if doSync && j.dirty {
		if err := j.f.Sync(); err != nil {
			j.err = fmt.Errorf("journal %s: %w", j.path, err)
			return j.err
		}
		j.dirty = false
	}
	return nil
}

// Flush writes and fsyncs what is buffered.
func (j *Journal) Flush() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.flush(true)
}

// Close writes and fsyncs what is buffered and closes the file, which is
// kept for a resumed run. It returns the first write error seen.
func (j *Journal) Close() error {
	j.mu.Lock()
	if j.closed {
		j.mu.Unlock()
		return j.err
	}
	j.closed = true
	j.mu.Unlock()
	close(j.stop)
	<-j.stopped
	j.mu.Lock()
	defer j.mu.Unlock()
	ferr := j.flush(true)
	cerr := j.f.Close()
	j.f = nil
	if ferr != nil {
		return ferr
	}
	if cerr != nil {
		return fmt.Errorf("journal %s: %w", j.path, cerr)
	}
	return nil
}

// Complete closes the journal of a run that finished and removes it, so
// the next crawl starts afresh.
func (j *Journal) Complete() error {
	if err := j.Close(); err != nil {
		return err
	}
	if err := os.Remove(j.path); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return syncParent(j.path)
}

func syncParent(path string) error {
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("journal: sync dir: %w", err)
	}
	return nil
}
