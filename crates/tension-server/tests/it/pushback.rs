//! Objections moving through their lifecycle, and decisions: proposed with a snapshot, signed
//! by both sides, refused while a blocking objection is pending (on a chosen item, or on a
//! review or quantity the plan rests on), immutable, superseded.
//!
//! `examples/checkout.toml` has `date-needs-refactor`, a blocking objection of the technical
//! side on `one-click.target`, still open; plans 1 and 2 of its frontier take `one-click`,
//! plan 3 does not.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{Harness, backends};

const MOVES: &str = "/api/v1/workspaces/checkout/objections/date-needs-refactor/moves";
const DECISIONS: &str = "/api/v1/workspaces/checkout/decisions";

async fn propose(h: &Harness, user: &str, body: Value) -> (StatusCode, Value) {
    h.json(Method::POST, DECISIONS, user, &body).await
}

async fn sign(h: &Harness, user: &str, number: i64) -> (StatusCode, Value) {
    h.json(
        Method::POST,
        &format!("{DECISIONS}/{number}/signoffs"),
        user,
        &json!({}),
    )
    .await
}

async fn accept_risk(h: &Harness, user: &str) {
    let (status, body) = h
        .json(
            Method::POST,
            MOVES,
            user,
            &json!({ "to": "accepted-risk", "note": "the refactor lands in February", "risk_owner": "Marcus", "review_by": "2027-02-15" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Bea proposes plan 1, which takes one-click: decision 1.
async fn propose_plan_1(h: &Harness, backend: &str) -> Value {
    let (status, proposed) = propose(
        h,
        "bea",
        json!({ "plan": 1, "rationale": "Launch one-click for the spring sale." }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{backend}: {proposed}");
    proposed
}

fn error(body: &Value) -> &str {
    body["error"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn an_objection_moves_through_its_lifecycle_with_who_and_when() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        // The technical side raised it: the business side answers.
        let (status, body) = h
            .json(
                Method::POST,
                MOVES,
                "ted",
                &json!({ "to": "answered", "note": "we can" }),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend}: {body}");
        assert!(
            error(&body).contains("only the business side answers it"),
            "{body}"
        );
        let (status, body) = h
            .json(
                Method::POST,
                MOVES,
                "bea",
                &json!({ "to": "answered", "note": "We move the target to April 15." }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{backend}: {body}");
        assert_eq!(body["fields"]["status"], "answered");
        let history = &body["fields"]["history"];
        assert_eq!(history.as_array().map(Vec::len), Some(1), "{body}");
        assert_eq!(history[0]["from"], "open");
        assert_eq!(history[0]["to"], "answered");
        assert_eq!(history[0]["who"], "bea");
        assert_eq!(history[0]["side"], "business");
        assert_eq!(
            history[0]["on"],
            tension_server_today(),
            "the move is dated today"
        );
        // Resolving needs a note, and is the raising side's.
        let (status, body) = h
            .json(Method::POST, MOVES, "ted", &json!({ "to": "resolved" }))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(error(&body).contains("needs a note"), "{body}");
        let (status, body) = h
            .json(
                Method::POST,
                MOVES,
                "ted",
                &json!({ "to": "resolved", "note": "April 15 works", "changes": ["one-click.target revised"] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["fields"]["resolution"], "April 15 works");
        assert_eq!(
            body["fields"]["history"][1]["changes"],
            json!(["one-click.target revised"])
        );
        // Out of order: a resolved objection is closed.
        let (status, body) = h
            .json(Method::POST, MOVES, "ted", &json!({ "to": "open" }))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(
            error(&body).contains("is resolved: it cannot become open"),
            "{body}"
        );
        // The file the workspace exports carries the history, and reads back.
        let (status, file) = h.get("/api/v1/workspaces/checkout/scenario", "vic").await;
        assert_eq!(status, StatusCode::OK);
        let file = file.as_str().expect("a file");
        let scenario = tension_server::check("w.toml", file).expect("valid");
        let moved = scenario
            .objections
            .iter()
            .find(|o| o.id == "date-needs-refactor")
            .expect("kept");
        assert_eq!(moved.history.len(), 2, "{file}");
        assert_eq!(moved.history[1].who, "ted");
        // The audit log has the moves.
        let (_, audit) = h.get("/api/v1/workspaces/checkout/audit", "ada").await;
        assert!(
            audit
                .as_array()
                .expect("entries")
                .iter()
                .any(|e| e["key"] == "date-needs-refactor" && e["field"] == "status"),
            "{audit}"
        );
    }
}

fn tension_server_today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

#[tokio::test]
async fn bad_moves_are_refused_with_what_to_do() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let cases = [
            (
                "ada",
                json!({ "to": "answered", "note": "x" }),
                StatusCode::FORBIDDEN,
                "business or technical member",
            ),
            (
                "vic",
                json!({ "to": "answered", "note": "x" }),
                StatusCode::FORBIDDEN,
                "business or technical member",
            ),
            (
                "bea",
                json!({ "to": "closed" }),
                StatusCode::UNPROCESSABLE_ENTITY,
                "answered, open, resolved or accepted-risk",
            ),
            (
                "bea",
                json!({ "to": "resolved", "note": "x" }),
                StatusCode::CONFLICT,
                "is open: it cannot become resolved",
            ),
            (
                "bea",
                json!({ "to": "accepted-risk", "note": "x" }),
                StatusCode::CONFLICT,
                "risk owner",
            ),
            (
                "bea",
                json!({ "to": "accepted-risk", "note": "x", "risk_owner": "M", "review_by": "soon" }),
                StatusCode::UNPROCESSABLE_ENTITY,
                "YYYY-MM-DD",
            ),
            (
                "bea",
                json!({ "to": "answered", "note": "x", "version": 99 }),
                StatusCode::CONFLICT,
                "at version 1",
            ),
            (
                "bea",
                json!({ "to": "answered", "note": "x", "colour": "red" }),
                StatusCode::UNPROCESSABLE_ENTITY,
                "colour",
            ),
        ];
        for (user, body, expected, says) in cases {
            let (status, answer) = h.json(Method::POST, MOVES, user, &body).await;
            assert_eq!(status, expected, "{backend} {user} {body}: {answer}");
            assert!(answer.to_string().contains(says), "{body}: {answer}");
        }
        let (status, _) = h
            .json(
                Method::POST,
                "/api/v1/workspaces/checkout/objections/nowhere/moves",
                "bea",
                &json!({ "to": "answered", "note": "x" }),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Nothing moved.
        let (_, objections) = h.get("/api/v1/workspaces/checkout/objections", "vic").await;
        let still = objections
            .as_array()
            .expect("a list")
            .iter()
            .find(|o| o["id"] == "date-needs-refactor")
            .expect("there");
        assert_eq!(still["fields"]["status"], "open");
        assert_eq!(still["version"], 1);
    }
}

#[tokio::test]
async fn a_decision_is_signed_by_both_sides_once_its_blockers_are_accepted_as_risks() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let proposed = propose_plan_1(&h, backend).await;
        assert_eq!(proposed["number"], 1);
        assert_eq!(proposed["status"], "proposed");
        assert_eq!(proposed["missing_sides"], json!(["business", "technical"]));
        assert!(
            proposed["items"]
                .as_array()
                .expect("items")
                .contains(&json!("one-click"))
        );
        // The blocking objection on one-click refuses every signature, and says which.
        for user in ["bea", "ted"] {
            let (status, body) = sign(&h, user, 1).await;
            assert_eq!(status, StatusCode::CONFLICT, "{body}");
            assert_eq!(
                body["blocking"],
                json!([{ "id": "date-needs-refactor", "status": "open" }])
            );
            assert!(error(&body).contains("accept them as risks"), "{body}");
        }
        // Admins and viewers do not sign.
        for user in ["ada", "vic"] {
            let (status, body) = sign(&h, user, 1).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{user}: {body}");
        }
        accept_risk(&h, "bea").await;
        let (status, once) = sign(&h, "bea", 1).await;
        assert_eq!(status, StatusCode::OK, "{once}");
        assert_eq!(once["status"], "proposed");
        assert_eq!(once["missing_sides"], json!(["technical"]));
        // Signing twice.
        let (status, body) = sign(&h, "bea", 1).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(error(&body).contains("signed decision 1 already"), "{body}");
        let (status, both) = sign(&h, "ted", 1).await;
        assert_eq!(status, StatusCode::OK, "{both}");
        assert_eq!(both["status"], "accepted");
        let record = both["record"].as_str().expect("a record");
        assert!(record.contains("status: accepted"), "{record}");
        assert!(
            record.contains("decision-makers: [bea (business), ted (technical)]"),
            "{record}"
        );
        assert!(
            record.contains("**date-needs-refactor** (owner: Marcus)"),
            "{record}"
        );
        // An accepted decision is immutable.
        let (status, body) = sign(&h, "ted", 1).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(error(&body).contains("immutable"), "{body}");
        // The export is the record, as a Markdown file.
        let (status, text) = h.get(&format!("{DECISIONS}/1/record"), "vic").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(text.as_str(), Some(record));
    }
}

#[tokio::test]
async fn a_signed_decision_does_not_change_when_the_scenario_does() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let (status, body) = propose(
            &h,
            "ted",
            json!({ "plan": 3, "rationale": "Health first." }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        sign(&h, "bea", 1).await;
        let (status, signed) = sign(&h, "ted", 1).await;
        assert_eq!(signed["status"], "accepted", "{status} {signed}");
        let (_, before) = h.get(&format!("{DECISIONS}/1"), "vic").await;
        // Every kind of input changes: an item's value, a quantity, an objection, the file.
        let (status, body) = h
            .patch("wallets", "bea", json!({ "value": "100..200 USD" }))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = h
            .json(
                Method::POST,
                "/api/v1/workspaces/checkout/objections",
                "ted",
                &json!({ "fields": { "id": "late-doubt", "on": "wallets", "by": "technical", "tension": "speed-durability", "text": "Wallets need a review.", "blocking": true } }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = h
            .json(
                Method::POST,
                "/api/v1/workspaces/checkout/reviews/security/moves",
                "bea",
                &json!({ "to": "requested" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // And the whole file, a quantity's evidence included, is imported again, changed.
        let (_, file) = h.get("/api/v1/workspaces/checkout/scenario", "vic").await;
        let file = file.as_str().expect("a file");
        let changed = file.replacen(
            "Stripe dashboard, Oct 2026",
            "Stripe dashboard, Dec 2026",
            1,
        );
        assert_ne!(changed, file, "the example names that source");
        let (status, body) = h
            .send(
                Method::PUT,
                "/api/v1/workspaces/checkout/scenario",
                Some("ada"),
                axum::body::Body::from(changed),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, after) = h.get(&format!("{DECISIONS}/1"), "vic").await;
        assert_eq!(status, StatusCode::OK);
        for key in [
            "record",
            "snapshot",
            "status",
            "signoffs",
            "items",
            "rationale",
        ] {
            assert_eq!(
                before[key], after[key],
                "{backend}: `{key}` changed after signing"
            );
        }
        let kept = after["snapshot"]["scenario"].as_str().expect("the file");
        assert!(!kept.contains("100..200 USD") && kept.contains("Stripe dashboard, Oct 2026"));
        let record = after["record"].as_str().expect("the record");
        assert!(record.contains("Stripe dashboard, Oct 2026") && !record.contains("late-doubt"));
        // The database refuses to change a snapshot, or an accepted decision.
        for sql in [
            "UPDATE decisions SET head = 'forged'",
            "UPDATE decisions SET objections = 'none'",
            "UPDATE decisions SET status = 'proposed'",
            "DELETE FROM decisions",
            "UPDATE decisions SET superseded_by = 9",
            "UPDATE decisions SET title = 'forged'",
            "UPDATE signoffs SET user_name = 'mallory'",
            "DELETE FROM signoffs",
            "INSERT INTO signoffs (workspace_id, number, user_name, side, signed_on, at) SELECT workspace_id, number, 'mallory', 'business', '2027-01-01', 0 FROM decisions",
        ] {
            assert!(
                h.store.execute_raw(sql).await.is_err(),
                "{backend}: {sql} went through"
            );
        }
    }
}

#[tokio::test]
async fn a_new_decision_supersedes_an_accepted_one_with_links_both_ways() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        propose(&h, "bea", json!({ "plan": 3, "rationale": "First." })).await;
        // Superseding an unsigned decision.
        let (status, body) = propose(
            &h,
            "bea",
            json!({ "plan": 4, "rationale": "Second.", "supersedes": 1 }),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend}: {body}");
        assert!(
            error(&body).contains("decision 1 is proposed, not accepted"),
            "{body}"
        );
        let (status, body) = propose(
            &h,
            "bea",
            json!({ "plan": 4, "rationale": "Second.", "supersedes": 7 }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        sign(&h, "bea", 1).await;
        sign(&h, "ted", 1).await;
        let (status, second) = propose(
            &h,
            "ted",
            json!({ "plan": 4, "rationale": "Second.", "supersedes": 1 }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{second}");
        assert_eq!(second["number"], 2);
        assert!(
            second["record"]
                .as_str()
                .is_some_and(|r| r.contains("This decision supersedes decision 0001.")),
            "{second}"
        );
        sign(&h, "ted", 2).await;
        let (_, accepted) = sign(&h, "bea", 2).await;
        assert_eq!(accepted["status"], "accepted", "{accepted}");
        assert_eq!(accepted["supersedes"], 1);
        let (_, first) = h.get(&format!("{DECISIONS}/1"), "vic").await;
        assert_eq!(first["status"], "superseded");
        assert_eq!(first["superseded_by"], 2);
        assert!(
            first["record"]
                .as_str()
                .is_some_and(|r| r.starts_with("---\nstatus: superseded by 0002\n")),
            "{first}"
        );
        let (_, log) = h.get(DECISIONS, "vic").await;
        let numbers: Vec<i64> = log
            .as_array()
            .expect("a log")
            .iter()
            .filter_map(|d| d["number"].as_i64())
            .collect();
        assert_eq!(numbers, [2, 1], "newest first");
    }
}

#[tokio::test]
async fn bad_proposals_say_what_to_fix() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let cases = [
            (
                "bea",
                json!({ "plan": 0, "rationale": "x" }),
                StatusCode::UNPROCESSABLE_ENTITY,
                "numbered 1 to 4",
            ),
            (
                "bea",
                json!({ "plan": 9, "rationale": "x" }),
                StatusCode::UNPROCESSABLE_ENTITY,
                "numbered 1 to 4",
            ),
            (
                "bea",
                json!({ "plan": 1, "rationale": "  " }),
                StatusCode::UNPROCESSABLE_ENTITY,
                "rationale is empty",
            ),
            (
                "vic",
                json!({ "plan": 1, "rationale": "x" }),
                StatusCode::FORBIDDEN,
                "viewer",
            ),
        ];
        for (user, body, expected, says) in cases {
            let (status, answer) = propose(&h, user, body.clone()).await;
            assert_eq!(status, expected, "{backend} {body}: {answer}");
            assert!(answer.to_string().contains(says), "{body}: {answer}");
        }
        let (status, body) = sign(&h, "bea", 5).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(error(&body).contains("no decision `5`"), "{body}");
        // A proposal made on a plan that is no longer what the proposer saw.
        let (status, body) = propose(
            &h,
            "bea",
            json!({ "plan": 3, "rationale": "x", "items": ["wallets"] }),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(
            error(&body).contains("the frontier changed since you looked"),
            "{body}"
        );
        let (_, log) = h.get(DECISIONS, "vic").await;
        assert_eq!(log, json!([]), "nothing was proposed");
        // A proposal whose inputs change afterwards is marked.
        let (status, _) = propose(&h, "bea", json!({ "plan": 3, "rationale": "x" })).await;
        assert_eq!(status, StatusCode::CREATED);
        let (_, log) = h.get(DECISIONS, "vic").await;
        assert_eq!(log[0]["inputs_changed"], false);
        h.patch("wallets", "bea", json!({ "value": "100..200 USD" }))
            .await;
        let (_, log) = h.get(DECISIONS, "vic").await;
        assert_eq!(log[0]["inputs_changed"], true, "{log}");
        let (status, _) = h.get(&format!("{DECISIONS}/5/record"), "bea").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_review_moves_from_request_to_verdict_by_the_right_people() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let moves = "/api/v1/workspaces/checkout/reviews/security/moves";
        let mv = |user: &'static str, body: Value| {
            let h = &h;
            async move { h.json(Method::POST, moves, user, &body).await }
        };
        let (status, body) = mv("bea", json!({ "to": "in-review" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{backend}: {body}");
        let (status, body) = mv("ted", json!({ "to": "approved" })).await;
        assert_eq!(status, StatusCode::CONFLICT, "not requested yet: {body}");
        let (status, body) = mv("bea", json!({ "to": "requested" })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["fields"]["status"], "requested");
        assert_eq!(body["fields"]["requested"], tension_server_today());
        let (status, _) = mv("ted", json!({ "to": "in-review" })).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = mv("ted", json!({ "to": "approved-with-conditions" })).await;
        assert_eq!(status, StatusCode::CONFLICT, "conditions: {body}");
        let (status, body) = mv(
            "ted",
            json!({ "to": "approved-with-conditions", "conditions": ["rotate the vault keys quarterly"] }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body["fields"]["conditions"],
            json!(["rotate the vault keys quarterly"])
        );
        let (status, body) = mv("ted", json!({ "to": "rejected" })).await;
        assert_eq!(status, StatusCode::CONFLICT, "final: {body}");
        let (status, body) = mv("vic", json!({ "to": "requested" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = mv("ted", json!({ "to": "done" })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        // The workflow's fields do not change by PATCH.
        let (_, review) = h.get("/api/v1/workspaces/checkout/reviews", "vic").await;
        let version = review[0]["version"].as_i64().expect("a version");
        let (status, body) = h
            .json(
                Method::PATCH,
                "/api/v1/workspaces/checkout/reviews/security",
                "ada",
                &json!({ "version": version, "fields": { "status": "rejected" } }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            error(&body).contains("moves through its workflow"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn both_sides_signing_at_the_same_moment_accept_the_decision() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        // Two proposals at once take two numbers.
        let (first, second) = tokio::join!(
            propose(&h, "bea", json!({ "plan": 3, "rationale": "One." })),
            propose(&h, "ted", json!({ "plan": 4, "rationale": "Two." })),
        );
        assert_eq!(
            (first.0, second.0),
            (StatusCode::CREATED, StatusCode::CREATED),
            "{backend}: {first:?} {second:?}"
        );
        let mut numbers = [first.1["number"].as_i64(), second.1["number"].as_i64()];
        numbers.sort();
        assert_eq!(numbers, [Some(1), Some(2)]);
        for number in [1, 2] {
            let (business, technical) =
                tokio::join!(sign(&h, "bea", number), sign(&h, "ted", number));
            assert_eq!(
                (business.0, technical.0),
                (StatusCode::OK, StatusCode::OK),
                "{backend}: {business:?} {technical:?}"
            );
            let (_, decision) = h.get(&format!("{DECISIONS}/{number}"), "vic").await;
            assert_eq!(decision["status"], "accepted", "{backend}: {decision}");
            assert_eq!(decision["missing_sides"], json!([]));
        }
    }
}

#[tokio::test]
async fn two_successors_cannot_both_supersede_one_decision() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        propose(&h, "bea", json!({ "plan": 3, "rationale": "First." })).await;
        sign(&h, "bea", 1).await;
        sign(&h, "ted", 1).await;
        for plan in [4, 3] {
            let (status, body) = propose(
                &h,
                "bea",
                json!({ "plan": plan, "rationale": "Next.", "supersedes": 1 }),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
        sign(&h, "bea", 2).await;
        let (_, accepted) = sign(&h, "ted", 2).await;
        assert_eq!(accepted["status"], "accepted", "{accepted}");
        sign(&h, "bea", 3).await;
        let (status, body) = sign(&h, "ted", 3).await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend}: {body}");
        assert!(
            error(&body).contains("which another decision superseded meanwhile"),
            "{body}"
        );
        let (_, third) = h.get(&format!("{DECISIONS}/3"), "vic").await;
        assert_eq!(third["status"], "proposed");
        assert_eq!(
            third["signoffs"].as_array().map(Vec::len),
            Some(1),
            "ted's signature was not kept"
        );
        let (_, first) = h.get(&format!("{DECISIONS}/1"), "vic").await;
        assert_eq!(first["superseded_by"], 2);
    }
}

#[tokio::test]
async fn a_signature_checked_before_an_objection_was_raised_is_not_stored() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let (status, _) = propose(&h, "bea", json!({ "plan": 3, "rationale": "x" })).await;
        assert_eq!(status, StatusCode::CREATED);
        let workspace = h
            .store
            .workspace("checkout")
            .await
            .expect("reads")
            .expect("exists");
        // Bea's signature was checked against the objections as they stood at this revision…
        let checked_at = h.store.revision(workspace.id).await.expect("reads");
        // …then Ted raises a blocking objection on wallets, before her signature is stored.
        let (status, body) = h
            .json(
                Method::POST,
                "/api/v1/workspaces/checkout/objections",
                "ted",
                &json!({ "fields": { "id": "late", "on": "wallets", "by": "technical", "tension": "speed-durability", "text": "x", "blocking": true } }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let signoff = tension_server::SignOffRow {
            user_name: "bea".into(),
            side: "business".into(),
            signed_on: "2027-01-08".into(),
        };
        let acceptance = tension_server::Acceptance {
            accepted_on: "2027-01-08".into(),
            objections: String::new(),
        };
        let signed = h
            .store
            .sign_decision(workspace.id, 1, checked_at, &signoff, &acceptance, None)
            .await
            .expect("answers");
        assert_eq!(signed, tension_server::Signed::ScenarioChanged, "{backend}");
        let (_, decision) = h.get(&format!("{DECISIONS}/1"), "vic").await;
        assert_eq!(decision["signoffs"], json!([]), "nothing was stored");
        // Checked again now, the signature is refused for the blocker, through the API.
        let (status, body) = sign(&h, "bea", 1).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["blocking"][0]["id"], "late");
        // At the current revision, the store takes a signature.
        let now = h.store.revision(workspace.id).await.expect("reads");
        assert!(now > checked_at);
        let signed = h
            .store
            .sign_decision(workspace.id, 1, now, &signoff, &acceptance, None)
            .await
            .expect("answers");
        assert_eq!(signed, tension_server::Signed::Proposed);
    }
}

#[tokio::test]
async fn a_decision_row_damaged_outside_the_server_is_refused_not_guessed() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let (status, body) =
            propose(&h, "bea", json!({ "plan": 3, "rationale": "Ship it." })).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        // A sign-off whose side is no side: read back as "unsigned", it would misstate who
        // agreed. The server names the decision and what is wrong instead.
        h.store
            .execute_raw("INSERT INTO signoffs (workspace_id, number, user_name, side, signed_on, at) SELECT workspace_id, number, 'mallory', 'marketing', '2027-01-01', 0 FROM decisions")
            .await
            .expect("a proposed decision takes sign-offs");
        let (status, body) = h.get(&format!("{DECISIONS}/1"), "vic").await;
        assert_eq!(
            status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{backend}: {body}"
        );
        let error = body["error"].as_str().expect("a message");
        assert!(
            error.contains("decision 1 in the database is damaged")
                && error.contains("names no side: `marketing`"),
            "{backend}: {error}"
        );
        // Signing on top of it is refused the same way, and adds nothing.
        let (status, _) = sign(&h, "ted", 1).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let (status, list) = h.get(DECISIONS, "vic").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{list}");
    }
}

#[tokio::test]
async fn a_blocking_objection_on_a_review_or_quantity_the_plan_rests_on_refuses_signatures() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        propose_plan_1(&h, backend).await;
        accept_risk(&h, "bea").await;
        // One-click needs the security review, and its value multiplies `one_click_lift`.
        for (id, on) in [
            ("tokens-at-rest", "security"),
            ("lift-doubt", "one_click_lift"),
        ] {
            let (status, body) = h
                .json(
                    Method::POST,
                    "/api/v1/workspaces/checkout/objections",
                    "ted",
                    &json!({ "fields": { "id": id, "on": on, "by": "technical", "tension": "vision-feasibility", "text": "Not yet.", "blocking": true } }),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{backend} {id}: {body}");
        }
        let (status, body) = sign(&h, "bea", 1).await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend}: {body}");
        let mut blocking: Vec<&str> = body["blocking"]
            .as_array()
            .expect("the blocking objections")
            .iter()
            .filter_map(|o| o["id"].as_str())
            .collect();
        blocking.sort_unstable();
        assert_eq!(
            blocking,
            ["lift-doubt", "tokens-at-rest"],
            "{backend}: {body}"
        );
    }
}
