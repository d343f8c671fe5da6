//! The catalogue-search target of issue 5 (bench/run-catalogue.sh): COURSES courses with SESSIONS sessions each
//! (default 5,000 and 4: 20,000 sessions) and some enrolments, generated here; then `GET /courses?…` with a mix
//! of searches and filters is sent at a fixed RATE (default 1,000 requests/s) for SECONDS over real HTTP to the
//! real router served in this process. Built on demand only:
//! `cargo run --release -p loft-cli --example catalogue_bench -- URL [COURSES] [SESSIONS] [RATE] [SECONDS]`.
//!
//! Open loop: request *i* is due at start + i/RATE and its latency is measured from that moment, so a slow
//! server cannot hide its queue by slowing the client down (no coordinated omission). Each request opens its own
//! connection. Prints p50/p95/p99/max and the achieved rate; exits non-zero on any error answer.

use loft_domain::courses::session::{SessionInput, local_input, utc_to_local};
use loft_domain::courses::{CourseInput, SessionId};
use loft_domain::policy::Reach;
use loft_store::Store;
use loft_store::audit::Change;
use loft_store::people::PeopleQuery;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

const TOPICS: [&str; 16] = [
    "Informasjonssikkerhet",
    "Personvern",
    "Digital kompetanse",
    "Teams og samhandling",
    "Saksbehandling",
    "Arkiv og dokumentasjon",
    "Innkjøp som strategisk verktøy",
    "Endringsledelse",
    "Gevinstrealisering",
    "Tjenestedesign",
    "Velferdsteknologi",
    "Regneark",
    "Klarspråk",
    "Sosiale medier",
    "Veiledning av innbyggere",
    "Kunstig intelligens",
];
const AUDIENCES: [&str; 6] =
    ["for ledere", "for ansatte", "for folkevalgte", "i skolen", "i barnehagen", "i helse og omsorg"];
const FORMATS: [&str; 5] = ["classroom", "webinar", "e-learning", "conference", "network-meeting"];
const COMPETENCES: [&str; 8] = ["1.1", "1.2", "2.1", "2.4", "3.1", "4.1", "4.2", "5.2"];

/// The request mix: what people type and tick in the catalogue.
const QUERIES: [&str; 12] = [
    "/courses",
    "/courses?q=kurs",
    "/courses?q=personvern",
    "/courses?q=ledere",
    "/courses?q=informasjonssikkerheten",
    "/courses?q=digital+kompetanse",
    "/courses?format=webinar",
    "/courses?competence=digcomp:4.2",
    "/courses?free=1",
    "/courses?q=teams&free=1",
    "/courses?organiser=region&format=classroom",
    "/courses?q=innkj%C3%B8p&competence=digcomp:2.1",
];

/// Further words people search for (every other request is one of these, on page 1 or 2), so that most requests
/// ask something else than the one before.
const WORDS: [&str; 24] = [
    "sikkerhet",
    "personvernet",
    "teams",
    "samhandling",
    "arkiv",
    "innkjøp",
    "endringsledelse",
    "gevinster",
    "tjenestedesign",
    "velferdsteknologi",
    "regneark",
    "klarspråk",
    "medier",
    "veiledning",
    "innbyggere",
    "intelligens",
    "skolen",
    "barnehagen",
    "omsorg",
    "folkevalgte",
    "ansatte",
    "praktisk",
    "kompetansen",
    "saksbehandlingen",
];

