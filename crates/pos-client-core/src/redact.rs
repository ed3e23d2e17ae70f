//! Redaction of credentials in text and URLs that the client prints.

use url::Url;

/// The text put in place of a secret.
pub const REDACTED: &str = "***";

/// Replaces every occurrence of each non-empty secret in `text` with [`REDACTED`].
///
/// Servers sometimes echo a token back in an error body; bodies pass through this before they
/// are kept in an error.
pub fn redact_secrets(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        // A form-encoded or JSON-escaped echo of the secret is just as much a leak (PHP's
        // json_encode also escapes `/` as `\/`).
        let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json
            .get(1..json.len().saturating_sub(1))
            .unwrap_or_default();
        let php_json = json.replace('/', "\\/");
        let query = form.replace('+', "%20");
        for variant in [
            *secret,
            form.as_str(),
            query.as_str(),
            json,
            php_json.as_str(),
        ] {
            if !variant.is_empty() && out.contains(variant) {
                out = out.replace(variant, REDACTED);
            }
        }
    }
    out
}

/// Formats a URL for logs: scheme, host, port and path, with every query value replaced.
///
/// `https://cloudpos.be/api/?licname=x&token=y&get-products` becomes
/// `https://cloudpos.be/api/?licname=***&token=***&get-products`. User info is dropped.
pub fn redacted_url(url: &Url) -> String {
    let mut out = format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""));
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(url.path());
    if url.query().is_some() {
        let keys: Vec<String> = url
            .query_pairs()
            .map(|(k, v)| {
                if v.is_empty() {
                    k.into_owned()
                } else {
                    format!("{k}={REDACTED}")
                }
            })
            .collect();
        out.push('?');
        out.push_str(&keys.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_replaced_everywhere_they_appear() {
        let text = "bad token tok+en/1 (tok%2Ben%2F1) tok+en/1";
        let out = redact_secrets(text, &["tok+en/1", ""]);
        assert_eq!(out, "bad token *** (***) ***");
        // A space form-encoded (`+`) or as a query writes it (`%20`).
        let text = "pass=my+pw%2F1 pass=my%20pw%2F1";
        assert_eq!(redact_secrets(text, &["my pw/1"]), "pass=*** pass=***");
    }

    #[test]
    fn json_escaped_echoes_are_replaced() {
        let secret = r#"a/b"c\d"#;
        let text = r#"{"m":"a/b\"c\\d","php":"a\/b\"c\\d"}"#;
        assert_eq!(
            redact_secrets(text, &[secret]),
            r#"{"m":"***","php":"***"}"#
        );
    }

    #[test]
    fn url_query_values_are_hidden_and_flags_kept() {
        let url =
            Url::parse("https://u:p@cloudpos.be:8443/api/?licname=shop&token=SECRET&get-products")
                .unwrap();
        let out = redacted_url(&url);
        assert_eq!(
            out,
            "https://cloudpos.be:8443/api/?licname=***&token=***&get-products"
        );
        assert!(!out.contains("SECRET"));
        assert!(!out.contains("u:p"));
    }
}
