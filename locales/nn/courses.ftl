# Courses and events (issue 5)
nav-courses = Kurs
courses-title = Kurs og arrangement
courses-intro = Kurs, seminar, webinar, nettverksmøte og konferansar i regionen, på tvers av kommunegrensene.
courses-search = Søk
courses-search-button = Søk
courses-filter-any = Alle
courses-filter-competence = Kompetanse
courses-filter-format = Form
courses-filter-organiser = Arrangør
courses-filter-municipality = Arrangørkommune
courses-filter-from = Frå dato
courses-filter-to = Til dato
courses-filter-free = Berre med ledige plassar
courses-found = { $count ->
    [one] { $formatted } kurs funne
   *[other] { $formatted } kurs funne
}
courses-free-seats = { $count ->
    [one] { $formatted } ledig plass
   *[other] { $formatted } ledige plassar
}
courses-next = Neste:
courses-no-sessions = Ingen komande samlingar
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
course-organiser-municipality = Ein kommune
course-organiser-external = Ekstern tilbydar
course-contact = Kontaktperson
course-price-internal = Pris for kommunane i regionen
course-price-external = Pris for andre
course-free-of-charge = Gratis
course-language = Språk
course-target-groups = Målgrupper
course-competences = Kompetanse kurset byggjer
course-competence-line = { $code } { $title } (nivå { $level })
course-sessions = Samlingar
course-visibility-region = Heile regionen
course-state-confirmed = Du har plass.
course-state-waitlisted = Du står på venteliste: du er nummer { $position } av { $of }.
course-state-cancelled = Påmeldinga er avmeld.
course-state-cancelled-late = Påmeldinga er avmeld etter fristen.
course-state-left-waitlist = Du har gått av ventelista.
course-enrolled = Påmeldinga er registrert. { $state }
course-enrolled-other = { $name } er meld på. { $state }
course-already-enrolled = Du var allereie påmeld. { $state }
course-overlap-warning = Merk: samlinga overlappar i tid med «{ $course }», som du også er påmeld.
session-new = Ny samling
session-edit = Endre samling
session-cancelled = Samlinga er avlyst.
session-venue = Stad
session-online-link = Lenkje til nettmøtet
session-seats = Plassar
session-seats-of = { $count ->
    [one] { $formatted } plass
   *[other] { $formatted } plassar
}
session-waiting = { $count ->
    [one] { $formatted } på venteliste
   *[other] { $formatted } på venteliste
}
session-enrolment = Påmelding
session-cancellation-deadline = Avmeldingsfrist
session-instructors = Kurshaldarar
session-enrol = Meld på
session-join-waitlist = Set meg på venteliste
session-cancel-mine = Meld meg av
session-leave-waitlist = Gå av ventelista
session-enrolment-not-open = Påmeldinga er ikkje open.
session-enrol-others = Meld på andre
session-participants = Deltakarliste
session-cancel-session = Avlys samlinga
enrol-others-search = Finn person (namn, e-post eller tilsettnummer)
enrol-others-results = Personar du kan melde på
enrol-others-none = Ingen treff blant personane du kan melde på.
field-summary = Kort skildring
field-description = Skildring
field-competences-help = Éin per linje: rammeverk, kompetansekode og nivå, til dømes «digcomp 4.2 3».
field-target_groups = Målgrupper
field-format = Form
field-organiser_kind = Arrangør
field-organiser_municipality = Arrangørkommune (når ein kommune arrangerer)
field-organiser_name = Namn på ekstern tilbydar
field-contact_name = Kontaktperson
field-contact_email = E-posten til kontaktpersonen
field-price_internal = Pris for kommunane i regionen (kr)
field-price_external = Pris for andre (kr)
field-language = Språk
field-visibility = Synleg for
field-days = Dagar
field-days-help = Éin dag per linje med dato og klokkeslett, til dømes «2027-02-03 09:00-15:30» (norsk tid).
field-venue = Stad
field-room = Rom
field-online_link = Lenkje til nettmøtet (visast berre for påmelde)
field-capacity = Tal på plassar
field-quotas = Kvotar per kommune
field-quotas-help = Høgaste tal på plassar for kvar kommune. Tomt tyder ingen kvote.
field-enrolment_opens = Påmeldinga opnar
field-enrolment_closes = Påmeldinga stengjer
field-cancellation_deadline = Avmeldingsfrist
field-instructors = Kurshaldarar (éin per linje)
field-series = Serie
field-series_count = Tal på samlingar
field-series_weeks = Veker mellom samlingane
field-session = Samling
field-person = Person
field-filter = Filter
error-unknown-format = Ukjend form.
error-invalid-amount = Skriv beløpet i kroner, til dømes 1 250 eller 1 250,50.
error-invalid-competence-line = Skriv éin kompetanse per linje: rammeverk, kode og nivå.
error-invalid-language = Ukjend språkkode.
error-invalid-day = Skriv dagen som «2027-02-03 09:00-15:30».
error-ends-before-starts = Slutten er før starten.
error-days-overlap = To av dagane overlappar.
error-invalid-capacity = Talet på plassar må vere eit heilt tal frå 1.
error-invalid-quota = Kvoten må vere eit heilt tal.
error-quota-above-capacity = Ein kvote kan ikkje vere større enn talet på plassar.
error-invalid-datetime = Skriv dato og klokkeslett.
error-closes-before-opens = Påmeldinga stengjer før ho opnar.
error-closes-after-start = Påmeldinga må stengje før første dag startar.
error-deadline-after-start = Avmeldingsfristen må vere før første dag startar.
error-invalid-link = Lenkja må byrje med https://.
error-capacity-below-confirmed = Talet på plassar kan ikkje setjast lågare enn talet som alt har plass.
error-quota-below-confirmed = Ein kvote kan ikkje setjast lågare enn talet frå kommunen som alt har plass.
error-invalid-series = Tal på samlingar og veker mellom må vere frå 1 til 52.
error-session-cancelled = Samlinga er avlyst. Påmelding er ikkje mogleg.
error-enrolment-not-open = Påmeldinga har ikkje opna enno.
error-enrolment-closed = Påmeldinga er stengd.
error-not-in-audience = Kurset er berre for tilsette i ein annan kommune.
error-person-left = Personen har slutta.
error-not-enrolled = Det er inga påmelding å melde av.
error-already-enrolled = Personen er allereie påmeld.
mail-course-confirmed-subject = Du har plass på «{ $course }»
mail-course-confirmed-body = Hei { $name }!

    Du har fått plass på «{ $course }». Sjå tid, stad og avmeldingsfrist her:
    { $link }
