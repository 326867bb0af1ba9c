//! The whole API through `app(state)`, without a socket: on SQLite always, and on PostgreSQL
//! when `TENSION_TEST_POSTGRES_URL` is set (each test in a database of its own).

mod api;
mod browser;
mod pushback;
mod security;
mod web;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tension_server::{AppState, Role, Store, app, hash_password, token_hash};
use tower::ServiceExt;

/// A server with a workspace `checkout` holding `examples/checkout.toml`, and users with API
/// tokens: ada (admin), bea (business), ted (technical), vic (viewer) in it, and eve, the admin
/// of another workspace.
pub(crate) struct Harness {
    pub app: Router,
    pub store: Store,
    _dir: tempfile::TempDir,
}

pub(crate) const USERS: [(&str, Option<Role>); 5] = [
    ("ada", Some(Role::Admin)),
    ("bea", Some(Role::Business)),
    ("ted", Some(Role::Technical)),
    ("vic", Some(Role::Viewer)),
    ("eve", None),
];

pub(crate) fn token(user: &str) -> String {
    format!("tnt_test_token_of_{user}")
}

pub(crate) fn password(user: &str) -> String {
    format!("correct horse battery {user}")
}

/// The backends to run on: SQLite, and PostgreSQL when the environment names one.
pub(crate) fn backends() -> Vec<&'static str> {
    let mut backends = vec!["sqlite"];
    if std::env::var("TENSION_TEST_POSTGRES_URL").is_ok() {
        backends.push("postgres");
    } else {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("PostgreSQL tests skipped: TENSION_TEST_POSTGRES_URL is not set");
            }
        });
    }
    backends
}

async fn store_for(backend: &str, dir: &tempfile::TempDir) -> Store {
    match backend {
        "postgres" => {
            let admin_url = std::env::var("TENSION_TEST_POSTGRES_URL").expect("set");
            let name = format!(
                "tension_test_{}",
                tension_server::new_token("").expect("random")[..16].to_owned()
            );
            sqlx::any::install_default_drivers();
            let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
                .await
                .expect("the PostgreSQL server answers");
            sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("a test database can be created");
            let base = admin_url
                .rsplit_once('/')
                .map_or(admin_url.as_str(), |(base, _)| base);
            Store::connect(&format!("{base}/{name}"))
                .await
                .expect("connects")
        }
        _ => {
            let path = dir.path().join("tension.db");
            Store::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("SQLite opens")
        }
    }
}

impl Harness {
    pub(crate) async fn new(backend: &str) -> Harness {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = store_for(backend, &dir).await;
        let checkout = store
            .create_workspace("checkout", "Checkout")
            .await
            .expect("created");
        let other = store
            .create_workspace("other", "Other")
            .await
            .expect("created");
        for (name, role) in USERS {
            let id = store
                .create_user(name, &hash_password(&password(name)).expect("hashes"))
                .await
                .expect("created");
            store
                .create_token(&token_hash(&token(name)), id, "test")
                .await
                .expect("created");
            match role {
                Some(role) => store.set_member(checkout, id, role).await.expect("member"),
                None => store
                    .set_member(other, id, Role::Admin)
                    .await
                    .expect("member"),
            }
        }
        let harness = Harness {
            app: app(AppState {
                store: store.clone(),
                secure_cookies: false,
            }),
            store,
            _dir: dir,
        };
        let file = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/checkout.toml"),
        )
        .expect("the example exists");
        let (status, body) = harness
            .send(
                Method::PUT,
                "/api/v1/workspaces/checkout/scenario",
                Some("ada"),
                Body::from(file),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        harness
    }

    /// Sends a request with `user`'s API token, returning the status and the body (JSON when
    /// it is JSON, else a string).
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        user: Option<&str>,
        body: Body,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(user) = user {
            request = request.header(header::AUTHORIZATION, format!("Bearer {}", token(user)));
        }
        let request = request
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .expect("a request");
        self.raw(request).await
    }

    pub(crate) async fn raw(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.app.clone().oneshot(request).await.expect("an answer");
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    pub(crate) async fn json(
        &self,
        method: Method,
        path: &str,
        user: &str,
        body: &Value,
    ) -> (StatusCode, Value) {
        self.send(method, path, Some(user), Body::from(body.to_string()))
            .await
    }

    pub(crate) async fn get(&self, path: &str, user: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, Some(user), Body::empty())
            .await
    }

    /// The current version of an item.
    pub(crate) async fn version(&self, id: &str) -> i64 {
        let (status, item) = self
            .get(&format!("/api/v1/workspaces/checkout/items/{id}"), "ada")
            .await;
        assert_eq!(status, StatusCode::OK, "{item}");
        item["version"].as_i64().expect("a version")
    }

    /// Patches fields of an item at its current version.
    pub(crate) async fn patch(&self, id: &str, user: &str, fields: Value) -> (StatusCode, Value) {
        let version = self.version(id).await;
        self.json(
            Method::PATCH,
            &format!("/api/v1/workspaces/checkout/items/{id}"),
            user,
            &serde_json::json!({ "version": version, "fields": fields }),
        )
        .await
    }
}
