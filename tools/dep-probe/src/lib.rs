//! One async export that GETs an order and returns its status: the smallest
//! module doing what cl-checkout does per call. The baseline lets the
//! browser parse JSON (`Response.json()`) and reads the field with
//! `Reflect`; each feature swaps in the dependency it measures.

use wasm_bindgen::prelude::*;

#[global_allocator]
static ALLOC: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

#[cfg(any(feature = "serde_json", feature = "serde_wasm_bindgen", feature = "gloo_net_json"))]
#[derive(serde::Deserialize)]
struct Doc {
    data: Data,
}
#[cfg(any(feature = "serde_json", feature = "serde_wasm_bindgen", feature = "gloo_net_json"))]
#[derive(serde::Deserialize)]
struct Data {
    attributes: Attributes,
}
#[cfg(any(feature = "serde_json", feature = "serde_wasm_bindgen", feature = "gloo_net_json"))]
#[derive(serde::Deserialize)]
struct Attributes {
    status: String,
}

#[cfg(not(feature = "gloo_net"))]
async fn get(url: &str, token: &str) -> Result<web_sys::Response, JsValue> {
    use wasm_bindgen::JsCast;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    let request = web_sys::Request::new_with_str_and_init(url, &init)?;
    request.headers().set("Accept", "application/vnd.api+json")?;
    request.headers().set("Authorization", &format!("Bearer {token}"))?;
    let window = web_sys::window().ok_or("no window")?;
    wasm_bindgen_futures::JsFuture::from(window.fetch_with_request(&request)).await?.dyn_into()
}

#[cfg(not(any(feature = "serde_json", feature = "serde_wasm_bindgen", feature = "gloo_net")))]
#[wasm_bindgen(js_name = orderStatus)]
pub async fn order_status(url: String, token: String) -> Result<JsValue, JsValue> {
    let response = get(&url, &token).await?;
    let doc = wasm_bindgen_futures::JsFuture::from(response.json()?).await?;
    let data = js_sys::Reflect::get(&doc, &"data".into())?;
    let attributes = js_sys::Reflect::get(&data, &"attributes".into())?;
    js_sys::Reflect::get(&attributes, &"status".into())
}

#[cfg(feature = "serde_json")]
#[wasm_bindgen(js_name = orderStatus)]
pub async fn order_status(url: String, token: String) -> Result<JsValue, JsValue> {
    let response = get(&url, &token).await?;
    let text = wasm_bindgen_futures::JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    let doc: Doc = serde_json::from_str(&text).map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(doc.data.attributes.status.into())
}

#[cfg(feature = "serde_wasm_bindgen")]
#[wasm_bindgen(js_name = orderStatus)]
pub async fn order_status(url: String, token: String) -> Result<JsValue, JsValue> {
    let response = get(&url, &token).await?;
    let value = wasm_bindgen_futures::JsFuture::from(response.json()?).await?;
    let doc: Doc = serde_wasm_bindgen::from_value(value)?;
    Ok(doc.data.attributes.status.into())
}

#[cfg(all(feature = "gloo_net", not(feature = "gloo_net_json")))]
#[wasm_bindgen(js_name = orderStatus)]
pub async fn order_status(url: String, token: String) -> Result<JsValue, JsValue> {
    let response = gloo_net::http::Request::get(&url)
        .header("Accept", "application/vnd.api+json")
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    let text = response.text().await.map_err(|e| JsValue::from_str(&e.to_string()))?;
    let doc = js_sys::JSON::parse(&text)?;
    let data = js_sys::Reflect::get(&doc, &"data".into())?;
    let attributes = js_sys::Reflect::get(&data, &"attributes".into())?;
    js_sys::Reflect::get(&attributes, &"status".into())
}

#[cfg(feature = "gloo_net_json")]
#[wasm_bindgen(js_name = orderStatus)]
pub async fn order_status(url: String, token: String) -> Result<JsValue, JsValue> {
    let doc: Doc = gloo_net::http::Request::get(&url)
        .header("Accept", "application/vnd.api+json")
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?
        .json()
        .await
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(doc.data.attributes.status.into())
}
