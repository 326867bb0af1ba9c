//! Sign-in, sessions, CSRF, tokens, the login limit, and hostile input.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::{Harness, backends, password};

async fn login(h: &Harness, user: &str) -> (String, String) {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({ "name": user, "password": password(user) }).to_string(),
        ))
        .expect("a request");
    let response = tower::ServiceExt::oneshot(h.app.clone(), request)
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = cookie.split(';').next().expect("name=value").to_owned();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("a body")
        .to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
    assert!(!String::from_utf8_lossy(&bytes).contains(&password(user)));
    (
        session,
        body["csrf"].as_str().expect("a CSRF token").to_owned(),
    )
}

fn with_cookie(
    method: Method,
    uri: &str,
    cookie: &str,
    csrf: Option<&str>,
    body: serde_json::Value,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(csrf) = csrf {
        request = request.header(tension_server::CSRF_HEADER, csrf);
    }
    request
        .body(Body::from(body.to_string()))
        .expect("a request")
}

#[tokio::test]
async fn sessions_need_a_cookie_and_changes_need_the_csrf_token() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let items = "/api/v1/workspaces/checkout/items";
        let (status, _) = h.send(Method::GET, items, None, Body::empty()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let forged = Request::builder()
            .uri(items)
            .header(header::COOKIE, "tension_session=tss_forged")
            .body(Body::empty())
            .expect("a request");
        assert_eq!(h.raw(forged).await.0, StatusCode::UNAUTHORIZED);
        let bearer = Request::builder()
            .uri(items)
            .header(header::AUTHORIZATION, "Bearer tnt_forged")
            .body(Body::empty())
            .expect("a request");
        assert_eq!(h.raw(bearer).await.0, StatusCode::UNAUTHORIZED);

        let (cookie, csrf) = login(&h, "bea").await;
        let (status, _) = h
            .raw(with_cookie(Method::GET, items, &cookie, None, json!(null)))
            .await;
        assert_eq!(status, StatusCode::OK);
        let version = h.version("one-click").await;
        let patch = json!({ "version": version, "fields": { "title": "By session" } });
        let item = "/api/v1/workspaces/checkout/items/one-click";
        let (status, body) = h
            .raw(with_cookie(
                Method::PATCH,
                item,
                &cookie,
                None,
                patch.clone(),
            ))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, _) = h
            .raw(with_cookie(
                Method::PATCH,
                item,
                &cookie,
                Some("csrf_wrong"),
                patch.clone(),
            ))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = h
            .raw(with_cookie(
                Method::PATCH,
                item,
                &cookie,
                Some(&csrf),
                patch,
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let (status, _) = h
            .raw(with_cookie(
                Method::POST,
                "/api/v1/logout",
                &cookie,
                Some(&csrf),
                json!(null),
            ))
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = h
            .raw(with_cookie(Method::GET, items, &cookie, None, json!(null)))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn an_expired_session_is_refused() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let user = h
            .store
            .user_by_name("bea")
            .await
            .expect("read")
            .expect("exists");
        let token = "tss_expired";
        h.store
            .create_session(&tension_server::token_hash(token), user.id, "csrf_x", 0)
            .await
            .expect("stored");
        let request = Request::builder()
            .uri("/api/v1/workspaces")
            .header(header::COOKIE, format!("tension_session={token}"))
            .body(Body::empty())
            .expect("a request");
        let (status, body) = h.raw(request).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|m| m.contains("expired")),
            "{body}"
        );
    }
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_address() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let attempt = |password: &str| {
            Request::builder()
                .method(Method::POST)
                .uri("/api/v1/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({ "name": "bea", "password": password }).to_string(),
                ))
                .expect("a request")
        };
        for _ in 0..tension_server::MAX_LOGIN_FAILURES {
            let (status, body) = h.raw(attempt("wrong")).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert!(
                !body.to_string().contains("wrong\""),
                "the password is not echoed"
            );
        }
        let (status, _) = h.raw(attempt(&password("bea"))).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn hostile_text_is_stored_verbatim_and_never_run() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let hostile = [
            "'; DROP TABLE objects; --",
            "\" OR 1=1 --",
            "Robert'); DELETE FROM audit;--",
            "$1 $2 ?1 :name",
        ];
        for text in hostile {
            let (status, body) = h
                .patch(
                    "one-click",
                    "bea",
                    json!({ "title": text, "description": text }),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{text}: {body}");
            let (_, item) = h
                .get("/api/v1/workspaces/checkout/items/one-click", "vic")
                .await;
            assert_eq!(item["fields"]["title"], text);
            assert_eq!(item["fields"]["description"], text);
        }
        let big = "x".repeat(1 << 20);
        let (status, _) = h
            .patch("one-click", "bea", json!({ "description": big }))
            .await;
        assert!(
            status == StatusCode::OK
                || status == StatusCode::PAYLOAD_TOO_LARGE
                || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{status}"
        );
        if status == StatusCode::OK {
            let (_, item) = h
                .get("/api/v1/workspaces/checkout/items/one-click", "vic")
                .await;
            assert_eq!(
                item["fields"]["description"].as_str().map(str::len),
                Some(1 << 20)
            );
        }
        let (_, items) = h.get("/api/v1/workspaces/checkout/items", "vic").await;
        assert_eq!(
            items.as_array().map(Vec::len),
            Some(9),
            "no table was dropped"
        );
        assert_eq!(h.store.integrity_check().await.expect("checked"), "ok");
    }
}

#[tokio::test]
async fn health_answers_without_signing_in() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let (status, body) = h.send(Method::GET, "/healthz", None, Body::empty()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!("ok"));
    }
}

#[tokio::test]
async fn every_text_field_stores_hostile_text_verbatim_or_refuses_it() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let big = "'; DROP TABLE objects; --".repeat((1 << 20) / 25);
        let fields = [
            "title",
            "description",
            "alternatives",
            "kind",
            "proposed_by",
            "value",
            "value_once",
            "target",
            "effort",
            "risk",
        ];
        for field in fields {
            for text in [
                "'; DROP TABLE objects; --",
                "\u{0}\u{202e}<b>",
                big.as_str(),
            ] {
                let (status, body) = h.patch("wallets", "ada", json!({ field: text })).await;
                assert!(
                    [
                        StatusCode::OK,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        StatusCode::PAYLOAD_TOO_LARGE
                    ]
                    .contains(&status),
                    "{field}: {status} {body}"
                );
                if status == StatusCode::OK {
                    let (_, item) = h
                        .get("/api/v1/workspaces/checkout/items/wallets", "vic")
                        .await;
                    assert_eq!(item["fields"][field], text, "{field} is stored verbatim");
                }
            }
        }
        let (_, items) = h.get("/api/v1/workspaces/checkout/items", "vic").await;
        assert_eq!(items.as_array().map(Vec::len), Some(9));
        assert_eq!(h.store.integrity_check().await.expect("checked"), "ok");
    }
}

#[tokio::test]
async fn malformed_bodies_get_json_errors_that_say_what_is_wrong() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let path = "/api/v1/workspaces/checkout/items/wallets";
        let (status, body) = h
            .send(Method::PATCH, path, Some("ted"), Body::from("{not json"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["error"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        let (status, body) = h
            .send(
                Method::PATCH,
                path,
                Some("ted"),
                Body::from(json!({ "fields": {} }).to_string()),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|m| m.contains("version")),
            "{body}"
        );
    }
}
