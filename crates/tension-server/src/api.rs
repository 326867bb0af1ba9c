//! The JSON API under `/api/v1`.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, extract::Request};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tension_model::Side;
use utoipa::ToSchema;

use crate::auth::{
    Caller, SESSION_COOKIE, SESSION_MILLIS, new_token, session_token, token_hash, verify_password,
};
use crate::document::{FILE_NAME, canonical_file_of, check, file_of, objects_of};
use crate::error::{ApiError, ApiJson};
use crate::roles::{OWNED_ITEM_FIELDS, Role, SHARED_ITEM_FIELDS, may_edit_item, may_edit_review};
use crate::store::{Change, Object, Updated, WorkspaceRecord, now};
use crate::{AppState, LOGIN_WINDOW_MILLIS, MAX_LOGIN_FAILURES};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct Login {
    name: String,
    password: String,
}

/// `POST /api/v1/login`: a session cookie and its CSRF token.
#[utoipa::path(post, path = "/api/v1/login", tag = "accounts", request_body = Login,
    responses((status = 200, description = "signed in: a session cookie, and `{user, csrf}`; send `csrf` as `x-csrf-token` with every change"),
        (status = 401, description = "wrong name or password"), (status = 429, description = "too many failed sign-ins from this address")))]
pub(crate) async fn login(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    ApiJson(login): ApiJson<Login>,
) -> ApiResult<Response> {
    let ip = peer.map_or_else(
        || "unknown".to_owned(),
        |Extension(ConnectInfo(addr))| addr.ip().to_string(),
    );
    let (cookie, signed_in) = sign_in(&state, &ip, &login.name, &login.password).await?;
    let mut response = Json(signed_in).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|_| ApiError::bad_request("bad cookie"))?,
    );
    Ok(response)
}

/// Checks a password, with the per-address limit on failures, and opens a session: the
/// `Set-Cookie` value and `{user, csrf}`.
pub(crate) async fn sign_in(
    state: &AppState,
    ip: &str,
    name: &str,
    password: &str,
) -> ApiResult<(String, Value)> {
    let since = now() - LOGIN_WINDOW_MILLIS;
    if state.store.login_failures_since(ip, since).await? >= MAX_LOGIN_FAILURES {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many failed sign-ins from this address; wait 15 minutes",
        ));
    }
    let user = state.store.user_by_name(name).await?;
    let Some(user) = user.filter(|user| verify_password(password, &user.password_hash)) else {
        state.store.record_login_failure(ip).await?;
        return Err(ApiError::unauthorized("wrong name or password"));
    };
    let token = new_token("tss_")?;
    let csrf = new_token("csrf_")?;
    state
        .store
        .create_session(&token_hash(&token), user.id, &csrf, now() + SESSION_MILLIS)
        .await?;
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        SESSION_MILLIS / 1000
    );
    Ok((cookie, json!({ "user": user.name, "csrf": csrf })))
}

/// `POST /api/v1/logout`: ends the session.
#[utoipa::path(post, path = "/api/v1/logout", tag = "accounts",
    responses((status = 204, description = "signed out"), (status = 401, description = "not signed in")))]
pub(crate) async fn logout(State(state): State<AppState>, request: Request) -> ApiResult<Response> {
    let (mut parts, _) = request.into_parts();
    let _caller = <Caller as axum::extract::FromRequestParts<AppState>>::from_request_parts(
        &mut parts, &state,
    )
    .await?;
    if let Some(token) = session_token(&parts) {
        state.store.delete_session(&token_hash(&token)).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("tension_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok(response)
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct NewToken {
    name: String,
}

/// `POST /api/v1/tokens`: an API token for scripts, shown once.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", request_body = NewToken,
    responses((status = 201, description = "`{name, token}`: the token is shown once"), (status = 401, description = "not signed in")))]
pub(crate) async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let token = new_token("tnt_")?;
    state
        .store
        .create_token(&token_hash(&token), caller.user_id, &request.name)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "name": request.name, "token": token })),
    ))
}

