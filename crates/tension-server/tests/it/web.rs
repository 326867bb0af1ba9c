//! The web pages: sign in, the workspaces, the item table, the item page with the fields the
//! role may edit, edits through forms with the CSRF token, and escaping.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use crate::{Harness, backends, password};

struct Page {
    status: StatusCode,
    location: Option<String>,
    cookie: Option<String>,
    html: String,
}

async fn request(
    h: &Harness,
    method: Method,
    uri: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> Page {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    let body = if form.is_empty() {
        Body::empty()
    } else {
        builder = builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        let encoded: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{k}={}", url_encode(v)))
            .collect();
        Body::from(encoded.join("&"))
    };
    let response = h
        .app
        .clone()
        .oneshot(builder.body(body).expect("a request"))
        .await
        .expect("an answer");
    let header_text = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (status, location, cookie) = (
        response.status(),
        header_text(header::LOCATION),
        header_text(header::SET_COOKIE).map(|c| c.split(';').next().unwrap_or_default().to_owned()),
    );
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    Page {
        status,
        location,
        cookie,
        html: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The value of the first hidden `csrf` input of a page.
fn csrf(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    html[start..].split('"').next().expect("a value").to_owned()
}

async fn sign_in(h: &Harness, user: &str) -> String {
    let page = request(
        h,
        Method::POST,
        "/login",
        None,
        &[("name", user), ("password", &password(user))],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location.as_deref(), Some("/"));
    page.cookie.expect("a session cookie")
}

#[tokio::test]
async fn pages_show_both_views_and_edit_only_what_the_role_owns() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let page = request(&h, Method::GET, "/", None, &[]).await;
        assert_eq!(page.location.as_deref(), Some("/login"));
        let wrong = request(
            &h,
            Method::POST,
            "/login",
            None,
            &[("name", "bea"), ("password", "nope")],
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.html.contains("wrong name or password"));

        let cookie = sign_in(&h, "bea").await;
        let home = request(&h, Method::GET, "/", Some(&cookie), &[]).await;
        assert!(home.html.contains("href=\"/w/checkout\""), "{}", home.html);
        let table = request(&h, Method::GET, "/w/checkout", Some(&cookie), &[]).await;
        assert_eq!(table.status, StatusCode::OK);
        for part in [
            "Apple Pay and Google Pay buttons",
            "class=\"business\"",
            "class=\"technical\"",
            "6..12 days",
        ] {
            assert!(table.html.contains(part), "missing {part}");
        }
        let item = request(
            &h,
            Method::GET,
            "/w/checkout/items/wallets",
            Some(&cookie),
            &[],
        )
        .await;
        assert!(
            item.html.contains("name=\"f-value\""),
            "business edits value"
        );
        assert!(
            !item.html.contains("name=\"f-effort\""),
            "business does not edit effort"
        );
        let token = csrf(&item.html);

        // Without the token, nothing happens.
        let refused = request(
            &h,
            Method::POST,
            "/w/checkout/items/wallets",
            Some(&cookie),
            &[("version", "1"), ("f-title", "x")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let saved = request(
            &h,
            Method::POST,
            "/w/checkout/items/wallets",
            Some(&cookie),
            &[
                ("csrf", &token),
                ("version", "1"),
                ("f-value", "2k..3k USD/month"),
                ("f-title", "<script>alert(1)</script>"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK);
        assert!(saved.html.contains("saved"), "{}", saved.html);
        assert!(
            saved.html.contains("&#60;script&#62;") && !saved.html.contains("<script>alert"),
            "escaped: {}",
            saved.html
        );
        assert!(saved.html.contains("version 2"));
        let (_, api) = h
            .get("/api/v1/workspaces/checkout/items/wallets", "vic")
            .await;
        assert_eq!(api["fields"]["value"], json!("2k..3k USD/month"));
        // A crafted form with the other side's field is refused by the same rules as the API.
        let crafted = request(
            &h,
            Method::POST,
            "/w/checkout/items/wallets",
            Some(&cookie),
            &[
                ("csrf", &token),
                ("version", "2"),
                ("f-effort", "1..2 days"),
            ],
        )
        .await;
        assert!(
            crafted.html.contains("owned by the technical side"),
            "{}",
            crafted.html
        );
        // A stale version says so.
        let stale = request(
            &h,
            Method::POST,
            "/w/checkout/items/wallets",
            Some(&cookie),
            &[("csrf", &token), ("version", "1"), ("f-title", "Late")],
        )
        .await;
        assert!(
            stale.html.contains("changed since version 1"),
            "{}",
            stale.html
        );
        // The history shows the edit.
        assert!(saved.html.contains("<td>bea</td>"), "{}", saved.html);
    }
}

#[tokio::test]
async fn admins_import_and_anyone_exports_through_pages() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let cookie = sign_in(&h, "ada").await;
        let table = request(&h, Method::GET, "/w/checkout", Some(&cookie), &[]).await;
        let token = csrf(&table.html);
        let bad = request(
            &h,
            Method::POST,
            "/w/checkout/import",
            Some(&cookie),
            &[("csrf", &token), ("scenario", "[scenario]\nname = 1\n")],
        )
        .await;
        assert!(
            bad.html.contains("tension::"),
            "the diagnostics are shown: {}",
            bad.html
        );
        let export = request(&h, Method::GET, "/w/checkout/export", Some(&cookie), &[]).await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.html.starts_with("[scenario]"));
        let ok = request(
            &h,
            Method::POST,
            "/w/checkout/import",
            Some(&cookie),
            &[("csrf", &token), ("scenario", &export.html)],
        )
        .await;
        assert!(ok.html.contains("imported: 9 items"), "{}", ok.html);
        // Signing out ends the session.
        let out = request(
            &h,
            Method::POST,
            "/logout",
            Some(&cookie),
            &[("csrf", &token)],
        )
        .await;
        assert_eq!(out.location.as_deref(), Some("/login"));
        let after = request(&h, Method::GET, "/w/checkout", Some(&cookie), &[]).await;
        assert_eq!(after.location.as_deref(), Some("/login"));
        // Another workspace's member gets 404.
        let eve = sign_in(&h, "eve").await;
        let hidden = request(
            &h,
            Method::GET,
            "/w/checkout/items/wallets",
            Some(&eve),
            &[],
        )
        .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_meeting_view_shows_both_sides_the_same_table_and_each_its_own_forms() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        // An objection whose text would be markup, raised through the API.
        let (status, body) = h
            .json(
                Method::POST,
                "/api/v1/workspaces/checkout/objections",
                "ted",
                &json!({ "fields": { "id": "markup", "on": "wallets", "by": "technical", "tension": "outcomes-health", "text": "<script>alert(1)</script>" } }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let viewer = sign_in(&h, "vic").await;
        let page = request(
            &h,
            Method::GET,
            "/w/checkout/meeting?plan=2",
            Some(&viewer),
            &[],
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        for part in [
            "<svg",
            "href=\"/w/checkout/meeting?plan=4\"",
            "Plan 2: when it finishes",
            "deadline 2027-03-31",
            "id=\"tension-speed-durability\"",
            "date-needs-refactor",
            "&#60;script&#62;alert(1)",
            "Security review of stored payment methods",
        ] {
            assert!(page.html.contains(part), "{backend}: missing {part}");
        }
        assert!(!page.html.contains("<script>alert(1)"), "escaped");
        // A viewer reads: no move, no raise, no proposal.
        for form in ["name=\"move\"", "id=\"raise\"", "id=\"propose\""] {
            assert!(!page.html.contains(form), "a viewer sees {form}");
        }
        // The business side may answer the technical side's objection, and request a review,
        // but not record a verdict.
        let business = sign_in(&h, "bea").await;
        let page = request(&h, Method::GET, "/w/checkout/meeting", Some(&business), &[]).await;
        assert!(page.html.contains(">Answer</button>"), "{}", page.html);
        assert!(page.html.contains(">Request</button>"));
        assert!(!page.html.contains(">Approve</button>"));
        // Every form refuses a post without the session's CSRF token, and changes nothing.
        for path in [
            "/w/checkout/meeting/objections",
            "/w/checkout/meeting/objections/date-needs-refactor",
            "/w/checkout/meeting/reviews/security",
            "/w/checkout/meeting/decisions",
            "/w/checkout/meeting/decisions/1/sign",
        ] {
            let refused = request(
                &h,
                Method::POST,
                path,
                Some(&business),
                &[
                    ("csrf", "forged"),
                    ("to", "answered"),
                    ("note", "x"),
                    ("plan", "1"),
                    ("rationale", "x"),
                ],
            )
            .await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        }
        let (_, log) = h.get("/api/v1/workspaces/checkout/decisions", "vic").await;
        assert_eq!(log, json!([]));
        // With the token, a review is requested and the page says so.
        let token = csrf(&page.html);
        let moved = request(
            &h,
            Method::POST,
            "/w/checkout/meeting/reviews/security",
            Some(&business),
            &[("csrf", &token), ("to", "requested")],
        )
        .await;
        assert!(
            moved.html.contains("review `security` is requested"),
            "{}",
            moved.html
        );
        assert!(moved.html.contains("on track") || moved.html.contains("no SLA"));
        // An objection answered and resolved through the board, the resolution naming what it
        // led to; the card shows each step.
        let answered = request(
            &h,
            Method::POST,
            "/w/checkout/meeting/objections/date-needs-refactor",
            Some(&business),
            &[
                ("csrf", &token),
                ("to", "answered"),
                ("note", "April 15, then"),
            ],
        )
        .await;
        assert!(
            answered
                .html
                .contains("objection `date-needs-refactor` is answered"),
            "{}",
            answered.html
        );
        let technical = sign_in(&h, "ted").await;
        let page = request(
            &h,
            Method::GET,
            "/w/checkout/meeting",
            Some(&technical),
            &[],
        )
        .await;
        assert!(page.html.contains(">Resolve</button>") && page.html.contains(">Reopen</button>"));
        let resolved = request(
            &h,
            Method::POST,
            "/w/checkout/meeting/objections/date-needs-refactor",
            Some(&technical),
            &[
                ("csrf", &csrf(&page.html)),
                ("to", "resolved"),
                ("note", "April 15 works"),
                ("changes", "one-click.target revised"),
            ],
        )
        .await;
        // A refusal is a 4xx with its reason on the page: a second answer is out of order.
        let refused = request(
            &h,
            Method::POST,
            "/w/checkout/meeting/objections/date-needs-refactor",
            Some(&technical),
            &[
                ("csrf", &csrf(&page.html)),
                ("to", "answered"),
                ("note", "again"),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(
            refused
                .html
                .contains("is resolved: it cannot become answered"),
            "{}",
            refused.html
        );
        for part in [
            "open → answered by bea (business): April 15, then",
            "answered → resolved by ted (technical): April 15 works (led to: one-click.target revised)",
        ] {
            assert!(resolved.html.contains(part), "{backend}: missing {part}");
        }
    }
}

#[tokio::test]
async fn the_meeting_view_says_why_nothing_can_be_weighed() {
    // One item: a single plan, so no number can change the choice and information is worth
    // nothing. The page must say so, not claim that no input is worth verifying.
    let scenario = "[scenario]\nname = \"One item\"\nstart = 2027-01-04\ndeadline = 2027-06-30\nhorizon = 2027-12-31\n\n[team]\npeople = 2\n\n[[item]]\nid = \"only\"\neffort = \"5..10 days\"\nvalue = \"1k..2k\"\n";
    for backend in backends() {
        let h = Harness::new(backend).await;
        let admin = sign_in(&h, "ada").await;
        let table = request(&h, Method::GET, "/w/checkout", Some(&admin), &[]).await;
        let token = csrf(&table.html);
        let imported = request(
            &h,
            Method::POST,
            "/w/checkout/import",
            Some(&admin),
            &[("csrf", &token), ("scenario", scenario)],
        )
        .await;
        assert!(
            imported.html.contains("imported: 1 item"),
            "{}",
            imported.html
        );
        let page = request(&h, Method::GET, "/w/checkout/meeting", Some(&admin), &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert!(
            page.html
                .contains("Nothing to weigh: the frontier has a single plan (only)"),
            "{backend}: {}",
            page.html
        );
        assert!(!page.html.contains("No weak input is worth verifying"));
        assert!(!page.html.contains("No field carries both sides"));
    }
}

#[tokio::test]
async fn refusals_on_pages_are_pages_with_the_status_and_what_to_do() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let cookie = sign_in(&h, "bea").await;
        for (uri, message) in [
            ("/w/nowhere", ">not found<"),
            ("/w/nowhere/meeting", ">not found<"),
            ("/w/checkout/items/no-such-item", ">not found<"),
            (
                "/w/checkout/decisions/99",
                ">this workspace has no decision `99`",
            ),
        ] {
            let page = request(&h, Method::GET, uri, Some(&cookie), &[]).await;
            assert_eq!(
                page.status,
                StatusCode::NOT_FOUND,
                "{backend} {uri}: {}",
                page.html
            );
            assert!(
                page.html.starts_with("<!doctype html>"),
                "{backend} {uri}: not a page: {}",
                page.html
            );
            assert!(
                page.html.contains("<h1>404 Not Found</h1>")
                    && page.html.contains(message)
                    && page.html.contains("<a href=\"/\">"),
                "{backend} {uri}: {}",
                page.html
            );
        }
        // A form from another site (or an old page) is refused with what to do, as a page.
        let forged = request(
            &h,
            Method::POST,
            "/w/checkout/meeting/objections",
            Some(&cookie),
            &[("csrf", "not-the-session-token"), ("on", "wallets")],
        )
        .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.html);
        assert!(
            forged.html.starts_with("<!doctype html>"),
            "{}",
            forged.html
        );
        assert!(
            forged.html.contains("<h1>403 Forbidden</h1>"),
            "{}",
            forged.html
        );
        assert!(
            forged.html.contains("reload the page and try again"),
            "{}",
            forged.html
        );
    }
}
