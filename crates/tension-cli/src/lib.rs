//! The `tension` command line: `check`, `estimate`, `forecast`, `history`, `backtest`, `plan`,
//! `explain`, `decide`, `objections`, `reviews`, `move`, `nrp` and `init` over plain-text
//! scenario files, issue-tracker exports and NRP instances.
//!
//! This is the only crate that prints. Every command writes to the handles it is given, so the
//! tests run them in-process as well as through the real binary.

mod backtest;
mod chart;
mod check;
mod decide;
mod estimate;
mod explain;
mod forecast;
mod format;
mod history;
mod init;
mod moves;
mod nrp;
mod objections;
mod plan;
mod progress;
mod reviews;
mod server;
mod throughput;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use tension_scenario::{Checked, Options, Style};

/// Put the business side's and the technical side's numbers on one table.
#[derive(Debug, Parser)]
#[command(name = "tension", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// The date that counts as today: for the age of evidence, the start of history forecasts,
    /// the check that no work is done in the future, the date of a move and the state of review
    /// SLAs [default: the system date].
    #[arg(long, global = true, env = "TENSION_TODAY", value_name = "DATE")]
    pub today: Option<Date>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files: every problem at once, with its place in the file.
    ///
    /// Exits 0 when every file is valid (warnings allowed) and 1 when any has an error.
    Check {
        /// Scenario files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Sample an estimate and print its mean, spread, percentiles and a histogram.
    ///
    /// The estimate is written as in a scenario file: `5..10`, `"15..40 days"`,
    /// `"pert(5, 10, 30)"`, `"2 * (3..5) + 1"`. With --file, it may also be a field of the
    /// scenario (`one-click.value`, `avg_order`, `security.lead_time`, `team.focus`) or an
    /// expression over its quantities.
    #[command(allow_negative_numbers = true)]
    Estimate {
        /// The estimate, or a field of the scenario given with --file.
        #[arg(value_name = "EXPR", allow_hyphen_values = true)]
        expr: String,
        /// A scenario file whose quantities and fields the estimate may name.
        #[arg(long, short, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Number of Monte Carlo trials.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        trials: u64,
        /// Seed of the random numbers: the same seed gives the same result everywhere.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Forecast when each item and the whole plan will be done (Monte Carlo).
    ///
    /// From a scenario: each trial draws every effort, the team's focus and every review lead
    /// time, and runs the schedule: people take the ready item first in plan order, reviews run
    /// in parallel, weekends and holidays are skipped. Dates are the last working day of the
    /// work.
    ///
    /// From a history (--history, or --mode throughput with the scenario's [team] history):
    /// each trial draws every day's throughput from the days of the last weeks of the history,
    /// and answers "when will N items be done?" (--remaining) or "how many by this date?"
    /// (--by).
    Forecast {
        /// The scenario file.
        #[arg(value_name = "FILE", required_unless_present = "history")]
        file: Option<PathBuf>,
        /// Number of Monte Carlo trials.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        trials: u64,
        /// Seed of the random numbers: the same seed gives the same forecast everywhere.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Plan order: these item ids first, in this order; the others follow in file order.
        #[arg(long, value_delimiter = ',', value_name = "ID,...")]
        order: Vec<String>,
        /// What if these items were dropped? Prints the change side by side.
        #[arg(long, value_delimiter = ',', value_name = "ID,...")]
        without: Vec<String>,
        /// What if the team had this many people? Prints the change side by side.
        #[arg(long, value_name = "N")]
        with_people: Option<u32>,
        /// Write a chart of the distribution (finish dates, or items done) to this SVG file.
        #[arg(long, value_name = "OUT.svg")]
        svg: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Forecast from the effort ranges (schedule) or from the team's throughput history.
        #[arg(long, value_enum, default_value_t = Mode::Schedule)]
        mode: Mode,
        /// Completed-work export (Jira, GitHub, Linear, CSV) to forecast from; a folder reads
        /// every export in it.
        #[arg(long, value_name = "FILE", help_heading = "From history")]
        history: Option<PathBuf>,
        /// Items left to do: a number or a range (`20..25`, `uniform(20, 25)`). With a scenario,
        /// its number of items.
        #[arg(
            long,
            value_name = "ITEMS",
            help_heading = "From history",
            conflicts_with = "by",
            allow_hyphen_values = true
        )]
        remaining: Option<String>,
        /// Forecast how many items are done by this date (included) instead.
        #[arg(long, value_name = "DATE", help_heading = "From history")]
        by: Option<Date>,
        /// Items split as they are worked on, by this factor per trial (`1..1.5`).
        #[arg(long, value_name = "RANGE", help_heading = "From history")]
        split: Option<String>,
        /// Share of throughput going to this work (`0.5..0.8`).
        #[arg(long, value_name = "RANGE", help_heading = "From history")]
        focus: Option<String>,
        /// First day of work, counted from its start [default: today, or the scenario's start].
        #[arg(long, value_name = "DATE", help_heading = "From history")]
        start: Option<Date>,
        /// The date to be done by [default: the scenario's deadline].
        #[arg(long, value_name = "DATE", help_heading = "From history")]
        deadline: Option<Date>,
        /// Weeks of history to draw from, ending before the start (1 to 520).
        #[arg(
            long,
            value_name = "WEEKS",
            default_value_t = 12,
            value_parser = clap::value_parser!(u32).range(1..=520),
            help_heading = "From history"
        )]
        window: u32,
        #[command(flatten)]
        import: history::ImportArgs,
    },
    /// Throughput per week, cycle times and stability of a completed-work history.
    ///
    /// Reads a Jira, GitHub, Linear or named-column CSV export (or a folder of them), and shows
    /// the window a forecast would draw from: the last --window weeks of the history.
    History {
        /// The export file, or a folder of exports.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Weeks in the window (1 to 520).
        #[arg(long, value_name = "WEEKS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=520))]
        window: u32,
        /// The last day of the window [default: the day of the last completed item].
        #[arg(long, value_name = "DATE")]
        until: Option<Date>,
        /// Write a chart of throughput per week to this SVG file.
        #[arg(long, value_name = "OUT.svg")]
        svg: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        import: history::ImportArgs,
    },
    /// How well throughput forecasts would have held on the history itself.
    ///
    /// At dates a week apart, forecasts "how many in the next --horizon weeks" and "when will
    /// that many be done" from the --window weeks before the date only, then compares them with
    /// what happened: a calibration table.
    Backtest {
        /// The export file, or a folder of exports.
        #[arg(long, value_name = "FILE")]
        history: PathBuf,
        /// Weeks ahead each forecast looks (1 to 520).
        #[arg(long, value_name = "WEEKS", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=520))]
        horizon: u32,
        /// Weeks of history each forecast draws from (1 to 520).
        #[arg(long, value_name = "WEEKS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=520))]
        window: u32,
        /// Monte Carlo trials of each forecast.
        #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        trials: u64,
        /// Seed of the random numbers.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        import: history::ImportArgs,
    },
    /// The frontier of plans between business value and system health.
    ///
    /// Every plan keeps each item's needs, every `must` item, at most one item of each
    /// `alternatives` group, the health floor and the error budget's rules, and is verified
    /// by the forecast to be done by the deadline at the scenario's confidence. Prints the
    /// plans from most value to most health, the recommended one, what each side concedes
    /// against its ideal, and which constraints bind.
    Plan {
        /// The scenario file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// At most this many plans, spread from one ideal to the other [default: every
        /// non-dominated plan].
        #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(2..=10_000))]
        points: Option<u64>,
        /// Monte Carlo trials for expected values and for verifying each plan.
        #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        trials: u64,
        /// Seed of the random numbers.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// With an exhausted error budget, leave out items whose expected risk is above this.
        #[arg(long, value_name = "SHARE", default_value_t = 0.10)]
        max_risk: f64,
        /// Stop each search after this many seconds and report what was found.
        #[arg(long, value_name = "SECONDS")]
        time_limit: Option<f64>,
        /// Write the frontier as a scatter chart to this SVG file.
        #[arg(long, value_name = "OUT.svg")]
        svg: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Which uncertain input matters for the choice of a plan: value of information,
    /// sensitivity, evidence and the two sides' disagreements.
    ///
    /// The choice is among the plans of the frontier (`tension plan`) with at least
    /// --min-health. For every estimate the plans depend on, prints what knowing it exactly is
    /// worth (EVPPI, in the scenario's currency) and the chance that knowing it changes the
    /// plan; the recommended plan's value with the input at its 10th and 90th percentiles
    /// (others at their medians) and how far its P85 finish moves; the evidence behind it. The
    /// inputs to verify first are those worth something on weak evidence (a guess, no source,
    /// or older than 180 days). Where both sides estimated a field, shows whether the other
    /// side's estimate would change the plan or move its P85 by more than a week.
    Explain {
        /// The scenario file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Plans below this health are not options [default: the recommended plan's health].
        #[arg(long, value_name = "POINTS", allow_negative_numbers = true)]
        min_health: Option<f64>,
        /// Monte Carlo trials shared by every input and plan.
        #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(2..=10_000_000))]
        trials: u64,
        /// Seed of the random numbers.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Plan with at most this many plans on the frontier, as `tension plan --points`.
        #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(2..=10_000))]
        points: Option<u64>,
        /// Trials for planning (expected values and verification), as `tension plan --trials`.
        #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        plan_trials: u64,
        /// Write the tornado chart to this SVG file.
        #[arg(long, value_name = "OUT.svg")]
        svg: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Record a decision: pick a plan of the frontier and write a Markdown decision record
    /// (MADR) with the options, the concessions, the accepted risks, the objections and the
    /// evidence.
    ///
    /// The record is `accepted` when a business and a technical member sign it (--signed-by),
    /// and `proposed` until then. It cannot be signed while a blocking objection on a chosen
    /// item is open or answered. Records are never overwritten: each gets the next number.
    Decide {
        /// The scenario file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The plan, numbered as `tension plan` prints the frontier.
        #[arg(long, value_name = "K")]
        plan: usize,
        /// Why this plan, in a sentence or two.
        #[arg(long, value_name = "TEXT")]
        rationale: String,
        /// A sign-off: `business:NAME` or `technical:NAME`; repeat for each.
        #[arg(long, value_name = "SIDE:NAME")]
        signed_by: Vec<String>,
        /// Folder of the decision records.
        #[arg(long, value_name = "DIR", default_value = "decisions")]
        dir: PathBuf,
        /// Monte Carlo trials for planning, as `tension plan --trials`.
        #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        trials: u64,
        /// Seed of the random numbers.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// List a scenario's objections by tension and status: open and blocking first, with their
    /// age.
    Objections {
        /// The scenario file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Move an objection through its lifecycle, or a review through its workflow, in the file.
    ///
    /// Objections: the other side answers (open → answered, with --note), the raising side
    /// reopens (answered → open) or resolves (answered → resolved, with --note), either side
    /// accepts the risk (open or answered → accepted-risk, with --note and --risk-owner). Each
    /// move is appended to the objection's `[[objection.history]]`, with who, for which side
    /// and when. Reviews: requested → in-review → changes-requested, approved,
    /// approved-with-conditions (with --conditions) or rejected; a rejected review is
    /// requested again.
    ///
    /// Only the fields the move changes are edited: comments, order and layout stay as they
    /// are. A refused move exits 1 and leaves the file byte for byte as it was. See
    /// docs/moves.md.
    Move {
        /// The scenario file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The objection or review; `objection:ID` or `review:ID` when an id names both.
        #[arg(value_name = "ID")]
        id: String,
        /// The status to move to.
        #[arg(long, value_name = "STATUS")]
        to: String,
        /// Who makes the move, for which side: `technical:Dana`, `business:Marcus`. Required for
        /// objections; optional for reviews, which keep no history.
        #[arg(long, value_name = "SIDE:NAME")]
        by: Option<String>,
        /// The answer, or what was decided and why: needed to answer, resolve or accept a risk.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// The person who watches an accepted risk.
        #[arg(long, value_name = "NAME")]
        risk_owner: Option<String>,
        /// When an accepted risk is looked at again.
        #[arg(long, value_name = "YYYY-MM-DD")]
        review_by: Option<String>,
        /// What the move led to, such as "one-click.target revised"; repeat for each.
        #[arg(long = "change", value_name = "TEXT")]
        changes: Vec<String>,
        /// A condition of an approval with conditions; repeat for each.
        #[arg(long, value_name = "TEXT")]
        conditions: Vec<String>,
    },
    /// List a scenario's reviews against their SLA: overdue and due soon first, with the working
    /// days left, the checklist, the conditions, the findings (objections on the review) and the
    /// items each gates.
    ///
    /// The SLA counts the team's working days (workdays and holidays) from `requested`; a
    /// review is due soon with 2 working days left or fewer, the due date included.
    Reviews {
        /// The scenario file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Run the team server: workspaces, accounts and roles, and the JSON API under /api/v1.
    ///
    /// Stops on SIGINT or SIGTERM after the requests in flight. Logs go to standard error
    /// (`RUST_LOG` sets the level). See docs/server.md.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: std::net::SocketAddr,
        /// Database: `sqlite://PATH` (created on first start) or `postgres://...`.
        #[arg(long, env = "TENSION_DB", default_value = server::DEFAULT_DB)]
        db: String,
        /// Mark the session cookie Secure: set it when users reach the server over HTTPS.
        #[arg(long)]
        secure_cookies: bool,
    },
    /// Manage the team server's users (on its database).
    User {
        #[command(subcommand)]
        command: server::UserCommand,
        /// Database: `sqlite://PATH` or `postgres://...`.
        #[arg(long, env = "TENSION_DB", default_value = server::DEFAULT_DB, global = true)]
        db: String,
    },
    /// Manage the team server's workspaces (on its database).
    Workspace {
        #[command(subcommand)]
        command: server::WorkspaceCommand,
        /// Database: `sqlite://PATH` or `postgres://...`.
        #[arg(long, env = "TENSION_DB", default_value = server::DEFAULT_DB, global = true)]
        db: String,
    },
    /// Solve a Next Release Problem benchmark instance exactly.
    ///
    /// Reads the classic or realistic instance format (requirements with costs, prerequisite
    /// pairs, customers with a profit and their requests), sets the budget to
    /// floor(ratio × total cost) and maximises the profit of the customers whose requests and
    /// their prerequisites are all delivered. The answer is proven optimal, or its gap is shown
    /// when --time-limit stops the search.
    Nrp {
        /// The instance file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The budget as a share of the total cost of all requirements.
        #[arg(long, value_name = "RATIO", value_parser = nrp::parse_ratio, required_unless_present = "front")]
        ratio: Option<tension_solve::nrp::Ratio>,
        /// Compute the exact profit-against-cost front instead (no budget).
        #[arg(long, conflicts_with = "ratio")]
        front: bool,
        /// Stop searching after this many seconds and report the best answer and its gap.
        #[arg(long, value_name = "SECONDS")]
        time_limit: Option<f64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write a commented starter scenario (`scenario.toml`) that passes `check`.
    Init {
        /// Folder to write it in; created if missing.
        #[arg(default_value = ".", value_name = "DIR")]
        dir: PathBuf,
        /// Overwrite an existing scenario.toml.
        #[arg(long)]
        force: bool,
    },
}

/// What a forecast is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// The effort ranges, the team and the calendar of the scenario.
    Schedule,
    /// The team's throughput history, counting items.
    Throughput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Runs a command, writing results to stdout and diagnostics to stderr.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let today = match cli.today {
        Some(date) => date,
        None => jiff::ZonedDateTime::now().date(),
    };
    let stdout = io::stdout();
    let stderr = io::stderr();
    let style = Style {
        color: stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        ..Style::default()
    };
    let mut out = stdout.lock();
    // Not locked for the whole command: the progress bar writes to stderr from other threads.
    let mut err = stderr;
    let options = Options { today: Some(today) };
    let ok = match cli.command {
        Command::Check { files } => check::run(&files, &options, style, &mut out, &mut err)?,
        Command::Estimate {
            expr,
            file,
            trials,
            seed,
            format,
        } => {
            let request = estimate::Request {
                expr,
                file,
                trials: trials as usize,
                seed,
                format,
            };
            estimate::run(&request, &options, style, &mut out, &mut err)?
        }
        Command::Forecast {
            file,
            trials,
            seed,
            order,
            without,
            with_people,
            svg,
            format,
            mode,
            history,
            remaining,
            by,
            split,
            focus,
            start,
            deadline,
            window,
            import,
        } => {
            if mode == Mode::Throughput || history.is_some() || file.is_none() {
                let schedule_only = [
                    ("--order", !order.is_empty()),
                    ("--without", !without.is_empty()),
                    ("--with-people", with_people.is_some()),
                ];
                if let Some((flag, _)) = schedule_only.iter().find(|(_, given)| *given) {
                    anyhow::bail!(
                        "{flag} is for forecasts from a scenario's effort ranges, not from a history\n  help: leave out --history and --mode throughput, or leave out {flag}"
                    );
                }
                let request = throughput::Request {
                    scenario: file,
                    history,
                    remaining,
                    by,
                    split,
                    focus,
                    start,
                    deadline,
                    window,
                    import,
                    trials: trials as usize,
                    seed,
                    format,
                    svg,
                };
                throughput::run(&request, &options, style, today, &mut out, &mut err)?
            } else {
                let Some(file) = file else {
                    anyhow::bail!("give a scenario file, or --history FILE");
                };
                let request = forecast::Request {
                    file,
                    trials: trials as usize,
                    seed,
                    order,
                    format,
                    svg,
                    without,
                    with_people,
                };
                forecast::run(&request, &options, style, &mut out, &mut err)?
            }
        }
        Command::History {
            file,
            window,
            until,
            svg,
            format,
            import,
        } => {
            let request = history::Request {
                file,
                import,
                window,
                until,
                svg,
                format,
            };
            history::run(&request, today, &mut out)?
        }
        Command::Backtest {
            history,
            horizon,
            window,
            trials,
            seed,
            format,
            import,
        } => {
            let request = backtest::Request {
                history,
                import,
                window,
                horizon,
                trials: trials as usize,
                seed,
                format,
            };
            backtest::run(&request, today, &mut out)?
        }
        Command::Plan {
            file,
            points,
            trials,
            seed,
            max_risk,
            time_limit,
            svg,
            format,
        } => {
            if !(0.0..=1.0).contains(&max_risk) {
                anyhow::bail!(
                    "--max-risk {max_risk} is not a share: give a number from 0 to 1, such as 0.1"
                );
            }
            let request = plan::Request {
                file,
                trials: trials as usize,
                seed,
                points: points.map(|k| k as usize),
                time_limit: time_limit_of(time_limit)?,
                max_risk,
                format,
                svg,
            };
            plan::run(&request, &options, style, &mut out, &mut err)?
        }
        Command::Explain {
            file,
            min_health,
            trials,
            seed,
            points,
            plan_trials,
            svg,
            format,
        } => {
            if min_health.is_some_and(|h| !h.is_finite()) {
                anyhow::bail!("--min-health must be a number of health points, such as 10 or -5");
            }
            let request = explain::Request {
                file,
                trials: trials as usize,
                seed,
                min_health,
                points: points.map(|k| k as usize),
                plan_trials: plan_trials as usize,
                today,
                format,
                svg,
            };
            explain::run(&request, &options, style, &mut out, &mut err)?
        }
        Command::Nrp {
            file,
            ratio,
            front,
            time_limit,
            format,
        } => {
            let time_limit = time_limit_of(time_limit)?;
            let request = nrp::Request {
                file,
                ratio,
                front,
                time_limit,
                format,
            };
            nrp::run(&request, &mut out)?
        }
        Command::Init { dir, force } => init::run(&dir, force, &mut out)?,
        Command::Decide {
            file,
            plan,
            rationale,
            signed_by,
            dir,
            trials,
            seed,
        } => {
            let request = decide::Request {
                file,
                plan,
                rationale,
                signed_by,
                dir,
                trials: trials as usize,
                seed,
                today,
            };
            decide::run(&request, &options, style, &mut out, &mut err)?
        }
        Command::Objections { file, format } => {
            let request = objections::Request {
                file,
                format,
                today,
            };
            objections::run(&request, &options, style, &mut out, &mut err)?
        }
        Command::Move {
            file,
            id,
            to,
            by,
            note,
            risk_owner,
            review_by,
            changes,
            conditions,
        } => {
            let request = moves::Request {
                file,
                id,
                to,
                by,
                note,
                risk_owner,
                review_by,
                changes,
                conditions,
                today,
            };
            moves::run(&request, &options, style, &mut out, &mut err)?
        }
        Command::Reviews { file, format } => {
            let request = reviews::Request {
                file,
                format,
                today,
            };
            reviews::run(&request, &options, style, &mut out, &mut err)?
        }
        Command::Serve {
            addr,
            db,
            secure_cookies,
        } => server::serve(addr, &db, secure_cookies)?,
        Command::User { command, db } => {
            server::user(command, &db, &mut io::stdin().lock(), &mut out)?
        }
        Command::Workspace { command, db } => server::workspace(command, &db, &mut out, &mut err)?,
    };
    out.flush().context("cannot write to standard output")?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--time-limit` as a duration: a positive number of seconds.
fn time_limit_of(seconds: Option<f64>) -> Result<Option<std::time::Duration>> {
    match seconds {
        Some(seconds) if !(seconds.is_finite() && seconds > 0.0) => {
            anyhow::bail!("--time-limit {seconds} is not a time: give a positive number of seconds")
        }
        Some(seconds) => Ok(Some(std::time::Duration::from_secs_f64(seconds.min(1e9)))),
        None => Ok(None),
    }
}

/// Prints an error and its causes, one per line, as `error: ...`. A closed pipe (`| head`) is
/// not an error worth reporting: the reader has what it wanted.
pub fn report_error(error: &anyhow::Error) {
    // JSON is written through serde_json, which wraps the IO error in its own.
    let broken_pipe = error.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<io::Error>()
            .map(io::Error::kind)
            .or_else(|| cause.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return;
    }
    let mut err = io::stderr().lock();
    // Nothing more can be done if stderr itself is gone.
    let _ = writeln!(err, "error: {error}");
    for cause in error.chain().skip(1) {
        let _ = writeln!(err, "  caused by: {cause}");
    }
}

/// Reads a scenario for a command that needs a valid one. Errors are printed in full and give
/// `None`; warnings only as a count, since the command was asked for something else.
pub(crate) fn load_scenario(
    path: &Path,
    options: &Options,
    style: Style,
    err: &mut impl Write,
) -> Result<Option<tension_model::Scenario>> {
    let checked = read_scenario(path, options)?;
    if checked.scenario.is_none() {
        write!(err, "{}", checked.render(style))?;
        writeln!(
            err,
            "{}: fix these errors first (`tension check {0}`)",
            path.display()
        )?;
        return Ok(None);
    }
    let n_warnings = checked.warnings().count();
    if n_warnings > 0 {
        writeln!(
            err,
            "{}: {} (`tension check {0}` shows them)",
            path.display(),
            check::plural(n_warnings, "warning")
        )?;
    }
    Ok(checked.scenario)
}

/// Reads and checks a scenario file. IO problems are errors; problems in the file are in the
/// returned diagnostics.
pub(crate) fn read_scenario(path: &Path, options: &Options) -> Result<Checked> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read scenario file {}", path.display()))?;
    Ok(tension_scenario::parse_bytes(
        &path.display().to_string(),
        &bytes,
        options,
    ))
}