/// `GET /api/v1/workspaces`: the caller's workspaces and roles.
#[utoipa::path(get, path = "/api/v1/workspaces", tag = "workspaces",
    responses((status = 200, description = "`[{slug, name, role}]`"), (status = 401, description = "not signed in")))]
pub(crate) async fn workspaces(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Value>> {
    let list: Vec<Value> = state
        .store
        .workspaces_of(caller.user_id)
        .await?
        .into_iter()
        .map(|(workspace, role)| {
            json!({ "slug": workspace.slug, "name": workspace.name, "role": role.name() })
        })
        .collect();
    Ok(Json(Value::Array(list)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct NewWorkspace {
    slug: String,
    name: String,
}

/// Whether a slug is lowercase letters, digits and dashes, 1 to 64 of them.
pub fn valid_slug(slug: &str) -> bool {
    (1..=64).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `POST /api/v1/workspaces`: a new, empty workspace; its creator is its admin.
#[utoipa::path(post, path = "/api/v1/workspaces", tag = "workspaces", request_body = NewWorkspace,
    responses((status = 201, description = "created; the caller is its admin"), (status = 409, description = "the slug is taken"), (status = 422, description = "not a slug")))]
pub(crate) async fn create_workspace(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<NewWorkspace>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if !valid_slug(&request.slug) {
        return Err(ApiError::unprocessable(
            "a workspace slug is 1 to 64 lowercase letters, digits and dashes, such as `checkout-2027`",
        ));
    }
    if state.store.workspace(&request.slug).await?.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("a workspace `{}` exists already", request.slug),
        ));
    }
    let id = state
        .store
        .create_workspace(&request.slug, &request.name)
        .await?;
    state
        .store
        .set_member(id, caller.user_id, Role::Admin)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "slug": request.slug, "name": request.name, "role": "admin" })),
    ))
}

/// The workspace and the caller's role in it; 404 for a workspace that does not exist and for
/// one the caller is not a member of, alike.
pub(crate) async fn membership(
    state: &AppState,
    caller: &Caller,
    slug: &str,
) -> ApiResult<(WorkspaceRecord, Role)> {
    let Some(workspace) = state.store.workspace(slug).await? else {
        return Err(ApiError::not_found());
    };
    match state.store.role(workspace.id, caller.user_id).await? {
        Some(role) => Ok((workspace, role)),
        None => Err(ApiError::not_found()),
    }
}

/// `GET /api/v1/workspaces/{ws}`.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}", tag = "workspaces", params(("ws" = String, Path, description = "workspace slug")),
    responses((status = 200, description = "`{slug, name, role}`"), (status = 404, description = "no such workspace, or not a member")))]
pub(crate) async fn workspace(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<Json<Value>> {
    let (workspace, role) = membership(&state, &caller, &slug).await?;
    Ok(Json(
        json!({ "slug": workspace.slug, "name": workspace.name, "role": role.name() }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct Member {
    role: String,
}

/// `PUT /api/v1/workspaces/{ws}/members/{user}`: sets a member's role (admins only).
#[utoipa::path(put, path = "/api/v1/workspaces/{ws}/members/{user}", tag = "workspaces", request_body = Member,
    params(("ws" = String, Path, description = "workspace slug"), ("user" = String, Path, description = "user name")),
    responses((status = 200, description = "`{user, role}`"), (status = 403, description = "not an admin of the workspace"), (status = 404, description = "no such workspace, or not a member"), (status = 422, description = "no such user or role")))]
pub(crate) async fn set_member(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, user)): Path<(String, String)>,
    ApiJson(request): ApiJson<Member>,
) -> ApiResult<Json<Value>> {
    let (workspace, role) = membership(&state, &caller, &slug).await?;
    if role != Role::Admin {
        return Err(ApiError::forbidden(
            "only a workspace's admins manage its members",
        ));
    }
    let Some(new_role) = Role::parse(&request.role) else {
        return Err(ApiError::unprocessable(
            "a role is one of `business`, `technical`, `viewer`, `admin`",
        ));
    };
    let Some(user) = state.store.user_by_name(&user).await? else {
        return Err(ApiError::unprocessable(format!(
            "there is no user `{user}`; create it with `tension user add`"
        )));
    };
    state
        .store
        .set_member(workspace.id, user.id, new_role)
        .await?;
    Ok(Json(json!({ "user": user.name, "role": new_role.name() })))
}

/// `GET /api/v1/workspaces/{ws}/scenario`: the workspace as a scenario file.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/scenario", tag = "scenario", params(("ws" = String, Path, description = "workspace slug")),
    responses((status = 200, description = "the scenario file (TOML)", content_type = "application/toml"), (status = 404, description = "no such workspace, not a member, or no scenario yet")))]
