# Courses and events (issue 5)
nav-courses = Kurs
courses-title = Kurs og arrangementer
courses-intro = Kurs, seminarer, webinarer, nettverksmøter og konferanser i regionen, på tvers av kommunegrensene.
courses-search = Søk
courses-search-button = Søk
courses-filter-any = Alle
courses-filter-competence = Kompetanse
courses-filter-format = Form
courses-filter-organiser = Arrangør
courses-filter-municipality = Arrangørkommune
courses-filter-from = Fra dato
courses-filter-to = Til dato
courses-filter-free = Bare med ledige plasser
courses-found = { $count ->
    [one] { $formatted } kurs funnet
   *[other] { $formatted } kurs funnet
}
courses-free-seats = { $count ->
    [one] { $formatted } ledig plass
   *[other] { $formatted } ledige plasser
}
courses-next = Neste:
courses-no-sessions = Ingen kommende samlinger
courses-back = Alle kurs
course-new = Nytt kurs
course-edit = Endre kurs
course-copy = Kopier kurset
course-format = Form
course-format-classroom = Klasserom
course-format-webinar = Webinar
course-format-e-learning = E-læring
course-format-conference = Konferanse
course-format-network-meeting = Nettverksmøte
course-organiser = Arrangør
course-organiser-region = Regionen
course-organiser-municipality = En kommune
course-organiser-external = Ekstern tilbyder
course-contact = Kontaktperson
course-price-internal = Pris for regionens kommuner
course-price-external = Pris for andre
course-free-of-charge = Gratis
course-language = Språk
course-target-groups = Målgrupper
course-competences = Kompetanse kurset bygger
course-competence-line = { $code } { $title } (nivå { $level })
course-sessions = Samlinger
course-visibility-region = Hele regionen
course-state-confirmed = Du har plass.
course-state-waitlisted = Du står på venteliste: du er nummer { $position } av { $of }.
course-state-cancelled = Påmeldingen er avmeldt.
course-state-cancelled-late = Påmeldingen er avmeldt etter fristen.
course-state-left-waitlist = Du har gått av ventelisten.
course-enrolled = Påmeldingen er registrert. { $state }
course-enrolled-other = { $name } er meldt på. { $state }
course-already-enrolled = Du var allerede påmeldt. { $state }
course-overlap-warning = Obs: samlingen overlapper i tid med «{ $course }», som du også er påmeldt.
session-new = Ny samling
session-edit = Endre samling
session-cancelled = Samlingen er avlyst.
session-venue = Sted
session-online-link = Lenke til nettmøtet
session-seats = Plasser
session-seats-of = { $count ->
    [one] { $formatted } plass
   *[other] { $formatted } plasser
}
session-waiting = { $count ->
    [one] { $formatted } på venteliste
   *[other] { $formatted } på venteliste
}
session-enrolment = Påmelding
session-cancellation-deadline = Avmeldingsfrist
session-instructors = Kursholdere
session-enrol = Meld på
session-join-waitlist = Sett meg på venteliste
session-cancel-mine = Meld meg av
session-leave-waitlist = Gå av ventelisten
session-enrolment-not-open = Påmeldingen er ikke åpen.
session-enrol-others = Meld på andre
session-participants = Deltakerliste
session-cancel-session = Avlys samlingen
enrol-others-search = Finn person (navn, e-post eller ansattnummer)
enrol-others-results = Personer du kan melde på
enrol-others-none = Ingen treff blant personene du kan melde på.
field-summary = Kort beskrivelse
field-description = Beskrivelse
field-competences-help = Én per linje: rammeverk, kompetansekode og nivå, for eksempel «digcomp 4.2 3».
field-target_groups = Målgrupper
field-format = Form
field-organiser_kind = Arrangør
field-organiser_municipality = Arrangørkommune (når en kommune arrangerer)
field-organiser_name = Navn på ekstern tilbyder
field-contact_name = Kontaktperson
field-contact_email = Kontaktpersonens e-post
field-price_internal = Pris for regionens kommuner (kr)
field-price_external = Pris for andre (kr)
field-language = Språk
field-visibility = Synlig for
field-days = Dager
field-days-help = Én dag per linje med dato og klokkeslett, for eksempel «2027-02-03 09:00-15:30» (norsk tid).
field-venue = Sted
field-room = Rom
field-online_link = Lenke til nettmøtet (vises bare for påmeldte)
field-capacity = Antall plasser
field-quotas = Kvoter per kommune
field-quotas-help = Høyeste antall plasser for hver kommune. Tomt betyr ingen kvote.
field-enrolment_opens = Påmeldingen åpner
field-enrolment_closes = Påmeldingen stenger
field-cancellation_deadline = Avmeldingsfrist
field-instructors = Kursholdere (én per linje)
field-series = Serie
field-series_count = Antall samlinger
field-series_weeks = Uker mellom samlingene
field-session = Samling
field-person = Person
field-filter = Filter
error-unknown-format = Ukjent form.
error-invalid-amount = Skriv beløpet i kroner, for eksempel 1 250 eller 1 250,50.
error-invalid-competence-line = Skriv én kompetanse per linje: rammeverk, kode og nivå.
error-invalid-language = Ukjent språkkode.
error-invalid-day = Skriv dagen som «2027-02-03 09:00-15:30».
error-ends-before-starts = Slutten er før starten.
error-days-overlap = To av dagene overlapper.
error-invalid-capacity = Antall plasser må være et helt tall fra 1.
error-invalid-quota = Kvoten må være et helt tall.
error-quota-above-capacity = En kvote kan ikke være større enn antall plasser.
error-invalid-datetime = Skriv dato og klokkeslett.
error-closes-before-opens = Påmeldingen stenger før den åpner.
error-closes-after-start = Påmeldingen må stenge før første dag starter.
error-deadline-after-start = Avmeldingsfristen må være før første dag starter.
error-invalid-link = Lenken må begynne med https://.
error-capacity-below-confirmed = Antall plasser kan ikke settes lavere enn antallet som allerede har plass.
error-quota-below-confirmed = En kvote kan ikke settes lavere enn antallet fra kommunen som allerede har plass.
error-invalid-series = Antall samlinger og uker mellom må være fra 1 til 52.
error-session-cancelled = Samlingen er avlyst. Påmelding er ikke mulig.
error-enrolment-not-open = Påmeldingen har ikke åpnet ennå.
error-enrolment-closed = Påmeldingen er stengt.
error-not-in-audience = Kurset er bare for ansatte i en annen kommune.
error-person-left = Personen har sluttet.
error-not-enrolled = Det er ingen påmelding å melde av.
error-already-enrolled = Personen er allerede påmeldt.
mail-course-confirmed-subject = Du har plass på «{ $course }»
mail-course-confirmed-body = Hei { $name }!

    Du har fått plass på «{ $course }». Se tid, sted og avmeldingsfrist her:
    { $link }
