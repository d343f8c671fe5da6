//! The crash test of issue 5 ("no overbooking, ever"): the real `loft serve` binary takes an enrolment rush,
//! is killed with SIGKILL when about a third of the answers are out, and is started again on the same database.
//! Afterwards no session may be over capacity and every enrolment a client was told is confirmed (or
//! waitlisted) must still be there, on SQLite and on PostgreSQL (`LOFT_TEST_POSTGRES_URL`, default the local
//! server as in `scripts/test.sh`).
//!
//! `cargo test -p loft-cli --test crash -- --nocapture` prints the figures of each run.

use loft_domain::courses::CourseInput;
use loft_domain::courses::SessionId;
use loft_domain::courses::booking::EnrolmentState;
use loft_domain::courses::session::{SessionInput, local_input};
use loft_domain::ids::PersonId;
use loft_domain::policy::Reach;
use loft_store::Store;
use loft_store::audit::Change;
use loft_store::people::PeopleQuery;
use loft_store::testing::TestDb;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// People with a token; the last one enrols after the restart.
const CLIENTS: usize = 300;
/// Clients that connect first and send together; each one answered is replaced by the next until the kill, so
/// requests are still arriving (and being booked) when the server dies.
const BURST: usize = 50;
/// The sessions' seats, each rushed in its own run: the first is full before the kill, so the kill lands while
/// its waitlist grows; the second cannot fill, so the kill lands while seats are still being handed out.
const SESSIONS: [i64; 2] = [60, 200];
/// The server is killed once this many clients have their whole answer (a third).
const KILL_AFTER: usize = CLIENTS / 3;
const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_an_enrolment_rush_loses_no_confirmed_seat_and_overbooks_nothing() {
    let postgres =
        loft_store::testing::postgres_url().unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_string());
    for db in [TestDb::sqlite().await, TestDb::postgres(&postgres).await] {
        let backend = db.store.backend();
        let started = Instant::now();
        crash_story(&db).await;
        println!("{backend:?}: passed in {:.1} s", started.elapsed().as_secs_f64());
        db.drop_db().await;
    }
}

/// What a client learnt from its one request.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Told {
    Confirmed,
    Waitlisted {
        position: i64,
    },
    /// A whole answer that is neither (an error page).
    Other {
        status: u16,
    },
    /// The connection ended before any answer said where the client stands.
    Died,
}

async fn crash_story(db: &TestDb) {
    let (sessions, tokens) = prepare(&db.store).await;
    // The servers are the only users of the database from here until the checks (a fresh open after the crash).
    db.store.close().await;
    for (session, seats) in sessions.into_iter().zip(SESSIONS) {
        rush_kill_restart(db, session, seats, &tokens).await;
    }
}

