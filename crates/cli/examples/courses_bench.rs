//! The enrolment rush of issue 5 (bench/run-courses.sh): CLIENTS people, each with an API token, POST
//! `/courses/sessions/{id}/enrol` at the same moment against one session of SEATS seats, over real HTTP to the
//! real router served in this process. Built on demand only:
//! `cargo run --release -p loft-cli --example courses_bench -- URL [CLIENTS] [SEATS] [api|page]` (URL: an empty
//! database). `api` (the default) posts to the JSON API (`POST /api/v1/sessions/{id}/enrolments`, answered with
//! the outcome); `page` posts the course page's form, answered with the whole course page.
//!
//! Every client opens its connection first and waits at a barrier, so the requests leave together. It prints
//! the latency percentiles and checks the outcome: no errors, exactly SEATS confirmed, the rest waitlisted, the
//! seats held by the first SEATS arrivals, the waitlist in arrival order, and each waiting client told a
//! distinct place 1…CLIENTS−SEATS. Exits non-zero when a check fails.

use loft_domain::courses::booking::EnrolmentState;
use loft_domain::courses::session::{SessionInput, local_input};
use loft_domain::courses::{CourseInput, SessionId};
use loft_domain::policy::Reach;
use loft_store::Store;
use loft_store::audit::Change;
use loft_store::people::PeopleQuery;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args.first().ok_or_else(|| anyhow::anyhow!("usage: courses_bench URL [CLIENTS] [SEATS]"))?;
    let clients: usize = args.get(1).map_or(Ok(2000), |a| a.parse())?;
    let seats: i64 = args.get(2).map_or(Ok(100), |a| a.parse())?;
    let via_api = match args.get(3).map_or("api", String::as_str) {
        "api" => true,
        "page" => false,
        other => anyhow::bail!("unknown client kind {other}: api or page"),
    };
    let store = Store::connect(url).await?;
    store.migrate().await?;
    anyhow::ensure!(store.is_empty().await?, "use an empty database");
    let started = Instant::now();
    store.seed("Kongsbergregionen", &loft_domain::demo::kongsbergregionen(), false, "").await?;
    let region = store.regions().await?[0].id;
    let session = session(&store, region, seats).await?;
    let tokens = tokens(&store, clients).await?;
    eprintln!("prepared {clients} clients in {:.1} s", started.elapsed().as_secs_f64());

    let node_modules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules");
    let state = loft_web::AppState::new(store.clone(), loft_web::WebConfig { node_modules, ..Default::default() });
    // A listen backlog for every client at once (tokio's default of 1,024 resets the rest under a rush).
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind("127.0.0.1:0".parse()?)?;
    let listener = socket.listen(4096)?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, loft_web::make_service(state)).await });

    let barrier = Arc::new(tokio::sync::Barrier::new(clients));
    let path = if via_api {
        format!("/api/v1/sessions/{session}/enrolments")
    } else {
        format!("/courses/sessions/{session}/enrol")
    };
    let t0 = Instant::now();
    let tasks: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            let barrier = barrier.clone();
            let path = path.clone();
            tokio::spawn(async move { one_client(addr, &path, via_api, &token, &barrier).await })
        })
        .collect();
    let mut results = Vec::with_capacity(clients);
    for t in tasks {
        results.push(t.await?);
    }
    let wall = t0.elapsed();

    let mut latencies: Vec<Duration> = results.iter().filter_map(|r| r.as_ref().ok().map(|(d, _, _)| *d)).collect();
    latencies.sort();
    let errors: Vec<String> = results
        .iter()
        .filter_map(|r| match r {
            Err(e) => Some(e.to_string()),
            Ok((_, status, _)) if *status != if via_api { 201 } else { 200 } => Some(format!("status {status}")),
            _ => None,
        })
        .collect();
    let pct = |p: f64| {
        latencies.get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1)).copied().unwrap_or_default()
    };
    println!(
        "backend={:?} via={} clients={clients} seats={seats} wall={:.0} ms p50={:.0} ms p95={:.0} ms p99={:.0} ms max={:.0} ms errors={}",
        store.backend(),
        if via_api { "api" } else { "page" },
        wall.as_secs_f64() * 1e3,
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        pct(1.0).as_secs_f64() * 1e3,
        errors.len()
    );
    for e in errors.iter().take(5) {
        println!("  error: {e}");
    }

    // The outcome, from the database and from what each client was told.
    let list = store.participants(session).await?;
    let confirmed: Vec<_> = list.iter().filter(|p| p.state == EnrolmentState::Confirmed).collect();
    let waiting: Vec<_> = list.iter().filter(|p| matches!(p.state, EnrolmentState::Waitlisted { .. })).collect();
    let (seat_text, place_before, place_after) = if via_api {
        ("\"state\":\"confirmed\"", "\"position\":", ',')
    } else {
        ("Du har plass.", "du er nummer ", ' ')
    };
    let told_seat = results.iter().filter(|r| matches!(r, Ok((_, 200 | 201, b)) if b.contains(seat_text))).count();
    let mut told_places: Vec<i64> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter_map(|(_, _, body)| body.split(place_before).nth(1)?.split([place_after, '}']).next()?.parse().ok())
        .collect();
    told_places.sort();
    let expected_places: Vec<i64> = (1..=(clients as i64 - seats)).collect();
    let max_confirmed = confirmed.iter().map(|p| p.arrival).max().unwrap_or(0);
    let min_waiting = waiting.iter().map(|p| p.arrival).min().unwrap_or(i64::MAX);
    let checks = [
        ("no errors", errors.is_empty()),
        ("exactly SEATS confirmed", confirmed.len() as i64 == seats),
        ("the rest waitlisted", waiting.len() == clients - seats as usize),
        ("SEATS clients told they have a seat", told_seat as i64 == seats),
        ("waiting clients told places 1…n once each", told_places == expected_places),
        ("seats went to the first arrivals", max_confirmed < min_waiting),
        ("waitlist in arrival order", waiting.windows(2).all(|w| w[0].arrival < w[1].arrival)),
    ];
    let mut ok = true;
    for (name, passed) in checks {
        println!("  check {name}: {}", if passed { "ok" } else { "FAILED" });
        ok &= passed;
    }
    anyhow::ensure!(ok, "a check failed");
    Ok(())
}