pub(crate) async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    let (workspace, _) = membership(&state, &caller, &slug).await?;
    let objects = state.store.objects(workspace.id).await?;
    if objects.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "this workspace has no scenario yet; import one with PUT .../scenario",
        ));
    }
    let text = canonical_file_of(&objects);
    Ok((
        [(header::CONTENT_TYPE, "application/toml; charset=utf-8")],
        text,
    )
        .into_response())
}

/// `PUT /api/v1/workspaces/{ws}/scenario`: replaces the workspace with a scenario file (admins
/// only); a file with errors is refused with the diagnostics `tension check` gives.
#[utoipa::path(put, path = "/api/v1/workspaces/{ws}/scenario", tag = "scenario", params(("ws" = String, Path, description = "workspace slug")),
    request_body(content = String, content_type = "application/toml", description = "a scenario file"),
    responses((status = 200, description = "imported: counts of items, quantities, reviews, objections"), (status = 403, description = "not an admin"), (status = 404, description = "no such workspace, or not a member"), (status = 422, description = "the file's diagnostics, as `tension check` gives them")))]
pub(crate) async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    body: String,
) -> ApiResult<Json<Value>> {
    let scenario = import_scenario(&state, &caller, &slug, &body).await?;
    Ok(Json(json!({
        "items": scenario.items.len(),
        "quantities": scenario.quantities.len(),
        "reviews": scenario.reviews.len(),
        "objections": scenario.objections.len(),
    })))
}

/// Replaces a workspace's scenario with a file (admins only), for the API and the page: what
/// was imported, in a few words.
pub(crate) async fn import_file(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    text: &str,
) -> ApiResult<String> {
    let scenario = import_scenario(state, caller, slug, text).await?;
    Ok(format!(
        "{} items, {} quantities, {} reviews, {} objections",
        scenario.items.len(),
        scenario.quantities.len(),
        scenario.reviews.len(),
        scenario.objections.len()
    ))
}

async fn import_scenario(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    text: &str,
) -> ApiResult<tension_model::Scenario> {
    let (workspace, role) = membership(state, caller, slug).await?;
    if role != Role::Admin {
        return Err(ApiError::forbidden(
            "importing replaces every item: only a workspace's admins may do it",
        ));
    }
    let scenario = check(FILE_NAME, text).map_err(|invalid| ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: invalid.to_json(),
    })?;
    let objects = objects_of(&scenario);
    let change = Change {
        field: "*".to_owned(),
        old_value: None,
        new_value: Some(format!(
            "imported: {} items, {} quantities, {} reviews, {} objections",
            scenario.items.len(),
            scenario.quantities.len(),
            scenario.reviews.len(),
            scenario.objections.len()
        )),
    };
    state
        .store
        .replace_objects(workspace.id, &objects, &caller.name, &change)
        .await?;
    Ok(scenario)
}

pub(crate) fn object_json(object: &Object) -> Value {
    let fields: Value = serde_json::from_str(&object.body).unwrap_or(Value::Null);
    json!({ "id": object.key, "version": object.version, "fields": fields })
}

/// `GET /api/v1/workspaces/{ws}/items`.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/items", tag = "items", params(("ws" = String, Path, description = "workspace slug")),
    responses((status = 200, description = "`[{id, version, fields}]` in file order"), (status = 404, description = "no such workspace, or not a member")))]
