# Seats held for a unit (courses, item 4).
reservations-title = Reserved seats
session-reservations = Reserve seats for a unit
reservations-intro = Hold seats for a unit and give them to named people later. Seats without a name by the deadline go to the waitlist.
reservations-free-seats = Free seats now: { $free }
reservations-none = No reserved seats for units you are responsible for.
reservations-caption = Reservations
reservations-unnamed = Unnamed
reservations-named = Given to
reservations-release = Released
reservations-released = Released { $at }
reservations-change = Change number
reservations-new = New reservation
reservations-reserve = Reserve
reservations-name-people = Give seats to people
reservations-give-seat = Give the seat
reservations-search-in-unit = Search for people in { $unit }
reservations-saved = { $count ->
    [one] The reservation is saved: { $formatted } unnamed seat.
   *[other] The reservation is saved: { $formatted } unnamed seats.
}
reservations-seat-given = { $name } has been given a reserved seat.
reservations-no-units = You have no units to reserve seats for.
field-seats = Number of seats
field-release_at = Released
field-reservation = Reservation
error-not-enough-free-seats = There are not enough free seats (or room in the municipality's quota).
error-reserved-seats-out-of-range = Enter a whole number of seats from 0.
error-invalid-seats = Enter a whole number of seats from 0.
error-release-in-past = The deadline must lie ahead.
error-release-after-closing = The deadline cannot be after enrolment closes.
error-reservation-full = All reserved seats have been named.
error-reservation-released = The reserved seats have been released.
error-not-in-reserved-unit = The person does not work in the unit the seats are reserved for.
error-already-has-seat = The person already has a seat in the session.
error-unit-closed = The unit has been closed.
