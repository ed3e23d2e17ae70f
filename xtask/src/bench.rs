//! `cargo xtask bench`: runs the benchmarks and rewrites `docs/benchmarks.md`.
//!
//! `pos-bench` runs `--repeat N` times (default 5); each goal is judged on the median of its
//! runs and shown with its spread, so one noisy run on a shared machine decides nothing.
//!
//! Sections 1–4 (request overhead, decode, connection reuse, retry cost) come from the
//! `pos-bench` binary, run with `cargo run --release -p pos-bench`, which prints goal lines
//! (`@@goal|what|target|measured|yes`) and then Markdown. Section 5 (build cost) is measured here:
//! clean builds in fresh target directories of `cloudma-client` (default `aws-lc-rs` crypto
//! provider, and `--no-default-features --features ring`) and of generated bare crates with the
//! same direct dependencies as each of those two builds.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The command line that reproduces the document.
pub const COMMAND: &str = "cargo xtask bench";

/// Options of `cargo xtask bench`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Run `pos-bench --smoke` (tiny sizes, meaningless figures) and print instead of writing.
    pub smoke: bool,
    /// Measure the clean builds (section 5); several minutes.
    pub build_cost: bool,
    /// How many times `pos-bench` runs; each goal is judged on the median of its runs.
    pub repeat: usize,
}

/// Default number of `pos-bench` runs (`--repeat N`).
pub const DEFAULT_REPEAT: usize = 5;

impl Options {
    /// Parses the arguments after `bench`.
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            smoke: false,
            build_cost: true,
            repeat: DEFAULT_REPEAT,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--smoke" => options.smoke = true,
                "--no-build-cost" => options.build_cost = false,
                "--repeat" => {
                    options.repeat = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .filter(|n| *n >= 1)
                        .ok_or("--repeat takes a whole number of runs, at least 1")?;
                }
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        Ok(options)
    }
}

/// One goal line from `pos-bench` or from the build-cost measurement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    /// What is measured.
    pub what: String,
    /// The goal.
    pub target: String,
    /// The figure measured.
    pub measured: String,
    /// Whether the goal is met.
    pub met: bool,
}

/// Splits `pos-bench` output into its goal lines and its Markdown sections.
pub fn parse_bench_output(out: &str) -> (Vec<Goal>, String) {
    let mut goals = Vec::new();
    let mut sections = String::new();
    let mut in_sections = false;
    for line in out.lines() {
        if in_sections {
            sections.push_str(line);
            sections.push('\n');
        } else if line == "@@sections" {
            in_sections = true;
        } else if let Some(rest) = line.strip_prefix("@@goal|") {
            let parts: Vec<&str> = rest.split('|').collect();
            if let [what, target, measured, met] = parts[..] {
                goals.push(Goal {
                    what: what.to_owned(),
                    target: target.to_owned(),
                    measured: measured.to_owned(),
                    met: met == "yes",
                });
            }
        }
    }
    (goals, sections)
}

/// The first number in a measured figure (`1.07×`, `2.4× body`, `1 connection`).
pub fn leading_number(text: &str) -> Option<f64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// Whether `value` meets a goal written as `≤ 1.3×`, `≥ 0.95× throughput`, `faster (> 1×)`,
/// `25.0 ms ± 4.7 ms`, or a bare number (`1`: exactly). The first comparison in the text decides.
/// `None` when the goal has none of these forms.
pub fn meets(target: &str, value: f64) -> Option<bool> {
    let t = target.trim();
    if let Some((centre, spread)) = t.split_once('±') {
        let (centre, spread) = (leading_number(centre)?, leading_number(spread)?);
        return Some((value - centre).abs() <= spread);
    }
    let found = ["≤", "≥", "<=", ">=", "<", ">"]
        .iter()
        .filter_map(|op| t.find(op).map(|at| (at, *op)))
        .min_by_key(|(at, op)| (*at, std::cmp::Reverse(op.len())));
    let Some((at, op)) = found else {
        let bound = leading_number(t)?;
        return Some((value - bound).abs() < f64::EPSILON);
    };
    let bound = leading_number(&t[at + op.len()..])?;
    Some(match op {
        "≤" | "<=" => value <= bound,
        "≥" | ">=" => value >= bound,
        "<" => value < bound,
        _ => value > bound,
    })
}

