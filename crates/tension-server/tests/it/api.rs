//! Workspaces, import and export, items, ownership by role, versions and the audit log.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use tension_server::{Role, check};

use crate::{Harness, USERS, backends};

#[tokio::test]
async fn a_scenario_round_trips_through_a_workspace() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let (status, text) = h.get("/api/v1/workspaces/checkout/scenario", "vic").await;
        assert_eq!(status, StatusCode::OK);
        let exported = text.as_str().expect("a file").to_owned();
        let original = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/checkout.toml"),
        )
        .expect("the example");
        let (a, b) = (
            check("a.toml", &original).expect("valid"),
            check("b.toml", &exported).expect("the export is a valid scenario file"),
        );
        assert_eq!(a, b, "{backend}: the export keeps every field\n{exported}");
        let (status, items) = h.get("/api/v1/workspaces/checkout/items", "vic").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(items.as_array().map(Vec::len), Some(a.items.len()));
        let (status, list) = h.get("/api/v1/workspaces", "bea").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            list,
            json!([{ "slug": "checkout", "name": "Checkout", "role": "business" }])
        );
    }
}

#[tokio::test]
async fn a_file_with_errors_is_refused_with_the_diagnostics_of_check() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let bad = "[scenario]\nname = \"x\"\nstart = 2027-01-04\n\n[team]\npeople = 1\n\n[[item]]\nid = \"a\"\neffort = \"15..\"\n";
        let (status, body) = h
            .send(
                Method::PUT,
                "/api/v1/workspaces/checkout/scenario",
                Some("ada"),
                Body::from(bad),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["diagnostics"][0]["code"], "bad-estimate", "{body}");
        assert_eq!(body["diagnostics"][0]["line"], 10);
        assert!(
            body["rendered"]
                .as_str()
                .is_some_and(|r| r.contains("workspace.toml:10")),
            "{body}"
        );
        // Nothing changed: the example is still there.
        let (_, items) = h.get("/api/v1/workspaces/checkout/items", "ada").await;
        assert_eq!(items.as_array().map(Vec::len), Some(9));
        // Only admins import.
        let (status, _) = h
            .send(
                Method::PUT,
                "/api/v1/workspaces/checkout/scenario",
                Some("bea"),
                Body::from(bad),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}

/// A valid new value for each field an item may have, different for each attempt `n`, and the
/// side that owns the field.
fn edits(n: usize) -> [(&'static str, Value, Option<&'static str>); 8] {
    [
        (
            "value",
            json!(format!("1k..{}k USD/month", n + 2)),
            Some("business"),
        ),
        (
            "value_once",
            json!(format!("{}k USD", n + 1)),
            Some("business"),
        ),
        (
            "target",
            json!(format!("2027-03-{:02}", n + 1)),
            Some("business"),
        ),
        (
            "effort",
            json!(format!("10..{} days", 20 + n)),
            Some("technical"),
        ),
        ("health", json!(-(n as i64) - 1), Some("technical")),
        ("risk", json!(format!("5%..{}%", 10 + n)), Some("technical")),
        ("max_people", json!(1 + n % 3), Some("technical")),
        ("title", json!(format!("Title {n}")), None),
    ]
}

/// What an edit by a member of `role` (`None`: of another workspace) of a field owned by
/// `owner` (`None`: shared) must answer.
fn expected_status(role: Option<Role>, owner: Option<&str>) -> StatusCode {
    match role {
        None => StatusCode::NOT_FOUND,
        Some(Role::Admin) => StatusCode::OK,
        Some(Role::Viewer) => StatusCode::FORBIDDEN,
        Some(role) => match owner {
            Some(owner) if owner != role.name() => StatusCode::FORBIDDEN,
            _ => StatusCode::OK,
        },
    }
}

