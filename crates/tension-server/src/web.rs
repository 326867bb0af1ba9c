//! The web interface: server-rendered pages (askama), no JavaScript. Sign in, the workspaces,
//! the item table with both views side by side, an item page with the fields the role may edit
//! and its history, import and export. Every form that changes something carries the session's
//! CSRF token; the edits go through the same code as the API.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::{Map, Value};

use crate::AppState;
use crate::api::{edit_item, import_file, membership, sign_in};
use crate::auth::{Caller, live_session, session_token_in, token_hash};
use crate::document::canonical_file_of;
use crate::error::ApiError;
use crate::roles::{Role, may_edit_item};
use crate::store::{Object, WorkspaceRecord};

/// The session of a page request: the caller and the CSRF token its forms carry.
pub(crate) async fn session(state: &AppState, headers: &HeaderMap) -> Option<(Caller, String)> {
    let token = session_token_in(headers)?;
    live_session(state, &token).await.ok()
}

pub(crate) fn page(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page cannot be drawn",
        )
            .into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    heading: String,
    message: String,
}

/// A refusal or a failure as a page, with the status the API would answer and its message, for
/// a person in a browser rather than a program reading JSON.
pub(crate) fn error_page(error: ApiError) -> Response {
    let heading = match error.status.canonical_reason() {
        Some(reason) => format!("{} {reason}", error.status.as_u16()),
        None => error.status.as_u16().to_string(),
    };
    let mut response = page(&ErrorPage {
        heading,
        message: error_text(&error),
    });
    if response.status() == StatusCode::OK {
        *response.status_mut() = error.status;
    }
    response
}

pub(crate) fn to_login() -> Response {
    Redirect::to("/login").into_response()
}

/// The session of a form post, whose CSRF token must be the session's: otherwise the page to
/// answer with (the sign-in page, or 403).
pub(crate) async fn form_session(
    state: &AppState,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<(Caller, String), Response> {
    let Some((caller, csrf)) = session(state, headers).await else {
        return Err(to_login());
    };
    if form.get("csrf").is_none_or(|sent| *sent != csrf) {
        return Err(error_page(ApiError::forbidden(
            "this form is out of date or did not come from this site: reload the page and try again",
        )));
    }
    Ok((caller, csrf))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    error: Option<String>,
}

pub(crate) async fn login_page() -> Response {
    page(&LoginPage { error: None })
}

pub(crate) async fn login_form(
    State(state): State<AppState>,
    peer: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let name = form.get("name").cloned().unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let ip = peer.map_or_else(
        || "unknown".to_owned(),
        |axum::Extension(axum::extract::ConnectInfo(addr))| addr.ip().to_string(),
    );
    match sign_in(&state, &ip, &name, &password).await {
        Ok((cookie, _)) => {
            let mut response = Redirect::to("/").into_response();
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Err(error) => {
            let message = error.body["error"]
                .as_str()
                .unwrap_or("cannot sign in")
                .to_owned();
            let mut response = page(&LoginPage {
                error: Some(message),
            });
            *response.status_mut() = error.status;
            response
        }
    }
}

pub(crate) async fn logout_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(response) = form_session(&state, &headers, &form).await {
        return response;
    }
    if let Some(token) = session_token_in(&headers) {
        let _ = state.store.delete_session(&token_hash(&token)).await;
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("tension_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    response
}

struct WorkspaceRow {
    slug: String,
    name: String,
    role: &'static str,
}

#[derive(Template)]
#[template(path = "workspaces.html")]
struct WorkspacesPage {
    user: String,
    csrf: String,
    workspaces: Vec<WorkspaceRow>,
}

pub(crate) async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some((caller, csrf)) = session(&state, &headers).await else {
        return to_login();
    };
    let workspaces = match state.store.workspaces_of(caller.user_id).await {
        Ok(list) => list
            .into_iter()
            .map(|(w, role)| WorkspaceRow {
                slug: w.slug,
                name: w.name,
                role: role.name(),
            })
            .collect(),
        Err(error) => return error_page(ApiError::from(error)),
    };
    page(&WorkspacesPage {
        user: caller.name,
        csrf,
        workspaces,
    })
}

/// A field's value as text: an estimate or number as written; a table in JSON.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(sides))
            if sides.contains_key("business") || sides.contains_key("technical") =>
        {
            ["technical", "business"]
                .iter()
                .filter_map(|side| {
                    sides
                        .get(*side)
                        .map(|v| format!("{side}: {}", cell(Some(v))))
                })
                .collect::<Vec<_>>()
                .join(" · ")
        }
        Some(Value::Object(table)) => table.get("value").map_or_else(
            || Value::Object(table.clone()).to_string(),
            |v| cell(Some(v)),
        ),
        Some(other) => other.to_string(),
    }
}

