//! The wire format of a container's plan: the steps kit-init runs inside the
//! container, one per line, fields separated by tabs, sent over the control
//! socket and closed by a line `end`. Escapes: `\\`, `\t`, `\n`.
//! The TypeScript side (core/plan/wire.ts) writes this format.

#[derive(Debug, PartialEq)]
pub struct Step {
    pub op: String,
    pub fields: Vec<String>,
}

pub const END: &str = "end";

/// Parse the text before the `end` line. Err if the plan was cut short.
pub fn parse(text: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for line in text.split('\n') {
        if line == END {
            return Ok(steps);
        }
        let mut parts = line.split('\t').map(unescape);
        let op = parts.next().unwrap_or_default();
        steps.push(Step { op, fields: parts.collect() });
    }
    Err("plan ended without its `end` line (the host went away?)".into())
}

fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

impl Step {
    pub fn text(&self, i: usize) -> Result<&str, String> {
        self.fields.get(i).map(|s| s.as_str()).ok_or_else(|| format!("{}: missing field {}", self.op, i))
    }

    pub fn number(&self, i: usize) -> Result<u64, String> {
        self.text(i)?.parse().map_err(|_| format!("{}: field {} is not a number", self.op, i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_steps_with_escapes() {
        let steps = parse("sethostname\tbox\nexec\t/bin/sh\t2\tsh\t-c\\techo\\\\\nend\n").unwrap();
        assert_eq!(steps[0], Step { op: "sethostname".into(), fields: vec!["box".into()] });
        assert_eq!(steps[1].fields, vec!["/bin/sh", "2", "sh", "-c\techo\\"]);
    }

    #[test]
    fn a_plan_without_end_is_refused() {
        assert!(parse("sethostname\tbox\n").is_err());
    }

    #[test]
    fn empty_fields_survive() {
        let steps = parse("mount\t\t/\t\t278528\t\nend").unwrap();
        assert_eq!(steps[0].fields, vec!["", "/", "", "278528", ""]);
        assert_eq!(steps[0].number(3).unwrap(), 278528);
    }
}