/// One rush on `session`, the kill, the restart and the checks.
async fn rush_kill_restart(db: &TestDb, session: SessionId, seats: i64, tokens: &[(PersonId, String)]) {
    let dir =
        std::env::temp_dir().join(format!("loft-crash-{}-{:?}-{session}", std::process::id(), db.store.backend()));
    std::fs::create_dir_all(&dir).expect("log dir");

    let mut server = Server::start(&db.url, &dir.join("serve-1.log"));
    let path = format!("/courses/sessions/{session}/enrol");
    let (rush_tokens, spare) = tokens.split_at(CLIENTS - 1);
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
    let barrier = Arc::new(tokio::sync::Barrier::new(BURST + 1));
    let mut waiting_tokens = rush_tokens.iter();
    let mut start_client = |barrier: Option<Arc<tokio::sync::Barrier>>| {
        let Some((person, token)) = waiting_tokens.next() else { return false };
        let (addr, path, token, person, done) = (server.addr, path.clone(), token.clone(), *person, done_tx.clone());
        tokio::spawn(async move {
            let answer = enrol_over_http(addr, &path, &token, barrier.as_deref()).await;
            let _ = done.send((person, answer));
        });
        true
    };
    for _ in 0..BURST {
        start_client(Some(barrier.clone()));
    }
    let mut started = BURST;
    barrier.wait().await;
    let rush_started = Instant::now();
    let mut told = BTreeMap::new();
    let mut answered = 0;
    while answered < KILL_AFTER {
        let (person, (t, complete)) = tokio::time::timeout(Duration::from_secs(60), done_rx.recv())
            .await
            .unwrap_or_else(|_| panic!("only {answered} answers in 60 s"))
            .expect("clients");
        assert!(complete, "person {person:?} got no whole answer before the kill: {t:?}");
        told.insert(person, t);
        answered += 1;
        if start_client(None) {
            started += 1;
        }
    }
    server.kill_9();
    let killed_after = rush_started.elapsed();
    while told.len() < started {
        let (person, (t, _)) =
            tokio::time::timeout(Duration::from_secs(30), done_rx.recv()).await.expect("client hung").expect("clients");
        told.insert(person, t);
    }
    let count = |f: &dyn Fn(&Told) -> bool| told.values().filter(|t| f(t)).count();
    let told_confirmed = count(&|t| *t == Told::Confirmed);
    let told_waiting = count(&|t| matches!(t, Told::Waitlisted { .. }));
    let died = count(&|t| *t == Told::Died);
    let others: Vec<_> = told.values().filter(|t| matches!(t, Told::Other { .. })).collect();
    assert!(others.is_empty(), "answers that were neither a seat nor a waitlist place: {others:?}");
    assert!(died > 0, "the kill came after every answer: the test proves nothing");

    // Restart on the same database; the migrations run again (none pending) and it must serve at once.
    let server = Server::start(&db.url, &dir.join("serve-2.log"));
    let store = Store::connect(&db.url).await.expect("reopen");
    let before = store.participants(session).await.expect("participants");
    let confirmed = before.iter().filter(|p| p.state == EnrolmentState::Confirmed).count() as i64;
    let waiting = before.iter().filter(|p| matches!(p.state, EnrolmentState::Waitlisted { .. })).count() as i64;
    let rows = before.len() as i64;
    let state: BTreeMap<_, _> = before.iter().map(|p| (p.person, &p.state)).collect();

    assert!(confirmed <= seats, "over capacity after the crash: {confirmed} confirmed for {seats} seats");
    assert_eq!(confirmed, rows.min(seats), "a seat was left empty while someone committed after it waits");
    assert_eq!(before.len(), state.len(), "someone has two enrolments in the session");
    for (person, t) in &told {
        match t {
            Told::Confirmed => assert_eq!(
                state.get(person),
                Some(&&EnrolmentState::Confirmed),
                "person {person:?} was told they have a seat"
            ),
            Told::Waitlisted { position } => match state.get(person) {
                Some(EnrolmentState::Waitlisted { position: now, .. }) => {
                    assert_eq!(now, position, "person {person:?} moved on the waitlist without a cancellation")
                }
                other => panic!("person {person:?} was told waitlist place {position}, now {other:?}"),
            },
            _ => {}
        }
    }
    // Arrival numbers come from the session's counter in the same transaction as the row: the committed
    // enrolments must hold exactly 1…n, and the seats the first of them.
    let arrivals: Vec<i64> = {
        let mut a: Vec<i64> = before.iter().map(|p| p.arrival).collect();
        a.sort();
        a
    };
    assert_eq!(arrivals, (1..=rows).collect::<Vec<_>>(), "arrival numbers are not 1…{rows} once each");
    let last_seat = before.iter().filter(|p| p.state == EnrolmentState::Confirmed).map(|p| p.arrival).max();
    let first_waiting = before.iter().filter(|p| p.state != EnrolmentState::Confirmed).map(|p| p.arrival).min();
    if let (Some(s), Some(w)) = (last_seat, first_waiting) {
        assert!(s < w, "a later arrival has a seat while an earlier one waits");
    }

    // The restarted server still books by the rule: the next person gets the next arrival number and a seat
    // only if one is left.
    let (person, token) = &spare[0];
    let (after, _) = enrol_over_http(server.addr, &path, token, None).await;
    let expected = if confirmed < seats { Told::Confirmed } else { Told::Waitlisted { position: waiting + 1 } };
    assert_eq!(after, expected, "the first enrolment after the restart");
    let list = store.participants(session).await.expect("participants");
    let mine = list.iter().find(|p| p.person == *person).expect("the new enrolment is stored");
    assert_eq!(mine.arrival, rows + 1, "the arrival counter survived the crash in step with the rows");
    assert!(list.iter().filter(|p| p.state == EnrolmentState::Confirmed).count() as i64 <= seats);
    drop(server);
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);

    let told_ids: BTreeSet<_> = told.iter().filter(|(_, t)| **t != Told::Died).map(|(p, _)| *p).collect();
    let unanswered = before.iter().filter(|p| !told_ids.contains(&p.person)).count();
    println!(
        "{:?}: {seats} seats, {started} clients started; killed after {:.2} s with {answered} answers out; \
         told: {told_confirmed} confirmed, {told_waiting} waitlisted, {died} connections died; \
         after restart: {rows} enrolments ({confirmed} confirmed, {waiting} waitlisted), \
         {unanswered} of them committed but never answered, {} requests never booked; next enrolment: {after:?}",
        db.store.backend(),
        killed_after.as_secs_f64(),
        started as i64 - rows
    );
}

