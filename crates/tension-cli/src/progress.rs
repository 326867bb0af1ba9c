//! A progress bar for long Monte Carlo runs: on a terminal only, and only once a run has taken
//! half a second, so that quick commands print nothing extra.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Debug)]
pub(crate) struct Progress {
    bar: ProgressBar,
    started: Instant,
    show: bool,
}

impl Progress {
    /// A bar over `total` trials, drawn when `show` (stderr is a terminal and the output is text).
    pub(crate) fn new(total: usize, show: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} trials, {eta} left") {
            bar.set_style(style);
        }
        Progress {
            bar,
            started: Instant::now(),
            show,
        }
    }

    /// Records that `done` trials after the first `offset` are done; callable from any thread.
    pub(crate) fn set(&self, offset: usize, done: usize) {
        if !self.show {
            return;
        }
        if self.bar.is_hidden() && self.started.elapsed() > Duration::from_millis(500) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.bar.set_position((offset + done) as u64);
    }

    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
