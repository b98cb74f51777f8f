//! The audit log: one JSON line per grant, renew and revoke — who, what,
//! when, with what result. Appended and flushed line by line.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use serde_json::json;

pub struct Audit {
    file: Mutex<File>,
}

impl Audit {
    pub fn open(path: &Path) -> std::io::Result<Audit> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Audit {
            file: Mutex::new(file),
        })
    }

    /// Records one event. A failure to write is reported on stderr; it
    /// never fails the request that was already carried out.
    pub fn record(
        &self,
        who: &str,
        action: &str,
        pod_uid: &str,
        ip: &str,
        result: &str,
        detail: &str,
    ) {
        let line = json!({
            "ts": super::now(),
            "who": who,
            "action": action,
            "pod_uid": pod_uid,
            "ip": ip,
            "result": result,
            "detail": detail,
        });
        let written = self.file.lock().map(|mut f| writeln!(f, "{line}"));
        if !matches!(written, Ok(Ok(()))) {
            eprintln!("warning: cannot write the audit log");
        }
    }
}
