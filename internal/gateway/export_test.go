package gateway

// SetQueuedHook makes g call f when a Call starts waiting for its turn
// behind an outstanding CALL. Call it before the gateway serves sockets.
func SetQueuedHook(g *Gateway, f func(chargePointID string)) { g.queued = f }
