# Plasser holdt av for en enhet (kurs, punkt 4).
reservations-title = Reserverte plasser
session-reservations = Reserver plasser for en enhet
reservations-intro = Hold av plasser for en enhet og gi dem til navngitte personer senere. Plasser som ikke har fått navn innen fristen, går til ventelisten.
reservations-free-seats = Ledige plasser nå: { $free }
reservations-none = Ingen reserverte plasser for enheter du har ansvar for.
reservations-caption = Reservasjoner
reservations-unnamed = Uten navn
reservations-named = Gitt til
reservations-release = Frigis
reservations-released = Frigitt { $at }
reservations-change = Endre antall
reservations-new = Ny reservasjon
reservations-reserve = Reserver
reservations-name-people = Gi plasser til personer
reservations-give-seat = Gi plassen
reservations-search-in-unit = Søk etter personer i { $unit }
reservations-saved = { $count ->
    [one] Reservasjonen er lagret: { $formatted } plass uten navn.
   *[other] Reservasjonen er lagret: { $formatted } plasser uten navn.
}
reservations-seat-given = { $name } har fått en reservert plass.
reservations-no-units = Du har ingen enheter å reservere plasser for.
field-seats = Antall plasser
field-release_at = Frigis
field-reservation = Reservasjon
error-not-enough-free-seats = Det er ikke nok ledige plasser (eller plass i kommunens kvote).
error-reserved-seats-out-of-range = Skriv et helt antall plasser fra 0.
error-invalid-seats = Skriv et helt antall plasser fra 0.
error-release-in-past = Fristen må ligge fram i tid.
error-release-after-closing = Fristen kan ikke være etter at påmeldingen stenger.
error-reservation-full = Alle reserverte plasser har fått navn.
error-reservation-released = De reserverte plassene er frigitt.
error-not-in-reserved-unit = Personen arbeider ikke i enheten plassene er reservert for.
error-already-has-seat = Personen har allerede plass på samlingen.
error-unit-closed = Enheten er lagt ned.
