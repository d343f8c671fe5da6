## Competence frameworks and mapping (kartlegging)
nav-mapping = Kartlegging
nav-competence = Kompetanse
frameworks-title = Kompetanserammeverk
frameworks-intro = Rammeverkene beskriver kompetansene vi kartlegger og planlegger opplæring etter, med nivåer og målnivå per rollegruppe.
framework-version = versjon
framework-competences = { $count ->
    [one] { $formatted } kompetanse
   *[other] { $formatted } kompetanser
}
framework-levels = { $count ->
    [one] { $formatted } nivå
   *[other] { $formatted } nivåer
}
framework-export = Last ned rammeverket (JSON)
framework-levels-heading = Nivåer
framework-targets-heading = Målnivå per rollegruppe
framework-targets-intro = Regionens målnivå; der kommunen din har hevet et mål, vises kommunens.
col-level = Nivå
col-descriptor = Beskrivelse
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
col-distribution = Fordeling (nivå: antall)
mapping-title = Kompetansekartlegging
mapping-mine = Dine kartlegginger
mapping-mine-none = Du er ikke invitert til noen kartlegging.
mapping-answered = besvart
mapping-see-profile = se profilen din
mapping-answer-now = Svar nå
mapping-closes = stenger { $date }
mapping-opens = åpner { $date }
mapping-closed = stengt uten svar
mapping-rounds = Kartleggingsrunder
mapping-new = Ny kartleggingsrunde
mapping-report = Se rapporten
mapping-results-after = Resultater fra { $date }
privacy-anonymous = Anonym
privacy-confidential = Konfidensiell
privacy-anonymous-help = Svarene lagres bare med kommune, enhet og rollegruppe, uten navn og uten tidspunkt. Ingen kan se hva du svarte, heller ikke du selv etterpå.
privacy-confidential-help = Svarene knyttes til deg og vises bare for deg. Alle andre ser bare samlede tall for grupper på minst fem.
round-new-title = Ny kartleggingsrunde
round-create = Opprett runden
round-invite = Send invitasjoner
round-invited = { $count ->
    [0] Ingen nye å invitere.
    [one] { $formatted } person er invitert.
   *[other] { $formatted } personer er invitert.
}
round-response-rate = Svarprosent
round-rate-rule = Svarprosent vises bare der minst { $k } er invitert.
field-opens = Åpner
field-closes = Stenger
field-privacy = Personvern
field-reminders = Påminnelser (dager før fristen)
field-reminders-help = For eksempel «7, 2»: påminnelse til dem som ikke har svart, sju og to dager før runden stenger.
field-copy-from = Kopier spørsmål og målgruppe fra en tidligere runde
field-copy-none = Ingen (velg under)
field-audience-municipalities = Kommuner
field-audience-groups = Rollegrupper
field-audience-all = Ingen valgt betyr alle.
field-questions = Spørsmål
field-copy_from = Tidligere runde
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
field-levels = Nivåer
field-areas = Områder
field-competences = Kompetanser
field-min_group_size = Minste gruppestørrelse
field-breakdown = Inndeling
answer-intro = Velg for hver kompetanse det høyeste nivået som passer for deg i arbeidet ditt. Du kan lagre og fortsette senere.
answer-not-relevant = Ikke relevant for mitt arbeid
answer-save = Lagre og fortsett senere
answer-submit = Send inn
answer-saved = Svarene er lagret. Du kan fortsette når du vil.
answer-already-submitted = Du har allerede sendt inn svarene dine i denne runden.
profile-title = Din kompetanseprofil
profile-thanks = Takk! Svarene dine i «{ $round }» er sendt inn.
profile-intro = Her er nivåene dine ved siden av målnivået for rollegruppen { $group }.
profile-chart-caption = Søylene viser nivået ditt; den loddrette streken viser målnivået. Tabellen under viser det samme.
profile-table-caption = Nivået ditt og målet per kompetanse
profile-download = Last ned profilen (CSV)
profile-back = Tilbake til kartleggingene
report-title = Rapport
report-up = Et nivå opp
report-rule = Tall vises bare for grupper med minst { $k } svar. Der en gruppe er for liten, eller der den kunne regnes ut fra andre tall, er tallene skjult; svarene inngår likevel i enheten over.
report-hidden = Skjult: færre enn { $k } svar, eller kunne avsløre en mindre gruppe
report-hidden-short = Skjult
report-all-groups = Alle rollegrupper
report-show = Vis
report-download-csv = Last ned oversikten (CSV)
report-overview = Oversikt per kompetanse
report-overview-caption = Alle kompetanser for valgt enhet
report-by-unit = Fordelt på enheter
report-no-children = Enheten har ingen underenheter.
report-by-group = Fordelt på rollegrupper
mail-invitation-subject = Kompetansekartlegging: { $round }
mail-invitation-body = Hei, { $name }!
    
    Du er invitert til kompetansekartleggingen «{ $round }». Det tar om lag ti minutter, og du kan lagre og fortsette senere.
    
    Svar her: { $link }
    
    Lenken er personlig. Del den ikke med andre.
error-min-group-size-too-small = Minste gruppestørrelse kan ikke være under 3.
error-min-group-size-too-large = Minste gruppestørrelse er for stor.
error-breakdown-parent-order = Inndelingen er ugyldig.
error-framework-not-json = Filen er ikke et rammeverk i JSON-format.
error-framework-key-invalid = Nøkkelen kan bare inneholde bokstaver, tall, bindestrek, understrek og punktum.
error-framework-version-invalid = Versjonen kan bare inneholde bokstaver, tall, bindestrek, understrek og punktum.
error-framework-text-missing = En tekst mangler på bokmål, nynorsk eller engelsk.
error-framework-levels-invalid = Nivåene må være nummerert 1, 2, 3 … uten hull (høyst 20).
error-framework-empty = Rammeverket har ingen kompetanser.
error-framework-code-invalid = En kode er ugyldig eller brukt to ganger.
error-framework-version-exists = Denne versjonen finnes allerede. En publisert versjon endres ikke; gi den nye en ny versjon.
error-level-out-of-scale = Nivået finnes ikke på skalaen.
error-target-below-regional = Kommunen kan heve målet, men ikke sette det lavere enn regionens.
error-unknown-competence = Kompetansen finnes ikke i rammeverket.
error-round-closes-before-opens = Runden kan ikke stenge før den åpner.
error-round-not-open = Runden har ikke åpnet ennå.
error-round-closed = Runden er stengt, og svar tas ikke lenger imot.
error-results-not-released = Resultatene vises når runden er avsluttet, fra dagen etter at den stenger. Svarprosenten kan følges mens runden pågår.
error-unknown-privacy-mode = Velg anonym eller konfidensiell.
error-question-not-in-round = Et svar gjelder et spørsmål som ikke er med i runden.
error-answers-incomplete = Svar på alle spørsmålene før du sender inn (velg «Ikke relevant» der det passer), eller lagre og fortsett senere.
error-round-without-questions = Velg minst ett spørsmål.
error-already-submitted = Svarene er allerede sendt inn. De ble lagret én gang.
error-respondent-left = Du står ikke lenger som ansatt i kommunen, og kan derfor ikke svare i denne runden.
report-over-time = Over tid
col-round = Runde
answer-preview = Forhåndsvisning: slik ser spørreskjemaet ut for rollegruppen { $group }. Ingenting kan sendes inn herfra.
round-preview-as = Forhåndsvis som rollegruppe
round-preview = Forhåndsvis
report-responses = { $count ->
    [one] Tallene bygger på { $formatted } svar.
   *[other] Tallene bygger på { $formatted } svar.
}
