//! A load generator for the team server: `clients` threads, each with its own connection, for
//! `seconds`; reads of items, or edits of one item per client (each with its version, so no
//! edit conflicts with another). Prints the throughput, latency percentiles and errors, and
//! for edits checks that every acknowledged edit is stored.
//!
//! ```sh
//! cargo run --release -p tension-server --example load -- URL TOKEN WORKSPACE read|write [CLIENTS] [SECONDS]
//! ```
//! `bench/server.sh` sets up a server and runs it; see `docs/benchmarks.md`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Client {
    agent: ureq::Agent,
    url: String,
    auth: String,
}

impl Client {
    fn new(url: &str, token: &str) -> Client {
        Client {
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(10)))
                .build()
                .into(),
            url: url.to_owned(),
            auth: format!("Bearer {token}"),
        }
    }

    fn get(&self, path: &str) -> Result<(u16, Value), String> {
        let mut response = self
            .agent
            .get(&format!("{}{path}", self.url))
            .header("Authorization", &self.auth)
            .call()
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let body = response.body_mut().read_json().unwrap_or(Value::Null);
        Ok((status, body))
    }

    fn send(&self, method: &str, path: &str, body: &Value) -> Result<(u16, Value), String> {
        let request = match method {
            "POST" => self.agent.post(&format!("{}{path}", self.url)),
            _ => self.agent.patch(&format!("{}{path}", self.url)),
        };
        let mut response = request
            .header("Authorization", &self.auth)
            .send_json(body)
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let body = response.body_mut().read_json().unwrap_or(Value::Null);
        Ok((status, body))
    }
}

/// Latencies in microseconds, and errors, of one client.
#[derive(Default)]
struct Tally {
    latencies: Vec<u32>,
    errors: usize,
    /// For edits: the item, its last acknowledged title and version.
    last: Option<(String, String, i64)>,
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!("usage: load URL TOKEN WORKSPACE read|write [CLIENTS] [SECONDS]");
        std::process::exit(2);
    }
    let (url, token, workspace, mode) = (&args[0], &args[1], &args[2], args[3].as_str());
    let clients: usize = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(50);
    let seconds: u64 = args.get(5).and_then(|n| n.parse().ok()).unwrap_or(30);
    let items = format!("/api/v1/workspaces/{workspace}/items");
    let setup = Client::new(url, token);
    let (status, list) = setup.get(&items).expect("the server answers");
    assert_eq!(status, 200, "cannot list items: {list}");
    let ids: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|item| item["id"].as_str().map(str::to_owned))
        .collect();
    // One item per writer, created once.
    if mode == "write" {
        for n in 0..clients {
            let id = format!("load-{n}");
            if !ids.contains(&id) {
                let (status, body) = setup
                    .send(
                        "POST",
                        &items,
                        &json!({ "fields": { "id": id, "title": "load", "effort": 1 } }),
                    )
                    .expect("the server answers");
                assert_eq!(status, 201, "cannot create {id}: {body}");
            }
        }
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|n| {
                let (ids, items) = (&ids, &items);
                scope.spawn(move || {
                    let client = Client::new(url, token);
                    let mut tally = Tally::default();
                    let id = format!("load-{n}");
                    let mut version = 0;
                    if mode == "write" {
                        let (_, item) = client.get(&format!("{items}/{id}")).expect("answers");
                        version = item["version"].as_i64().expect("a version");
                    }
                    let mut k = 0usize;
                    while Instant::now() < deadline {
                        let t0 = Instant::now();
                        let ok = if mode == "write" {
                            let title = format!("write {n}.{k}");
                            let body = json!({ "version": version, "fields": { "title": title } });
                            match client.send("PATCH", &format!("{items}/{id}"), &body) {
                                Ok((200, item)) => {
                                    version = item["version"].as_i64().unwrap_or(version + 1);
                                    tally.last = Some((id.clone(), title, version));
                                    true
                                }
                                _ => false,
                            }
                        } else {
                            let id = &ids[(n + k) % ids.len()];
                            matches!(client.get(&format!("{items}/{id}")), Ok((200, _)))
                        };
                        let micros = t0.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                        tally.latencies.push(micros);
                        if !ok {
                            tally.errors += 1;
                        }
                        k += 1;
                    }
                    tally
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a client thread"))
            .collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies: Vec<u32> = tallies.iter().flat_map(|t| t.latencies.clone()).collect();
    latencies.sort_unstable();
    let errors: usize = tallies.iter().map(|t| t.errors).sum();
    let mut lost = 0;
    for (id, title, version) in tallies.iter().filter_map(|t| t.last.clone()) {
        let (_, item) = setup.get(&format!("{items}/{id}")).expect("answers");
        if item["fields"]["title"] != title.as_str() || item["version"] != version {
            lost += 1;
        }
    }
    println!(
        "{mode}: {clients} clients, {elapsed:.1} s, {} requests, {:.0} per second, p50 {:.2} ms, p99 {:.2} ms, max {:.1} ms, errors {errors}, lost writes {lost}",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
    );
}
