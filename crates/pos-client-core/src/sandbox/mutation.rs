//! A seeded mutation test of a vendor's answer decoding: the stable stand-in, run by CI, for the
//! cargo-fuzz targets in `fuzz/` (which need nightly).
//!
//! Seeds are each vendor's [`Exercise::corpus`] (the document's examples and the sandbox's own
//! answers). Every seed is mutated — truncated at every byte, each JSON value swapped for one of
//! another type, numbers made huge, negative or exponential, nested 10,000 deep, invalid UTF-8
//! spliced in, keys duplicated, a byte-order mark put in front, and seeded random byte changes —
//! and decoded through the client's own code ([`Exercise::decode`]). Every case must end in a
//! value or a typed error: no panic, no stack overflow, an error message of bounded size that
//! holds no credential.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{Exercise, Sample};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

/// The largest error message (Display or Debug) the decoders may produce, in bytes.
pub const MAX_MESSAGE: usize = 4096;

/// The cases of one vendor at least (the issue asks for 10,000 per decoder).
pub const MIN_CASES: usize = 10_000;

/// What one vendor's run saw.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The vendor.
    pub vendor: &'static str,
    /// Seeds used.
    pub seeds: usize,
    /// Cases decoded.
    pub cases: usize,
    /// Cases that decoded to a value.
    pub decoded: usize,
    /// Cases that gave a typed error.
    pub errors: usize,
    /// The longest error message seen, in bytes.
    pub longest_message: usize,
    /// What went wrong (a panic, an oversized message, a credential), at most a few.
    pub problems: Vec<String>,
}

impl Report {
    /// What makes this report fail the suite's bar, empty when it passes: fewer than
    /// [`MIN_CASES`] cases, any problem, no case that decoded or none that gave a typed error
    /// (a decoder that accepts or refuses everything is not exercised), a message over
    /// [`MAX_MESSAGE`] bytes.
    pub fn failures(&self) -> Vec<String> {
        let mut out: Vec<String> = self.problems.clone();
        if self.cases < MIN_CASES {
            out.push(format!("{} cases, fewer than {MIN_CASES}", self.cases));
        }
        if self.decoded == 0 || self.errors == 0 {
            out.push(format!(
                "{} decoded and {} typed errors: both kinds of outcome are expected",
                self.decoded, self.errors
            ));
        }
        if self.longest_message > MAX_MESSAGE {
            out.push(format!(
                "a message of {} bytes, over {MAX_MESSAGE}",
                self.longest_message
            ));
        }
        out
    }
}

