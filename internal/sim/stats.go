package sim

import (
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Latency histogram: bucket i holds calls up to histBase × histGrowth^i.
const (
	histBuckets = 160
	histBase    = 10 * time.Microsecond
	histGrowth  = 1.12
)

// statsRecorder collects connection and call figures; a nil one records
// nothing. A Fleet shares one among its chargers.
type statsRecorder struct {
	connected atomic.Int64
	messages  atomic.Int64
	calls     atomic.Int64
	failed    atomic.Int64
	mu        sync.Mutex
	hist      [histBuckets]int64
	max       time.Duration
}

func (s *statsRecorder) connectedDelta(d int64) {
	if s != nil {
		s.connected.Add(d)
	}
}

func (s *statsRecorder) message() {
	if s != nil {
		s.messages.Add(1)
	}
}

// record counts one CALL and its latency.
func (s *statsRecorder) record(d time.Duration, ok bool) {
	if s == nil {
		return
	}
	s.messages.Add(1)
	s.calls.Add(1)
	if !ok {
		s.failed.Add(1)
	}
	i := 0
	if d > histBase {
		i = int(math.Ceil(math.Log(float64(d)/float64(histBase)) / math.Log(histGrowth)))
	}
	i = min(i, histBuckets-1)
	s.mu.Lock()
	s.hist[i]++
	s.max = max(s.max, d)
	s.mu.Unlock()
}

// FleetStats are figures collected while a fleet runs.
type FleetStats struct {
	// Connected counts chargers whose WebSocket is open now.
	Connected int
	// Messages counts frames sent (CALLs) and received.
	Messages int64
	// Calls counts CALLs that got an answer or timed out.
	Calls int64
	// Failed counts CALLs answered with a CALLERROR, an invalid answer or none.
	Failed int64
	// P50 is the median CALL latency (upper bound of its histogram bucket).
	P50 time.Duration
	// P99 is the 99th percentile CALL latency (bucket upper bound).
	P99 time.Duration
	// Max is the slowest CALL.
	Max time.Duration
}

func (s *statsRecorder) snapshot() FleetStats {
	if s == nil {
		return FleetStats{}
	}
	st := FleetStats{
		Connected: int(s.connected.Load()),
		Messages:  s.messages.Load(),
		Calls:     s.calls.Load(),
		Failed:    s.failed.Load(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st.Max = s.max
	var total int64
	for _, n := range s.hist {
		total += n
	}
	quantile := func(q float64) time.Duration {
		if total == 0 {
			return 0
		}
		want := int64(math.Ceil(q * float64(total)))
		var seen int64
		for i, n := range s.hist {
			seen += n
			if seen >= want {
				return min(time.Duration(float64(histBase)*math.Pow(histGrowth, float64(i))), s.max)
			}
		}
		return s.max
	}
	st.P50, st.P99 = quantile(0.50), quantile(0.99)
	return st
}