pub(crate) async fn items(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<Json<Value>> {
    list(&state, &caller, &slug, "item").await
}

/// `GET /api/v1/workspaces/{ws}/items/{id}`.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/items/{id}", tag = "items",
    params(("ws" = String, Path, description = "workspace slug"), ("id" = String, Path, description = "item id")),
    responses((status = 200, description = "`{id, version, fields}`"), (status = 404, description = "no such item or workspace, or not a member")))]
pub(crate) async fn item(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let (workspace, _) = membership(&state, &caller, &slug).await?;
    match state.store.object(workspace.id, "item", &id).await? {
        Some(object) => Ok(Json(object_json(&object))),
        None => Err(ApiError::not_found()),
    }
}

/// The estimate of each side in a field's JSON: a `{ business, technical }` table gives both;
/// anything else is the owner's.
fn by_side(field: &str, value: Option<&Value>) -> [(Side, Option<Value>); 2] {
    let owner = tension_model::Item::owner_of(field).unwrap_or(Side::Technical);
    let sided = value
        .and_then(Value::as_object)
        .filter(|o| o.contains_key("business") || o.contains_key("technical"));
    [Side::Business, Side::Technical].map(|side| {
        let estimate = match (sided, value) {
            (Some(sides), _) => sides.get(side.name()).cloned(),
            (None, Some(value)) if side == owner => Some(value.clone()),
            _ => None,
        };
        (side, estimate)
    })
}

/// Checks the caller may make every change from `old` to `new` of an object of `kind`, and
/// lists the changes. Items and reviews follow the ownership rules; objections are raised by
/// either side and change only through their lifecycle (not here).
pub(crate) fn changes_of(
    kind: &str,
    role: Role,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) -> ApiResult<Vec<Change>> {
    let forbid = |forbidden: crate::roles::Forbidden| ApiError::forbidden(forbidden.message(role));
    let mut changes = Vec::new();
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (before, after) = (old.get(key), new.get(key));
        if before == after {
            continue;
        }
        if role == Role::Viewer {
            return Err(ApiError::forbidden(
                "viewers read: the `viewer` role changes nothing",
            ));
        }
        let sided = match kind {
            "item" => OWNED_ITEM_FIELDS.contains(&key.as_str()),
            "review" => key == "lead_time",
            _ => false,
        };
        if sided {
            let (was, is) = (by_side(key, before), by_side(key, after));
            for ((side, was), (_, is)) in was.into_iter().zip(is) {
                if was != is {
                    match kind {
                        "review" => may_edit_review(role, key, Some(side)).map_err(forbid)?,
                        _ => may_edit_item(role, key, Some(side)).map_err(forbid)?,
                    }
                }
            }
        } else if kind == "item" && SHARED_ITEM_FIELDS.contains(&key.as_str()) {
            may_edit_item(role, key, None).map_err(forbid)?;
        } else if kind == "review" {
            may_edit_review(role, key, None).map_err(forbid)?;
        } else if role == Role::Viewer {
            return Err(ApiError::forbidden(
                "viewers read: the `viewer` role changes nothing",
            ));
        }
        changes.push(Change {
            field: key.clone(),
            old_value: before.map(Value::to_string),
            new_value: after.map(Value::to_string),
        });
    }
    Ok(changes)
}

/// The workspace's file with `object` in place of (or after) the stored one, checked.
fn check_with(objects: &[Object], object: Object) -> ApiResult<()> {
    let mut objects = objects.to_vec();
    match objects
        .iter_mut()
        .find(|o| o.kind == object.kind && o.key == object.key)
    {
        Some(slot) => *slot = object,
        None => objects.push(object),
    }
    check(FILE_NAME, &file_of(&objects))
        .map(|_| ())
        .map_err(|invalid| ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: invalid.to_json(),
        })
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct Patch {
    version: i64,
    fields: Map<String, Value>,
}

