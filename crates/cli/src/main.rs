//! The `loft` binary: parses the command line and calls the library crates.

mod config;
mod import;

use anyhow::Context;
use clap::{Parser, Subcommand};
use config::Settings;
use loft_store::Store;
use std::io::BufRead;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "loft", version, about = "Løft – digital competence for the region's municipalities")]
struct Cli {
    /// Configuration file (default: ./loft.toml if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Logs as JSON lines (for log collectors).
    #[arg(long, global = true)]
    json_logs: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the configured database and serve the portal.
    Serve,
    /// Serve the portal on a SQLite file seeded with Kongsbergregionen's demo data.
    Demo {
        #[arg(long, default_value = "sqlite://data/loft-demo.db")]
        database_url: String,
    },
    /// Apply pending schema migrations.
    Migrate {
        /// Also publish the shipped competence frameworks (DigComp 2.2, the regional goals) if missing.
        #[arg(long)]
        frameworks: bool,
    },
    /// Fill the database with a generated data set (for benchmarks).
    Generate {
        /// Number of municipalities (357 is national scale).
        #[arg(long, default_value_t = 357)]
        municipalities: usize,
        /// Total population to spread over them.
        #[arg(long, default_value_t = 5_550_203)]
        population: i64,
    },
    /// Register a region with the reference municipalities (no people), for a real installation.
    InitRegion {
        #[arg(long, default_value = "Kongsbergregionen")]
        name: String,
    },
    /// Create a login for an existing person; the password is read from standard input.
    AddUser {
        #[arg(long)]
        person: i64,
        #[arg(long)]
        username: String,
        /// Make the account a system administrator.
        #[arg(long)]
        system_admin: bool,
    },
    /// Make a consistent online copy of a SQLite database.
    Backup { file: PathBuf },
    /// Print a documented example configuration file.
    ConfigExample,
    /// Import data from another system.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Employees, units and managers from an HR export (CSV, XLSX or Stamdata3 XML): prints a preview, then
    /// applies it in one transaction. Exits with status 1 and changes nothing when the file has errors (unless
    /// --skip-invalid) or is for another municipality.
    Employees {
        /// The export file.
        file: PathBuf,
        /// Municipality number, e.g. 3303.
        #[arg(long)]
        municipality: String,
        /// Only preview; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the valid rows and leave the people of invalid rows as they are.
        #[arg(long)]
        skip_invalid: bool,
        /// Column mapping as JSON, e.g. {"employee_number": "Ansattnr", "unit_code": "Enhet"}; default: the
        /// municipality's saved mapping, else a guess from the headers.
        #[arg(long)]
        mapping: Option<PathBuf>,
    },
    /// List a municipality's imports, newest first.
    List {
        #[arg(long)]
        municipality: String,
    },
    /// Undo an applied import; only the newest applied import of its municipality can be undone.
    Undo { id: i64 },
}

const DEMO_PASSWORD: &str = "demo";

