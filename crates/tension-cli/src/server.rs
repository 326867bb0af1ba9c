//! `tension serve` and the admin commands of the team server: `tension user ...` and
//! `tension workspace ...`, which work on the database directly.

use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use tension_server::{AppState, Change, Role, Store, canonical_file_of, objects_of};

/// The database when --db is not given: SQLite in the current folder.
pub(crate) const DEFAULT_DB: &str = "sqlite://tension.db";

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input (one line), never from the
    /// command line.
    Add {
        name: String,
        /// Make the user a member of this workspace...
        #[arg(long, value_name = "SLUG", requires = "role")]
        workspace: Option<String>,
        /// ...with this role: business, technical, viewer or admin.
        #[arg(long, value_parser = parse_role, requires = "workspace")]
        role: Option<Role>,
    },
    /// Print a new API token for a user, for scripts (`Authorization: Bearer TOKEN`); only
    /// its hash is stored.
    Token {
        name: String,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum WorkspaceCommand {
    /// Create an empty workspace.
    Create {
        slug: String,
        /// Its display name [default: the slug].
        #[arg(long)]
        name: Option<String>,
        /// Make this user its admin.
        #[arg(long, value_name = "USER")]
        admin: Option<String>,
    },
    /// Set a user's role in a workspace: business, technical, viewer or admin.
    Member {
        slug: String,
        user: String,
        #[arg(value_parser = parse_role)]
        role: Role,
    },
    /// Replace a workspace's scenario with a scenario file (checked as `tension check` does).
    Import {
        slug: String,
        file: std::path::PathBuf,
    },
    /// Print a workspace's scenario as a scenario file.
    Export { slug: String },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text)
        .ok_or_else(|| format!("`{text}` is not a role; use business, technical, viewer or admin"))
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

async fn connect(db: &str) -> Result<Store> {
    Store::connect(db)
        .await
        .with_context(|| format!("cannot open the database {db}"))
}

/// `tension serve`.
pub(crate) fn serve(addr: SocketAddr, db: &str, secure_cookies: bool) -> Result<bool> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second subscriber (as in tests that serve twice) is not an error worth stopping for.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
    runtime()?.block_on(async {
        let store = connect(db).await?;
        tension_server::serve(
            addr,
            AppState {
                store,
                secure_cookies,
            },
        )
        .await
        .with_context(|| format!("cannot serve on {addr}"))
    })?;
    Ok(true)
}

/// `tension user ...`.
pub(crate) fn user(
    command: UserCommand,
    db: &str,
    stdin: &mut impl BufRead,
    out: &mut impl Write,
) -> Result<bool> {
    runtime()?.block_on(async {
        let store = connect(db).await?;
        match command {
            UserCommand::Add {
                name,
                workspace,
                role,
            } => {
                if store.user_by_name(&name).await?.is_some() {
                    bail!("a user `{name}` exists already");
                }
                let mut password = String::new();
                stdin
                    .read_line(&mut password)
                    .context("cannot read the password from standard input")?;
                let password = password.trim_end_matches(['\n', '\r']);
                if password.chars().count() < 12 {
                    bail!("the password must have at least 12 characters; give it on standard input, e.g. `tension user add {name} < password.txt`");
                }
                let hash = tension_server::hash_password(password)
                    .map_err(|_| anyhow::anyhow!("cannot hash this password"))?;
                let id = store.create_user(&name, &hash).await?;
                writeln!(out, "created user {name}")?;
                if let (Some(slug), Some(role)) = (workspace, role) {
                    let workspace = store
                        .workspace(&slug)
                        .await?
                        .with_context(|| format!("there is no workspace `{slug}`"))?;
                    store.set_member(workspace.id, id, role).await?;
                    writeln!(out, "{name} is {} in {slug}", role.name())?;
                }
            }
            UserCommand::Token { name, label } => {
                let user = store
                    .user_by_name(&name)
                    .await?
                    .with_context(|| format!("there is no user `{name}`"))?;
                let token = tension_server::new_token("tnt_")
                    .map_err(|_| anyhow::anyhow!("the system has no randomness to offer"))?;
                store
                    .create_token(&tension_server::token_hash(&token), user.id, &label)
                    .await?;
                writeln!(out, "{token}")?;
            }
        }
        store.close().await;
        Ok(true)
    })
}

/// `tension workspace ...`.
pub(crate) fn workspace(
    command: WorkspaceCommand,
    db: &str,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<bool> {
    runtime()?.block_on(async {
        let store = connect(db).await?;
        let find = |slug: String| {
            let store = store.clone();
            async move {
                store
                    .workspace(&slug)
                    .await?
                    .with_context(|| format!("there is no workspace `{slug}`; create it with `tension workspace create {slug}`"))
            }
        };
        let ok = match command {
            WorkspaceCommand::Create { slug, name, admin } => {
                if !tension_server::valid_slug(&slug) {
                    bail!("a workspace slug is 1 to 64 lowercase letters, digits and dashes, such as `checkout-2027`");
                }
                if store.workspace(&slug).await?.is_some() {
                    bail!("a workspace `{slug}` exists already");
                }
                let id = store
                    .create_workspace(&slug, name.as_deref().unwrap_or(&slug))
                    .await?;
                if let Some(admin) = admin {
                    let user = store
                        .user_by_name(&admin)
                        .await?
                        .with_context(|| format!("there is no user `{admin}`"))?;
                    store.set_member(id, user.id, Role::Admin).await?;
                }
                writeln!(out, "created workspace {slug}")?;
                true
            }
            WorkspaceCommand::Member { slug, user, role } => {
                let workspace = find(slug.clone()).await?;
                let found = store
                    .user_by_name(&user)
                    .await?
                    .with_context(|| format!("there is no user `{user}`; create it with `tension user add {user}`"))?;
                store.set_member(workspace.id, found.id, role).await?;
                writeln!(out, "{user} is {} in {slug}", role.name())?;
                true
            }
            WorkspaceCommand::Import { slug, file } => {
                let workspace = find(slug.clone()).await?;
                import(&store, workspace.id, &file, out, err).await?
            }
            WorkspaceCommand::Export { slug } => {
                let workspace = find(slug.clone()).await?;
                let objects = store.objects(workspace.id).await?;
                if objects.is_empty() {
                    bail!("workspace `{slug}` has no scenario yet; import one with `tension workspace import {slug} FILE`");
                }
                write!(out, "{}", canonical_file_of(&objects))?;
                true
            }
        };
        store.close().await;
        Ok(ok)
    })
}

async fn import(
    store: &Store,
    workspace_id: i64,
    file: &Path,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<bool> {
    let checked = crate::read_scenario(file, &tension_scenario::Options::default())?;
    if checked.has_errors() {
        write!(
            err,
            "{}",
            checked.render(tension_scenario::Style::default())
        )?;
        writeln!(
            err,
            "{}: fix these errors first; nothing was imported",
            file.display()
        )?;
        return Ok(false);
    }
    let Some(scenario) = checked.scenario else {
        return Ok(false);
    };
    let change = Change {
        field: "*".to_owned(),
        old_value: None,
        new_value: Some(format!("imported {} from the command line", file.display())),
    };
    store
        .replace_objects(
            workspace_id,
            &objects_of(&scenario),
            "tension workspace import",
            &change,
        )
        .await?;
    writeln!(
        out,
        "imported {}: {} items, {} quantities, {} reviews, {} objections",
        file.display(),
        scenario.items.len(),
        scenario.quantities.len(),
        scenario.reviews.len(),
        scenario.objections.len()
    )?;
    Ok(true)
}