/// `PATCH /api/v1/workspaces/{ws}/items/{id}`: changes fields (`null` removes one) if the
/// version is current; 403 for a field the caller's role does not own, 409 with the current
/// item for a stale version, 422 with the diagnostics for a change the file format refuses.
#[utoipa::path(patch, path = "/api/v1/workspaces/{ws}/items/{id}", tag = "items", request_body = Patch,
    params(("ws" = String, Path, description = "workspace slug"), ("id" = String, Path, description = "item id")),
    responses((status = 200, description = "the item at its new version"), (status = 403, description = "a field the caller's role does not own; the message names the owner"),
        (status = 404, description = "no such item or workspace, or not a member"), (status = 409, description = "a stale version: `{error, current}`"),
        (status = 422, description = "the change's diagnostics, as `tension check` gives them")))]
pub(crate) async fn patch_item(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(patch): ApiJson<Patch>,
) -> ApiResult<Json<Value>> {
    edit_item(&state, &caller, &slug, &id, patch.version, patch.fields)
        .await
        .map(Json)
}

/// Changes fields of an item at `version`, for the API and the web page alike.
pub(crate) async fn edit_item(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    id: &str,
    version: i64,
    fields: Map<String, Value>,
) -> ApiResult<Value> {
    edit_object(state, caller, slug, "item", id, version, fields).await
}

/// Changes fields of an object of `kind` (`item`, `review`) at `version`.
async fn edit_object(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    kind: &str,
    id: &str,
    version: i64,
    fields: Map<String, Value>,
) -> ApiResult<Value> {
    let id = id.to_owned();
    let (workspace, role) = membership(state, caller, slug).await?;
    if role == Role::Viewer {
        return Err(ApiError::forbidden(
            "viewers read: the `viewer` role changes nothing",
        ));
    }
    let objects = state.store.objects(workspace.id).await?;
    let Some(current) = objects.iter().find(|o| o.kind == kind && o.key == id) else {
        return Err(ApiError::not_found());
    };
    if current.version != version {
        return Err(ApiError {
            status: StatusCode::CONFLICT,
            body: json!({
                "error": format!("{kind} `{id}` changed since version {}: it is at version {}; apply your change to the current {kind}", version, current.version),
                "current": object_json(current),
            }),
        });
    }
    let old: Map<String, Value> = serde_json::from_str(&current.body).unwrap_or_default();
    if kind == "review"
        && let Some(key) = ["status", "requested", "conditions"]
            .into_iter()
            .find(|key| fields.contains_key(*key))
    {
        return Err(ApiError::unprocessable(format!(
            "a review's `{key}` moves through its workflow, with the date recorded: POST .../reviews/{id}/moves with `to`"
        )));
    }
    let mut new = old.clone();
    for (key, value) in fields {
        if key == "id" && value != Value::String(id.clone()) {
            return Err(ApiError::unprocessable(format!(
                "the id of a {kind} cannot change: other parts of the scenario refer to it; add a new one instead"
            )));
        }
        if value.is_null() {
            new.remove(&key);
        } else {
            new.insert(key, value);
        }
    }
    let changes = changes_of(kind, role, &old, &new)?;
    let body = Value::Object(new).to_string();
    check_with(
        &objects,
        Object {
            body: body.clone(),
            ..current.clone()
        },
    )?;
    match state
        .store
        .update_object(workspace.id, current, &body, &caller.name, &changes)
        .await?
    {
        Updated::Done(version) => Ok(object_json(&Object {
            version,
            body,
            ..current.clone()
        })),
        Updated::Conflict(now) => Err(ApiError {
            status: StatusCode::CONFLICT,
            body: json!({
                "error": format!("{kind} `{id}` changed while this change was checked; apply it to the current {kind}"),
                "current": object_json(&now),
            }),
        }),
        Updated::Missing => Err(ApiError::not_found()),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct NewItem {
    fields: Map<String, Value>,
}

/// `POST /api/v1/workspaces/{ws}/items`: proposes an item (business, technical, admin); each
/// field set follows the same ownership rules as an edit.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/items", tag = "items", request_body = NewItem, params(("ws" = String, Path, description = "workspace slug")),
    responses((status = 201, description = "the new item"), (status = 403, description = "a viewer, or a field the caller's role does not own"), (status = 409, description = "the id is taken"), (status = 422, description = "the diagnostics")))]
