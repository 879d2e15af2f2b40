package simulator_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/nianbao/nianbao/gazetteer"
	"github.com/nianbao/nianbao/metrics"
	"github.com/nianbao/nianbao/simulator"
)

func Example() {
	gaz, err := gazetteer.Load()
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := simulator.DefaultConfig()
	cfg.Counties = []string{"620421"} // 靖远县
	cfg.FirstAddr = "127.0.7.1"
	sim, err := simulator.New(cfg, gaz, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := sim.Start(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	defer func() {
		if err := sim.Close(); err != nil {
			fmt.Println(err)
		}
	}()

	fmt.Println(len(sim.Portals()), "portals")
	for _, t := range sim.Truth() {
		if t.RegionCode != "620421113" {
			continue
		}
		requests, _ := t.Values.Get(metrics.RequestsNew, metrics.Total)
		resp, err := http.Get(t.URL)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println(t.Title, t.Template, t.Encoding, "requests:", requests, "status:", resp.StatusCode)
	}
	// Output:
	// 19 portals
	// 三滩镇人民政府2021年政府信息公开工作年度报告 narrative utf-8 requests: 1 status: 200
	// 三滩镇人民政府2022年政府信息公开工作年度报告 table2021 utf-8 requests: 3 status: 200
	// 三滩镇人民政府2023年政府信息公开工作年度报告 table2021 utf-8 requests: 2 status: 200
}

func ExampleParseFaults() {
	f, err := simulator.ParseFaults("5xx=0.05,429=0.02,truncate=0.01,permanent=0.1,hosts=0.5,hang=20s", simulator.DefaultFaults())
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := simulator.DefaultConfig()
	cfg.Faults = f // half the portals; 8% of their URLs misbehave
	cfg.HostFaults = map[string]simulator.Faults{"620421113": {Rates: map[string]float64{simulator.FaultReset: 1}, PermanentShare: 1}}
	fmt.Println(cfg.Validate() == nil)
	fmt.Println(f)
	// Output:
	// true
	// 5xx=0.05,429=0.02,truncate=0.01,hosts=0.5,permanent=0.1,times=2,hang=20s,drip-time=2s,retry-after=1s,retry-date=0.5
}