mail-course-waitlisted-subject = Du står på venteliste til «{ $course }»
mail-course-waitlisted-body = Hei { $name }!

    «{ $course }» er fullt. Du står på ventelisten og er nummer { $position } av { $of }. Får du plass, sier vi fra.
    { $link }
mail-course-promoted-subject = Du har fått plass på «{ $course }»
mail-course-promoted-body = Hei { $name }!

    En plass ble ledig, og du har nå plass på «{ $course }». Kan du ikke komme, meld deg av så plassen går videre:
    { $link }
session-calendar = Legg i kalenderen (.ics)
calendar-feed-make = Lag kalenderlenke
calendar-feed-title = Din kalenderlenke
calendar-feed-url = Hemmelig adresse til kalenderen din
calendar-feed-shown-once = Adressen vises bare nå. Lager du en ny, slutter den gamle å virke.
calendar-feed-help = Abonner på adressen i kalenderprogrammet ditt. Den viser samlingene du har plass på. Del den ikke med andre.
error-not-a-participant = Personen har ikke plass på samlingen.
attendance-title = Oppmøte
attendance-help = Merk hvem som kom, dag for dag. Kurset er fullført når deltakeren har vært til stede alle dagene, og da blir kompetansen registrert på personen.
attendance-none = Ingen har plass på samlingen.
attendance-present = Til stede
attendance-absent = Ikke til stede
attendance-save = Lagre oppmøtet
attendance-saved = Oppmøtet er lagret.
attendance-completed = fullført
field-day = Dag
mail-course-cancelled-subject = «{ $course }» er avlyst
mail-course-cancelled-body = Hei { $name }!

    Samlingen du var påmeldt på «{ $course }», er avlyst. Vedlagt er en oppdatert kalenderoppføring som fjerner den fra kalenderen din.
    { $link }

