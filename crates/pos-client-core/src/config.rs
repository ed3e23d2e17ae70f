//! What every vendor client builder shares: reading settings from the environment
//! ([`Env`]), the transport settings ([`transport_settings!`](crate::transport_settings)) and
//! the accessors every client has ([`client_basics!`](crate::client_basics)).

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, VendorCode};

/// Reads client settings from environment variables, or from any lookup (a config system, a map
/// in tests). Values are trimmed; an empty value counts as unset.
pub struct Env<F> {
    lookup: F,
}

impl Env<fn(&str) -> Option<String>> {
    /// Reads the process environment.
    pub fn process() -> Self {
        Env {
            lookup: |name| std::env::var(name).ok(),
        }
    }
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    /// Reads through `lookup`.
    pub fn new(lookup: F) -> Self {
        Env { lookup }
    }

    /// The trimmed value of `name`, `None` when unset or blank.
    pub fn optional(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// The value of `name`, or a configuration error that names the variable and says what it
    /// must hold (`what`); the error never contains a value.
    pub fn required<C: VendorCode>(&self, name: &str, what: &str) -> Result<String, Error<C>> {
        self.optional(name).ok_or_else(|| {
            Error::config(format!("{name} is not set or empty; it must hold {what}"))
        })
    }

    /// Like [`required`](Self::required), as a secret.
    pub fn secret<C: VendorCode>(&self, name: &str, what: &str) -> Result<SecretString, Error<C>> {
        self.required(name, what).map(SecretString::from)
    }

    /// `name` as a secret when set.
    pub fn optional_secret(&self, name: &str) -> Option<SecretString> {
        self.optional(name).map(SecretString::from)
    }
}

/// Checks a credential given to a builder: set, not blank, and without a control character
/// (it reaches a header, a URL or a form, and a value read from a file often ends in a newline).
/// The errors name `what` and, when it is missing, `how_to_set`; never the value.
///
/// ```
/// use pos_client_core::{NoCode, config::credential, secrecy::SecretString};
/// let missing = credential::<NoCode>(None, "the API token", "call ClientBuilder::token");
/// assert_eq!(missing.unwrap_err().to_string(), "configuration error: the API token is required: call ClientBuilder::token");
/// let newline = credential::<NoCode>(Some(SecretString::from("t0k\n")), "the API token", "");
/// assert!(!newline.unwrap_err().to_string().contains("t0k"));
/// ```
pub fn credential<C: VendorCode>(
    value: Option<SecretString>,
    what: &str,
    how_to_set: &str,
) -> Result<SecretString, Error<C>> {
    let value = value.ok_or_else(|| missing(what, how_to_set))?;
    check_text(value.expose_secret(), what)?;
    Ok(value)
}

/// Like [`credential`], for a setting that is not secret but travels like one (a user name, a
/// licence name).
///
/// ```
/// use pos_client_core::{NoCode, config::setting};
/// let blank = setting::<NoCode>(Some(" ".into()), "the user name", "call ClientBuilder::user");
/// assert_eq!(blank.unwrap_err().to_string(), "configuration error: the user name is empty");
/// assert_eq!(setting::<NoCode>(Some("APITEST".into()), "the user name", "").unwrap(), "APITEST");
/// ```
pub fn setting<C: VendorCode>(
    value: Option<String>,
    what: &str,
    how_to_set: &str,
) -> Result<String, Error<C>> {
    let value = value.ok_or_else(|| missing(what, how_to_set))?;
    check_text(&value, what)?;
    Ok(value)
}

fn missing<C: VendorCode>(what: &str, how_to_set: &str) -> Error<C> {
    Error::config(format!("{what} is required: {how_to_set}"))
}

/// Not blank, and without a control character; the error never shows the text.
fn check_text<C: VendorCode>(text: &str, what: &str) -> Result<(), Error<C>> {
    if text.trim().is_empty() {
        return Err(Error::config(format!("{what} is empty")));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::config(format!(
            "{what} contains a control character (such as CR or LF)"
        )));
    }
    Ok(())
}

/// A vendor's `ClientBuilder`, seen through its transport settings (implemented by
/// [`transport_settings!`](crate::transport_settings)): lets code outside the vendor crate (the
/// sandbox kit's [`ExerciseSettings`](crate::sandbox::ExerciseSettings)) set them on any vendor's
/// builder.
pub trait TransportSettings: Sized {
    /// The builder with `f` applied to its transport settings.
    fn map_transport(
        self,
        f: impl FnOnce(crate::TransportBuilder) -> crate::TransportBuilder,
    ) -> Self;
}

