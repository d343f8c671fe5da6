## Kompetanserammeverk og kartlegging
nav-mapping = Kartlegging
nav-competence = Kompetanse
frameworks-title = Kompetanserammeverk
frameworks-intro = Rammeverka skildrar kompetansane vi kartlegg og planlegg opplæring etter, med nivå og målnivå per rollegruppe.
framework-version = versjon
framework-competences = { $count ->
    [one] { $formatted } kompetanse
   *[other] { $formatted } kompetansar
}
framework-levels = { $count ->
    [one] { $formatted } nivå
   *[other] { $formatted } nivå
}
framework-export = Last ned rammeverket (JSON)
framework-levels-heading = Nivå
framework-targets-heading = Målnivå per rollegruppe
framework-targets-intro = Målnivået til regionen; der kommunen din har heva eit mål, blir kommunen sitt vist.
col-level = Nivå
col-descriptor = Skildring
col-competence = Kompetanse
col-target = Mål
col-gap = Avstand til mål
col-period = Periode
col-privacy = Personvern
col-report = Rapport
col-questions = Spørsmål
col-invited = Invitert
col-answered = Svart
col-rate = Svarprosent
col-respondents = Svar
col-median = Median
col-at-target = På eller over mål
col-distribution = Fordeling (nivå: tal)
mapping-title = Kompetansekartlegging
mapping-mine = Kartleggingane dine
mapping-mine-none = Du er ikkje invitert til nokon kartlegging.
mapping-answered = svart
mapping-see-profile = sjå profilen din
mapping-answer-now = Svar no
mapping-closes = stengjer { $date }
mapping-opens = opnar { $date }
mapping-closed = stengd utan svar
mapping-rounds = Kartleggingsrundar
mapping-new = Ny kartleggingsrunde
mapping-report = Sjå rapporten
mapping-results-after = Resultat frå { $date }
privacy-anonymous = Anonym
privacy-confidential = Konfidensiell
privacy-anonymous-help = Svara blir berre lagra med kommune, eining og rollegruppe, utan namn og utan tidspunkt. Ingen kan sjå kva du svarte, heller ikkje du sjølv etterpå.
privacy-confidential-help = Svara blir knytte til deg og blir berre viste for deg. Alle andre ser berre samla tal for grupper på minst fem.
round-new-title = Ny kartleggingsrunde
round-create = Opprett runden
round-invite = Send invitasjonar
round-invited = { $count ->
    [0] Ingen nye å invitere.
    [one] { $formatted } person er invitert.
   *[other] { $formatted } personar er inviterte.
}
round-response-rate = Svarprosent
round-rate-rule = Svarprosent blir berre vist der minst { $k } er inviterte.
field-opens = Opnar
field-closes = Stengjer
field-privacy = Personvern
field-reminders = Påminningar (dagar før fristen)
field-reminders-help = Til dømes «7, 2»: påminning til dei som ikkje har svart, sju og to dagar før runden stengjer.
field-copy-from = Kopier spørsmål og målgruppe frå ein tidlegare runde
field-copy-none = Ingen (vel under)
field-audience-municipalities = Kommunar
field-audience-groups = Rollegrupper
field-audience-all = Ingen valde tyder alle.
field-questions = Spørsmål
field-copy_from = Tidlegare runde
field-competence = Kompetanse
field-question = Spørsmål
field-answers = Svar
field-round = Runde
field-level = Nivå
field-date = Dato
field-framework = Rammeverk
field-key = Nøkkel
field-version = Versjon
field-title = Tittel
field-levels = Nivå
field-areas = Område
field-competences = Kompetansar
field-min_group_size = Minste gruppestorleik
field-breakdown = Inndeling
answer-intro = Vel for kvar kompetanse det høgaste nivået som passar for deg i arbeidet ditt. Du kan lagre og halde fram seinare.
answer-not-relevant = Ikkje relevant for arbeidet mitt
answer-save = Lagre og hald fram seinare
answer-submit = Send inn
answer-saved = Svara er lagra. Du kan halde fram når du vil.
answer-already-submitted = Du har alt sendt inn svara dine i denne runden.
profile-title = Kompetanseprofilen din
profile-thanks = Takk! Svara dine i «{ $round }» er sende inn.
profile-intro = Her er nivåa dine ved sida av målnivået for rollegruppa { $group }.
profile-chart-caption = Søylene viser nivået ditt; den loddrette streken viser målnivået. Tabellen under viser det same.
profile-table-caption = Nivået ditt og målet per kompetanse
profile-download = Last ned profilen (CSV)
profile-back = Tilbake til kartleggingane
report-title = Rapport
report-up = Eitt nivå opp
report-rule = Tal blir berre viste for grupper med minst { $k } svar. Der ei gruppe er for lita, eller der ho kunne reknast ut frå andre tal, er tala skjulte; svara er likevel med i eininga over.
report-hidden = Skjult: færre enn { $k } svar, eller kunne avsløre ei mindre gruppe
report-hidden-short = Skjult
report-all-groups = Alle rollegrupper
report-show = Vis
report-download-csv = Last ned oversikta (CSV)
report-overview = Oversikt per kompetanse
report-overview-caption = Alle kompetansar for vald eining
report-by-unit = Fordelt på einingar
report-no-children = Eininga har ingen undereiningar.
report-by-group = Fordelt på rollegrupper
mail-invitation-subject = Kompetansekartlegging: { $round }
mail-invitation-body = Hei, { $name }!
    
    Du er invitert til kompetansekartlegginga «{ $round }». Det tek om lag ti minutt, og du kan lagre og halde fram seinare.
    
    Svar her: { $link }
    
    Lenkja er personleg. Del ho ikkje med andre.
