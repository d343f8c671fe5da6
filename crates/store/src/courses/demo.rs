//! Demo catalogue for Kongsbergregionen, drawn from the region's own papers (`shared/seeds`): the regional
//! conference on information security with the Data Protection Authority, training in the shared collaboration
//! platform (SAMTEK), KS's eKommune seminars for elected officials and chief executives, the common routine
//! handbook for the primary schools, Feide sign-on, and network meetings. Dates follow today, so the demo always
//! has upcoming sessions; some are full with a waitlist. Demo logins are never enrolled, so they can try it.

use super::no_mail;
use crate::audit::Change;
use crate::{Result, Store, now};
use loft_domain::DomainError;
use loft_domain::courses::CourseInput;
use loft_domain::courses::session::{SessionInput, local_input, series, utc_to_local};
use loft_domain::ids::{PersonId, RegionId};

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

struct DemoCourse {
    title: &'static str,
    summary: &'static str,
    description: &'static str,
    competences: &'static str,
    groups: &'static [&'static str],
    format: &'static str,
    /// `region`, `external:Name` or `municipality:Name`
    organiser: &'static str,
    price: (&'static str, &'static str),
    /// (days from today, start, end, venue, capacity, sessions in a weekly series, people to enrol in the first)
    session: (i64, &'static str, &'static str, &'static str, i64, i64, i64),
    online: &'static str,
}

const COURSES: &[DemoCourse] = &[
    DemoCourse {
        title: "Informasjonssikkerhet i kommunene – regional dagskonferanse",
        summary: "Utfordringer og ansvar kommunene har for informasjonssikkerhet og personvern, med Datatilsynet.",
        description: "Konferansen belyser hva kommunene må gjøre for å sikre informasjon og personopplysninger, og hvordan kommunene i regionen kan samarbeide om det. Datatilsynet og andre aktuelle aktører bidrar.",
        competences: "digcomp 4.2 4\nregionale-mal K5 3",
        groups: &["leder", "radmann", "ansatt"],
        format: "conference",
        organiser: "region",
        price: ("0", "1 500"),
        session: (21, "09:00", "15:30", "Kongsberg kulturhus, Store sal", 120, 1, 40),
        online: "",
    },
    DemoCourse {
        title: "SAMTEK: chat, nettmøter og prosjektrom på tvers av kommunene",
        summary: "Praktisk opplæring i den felles samhandlingsløsningen for ansatte i regionens kommuner.",
        description: "Kurset viser hvordan ansatte kan chatte, holde virtuelle møter og bruke felles prosjektrom på tvers av kommunegrensene. Løsningen driftes av Notodden og Kongsberg i samarbeid.",
        competences: "digcomp 2.1 3\ndigcomp 2.4 3\nregionale-mal K3 2",
        groups: &["ansatt", "leder"],
        format: "classroom",
        organiser: "municipality:Notodden",
        price: ("500", "1 200"),
        session: (10, "12:00", "15:00", "Notodden rådhus, datarommet", 12, 3, 16),
        online: "",
    },
    DemoCourse {
        title: "eKommune: strategisk digital kompetanse for folkevalgte og rådmenn",
        summary: "Seminar om digital strategi, lokale behov og samarbeid mellom kommunene.",
        description: "Seminaret bygger forståelse for kommunesektorens digitaliseringsstrategi med vekt på lokale behov og utfordringer, og danner grunnlag for lokale nettverk for samordning.",
        competences: "regionale-mal K1 2\nregionale-mal L4 2",
        groups: &["folkevalgt", "radmann"],
        format: "classroom",
        organiser: "external:KS",
        price: ("0", "0"),
        session: (28, "17:00", "20:00", "Tinn rådhus, kommunestyresalen", 40, 1, 0),
        online: "",
    },
    DemoCourse {
        title: "Felles rutinehåndbok for grunnskolene",
        summary: "Nettverksmøte for skoleadministrasjonene om den regionale elektroniske rutinehåndboken.",
        description: "Skolene deler erfaringer med den felles IKT-løsningen og arbeider videre med rutinehåndboken, så skolene kan kvitte seg med unødvendige rutiner og arbeidsprosesser.",
        competences: "digcomp 1.3 3\nregionale-mal K3 3",
        groups: &["ansatt", "leder"],
        format: "network-meeting",
        organiser: "municipality:Kongsberg",
        price: ("0", "0"),
        session: (14, "13:00", "15:30", "Kongsberg rådhus, møterom 2", 20, 2, 24),
        online: "",
    },
    DemoCourse {
        title: "Personvern i barnehagen – webinar",
        summary: "Kort webinar om personopplysninger, samtykke og bilder i barnehagehverdagen.",
        description: "Webinaret går gjennom hva ansatte i barnehagene må vite om personvern når de bruker digitale verktøy, deler bilder og kommuniserer med foreldre.",
        competences: "digcomp 4.2 2",
        groups: &["ansatt"],
        format: "webinar",
        organiser: "region",
        price: ("0", "300"),
        session: (7, "14:00", "15:00", "", 200, 1, 25),
        online: "https://moter.kongsbergregionen.no/personvern-barnehage",
    },
    DemoCourse {
        title: "Feide-pålogging for skolene",
        summary: "E-læring om Feide-tilkoblingen: pålogging, roller og brukerstøtte.",
        description: "Kurset forklarer hvordan elever og ansatte logger inn med Feide, og hva skolen må gjøre når noe går galt.",
        competences: "digcomp 2.6 2\ndigcomp 5.1 2",
        groups: &["ansatt"],
        format: "e-learning",
        organiser: "region",
        price: ("0", "0"),
        session: (5, "08:00", "16:00", "", 500, 1, 0),
        online: "https://laering.kongsbergregionen.no/feide",
    },
];

