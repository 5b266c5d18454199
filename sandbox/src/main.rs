//! `cl-sandbox [--port N] [--token-ttl SECS] [--rate-limit N] [--allow-origin ORIGIN]...`

use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: cl-sandbox [--port N (default 8765, 0 = any)] [--token-ttl SECONDS (default 14400)] [--rate-limit REQUESTS_PER_10S (default 0 = off)] [--allow-origin ORIGIN ... (default: any loopback origin)]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut options = cl_sandbox::Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next();
        if flag == "--allow-origin" {
            match value {
                Some(origin) if origin.starts_with("http://") || origin.starts_with("https://") => {
                    options.allowed_origins.push(origin.trim_end_matches('/').to_string());
                    continue;
                }
                _ => return usage(),
            }
        }
        let parsed = match (flag.as_str(), value.as_deref().map(str::parse::<u64>)) {
            ("--port", Some(Ok(v))) if v <= 65_535 => {
                options.port = v as u16;
                true
            }
            ("--token-ttl", Some(Ok(v))) if v > 0 => {
                options.token_ttl_secs = v;
                true
            }
            ("--rate-limit", Some(Ok(v))) if v <= u64::from(u32::MAX) => {
                options.rate_limit = v as u32;
                true
            }
            _ => false,
        };
        if !parsed {
            return usage();
        }
    }
    let (addr, shared) = match cl_sandbox::start(options) {
        Ok(started) => started,
        Err(e) => {
            eprintln!("cl-sandbox: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let seed = shared.lock().map(|s| s.seed.clone()).unwrap_or_default();
    println!("cl-sandbox listening on http://{addr}");
    println!("seed (also at GET http://{addr}/sandbox/seed):");
    println!("{}", serde_json::to_string_pretty(&seed).unwrap_or_default());
    loop {
        std::thread::park();
    }
}
