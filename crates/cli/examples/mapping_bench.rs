//! Benchmark helper for the competence-mapping targets of issue 4 (bench/run-mapping.sh). Built on demand only:
//! `cargo run --release -p loft-cli --example mapping_bench -- …`.
//!
//! `prepare URL REGION_NAME ROUNDS TOKENS_FILE FORM_FILE`
//!     creates ROUNDS open rounds in the region, each asking every competence of the shipped frameworks (28),
//!     invites everyone with a compose closure that collects the personal tokens (no e-mails), writes the tokens
//!     (one a line) and one line with the question keys and levels for a complete form (`q-F-C=L&…`).
//! `submit URL TOKENS_FILE CONCURRENCY`
//!     submits a complete questionnaire for every token directly through the store, as the web handler does
//!     (`invitation_by_token`, `round`, `submit_answers_to`), CONCURRENCY at a time; prints throughput and latency
//!     percentiles.
//! `round URL REGION_NAME NAME`
//!     creates one closed round (no invitations) and prints its id, for a bulk fill of answers in SQL.

use loft_domain::ids::RegionId;
use loft_domain::mapping::{Answer, Audience, PrivacyMode, Question, RoundWindow};
use loft_store::Store;
use loft_store::audit::Change;
use loft_store::mapping::{InvitationMail, Invitee, NewRound};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

const SYSTEM: Change = Change { actor: None, region: None, municipality: None };

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["prepare", url, region, rounds, tokens, form] => prepare(url, region, rounds.parse()?, tokens, form).await,
        ["submit", url, tokens, concurrency] => submit(url, tokens, concurrency.parse()?).await,
        ["round", url, region, name] => {
            let store = Store::connect(url).await?;
            store.migrate().await?;
            let (region, questions) = region_and_questions(&store, region).await?;
            let today = today();
            let window = RoundWindow::new(today - jiff::Span::new().days(60), today - jiff::Span::new().days(30))?;
            let id = store.create_round(SYSTEM, &new_round(region, name, window, questions)).await?;
            println!("{id}");
            Ok(())
        }
        _ => anyhow::bail!("usage: see the comment at the top of crates/cli/examples/mapping_bench.rs"),
    }
}

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("Europe/Oslo").map(|z| z.date()).unwrap_or_default()
}

fn new_round(region: RegionId, name: &str, window: RoundWindow, questions: Vec<Question>) -> NewRound {
    NewRound {
        region,
        name: name.to_string(),
        privacy: PrivacyMode::Anonymous,
        window,
        questions,
        audience: Audience::default(),
        reminder_days: vec![],
        copied_from: None,
        checks: vec![],
    }
}

async fn region_and_questions(store: &Store, name: &str) -> anyhow::Result<(RegionId, Vec<Question>)> {
    store.install_builtin_frameworks().await?;
    let region = store
        .regions()
        .await?
        .into_iter()
        .find(|r| r.name == name)
        .ok_or_else(|| anyhow::anyhow!("no region {name}"))?
        .id;
    let questions = store
        .frameworks()
        .await?
        .iter()
        .flat_map(|f| {
            f.framework
                .competences()
                .map(|(_, c)| Question { framework_id: f.id, competence: c.code.clone() })
                .collect::<Vec<_>>()
        })
        .collect();
    Ok((region, questions))
}

/// A deterministic complete answer set: levels 1..=top, about one in seventeen "not relevant".
async fn answers_for(store: &Store, questions: &[Question], seed: u64) -> anyhow::Result<BTreeMap<Question, Answer>> {
    let mut tops = BTreeMap::new();
    for f in store.frameworks().await? {
        tops.insert(f.id, f.framework.top_level());
    }
    Ok(questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let roll = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(i as u32 * 7) ^ i as u64;
            let top = u64::from(tops.get(&q.framework_id).copied().unwrap_or(4)).max(1);
            let answer =
                if roll.is_multiple_of(17) { Answer::NotRelevant } else { Answer::Level(1 + (roll % top) as u8) };
            (q.clone(), answer)
        })
        .collect())
}

async fn prepare(url: &str, region: &str, rounds: usize, tokens_file: &str, form_file: &str) -> anyhow::Result<()> {
    let store = Store::connect(url).await?;
    store.migrate().await?;
    let (region, questions) = region_and_questions(&store, region).await?;
    let today = today();
    let window = RoundWindow::new(today - jiff::Span::new().days(1), today + jiff::Span::new().days(30))?;
    let tokens = Arc::new(Mutex::new(Vec::new()));
    for n in 0..rounds {
        let started = Instant::now();
        let name = format!("Benchmark {} #{n}", jiff::Timestamp::now());
        let id = store.create_round(SYSTEM, &new_round(region, &name, window, questions.clone())).await?;
        let collected = tokens.clone();
        let compose = move |_: &Invitee, token: &str| -> Option<InvitationMail> {
            collected.lock().expect("tokens").push(token.to_string());
            None
        };
        let invited = store.invite(SYSTEM, id, &compose).await?;
        eprintln!(
            "round {id}: {} questions, {invited} invited in {:.2} s",
            questions.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let tokens = std::mem::take(&mut *tokens.lock().expect("tokens"));
    std::fs::write(tokens_file, tokens.iter().map(|t| format!("{t}\n")).collect::<String>())?;
    let answers = answers_for(&store, &questions, 7).await?;
    let form = answers
        .iter()
        .map(|(q, a)| format!("q-{}-{}={}", q.framework_id, q.competence, a.form_value()))
        .collect::<Vec<_>>()
        .join("&");
    std::fs::write(form_file, format!("{form}\n"))?;
    println!("{} tokens, {} questions", tokens.len(), questions.len());
    Ok(())
}

async fn submit(url: &str, tokens_file: &str, concurrency: usize) -> anyhow::Result<()> {
    let store = Store::connect(url).await?;
    let tokens: Vec<String> = std::fs::read_to_string(tokens_file)?.lines().map(str::to_string).collect();
    let first = store.invitation_by_token(&tokens[0]).await?;
    let questions = store.round(first.round_id).await?.questions;
    let answers = Arc::new(answers_for(&store, &questions, 7).await?);
    let queue = Arc::new(Mutex::new(tokens.into_iter().rev().collect::<Vec<_>>()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (store, queue, answers) = (store.clone(), queue.clone(), answers.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            loop {
                let Some(token) = queue.lock().expect("queue").pop() else { break };
                let t = Instant::now();
                // What the web handler does with the store for a submit by personal link.
                let ok = async {
                    let inv = store.invitation_by_token(&token).await?;
                    let round = store.round(inv.round_id).await?;
                    store.submit_answers_to(&round, &inv, &answers, &Default::default()).await
                }
                .await;
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                if let Err(e) = ok {
                    errors += 1;
                    if errors < 3 {
                        eprintln!("submit failed: {e}");
                    }
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await?;
        all.extend(l);
        errors += e;
    }
    let seconds = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| all[((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1];
    println!(
        "RESULT submissions={} concurrency={concurrency} seconds={seconds:.2} per_s={:.0} p50_ms={:.2} p95_ms={:.2} p99_ms={:.2} max_ms={:.2} errors={errors}",
        all.len(),
        all.len() as f64 / seconds,
        pct(0.50),
        pct(0.95),
        pct(0.99),
        all[all.len() - 1]
    );
    Ok(())
}
