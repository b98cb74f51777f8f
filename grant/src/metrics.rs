//! Prometheus metrics in the text exposition format: requests, latency,
//! database statements, rejections and active leases.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Latency histogram bucket bounds, in seconds.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    total: u64,
}

#[derive(Default)]
struct Inner {
    /// (route, status) → count.
    requests: BTreeMap<(String, u16), u64>,
    /// route → latency.
    latency: BTreeMap<String, Histogram>,
    /// reason → count.
    rejections: BTreeMap<String, u64>,
    /// Requests answered from the ledger without touching a database.
    ledger_answers: u64,
}

#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    pub fn request(&self, route: &str, status: u16, took: Duration) {
        let Ok(mut m) = self.inner.lock() else { return };
        *m.requests.entry((route.to_string(), status)).or_default() += 1;
        let h = m.latency.entry(route.to_string()).or_default();
        let secs = took.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                h.counts[i] += 1;
            }
        }
        h.sum += secs;
        h.total += 1;
    }

    pub fn rejection(&self, reason: &str) {
        if let Ok(mut m) = self.inner.lock() {
            *m.rejections.entry(reason.to_string()).or_default() += 1;
        }
    }

    pub fn ledger_answer(&self) {
        if let Ok(mut m) = self.inner.lock() {
            m.ledger_answers += 1;
        }
    }

    /// The exposition text; `instances` (name, statements, batches) and
    /// `active` leases are read from their owners at scrape time.
    pub fn render(&self, instances: &[(String, u64, u64)], active: u64) -> String {
        let Ok(m) = self.inner.lock() else {
            return String::new();
        };
        let mut out = String::new();
        out.push_str("# HELP podready_grant_requests_total Requests by route and status.\n# TYPE podready_grant_requests_total counter\n");
        for ((route, status), n) in &m.requests {
            let _ = writeln!(
                out,
                "podready_grant_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP podready_grant_request_duration_seconds Request latency.\n# TYPE podready_grant_request_duration_seconds histogram\n");
        for (route, h) in &m.latency {
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(out, "podready_grant_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {}", h.counts[i]);
            }
            let _ = writeln!(out, "podready_grant_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", h.total);
            let _ = writeln!(
                out,
                "podready_grant_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "podready_grant_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.total
            );
        }
        out.push_str("# HELP podready_grant_db_statements_total Statements run per database instance.\n# TYPE podready_grant_db_statements_total counter\n");
        for (instance, n, _) in instances {
            let _ = writeln!(
                out,
                "podready_grant_db_statements_total{{instance=\"{instance}\"}} {n}"
            );
        }
        out.push_str("# HELP podready_grant_db_batches_total Batches of account statements run per database instance (requests coalesced into multi-account statements).\n# TYPE podready_grant_db_batches_total counter\n");
        for (instance, _, n) in instances {
            let _ = writeln!(
                out,
                "podready_grant_db_batches_total{{instance=\"{instance}\"}} {n}"
            );
        }
        out.push_str("# HELP podready_grant_rejections_total Requests refused, by reason.\n# TYPE podready_grant_rejections_total counter\n");
        for (reason, n) in &m.rejections {
            let _ = writeln!(
                out,
                "podready_grant_rejections_total{{reason=\"{reason}\"}} {n}"
            );
        }
        out.push_str("# HELP podready_grant_ledger_answers_total Repeated requests answered from the ledger.\n# TYPE podready_grant_ledger_answers_total counter\n");
        let _ = writeln!(
            out,
            "podready_grant_ledger_answers_total {}",
            m.ledger_answers
        );
        out.push_str("# HELP podready_grant_active_leases Leases currently active.\n# TYPE podready_grant_active_leases gauge\n");
        let _ = writeln!(out, "podready_grant_active_leases {active}");
        out
    }
}
