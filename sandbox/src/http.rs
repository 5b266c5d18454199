//! A small HTTP/1.1 server over std: one thread per connection, keep-alive,
//! Content-Length bodies only. Small enough to control byte by byte, which
//! the fault injection needs (cut-off bodies, dropped connections).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Request bodies past this size get 413 (the real API caps bodies too).
pub const MAX_BODY: usize = 1024 * 1024;
/// A request head is read at most this far before it is refused (431):
/// a head that never ends cannot grow the sandbox's memory.
pub const MAX_HEAD: usize = 32 * 1024;
/// Connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 256;
/// A kept-alive connection that sends nothing this long is closed; so is
/// one that stops mid-request.
const IDLE_TIMEOUT: Duration = Duration::from_secs(15);

pub struct Request {
    pub method: String,
    /// Percent-decoded path.
    pub path: String,
    /// Decoded `key=value` pairs of the query, in order.
    pub query: Vec<(String, String)>,
    /// The raw target, for the request log.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub peer: SocketAddr,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// What to do to the connection instead of answering normally.
    pub fault: Delivery,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Delivery {
    Normal,
    /// Close the connection without a byte of answer.
    Drop,
    /// Send only the status line, then close: the request was handled but
    /// its answer is lost. (With no byte at all, browsers silently re-send
    /// even a POST on a reused connection, which would hide the loss.)
    CutAfterStatus,
    /// Send the head with the full Content-Length, half the body, then close.
    Truncate,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            fault: Delivery::Normal,
        }
    }

    /// A plain JSON answer (the gateways' and Stripe's APIs, the control routes).
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(status, "application/json", value.to_string())
    }

    pub fn empty(status: u16) -> Response {
        Response { status, headers: Vec::new(), body: Vec::new(), fault: Delivery::Normal }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }
}

pub type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// Serves forever on `listener`, one thread per connection, at most
/// [`MAX_CONNECTIONS`] at once.
pub fn serve(listener: TcpListener, handler: Arc<Handler>) {
    let open = Arc::new(AtomicUsize::new(0));
    for mut stream in listener.incoming().flatten() {
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let busy = Response::new(503, "text/plain", "cl-sandbox: too many connections").header("Retry-After", "1");
            let _ = write_response(&mut stream, &busy, true);
            continue;
        }
        let handler = handler.clone();
        let open = open.clone();
        std::thread::spawn(move || {
            let _ = connection(stream, &*handler);
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

fn connection(stream: TcpStream, handler: &Handler) -> std::io::Result<()> {
    let peer = stream.peer_addr()?;
    // Answers go out at once: no Nagle delay waiting for the client's ACK.
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    stream.set_write_timeout(Some(IDLE_TIMEOUT))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader, peer) {
            Ok(Some(r)) => r,
            Ok(None) => return Ok(()),
            Err(status) => {
                let detail = match status {
                    413 => "The request body is larger than 1 MiB.",
                    431 => "The request head is larger than 32 KiB.",
                    _ => "The request could not be read as HTTP/1.1.",
                };
                let body = format!(
                    r#"{{"errors":[{{"title":"{}","detail":"{detail}","code":"BAD_REQUEST","status":"{status}"}}]}}"#,
                    reason(status)
                );
                let resp = Response::new(status, "application/vnd.api+json", body);
                write_response(&mut writer, &resp, true)?;
                return Ok(());
            }
        };
        let close = request.header("Connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let response = handler(&request);
        match response.fault {
            Delivery::Drop => return Ok(()),
            Delivery::CutAfterStatus => {
                writer.write_all(format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status)).as_bytes())?;
                return writer.flush();
            }
            Delivery::Truncate => {
                write_response(&mut writer, &response, true)?;
                return Ok(());
            }
            Delivery::Normal => write_response(&mut writer, &response, close)?,
        }
        if close {
            return Ok(());
        }
    }
}

/// `Ok(None)` on a clean end of the connection; `Err(status)` on garbage.
fn read_request(reader: &mut BufReader<TcpStream>, peer: SocketAddr) -> Result<Option<Request>, u16> {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        // Never buffer past the cap: a line without a newline stops there.
        let room = (MAX_HEAD + 1).saturating_sub(before) as u64;
        let n = reader.by_ref().take(room).read_until(b'\n', &mut head).map_err(|_| 400u16)?;
        if head.len() > MAX_HEAD {
            return Err(431);
        }
        if n == 0 {
            return if head.is_empty() { Ok(None) } else { Err(400) };
        }
        let line = &head[before..];
        if (line == b"\r\n" || line == b"\n") && before > 0 {
            break;
        }
        if before == 0 && (line == b"\r\n" || line == b"\n") {
            head.clear(); // tolerate a stray blank line between requests
        }
    }
    let head = String::from_utf8(head).map_err(|_| 400u16)?;
    let mut lines = head.lines();
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (method, target) = match (first.next(), first.next(), first.next()) {
        (Some(m), Some(t), Some(v)) if v.starts_with("HTTP/1.") => (m.to_string(), t.to_string()),
        _ => return Err(400),
    };
    let mut headers = Vec::new();
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let find = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v): &(String, String)| v.clone());
    if find("Transfer-Encoding").is_some() {
        return Err(411);
    }
    let length: usize = match find("Content-Length") {
        Some(v) => v.parse().map_err(|_| 400u16)?,
        None => 0,
    };
    if length > MAX_BODY {
        return Err(413); // the body is not read; the answer closes the connection
    }
    let mut body = Vec::new();
    if length > 0 {
        body.resize(length, 0);
        reader.read_exact(&mut body).map_err(|_| 400u16)?;
    }
    Ok(Some(build(method, &target, headers, body, peer)))
}

fn build(method: String, target: &str, headers: Vec<(String, String)>, body: Vec<u8>, peer: SocketAddr) -> Request {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query = pairs(query);
    Request { method, path: percent_decode(path), query, target: target.to_string(), headers, body, peer }
}

/// `k=v&k2=v2` (a query string or a form body) decoded as
/// `application/x-www-form-urlencoded`: `+` is a space, then percent-decoding
/// (so `%2B` stays a plus).
pub fn pairs(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| percent_decode(&s.replace('+', " "));
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn write_response(w: &mut TcpStream, resp: &Response, close: bool) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (k, v) in &resp.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let body: &[u8] = if resp.fault == Delivery::Truncate { &resp.body[..resp.body.len() / 2] } else { &resp.body };
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    w.write_all(&out)?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::pairs;

    #[test]
    fn form_pairs_decode_plus_as_space_and_keep_an_encoded_plus() {
        let got = pairs("name=Ada+Lovelace&email=a%2Bb%40x.io&flag&=v");
        let want = [("name", "Ada Lovelace"), ("email", "a+b@x.io"), ("flag", ""), ("", "v")];
        assert_eq!(got, want.map(|(k, v)| (k.to_string(), v.to_string())));
    }
}
