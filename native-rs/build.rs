//! napi-rs's link settings for the addon (on Linux: keep the library loaded
//! until exit, `-z nodelete`, as Node never unloads it).
fn main() {
    if std::env::var_os("CARGO_FEATURE_ADDON").is_some() {
        napi_build::setup();
    }
}
