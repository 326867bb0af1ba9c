//! The team server as a real process: the admin commands, graceful shutdown, and durability
//! when the process is killed in the middle of a stream of writes.

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::{stderr, stdout, tension};

/// Runs `tension` in `dir` with `input` on standard input.
fn tension_with_input(dir: &Path, args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tension"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tension binary runs");
    child
        .stdin
        .take()
        .expect("a pipe")
        .write_all(input.as_bytes())
        .expect("written");
    child.wait_with_output().expect("it ends")
}

/// A workspace `checkout` with the example, and an admin `ada`; returns ada's API token.
fn set_up(dir: &Path) -> String {
    let example = crate::repo_root().join("examples/checkout.toml");
    let example = example.to_str().expect("a UTF-8 path");
    for args in [
        vec!["workspace", "create", "checkout", "--name", "Checkout"],
        vec!["workspace", "import", "checkout", example],
    ] {
        let output = tension(dir, &args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    }
    let output = tension_with_input(
        dir,
        &[
            "user",
            "add",
            "ada",
            "--workspace",
            "checkout",
            "--role",
            "admin",
        ],
        "correct horse battery staple\n",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let output = tension(dir, &["user", "token", "ada"]);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output).trim().to_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port")
}

fn start(dir: &Path, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tension"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .current_dir(dir)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(
            std::fs::File::options()
                .create(true)
                .append(true)
                .open(dir.join("server.log"))
                .expect("a log file"),
        )
        .spawn()
        .expect("the server starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if ureq::get(&format!("http://127.0.0.1:{port}/healthz"))
            .call()
            .is_ok()
        {
            return child;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not answer on port {port}");
}

#[test]
fn admin_commands_set_up_a_workspace_and_refuse_plainly() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    set_up(dir.path());
    let output = tension(dir.path(), &["workspace", "export", "checkout"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let exported = dir.path().join("exported.toml");
    std::fs::write(&exported, stdout(&output)).expect("written");
    let check = tension(dir.path(), &["check", "exported.toml"]);
    assert!(check.status.success(), "{}", stderr(&check));

    let short = tension_with_input(dir.path(), &["user", "add", "bea"], "short\n");
    assert_eq!(short.status.code(), Some(1));
    assert!(
        stderr(&short).contains("at least 12 characters"),
        "{}",
        stderr(&short)
    );
    let again = tension_with_input(
        dir.path(),
        &["user", "add", "ada"],
        "another long password\n",
    );
    assert!(
        stderr(&again).contains("a user `ada` exists already"),
        "{}",
        stderr(&again)
    );
    let missing = tension(dir.path(), &["workspace", "export", "nowhere"]);
    assert!(
        stderr(&missing).contains("there is no workspace `nowhere`"),
        "{}",
        stderr(&missing)
    );
    let bad_role = tension(
        dir.path(),
        &["workspace", "member", "checkout", "ada", "boss"],
    );
    assert_eq!(bad_role.status.code(), Some(2));
    assert!(
        stderr(&bad_role).contains("not a role"),
        "{}",
        stderr(&bad_role)
    );
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[scenario]\nname = 1\n").expect("written");
    let refused = tension(
        dir.path(),
        &["workspace", "import", "checkout", "broken.toml"],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("nothing was imported"),
        "{}",
        stderr(&refused)
    );
}

#[cfg(unix)]
#[test]
fn the_server_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    set_up(dir.path());
    let port = free_port();
    let server = start(dir.path(), port);
    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let output = server.wait_with_output().expect("it ends");
    assert!(output.status.success(), "exit status {:?}", output.status);
}

/// Writes items one after another until the server stops answering; returns the ids of those
/// it acknowledged with 2xx.
fn write_until_killed(port: u16, token: &str, acked: &Mutex<Vec<String>>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into();
    for n in 0.. {
        let id = format!("w-{n}");
        let body = serde_json::json!({ "fields": { "id": id, "title": format!("write {n}"), "effort": 1 } });
        let response = agent
            .post(&format!(
                "http://127.0.0.1:{port}/api/v1/workspaces/checkout/items"
            ))
            .header("Authorization", &format!("Bearer {token}"))
            .send_json(&body);
        match response {
            Ok(response) if response.status().is_success() => {
                acked.lock().expect("not poisoned").push(id);
            }
            Ok(response) => panic!("write {n} refused: {}", response.status()),
            Err(_) => return,
        }
    }
}

#[test]
fn every_acknowledged_write_survives_a_kill() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let token = set_up(dir.path());
    // Kill moments spread over the first second of writing, from a fixed seed.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut acked_total = 0;
    for round in 0..3 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let delay = Duration::from_millis(150 + (state >> 33) % 850);
        let port = free_port();
        let mut server = start(dir.path(), port);
        let acked = Arc::new(Mutex::new(Vec::new()));
        let writer = {
            let (acked, token) = (Arc::clone(&acked), token.clone());
            std::thread::spawn(move || write_until_killed(port, &token, &acked))
        };
        std::thread::sleep(delay);
        server.kill().expect("SIGKILL");
        server.wait().expect("reaped");
        writer.join().expect("the writer ends");
        let acked = acked.lock().expect("not poisoned").clone();
        acked_total += acked.len();
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "round {round}: killed after {delay:?}, {} writes acknowledged",
                acked.len()
            );
        }

        let port = free_port();
        let mut server = start(dir.path(), port);
        let items: serde_json::Value = ureq::get(&format!(
            "http://127.0.0.1:{port}/api/v1/workspaces/checkout/items"
        ))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .expect("the items")
        .body_mut()
        .read_json()
        .expect("JSON");
        let ids: Vec<&str> = items
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|item| item["id"].as_str())
            .collect();
        for id in &acked {
            assert!(
                ids.contains(&id.as_str()),
                "round {round}: acknowledged {id} was lost"
            );
        }
        server.kill().expect("stopped");
        server.wait().expect("reaped");
        // Each round numbers its writes from 0: the next starts from the example again.
        let clean = crate::repo_root().join("examples/checkout.toml");
        let output = tension(
            dir.path(),
            &[
                "workspace",
                "import",
                "checkout",
                clean.to_str().expect("UTF-8"),
            ],
        );
        assert!(output.status.success(), "{}", stderr(&output));
    }
    assert!(
        acked_total > 0,
        "no write was acknowledged before the kills"
    );
    // The database is sound after the kills.
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let db = format!("sqlite://{}", dir.path().join("tension.db").display());
    let integrity = runtime.block_on(async {
        let store = tension_server::Store::connect(&db).await.expect("opens");
        store.integrity_check().await.expect("checked")
    });
    assert_eq!(integrity, "ok");
}