/// Every mutation of one seed body.
pub fn mutations(body: &[u8], rng: &mut StdRng) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    // Truncation at every byte (every n-th byte for large bodies).
    let step = (body.len() / 1500).max(1);
    for cut in (0..body.len()).step_by(step) {
        out.push(body[..cut].to_vec());
    }
    // A byte-order mark, leading whitespace.
    out.push([b"\xEF\xBB\xBF".as_slice(), body].concat());
    out.push([b" \r\n\t".as_slice(), body].concat());
    // Invalid UTF-8 spliced in at a few places.
    for _ in 0..8 {
        let at = rng.random_range(0..=body.len());
        let junk: &[u8] = [
            b"\xFF".as_slice(),
            b"\xC3",
            b"\xED\xA0\x80",
            b"\xF4\x90\x80\x80",
        ][rng.random_range(0..4)];
        out.push([&body[..at], junk, &body[at..]].concat());
    }
    // Deep nesting, alone and in place of each top-level value.
    let deep_array = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    out.push(deep_array.clone().into_bytes());
    out.push(deep_object.clone().into_bytes());
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        let mut paths = Vec::new();
        collect_paths(&value, &mut Vec::new(), &mut paths);
        // Every value swapped for each other type (up to a few hundred paths).
        let replacements = [
            Value::Null,
            Value::Bool(true),
            serde_json::json!(0),
            serde_json::json!(""),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!("x"),
            serde_json::json!([1, "a", null]),
        ];
        for path in paths.iter().take(300) {
            for r in &replacements {
                out.push(replaced(&value, path, r.clone()));
            }
        }
        // Numbers made huge, negative, tiny, exponential; as raw text, beyond f64 too.
        for path in paths.iter().take(200) {
            if get(&value, path).is_some_and(Value::is_number)
                || get(&value, path).is_some_and(Value::is_string)
            {
                for raw in [
                    "1e400",
                    "-1e400",
                    "99999999999999999999999999999999999999",
                    "-1",
                    "-0.0000001",
                    "1.5e-300",
                    "1e5",
                    "\"1e5\"",
                    "\"NaN\"",
                    "\"-99999999999999999999999999999,99\"",
                ] {
                    out.push(replaced_raw(&value, path, raw));
                }
            }
        }
        // Deep nesting as a value.
        for path in paths.iter().take(20) {
            out.push(replaced_raw(&value, path, &deep_array));
            out.push(replaced_raw(&value, path, &deep_object));
        }
        // A duplicated key in the top-level object.
        if let Value::Object(map) = &value
            && let Some((key, _)) = map.iter().next()
        {
            let text = String::from_utf8_lossy(body);
            if let Some(brace) = text.find('{') {
                let dup = format!(
                    "{{{}:null,{}:[],",
                    Value::String(key.clone()),
                    Value::String(key.clone())
                );
                out.push(format!("{}{}{}", &text[..brace], dup, &text[brace + 1..]).into_bytes());
            }
        }
    }
    // Seeded random byte changes.
    for _ in 0..200 {
        let mut b = body.to_vec();
        for _ in 0..rng.random_range(1..4) {
            if b.is_empty() {
                break;
            }
            let at = rng.random_range(0..b.len());
            b[at] = rng.random();
        }
        out.push(b);
    }
    out
}

