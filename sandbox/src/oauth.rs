//! `POST /oauth/token`: `client_credentials`, `password` and `refresh_token`
//! grants. Tokens are JWT-shaped (the official SDK reads their claims) and
//! expire after the configured lifetime.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::api::error;
use crate::http::{percent_decode, Request, Response};
use crate::store::{
    unix_now, Store, TokenInfo, CLIENT_ID, CONNECT_MARKET_ID, CUSTOMER, MARKET_ID, ORGANIZATION, SECOND_CUSTOMER,
};

fn base64url(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn body_params(req: &Request) -> Value {
    if let Ok(v @ Value::Object(_)) = serde_json::from_slice::<Value>(&req.body) {
        return v;
    }
    let text = String::from_utf8_lossy(&req.body);
    let map = text
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (percent_decode(k), Value::String(percent_decode(v))))
        .collect();
    Value::Object(map)
}

fn auth_error(status: u16, code: &str, detail: &str) -> Response {
    error(status, code, code, detail, None, None)
}

pub fn token(store: &mut Store, req: &Request) -> Response {
    let p = body_params(req);
    let text = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    if text("client_id") != CLIENT_ID {
        return auth_error(401, "invalid_client", "Client authentication failed: unknown client_id.");
    }
    let customer = match text("grant_type").as_str() {
        "client_credentials" => None,
        "password" => {
            let found = [CUSTOMER, SECOND_CUSTOMER]
                .into_iter()
                .find(|(_, email, pw)| *email == text("username") && *pw == text("password"));
            match found {
                Some((id, _, _)) => Some(id.to_string()),
                None => {
                    return auth_error(
                        401,
                        "invalid_grant",
                        "The provided authorization grant is invalid (wrong email or password).",
                    )
                }
            }
        }
        "refresh_token" => match store.refresh_tokens.get(&text("refresh_token")) {
            Some(c) => Some(c.clone()),
            None => return auth_error(401, "invalid_grant", "The refresh token is invalid."),
        },
        "" => return auth_error(400, "invalid_request", "grant_type is missing."),
        _ => return auth_error(400, "unsupported_grant_type", "The authorization grant type is not supported."),
    };
    let scope = text("scope");
    let scope = if scope.is_empty() { format!("market:id:{MARKET_ID}") } else { scope };
    let market = match scope.as_str() {
        s if s == format!("market:id:{MARKET_ID}") || s == "market:code:EU" => MARKET_ID,
        s if s == format!("market:id:{CONNECT_MARKET_ID}") || s == "market:code:CONNECT" => CONNECT_MARKET_ID,
        _ => return auth_error(400, "invalid_scope", "The requested scope is invalid: use a sandbox market's scope."),
    };
    Response::json(200, &issue(store, customer, market, &scope))
}

/// A token for `customer` (or a guest) in `market`, as `/oauth/token`
/// answers it; `POST /sandbox/tokens` uses it for customers made by tests.
pub fn issue(store: &mut Store, customer: Option<String>, market: &str, scope: &str) -> Value {
    let ttl = store.config.token_ttl_secs;
    let now = unix_now();
    let mut claims = json!({
        "organization": {"id": "OrgSandbx1", "slug": ORGANIZATION, "enterprise": false, "region": "local"},
        "application": {"id": "AppSandbx1", "client_id": CLIENT_ID, "kind": "sales_channel", "public": true},
        "market": {"id": [market], "stock_location_ids": [], "geocoder_id": null, "allows_external_prices": false},
        "scope": scope, "exp": now + ttl, "test": true, "rand": store.random() % 1_000_000, "iat": now,
        "iss": "https://auth.commercelayer.io",
    });
    if let Some(c) = &customer {
        claims["owner"] = json!({"id": c, "type": "Customer"});
    }
    let signature = store.random_chars(43);
    let access_token =
        format!("{}.{}.{}", base64url(br#"{"alg":"HS512","typ":"JWT"}"#), base64url(claims.to_string().as_bytes()), signature);
    store.tokens.insert(
        access_token.clone(),
        TokenInfo {
            customer: customer.clone(),
            market: market.to_string(),
            expires_at: Instant::now() + Duration::from_secs(ttl),
        },
    );
    let mut body =
        json!({"access_token": access_token, "token_type": "bearer", "expires_in": ttl, "scope": scope, "created_at": now});
    if let Some(c) = customer {
        let refresh = format!("rt_{}", store.random_chars(32));
        store.refresh_tokens.insert(refresh.clone(), c.clone());
        body["refresh_token"] = json!(refresh);
        body["owner_id"] = json!(c);
        body["owner_type"] = json!("customer");
    }
    body
}

#[cfg(test)]
mod tests {
    use super::base64url;

    #[test]
    fn base64url_without_padding() {
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }
}