/// The goals of several runs, one per `what` in first-seen order: the median figure with its
/// spread (min–max), judged on the median. A goal whose figures are not numbers keeps the last
/// run's figure and verdict, and a goal that met its target in only some runs says so.
pub fn aggregate(runs: &[Vec<Goal>]) -> Vec<Goal> {
    let mut order: Vec<&str> = Vec::new();
    for goal in runs.iter().flatten() {
        if !order.contains(&goal.what.as_str()) {
            order.push(&goal.what);
        }
    }
    order
        .into_iter()
        .filter_map(|what| {
            let seen: Vec<&Goal> = runs
                .iter()
                .filter_map(|run| run.iter().find(|g| g.what == what))
                .collect();
            let last = *seen.last()?;
            let mut values: Vec<f64> = seen
                .iter()
                .filter_map(|g| leading_number(&g.measured))
                .collect();
            if values.len() != seen.len() || seen.len() < 2 {
                return Some(last.clone());
            }
            values.sort_by(f64::total_cmp);
            let n = values.len();
            let median = if n % 2 == 1 {
                values[n / 2]
            } else {
                (values[n / 2 - 1] + values[n / 2]) / 2.0
            };
            let unit = last
                .measured
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
            let met_runs = seen.iter().filter(|g| g.met).count();
            Some(Goal {
                what: what.to_owned(),
                target: last.target.clone(),
                measured: format!(
                    "{} (median of {n}; {}–{}; met in {met_runs} of {n})",
                    format_figure(median, unit),
                    format_figure(values[0], unit),
                    format_figure(values[n - 1], unit),
                ),
                met: meets(&last.target, median).unwrap_or(met_runs * 2 > n),
            })
        })
        .collect()
}

fn format_figure(value: f64, unit: &str) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}{unit}")
    } else {
        format!("{value:.3}{unit}")
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Runs `pos-bench` in release mode and returns its goals and sections.
fn run_pos_bench(root: &Path, smoke: bool) -> Result<(Vec<Goal>, String), String> {
    let mut cmd = Command::new(cargo());
    cmd.current_dir(root)
        .args(["run", "--release", "-p", "pos-bench", "--"])
        .stderr(Stdio::inherit());
    if smoke {
        cmd.arg("--smoke");
    }
    let out = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("pos-bench failed ({})", out.status));
    }
    Ok(parse_bench_output(&String::from_utf8_lossy(&out.stdout)))
}

/// A clean build's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildRun {
    /// What was built.
    pub label: String,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Crates compiled (`Compiling` lines).
    pub crates: usize,
    /// Seconds per crate name (build script compile + run + library), from `--timings`.
    pub units: BTreeMap<String, f64>,
}

impl BuildRun {
    /// Seconds cargo's timings attribute to crates whose name starts with `prefix`.
    pub fn seconds_of(&self, prefix: &str) -> f64 {
        self.units
            .iter()
            .filter(|(name, _)| name.starts_with(prefix))
            .map(|(_, s)| s)
            .sum()
    }

    /// The `n` slowest crates.
    pub fn slowest(&self, n: usize) -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = self.units.iter().map(|(k, s)| (k.clone(), *s)).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v.truncate(n);
        v
    }
}

/// Per-crate durations from a `cargo build --timings` HTML report (its `UNIT_DATA` array).
pub fn parse_timings(html: &str) -> BTreeMap<String, f64> {
    let mut units = BTreeMap::new();
    let Some(start) = html.find("const UNIT_DATA = ") else {
        return units;
    };
    let rest = &html[start + "const UNIT_DATA = ".len()..];
    let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
    if let Some(Ok(serde_json::Value::Array(list))) = stream.next() {
        for unit in list {
            if let (Some(name), Some(d)) = (unit["name"].as_str(), unit["duration"].as_f64()) {
                *units.entry(name.to_owned()).or_insert(0.0) += d;
            }
        }
    }
    units
}

