//! Accounts, login sessions and personal API tokens. Session and API tokens
//! are random; only their SHA-256 is stored, so a copy of the database does
//! not let anyone log in.

use crate::{Result, Store, StoreError, now};
use loft_domain::DomainError;
use loft_domain::ids::PersonId;
use loft_domain::locale::Locale;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::HashMap;

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh random token (256 bits, hex).
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountCredentials {
    pub account_id: i64,
    pub person_id: PersonId,
    pub password_hash: Option<String>,
    pub disabled: bool,
}

/// Who a valid session or token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRef {
    pub account_id: i64,
    pub person_id: PersonId,
    pub locale: Option<Locale>,
    pub name: String,
    /// The roles the person holds, read in the same query.
    pub grants: Vec<loft_domain::policy::Grant>,
}

/// Columns shared by the session and token look-ups: account, person, and one row per grant.
const IDENTITY_COLUMNS: &str =
    "a.id, a.person_id, a.locale, p.given_name, p.family_name, g.role, g.region_id, g.municipality_id, u.path";
const GRANT_JOINS: &str = "LEFT JOIN role_grant g ON g.person_id = p.id LEFT JOIN unit u ON u.id = g.unit_id";

fn identity_from(rows: &[sqlx::any::AnyRow]) -> Result<Option<AccountRef>> {
    let Some(first) = rows.first() else { return Ok(None) };
    let mut grants = Vec::new();
    for r in rows {
        grants.extend(crate::people::grant_from(r.try_get(5)?, r.try_get(6)?, r.try_get(7)?, r.try_get(8)?));
    }
    Ok(Some(AccountRef {
        account_id: first.try_get(0)?,
        person_id: PersonId(first.try_get(1)?),
        locale: locale_from(first.try_get(2)?),
        name: format!("{} {}", first.try_get::<String, _>(3)?, first.try_get::<String, _>(4)?),
        grants,
    }))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
}

/// Session lifetimes: idle expiry and absolute expiry, in seconds.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

fn locale_from(code: Option<String>) -> Option<Locale> {
    code.and_then(|c| Locale::parse(&c))
}

impl Store {
    pub async fn create_account(&self, person: PersonId, username: &str, password_hash: Option<&str>) -> Result<i64> {
        let username = username.trim().to_lowercase();
        if username.is_empty() || username.len() > 64 {
            return Err(DomainError::invalid("username", "invalid-username").into());
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO account (person_id, username, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(person.0)
        .bind(username)
        .bind(password_hash.map(str::to_string))
        .bind(now())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| StoreError::from(e).on_unique("username", "username-exists"))?;
        Ok(id)
    }

    pub async fn credentials(&self, username: &str) -> Result<Option<AccountCredentials>> {
        let row = sqlx::query("SELECT id, person_id, password_hash, disabled_at FROM account WHERE username = $1")
            .bind(username.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            let disabled: Option<i64> = r.try_get(3)?;
            Ok(AccountCredentials {
                account_id: r.try_get(0)?,
                person_id: PersonId(r.try_get(1)?),
                password_hash: r.try_get(2)?,
                disabled: disabled.is_some(),
            })
        })
        .transpose()
    }

    /// Starts a session for `token` (the cookie value; only its hash is kept).
    pub async fn create_session(&self, account_id: i64, token: &str, policy: SessionPolicy) -> Result<()> {
        let t = now();
        sqlx::query("INSERT INTO login_session (token_hash, account_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash(token))
            .bind(account_id)
            .bind(t)
            .bind(t)
            .bind(t + policy.absolute_secs)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The account of a live session, sliding its idle expiry forward.
    pub async fn session_account(&self, token: &str, policy: SessionPolicy) -> Result<Option<AccountRef>> {
        let t = now();
        let hash = token_hash(token);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {IDENTITY_COLUMNS}, s.last_seen_at
             FROM login_session s JOIN account a ON a.id = s.account_id JOIN person p ON p.id = a.person_id {GRANT_JOINS}
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND a.disabled_at IS NULL"
        )))
        .bind(hash.clone())
        .bind(t)
        .bind(t - policy.idle_secs)
        .fetch_all(&self.pool)
        .await?;
        let Some(first) = rows.first() else { return Ok(None) };
        let last_seen: i64 = first.try_get(9)?;
        // Touch at most once a minute: a write per page view would serialise SQLite readers.
        if t - last_seen >= 60 {
            sqlx::query("UPDATE login_session SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(t)
                .bind(hash)
                .execute(&self.pool)
                .await?;
        }
        identity_from(&rows)
    }

