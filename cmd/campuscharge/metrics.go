package main

import (
	"github.com/prometheus/client_golang/prometheus"

	"campuscharge/internal/gateway"
)

// gatewayCollector exports the OCPP gateway's counters (gateway.Stats) as
// Prometheus metrics, read once per scrape.
type gatewayCollector struct {
	g                                 *gateway.Gateway
	conns, accepted, refused, in, out *prometheus.Desc
	callsIn, callsOut, timeouts       *prometheus.Desc
}

func newGatewayCollector(g *gateway.Gateway) *gatewayCollector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc("campuscharge_ocpp_"+name, help, nil, nil)
	}
	return &gatewayCollector{g: g,
		conns:    d("connections", "Chargers connected now."),
		accepted: d("sockets_accepted_total", "WebSocket connections accepted."),
		refused:  d("handshakes_refused_total", "WebSocket handshakes refused (unknown charger, bad password, bad subprotocol)."),
		in:       d("messages_received_total", "OCPP messages received from chargers."),
		out:      d("messages_sent_total", "OCPP frames sent to chargers."),
		callsIn:  d("charger_calls_answered_total", "Chargers' CALLs answered with a CALLRESULT or CALLERROR."),
		callsOut: d("server_calls_answered_total", "Our CALLs (remote commands) answered by chargers."),
		timeouts: d("server_call_timeouts_total", "Our CALLs that got no answer in time."),
	}
}

// Describe implements prometheus.Collector.
func (c *gatewayCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.conns, c.accepted, c.refused, c.in, c.out, c.callsIn, c.callsOut, c.timeouts} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *gatewayCollector) Collect(ch chan<- prometheus.Metric) {
	st := c.g.Stats()
	ch <- prometheus.MustNewConstMetric(c.conns, prometheus.GaugeValue, float64(st.Connections))
	for _, m := range []struct {
		d *prometheus.Desc
		v int64
	}{{c.accepted, st.Accepted}, {c.refused, st.Refused}, {c.in, st.MessagesIn}, {c.out, st.MessagesOut},
		{c.callsIn, st.CallsIn}, {c.callsOut, st.CallsOut}, {c.timeouts, st.CallTimeouts}} {
		ch <- prometheus.MustNewConstMetric(m.d, prometheus.CounterValue, float64(m.v))
	}
}