/// Runs `cargo build <args> --timings` in `dir` with a fresh `target_dir` and times it.
fn clean_build(
    label: &str,
    dir: &Path,
    args: &[&str],
    target_dir: &Path,
) -> Result<BuildRun, String> {
    let _ = std::fs::remove_dir_all(target_dir);
    eprintln!("bench: clean build of {label} …");
    let start = Instant::now();
    let out = Command::new(cargo())
        .current_dir(dir)
        .arg("build")
        .args(args)
        .arg("--timings")
        .arg("--target-dir")
        .arg(target_dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTC_WRAPPER")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let seconds = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("clean build of {label} failed:\n{stderr}"));
    }
    let crates = stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();
    let html = std::fs::read_to_string(target_dir.join("cargo-timings/cargo-timing.html"))
        .unwrap_or_default();
    let run = BuildRun {
        label: label.to_owned(),
        seconds,
        crates,
        units: parse_timings(&html),
    };
    let _ = std::fs::remove_dir_all(target_dir);
    Ok(run)
}

fn read_toml(path: &Path) -> Result<toml::Table, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.parse::<toml::Table>()
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The registry dependencies (name → dependency table) that `packages` (paths relative to the
/// root) declare as `[dependencies]`, resolved through `[workspace.dependencies]`, when each
/// package is built with `features` (those it has; `"default"` for its defaults): optional
/// dependencies are kept only when a feature enables them (`dep:x`, `x/f`), and `x/f` / `x?/f`
/// add `f` to `x`. Path dependencies (the workspace's own crates) are left out; features are
/// merged.
pub fn direct_deps(
    root: &Path,
    packages: &[&str],
    features: &[&str],
) -> Result<BTreeMap<String, toml::Table>, String> {
    let ws = read_toml(&root.join("Cargo.toml"))?;
    let ws_deps = ws
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    let mut out: BTreeMap<String, toml::Table> = BTreeMap::new();
    for package in packages {
        let manifest = read_toml(&root.join(package).join("Cargo.toml"))?;
        let Some(deps) = manifest.get("dependencies").and_then(toml::Value::as_table) else {
            continue;
        };
        let (enabled_deps, dep_features) = enabled_by(&manifest, features);
        for (name, spec) in deps {
            let mut local = match spec {
                toml::Value::String(v) => {
                    let mut t = toml::Table::new();
                    t.insert("version".into(), toml::Value::String(v.clone()));
                    t
                }
                toml::Value::Table(t) => t.clone(),
                _ => continue,
            };
            if local.get("optional").and_then(toml::Value::as_bool) == Some(true)
                && !enabled_deps.contains(name)
            {
                continue;
            }
            local.remove("optional");
            let mut resolved =
                if local.get("workspace").and_then(toml::Value::as_bool) == Some(true) {
                    match ws_deps.get(name) {
                        Some(toml::Value::String(v)) => {
                            let mut t = toml::Table::new();
                            t.insert("version".into(), toml::Value::String(v.clone()));
                            t
                        }
                        Some(toml::Value::Table(t)) => t.clone(),
                        _ => {
                            return Err(format!(
                                "{package}: `{name}` is not in [workspace.dependencies]"
                            ));
                        }
                    }
                } else {
                    local.clone()
                };
            if resolved.contains_key("path") {
                continue;
            }
            let mut features = feature_list(&resolved);
            features.extend(feature_list(&local));
            features.extend(dep_features.get(name).cloned().unwrap_or_default());
            if let Some(prev) = out.get(name) {
                features.extend(feature_list(prev));
            }
            features.sort();
            features.dedup();
            resolved.remove("workspace");
            resolved.insert(
                "features".into(),
                toml::Value::Array(features.into_iter().map(toml::Value::String).collect()),
            );
            out.insert(name.clone(), resolved);
        }
    }
    Ok(out)
}

/// Walks `[features]` of `manifest` from `requested`: the optional dependencies enabled and the
/// features turned on in dependencies.
fn enabled_by(
    manifest: &toml::Table,
    requested: &[&str],
) -> (BTreeSet<String>, BTreeMap<String, Vec<String>>) {
    let table = manifest
        .get("features")
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    let mut deps = BTreeSet::new();
    let mut dep_features: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = requested.iter().map(|f| (*f).to_owned()).collect();
    while let Some(feature) = todo.pop() {
        if !seen.insert(feature.clone()) {
            continue;
        }
        let Some(entries) = table.get(&feature).and_then(toml::Value::as_array) else {
            continue;
        };
        for entry in entries.iter().filter_map(toml::Value::as_str) {
            if let Some(dep) = entry.strip_prefix("dep:") {
                deps.insert(dep.to_owned());
            } else if let Some((dep, f)) = entry.split_once('/') {
                let (dep, weak) = match dep.strip_suffix('?') {
                    Some(d) => (d, true),
                    None => (dep, false),
                };
                if !weak {
                    deps.insert(dep.to_owned());
                }
                dep_features
                    .entry(dep.to_owned())
                    .or_default()
                    .push(f.to_owned());
            } else {
                todo.push(entry.to_owned());
            }
        }
    }
    (deps, dep_features)
}

fn feature_list(t: &toml::Table) -> Vec<String> {
    t.get("features")
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The manifest of a bare library crate named `name` with exactly `deps`.
pub fn bare_manifest(name: &str, deps: &BTreeMap<String, toml::Table>) -> String {
    let mut s = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n"
    );
    for (dep, spec) in deps {
        let _ = writeln!(s, "{dep} = {}", toml::Value::Table(spec.clone()));
    }
    s.push_str("\n[workspace]\n");
    s
}

/// Writes a bare crate into `dir` (with the workspace's `Cargo.lock`, so versions match).
fn write_bare_crate(
    root: &Path,
    dir: &Path,
    name: &str,
    deps: &BTreeMap<String, toml::Table>,
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{}: {e}", dir.display());
    std::fs::create_dir_all(dir.join("src")).map_err(io)?;
    std::fs::write(dir.join("Cargo.toml"), bare_manifest(name, deps)).map_err(io)?;
    std::fs::write(dir.join("src/lib.rs"), "//! Dependencies only.\n").map_err(io)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(io)?;
    Ok(())
}

/// The build-cost figures.
#[derive(Debug, Clone)]
pub struct BuildCost {
    /// `cargo build -p cloudma-client`.
    pub client: BuildRun,
    /// `cargo build -p cloudma-client --no-default-features --features ring`.
    pub client_ring: BuildRun,
    /// The bare crate with the same direct dependencies.
    pub bare: BuildRun,
    /// The bare crate with `ring` instead of `aws-lc-rs`.
    pub bare_ring: BuildRun,
    /// The direct dependencies of the bare crate.
    pub deps: Vec<String>,
}

/// Measures the clean builds.
pub fn build_cost(root: &Path) -> Result<BuildCost, String> {
    let work = std::env::temp_dir().join(format!("pos-bench-build-{}", std::process::id()));
    let result = (|| {
        let packages = ["crates/pos-client-core", "crates/cloudma-client"];
        let deps = direct_deps(root, &packages, &["default"])?;
        let bare_dir = work.join("bare-deps");
        write_bare_crate(root, &bare_dir, "bare-deps", &deps)?;
        let ring_dir = work.join("bare-deps-ring");
        write_bare_crate(
            root,
            &ring_dir,
            "bare-deps-ring",
            &direct_deps(root, &packages, &["ring"])?,
        )?;
        let client = clean_build(
            "cloudma-client",
            root,
            &["-p", "cloudma-client"],
            &work.join("target-client"),
        )?;
        let client_ring = clean_build(
            "cloudma-client, ring",
            root,
            &[
                "-p",
                "cloudma-client",
                "--no-default-features",
                "--features",
                "ring",
            ],
            &work.join("target-client-ring"),
        )?;
        let bare = clean_build("bare crate", &bare_dir, &[], &work.join("target-bare"))?;
        let bare_ring = clean_build(
            "bare crate, ring",
            &ring_dir,
            &[],
            &work.join("target-ring"),
        )?;
        Ok(BuildCost {
            client,
            client_ring,
            bare,
            bare_ring,
            deps: deps.keys().cloned().collect(),
        })
    })();
    let _ = std::fs::remove_dir_all(&work);
    result
}

/// The build-cost section and its goals.
pub fn build_section(b: &BuildCost) -> (Vec<Goal>, String) {
    let mut md = String::new();
    let _ = writeln!(md, "## 5. Build cost (clean debug build)\n");
    let _ = writeln!(
        md,
        "Each build starts from an empty `--target-dir` (the registry cache is warm: no \
         downloads). The bare crate is an empty library generated in a temporary directory with \
         the same direct registry dependencies as `cloudma-client` and `pos-client-core` \
         together ({}), the same versions (the workspace's `Cargo.lock`) and features. Crates = \
         `Compiling` lines; per-crate seconds come from `cargo build --timings` (compile and \
         build-script time of that crate, overlapping with others on the 2 cores). The `ring` \
         rows use the `ring` crypto provider instead of the default `aws-lc-rs`: \
         `cloudma-client` built with `--no-default-features --features ring`, and a bare crate \
         with the dependencies that build resolves to (reqwest's `rustls-no-provider`, rustls \
         with `ring`).\n",
        b.deps
            .iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        md,
        "| build | wall time (s) | crates compiled | ratio to bare (time) | aws-lc-sys (s) | ring (s) | pos-client-core + cloudma-client (s) |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|");
    let secs = |s: f64| {
        if s > 0.0 {
            format!("{s:.1}")
        } else {
            "—".to_owned()
        }
    };
    for run in [&b.client, &b.client_ring, &b.bare, &b.bare_ring] {
        let _ = writeln!(
            md,
            "| {} | {:.1} | {} | {:.2}× | {} | {} | {} |",
            run.label,
            run.seconds,
            run.crates,
            run.seconds / b.bare.seconds,
            secs(run.seconds_of("aws-lc-sys")),
            secs(run.seconds_of("ring")),
            secs(run.seconds_of("pos-client-core") + run.seconds_of("cloudma-client")),
        );
    }
    md.push('\n');
    let _ = writeln!(
        md,
        "Slowest crates of the `cloudma-client` build (per `--timings`):\n"
    );
    let _ = writeln!(md, "| crate | seconds |");
    let _ = writeln!(md, "|---|---:|");
    for (name, s) in b.client.slowest(8) {
        let _ = writeln!(md, "| {name} | {s:.1} |");
    }
    md.push('\n');
    let ratio = b.client.seconds / b.bare.seconds;
    let goals = vec![Goal {
        what: "Build cost: clean `cargo build -p cloudma-client` vs bare crate".to_owned(),
        target: "≤ 1.15×".to_owned(),
        measured: format!(
            "{ratio:.2}× ({:.0} s vs {:.0} s)",
            b.client.seconds, b.bare.seconds
        ),
        met: ratio <= 1.15,
    }];
    (goals, md)
}

/// `YYYY-MM-DD HH:MM UTC` for a Unix time (civil-from-days, proleptic Gregorian).
pub fn utc_date(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        secs / 3_600,
        (secs % 3_600) / 60
    )
}