invoicing-title = Fakturagrunnlag for kurs
invoicing-rule = Deltakere, de som ikke møtte, de uten registrert oppmøte og sene avmeldinger faktureres kursets pris (internpris for regionens kommuner). Avmelding før fristen og venteliste faktureres ikke. Kurs som ikke er holdt ennå, vises, men faktureres ikke før de er holdt.
invoicing-from = Fra og med
invoicing-to = Til og med
invoicing-all-municipalities = Alle kommuner
invoicing-show = Vis
invoicing-download-csv = Last ned CSV
invoicing-download-xlsx = Last ned Excel (XLSX)
invoicing-empty = Ingen å fakturere i perioden.
invoicing-course = Kurs
invoicing-date = Dato
invoicing-participants = Deltakere
invoicing-no-shows = Møtte ikke
invoicing-late-cancellations = Sene avmeldinger
invoicing-charged = Antall fakturert
invoicing-price = Pris
invoicing-amount = Beløp
invoicing-people = Personer
invoicing-total = Sum
invoicing-grand-total = Totalt
invoicing-participant = deltok
invoicing-no-show = møtte ikke
invoicing-late-cancellation = sen avmelding
error-period-reversed = Til-datoen kan ikke være før fra-datoen.
field-from = Fra og med
field-to = Til og med
invoicing-unrecordeds = Oppmøte ikke registrert
invoicing-not-yet-helds = Ikke holdt ennå
invoicing-unrecorded = oppmøte ikke registrert
invoicing-not-yet-held = ikke holdt ennå
mail-course-changed-subject = «{ $course }» er endret
mail-course-changed-body = Hei { $name }!

    Samlingen du er påmeldt på «{ $course }», er endret. Slik er den nå:
    { $when }
    Sted: { $place }

    Vedlagt er en oppdatert kalenderoppføring som erstatter den du har.
    { $link }
error-day-has-attendance = En dag med registrert oppmøte kan ikke fjernes. Flytt dagen i stedet, eller fjern oppmøtet først.
approvals-title = Forespørsler som venter på godkjenning
approvals-help = Kurs som krever godkjenning, venter på at du melder på personen eller avslår. Godkjenner du, får personen plass eller venteliste på vanlig måte, i den rekkefølgen godkjenningene kommer.
approvals-none = Ingen forespørsler venter.
approvals-starts = Første dag
approvals-requested-at = Bedt om
approvals-decision = Avgjørelse
approvals-approve = Godkjenn
approvals-reject = Avslå
approvals-rejected = Forespørselen fra { $name } er avslått, og personen har fått beskjed.
course-approval = Godkjenning
course-approval-required = Lederen din må godkjenne påmeldingen.
session-request = Be om plass
session-withdraw-request = Trekk forespørselen
course-state-pending = Du har bedt om plass. Forespørselen venter på godkjenning fra lederen din.
course-state-rejected = Forespørselen om plass ble avslått.
field-requires_approval = Krever godkjenning fra leder
field-requires_approval-help = Når noen melder seg på selv, venter påmeldingen til en leder eller koordinator godkjenner den.
error-own-request = Du kan ikke godkjenne eller avslå din egen forespørsel.
error-no-pending-request = Det finnes ingen forespørsel som venter for denne personen.
mail-course-requested-subject = Du har bedt om plass på «{ $course }»
mail-course-requested-body = Hei { $name }!

    Vi har mottatt forespørselen din om plass på «{ $course }». Lederen din må godkjenne den før du får plass. Du får en ny e-post når den er avgjort.
    { $link }
mail-course-rejected-subject = Forespørselen om «{ $course }» er avslått
mail-course-rejected-body = Hei { $name }!

    Forespørselen din om plass på «{ $course }» er avslått. Snakk med lederen din om du lurer på hvorfor.
    { $link }
mail-course-reminder-subject = Påminnelse: «{ $course }»
mail-course-reminder-body = Hei { $name }!

    Dette er en påminnelse om at du har plass på «{ $course }»:
    { $when }
    Sted: { $place }

    Kan du ikke komme, melder du deg av på kurssiden, så får noen på ventelisten plassen.
    { $link }
