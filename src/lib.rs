//! cl-checkout: the payment-source part of a Commerce Layer checkout, for
//! storefront pages, compiled to WebAssembly.
//!
//! The crate is split in two:
//! - a pure core ([`json`], [`error`], [`validate`], [`request`], [`jsonapi`],
//!   [`api`], [`stripe`]) that builds requests, decodes answers and makes the
//!   Stripe handoff's decisions, tested natively;
//! - a thin browser edge (`browser`, wasm32 only) that sends those requests
//!   with `fetch` and converts values to and from JavaScript.
//!
//! House rules of the core: every public item is documented; code that
//! handles data from outside (the server, the page) may not `unwrap`,
//! `expect`, index or slice unchecked, or panic: in the release build a
//! panic is a bare trap.
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unreachable)
)]
// One character of text is pushed as a `&str` and matched as one, never as a
// `char`: `String::push(char)` and char patterns each bring UTF-8 encoding
// code into the `.wasm` (-68 B gzip once none was left).
#![allow(clippy::single_char_add_str)]

/// The table of payment source types and their gateways.
pub use cl_gateways as gateways;

pub mod api;
pub mod error;
pub mod flow;
pub mod gateway;
pub mod json;
pub mod jsonapi;
pub mod request;
pub mod retry;
pub mod stripe;
pub mod text;
pub mod validate;

#[cfg(test)]
mod fixtures;

#[cfg(target_arch = "wasm32")]
mod browser;

/// A free-list allocator of ~1 KB instead of std's dlmalloc (~2 KB gzip
/// less): the module allocates little and briefly, per call.
// SAFETY: the module runs on one thread (no wasm threads are enabled), so
// nothing allocates concurrently.
#[cfg(all(target_arch = "wasm32", not(feature = "default-allocator")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
#[cfg(target_arch = "wasm32")]
pub use browser::Checkout;