struct ItemRow {
    id: String,
    title: String,
    value: String,
    value_once: String,
    target: String,
    effort: String,
    health: String,
    risk: String,
    max_people: String,
}

#[derive(Template)]
#[template(path = "items.html")]
struct ItemsPage {
    user: String,
    csrf: String,
    slug: String,
    name: String,
    role: String,
    message: Option<(String, String)>,
    items: Vec<ItemRow>,
}

/// A page's workspace, the caller's role in it and its objects; otherwise the answer to give.
pub(crate) async fn workspace_objects(
    state: &AppState,
    caller: &Caller,
    slug: &str,
) -> Result<(WorkspaceRecord, Role, Vec<Object>), Response> {
    let (workspace, role) = membership(state, caller, slug).await.map_err(error_page)?;
    let objects = state
        .store
        .objects(workspace.id)
        .await
        .map_err(|error| error_page(ApiError::from(error)))?;
    Ok((workspace, role, objects))
}

async fn items_page(
    state: &AppState,
    caller: Caller,
    csrf: String,
    slug: &str,
    message: Option<(String, String)>,
) -> Response {
    let (workspace, role, objects) = match workspace_objects(state, &caller, slug).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let items = objects
        .iter()
        .filter(|o| o.kind == "item")
        .map(|o| {
            let fields: Map<String, Value> = serde_json::from_str(&o.body).unwrap_or_default();
            ItemRow {
                id: o.key.clone(),
                title: cell(fields.get("title")),
                value: cell(fields.get("value")),
                value_once: cell(fields.get("value_once")),
                target: cell(fields.get("target")),
                effort: cell(fields.get("effort")),
                health: cell(fields.get("health")),
                risk: cell(fields.get("risk")),
                max_people: cell(fields.get("max_people")),
            }
        })
        .collect();
    page(&ItemsPage {
        user: caller.name,
        csrf,
        slug: workspace.slug,
        name: workspace.name,
        role: role.name().to_owned(),
        message,
        items,
    })
}

pub(crate) async fn items(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    let Some((caller, csrf)) = session(&state, &headers).await else {
        return to_login();
    };
    items_page(&state, caller, csrf, &slug, None).await
}

pub(crate) async fn import_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (caller, csrf) = match form_session(&state, &headers, &form).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let text = form.get("scenario").cloned().unwrap_or_default();
    let message = match import_file(&state, &caller, &slug, &text).await {
        Ok(counts) => ("ok".to_owned(), format!("imported: {counts}")),
        Err(error) => ("error".to_owned(), error_text(&error)),
    };
    items_page(&state, caller, csrf, &slug, Some(message)).await
}

pub(crate) async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    let Some((caller, _)) = session(&state, &headers).await else {
        return to_login();
    };
    let (workspace, _) = match membership(&state, &caller, &slug).await {
        Ok(found) => found,
        Err(error) => return error_page(error),
    };
    match state.store.objects(workspace.id).await {
        Ok(objects) if !objects.is_empty() => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/toml; charset=utf-8".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{slug}.toml\""),
                ),
            ],
            canonical_file_of(&objects),
        )
            .into_response(),
        Ok(_) => error_page(ApiError::new(
            StatusCode::NOT_FOUND,
            "this workspace has no scenario yet: import one first",
        )),
        Err(error) => error_page(ApiError::from(error)),
    }
}

/// The text of an API error for a page: its message, or the rendered diagnostics.
pub(crate) fn error_text(error: &ApiError) -> String {
    error.body["rendered"]
        .as_str()
        .or_else(|| error.body["error"].as_str())
        .unwrap_or("the change was refused")
        .to_owned()
}

struct FieldRow {
    name: &'static str,
    class: &'static str,
    value: String,
    editable: bool,
    note: Option<String>,
}

struct HistoryRow {
    at: String,
    user: String,
    field: String,
    old: String,
    new: String,
}