    pub async fn delete_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_session WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes expired sessions; run now and then.
    pub async fn purge_sessions(&self, policy: SessionPolicy) -> Result<u64> {
        let t = now();
        let done = sqlx::query("DELETE FROM login_session WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(t)
            .bind(t - policy.idle_secs)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    pub async fn set_locale(&self, account_id: i64, locale: Locale) -> Result<()> {
        sqlx::query("UPDATE account SET locale = $1 WHERE id = $2")
            .bind(locale.tag())
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        self.token_identities.changed();
        Ok(())
    }

    /// Creates a personal API token and returns the secret (shown once).
    pub async fn create_api_token(&self, account_id: i64, name: &str) -> Result<String> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(DomainError::invalid("name", "required").into());
        }
        let token = format!("loft_{}", new_token());
        sqlx::query("INSERT INTO api_token (account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)")
            .bind(account_id)
            .bind(name.to_string())
            .bind(token_hash(&token))
            .bind(now())
            .execute(&self.pool)
            .await?;
        self.token_identities.changed();
        Ok(token)
    }

    pub async fn api_tokens(&self, account_id: i64) -> Result<Vec<ApiTokenInfo>> {
        let rows = sqlx::query("SELECT id, name, created_at, last_used_at, revoked_at FROM api_token WHERE account_id = $1 ORDER BY id DESC")
            .bind(account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let revoked: Option<i64> = r.try_get(4)?;
                Ok(ApiTokenInfo {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    created_at: r.try_get(2)?,
                    last_used_at: r.try_get(3)?,
                    revoked: revoked.is_some(),
                })
            })
            .collect()
    }

    /// Revokes one of the account's own tokens; another account's id is `NotFound`.
    pub async fn revoke_api_token(&self, account_id: i64, token_id: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(token_id)
        .bind(account_id)
        .execute(&self.pool)
        .await?;
        self.token_identities.changed();
        if done.rows_affected() == 0 {
            return Err(DomainError::NotFound.into());
        }
        Ok(())
    }

    /// The account a token stands for (`None`: unknown, revoked or disabled). Look-ups that arrive together
    /// are read with one query (`crate::batch`): a rush of requests with many tokens is a handful of reads.
    pub async fn api_token_account(&self, token: &str) -> Result<Option<AccountRef>> {
        let hash = token_hash(token);
        // Kept for a second: an integration sends many requests a second with one token. Its last use is
        // written once a minute anyway.
        if let Some(identity) = self.token_identities.fresh(&hash) {
            return Ok(identity);
        }
        let (answer, answered) = tokio::sync::oneshot::channel();
        if self.token_reads.push((), (hash.clone(), answer)) {
            let store = self.clone();
            tokio::spawn(async move { store.read_waiting_tokens().await });
        }
        match answered.await {
            Ok(Some(identity)) => Ok(identity),
            // The batch's read failed (or its task stopped): read alone, so the error is this request's own.
            _ => Ok(self.read_api_token_accounts(&[hash]).await?.into_values().next().flatten()),
        }
    }

    async fn read_waiting_tokens(&self) {
        let mut reader = crate::batch::Worker::new(&*self.token_reads, ());
        while let Some(batch) = reader.next_batch(TOKENS_PER_READ) {
            let hashes: Vec<String> = batch.iter().map(|(hash, _)| hash.clone()).collect();
            match self.read_api_token_accounts(&hashes).await {
                Ok(mut found) => {
                    for (hash, answer) in batch {
                        let _ = answer.send(Some(found.get_mut(&hash).and_then(Option::take)));
                    }
                }
                Err(_) => {
                    for (_, answer) in batch {
                        let _ = answer.send(None);
                    }
                }
            }
        }
    }

    /// Reads the tokens' accounts with one query and keeps them (and the people's homes) for a second.
    async fn read_api_token_accounts(&self, hashes: &[String]) -> Result<HashMap<String, Option<AccountRef>>> {
        let seen = self.token_identities.before_read();
        let homes_seen = self.homes.before_read();
        let mut conn = self.pool.acquire().await?;
        let mut q = crate::sql::Sql::for_conn(
            &conn,
            format!(
                "SELECT {IDENTITY_COLUMNS}, t.id, t.last_used_at, m.region_id, p.municipality_id, t.token_hash
             FROM api_token t JOIN account a ON a.id = t.account_id JOIN person p ON p.id = a.person_id
             JOIN municipality m ON m.id = p.municipality_id {GRANT_JOINS}
             WHERE t.revoked_at IS NULL AND a.disabled_at IS NULL AND t.token_hash IN ("
            ),
        );
        for (i, hash) in hashes.iter().enumerate() {
            q.push(if i == 0 { "" } else { ", " }).push_bind(hash.clone());
        }
        q.push(") ORDER BY t.token_hash");
        let rows = q.query()?.fetch_all(&mut *conn).await?;
        drop(conn);
        let mut found: HashMap<String, Option<AccountRef>> = hashes.iter().map(|h| (h.clone(), None)).collect();
        for rows in rows.chunk_by(|a, b| a.try_get::<String, _>(13).ok() == b.try_get::<String, _>(13).ok()) {
            let first = &rows[0];
            // The person's home comes with it: most requests ask for it next (`Store::person_home`).
            let home =
                (loft_domain::ids::RegionId(first.try_get(11)?), loft_domain::ids::MunicipalityId(first.try_get(12)?));
            self.homes.keep(homes_seen, first.try_get(1)?, home);
            // "Last used" is kept to the minute: a token used many times a second writes once a minute.
            if first.try_get::<Option<i64>, _>(10)?.is_none_or(|last| now() - last >= 60) {
                self.note_token_use(first.try_get(9)?);
            }
            found.insert(first.try_get(13)?, identity_from(rows)?);
        }
        for (hash, identity) in &found {
            self.token_identities.keep(seen, hash.clone(), identity.clone());
        }
        Ok(found)
    }

    /// Notes a token's use, written shortly after together with the others used meanwhile: a rush of requests
    /// with many tokens (an enrolment opening) then writes once, not once per token between its bookings.
    fn note_token_use(&self, token_id: i64) {
        let mut uses = self.token_uses.lock();
        uses.tokens.push(token_id);
        if !uses.write_coming {
            uses.write_coming = true;
            let store = self.clone();
            tokio::spawn(async move {
                tokio::time::sleep(TOKEN_USE_DELAY).await;
                if let Err(e) = store.write_token_uses().await {
                    // Only "last used" is lost, and the next use writes it.
                    tracing::warn!("writing API tokens' last use: {e}");
                }
            });
        }
    }

    async fn write_token_uses(&self) -> Result<()> {
        let mut tokens = {
            let mut uses = self.token_uses.lock();
            uses.write_coming = false;
            std::mem::take(&mut uses.tokens)
        };
        tokens.sort_unstable();
        tokens.dedup();
        let t = now();
        for chunk in tokens.chunks(1000) {
            let mut q = crate::sql::Sql::new("UPDATE api_token SET last_used_at = ");
            q.push_bind(t).push(" WHERE id IN ").push_id_list(chunk);
            q.query()?.execute(&self.pool).await?;
        }
        Ok(())
    }
}

/// Token look-ups read with one query at most.
const TOKENS_PER_READ: usize = 2000;

/// Token look-ups waiting to be read together (one queue).
pub(crate) type TokenReads =
    crate::batch::Queues<(), (String, tokio::sync::oneshot::Sender<Option<Option<AccountRef>>>)>;

/// How long a token's use waits to be written with others.
const TOKEN_USE_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

/// API tokens used whose last use is still to be written.
#[derive(Debug, Default)]
pub(crate) struct TokenUses {
    uses: std::sync::Mutex<PendingUses>,
}

#[derive(Debug, Default)]
struct PendingUses {
    tokens: Vec<i64>,
    /// A task will write them.
    write_coming: bool,
}

impl TokenUses {
    fn lock(&self) -> std::sync::MutexGuard<'_, PendingUses> {
        self.uses.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