mail-course-waitlisted-subject = Du står på venteliste til «{ $course }»
mail-course-waitlisted-body = Hei { $name }!

    «{ $course }» er fullt. Du står på ventelista og er nummer { $position } av { $of }. Får du plass, seier vi frå.
    { $link }
mail-course-promoted-subject = Du har fått plass på «{ $course }»
mail-course-promoted-body = Hei { $name }!

    Ein plass vart ledig, og du har no plass på «{ $course }». Kan du ikkje kome, meld deg av så plassen går vidare:
    { $link }
session-calendar = Legg i kalenderen (.ics)
calendar-feed-make = Lag kalenderlenkje
calendar-feed-title = Kalenderlenkja di
calendar-feed-url = Løynd adresse til kalenderen din
calendar-feed-shown-once = Adressa blir berre vist no. Lagar du ei ny, sluttar den gamle å verke.
calendar-feed-help = Abonner på adressa i kalenderprogrammet ditt. Ho viser samlingane du har plass på. Del ho ikkje med andre.
error-not-a-participant = Personen har ikkje plass på samlinga.
attendance-title = Oppmøte
attendance-help = Merk kven som kom, dag for dag. Kurset er fullført når deltakaren har vore til stades alle dagane, og då blir kompetansen registrert på personen.
attendance-none = Ingen har plass på samlinga.
attendance-present = Til stades
attendance-absent = Ikkje til stades
attendance-save = Lagre oppmøtet
attendance-saved = Oppmøtet er lagra.
attendance-completed = fullført
field-day = Dag
mail-course-cancelled-subject = «{ $course }» er avlyst
mail-course-cancelled-body = Hei { $name }!

    Samlinga du var påmeld på «{ $course }», er avlyst. Vedlagd er ei oppdatert kalenderoppføring som fjernar ho frå kalenderen din.
    { $link }