pub(crate) async fn create_item(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    ApiJson(request): ApiJson<NewItem>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    create_object(&state, &caller, &slug, "item", request.fields).await
}

/// Adds an object of `kind` at the end of its section, checked like an edit.
async fn create_object(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    kind: &str,
    fields: Map<String, Value>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (workspace, role) = membership(state, caller, slug).await?;
    if !role.may_propose() {
        return Err(ApiError::forbidden(
            "viewers read: the `viewer` role proposes nothing",
        ));
    }
    let Some(id) = fields.get("id").and_then(Value::as_str).map(str::to_owned) else {
        return Err(ApiError::unprocessable(format!(
            "a new {kind} needs an `id`, such as \"one-click\""
        )));
    };
    let changes = changes_of(kind, role, &Map::new(), &fields)?;
    let objects = state.store.objects(workspace.id).await?;
    if objects.is_empty() {
        return Err(ApiError::unprocessable(
            "this workspace has no scenario yet; import one first",
        ));
    }
    if objects.iter().any(|o| o.kind == kind && o.key == id) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("a {kind} `{id}` exists already"),
        ));
    }
    let body = Value::Object(fields).to_string();
    let object = Object {
        kind: kind.to_owned(),
        key: id.clone(),
        position: i64::MAX,
        version: 1,
        body: body.clone(),
    };
    check_with(&objects, object.clone())?;
    if !state
        .store
        .insert_object(workspace.id, kind, &id, &body, &caller.name, &changes)
        .await?
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("a {kind} `{id}` exists already"),
        ));
    }
    Ok((StatusCode::CREATED, Json(object_json(&object))))
}

/// `GET /api/v1/workspaces/{ws}/reviews`.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/reviews", tag = "reviews", params(("ws" = String, Path, description = "workspace slug")),
    responses((status = 200, description = "`[{id, version, fields}]` in file order"), (status = 404, description = "no such workspace, or not a member")))]
pub(crate) async fn reviews(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<Json<Value>> {
    list(&state, &caller, &slug, "review").await
}

/// `PATCH /api/v1/workspaces/{ws}/reviews/{id}`: lead times are the technical side's, the rest
/// is shared.
#[utoipa::path(patch, path = "/api/v1/workspaces/{ws}/reviews/{id}", tag = "reviews", request_body = Patch,
    params(("ws" = String, Path, description = "workspace slug"), ("id" = String, Path, description = "review id")),
    responses((status = 200, description = "the review at its new version"), (status = 403, description = "a field the caller's role does not own"),
        (status = 404, description = "no such review or workspace, or not a member"), (status = 409, description = "a stale version: `{error, current}`"),
        (status = 422, description = "the diagnostics")))]
pub(crate) async fn patch_review(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(patch): ApiJson<Patch>,
) -> ApiResult<Json<Value>> {
    edit_object(
        &state,
        &caller,
        &slug,
        "review",
        &id,
        patch.version,
        patch.fields,
    )
    .await
    .map(Json)
}

/// `GET /api/v1/workspaces/{ws}/objections`.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/objections", tag = "objections", params(("ws" = String, Path, description = "workspace slug")),
    responses((status = 200, description = "`[{id, version, fields}]` in file order"), (status = 404, description = "no such workspace, or not a member")))]
pub(crate) async fn objections(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<Json<Value>> {
    list(&state, &caller, &slug, "objection").await
}

/// `POST /api/v1/workspaces/{ws}/objections`: either side raises an objection, by its own
/// side and open; admins raise them for either side.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/objections", tag = "objections", request_body = NewItem, params(("ws" = String, Path, description = "workspace slug")),
    responses((status = 201, description = "the new objection"), (status = 403, description = "a viewer, or an objection by the other side"), (status = 409, description = "the id is taken"), (status = 422, description = "the diagnostics, or a status other than open")))]
pub(crate) async fn raise_objection(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    ApiJson(request): ApiJson<NewItem>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    raise(&state, &caller, &slug, request.fields).await
}

