//! The team server: workspaces holding one scenario each, edited by both sides under their
//! roles, with a version on every object, an append-only audit log and a JSON API.
//!
//! [`app`] builds the whole HTTP application over an [`AppState`], so that tests drive it
//! without a socket; [`serve`] binds it and shuts down gracefully on SIGINT or SIGTERM.
//!
//! - `store.rs`: SQLite or PostgreSQL through one [`Store`], migrations per backend.
//! - `document.rs`: a scenario file as stored objects and back; every edit is checked by
//!   reading the whole file it makes, so the server accepts what `tension check` accepts.
//! - `roles.rs`: who may edit which field.
//! - `auth.rs`: sessions with CSRF tokens, API tokens, Argon2 passwords.
//! - `web.rs` and `templates/`: the web pages (askama, no JavaScript).
//! - `api.rs`: the handlers under `/api/v1`; `engines.rs`: forecast, plan and explain on a
//!   workspace, with the command line's JSON (`tension-report`).

mod api;
mod auth;
mod document;
mod engines;
mod error;
mod meeting;
mod pushback;
mod recent;
mod roles;
mod store;
mod svg;
mod web;

use std::net::SocketAddr;

use axum::Router;
use axum::routing::{get, patch, post, put};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

pub use api::valid_slug;
pub use auth::{CSRF_HEADER, SESSION_COOKIE, hash_password, new_token, token_hash};
pub use document::{FILE_NAME, canonical_file_of, check, file_of, objects_of};
pub use engines::{MAX_POINTS, MAX_TRIALS};
pub use error::ApiError;
pub use roles::{
    Forbidden, OWNED_ITEM_FIELDS, Role, SHARED_ITEM_FIELDS, may_edit_item, may_edit_review,
};
pub use store::{
    Acceptance, AuditEntry, Backend, Change, DecisionRow, Object, SignOffRow, Signed, Store,
    StoreError,
};

/// At most this many failed sign-ins per address within [`LOGIN_WINDOW_MILLIS`].
pub const MAX_LOGIN_FAILURES: i64 = 10;
/// Fifteen minutes.
pub const LOGIN_WINDOW_MILLIS: i64 = 15 * 60 * 1000;

/// The OpenAPI document of the API, generated from the handlers' annotations.
#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "tension team server",
        description = "Workspaces of scenarios with both sides' views, accounts and roles, versions, an audit log, and the engines. Authenticate with a session cookie from POST /api/v1/login (and its CSRF token in `x-csrf-token` on changes) or with `Authorization: Bearer TOKEN`."
    ),
    paths(
        api::healthz,
        api::login,
        api::logout,
        api::create_token,
        api::workspaces,
        api::create_workspace,
        api::workspace,
        api::set_member,
        api::export,
        api::import,
        api::items,
        api::create_item,
        api::item,
        api::patch_item,
        api::item_history,
        api::audit,
        api::reviews,
        api::patch_review,
        api::objections,
        api::raise_objection,
        pushback::post_move,
        pushback::post_review_move,
        pushback::decisions,
        pushback::post_decision,
        pushback::decision,
        pushback::post_signoff,
        pushback::decision_record,
        engines::forecast,
        engines::plan,
        engines::explain,
    ),
    components(schemas(
        api::Login,
        api::NewToken,
        api::NewWorkspace,
        api::Member,
        api::Patch,
        api::NewItem,
        pushback::Move,
        pushback::ReviewMove,
        pushback::Proposal
    ))
)]
pub struct ApiDoc;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    /// Mark the session cookie `Secure` (behind TLS).
    pub secure_cookies: bool,
}

/// The HTTP application.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/login", post(api::login))
        .route("/logout", post(api::logout))
        .route("/tokens", post(api::create_token))
        .route(
            "/workspaces",
            get(api::workspaces).post(api::create_workspace),
        )
        .route("/workspaces/{ws}", get(api::workspace))
        .route("/workspaces/{ws}/members/{user}", put(api::set_member))
        .route(
            "/workspaces/{ws}/scenario",
            get(api::export).put(api::import),
        )
        .route(
            "/workspaces/{ws}/items",
            get(api::items).post(api::create_item),
        )
        .route(
            "/workspaces/{ws}/items/{id}",
            get(api::item).patch(api::patch_item),
        )
        .route(
            "/workspaces/{ws}/items/{id}/history",
            get(api::item_history),
        )
        .route("/workspaces/{ws}/audit", get(api::audit))
        .route("/workspaces/{ws}/reviews", get(api::reviews))
        .route("/workspaces/{ws}/reviews/{id}", patch(api::patch_review))
        .route(
            "/workspaces/{ws}/objections",
            get(api::objections).post(api::raise_objection),
        )
        .route(
            "/workspaces/{ws}/reviews/{id}/moves",
            post(pushback::post_review_move),
        )
        .route(
            "/workspaces/{ws}/objections/{id}/moves",
            post(pushback::post_move),
        )
        .route(
            "/workspaces/{ws}/decisions",
            get(pushback::decisions).post(pushback::post_decision),
        )
        .route("/workspaces/{ws}/decisions/{n}", get(pushback::decision))
        .route(
            "/workspaces/{ws}/decisions/{n}/signoffs",
            post(pushback::post_signoff),
        )
        .route(
            "/workspaces/{ws}/decisions/{n}/record",
            get(pushback::decision_record),
        )
        .route("/workspaces/{ws}/forecast", get(engines::forecast))
        .route("/workspaces/{ws}/plan", get(engines::plan))
        .route("/workspaces/{ws}/explain", get(engines::explain))
        .route("/openapi.json", get(openapi));
    let pages = Router::new()
        .route("/", get(web::home))
        .route("/login", get(web::login_page).post(web::login_form))
        .route("/logout", post(web::logout_form))
        .route("/w/{ws}", get(web::items))
        .route("/w/{ws}/import", post(web::import_form))
        .route("/w/{ws}/export", get(web::export))
        .route("/w/{ws}/meeting", get(meeting::meeting))
        .route("/w/{ws}/meeting/objections", post(meeting::raise_form))
        .route("/w/{ws}/meeting/objections/{id}", post(meeting::move_form))
        .route("/w/{ws}/meeting/reviews/{id}", post(meeting::review_form))
        .route("/w/{ws}/meeting/decisions", post(meeting::propose_form))
        .route(
            "/w/{ws}/meeting/decisions/{n}/sign",
            post(meeting::sign_form),
        )
        .route("/w/{ws}/decisions/{n}", get(meeting::record))
        .route("/w/{ws}/items/{id}", get(web::item).post(web::item_form));
    Router::new()
        .route("/healthz", get(api::healthz))
        .merge(pages)
        .nest("/api/v1", api)
        .fallback(api::fallback)
        .with_state(state)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), uri = %request.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// `GET /api/v1/openapi.json`.
async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// Serves the application on `addr` until SIGINT or SIGTERM, then finishes the requests in
/// flight and closes the database.
pub async fn serve(addr: SocketAddr, state: AppState) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "listening");
    let store = state.store.clone();
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
    store.close().await;
    Ok(())
}

async fn shutdown() {
    let interrupt = async {
        // Without a handler there is nothing to wait for but the other signal.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