fn first_line_of(path: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_owned())
}

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A description of the machine: cores, CPU model, memory, OS, toolchain, load.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = first_line_of("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown".into());
    let mem = first_line_of("/proc/meminfo", "MemTotal").unwrap_or_else(|| "unknown".into());
    let kernel = command_output("uname", &["-sr"]).unwrap_or_else(|| "unknown".into());
    let rustc = command_output("rustc", &["--version"]).unwrap_or_else(|| "unknown".into());
    format!("{cores} cores ({cpu}), {mem} RAM, {kernel}, {rustc}",)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

/// The whole document.
pub fn render(
    date: &str,
    machine: &str,
    load: (&str, &str),
    goals: &[Goal],
    sections: &str,
    build: Option<&str>,
    findings: Option<&str>,
) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "<!-- Written by `{COMMAND}`; edit xtask/src/bench.rs or bench/ instead. -->\n"
    );
    let _ = writeln!(
        md,
        "The clients' cost measured side by side, in one run, against what a user writes by \
         hand: reqwest plus serde_json. Reproduce with `{COMMAND}` (about 10 minutes; \
         `--no-build-cost` skips the clean builds of section 5).\n"
    );
    let _ = writeln!(md, "- Date: {date}");
    let _ = writeln!(md, "- Machine: {machine}");
    let _ = writeln!(
        md,
        "- Load average (1/5/15 min) at start: {}; at end: {} (the clean builds of section 5 \
         raise it). The machine is a shared 2-core VM, so absolute figures are noisy; the \
         side-by-side ratios (variants interleaved in the same run) are the figures to read.",
        load.0, load.1
    );
    let _ = writeln!(
        md,
        "- Command: `{COMMAND}` (`--repeat N` runs, default {DEFAULT_REPEAT})\n"
    );
    let _ = writeln!(md, "## Goals\n");
    let _ = writeln!(md, "| measurement | goal | measured | met |");
    let _ = writeln!(md, "|---|---|---|---|");
    for g in goals {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            g.what,
            g.target,
            g.measured,
            if g.met { "yes" } else { "**no**" }
        );
    }
    md.push('\n');
    md.push_str(sections);
    if let Some(build) = build {
        md.push_str(build);
    } else {
        md.push_str("## 5. Build cost\n\nNot measured in this run (`--no-build-cost`).\n\n");
    }
    md.push_str(FINDINGS_MARKER);
    md.push('\n');
    md.push_str(findings.unwrap_or(DEFAULT_FINDINGS));
    md
}

