//! A container's trace under --root, written as core/oci/trace-file.ts
//! writes it: JSON lines, each verb's section opened by a `{"verb", "at"}`
//! line before its first event (a verb that made no call leaves nothing).
//! The section line also says `"by": "native"`: `kit runtime trace` shows
//! which verbs the fast path took.
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use kit_native::trace::json_string;

pub struct Section<'a> {
    file: &'a Path,
    verb: &'static str,
    opened: bool,
}

impl<'a> Section<'a> {
    pub fn new(file: &'a Path, verb: &'static str) -> Self {
        Section { file, verb, opened: false }
    }

    /// Events as JSON objects (kit-init's lines, or kit_native::trace's), with `why` added when given.
    pub fn add(&mut self, events: &[String], why: Option<&str>) {
        let mut text = String::new();
        if !self.opened && !events.is_empty() {
            text.push_str(&format!("{{\"verb\":{},\"at\":{},\"by\":\"native\"}}\n", json_string(self.verb), json_string(&now_iso())));
            self.opened = true;
        }
        for event in events {
            match (why, event.strip_suffix('}')) {
                (Some(why), Some(open)) => text.push_str(&format!("{},\"why\":{}}}\n", open, json_string(why))),
                _ => text.push_str(&format!("{}\n", event)),
            }
        }
        if text.is_empty() {
            return;
        }
        // As appendFileSync: created if missing, one write per batch.
        if let Ok(mut file) = OpenOptions::new().append(true).create(true).mode(0o666).open(self.file) {
            let _ = file.write_all(text.as_bytes());
        }
    }
}

/// Now as JavaScript's Date.toISOString(): 2026-11-30T19:45:39.440Z.
pub fn now_iso() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    iso(now.as_secs() as i64, now.subsec_millis())
}

fn iso(secs: i64, millis: u32) -> String {
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year, month, day, rem / 3600, rem % 3600 / 60, rem % 60, millis)
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_dates_as_javascript_prints_them() {
        assert_eq!(super::iso(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(super::iso(1_796_067_939, 440), "2026-11-30T19:45:39.440Z");
        assert_eq!(super::iso(951_782_400, 7), "2000-02-29T00:00:00.007Z");
    }
}