/// A small municipality, one course with a session for each of SESSIONS, and CLIENTS people with API tokens.
async fn prepare(store: &Store) -> (Vec<SessionId>, Vec<(PersonId, String)>) {
    let mut seed = loft_domain::demo::kongsbergregionen().into_iter().next().expect("a municipality");
    seed.population = 4_000;
    let report = store.seed("Kongsbergregionen", &[seed], false, "").await.expect("seed");
    assert!(report.people >= CLIENTS, "only {} people", report.people);
    let region = store.regions().await.expect("regions")[0].id;
    let course = CourseInput {
        title: "Informasjonssikkerhet i kommunene".into(),
        summary: "Regional dagskonferanse".into(),
        format: "conference".into(),
        organiser_kind: "region".into(),
        ..Default::default()
    }
    .parse(region)
    .expect("course");
    let course = store.create_course(SYSTEM, &course).await.expect("create course");
    let now = jiff::Timestamp::now().as_second();
    // On different days, so that no answer carries an overlap warning.
    let drafts: Vec<_> = (0..)
        .zip(SESSIONS)
        .map(|(i, seats)| {
            let day = loft_domain::courses::session::utc_to_local(now + (30 + i) * 86_400).date();
            SessionInput {
                days: format!("{day} 09:00-15:00"),
                venue: "Kongsberg kulturhus".into(),
                capacity: seats.to_string(),
                enrolment_opens: local_input(now - 86_400),
                enrolment_closes: local_input(now + 20 * 86_400),
                cancellation_deadline: local_input(now + 10 * 86_400),
                ..Default::default()
            }
            .parse()
            .expect("session")
        })
        .collect();
    let sessions = store.create_sessions(SYSTEM, course, &drafts).await.expect("create sessions");
    let reach = Reach { everything: true, ..Default::default() };
    let query = PeopleQuery { per_page: 200, page: 1, ..Default::default() };
    let mut people = store.people(&reach, &query).await.expect("people").items;
    people.extend(store.people(&reach, &PeopleQuery { page: 2, ..query }).await.expect("people").items);
    let mut tokens = Vec::new();
    for (i, p) in people.into_iter().take(CLIENTS).enumerate() {
        let account = store.create_account(p.person.id, &format!("crash{i}"), None).await.expect("account");
        tokens.push((p.person.id, store.create_api_token(account, "crash").await.expect("token")));
    }
    assert_eq!(tokens.len(), CLIENTS);
    (sessions, tokens)
}