#[tokio::test]
async fn every_role_edits_exactly_the_fields_it_owns() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        for (n, (user, role)) in USERS.into_iter().enumerate() {
            for (field, value, owner) in edits(n) {
                // wallets has one estimate per field, the owner's.
                let (status, body) = h.patch("wallets", user, json!({ field: value })).await;
                let expected = expected_status(role, owner);
                assert_eq!(status, expected, "{backend}: {user} edits {field}: {body}");
                if status == StatusCode::FORBIDDEN
                    && let Some(owner) = owner
                    && role != Some(Role::Viewer)
                {
                    let message = body["error"].as_str().expect("a message");
                    assert!(
                        message.contains(&format!("owned by the {owner} side")),
                        "{message}"
                    );
                }
                if status == StatusCode::OK {
                    assert_eq!(body["fields"][field], value, "{backend}: {user} {field}");
                }
            }
        }
    }
}

#[tokio::test]
async fn replacing_both_estimates_with_one_is_the_other_sides_change_too() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        // one-click's effort has both sides' estimates: a plain estimate would drop the
        // business side's, which only the business side may do.
        let (status, body) = h
            .patch("one-click", "ted", json!({ "effort": "10..20 days" }))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|m| m.contains("owned by the business side"))
        );
    }
}

#[tokio::test]
async fn each_side_adds_its_own_estimate_of_the_other_sides_field() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        // checkout.toml: wallets has effort "8..15 days" from the technical side only.
        let path = "/api/v1/workspaces/checkout/items/wallets";
        let (_, wallets) = h.get(path, "bea").await;
        let technical = wallets["fields"]["effort"].clone();
        assert!(technical.is_string(), "{wallets}");
        let sided = json!({ "effort": { "technical": technical, "business": "3..5 days" } });
        let (status, body) = h.patch("wallets", "bea", sided.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // The technical side may not rewrite the business side's estimate, nor the other way.
        let (status, _) = h
            .patch(
                "wallets",
                "ted",
                json!({ "effort": { "technical": technical, "business": "1..2 days" } }),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = h
            .patch(
                "wallets",
                "bea",
                json!({ "effort": { "technical": "1..2 days", "business": "3..5 days" } }),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = h
            .patch(
                "wallets",
                "ted",
                json!({ "effort": { "technical": "9..16 days", "business": "3..5 days" } }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // The export carries both estimates for the disagreement map.
        let (_, text) = h.get("/api/v1/workspaces/checkout/scenario", "vic").await;
        let scenario = check("x.toml", text.as_str().expect("text")).expect("valid");
        let effort = scenario
            .item("wallets")
            .and_then(|item| item.technical.effort.as_ref())
            .expect("an effort");
        assert_eq!(effort.by_owner.text, "9..16 days");
        assert_eq!(
            effort.by_other.as_ref().map(|e| e.text.as_str()),
            Some("3..5 days")
        );
    }
}

#[tokio::test]
async fn a_member_of_another_workspace_sees_nothing_of_this_one() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        for path in [
            "/api/v1/workspaces/checkout",
            "/api/v1/workspaces/checkout/items",
            "/api/v1/workspaces/checkout/items/one-click",
            "/api/v1/workspaces/checkout/items/one-click/history",
            "/api/v1/workspaces/checkout/scenario",
            "/api/v1/workspaces/checkout/audit",
            "/api/v1/workspaces/nowhere/items",
        ] {
            let (status, body) = h.get(path, "eve").await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(body, json!({ "error": "not found" }), "{path}");
        }
        let (status, _) = h
            .json(
                Method::PUT,
                "/api/v1/workspaces/checkout/members/eve",
                "eve",
                &json!({ "role": "admin" }),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = h.patch("one-click", "eve", json!({ "title": "x" })).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_stale_version_gets_409_and_the_current_item() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let version = h.version("one-click").await;
        let path = "/api/v1/workspaces/checkout/items/one-click";
        let first = json!({ "version": version, "fields": { "title": "First" } });
        let (status, _) = h.json(Method::PATCH, path, "bea", &first).await;
        assert_eq!(status, StatusCode::OK);
        let second = json!({ "version": version, "fields": { "title": "Second" } });
        let (status, body) = h.json(Method::PATCH, path, "ted", &second).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["current"]["fields"]["title"], "First");
        assert_eq!(body["current"]["version"], version + 1);
    }
}

#[tokio::test]
async fn every_change_is_in_the_append_only_audit_log() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let (_, before) = h
            .get("/api/v1/workspaces/checkout/items/wallets", "ada")
            .await;
        let (status, _) = h
            .patch("wallets", "ted", json!({ "effort": "10..20 days" }))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = h
            .patch("wallets", "bea", json!({ "target": "2027-03-10" }))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, history) = h
            .get("/api/v1/workspaces/checkout/items/wallets/history", "vic")
            .await;
        assert_eq!(status, StatusCode::OK);
        let history = history.as_array().expect("a list");
        assert_eq!(history.len(), 2, "{history:?}");
        assert_eq!(history[0]["field"], "effort");
        assert_eq!(history[0]["user"], "ted");
        assert_eq!(history[0]["old"], before["fields"]["effort"]);
        assert_eq!(history[0]["new"], "10..20 days");
        assert_eq!(history[1]["field"], "target");
        assert_eq!(history[1]["old"], Value::Null);
        assert_eq!(history[1]["new"], "2027-03-10");
        let (_, all) = h.get("/api/v1/workspaces/checkout/audit", "vic").await;
        assert_eq!(all[0]["field"], "*", "the import comes first: {all}");
        assert_eq!(all.as_array().map(Vec::len), Some(3));
        // No statement changes or removes an entry.
        assert!(
            h.store
                .execute_raw("UPDATE audit SET user_name = 'mallory'")
                .await
                .is_err()
        );
        assert!(h.store.execute_raw("DELETE FROM audit").await.is_err());
        let (_, again) = h.get("/api/v1/workspaces/checkout/audit", "vic").await;
        assert_eq!(again.as_array().map(Vec::len), Some(3));
    }
}