/// The line after which `docs/benchmarks.md` is written by hand; `cargo xtask bench` keeps
/// everything below it.
pub const FINDINGS_MARKER: &str =
    "<!-- Hand-written from here on: `cargo xtask bench` keeps everything below this line. -->";

/// The findings of a document without any.
const DEFAULT_FINDINGS: &str = "## Findings\n\nNone written yet.\n";

/// The hand-written part of an existing document: everything after [`FINDINGS_MARKER`].
pub fn kept_findings(doc: &str) -> Option<&str> {
    doc.split_once(FINDINGS_MARKER)
        .map(|(_, rest)| rest.strip_prefix('\n').unwrap_or(rest))
        .filter(|rest| !rest.trim().is_empty())
}

/// The command entry.
pub fn main(root: &Path, args: &[String]) -> i32 {
    let options = match Options::parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("cargo xtask bench: {e}\n\n{}", crate::USAGE);
            return 2;
        }
    };
    let load_start = load_average();
    let mut runs = Vec::new();
    let mut sections = String::new();
    for run in 1..=options.repeat {
        eprintln!(
            "cargo xtask bench: pos-bench run {run} of {}",
            options.repeat
        );
        match run_pos_bench(root, options.smoke) {
            Ok((goals, md)) => {
                runs.push(goals);
                sections = md;
            }
            Err(e) => {
                eprintln!("cargo xtask bench: {e}");
                return 1;
            }
        }
    }
    let mut goals = aggregate(&runs);
    let repeat_note = format!(
        "The goals table gives each figure as the median of {} runs of `pos-bench`, with its \
         spread (min–max), and judges the goal on the median. The tables of sections 1–4 are \
         those of the last run.\n\n",
        options.repeat
    );
    let sections = repeat_note + &sections;
    let build = if options.build_cost {
        match build_cost(root) {
            Ok(b) => {
                let (g, md) = build_section(&b);
                goals.extend(g);
                Some(md)
            }
            Err(e) => {
                eprintln!("cargo xtask bench: build cost: {e}");
                return 1;
            }
        }
    } else {
        None
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let path: PathBuf = root.join("docs/benchmarks.md");
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    let doc = render(
        &utc_date(now),
        &machine(),
        (&load_start, &load_average()),
        &goals,
        &sections,
        build.as_deref(),
        kept_findings(&existing),
    );
    if options.smoke {
        print!("{doc}");
        return 0;
    }
    if let Err(e) = std::fs::write(&path, doc) {
        eprintln!("cargo xtask bench: {}: {e}", path.display());
        return 1;
    }
    println!("wrote {}", path.display());
    for g in &goals {
        println!(
            "{} {}: {} (goal {})",
            if g.met { "ok  " } else { "MISS" },
            g.what,
            g.measured,
            g.target
        );
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(utc_date(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_date(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_date(1_764_037_800), "2025-11-25 02:30 UTC");
    }

    #[test]
    fn bench_output_is_split_into_goals_and_sections() {
        let out =
            "noise\n@@goal|a|≤ 1.3×|1.10×|yes\n@@goal|b|1|2|no\n@@sections\n## 1. X\n\ntext\n";
        let (goals, md) = parse_bench_output(out);
        assert_eq!(goals.len(), 2);
        assert!(goals[0].met && !goals[1].met);
        assert_eq!(goals[1].measured, "2");
        assert_eq!(md, "## 1. X\n\ntext\n");
    }

    #[test]
    fn timings_are_summed_per_crate() {
        let html = r#"<script>const UNIT_DATA = [
  {"i":0,"name":"aws-lc-sys","mode":"run-custom-build","duration":30.5},
  {"i":1,"name":"aws-lc-sys","mode":"todo","duration":2.0},
  {"i":2,"name":"itoa","duration":0.2}
];
const CONCURRENCY_DATA = [];</script>"#;
        let units = parse_timings(html);
        assert_eq!(units["aws-lc-sys"], 32.5);
        assert_eq!(units.len(), 2);
        let run = BuildRun {
            label: "x".into(),
            seconds: 1.0,
            crates: 2,
            units,
        };
        assert_eq!(run.seconds_of("aws-lc"), 32.5);
        assert_eq!(run.slowest(1)[0].0, "aws-lc-sys");
    }

    #[test]
    fn direct_deps_resolve_through_the_workspace() {
        let root = crate::project_root();
        let packages = ["crates/pos-client-core", "crates/cloudma-client"];
        let deps = direct_deps(&root, &packages, &["default"]).unwrap();
        assert!(deps.contains_key("reqwest") && deps.contains_key("serde_json"));
        assert!(
            !deps.contains_key("pos-client-core"),
            "path dependencies are left out"
        );
        assert!(
            !deps.contains_key("axum"),
            "optional dependencies are left out"
        );
        assert!(
            !deps.contains_key("rustls"),
            "the ring-only rustls dependency is optional"
        );
        assert_eq!(
            feature_list(&deps["reqwest"]),
            vec!["rustls".to_owned(), "rustls-no-provider".to_owned()],
            "the default `aws-lc-rs` feature turns on reqwest's `rustls`"
        );
        let manifest = bare_manifest("bare", &deps);
        assert!(manifest.contains("\n[workspace]\n"));
        let parsed: toml::Table = manifest.parse().unwrap();
        assert!(
            parsed["dependencies"]["tokio"]["features"]
                .as_array()
                .is_some()
        );

        let ring = direct_deps(&root, &packages, &["ring"]).unwrap();
        assert_eq!(
            feature_list(&ring["reqwest"]),
            vec!["rustls-no-provider".to_owned()]
        );
        assert!(feature_list(&ring["rustls"]).contains(&"ring".to_owned()));
        assert!(!ring["rustls"].contains_key("optional"));
        assert!(!ring.contains_key("axum"));
    }

    #[test]
    fn findings_are_kept() {
        let doc = render("d", "m", ("1", "2"), &[], "## 1. X\n", None, None);
        assert!(doc.contains("None written yet."));
        assert_eq!(
            kept_findings(&doc),
            Some("## Findings\n\nNone written yet.\n")
        );
        let edited = doc.replace("None written yet.", "Mine.");
        let again = render(
            "d2",
            "m",
            ("1", "2"),
            &[],
            "## 1. Y\n",
            None,
            kept_findings(&edited),
        );
        assert!(again.contains("Mine.") && again.contains("## 1. Y") && !again.contains("## 1. X"));
        assert_eq!(again.matches(FINDINGS_MARKER).count(), 1);
    }

    #[test]
    fn options() {
        assert_eq!(
            Options::parse(&[]).unwrap(),
            Options {
                smoke: false,
                build_cost: true,
                repeat: DEFAULT_REPEAT,
            }
        );
        let o = Options::parse(&["--smoke".into(), "--no-build-cost".into()]).unwrap();
        assert!(o.smoke && !o.build_cost);
        assert!(Options::parse(&["--bogus".into()]).is_err());
        let o = Options::parse(&["--repeat".into(), "3".into()]).unwrap();
        assert_eq!(o.repeat, 3);
        assert!(Options::parse(&["--repeat".into()]).is_err());
        assert!(Options::parse(&["--repeat".into(), "0".into()]).is_err());
    }

    fn goal(what: &str, target: &str, measured: &str, met: bool) -> Goal {
        Goal {
            what: what.into(),
            target: target.into(),
            measured: measured.into(),
            met,
        }
    }

    #[test]
    fn goals_are_judged_on_the_median_of_the_runs() {
        let runs = vec![
            vec![
                goal("c32", "≥ 0.95×", "0.785×", false),
                goal("conn", "1", "2", false),
                goal("heap", "≤ 3× body", "3.29× body", false),
            ],
            vec![
                goal("c32", "≥ 0.95×", "0.960×", true),
                goal("conn", "1", "1", true),
                goal("heap", "≤ 3× body", "2.90× body", true),
            ],
            vec![
                goal("c32", "≥ 0.95×", "0.990×", true),
                goal("conn", "1", "1", true),
                goal("heap", "≤ 3× body", "3.10× body", false),
            ],
        ];
        let goals = aggregate(&runs);
        assert_eq!(goals.len(), 3);
        assert!(goals[0].met, "{:?}", goals[0]);
        assert_eq!(
            goals[0].measured,
            "0.960× (median of 3; 0.785×–0.990×; met in 2 of 3)"
        );
        assert!(goals[1].met);
        assert_eq!(goals[1].measured, "1 (median of 3; 1–2; met in 2 of 3)");
        assert!(!goals[2].met, "median 3.10 > 3: {:?}", goals[2]);
        assert!(goals[2].measured.starts_with("3.100× body"));
        // One run: the figure as measured.
        assert_eq!(aggregate(&runs[..1])[0], runs[0][0]);
    }

    #[test]
    fn targets_are_read_as_comparisons() {
        assert_eq!(meets("≤ 1.3×", 1.3), Some(true));
        assert_eq!(meets("≤ 1.3×", 1.31), Some(false));
        assert_eq!(meets("≥ 0.95×", 0.95), Some(true));
        assert_eq!(meets("> 1×", 1.0), Some(false));
        assert_eq!(meets("1", 1.0), Some(true));
        assert_eq!(meets("1", 2.0), Some(false));
        assert_eq!(meets("fast", 1.0), None);
        assert_eq!(meets("faster (> 1.00×)", 1.043), Some(true));
        assert_eq!(meets("faster (> 1.00×)", 0.958), Some(false));
        assert_eq!(meets("≥ 0.95× throughput", 0.96), Some(true));
        assert_eq!(meets("≤ 2 ms (one more round trip)", 0.14), Some(true));
        assert_eq!(
            meets("25.0 ms ± 4.7 ms (2 std. errors + 1 ms timer tick)", 25.44),
            Some(true)
        );
        assert_eq!(meets("25.0 ms ± 4.7 ms", 30.0), Some(false));
        assert_eq!(meets("1 connection", 1.0), Some(true));
        assert_eq!(leading_number("2.4× body"), Some(2.4));
        assert_eq!(leading_number("1 connection"), Some(1.0));
    }
}