#[test]
fn the_engines_answer_with_the_command_lines_json() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let token = set_up(dir.path());
    let port = free_port();
    let mut server = start(dir.path(), port);
    let example = crate::repo_root().join("examples/checkout.toml");
    let example = example.to_str().expect("UTF-8");
    for (engine, query, args) in [
        (
            "forecast",
            "trials=2000&seed=3",
            vec![
                "forecast", example, "--trials", "2000", "--seed", "3", "--format", "json",
            ],
        ),
        (
            "plan",
            "trials=500&seed=2",
            vec![
                "plan", example, "--trials", "500", "--seed", "2", "--format", "json",
            ],
        ),
    ] {
        let served: serde_json::Value = ureq::get(&format!(
            "http://127.0.0.1:{port}/api/v1/workspaces/checkout/{engine}?{query}"
        ))
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap_or_else(|e| panic!("{engine}: {e}"))
        .body_mut()
        .read_json()
        .expect("JSON");
        let output = tension(dir.path(), &args);
        assert!(output.status.success(), "{}", stderr(&output));
        let printed: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
        assert_eq!(served, printed, "{engine}");
    }
    let refused = ureq::get(&format!(
        "http://127.0.0.1:{port}/api/v1/workspaces/checkout/forecast?trials=0"
    ))
    .header("Authorization", &format!("Bearer {token}"))
    .call();
    assert!(
        matches!(refused, Err(ureq::Error::StatusCode(422))),
        "{refused:?}"
    );
    server.kill().expect("stopped");
    server.wait().expect("reaped");
}

#[cfg(unix)]
#[test]
fn passwords_never_reach_the_logs_or_the_answers() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    set_up(dir.path());
    let port = free_port();
    let server = start(dir.path(), port);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut answers = String::new();
    for password in [
        "correct horse battery staple",
        "a wrong guess of a password",
    ] {
        let mut response = agent
            .post(&format!("http://127.0.0.1:{port}/api/v1/login"))
            .send_json(serde_json::json!({ "name": "ada", "password": password }))
            .expect("an answer");
        answers.push_str(&response.body_mut().read_to_string().expect("a body"));
    }
    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    server.wait_with_output().expect("it ends");
    let log = std::fs::read_to_string(dir.path().join("server.log")).expect("a log");
    assert!(
        log.contains("/api/v1/login"),
        "the requests are logged:\n{log}"
    );
    for secret in [
        "correct horse battery staple",
        "a wrong guess of a password",
    ] {
        assert!(!log.contains(secret), "a password in the log");
        assert!(!answers.contains(secret), "a password in an answer");
    }
}