#[tokio::test]
async fn an_edit_the_format_refuses_gets_422_and_changes_nothing() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let version = h.version("wallets").await;
        let (status, body) = h
            .patch("wallets", "ted", json!({ "effort": "15..x days" }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["diagnostics"][0]["code"], "bad-estimate", "{body}");
        let (status, body) = h
            .patch("wallets", "ted", json!({ "needs": ["nothing-like-it"] }))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(h.version("wallets").await, version);
        let (status, body) = h.patch("wallets", "ted", json!({ "id": "renamed" })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
}

#[tokio::test]
async fn both_sides_propose_items_and_viewers_do_not() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let path = "/api/v1/workspaces/checkout/items";
        let item = json!({ "fields": { "id": "gift-cards", "title": "Gift cards", "value": "2k..4k USD/month" } });
        let (status, body) = h.json(Method::POST, path, "bea", &item).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, _) = h.json(Method::POST, path, "bea", &item).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let health = json!({ "fields": { "id": "alerts", "kind": "health", "effort": "3..5 days", "health": 5 } });
        let (status, body) = h.json(Method::POST, path, "ted", &health).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        // A business proposal may not carry the technical side's estimate as the owner's.
        let sneaky = json!({ "fields": { "id": "sneaky", "effort": "1 days" } });
        let (status, _) = h.json(Method::POST, path, "bea", &sneaky).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = h
            .json(
                Method::POST,
                path,
                "vic",
                &json!({ "fields": { "id": "v" } }),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (_, items) = h.get(path, "vic").await;
        let ids: Vec<&str> = items
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|i| i["id"].as_str())
            .collect();
        assert_eq!(&ids[ids.len() - 2..], ["gift-cards", "alerts"]);
    }
}