fn collect_paths(value: &Value, path: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(path.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(PathStep::Key(k.clone()));
                collect_paths(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            // The first two elements stand for the rest.
            for (i, v) in items.iter().enumerate().take(2) {
                path.push(PathStep::Index(i));
                collect_paths(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// One step into a JSON value.
#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn get<'a>(value: &'a Value, path: &[PathStep]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, step| match step {
        PathStep::Key(k) => v.get(k),
        PathStep::Index(i) => v.get(i),
    })
}

fn replaced(value: &Value, path: &[PathStep], with: Value) -> Vec<u8> {
    let mut copy = value.clone();
    let mut target = &mut copy;
    for step in path {
        let next = match step {
            PathStep::Key(k) => target.get_mut(k),
            PathStep::Index(i) => target.get_mut(*i),
        };
        match next {
            Some(n) => target = n,
            None => return serde_json::to_vec(&copy).unwrap_or_default(),
        }
    }
    *target = with;
    serde_json::to_vec(&copy).unwrap_or_default()
}

/// `value` with the value at `path` replaced by raw JSON text (which may not be valid JSON).
fn replaced_raw(value: &Value, path: &[PathStep], raw: &str) -> Vec<u8> {
    const MARK: &str = "\u{1}REPLACED\u{1}";
    let text = String::from_utf8(replaced(value, path, Value::String(MARK.to_owned())))
        .unwrap_or_default();
    let quoted = serde_json::to_string(MARK).unwrap_or_default();
    text.replacen(&quoted, raw, 1).into_bytes()
}

/// Decodes every mutation of every seed of `sandbox`, checking each case.
pub fn run(sandbox: &dyn Exercise, seed: u64) -> Report {
    let mut rng = StdRng::seed_from_u64(seed);
    let secrets = sandbox.secrets();
    let corpus: Vec<Sample> = sandbox.corpus();
    let mut report = Report {
        vendor: sandbox.vendor(),
        seeds: corpus.len(),
        ..Report::default()
    };
    let statuses = [200u16, 201, 400, 401, 404, 422, 429, 500, 503];
    let mut round = 0;
    while report.cases < MIN_CASES && !corpus.is_empty() && round < 50 {
        for (operation, status, body) in &corpus {
            for mutated in mutations(body, &mut rng) {
                let status = if round == 0 {
                    *status
                } else {
                    statuses[rng.random_range(0..statuses.len())]
                };
                report.cases += 1;
                let decoded = catch_unwind(AssertUnwindSafe(|| {
                    sandbox.decode(operation, status, &mutated)
                }));
                match decoded {
                    Ok(Ok(())) => report.decoded += 1,
                    Ok(Err(e)) => {
                        report.errors += 1;
                        let longest = e.display.len().max(e.debug.len());
                        report.longest_message = report.longest_message.max(longest);
                        if longest > MAX_MESSAGE && report.problems.len() < 5 {
                            report
                                .problems
                                .push(format!("{operation}: a {longest}-byte error message"));
                        }
                        if secrets.iter().any(|s| {
                            !s.is_empty() && (e.display.contains(s) || e.debug.contains(s))
                        }) && report.problems.len() < 5
                        {
                            report
                                .problems
                                .push(format!("{operation}: a credential in an error"));
                        }
                    }
                    Err(_) if report.problems.len() < 5 => report.problems.push(format!(
                        "{operation}: panicked on {} bytes starting {:?}",
                        mutated.len(),
                        String::from_utf8_lossy(&mutated[..mutated.len().min(80)])
                    )),
                    Err(_) => {}
                }
            }
        }
        round += 1;
    }
    if corpus.is_empty() {
        report.problems.push("no seed answers".to_owned());
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_fails_the_bar_for_each_shortfall() {
        let good = Report {
            vendor: "v",
            seeds: 3,
            cases: MIN_CASES,
            decoded: 10,
            errors: 10,
            longest_message: MAX_MESSAGE,
            problems: Vec::new(),
        };
        assert!(good.failures().is_empty());
        let few = Report {
            cases: MIN_CASES - 1,
            ..good.clone()
        };
        assert!(few.failures()[0].contains("fewer than"));
        let one_sided = Report {
            errors: 0,
            ..good.clone()
        };
        assert_eq!(one_sided.failures().len(), 1);
        let long = Report {
            longest_message: MAX_MESSAGE + 1,
            ..good.clone()
        };
        assert!(long.failures()[0].contains("bytes"));
        let panicked = Report {
            problems: vec!["panic".into()],
            ..good
        };
        assert_eq!(panicked.failures(), ["panic"]);
    }

    #[test]
    fn mutations_cover_every_kind() {
        let mut rng = StdRng::seed_from_u64(7);
        let body = br#"{"success":1,"data":[{"id":"7","price":"12.50","name":"Tea"}]}"#;
        let all = mutations(body, &mut rng);
        assert!(all.len() > 300, "{}", all.len());
        assert!(
            all.iter().any(|m| m.is_empty()),
            "truncation at the first byte"
        );
        assert!(all.iter().any(|m| m.starts_with(b"\xEF\xBB\xBF")), "a BOM");
        assert!(
            all.iter().any(|m| std::str::from_utf8(m).is_err()),
            "invalid UTF-8"
        );
        assert!(all.iter().any(|m| m.len() > 20_000), "deep nesting");
        let text: Vec<String> = all
            .iter()
            .map(|m| String::from_utf8_lossy(m).into_owned())
            .collect();
        assert!(text.iter().any(|t| t.contains("1e400")), "huge numbers");
        assert!(
            text.iter().any(|t| t.contains(r#""price":null"#)),
            "a swapped type"
        );
        assert!(
            text.iter()
                .any(|t| t.starts_with(r#"{"data":null,"data":[],"success":1"#)),
            "a duplicate key"
        );
        // Seeded: the same seed gives the same cases.
        assert_eq!(all, mutations(body, &mut StdRng::seed_from_u64(7)));
    }
}