error-min-group-size-too-small = Minste gruppestorleik kan ikkje vere under 3.
error-min-group-size-too-large = Minste gruppestorleik er for stor.
error-breakdown-parent-order = Inndelinga er ugyldig.
error-framework-not-json = Fila er ikkje eit rammeverk i JSON-format.
error-framework-key-invalid = Nøkkelen kan berre innehalde bokstavar, tal, bindestrek, understrek og punktum.
error-framework-version-invalid = Versjonen kan berre innehalde bokstavar, tal, bindestrek, understrek og punktum.
error-framework-text-missing = Ein tekst manglar på bokmål, nynorsk eller engelsk.
error-framework-levels-invalid = Nivåa må vere nummererte 1, 2, 3 … utan hòl (høgst 20).
error-framework-empty = Rammeverket har ingen kompetansar.
error-framework-code-invalid = Ein kode er ugyldig eller brukt to gonger.
error-framework-version-exists = Denne versjonen finst alt. Ein publisert versjon blir ikkje endra; gi den nye ein ny versjon.
error-level-out-of-scale = Nivået finst ikkje på skalaen.
error-target-below-regional = Kommunen kan heve målet, men ikkje setje det lågare enn regionen sitt.
error-unknown-competence = Kompetansen finst ikkje i rammeverket.
error-round-closes-before-opens = Runden kan ikkje stengje før han opnar.
error-round-not-open = Runden har ikkje opna enno.
error-round-closed = Runden er stengd, og svar blir ikkje lenger tekne imot.
error-results-not-released = Resultata blir viste når runden er avslutta, frå dagen etter at han stengjer. Svarprosenten kan fylgjast medan runden går føre seg.
error-unknown-privacy-mode = Vel anonym eller konfidensiell.
error-question-not-in-round = Eit svar gjeld eit spørsmål som ikkje er med i runden.
error-answers-incomplete = Svar på alle spørsmåla før du sender inn (vel «Ikkje relevant» der det passar), eller lagre og hald fram seinare.
error-round-without-questions = Vel minst eitt spørsmål.
error-already-submitted = Svara er alt sende inn. Dei vart lagra éin gong.
error-respondent-left = Du står ikkje lenger som tilsett i kommunen, og kan difor ikkje svare i denne runden.
report-over-time = Over tid
col-round = Runde
answer-preview = Førehandsvising: slik ser spørjeskjemaet ut for rollegruppa { $group }. Ingenting kan sendast inn herifrå.
round-preview-as = Førehandsvis som rollegruppe
round-preview = Førehandsvis
report-responses = { $count ->
    [one] Tala byggjer på { $formatted } svar.
   *[other] Tala byggjer på { $formatted } svar.
}
