//! Decisions and their sign-offs.

use sqlx::Row;
use sqlx::any::AnyRow;

use tension_model::Side;

use super::{Store, StoreError, now};

/// A decision as stored: its state, and the snapshot fixed when it was proposed.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRow {
    pub number: i64,
    pub title: String,
    /// 1-based, as the frontier numbers its plans.
    pub plan_number: i64,
    /// The chosen plan's items, as a JSON array.
    pub items: String,
    pub rationale: String,
    /// `proposed`, `accepted`, `superseded`.
    pub status: String,
    pub proposed_by: String,
    pub proposed_on: String,
    pub accepted_on: Option<String>,
    pub supersedes: Option<i64>,
    pub superseded_by: Option<i64>,
    /// The scenario file as it stood.
    pub scenario: String,
    /// `tension plan --format json` of that scenario.
    pub plan_report: String,
    /// The chosen plan's forecast, as `tension forecast --format json`.
    pub forecast_report: String,
    /// The record's fixed parts (`tension_report::record::Snapshot`).
    pub head: String,
    pub evidence: String,
    /// The record's objections part, fixed when the decision is accepted.
    pub objections: Option<String>,
}

/// A sign-off as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SignOffRow {
    pub user_name: String,
    pub side: String,
    pub signed_on: String,
}

/// What a sign-off changes besides adding itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptance {
    pub accepted_on: String,
    pub objections: String,
}

const COLUMNS: &str = "number, title, plan_number, items, rationale, status, proposed_by, proposed_on, accepted_on, supersedes, superseded_by, scenario, plan_report, forecast_report, head, evidence, objections";

fn decision_of(row: &AnyRow) -> Result<DecisionRow, StoreError> {
    Ok(DecisionRow {
        number: row.try_get(0)?,
        title: row.try_get(1)?,
        plan_number: row.try_get(2)?,
        items: row.try_get(3)?,
        rationale: row.try_get(4)?,
        status: row.try_get(5)?,
        proposed_by: row.try_get(6)?,
        proposed_on: row.try_get(7)?,
        accepted_on: row.try_get(8)?,
        supersedes: row.try_get(9)?,
        superseded_by: row.try_get(10)?,
        scenario: row.try_get(11)?,
        plan_report: row.try_get(12)?,
        forecast_report: row.try_get(13)?,
        head: row.try_get(14)?,
        evidence: row.try_get(15)?,
        objections: row.try_get(16)?,
    })
}

impl Store {
    /// Stores a new decision under the next free number, which it returns; `decision.number`
    /// is ignored. The number is taken in the insert itself, so that on SQLite the statement
    /// holds the write lock from its start; on PostgreSQL two proposals at once may take the
    /// same number, and the one that loses tries the next.
    pub async fn insert_decision(
        &self,
        workspace_id: i64,
        decision: &DecisionRow,
    ) -> Result<i64, StoreError> {
        let columns = COLUMNS.replacen("number, ", "", 1);
        let sql = format!(
            "INSERT INTO decisions (workspace_id, number, {columns}) SELECT $1, COALESCE(MAX(number), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17 FROM decisions WHERE workspace_id = $1 RETURNING number"
        );
        let mut attempt = 0;
        loop {
            let inserted = sqlx::query(&sql)
                .bind(workspace_id)
                .bind(&decision.title)
                .bind(decision.plan_number)
                .bind(&decision.items)
                .bind(&decision.rationale)
                .bind(&decision.status)
                .bind(&decision.proposed_by)
                .bind(&decision.proposed_on)
                .bind(decision.accepted_on.as_deref())
                .bind(decision.supersedes)
                .bind(decision.superseded_by)
                .bind(&decision.scenario)
                .bind(&decision.plan_report)
                .bind(&decision.forecast_report)
                .bind(&decision.head)
                .bind(&decision.evidence)
                .bind(decision.objections.as_deref())
                .fetch_one(&self.pool)
                .await;
            match inserted {
                Ok(row) => return Ok(row.try_get(0)?),
                Err(sqlx::Error::Database(error)) if error.is_unique_violation() && attempt < 8 => {
                    attempt += 1;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// The decisions of a workspace, newest first.
    pub async fn decisions(&self, workspace_id: i64) -> Result<Vec<DecisionRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM decisions WHERE workspace_id = $1 ORDER BY number DESC"
        ))
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decision_of).collect()
    }

