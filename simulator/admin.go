package simulator

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// AdminHandler returns an HTTP handler for controlling a running
// simulator, to serve on a loopback port of its own:
//
//	POST /advance      move to the next generation; answers {"generation": n}
//	GET  /generation   {"generation": n}
//	GET  /stats        per-portal HostStats (JSON array); ?starts=0 omits start times
//	POST /stats/reset  clear the statistics
//	GET  /portals      Portals (JSON array)
//	GET  /truth        Truth (JSON array); ?generation=n for another generation
func (s *Simulator) AdminHandler() http.Handler {
	mux := http.NewServeMux()
	writeJSON := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		if err := enc.Encode(v); err != nil {
			s.logger.Warn("admin: write response", "err", err)
		}
	}
	mux.HandleFunc("POST /advance", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]int{"generation": s.Advance()})
	})
	mux.HandleFunc("GET /generation", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]int{"generation": s.Generation()})
	})
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) {
		st := s.Stats()
		if r.URL.Query().Get("starts") == "0" {
			for i := range st {
				st[i].Starts = nil
			}
		}
		writeJSON(w, st)
	})
	mux.HandleFunc("POST /stats/reset", func(w http.ResponseWriter, r *http.Request) {
		s.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /portals", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, s.Portals())
	})
	mux.HandleFunc("GET /truth", func(w http.ResponseWriter, r *http.Request) {
		gen := s.Generation()
		if g := r.URL.Query().Get("generation"); g != "" {
			n, err := strconv.Atoi(g)
			if err != nil || n < 0 {
				http.Error(w, "generation: not a non-negative integer", http.StatusBadRequest)
				return
			}
			gen = n
		}
		writeJSON(w, s.TruthAt(gen))
	})
	return mux
}
