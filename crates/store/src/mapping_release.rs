//! A round's results are released once, after the round has closed, and never change afterwards.
//!
//! Why once: a reader who can see two published states of a round can subtract them, and the difference is the
//! answers given in between, however few (one new answer in a unit shows as that unit's figures moving by one
//! person). The anonymity rule decides one state at a time, so the only safe number of states is one. The release
//! therefore also fixes what the decision depends on besides the answers: *k* and the report tree (a unit moved
//! or an administrator's new *k* would otherwise decide the same answers a second way). Submits check for the
//! release in their own transaction, so no answer can arrive after it.
//!
//! Anonymous answers wait in `mapping_parked` until the release and are then moved in the order of their random
//! key, with new random ids, a few thousand per transaction (each a random sample of the round): the stored
//! responses, their order and the transactions that wrote them say nothing about when each was given.

use crate::accounts::new_token;
use crate::mapping::{Invitation, ResponseContent, Round, StoredResponse, store_responses};
use crate::sql::Sql;
use crate::{Result, Store, StoreError, now, today, today_date};
use loft_domain::disclosure::MinGroupSize;
use loft_domain::mapping::RoundPhase;
use loft_domain::mapping::report::Node;
use sqlx::Row;

/// What a released round's figures are decided with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub k: MinGroupSize,
    /// The report tree as it was at the release.
    pub nodes: Vec<Node>,
}