    pub async fn decision(
        &self,
        workspace_id: i64,
        number: i64,
    ) -> Result<Option<DecisionRow>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM decisions WHERE workspace_id = $1 AND number = $2"
        ))
        .bind(workspace_id)
        .bind(number)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(decision_of).transpose()
    }

    /// The sign-offs of a decision, in the order they were given.
    pub async fn signoffs(
        &self,
        workspace_id: i64,
        number: i64,
    ) -> Result<Vec<SignOffRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT user_name, side, signed_on FROM signoffs WHERE workspace_id = $1 AND number = $2 ORDER BY at, user_name",
        )
        .bind(workspace_id)
        .bind(number)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SignOffRow {
                    user_name: row.try_get(0)?,
                    side: row.try_get(1)?,
                    signed_on: row.try_get(2)?,
                })
            })
            .collect()
    }

    /// Adds a sign-off to a proposed decision, in one transaction. `revision` is the
    /// workspace's revision read before the objections the signature was checked against: if
    /// any object was written since, nothing is stored (a blocking objection may have been
    /// raised meanwhile); holding the workspace's row, no object is written until this commits.
    /// The sign-offs are counted inside the transaction, after the claim, so that two people
    /// signing at once cannot both miss that their two signatures make the decision accepted.
    /// On acceptance, `acceptance` fixes the objections part, and the decision it supersedes
    /// becomes `superseded` with a link back.
    pub async fn sign_decision(
        &self,
        workspace_id: i64,
        number: i64,
        revision: i64,
        signoff: &SignOffRow,
        acceptance: &Acceptance,
        supersedes: Option<i64>,
    ) -> Result<Signed, StoreError> {
        let mut tx = self.pool.begin().await?;
        let unchanged = sqlx::query(
            "UPDATE workspaces SET revision = revision WHERE id = $1 AND revision = $2",
        )
        .bind(workspace_id)
        .bind(revision)
        .execute(&mut *tx)
        .await?;
        if unchanged.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(Signed::ScenarioChanged);
        }
        // Claims the decision first (a write, so that concurrent sign-offs take turns), then
        // looks for this person's earlier signature.
        let proposed = sqlx::query(
            "UPDATE decisions SET status = status WHERE workspace_id = $1 AND number = $2 AND status = 'proposed'",
        )
        .bind(workspace_id)
        .bind(number)
        .execute(&mut *tx)
        .await?;
        if proposed.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(Signed::Changed);
        }
        let signed = sqlx::query(
            "SELECT 1 FROM signoffs WHERE workspace_id = $1 AND number = $2 AND user_name = $3",
        )
        .bind(workspace_id)
        .bind(number)
        .bind(&signoff.user_name)
        .fetch_optional(&mut *tx)
        .await?;
        if signed.is_some() {
            tx.rollback().await?;
            return Ok(Signed::Changed);
        }
        sqlx::query(
            "INSERT INTO signoffs (workspace_id, number, user_name, side, signed_on, at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(workspace_id)
        .bind(number)
        .bind(&signoff.user_name)
        .bind(&signoff.side)
        .bind(&signoff.signed_on)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let sides: Vec<String> = sqlx::query(
            "SELECT DISTINCT side FROM signoffs WHERE workspace_id = $1 AND number = $2",
        )
        .bind(workspace_id)
        .bind(number)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
        let accepted = Side::ALL
            .iter()
            .all(|side| sides.iter().any(|s| s == side.name()));
        if !accepted {
            tx.commit().await?;
            return Ok(Signed::Proposed);
        }
        sqlx::query(
            "UPDATE decisions SET status = 'accepted', accepted_on = $1, objections = $2 WHERE workspace_id = $3 AND number = $4",
        )
        .bind(&acceptance.accepted_on)
        .bind(&acceptance.objections)
        .bind(workspace_id)
        .bind(number)
        .execute(&mut *tx)
        .await?;
        if let Some(earlier) = supersedes {
            let superseded = sqlx::query(
                "UPDATE decisions SET status = 'superseded', superseded_by = $1 WHERE workspace_id = $2 AND number = $3 AND status = 'accepted'",
            )
            .bind(number)
            .bind(workspace_id)
            .bind(earlier)
            .execute(&mut *tx)
            .await?;
            if superseded.rows_affected() == 0 {
                tx.rollback().await?;
                return Ok(Signed::PredecessorGone);
            }
        }
        tx.commit().await?;
        Ok(Signed::Accepted)
    }
}

/// What a sign-off did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    /// Stored; the decision still needs a side.
    Proposed,
    /// Stored, and the decision is accepted.
    Accepted,
    /// Nothing stored: the decision was no longer proposed, or this person signed it meanwhile.
    Changed,
    /// Nothing stored: the workspace's objects were written since the signature was checked.
    ScenarioChanged,
    /// Nothing stored: the decision it supersedes is no longer accepted (another decision
    /// superseded it meanwhile).
    PredecessorGone,
}