/// Raises an objection, for the API and the web page alike: by the caller's side, open, raised
/// today unless it says otherwise; its history is the server's to record.
pub(crate) async fn raise(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    mut fields: Map<String, Value>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (_, role) = membership(state, caller, slug).await?;
    let by = fields.get("by").and_then(Value::as_str);
    if let (Some(side), Some(by)) = (role.side(), by)
        && side.name() != by
    {
        return Err(ApiError::forbidden(format!(
            "you raise objections for the {} side: set `by` to \"{}\"",
            side.name(),
            side.name()
        )));
    }
    if fields
        .get("status")
        .and_then(Value::as_str)
        .is_some_and(|status| status != "open")
    {
        return Err(ApiError::unprocessable(
            "a new objection is open; it is answered, resolved or accepted as a risk later",
        ));
    }
    if fields.contains_key("history") {
        return Err(ApiError::unprocessable(
            "a new objection has no history: the server records each move as it is made",
        ));
    }
    if !fields.contains_key("raised") {
        fields.insert(
            "raised".to_owned(),
            Value::String(crate::pushback::today().to_string()),
        );
    }
    create_object(state, caller, slug, "objection", fields).await
}

async fn list(state: &AppState, caller: &Caller, slug: &str, kind: &str) -> ApiResult<Json<Value>> {
    let (workspace, _) = membership(state, caller, slug).await?;
    let objects = state.store.objects(workspace.id).await?;
    Ok(Json(Value::Array(
        objects
            .iter()
            .filter(|o| o.kind == kind)
            .map(object_json)
            .collect(),
    )))
}

fn audit_json(entries: Vec<crate::store::AuditEntry>) -> Value {
    Value::Array(
        entries
            .into_iter()
            .map(|e| {
                let at = jiff::Timestamp::from_millisecond(e.at)
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                json!({
                    "object": e.object_kind,
                    "key": e.object_key,
                    "field": e.field,
                    "old": e.old_value.and_then(|v| serde_json::from_str::<Value>(&v).ok().or(Some(Value::String(v)))),
                    "new": e.new_value.and_then(|v| serde_json::from_str::<Value>(&v).ok().or(Some(Value::String(v)))),
                    "user": e.user_name,
                    "at": at,
                })
            })
            .collect(),
    )
}

/// `GET /api/v1/workspaces/{ws}/audit`: every change, oldest first.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/audit", tag = "audit", params(("ws" = String, Path, description = "workspace slug")),
    responses((status = 200, description = "`[{object, key, field, old, new, user, at}]`, oldest first"), (status = 404, description = "no such workspace, or not a member")))]
pub(crate) async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<Json<Value>> {
    let (workspace, _) = membership(&state, &caller, &slug).await?;
    Ok(Json(audit_json(
        state.store.audit(workspace.id, None).await?,
    )))
}

/// `GET /api/v1/workspaces/{ws}/items/{id}/history`: the item's changes, oldest first.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/items/{id}/history", tag = "audit",
    params(("ws" = String, Path, description = "workspace slug"), ("id" = String, Path, description = "item id")),
    responses((status = 200, description = "the item's changes, oldest first"), (status = 404, description = "no such item or workspace, or not a member")))]
pub(crate) async fn item_history(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let (workspace, _) = membership(&state, &caller, &slug).await?;
    if state
        .store
        .object(workspace.id, "item", &id)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found());
    }
    Ok(Json(audit_json(
        state.store.audit(workspace.id, Some(("item", &id))).await?,
    )))
}

/// `GET /healthz`: 200 when the database answers.
#[utoipa::path(get, path = "/healthz", tag = "server", responses((status = 200, description = "`ok`: the database answers")))]
pub(crate) async fn healthz(State(state): State<AppState>) -> ApiResult<&'static str> {
    state.store.ping().await?;
    Ok("ok")
}

/// Any other path.
pub(crate) async fn fallback(_headers: HeaderMap) -> ApiError {
    ApiError::not_found()
}