/// Readers: this many people of the region, each with a token (their municipality decides what they see).
const READERS: usize = 70;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: catalogue_bench URL [COURSES] [SESSIONS] [RATE] [SECONDS]";
    let url = args.first().ok_or_else(|| anyhow::anyhow!(usage))?;
    let courses: usize = args.get(1).map_or(Ok(5000), |a| a.parse())?;
    let per_course: usize = args.get(2).map_or(Ok(4), |a| a.parse())?;
    let rate: f64 = args.get(3).map_or(Ok(1000.0), |a| a.parse())?;
    let seconds: f64 = args.get(4).map_or(Ok(20.0), |a| a.parse())?;
    let store = Store::connect(url).await?;
    store.migrate().await?;
    anyhow::ensure!(store.is_empty().await?, "use an empty database");
    let started = Instant::now();
    store
        .seed("Kongsbergregionen", &loft_domain::demo::kongsbergregionen(), false, "")
        .await
        .map_err(|e| anyhow::anyhow!("seeding the region: {e:?}"))?;
    let region = store.regions().await?[0].id;
    let people = people(&store, courses).await?;
    let now = jiff::Timestamp::now().as_second();
    let mut enrolments = 0;
    for i in 0..courses {
        let course = CourseInput {
            title: format!("{} {} {}", TOPICS[i % TOPICS.len()], AUDIENCES[(i / 3) % AUDIENCES.len()], i + 1),
            summary: format!(
                "Kurset gir {} praktisk kompetanse i {} (nr. {i}).",
                AUDIENCES[i % AUDIENCES.len()],
                TOPICS[(i * 7) % TOPICS.len()].to_lowercase()
            ),
            description: "Kursene i regionen bygger digital kompetanse på tvers av kommunene.".into(),
            competences: format!("digcomp {} {}", COMPETENCES[i % COMPETENCES.len()], 1 + i % 4),
            format: FORMATS[i % FORMATS.len()].into(),
            organiser_kind: "region".into(),
            ..Default::default()
        }
        .parse(region)
        .map_err(|e| anyhow::anyhow!("course {i}: {e:?}"))?;
        let id = store.create_course(SYSTEM, &course).await?;
        let drafts = (0..per_course)
            .map(|j| {
                let offset = 1 + ((i * 7 + j * 37) % 360) as i64;
                let day = utc_to_local(now + offset * 86_400).date();
                SessionInput {
                    days: format!("{day} 09:00-15:00"),
                    venue: "Kongsberg rådhus".into(),
                    capacity: (5 + (i + j) % 20).to_string(),
                    enrolment_opens: local_input(now - 86_400),
                    // Before the first day starts, whatever the hour the bench runs at.
                    enrolment_closes: format!("{day}T08:00"),
                    cancellation_deadline: format!("{}T08:00", day.yesterday().unwrap_or(day)),
                    ..Default::default()
                }
                .parse()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("sessions of course {i}: {e:?}"))?;
        let sessions: Vec<SessionId> = store.create_sessions(SYSTEM, id, &drafts).await?;
        // One enrolment per course in its first session, so seat counts are not all zero.
        let who = people[i % people.len()];
        store.enrol(SYSTEM, sessions[0], who, loft_store::courses::no_mail).await?;
        enrolments += 1;
    }
    let mut tokens = Vec::with_capacity(READERS);
    for (i, reader) in people.iter().step_by((people.len() / READERS).max(1)).take(READERS).enumerate() {
        let account = store.create_account(*reader, &format!("catalogue-bench-{i}"), None).await?;
        tokens.push(store.create_api_token(account, "bench").await?);
    }
    // After the bulk load, so the measured seconds do not share the machine with autovacuum.
    store.refresh_statistics().await?;
    let paths: Vec<String> = (0..QUERIES.len() * WORDS.len() * 2)
        .map(|i| match i % 2 {
            0 => QUERIES[(i / 2) % QUERIES.len()].to_string(),
            _ => {
                let word = WORDS[(i / 2) % WORDS.len()];
                let page = 1 + (i / 2 / WORDS.len()) % 2;
                format!("/courses?q={}&page={page}", word.replace('ø', "%C3%B8").replace('å', "%C3%A5"))
            }
        })
        .collect();
    eprintln!(
        "{} readers, {} different requests; generated {courses} courses, {} sessions, {enrolments} enrolments in {:.1} s",
        tokens.len(),
        paths.len(),
        courses * per_course,
        started.elapsed().as_secs_f64()
    );

    let node_modules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules");
    let state = loft_web::AppState::new(store.clone(), loft_web::WebConfig { node_modules, ..Default::default() });
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind("127.0.0.1:0".parse()?)?;
    let listener = socket.listen(4096)?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, loft_web::make_service(state)).await });

    // What a reader waits for when the catalogue is loaded: at the first request, and after a course changed.
    let first = loft_store::courses::CatalogueQuery { region: Some(region), page: 1, ..Default::default() };
    let t = Instant::now();
    store.catalogue_page(&first).await?;
    let cold = t.elapsed();
    let changed = store.catalogue_page(&first).await?.cards[0].id;
    let mut draft = store.course(changed).await?.draft;
    draft.summary.push_str(" Oppdatert.");
    store.update_course(SYSTEM, changed, &draft).await?;
    let t = Instant::now();
    store.catalogue_page(&first).await?;
    eprintln!(
        "catalogue load: first {:.0} ms, after a course changed {:.0} ms",
        cold.as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3
    );

    // Warm-up: each query once (and the answer checked).
    for q in QUERIES {
        let (_, status, body) = request(addr, q, &tokens[0]).await?;
        anyhow::ensure!(status == 200, "{q}: status {status}");
        anyhow::ensure!(body.contains("<h1"), "{q}: not a page");
    }
    let total = (rate * seconds) as usize;
    let t0 = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let due = t0 + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(due.into()).await;
        let token = tokens[i % tokens.len()].clone();
        let path = paths[i % paths.len()].clone();
        tasks.push(tokio::spawn(async move {
            let r = request(addr, &path, &token).await;
            (due.elapsed(), r.map(|(_, s, _)| s))
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut errors = Vec::new();
    for t in tasks {
        let (latency, result) = t.await?;
        match result {
            Ok(200) => latencies.push(latency),
            Ok(s) => errors.push(format!("status {s}")),
            Err(e) => errors.push(e.to_string()),
        }
    }
    let wall = t0.elapsed();
    latencies.sort();
    let pct = |p: f64| {
        latencies.get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1)).copied().unwrap_or_default()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "backend={:?} courses={courses} sessions={} target_rate={rate:.0}/s sent={total} achieved={:.0}/s p50={:.1} ms p95={:.1} ms p99={:.1} ms max={:.1} ms errors={}",
        store.backend(),
        courses * per_course,
        total as f64 / wall.as_secs_f64(),
        ms(pct(0.50)),
        ms(pct(0.95)),
        ms(pct(0.99)),
        ms(pct(1.0)),
        errors.len()
    );
    for e in errors.iter().take(5) {
        println!("  error: {e}");
    }
    anyhow::ensure!(errors.is_empty(), "errors");
    Ok(())
}

/// Up to `n` people of the region (enough to spread enrolments).
async fn people(store: &Store, n: usize) -> anyhow::Result<Vec<loft_domain::ids::PersonId>> {
    let reach = Reach { everything: true, ..Default::default() };
    let q = PeopleQuery { per_page: n.clamp(1, 1000) as i64, page: 1, ..Default::default() };
    let items = store.people(&reach, &q).await?.items;
    anyhow::ensure!(!items.is_empty(), "no people");
    Ok(items.into_iter().map(|i| i.person.id).collect())
}

async fn request(addr: std::net::SocketAddr, path: &str, token: &str) -> anyhow::Result<(Duration, u16, String)> {
    let t = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((t.elapsed(), status, text))
}
