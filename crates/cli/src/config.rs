//! Layered configuration: built-in defaults, then a TOML file, then
//! `LOFT_`-prefixed environment variables (nested keys with `__`, e.g.
//! `LOFT_SMTP__HOST`). Secrets never appear in `Debug` output.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Clone, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub database_url: String,
    /// Address the web server listens on.
    pub listen: String,
    /// The address people reach Løft at, for links in e-mails (e.g. `https://loft.kongsbergregionen.no`).
    pub public_url: String,
    /// Mark cookies `Secure`; turn on whenever Løft is served over HTTPS.
    pub secure_cookies: bool,
    /// Where `npm ci` installed the front-end packages.
    pub node_modules: PathBuf,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    /// Outgoing e-mail; without a host, messages wait in the outbox.
    pub smtp: Option<Smtp>,
    /// Days before a course session its participants get a reminder (0: none).
    pub course_reminder_days: i64,
}

#[derive(Clone, Deserialize)]
pub struct Smtp {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    #[serde(default = "default_tls")]
    pub tls: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
}

fn default_smtp_port() -> u16 {
    587
}
fn default_tls() -> String {
    "starttls".into()
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://data/loft.db".into(),
            listen: "127.0.0.1:8080".into(),
            public_url: "http://127.0.0.1:8080".into(),
            secure_cookies: false,
            node_modules: PathBuf::from("node_modules"),
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            smtp: None,
            course_reminder_days: 2,
        }
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("listen", &self.listen)
            .field("secure_cookies", &self.secure_cookies)
            .field("node_modules", &self.node_modules)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("course_reminder_days", &self.course_reminder_days)
            .field(
                "smtp",
                &self.smtp.as_ref().map(|s| (&s.host, s.port, &s.tls, &s.from, s.password.as_ref().map(|_| "***"))),
            )
            .finish()
    }
}

/// Hides a password in a database URL (`postgres://user:secret@host` → `user:***@host`).
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Settings {
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        Settings::load_with(file, None)
    }

    /// As `load`, reading variables from `env` instead of the process environment when given.
    pub fn load_with(
        file: Option<&Path>,
        env: Option<std::collections::HashMap<String, String>>,
    ) -> anyhow::Result<Settings> {
        let mut builder = config::Config::builder();
        let default_file = Path::new("loft.toml");
        match file {
            Some(path) => builder = builder.add_source(config::File::from(path).required(true)),
            None if default_file.exists() => builder = builder.add_source(config::File::from(default_file)),
            None => {}
        }
        builder = builder.add_source(
            config::Environment::with_prefix("LOFT")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true)
                .source(env),
        );
        Ok(builder.build()?.try_deserialize()?)
    }

    pub fn web_config(&self) -> loft_web::WebConfig {
        loft_web::WebConfig {
            secure_cookies: self.secure_cookies,
            session: loft_store::accounts::SessionPolicy {
                idle_secs: self.session_idle_minutes * 60,
                absolute_secs: self.session_absolute_hours * 3600,
            },
            node_modules: self.node_modules.clone(),
            public_url: self.public_url.trim_end_matches('/').to_string(),
            ..Default::default()
        }
    }
}

pub const EXAMPLE: &str = r#"# loft.toml – Løft configuration. Every key can also be set in the environment:
# LOFT_DATABASE_URL, LOFT_LISTEN, LOFT_SMTP__HOST, … (nested keys joined with "__").

# sqlite://path/file.db (embedded) or postgres://user:password@host:5432/database
database_url = "sqlite://data/loft.db"
listen = "127.0.0.1:8080"
# Where people reach Løft, for links in e-mails (mapping invitations).
public_url = "http://127.0.0.1:8080"
# Set to true when Løft is served over HTTPS (behind a TLS proxy).
secure_cookies = false
# Where `npm ci` put the front-end packages.
node_modules = "node_modules"
session_idle_minutes = 30
session_absolute_hours = 12
# Days before a course session its participants get a reminder e-mail (0: none).
course_reminder_days = 2

# Without [smtp], e-mails wait in the outbox until it is configured.
# [smtp]
# host = "smtp.example.no"
# port = 587
# tls = "starttls"   # none | starttls | tls
# username = "loft"
# password = "…"
# from = "Løft <loft@example.no>"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact_url("postgres://loft:hemmelig@db:5432/loft"), "postgres://loft:***@db:5432/loft");
        assert_eq!(redact_url("sqlite://data/loft.db"), "sqlite://data/loft.db");
        let s = Settings {
            smtp: Some(Smtp {
                host: "h".into(),
                port: 25,
                tls: "none".into(),
                username: None,
                password: Some("pw-secret".into()),
                from: "a@b.no".into(),
            }),
            ..Default::default()
        };
        assert!(!format!("{s:?}").contains("pw-secret"));
    }

    #[test]
    fn environment_overrides_with_the_loft_prefix() {
        let env: std::collections::HashMap<String, String> = [
            ("LOFT_LISTEN", "127.0.0.1:9911"),
            ("LOFT_SMTP__HOST", "smtp.example.no"),
            ("LOFT_SMTP__FROM", "a@example.no"),
            ("OTHER_LISTEN", "ignored"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let s = Settings::load_with(None, Some(env)).expect("load");
        assert_eq!(s.listen, "127.0.0.1:9911");
        assert_eq!(s.smtp.as_ref().map(|m| (m.host.as_str(), m.port)), Some(("smtp.example.no", 587)));
        assert_eq!(s.database_url, "sqlite://data/loft.db", "defaults stay where nothing overrides");
    }

    #[test]
    fn the_example_file_parses() {
        let parsed: Settings = config::Config::builder()
            .add_source(config::File::from_str(EXAMPLE, config::FileFormat::Toml))
            .build()
            .and_then(|c| c.try_deserialize())
            .expect("example parses");
        assert_eq!(parsed.listen, "127.0.0.1:8080");
    }
}
