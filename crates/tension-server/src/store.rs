//! Storage: one implementation of [`Store`] over SQLite and PostgreSQL through sqlx's `Any`
//! driver, with runtime queries (no database at compile time) written in the SQL both accept,
//! and migrations kept per backend and applied at start.

use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor, Row};

use crate::Role;

mod decisions;

pub use decisions::{Acceptance, DecisionRow, SignOffRow, Signed};

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

/// What the database said no to, or could not do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database URL `{0}` is neither sqlite:// nor postgres://")]
    UnknownBackend(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One object of a workspace's scenario as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// `scenario` (the header), `quantity`, `item`, `review` or `objection`.
    pub kind: String,
    pub key: String,
    pub position: i64,
    pub version: i64,
    /// The object as JSON.
    pub body: String,
}

/// One change in the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub object_kind: String,
    pub object_key: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub user_name: String,
    /// Milliseconds since the Unix epoch.
    pub at: i64,
}

/// A change to record with a write.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

/// A user as the login sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    pub id: i64,
    pub name: String,
    pub password_hash: String,
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub user_id: i64,
    pub user_name: String,
    pub csrf: String,
    pub expires_at: i64,
}

/// A workspace with the caller's role in it.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceRecord {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// The outcome of a versioned update.
#[derive(Debug, Clone, PartialEq)]
pub enum Updated {
    /// Stored with this new version.
    Done(i64),
    /// The version was stale: the object as it is now.
    Conflict(Object),
    Missing,
}

