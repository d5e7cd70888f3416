// Package support provides driver feedback tickets (with photos and staff
// replies) and the live support chat: one conversation per driver, unread
// counts for each side, history kept and paged. It checks who may see and do
// what, and publishes feedback.* and chat.* events on the bus so the console
// and the driver's app update live. It must not know about HTTP or SQL: it
// reaches storage through the Store interface it declares.
package support