#[derive(Template)]
#[template(path = "item.html")]
struct ItemPage {
    user: String,
    csrf: String,
    slug: String,
    workspace: String,
    id: String,
    title: String,
    version: i64,
    message: Option<(String, String)>,
    sides: Vec<(&'static str, Vec<FieldRow>)>,
    history: Vec<HistoryRow>,
}

/// The fields of the item page: shared first, then each side's.
const PAGE_FIELDS: [(&str, &str); 3] = [
    ("The item", "title description"),
    ("Business view", "value value_once target"),
    ("Technical view", "effort health risk max_people"),
];

async fn item_page(
    state: &AppState,
    caller: Caller,
    csrf: String,
    slug: &str,
    id: &str,
    message: Option<(String, String)>,
) -> Response {
    let (workspace, role) = match membership(state, &caller, slug).await {
        Ok(found) => found,
        Err(error) => return error_page(error),
    };
    let object = match state.store.object(workspace.id, "item", id).await {
        Ok(Some(object)) => object,
        Ok(None) => return error_page(ApiError::not_found()),
        Err(error) => return error_page(ApiError::from(error)),
    };
    let fields: Map<String, Value> = serde_json::from_str(&object.body).unwrap_or_default();
    let sides = PAGE_FIELDS
        .iter()
        .enumerate()
        .map(|(n, (heading, names))| {
            let class = ["", "business", "technical"][n];
            let rows = names
                .split(' ')
                .map(|name| {
                    let name: &'static str = match name {
                        "title" => "title",
                        "description" => "description",
                        "value" => "value",
                        "value_once" => "value_once",
                        "target" => "target",
                        "effort" => "effort",
                        "health" => "health",
                        "risk" => "risk",
                        _ => "max_people",
                    };
                    let value = fields.get(name);
                    let structured = matches!(value, Some(Value::Object(_)));
                    FieldRow {
                        name,
                        class,
                        value: cell(value),
                        editable: !structured && may_edit_item(role, name, None).is_ok(),
                        note: structured.then(|| {
                            "both sides' estimates or evidence: edit them through the API"
                                .to_owned()
                        }),
                    }
                })
                .collect();
            (*heading, rows)
        })
        .collect::<Vec<_>>();
    let history = match state.store.audit(workspace.id, Some(("item", id))).await {
        Ok(entries) => entries
            .into_iter()
            .map(|e| HistoryRow {
                at: jiff::Timestamp::from_millisecond(e.at)
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                user: e.user_name,
                field: e.field,
                old: e.old_value.unwrap_or_default(),
                new: e.new_value.unwrap_or_default(),
            })
            .collect(),
        Err(error) => return error_page(ApiError::from(error)),
    };
    page(&ItemPage {
        user: caller.name,
        csrf,
        slug: workspace.slug,
        workspace: workspace.name,
        id: object.key,
        title: cell(fields.get("title")),
        version: object.version,
        message,
        sides,
        history,
    })
}

pub(crate) async fn item(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, String)>,
) -> Response {
    let Some((caller, csrf)) = session(&state, &headers).await else {
        return to_login();
    };
    item_page(&state, caller, csrf, &slug, &id, None).await
}

/// A form value as JSON: a number when it reads as one (health, max_people), else text.
fn form_value(text: &str) -> Value {
    let text = text.trim();
    if text.is_empty() {
        return Value::Null;
    }
    if let Ok(n) = text.parse::<i64>() {
        return Value::from(n);
    }
    if let Ok(x) = text.parse::<f64>()
        && x.is_finite()
    {
        return Value::from(x);
    }
    Value::String(text.to_owned())
}

pub(crate) async fn item_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let (caller, csrf) = match form_session(&state, &headers, &form).await {
        Ok(session) => session,
        Err(response) => return response,
    };
    let Some(version) = form.get("version").and_then(|v| v.parse::<i64>().ok()) else {
        return error_page(ApiError::bad_request(
            "the form has no version: reload the item's page and try again",
        ));
    };
    let current: Map<String, Value> = match membership(&state, &caller, &slug).await {
        Ok((workspace, _)) => match state.store.object(workspace.id, "item", &id).await {
            Ok(Some(object)) => serde_json::from_str(&object.body).unwrap_or_default(),
            Ok(None) => return error_page(ApiError::not_found()),
            Err(error) => return error_page(ApiError::from(error)),
        },
        Err(error) => return error_page(error),
    };
    // Only the fields whose text changed: the others may not be the caller's to send.
    let mut changes = Map::new();
    for (key, text) in &form {
        let Some(name) = key.strip_prefix("f-") else {
            continue;
        };
        if cell(current.get(name)) != text.trim() {
            changes.insert(name.to_owned(), form_value(text));
        }
    }
    let message = if changes.is_empty() {
        ("ok".to_owned(), "nothing changed".to_owned())
    } else {
        match edit_item(&state, &caller, &slug, &id, version, changes).await {
            Ok(_) => ("ok".to_owned(), "saved".to_owned()),
            Err(error) => ("error".to_owned(), error_text(&error)),
        }
    };
    item_page(&state, caller, csrf, &slug, &id, Some(message)).await
}