fn main() -> anyhow::Result<()> {
    // 8 MiB per worker rather than tokio's 2 MiB: a debug build's report page (templates with macros, the
    // disclosure decision) came close enough to 2 MiB to crash now and then.
    tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(8 << 20).build()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging(cli.json_logs);
    let mut settings = Settings::load(cli.config.as_deref())?;
    match cli.command {
        Command::ConfigExample => print!("{}", config::EXAMPLE),
        Command::Migrate { frameworks } => {
            let store = open(&settings).await?;
            println!("database is up to date");
            if frameworks {
                let added = store.install_builtin_frameworks().await?;
                println!("{added} competence framework(s) published");
            }
        }
        Command::Serve => {
            let store = open(&settings).await?;
            serve(store, &settings).await?;
        }
        Command::Demo { database_url } => {
            settings.database_url = std::env::var("LOFT_DATABASE_URL").unwrap_or(database_url);
            let store = open(&settings).await?;
            let hash = loft_web::auth::hash_password(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            if store.is_empty().await? {
                println!("Seeding Kongsbergregionen …");
                let report =
                    store.seed("Kongsbergregionen", &loft_domain::demo::kongsbergregionen(), true, &hash).await?;
                println!("{} municipalities, {} units, {} people.", report.municipalities, report.units, report.people);
                let region =
                    store.regions().await?.first().map(|r| r.id).ok_or_else(|| anyhow::anyhow!("no region"))?;
                store.seed_demo_mapping(region).await?;
                println!("Mapping rounds 2014 and 2016 answered, 2026 open.");
                let courses = store.seed_demo_courses(region).await?;
                println!("{courses} courses in the catalogue, some sessions full with a waitlist.");
            }
            print_demo_logins();
            serve(store, &settings).await?;
        }
        Command::Generate { municipalities, population } => {
            let store = open(&settings).await?;
            anyhow::ensure!(store.is_empty().await?, "the database already has data; generate into an empty one");
            let hash = loft_web::auth::hash_password(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let started = std::time::Instant::now();
            let seeds = loft_domain::demo::national(municipalities, population);
            let report = store.seed("Norge", &seeds, true, &hash).await?;
            println!(
                "{} municipalities, {} units, {} people in {:.1} s (demo logins as for `loft demo`)",
                report.municipalities,
                report.units,
                report.people,
                started.elapsed().as_secs_f64()
            );
        }
        Command::InitRegion { name } => {
            let store = open(&settings).await?;
            let region = store.create_region(&name).await?;
            for m in loft_domain::demo::kongsbergregionen() {
                store.create_municipality(region, m.number, &m.name, &m.county, &m.language_form, m.population).await?;
            }
            println!("region {name} registered with its seven municipalities");
        }
        Command::AddUser { person, username, system_admin } => {
            let store = open(&settings).await?;
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            anyhow::ensure!(password.chars().count() >= 12, "the password must have at least 12 characters");
            let detail = store.person(loft_domain::ids::PersonId(person)).await?;
            let hash = loft_web::auth::hash_password(password).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            store.create_account(detail.person.id, &username, Some(&hash)).await?;
            if system_admin {
                let change = loft_store::audit::Change { actor: None, region: None, municipality: None };
                store
                    .grant_role(
                        change,
                        detail.person.id,
                        loft_domain::policy::Role::SystemAdmin,
                        &loft_store::people::GrantScope::System,
                    )
                    .await?;
            }
            println!("account {username} created for {}", detail.person.display_name());
        }
        Command::Import { what: ImportCommand::Employees { file, municipality, dry_run, skip_invalid, mapping } } => {
            let store = open(&settings).await?;
            let args = import::EmployeesImport { file, municipality, dry_run, skip_invalid, mapping };
            let outcome = import::employees(&store, &args, &mut std::io::stdout(), &mut std::io::stderr()).await?;
            store.close().await;
            if outcome == import::Outcome::Refused {
                std::process::exit(1);
            }
        }
        Command::Import { what: ImportCommand::List { municipality } } => {
            let store = open(&settings).await?;
            import::list(&store, &municipality, &mut std::io::stdout()).await?;
        }
        Command::Import { what: ImportCommand::Undo { id } } => {
            let store = open(&settings).await?;
            import::undo(&store, id, &mut std::io::stdout()).await?;
        }
        Command::Backup { file } => {
            let store = Store::connect(&settings.database_url).await?;
            store.backup_sqlite(&file.display().to_string()).await?;
            println!("backup written to {}", file.display());
        }
    }
    Ok(())
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(settings: &Settings) -> anyhow::Result<Store> {
    if let Some(path) = settings.database_url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(file).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    let store = Store::connect(&settings.database_url)
        .await
        .with_context(|| format!("opening {}", config::redact_url(&settings.database_url)))?;
    store.migrate().await?;
    Ok(store)
}

fn print_demo_logins() {
    println!();
    println!("Demo logins (password \"{DEMO_PASSWORD}\" for all):");
    for (user, role) in [
        ("admin", "system administrator"),
        ("region", "regional coordinator, Kongsbergregionen"),
        ("kommune", "municipal coordinator, Notodden"),
        ("leder", "manager of a school in Kongsberg"),
        ("ansatt", "employee at that school"),
        ("kurs", "course organiser"),
        ("styring", "steering-group member (elected official, Tinn)"),
    ] {
        println!("  {user:<8} {role}");
    }
    println!();
}

async fn serve(store: Store, settings: &Settings) -> anyhow::Result<()> {
    let node_modules = &settings.node_modules;
    if !node_modules.join("@digdir/designsystemet-css").exists() {
        tracing::warn!(path = %node_modules.display(), "Designsystemet CSS not found; run `npm ci` first");
    }
    let state = loft_web::AppState::new(store.clone(), settings.web_config());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    if let Some(smtp) = &settings.smtp {
        let sender = loft_web::mail::MailSender::new(&loft_web::mail::SmtpConfig {
            host: smtp.host.clone(),
            port: smtp.port,
            tls: smtp.tls.clone(),
            username: smtp.username.clone(),
            password: smtp.password.clone(),
            from: smtp.from.clone(),
        })?;
        tokio::spawn(sender.run(store.clone(), stop_rx.clone()));
    }
    // Reminders are queued in the outbox, so they go out only where a mail sender runs; checked hourly.
    tokio::spawn(loft_web::reminders::run(
        store.clone(),
        state.config.public_url.clone(),
        settings.course_reminder_days,
        std::time::Duration::from_secs(3600),
        stop_rx.clone(),
    ));
    let purge_store = store.clone();
    let policy = state.config.session;
    let mut purge_stop = stop_rx.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = purge_store.purge_sessions(policy).await {
                tracing::warn!(error = %e, "session purge failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(std::time::Duration::from_secs(3600)) => {}
                _ = purge_stop.changed() => break,
            }
        }
    });
    let listener = bind(&settings.listen).await.with_context(|| format!("binding {}", settings.listen))?;
    println!("Løft is running at http://{}", listener.local_addr()?);
    axum::serve(listener, loft_web::make_service(state))
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            let _ = stop_tx.send(true);
        })
        .await?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Binds the listening socket with a backlog of 4,096 connections (the kernel caps it at `somaxconn`): with
/// tokio's default of 1,024 an enrolment rush of 2,000 clients had connections reset before they were accepted.
async fn bind(listen: &str) -> std::io::Result<tokio::net::TcpListener> {
    let addr = tokio::net::lookup_host(listen)
        .await?
        .next()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::AddrNotAvailable, "no address"))?;
    let socket = if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
