//! When to ask a server again after a busy or failed answer: one policy
//! for every HTTP client of podready (the grant client, GitLab, GitHub).
//! Exponential backoff with full jitter, so that a fleet of pods told to
//! wait does not come back at the same instant, never sooner than the
//! server's `Retry-After`, within a number of attempts and a deadline.

use std::time::{Duration, Instant};

/// The longest `Retry-After` obeyed: a server asking for more is asked
/// again after a minute.
const MAX_RETRY_AFTER_SECONDS: u64 = 60;

/// The waits of one request's attempts.
pub struct Backoff {
    started: Instant,
    attempts: u32,
    max_attempts: u32,
    deadline: Duration,
    jitter: Jitter,
}

impl Backoff {
    /// At most `max_attempts` attempts, none started after `deadline`.
    pub fn new(max_attempts: u32, deadline: Duration) -> Backoff {
        Backoff {
            started: Instant::now(),
            attempts: 1,
            max_attempts,
            deadline,
            jitter: Jitter::new(),
        }
    }

    /// Attempts made so far, the current one included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Time since the first attempt.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Sleeps until the next attempt, at least `retry_after` seconds;
    /// `false`, without sleeping, when no attempt is left.
    pub fn wait(&mut self, retry_after: Option<u64>) -> bool {
        let cap = 200u64.saturating_mul(1 << self.attempts.min(6)).min(10_000);
        let asked = retry_after.unwrap_or(0).min(MAX_RETRY_AFTER_SECONDS) * 1000;
        let wait_ms = (self.jitter.below(cap) + 50).max(asked);
        let wait = Duration::from_millis(wait_ms);
        if self.attempts >= self.max_attempts || self.started.elapsed() + wait > self.deadline {
            return false;
        }
        std::thread::sleep(wait);
        self.attempts += 1;
        true
    }
}

/// A small xorshift generator: jitter needs spread, not secrecy.
struct Jitter(u64);

impl Jitter {
    fn new() -> Jitter {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id()).rotate_left(32);
        Jitter(seed | 1)
    }

    /// A uniform value in `0..max`.
    fn below(&mut self, max: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        if max == 0 {
            0
        } else {
            self.0 % max
        }
    }
}

/// The seconds a `Retry-After` header asks a client to wait (the
/// delta-seconds form, which the grant center, GitLab and GitHub send).
pub fn retry_after(headers: &ureq::http::HeaderMap) -> Option<u64> {
    headers
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_wait_past_the_attempts_or_the_deadline() {
        let mut b = Backoff::new(3, Duration::from_secs(60));
        assert!(b.wait(None));
        assert!(b.wait(None));
        assert_eq!(b.attempts(), 3);
        assert!(!b.wait(None));
        let mut b = Backoff::new(10, Duration::from_secs(1));
        assert!(!b.wait(Some(2)), "Retry-After beyond the deadline");
        assert_eq!(b.attempts(), 1);
        let mut b = Backoff::new(10, Duration::from_secs(30));
        assert!(!b.wait(Some(u64::MAX)), "capped at a minute, past 30 s");
    }

    #[test]
    fn retry_after_is_a_floor() {
        let mut b = Backoff::new(2, Duration::from_secs(5));
        let started = Instant::now();
        assert!(b.wait(Some(1)));
        assert!(started.elapsed() >= Duration::from_secs(1));
    }
}