impl Store {
    /// The round's release, made by the first call after the round has closed; `None` while it has not closed.
    pub async fn release(&self, round: &Round) -> Result<Option<Release>> {
        if let Some(release) = self.stored_release(round.id).await? {
            return Ok(Some(release));
        }
        if round.window.phase(today_date()) != RoundPhase::Closed {
            return Ok(None);
        }
        let started = std::time::Instant::now();
        let nodes = self.report_nodes(round.region).await?;
        let k = self.min_group_size().await?;
        // The parked answers first, a chunk per transaction: a national round's 550,000 would otherwise hold the
        // database for minutes. Each chunk is a random sample (the key is random), so its transaction tells
        // nothing about when its answers were given; a crash leaves every answer either parked or moved.
        let mut moved = 0;
        loop {
            let _writing = self.sqlite_writer().await;
            let mut tx = self.pool.begin().await?;
            let n = move_parked_chunk(&mut tx, self.backend(), round.id, self.release_chunk).await?;
            tx.commit().await?;
            moved += n;
            if n == 0 {
                break;
            }
        }
        let _writing = self.sqlite_writer().await;
        let mut tx = self.pool.begin().await?;
        if self.backend() == crate::Backend::Postgres {
            // Waits for submits in flight to commit and holds new ones back until the release is written; they
            // then see it and are refused (`refuse_if_released`). SQLite's writer lock does the same there.
            sqlx::query("LOCK TABLE mapping_parked, mapping_response IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        // Another server may have released it meanwhile: its release stands.
        if let Some(json) = release_row(&mut tx, round.id).await? {
            tx.commit().await?;
            return Ok(Some(release_from(json)?));
        }
        // A submit that raced the close.
        loop {
            let n = move_parked_chunk(&mut tx, self.backend(), round.id, self.release_chunk).await?;
            moved += n;
            if n == 0 {
                break;
            }
        }
        let nodes_json = serde_json::to_string(&nodes).map_err(encoding)?;
        sqlx::query(
            "INSERT INTO mapping_release (round_id, min_group_size, nodes_json, released_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(round.id)
        .bind(i64::from(k.get()))
        .bind(nodes_json)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let ms = started.elapsed().as_millis();
        tracing::info!(round = round.id, moved, k = k.get(), ms, "mapping round released");
        if moved > 0 && self.backend() == crate::Backend::Postgres {
            // The moved rows' old versions (whose transaction ids pair them with the invitations) are gone once
            // vacuumed; autovacuum would get there too, later. A failure here loses nothing.
            if let Err(e) = sqlx::query("VACUUM mapping_parked").execute(&self.pool).await {
                tracing::warn!(error = %e, "vacuum after a release failed");
            }
        }
        Ok(Some(Release { k, nodes }))
    }

    /// Releases every round that has closed with answers still parked (the periodic job): the parked rows do not
    /// wait for a first reader. Returns how many rounds were released.
    pub async fn release_closed_rounds(&self) -> Result<usize> {
        let rounds: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT p.round_id FROM mapping_parked p JOIN mapping_round r ON r.id = p.round_id
             WHERE r.closes_on < $1",
        )
        .bind(today())
        .fetch_all(&self.pool)
        .await?;
        for id in &rounds {
            let round = self.round(*id).await?;
            self.release(&round).await?;
        }
        Ok(rounds.len())
    }

    async fn stored_release(&self, round_id: i64) -> Result<Option<Release>> {
        let mut conn = self.pool.acquire().await?;
        release_row(&mut conn, round_id).await?.map(release_from).transpose()
    }
}

async fn release_row(conn: &mut sqlx::AnyConnection, round_id: i64) -> Result<Option<(i64, String)>> {
    let row = sqlx::query("SELECT min_group_size, nodes_json FROM mapping_release WHERE round_id = $1")
        .bind(round_id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

fn release_from((k, nodes): (i64, String)) -> Result<Release> {
    let k = u32::try_from(k).ok().and_then(|k| MinGroupSize::new(k).ok()).ok_or_else(|| encoding("k"))?;
    Ok(Release { k, nodes: serde_json::from_str(&nodes).map_err(encoding)? })
}

fn encoding(e: impl std::fmt::Display) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(format!("mapping release: {e}").into()))
}

/// Parks an anonymous submission in the submit's transaction (the caller has flipped the invitation's flag).
pub(crate) async fn park(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round_id: i64,
    invitation: &Invitation,
    content: &ResponseContent,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO mapping_parked (id, round_id, municipality_id, unit_id, role_group, answers_json)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_token())
    .bind(round_id)
    .bind(invitation.municipality.0)
    .bind(invitation.unit.map(|u| u.0))
    .bind(invitation.role_group.code())
    .bind(serde_json::to_string(content).map_err(encoding)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Refuses a submit that would land after its round's release (the last statement of a submit's transaction).
pub(crate) async fn refuse_if_released(tx: &mut sqlx::Transaction<'_, sqlx::Any>, round_id: i64) -> Result<()> {
    let released: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mapping_release WHERE round_id = $1")
        .bind(round_id)
        .fetch_one(&mut **tx)
        .await?;
    if released > 0 {
        return Err(loft_domain::DomainError::Conflict { field: "round", code: "round-closed" }.into());
    }
    Ok(())
}

/// Parked answers moved per transaction: bounds the time a release holds the database and the memory it needs.
pub(crate) const MOVED_PER_CHUNK: i64 = 5000;

/// Moves up to `chunk` ([`MOVED_PER_CHUNK`] unless tuned) of a round's parked answers, the first by their random
/// key, into the response tables, each under a new random id, with their tallies, and deletes them (on SQLite
/// with their content overwritten). Returns how many were moved; 0 when none are left.
async fn move_parked_chunk(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: crate::Backend,
    round_id: i64,
    chunk: i64,
) -> Result<usize> {
    // SKIP LOCKED: two servers releasing at once take different rows instead of moving the same ones twice.
    let lock = if backend == crate::Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, municipality_id, unit_id, role_group, answers_json FROM mapping_parked
         WHERE round_id = $1 ORDER BY id LIMIT $2{lock}"
    )))
    .bind(round_id)
    .bind(chunk)
    .fetch_all(&mut **tx)
    .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut parked_ids = Vec::with_capacity(rows.len());
    let mut responses = Vec::with_capacity(rows.len());
    for row in &rows {
        parked_ids.push(row.try_get::<String, _>(0)?);
        responses.push(StoredResponse {
            municipality: row.try_get(1)?,
            unit: row.try_get(2)?,
            role_group: row.try_get(3)?,
            person: None,
            content: serde_json::from_str(&row.try_get::<String, _>(4)?).map_err(encoding)?,
        });
    }
    store_responses(tx, round_id, responses).await?;
    if backend == crate::Backend::Sqlite {
        sqlx::query("PRAGMA secure_delete = ON").execute(&mut **tx).await?;
    }
    for ids in parked_ids.chunks(crate::sql::rows_per_statement(tx, 1)) {
        let mut delete = Sql::for_conn(tx, "DELETE FROM mapping_parked WHERE id IN (");
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                delete.push(", ");
            }
            delete.push_bind(id.clone());
        }
        delete.push(")");
        delete.query()?.execute(&mut **tx).await?;
    }
    if backend == crate::Backend::Sqlite {
        sqlx::query("PRAGMA secure_delete = OFF").execute(&mut **tx).await?;
    }
    Ok(rows.len())
}