/// Generates the transport settings of a vendor's `ClientBuilder`, written once for every
/// vendor: `base_url`, `timeout`, `connect_timeout`, `retry_policy`, `http_client`,
/// `allow_plain_http`, `max_in_flight` and `max_response_bytes`. The builder needs a field
/// `transport: pos_client_core::TransportBuilder`.
///
/// ```
/// use pos_client_core::TransportBuilder;
///
/// /// A vendor's builder.
/// pub struct ClientBuilder {
///     transport: TransportBuilder,
/// }
/// pos_client_core::transport_settings!(ClientBuilder);
///
/// let builder = ClientBuilder { transport: TransportBuilder::default() }
///     .base_url("https://example.com/api/")
///     .timeout(std::time::Duration::from_secs(10));
/// assert!(builder.transport.build().is_ok());
/// ```
#[macro_export]
macro_rules! transport_settings {
    ($builder:ty) => {
        impl $crate::config::TransportSettings for $builder {
            fn map_transport(
                mut self,
                f: impl FnOnce($crate::TransportBuilder) -> $crate::TransportBuilder,
            ) -> Self {
                self.transport = f(self.transport);
                self
            }
        }

        impl $builder {
            /// The base URL that operation paths are relative to (a missing trailing `/` is
            /// added).
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.transport = self.transport.base_url(url);
                self
            }

            /// Time allowed for one attempt, to the end of the response (default 30 s, at most
            /// 300 s).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.transport = self.transport.timeout(timeout);
                self
            }

            /// Time allowed to open a connection (default 5 s, at most 300 s).
            pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.transport = self.transport.connect_timeout(timeout);
                self
            }

            /// The retry policy (default: 3 attempts, jittered backoff). Reads are retried on
            /// timeouts, lost connections and 408/429/5xx; a write is never sent again once it
            /// may have reached the server.
            pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
                self.transport = self.transport.retry_policy(policy);
                self
            }

            /// Uses your own `reqwest::Client` (proxies, custom roots). Its redirect policy then
            /// applies.
            pub fn http_client(mut self, client: $crate::reqwest::Client) -> Self {
                self.transport = self.transport.http_client(client);
                self
            }

            /// Allows plain `http://` to a non-loopback host (off by default: credentials would
            /// cross the network in clear text).
            pub fn allow_plain_http(mut self, allow: bool) -> Self {
                self.transport = self.transport.allow_plain_http(allow);
                self
            }

            /// The most requests on the wire at once (default 64, 0: no limit); more calls wait
            /// for a slot, so a burst never opens more connections than this.
            pub fn max_in_flight(mut self, requests: usize) -> Self {
                self.transport = self.transport.max_in_flight(requests);
                self
            }

            /// The largest answer read, in bytes (default 32 MiB); a larger one is an error,
            /// never read whole.
            pub fn max_response_bytes(mut self, bytes: usize) -> Self {
                self.transport = self.transport.max_response_bytes(bytes);
                self
            }
        }
    };
}

/// Generates what every vendor's `Client` and `ClientBuilder` have in common, written once:
/// the [`transport_settings!`](crate::transport_settings) of the builder, its `Default` (its
/// `new()`) and `from_env()` (its `from_lookup` over the process environment), and the client's
/// `builder()`, `from_env()`, `base_url()` and `rate_limit()`.
///
/// The vendor writes `ClientBuilder::new()`, `ClientBuilder::from_lookup(lookup)` (which reads
/// its variables through `lookup` and names them in its docs), `ClientBuilder::build()`, and
/// names the path from `&Client` to its [`Pipeline`](crate::Pipeline):
///
/// ```ignore
/// pos_client_core::client_basics!(Client, ClientBuilder, Error, pipeline);
/// // or, when the pipeline sits in a shared inner struct:
/// pos_client_core::client_basics!(Client, ClientBuilder, Error, inner.pipeline);
/// ```
///
/// Every vendor crate of this workspace uses it; their tests cover what it generates.
#[macro_export]
macro_rules! client_basics {
    ($client:ident, $builder:ident, $error:ty, $($pipeline:ident).+) => {
        $crate::transport_settings!($builder);

        impl ::core::default::Default for $builder {
            fn default() -> Self {
                $builder::new()
            }
        }

        impl $builder {
            /// A builder configured from the process environment: the variables
            /// [`from_lookup`](Self::from_lookup) reads. A missing or empty required variable is
            /// a configuration error naming it (never its value).
            pub fn from_env() -> ::core::result::Result<Self, $error> {
                Self::from_lookup(|name| ::std::env::var(name).ok())
            }
        }

        impl $client {
            /// A builder (the same as `ClientBuilder::new()`).
            pub fn builder() -> $builder {
                $builder::new()
            }

            /// A client configured from the process environment (see
            /// `ClientBuilder::from_lookup` for the variables).
            pub fn from_env() -> ::core::result::Result<$client, $error> {
                $builder::from_env()?.build()
            }

            /// The base URL operation paths are relative to (always ending in `/`).
            pub fn base_url(&self) -> &str {
                self.$($pipeline).+.base_url().as_str()
            }

            /// The rate-limit values (`X-RateLimit-*`, `Retry-After`) of the last answer that
            /// carried any.
            pub fn rate_limit(&self) -> ::core::option::Option<$crate::RateLimitInfo> {
                self.$($pipeline).+.rate_limit()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::NoCode;

    #[test]
    fn env_names_the_missing_variable_and_never_a_value() {
        let env = Env::new(|name: &str| match name {
            "SET" => Some("  value ".to_owned()),
            "BLANK" => Some("   ".to_owned()),
            _ => None,
        });
        assert_eq!(env.optional("SET").as_deref(), Some("value"));
        assert_eq!(env.optional("BLANK"), None);
        let err = env
            .required::<NoCode>("BLANK", "the API token")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "configuration error: BLANK is not set or empty; it must hold the API token"
        );
        assert!(env.secret::<NoCode>("SET", "x").is_ok());
        assert!(env.optional_secret("MISSING").is_none());
    }
}