invoicing-title = Fakturagrunnlag for kurs
invoicing-rule = Deltakarar, dei som ikkje møtte, dei utan registrert oppmøte og seine avmeldingar blir fakturerte prisen på kurset (internpris for kommunane i regionen). Avmelding før fristen og venteliste blir ikkje fakturert. Kurs som ikkje er haldne enno, blir viste, men ikkje fakturerte før dei er haldne.
invoicing-from = Frå og med
invoicing-to = Til og med
invoicing-all-municipalities = Alle kommunar
invoicing-show = Vis
invoicing-download-csv = Last ned CSV
invoicing-download-xlsx = Last ned Excel (XLSX)
invoicing-empty = Ingen å fakturere i perioden.
invoicing-course = Kurs
invoicing-date = Dato
invoicing-participants = Deltakarar
invoicing-no-shows = Møtte ikkje
invoicing-late-cancellations = Seine avmeldingar
invoicing-charged = Tal fakturerte
invoicing-price = Pris
invoicing-amount = Beløp
invoicing-people = Personar
invoicing-total = Sum
invoicing-grand-total = Totalt
invoicing-participant = deltok
invoicing-no-show = møtte ikkje
invoicing-late-cancellation = sein avmelding
error-period-reversed = Til-datoen kan ikkje vere før frå-datoen.
field-from = Frå og med
field-to = Til og med
invoicing-unrecordeds = Oppmøte ikkje registrert
invoicing-not-yet-helds = Ikkje halde enno
invoicing-unrecorded = oppmøte ikkje registrert
invoicing-not-yet-held = ikkje halde enno
mail-course-changed-subject = «{ $course }» er endra
mail-course-changed-body = Hei { $name }!

    Samlinga du er påmeld på «{ $course }», er endra. Slik er ho no:
    { $when }
    Stad: { $place }

    Vedlagd er ei oppdatert kalenderoppføring som erstattar den du har.
    { $link }
error-day-has-attendance = Ein dag med registrert oppmøte kan ikkje fjernast. Flytt dagen i staden, eller fjern oppmøtet først.
approvals-title = Førespurnader som ventar på godkjenning
approvals-help = Kurs som krev godkjenning, ventar på at du melder på personen eller avslår. Godkjenner du, får personen plass eller venteliste på vanleg måte, i den rekkjefølgja godkjenningane kjem.
approvals-none = Ingen førespurnader ventar.
approvals-starts = Første dag
approvals-requested-at = Bede om
approvals-decision = Avgjerd
approvals-approve = Godkjenn
approvals-reject = Avslå
approvals-rejected = Førespurnaden frå { $name } er avslått, og personen har fått melding.
course-approval = Godkjenning
course-approval-required = Leiaren din må godkjenne påmeldinga.
session-request = Be om plass
session-withdraw-request = Trekk førespurnaden
course-state-pending = Du har bede om plass. Førespurnaden ventar på godkjenning frå leiaren din.
course-state-rejected = Førespurnaden om plass vart avslått.
field-requires_approval = Krev godkjenning frå leiar
field-requires_approval-help = Når nokon melder seg på sjølv, ventar påmeldinga til ein leiar eller koordinator godkjenner ho.
error-own-request = Du kan ikkje godkjenne eller avslå din eigen førespurnad.
error-no-pending-request = Det finst ingen førespurnad som ventar for denne personen.
mail-course-requested-subject = Du har bede om plass på «{ $course }»
mail-course-requested-body = Hei { $name }!

    Vi har fått førespurnaden din om plass på «{ $course }». Leiaren din må godkjenne han før du får plass. Du får ein ny e-post når han er avgjord.
    { $link }
mail-course-rejected-subject = Førespurnaden om «{ $course }» er avslått
mail-course-rejected-body = Hei { $name }!

    Førespurnaden din om plass på «{ $course }» er avslått. Snakk med leiaren din om du lurer på kvifor.
    { $link }
mail-course-reminder-subject = Påminning: «{ $course }»
mail-course-reminder-body = Hei { $name }!

    Dette er ei påminning om at du har plass på «{ $course }»:
    { $when }
    Stad: { $place }

    Kan du ikkje kome, melder du deg av på kurssida, så får nokon på ventelista plassen.
    { $link }