/// One enrolment over its own connection (after the barrier, if any): what the answer said. Whatever part of
/// the answer arrived counts: the server writes nothing before the booking has committed.
async fn enrol_over_http(
    addr: SocketAddr,
    path: &str,
    token: &str,
    barrier: Option<&tokio::sync::Barrier>,
) -> (Told, bool) {
    let connected = tokio::net::TcpStream::connect(addr).await;
    if let Some(b) = barrier {
        b.wait().await;
    }
    let Ok(mut stream) = connected else { return (Told::Died, false) };
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: crash\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let mut response = Vec::new();
    let read = async {
        stream.write_all(request.as_bytes()).await?;
        stream.read_to_end(&mut response).await
    };
    let complete =
        matches!(tokio::time::timeout(Duration::from_secs(60), read).await, Ok(Ok(_))) && is_complete(&response);
    let text = String::from_utf8_lossy(&response);
    let told = if text.contains("Du har plass.") {
        Told::Confirmed
    } else if let Some(position) =
        text.split("du er nummer ").nth(1).and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok())
    {
        Told::Waitlisted { position }
    } else if complete {
        Told::Other { status: text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0) }
    } else {
        Told::Died
    };
    (told, complete)
}

/// Whether an HTTP/1.1 response arrived whole (by its `Content-Length`, or the last chunk).
fn is_complete(response: &[u8]) -> bool {
    let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") else { return false };
    let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
    let body = &response[end + 4..];
    match head.lines().find_map(|l| l.strip_prefix("content-length:")) {
        Some(n) => n.trim().parse::<usize>().is_ok_and(|n| n == body.len()),
        None => head.contains("transfer-encoding: chunked") && body.ends_with(b"0\r\n\r\n"),
    }
}

/// A running `loft serve`, killed (SIGKILL) when dropped, so no server outlives a failed assertion.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    /// Starts `loft serve` on `url` on a free loopback port and waits until `/healthz` answers 200.
    fn start(url: &str, log: &Path) -> Server {
        let log_file = std::fs::File::create(log).expect("log file");
        let mut child = Command::new(env!("CARGO_BIN_EXE_loft"))
            .arg("serve")
            .env("LOFT_DATABASE_URL", url)
            .env("LOFT_LISTEN", "127.0.0.1:0")
            .env("LOFT_NODE_MODULES", Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules"))
            .env("RUST_LOG", "warn")
            // Not the crate folder, so that no `loft.toml` there is read.
            .current_dir(log.parent().expect("log dir"))
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .expect("start loft serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("Løft is running at http://") {
                    let _ = tx.send(addr.trim().to_string());
                }
            }
        });
        let mut server = Server { child, addr: SocketAddr::from(([127, 0, 0, 1], 0)), log: log.to_path_buf() };
        let addr = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| server.fail("did not start"));
        server.addr = addr.parse().expect("address");
        let deadline = Instant::now() + Duration::from_secs(30);
        while !healthy(server.addr) {
            if Instant::now() > deadline {
                server.fail("/healthz did not answer 200");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn kill_9(&mut self) {
        use std::os::unix::process::ExitStatusExt;
        self.child.kill().expect("kill");
        let status = self.child.wait().expect("wait");
        assert_eq!(status.signal(), Some(9), "the server was not killed by SIGKILL: {status}");
    }

    fn fail(&mut self, what: &str) -> ! {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        panic!("loft serve {what}; its log:\n{log}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn healthy(addr: SocketAddr) -> bool {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let request = "GET /healthz HTTP/1.1\r\nHost: crash\r\nConnection: close\r\n\r\n";
    let mut answer = String::new();
    s.write_all(request.as_bytes()).is_ok()
        && s.read_to_string(&mut answer).is_ok()
        && answer.starts_with("HTTP/1.1 200")
}
