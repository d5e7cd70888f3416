package dispatch

import "errors"

// Refusal reasons. Operations wrap them with context; test with errors.Is.
var (
	// ErrInvalid: the request or the site parameters are malformed.
	ErrInvalid = errors.New("invalid")
	// ErrWaitingAreaFull: the waiting area already holds N cars.
	ErrWaitingAreaFull = errors.New("waiting area full")
	// ErrNoCharger: the site has no charger of the requested mode.
	ErrNoCharger = errors.New("no charger of that mode")
	// ErrDuplicateCar: the car already has a request at the site.
	ErrDuplicateCar = errors.New("car already has a request")
	// ErrUnknownCar: the car has no request at the site.
	ErrUnknownCar = errors.New("car has no request")
	// ErrAlreadyPlaced: the car is on a charger's queue and can no longer
	// change its request (it may still cancel).
	ErrAlreadyPlaced = errors.New("car already placed on a charger")
	// ErrUnknownCharger: no charger with that id.
	ErrUnknownCharger = errors.New("unknown charger")
	// ErrChargerState: the charger is already faulted (Fault) or not faulted
	// (Recover).
	ErrChargerState = errors.New("charger in wrong state")
	// ErrNotCalled: the car is not at the head of a queue waiting to plug in.
	ErrNotCalled = errors.New("car is not called to plug in")
	// ErrTimeBackwards: the time given is before the state's time.
	ErrTimeBackwards = errors.New("time goes backwards")
)
