# Plassar haldne av for ei eining (kurs, punkt 4).
reservations-title = Reserverte plassar
session-reservations = Reserver plassar for ei eining
reservations-intro = Hald av plassar for ei eining og gi dei til namngitte personar seinare. Plassar som ikkje har fått namn innan fristen, går til ventelista.
reservations-free-seats = Ledige plassar no: { $free }
reservations-none = Ingen reserverte plassar for einingar du har ansvar for.
reservations-caption = Reservasjonar
reservations-unnamed = Utan namn
reservations-named = Gitt til
reservations-release = Blir frigitt
reservations-released = Frigitt { $at }
reservations-change = Endre talet
reservations-new = Ny reservasjon
reservations-reserve = Reserver
reservations-name-people = Gi plassar til personar
reservations-give-seat = Gi plassen
reservations-search-in-unit = Søk etter personar i { $unit }
reservations-saved = { $count ->
    [one] Reservasjonen er lagra: { $formatted } plass utan namn.
   *[other] Reservasjonen er lagra: { $formatted } plassar utan namn.
}
reservations-seat-given = { $name } har fått ein reservert plass.
reservations-no-units = Du har ingen einingar å reservere plassar for.
field-seats = Tal på plassar
field-release_at = Blir frigitt
field-reservation = Reservasjon
error-not-enough-free-seats = Det er ikkje nok ledige plassar (eller plass i kvoten til kommunen).
error-reserved-seats-out-of-range = Skriv eit heilt tal på plassar frå 0.
error-invalid-seats = Skriv eit heilt tal på plassar frå 0.
error-release-in-past = Fristen må liggje fram i tid.
error-release-after-closing = Fristen kan ikkje vere etter at påmeldinga stengjer.
error-reservation-full = Alle reserverte plassar har fått namn.
error-reservation-released = Dei reserverte plassane er frigitt.
error-not-in-reserved-unit = Personen arbeider ikkje i eininga plassane er reserverte for.
error-already-has-seat = Personen har allereie plass på samlinga.
error-unit-closed = Eininga er lagd ned.