impl Store {
    /// Seeds the demo catalogue into `region` (frameworks must be installed). Returns the number of courses.
    pub async fn seed_demo_courses(&self, region: RegionId) -> Result<usize> {
        let municipalities = self.municipalities().await?;
        let people: Vec<i64> = sqlx::query_scalar(
            "SELECT p.id FROM person p JOIN municipality m ON m.id = p.municipality_id
             WHERE m.region_id = $1 AND p.left_at IS NULL AND NOT EXISTS (SELECT 1 FROM account a WHERE a.person_id = p.id)
             ORDER BY p.id LIMIT 400",
        )
        .bind(region.0)
        .fetch_all(&self.pool)
        .await?;
        let today = utc_to_local(now()).date();
        let mut next_person = people.iter().step_by(3);
        for c in COURSES {
            let (kind, name) = c.organiser.split_once(':').unwrap_or((c.organiser, ""));
            let organiser_municipality = municipalities.iter().find(|m| m.name == name).map(|m| m.id.0);
            // A region seeded without that municipality gets the course as the region's own.
            let kind = if kind == "municipality" && organiser_municipality.is_none() { "region" } else { kind };
            let input = CourseInput {
                title: c.title.into(),
                summary: c.summary.into(),
                description: c.description.into(),
                competences: c.competences.into(),
                target_groups: c.groups.iter().map(|g| g.to_string()).collect(),
                format: c.format.into(),
                organiser_kind: kind.into(),
                organiser_municipality,
                organiser_name: if kind == "external" { name.into() } else { String::new() },
                contact_name: "Britt Inger Kolset".into(),
                contact_email: "ikt-programmet@kongsbergregionen.no".into(),
                price_internal: c.price.0.into(),
                price_external: c.price.1.into(),
                language: "nb".into(),
                visibility_municipality: None,
                // The strategic programme for elected officials and chief executives takes a seat that costs the
                // municipality a day of leadership time: the demo's one course that needs approval.
                requires_approval: c.title.starts_with("eKommune"),
                offer_hours: String::new(),
            };
            let draft = input.parse(region)?;
            let course = self.create_course(SYSTEM, &draft).await?;
            let (days, start, end, venue, capacity, count, enrol) = c.session;
            let day = today
                .checked_add(jiff::Span::new().days(days))
                .map_err(|_| DomainError::invalid("days", "invalid-day"))?;
            let first_start = loft_domain::courses::session::parse_local(&format!("{day}T{start}")).unwrap_or(0);
            let session = SessionInput {
                days: format!("{day} {start}-{end}"),
                venue: venue.into(),
                online_link: c.online.into(),
                capacity: capacity.to_string(),
                enrolment_opens: local_input(now() - 14 * 86_400),
                enrolment_closes: local_input(first_start - 86_400),
                cancellation_deadline: local_input(first_start - 3 * 86_400),
                instructors: "IKT-programmet".into(),
                ..Default::default()
            }
            .parse()?;
            let sessions = self.create_sessions(SYSTEM, course, &series(&session, 1, count)?).await?;
            for person in next_person.by_ref().take(enrol as usize) {
                self.enrol(SYSTEM, sessions[0], PersonId(*person), no_mail).await?;
            }
        }
        Ok(COURSES.len())
    }
}
