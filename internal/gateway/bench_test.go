package gateway_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/coder/websocket"

	"campuscharge/internal/gateway"
	"campuscharge/internal/ocpp"
)

// autoAnswer answers every CALL the server sends with a Reset confirmation
// until the socket ends.
func autoAnswer(ws *websocket.Conn) {
	ctx := context.Background()
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return
		}
		f, err := ocpp.ParseFrame(data)
		if err != nil || f.Type != ocpp.Call {
			continue
		}
		if err := ws.Write(ctx, websocket.MessageText, []byte(`[3,"`+f.ID+`",{"status":"Accepted"}]`)); err != nil {
			return
		}
	}
}

// BenchmarkCallRoundTrip measures one server → charger CALL and its
// CALLRESULT over loopback, validated both ways.
func BenchmarkCallRoundTrip(b *testing.B) {
	s := newTestServer(b, fakeAuth{"CP1": {}}, gateway.Options{})
	ws := s.connect(b, "CP1")
	go autoAnswer(ws)
	ctx := context.Background()
	var resp ocpp.ResetResponse
	b.ReportAllocs()
	for b.Loop() {
		if err := s.g.Call(ctx, "CP1", ocpp.ActionReset, hardReset, &resp); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCallRoundTripParallel measures Calls to 64 chargers at once.
func BenchmarkCallRoundTripParallel(b *testing.B) {
	const chargers = 64
	auth := fakeAuth{}
	for i := range chargers {
		auth[fmt.Sprintf("CP%02d", i)] = account{}
	}
	s := newTestServer(b, auth, gateway.Options{})
	for i := range chargers {
		go autoAnswer(s.connect(b, fmt.Sprintf("CP%02d", i)))
	}
	var mu sync.Mutex
	next := 0
	b.ReportAllocs()
	b.SetParallelism(chargers / 2) // goroutines per CPU: 64 on 2 CPUs
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		id := fmt.Sprintf("CP%02d", next%chargers)
		next++
		mu.Unlock()
		var resp ocpp.ResetResponse
		for pb.Next() {
			if err := s.g.Call(context.Background(), id, ocpp.ActionReset, hardReset, &resp); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkIncomingHeartbeat measures one charger → server Heartbeat and
// its answer over loopback.
func BenchmarkIncomingHeartbeat(b *testing.B) {
	s := newTestServer(b, fakeAuth{"CP1": {}}, gateway.Options{})
	ws := s.connect(b, "CP1")
	ctx := context.Background()
	frame := []byte(`[2,"hb","Heartbeat",{}]`)
	b.ReportAllocs()
	for b.Loop() {
		if err := ws.Write(ctx, websocket.MessageText, frame); err != nil {
			b.Fatal(err)
		}
		if _, _, err := ws.Read(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
