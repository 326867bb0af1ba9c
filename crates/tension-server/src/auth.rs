//! Who is calling: a session cookie from a password login (with a CSRF token for every change),
//! or an API token (`Authorization: Bearer`). Passwords are hashed with Argon2id; session and
//! API tokens are random and stored only as SHA-256 hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;
use crate::store::now;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "tension_session";
/// The header that carries the session's CSRF token on every change.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts, in milliseconds: twelve hours.
pub(crate) const SESSION_MILLIS: i64 = 12 * 60 * 60 * 1000;

/// Hashes a password with Argon2id and a random salt, in the PHC string format.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|_| ApiError::bad_request("cannot make a salt"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|_| ApiError::bad_request("this password cannot be hashed"))
}

/// Whether a password matches its stored hash.
pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "the system has no randomness to offer",
        )
    })?;
    Ok(bytes)
}

/// A new random token: 32 bytes as hex, with a prefix that says what it is.
pub fn new_token(prefix: &str) -> Result<String, ApiError> {
    let bytes = random_bytes::<32>()?;
    Ok(format!("{prefix}{}", hex(&bytes)))
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The signed-in caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Caller {
    pub user_id: i64,
    pub name: String,
}

/// The session token of a request's cookies, if it carries one.
pub(crate) fn session_token_in(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// The session token of a request, if it carries one.
pub(crate) fn session_token(parts: &Parts) -> Option<String> {
    session_token_in(&parts.headers)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(|| {
                    ApiError::unauthorized("the Authorization header must be `Bearer TOKEN`")
                })?;
            let Some((user_id, name)) = state.store.token(&token_hash(token.trim())).await? else {
                return Err(ApiError::unauthorized(
                    "this API token is not valid; create one with POST /api/v1/tokens",
                ));
            };
            return Ok(Caller { user_id, name });
        }
        let Some(token) = session_token(parts) else {
            return Err(ApiError::unauthorized(
                "sign in first (POST /api/v1/login) or send `Authorization: Bearer TOKEN`",
            ));
        };
        let (caller, csrf) = live_session(state, &token).await?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if sent != Some(csrf.as_str()) {
                return Err(ApiError::forbidden(format!(
                    "a change made with a session needs the `{CSRF_HEADER}` header with the token the login returned"
                )));
            }
        }
        Ok(caller)
    }
}

/// The caller of a session token and the session's CSRF token; 401 when the session does not
/// exist or has expired.
pub(crate) async fn live_session(
    state: &AppState,
    token: &str,
) -> Result<(Caller, String), ApiError> {
    let Some(session) = state.store.session(&token_hash(token)).await? else {
        return Err(ApiError::unauthorized(
            "this session is not valid; sign in again",
        ));
    };
    if session.expires_at <= now() {
        return Err(ApiError::unauthorized(
            "this session has expired; sign in again",
        ));
    }
    let caller = Caller {
        user_id: session.user_id,
        name: session.user_name,
    };
    Ok((caller, session.csrf))
}