#[tokio::test]
async fn workspaces_are_created_and_members_managed_by_admins() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let (status, body) = h
            .json(
                Method::POST,
                "/api/v1/workspaces",
                "bea",
                &json!({ "slug": "pricing-2027", "name": "Pricing" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["role"], "admin");
        let (status, _) = h
            .json(
                Method::POST,
                "/api/v1/workspaces",
                "bea",
                &json!({ "slug": "Bad Slug!", "name": "x" }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = h
            .json(
                Method::PUT,
                "/api/v1/workspaces/checkout/members/vic",
                "bea",
                &json!({ "role": "admin" }),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = h
            .json(
                Method::PUT,
                "/api/v1/workspaces/checkout/members/vic",
                "ada",
                &json!({ "role": "technical" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, _) = h
            .patch("wallets", "vic", json!({ "effort": "9..12 days" }))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn members_run_the_engines_and_others_get_404() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let base = "/api/v1/workspaces/checkout";
        let (status, forecast) = h.get(&format!("{base}/forecast?trials=500"), "vic").await;
        assert_eq!(status, StatusCode::OK, "{forecast}");
        assert_eq!(forecast["trials"], 500);
        assert_eq!(forecast["items"].as_array().map(Vec::len), Some(9));
        let (status, plan) = h
            .get(&format!("{base}/plan?trials=300&points=2"), "bea")
            .await;
        assert_eq!(status, StatusCode::OK, "{plan}");
        assert!(
            plan["frontier"].as_array().is_some_and(|f| f.len() == 2),
            "{plan}"
        );
        let (status, explained) = h
            .get(&format!("{base}/explain?trials=1000&min_health=0"), "ted")
            .await;
        assert_eq!(status, StatusCode::OK, "{explained}");
        assert!(
            explained["evpi"].is_f64() && explained["inputs"].is_array(),
            "{explained}"
        );
        for engine in ["forecast", "plan", "explain"] {
            let (status, _) = h.get(&format!("{base}/{engine}"), "eve").await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{engine}");
        }
        let (status, body) = h.get(&format!("{base}/forecast?trials=0"), "vic").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = h.get(&format!("{base}/plan?points=1000"), "vic").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = h
            .get(&format!("{base}/explain?min_health=1000&trials=500"), "vic")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|m| m.contains("nothing to explain")),
            "{body}"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_the_server_has() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let (status, doc) = h
            .send(Method::GET, "/api/v1/openapi.json", None, Body::empty())
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
            "{doc}"
        );
        let paths = doc["paths"].as_object().expect("paths");
        let mut documented = Vec::new();
        for (path, methods) in paths {
            for method in methods.as_object().expect("methods").keys() {
                documented.push(format!("{} {path}", method.to_uppercase()));
            }
        }
        documented.sort();
        let expected = [
            "GET /api/v1/workspaces",
            "GET /api/v1/workspaces/{ws}",
            "GET /api/v1/workspaces/{ws}/audit",
            "GET /api/v1/workspaces/{ws}/decisions",
            "GET /api/v1/workspaces/{ws}/decisions/{n}",
            "GET /api/v1/workspaces/{ws}/decisions/{n}/record",
            "GET /api/v1/workspaces/{ws}/explain",
            "GET /api/v1/workspaces/{ws}/forecast",
            "GET /api/v1/workspaces/{ws}/items",
            "GET /api/v1/workspaces/{ws}/items/{id}",
            "GET /api/v1/workspaces/{ws}/items/{id}/history",
            "GET /api/v1/workspaces/{ws}/objections",
            "GET /api/v1/workspaces/{ws}/plan",
            "GET /api/v1/workspaces/{ws}/reviews",
            "GET /api/v1/workspaces/{ws}/scenario",
            "GET /healthz",
            "PATCH /api/v1/workspaces/{ws}/items/{id}",
            "PATCH /api/v1/workspaces/{ws}/reviews/{id}",
            "POST /api/v1/login",
            "POST /api/v1/logout",
            "POST /api/v1/tokens",
            "POST /api/v1/workspaces",
            "POST /api/v1/workspaces/{ws}/decisions",
            "POST /api/v1/workspaces/{ws}/decisions/{n}/signoffs",
            "POST /api/v1/workspaces/{ws}/items",
            "POST /api/v1/workspaces/{ws}/objections",
            "POST /api/v1/workspaces/{ws}/objections/{id}/moves",
            "POST /api/v1/workspaces/{ws}/reviews/{id}/moves",
            "PUT /api/v1/workspaces/{ws}/members/{user}",
            "PUT /api/v1/workspaces/{ws}/scenario",
        ];
        assert_eq!(documented, expected);
        // A decision for the routes that name one.
        let (status, body) = h
            .json(
                Method::POST,
                "/api/v1/workspaces/checkout/decisions",
                "bea",
                &json!({ "plan": 3, "rationale": "the safe plan" }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        // Every documented route is served: with an empty body, a route answers, but never with
        // the fallback's 404 or a 405.
        for entry in &documented {
            let (method, path) = entry.split_once(' ').expect("METHOD path");
            let path = path
                .replace("{ws}", "checkout")
                .replace(
                    "{id}",
                    if path.contains("reviews") {
                        "security"
                    } else if path.contains("objections") {
                        "date-needs-refactor"
                    } else {
                        "wallets"
                    },
                )
                .replace("{n}", "1")
                .replace("{user}", "vic");
            let method: Method = method.parse().expect("a method");
            let (status, body) = h
                .send(method.clone(), &path, Some("ada"), Body::empty())
                .await;
            assert!(
                status != StatusCode::METHOD_NOT_ALLOWED && body != json!({ "error": "not found" }),
                "{method} {path}: {status} {body}"
            );
        }
    }
}

#[tokio::test]
async fn review_lead_times_are_the_technical_sides_and_the_rest_is_shared() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let path = "/api/v1/workspaces/checkout/reviews/security";
        let (status, list) = h.get("/api/v1/workspaces/checkout/reviews", "vic").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list[0]["id"], "security");
        let mut version = list[0]["version"].as_i64().expect("a version");
        for (n, (user, role)) in USERS.into_iter().enumerate() {
            for (field, value, owner) in [
                (
                    "lead_time",
                    json!(format!("5..{} days", 15 + n)),
                    Some("technical"),
                ),
                ("title", json!(format!("Security review {n}")), None),
            ] {
                let patch = json!({ "version": version, "fields": { field: value } });
                let (status, body) = h.json(Method::PATCH, path, user, &patch).await;
                let expected = expected_status(role, owner);
                assert_eq!(status, expected, "{backend}: {user} edits {field}: {body}");
                if status == StatusCode::OK {
                    version += 1;
                }
            }
        }
        // The business side adds its own view of the lead time.
        let (_, review) = h.get("/api/v1/workspaces/checkout/reviews", "bea").await;
        let technical = review[0]["fields"]["lead_time"].clone();
        let sided = json!({ "version": version, "fields": { "lead_time": { "technical": technical, "business": "2..3 days" } } });
        let (status, body) = h.json(Method::PATCH, path, "bea", &sided).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

#[tokio::test]
async fn either_side_raises_objections_for_itself() {
    for backend in backends() {
        let h = Harness::new(backend).await;
        let path = "/api/v1/workspaces/checkout/objections";
        let objection = |id: &str, by: &str| {
            json!({ "fields": {
                "id": id, "on": "wallets.effort", "by": by, "tension": "vision-feasibility",
                "text": "Wallet buttons need the payment provider's review too.", "blocking": false
            } })
        };
        let (status, body) = h
            .json(
                Method::POST,
                path,
                "bea",
                &objection("provider-review", "business"),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = h
            .json(
                Method::POST,
                path,
                "bea",
                &objection("as-the-other", "technical"),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, _) = h
            .json(Method::POST, path, "vic", &objection("viewer", "business"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let mut unknown = objection("nowhere", "technical");
        unknown["fields"]["on"] = json!("no-such-item.effort");
        let (status, body) = h.json(Method::POST, path, "ted", &unknown).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["rendered"]
                .as_str()
                .is_some_and(|r| r.contains("no-such-item")),
            "the refusal names the unknown target: {body}"
        );
        let mut resolved = objection("already-done", "technical");
        resolved["fields"]["status"] = json!("resolved");
        let (status, _) = h.json(Method::POST, path, "ted", &resolved).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, list) = h.get(path, "vic").await;
        let ids: Vec<&str> = list
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|o| o["id"].as_str())
            .collect();
        assert_eq!(ids.last(), Some(&"provider-review"), "{ids:?}");
        // The export carries it.
        let (_, text) = h.get("/api/v1/workspaces/checkout/scenario", "vic").await;
        let scenario = check("x.toml", text.as_str().expect("text")).expect("valid");
        assert!(
            scenario
                .objections
                .iter()
                .any(|o| o.id == "provider-review")
        );
    }
}