evidence-title = Dokumentert kompetanse
evidence-none = Ingen dokumentert kompetanse ennå. Fullførte kurs vises her.
evidence-competence = Kompetanse
evidence-level = Nivå
evidence-date = Dato
evidence-source = Kilde
evidence-from-course = Kurs: { $course }
course-outside-target-groups = Kurset er laget for andre målgrupper enn dem personen tilhører. Påmeldingen er registrert likevel.
evaluation-title = Evaluering av kurset
evaluation-thanks = Takk! Svaret ditt er lagret uten navnet ditt.
evaluation-anonymous = Evalueringen er anonym: svaret lagres uten navn og tidspunkt, og arrangøren ser bare samlede tall når minst fem har svart.
evaluation-overall = Hvor godt var kurset alt i alt?
evaluation-relevance = Hvor nyttig er kurset for arbeidet ditt?
evaluation-scale = 1 = i svært liten grad, 5 = i svært stor grad.
evaluation-comment = Kommentar (valgfritt)
evaluation-comment-help = Ikke skriv navn eller annet som kan vise hvem du er eller hvem du skriver om.
evaluation-send = Send evalueringen
evaluation-results = Evalueringer
evaluation-k-rule = { $count ->
    [one] Tall vises bare for grupper med minst { $formatted } svar.
   *[other] Tall vises bare for grupper med minst { $formatted } svar, og ikke der en skjult gruppe kunne regnes ut.
}
evaluation-group = Gruppe
evaluation-respondents = Svar
evaluation-overall-mean = Alt i alt (snitt)
evaluation-overall-distribution = Alt i alt (fordeling)
evaluation-relevance-mean = Nytte (snitt)
evaluation-relevance-distribution = Nytte (fordeling)
evaluation-whole-course = Hele kurset
evaluation-hidden = Skjult: for få svar, eller kunne avsløre en mindre gruppe.
evaluation-comments = Kommentarer
evaluation-no-comments = Ingen kommentarer å vise.
session-evaluate = Evaluer kurset
course-evaluation-results = Se evalueringene
field-overall = Alt i alt
field-relevance = Nytte
field-comment = Kommentar
error-score-off-scale = Velg et tall fra 1 til 5.
error-not-completed = Du kan evaluere når du har fullført kurset.
error-already-evaluated = Du har allerede evaluert denne samlingen.
participation-title = Kursdeltakelse
report-k-rule = { $count ->
    [one] Tall om grupper av personer vises bare for grupper med minst { $formatted } person.
   *[other] Tall om grupper av personer vises bare for grupper med minst { $formatted } personer, og ikke der en skjult gruppe kunne regnes ut av summen.
}
report-sessions = Samlinger i perioden
report-no-sessions = Ingen samlinger i perioden.
report-capacity = Plasser
report-confirmed = Påmeldt
report-fill = Fyllingsgrad
report-waitlisted = På venteliste
report-completed = Fullført
report-no-shows = Møtte ikke
report-no-show-rate = Andel som ikke møtte
report-municipalities = Deltakere per kommune
report-participants = Deltakere
report-region-total = Hele regionen
report-units = Deltakere per enhet
report-units-of = Enheter i { $municipality } (med underenheter)
report-units-choose = Velg en kommune for å se tallene per enhet.
report-no-units = Ingen fra kommunens enheter deltok i perioden.
report-unit-level = Nivå
report-competences = Kompetanse bygget (fullførte kurs)
report-no-competences = Ingen fullførte kurs i perioden.
report-people-completed = Personer
participation-hidden-short = skjult
report-hidden-explained = «skjult» betyr for få personer, eller at tallet kunne avsløre en mindre gruppe.
course-state-offered = Du har fått tilbud om en ledig plass. Svar innen { $deadline }, ellers går plassen videre til den neste på ventelisten.
course-state-offer-declined = Du har takket nei til plassen, og den er gitt videre.
course-state-offer-lapsed = Tilbudet om plass gikk ut uten svar, og plassen er gitt videre.
course-offer-accepted = Du har takket ja. { $state }
session-accept-offer = Takk ja til plassen
session-decline-offer = Takk nei
field-offer_hours = Svarfrist for ledige plasser (timer)
field-offer_hours-help = Tom eller 0: en ledig plass går straks til den første på ventelisten. Ellers får den første et tilbud som må besvares innen så mange timer (høyst 720, aldri etter kursstart); uten svar går plassen videre.
error-invalid-offer-hours = Skriv et helt antall timer fra 0 til 720.
error-offer-expired = Fristen for å svare på tilbudet har gått ut, og plassen er gitt videre.
error-no-offer = Du har ikke noe tilbud om plass på denne samlingen.
mail-course-offered-subject = Ledig plass på «{ $course }»: svar innen { $deadline }
mail-course-offered-body = Hei { $name }!

    En plass er blitt ledig på «{ $course }», og den holdes av for deg til { $deadline }. Takk ja eller nei på kurssiden:
    { $link }
    Svarer du ikke innen fristen, går plassen videre til den neste på ventelisten.
mail-course-offer-lapsed-subject = Tilbudet om plass på «{ $course }» har gått ut
mail-course-offer-lapsed-body = Hei { $name }!

    Du svarte ikke på tilbudet om plass på «{ $course }» innen fristen, så plassen er gitt videre til den neste på ventelisten. Vil du fortsatt delta, kan du melde deg på igjen:
    { $link }