/// The server's storage.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects to `sqlite://path` (created on first start, WAL mode) or `postgres://...`, and
    /// applies the migrations.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(path) = url.strip_prefix("sqlite://") {
            let url = if path.contains('?') {
                format!("sqlite://{path}")
            } else {
                format!("sqlite://{path}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("sqlite:") {
            (Backend::Sqlite, url.to_owned())
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StoreError::UnknownBackend(url.to_owned()));
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .connect_with(options)
                    .await?
            }
        };
        match backend {
            Backend::Sqlite => SQLITE.run(&pool).await?,
            Backend::Postgres => POSTGRES.run(&pool).await?,
        }
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// `PRAGMA integrity_check` on SQLite (`ok` when sound); PostgreSQL checks itself.
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        match self.backend {
            Backend::Sqlite => {
                let row = sqlx::query("PRAGMA integrity_check")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(row.try_get::<String, _>(0)?)
            }
            Backend::Postgres => Ok("ok".to_owned()),
        }
    }

    /// A trivial query: the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    // Users, sessions and tokens.

    pub async fn create_user(&self, name: &str, password_hash: &str) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(password_hash)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn set_password(&self, user_id: i64, password_hash: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn user_by_name(&self, name: &str) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query("SELECT id, name, password_hash FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(UserRecord {
                id: row.try_get(0)?,
                name: row.try_get(1)?,
                password_hash: row.try_get(2)?,
            })
        })
        .transpose()
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT s.user_id, u.name, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(SessionRecord {
                user_id: row.try_get(0)?,
                user_name: row.try_get(1)?,
                csrf: row.try_get(2)?,
                expires_at: row.try_get(3)?,
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_token(
        &self,
        token_hash: &str,
        user_id: i64,
        name: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(name)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The user a token belongs to: (id, name).
    pub async fn token(&self, token_hash: &str) -> Result<Option<(i64, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .transpose()
    }

    pub async fn record_login_failure(&self, ip: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_failures (ip, at) VALUES ($1, $2)")
            .bind(ip)
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn login_failures_since(&self, ip: &str, since: i64) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at >= $2")
            .bind(ip)
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    // Workspaces and members.

    pub async fn create_workspace(&self, slug: &str, name: &str) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO workspaces (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn workspace(&self, slug: &str) -> Result<Option<WorkspaceRecord>, StoreError> {
        let row = sqlx::query("SELECT id, slug, name FROM workspaces WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| workspace_of(&row)).transpose()
    }

    /// The workspaces a user is a member of, with the role.
    pub async fn workspaces_of(
        &self,
        user_id: i64,
    ) -> Result<Vec<(WorkspaceRecord, Role)>, StoreError> {
        let rows = sqlx::query(
            "SELECT w.id, w.slug, w.name, m.role FROM workspaces w JOIN memberships m ON m.workspace_id = w.id WHERE m.user_id = $1 ORDER BY w.slug",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let role: String = row.try_get(3)?;
            if let Some(role) = Role::parse(&role) {
                out.push((workspace_of(&row)?, role));
            }
        }
        Ok(out)
    }

    pub async fn set_member(
        &self,
        workspace_id: i64,
        user_id: i64,
        role: Role,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2")
            .bind(workspace_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)")
            .bind(workspace_id)
            .bind(user_id)
            .bind(role.name())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn role(&self, workspace_id: i64, user_id: i64) -> Result<Option<Role>, StoreError> {
        let row =
            sqlx::query("SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2")
                .bind(workspace_id)
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(match row {
            Some(row) => Role::parse(&row.try_get::<String, _>(0)?),
            None => None,
        })
    }

    // The scenario's objects.

    /// Every object of a workspace, in file order within each kind.
    /// The workspace's revision: it moves with every write of its objects. Read it before the
    /// objects a decision is checked against, and hand it to [`Store::sign_decision`].
    pub async fn revision(&self, workspace_id: i64) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT revision FROM workspaces WHERE id = $1")
            .bind(workspace_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn objects(&self, workspace_id: i64) -> Result<Vec<Object>, StoreError> {
        let rows = sqlx::query(
            "SELECT kind, key, position, version, body FROM objects WHERE workspace_id = $1 ORDER BY position",
        )
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(object_of).collect()
    }

    pub async fn object(
        &self,
        workspace_id: i64,
        kind: &str,
        key: &str,
    ) -> Result<Option<Object>, StoreError> {
        let row = sqlx::query(
            "SELECT kind, key, position, version, body FROM objects WHERE workspace_id = $1 AND kind = $2 AND key = $3",
        )
        .bind(workspace_id)
        .bind(kind)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(object_of).transpose()
    }

    /// Replaces every object of a workspace (an import), recording one change.
    pub async fn replace_objects(
        &self,
        workspace_id: i64,
        objects: &[Object],
        user_name: &str,
        change: &Change,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        bump_revision(&mut tx, workspace_id).await?;
        sqlx::query("DELETE FROM objects WHERE workspace_id = $1")
            .bind(workspace_id)
            .execute(&mut *tx)
            .await?;
        for object in objects {
            sqlx::query(
                "INSERT INTO objects (workspace_id, kind, key, position, version, body) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(workspace_id)
            .bind(&object.kind)
            .bind(&object.key)
            .bind(object.position)
            .bind(object.version)
            .bind(&object.body)
            .execute(&mut *tx)
            .await?;
        }
        insert_audit(&mut tx, workspace_id, "scenario", "", user_name, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds an object at the end of its kind; `false` when one with its key exists.
    pub async fn insert_object(
        &self,
        workspace_id: i64,
        kind: &str,
        key: &str,
        body: &str,
        user_name: &str,
        changes: &[Change],
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        bump_revision(&mut tx, workspace_id).await?;
        let exists =
            sqlx::query("SELECT 1 FROM objects WHERE workspace_id = $1 AND kind = $2 AND key = $3")
                .bind(workspace_id)
                .bind(kind)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_some() {
            return Ok(false);
        }
        let row =
            sqlx::query("SELECT COALESCE(MAX(position), 0) FROM objects WHERE workspace_id = $1")
                .bind(workspace_id)
                .fetch_one(&mut *tx)
                .await?;
        let position: i64 = row.try_get(0)?;
        sqlx::query(
            "INSERT INTO objects (workspace_id, kind, key, position, version, body) VALUES ($1, $2, $3, $4, 1, $5)",
        )
        .bind(workspace_id)
        .bind(kind)
        .bind(key)
        .bind(position + 1)
        .bind(body)
        .execute(&mut *tx)
        .await?;
        for change in changes {
            insert_audit(&mut tx, workspace_id, kind, key, user_name, change).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Stores a new body for `current` if the object is still at `current.version`, with the
    /// changes in the audit log, in one transaction.
    pub async fn update_object(
        &self,
        workspace_id: i64,
        current: &Object,
        body: &str,
        user_name: &str,
        changes: &[Change],
    ) -> Result<Updated, StoreError> {
        let (kind, key, version) = (current.kind.as_str(), current.key.as_str(), current.version);
        let mut tx = self.pool.begin().await?;
        bump_revision(&mut tx, workspace_id).await?;
        let done = sqlx::query(
            "UPDATE objects SET body = $1, version = version + 1 WHERE workspace_id = $2 AND kind = $3 AND key = $4 AND version = $5",
        )
        .bind(body)
        .bind(workspace_id)
        .bind(kind)
        .bind(key)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(match self.object(workspace_id, kind, key).await? {
                Some(current) => Updated::Conflict(current),
                None => Updated::Missing,
            });
        }
        for change in changes {
            insert_audit(&mut tx, workspace_id, kind, key, user_name, change).await?;
        }
        tx.commit().await?;
        Ok(Updated::Done(version + 1))
    }

    /// The audit log of a workspace, or of one object, oldest first.
    pub async fn audit(
        &self,
        workspace_id: i64,
        object: Option<(&str, &str)>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        const COLUMNS: &str =
            "id, object_kind, object_key, field, old_value, new_value, user_name, at";
        let rows = match object {
            Some((kind, key)) => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM audit WHERE workspace_id = $1 AND object_kind = $2 AND object_key = $3 ORDER BY id"
                ))
                .bind(workspace_id)
                .bind(kind)
                .bind(key)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM audit WHERE workspace_id = $1 ORDER BY id"
                ))
                .bind(workspace_id)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: row.try_get(0)?,
                    object_kind: row.try_get(1)?,
                    object_key: row.try_get(2)?,
                    field: row.try_get(3)?,
                    old_value: row.try_get(4)?,
                    new_value: row.try_get(5)?,
                    user_name: row.try_get(6)?,
                    at: row.try_get(7)?,
                })
            })
            .collect()
    }

    /// Runs a statement as is: for tests that prove the audit log refuses changes.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }
}

/// Takes the workspace's row for a write of its objects, first in the transaction: writes of
/// one workspace, and a sign-off checking its objections, take turns.
async fn bump_revision(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    workspace_id: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE workspaces SET revision = revision + 1 WHERE id = $1")
        .bind(workspace_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn insert_audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    workspace_id: i64,
    kind: &str,
    key: &str,
    user_name: &str,
    change: &Change,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit (workspace_id, object_kind, object_key, field, old_value, new_value, user_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(workspace_id)
    .bind(kind)
    .bind(key)
    .bind(&change.field)
    .bind(change.old_value.as_deref())
    .bind(change.new_value.as_deref())
    .bind(user_name)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn workspace_of(row: &AnyRow) -> Result<WorkspaceRecord, StoreError> {
    Ok(WorkspaceRecord {
        id: row.try_get(0)?,
        slug: row.try_get(1)?,
        name: row.try_get(2)?,
    })
}

fn object_of(row: &AnyRow) -> Result<Object, StoreError> {
    Ok(Object {
        kind: row.try_get(0)?,
        key: row.try_get(1)?,
        position: row.try_get(2)?,
        version: row.try_get(3)?,
        body: row.try_get(4)?,
    })
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}