evidence-title = Dokumentert kompetanse
evidence-none = Ingen dokumentert kompetanse enno. Fullførte kurs blir viste her.
evidence-competence = Kompetanse
evidence-level = Nivå
evidence-date = Dato
evidence-source = Kjelde
evidence-from-course = Kurs: { $course }
course-outside-target-groups = Kurset er laga for andre målgrupper enn dei personen høyrer til. Påmeldinga er registrert likevel.
evaluation-title = Evaluering av kurset
evaluation-thanks = Takk! Svaret ditt er lagra utan namnet ditt.
evaluation-anonymous = Evalueringa er anonym: svaret blir lagra utan namn og tidspunkt, og arrangøren ser berre samla tal når minst fem har svart.
evaluation-overall = Kor godt var kurset alt i alt?
evaluation-relevance = Kor nyttig er kurset for arbeidet ditt?
evaluation-scale = 1 = i svært liten grad, 5 = i svært stor grad.
evaluation-comment = Kommentar (valfritt)
evaluation-comment-help = Ikkje skriv namn eller anna som kan vise kven du er eller kven du skriv om.
evaluation-send = Send evalueringa
evaluation-results = Evalueringar
evaluation-k-rule = { $count ->
    [one] Tal blir viste berre for grupper med minst { $formatted } svar.
   *[other] Tal blir viste berre for grupper med minst { $formatted } svar, og ikkje der ei skjult gruppe kunne reknast ut.
}
evaluation-group = Gruppe
evaluation-respondents = Svar
evaluation-overall-mean = Alt i alt (snitt)
evaluation-overall-distribution = Alt i alt (fordeling)
evaluation-relevance-mean = Nytte (snitt)
evaluation-relevance-distribution = Nytte (fordeling)
evaluation-whole-course = Heile kurset
evaluation-hidden = Skjult: for få svar, eller kunne avsløre ei mindre gruppe.
evaluation-comments = Kommentarar
evaluation-no-comments = Ingen kommentarar å vise.
session-evaluate = Evaluer kurset
course-evaluation-results = Sjå evalueringane
field-overall = Alt i alt
field-relevance = Nytte
field-comment = Kommentar
error-score-off-scale = Vel eit tal frå 1 til 5.
error-not-completed = Du kan evaluere når du har fullført kurset.
error-already-evaluated = Du har alt evaluert denne samlinga.
participation-title = Kursdeltaking
report-k-rule = { $count ->
    [one] Tal om grupper av personar blir viste berre for grupper med minst { $formatted } person.
   *[other] Tal om grupper av personar blir viste berre for grupper med minst { $formatted } personar, og ikkje der ei skjult gruppe kunne reknast ut av summen.
}
report-sessions = Samlingar i perioden
report-no-sessions = Ingen samlingar i perioden.
report-capacity = Plassar
report-confirmed = Påmeld
report-fill = Fyllingsgrad
report-waitlisted = På venteliste
report-completed = Fullført
report-no-shows = Møtte ikkje
report-no-show-rate = Del som ikkje møtte
report-municipalities = Deltakarar per kommune
report-participants = Deltakarar
report-region-total = Heile regionen
report-units = Deltakarar per eining
report-units-of = Einingar i { $municipality } (med undereiningar)
report-units-choose = Vel ein kommune for å sjå tala per eining.
report-no-units = Ingen frå einingane i kommunen deltok i perioden.
report-unit-level = Nivå
report-competences = Kompetanse bygd (fullførte kurs)
report-no-competences = Ingen fullførte kurs i perioden.
report-people-completed = Personar
participation-hidden-short = skjult
report-hidden-explained = «skjult» tyder for få personar, eller at talet kunne avsløre ei mindre gruppe.
course-state-offered = Du har fått tilbod om ein ledig plass. Svar innan { $deadline }, elles går plassen vidare til den neste på ventelista.
course-state-offer-declined = Du har takka nei til plassen, og han er gitt vidare.
course-state-offer-lapsed = Tilbodet om plass gjekk ut utan svar, og plassen er gitt vidare.
course-offer-accepted = Du har takka ja. { $state }
session-accept-offer = Takk ja til plassen
session-decline-offer = Takk nei
field-offer_hours = Svarfrist for ledige plassar (timar)
field-offer_hours-help = Tom eller 0: ein ledig plass går straks til den første på ventelista. Elles får den første eit tilbod som må svarast på innan så mange timar (høgst 720, aldri etter kursstart); utan svar går plassen vidare.
error-invalid-offer-hours = Skriv eit heilt tal timar frå 0 til 720.
error-offer-expired = Fristen for å svare på tilbodet har gått ut, og plassen er gitt vidare.
error-no-offer = Du har ikkje noko tilbod om plass på denne samlinga.
mail-course-offered-subject = Ledig plass på «{ $course }»: svar innan { $deadline }
mail-course-offered-body = Hei { $name }!

    Ein plass er vorten ledig på «{ $course }», og han blir halden av for deg til { $deadline }. Takk ja eller nei på kurssida:
    { $link }
    Svarer du ikkje innan fristen, går plassen vidare til den neste på ventelista.
mail-course-offer-lapsed-subject = Tilbodet om plass på «{ $course }» har gått ut
mail-course-offer-lapsed-body = Hei { $name }!

    Du svarte ikkje på tilbodet om plass på «{ $course }» innan fristen, så plassen er gitt vidare til den neste på ventelista. Vil du framleis vere med, kan du melde deg på igjen:
    { $link }
