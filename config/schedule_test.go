package config

import (
	"reflect"
	"strings"
	"testing"
	_ "time/tzdata" // Asia/Shanghai on machines without zoneinfo, as the binary has
)

func TestScheduleSpecs(t *testing.T) {
	tests := []struct {
		cron string
		want []string
	}{
		{"", []string{"0 3 * 1-4 *", "0 3 * 5-12 1"}},
		{"  ", []string{"0 3 * 1-4 *", "0 3 * 5-12 1"}},
		{"0 4 * * *", []string{"0 4 * * *"}},
		{"0 4  * * * ;; 30 2 1 * *", []string{"0 4 * * *", "30 2 1 * *"}},
	}
	for _, tt := range tests {
		if got := (Schedule{Cron: tt.cron}).Specs(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Specs(%q) = %q, want %q", tt.cron, got, tt.want)
		}
	}
}

func TestScheduleValidate(t *testing.T) {
	if err := DefaultSchedule().Validate(); err != nil {
		t.Fatalf("default schedule: %v", err)
	}
	bad := Schedule{Cron: "0 3 * *", Timezone: "Mars/Olympus", StopTimeout: 0}
	err := bad.Validate()
	for _, want := range []string{"schedule.cron", "schedule.timezone", "schedule.stop_timeout"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to name %s", err, want)
		}
	}
}

func TestScheduleFromEnvironment(t *testing.T) {
	c, err := Load(Options{Env: []string{"NIANBAO_SCHEDULE_CRON=0 5 * * 1-5", "NIANBAO_SCHEDULE_TIMEZONE=UTC"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Schedule.Specs(); len(got) != 1 || got[0] != "0 5 * * 1-5" || c.Schedule.Timezone != "UTC" {
		t.Errorf("schedule = %+v", c.Schedule)
	}
}