async fn session(store: &Store, region: loft_domain::ids::RegionId, seats: i64) -> anyhow::Result<SessionId> {
    let course = CourseInput {
        title: "Informasjonssikkerhet i kommunene".into(),
        summary: "Regional dagskonferanse".into(),
        format: "conference".into(),
        organiser_kind: "region".into(),
        ..Default::default()
    }
    .parse(region)?;
    let course = store.create_course(SYSTEM, &course).await?;
    let now = jiff::Timestamp::now().as_second();
    let day = loft_domain::courses::session::utc_to_local(now + 30 * 86_400).date();
    let draft = SessionInput {
        days: format!("{day} 09:00-15:00"),
        venue: "Kongsberg kulturhus".into(),
        capacity: seats.to_string(),
        enrolment_opens: local_input(now - 86_400),
        enrolment_closes: local_input(now + 20 * 86_400),
        cancellation_deadline: local_input(now + 10 * 86_400),
        ..Default::default()
    }
    .parse()?;
    Ok(store.create_sessions(SYSTEM, course, &[draft]).await?[0])
}

/// An account and an API token for each of the first `n` people.
async fn tokens(store: &Store, n: usize) -> anyhow::Result<Vec<String>> {
    let reach = Reach { everything: true, ..Default::default() };
    let mut people = Vec::new();
    let mut page = 1;
    while people.len() < n {
        let q = PeopleQuery { per_page: 200, page, ..Default::default() };
        let items = store.people(&reach, &q).await?.items;
        anyhow::ensure!(!items.is_empty(), "only {} people", people.len());
        people.extend(items.into_iter().map(|i| i.person.id));
        page += 1;
    }
    let mut tokens = Vec::with_capacity(n);
    for (i, person) in people.into_iter().take(n).enumerate() {
        let account = store.create_account(person, &format!("bench{i}"), None).await?;
        tokens.push(store.create_api_token(account, "bench").await?);
    }
    Ok(tokens)
}

/// Connects, waits for every other client, sends one enrolment and reads the whole answer.
async fn one_client(
    addr: std::net::SocketAddr,
    path: &str,
    via_api: bool,
    token: &str,
    barrier: &tokio::sync::Barrier,
) -> anyhow::Result<(Duration, u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let (kind, body) = if via_api { ("application/json", "{}") } else { ("application/x-www-form-urlencoded", "") };
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    barrier.wait().await;
    let t = Instant::now();
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let elapsed = t.elapsed();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((elapsed, status, text))
}
