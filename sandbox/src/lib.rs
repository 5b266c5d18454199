//! cl-sandbox: a local stand-in for the part of the Commerce Layer API that
//! cl-checkout uses, plus a Stripe PaymentIntent emulation. Loopback only.

pub mod api;
pub mod app;
pub mod conformance;
pub mod cors;
pub mod faults;
pub mod gateways;
pub mod http;
pub mod oauth;
pub mod redact;
pub mod render;
pub mod schema;
pub mod store;
pub mod stripe;
pub mod triggers;

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use store::{Config, Store};

pub struct Options {
    pub port: u16,
    pub token_ttl_secs: u64,
    pub rate_limit: u32,
    /// Origins whose pages may call the API; empty: any loopback origin.
    pub allowed_origins: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options { port: 8765, token_ttl_secs: 14_400, rate_limit: 0, allowed_origins: Vec::new() }
    }
}

/// Binds 127.0.0.1 (port 0 picks a free one), seeds the store and serves on
/// a background thread. Returns the bound address and the shared store.
pub fn start(options: Options) -> std::io::Result<(SocketAddr, app::Shared)> {
    let listener = TcpListener::bind(("127.0.0.1", options.port))?;
    let addr = listener.local_addr()?;
    let config = Config {
        token_ttl_secs: options.token_ttl_secs,
        rate_limit: options.rate_limit,
        base_url: format!("http://{addr}"),
        allowed_origins: options.allowed_origins,
    };
    let shared: app::Shared = Arc::new(Mutex::new(Store::new(config)));
    let handler_state = shared.clone();
    let handler: Arc<http::Handler> = Arc::new(move |req: &http::Request| app::handle(&handler_state, req));
    std::thread::spawn(move || http::serve(listener, handler));
    Ok((addr, shared))
}
