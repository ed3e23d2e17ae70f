//! Customers: [`NewCustomer`] (`POST /customers`) and [`CustomerUpdate`] (`PUT /customers/{id}`).

use serde::Serialize;
use serde_json::{Map, Value};

use super::{check_extra, check_line, email_accepted};
use crate::error::Error;

/// Whether an optional text is absent or empty (then not sent).
fn none_or_empty(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(str::is_empty)
}

/// A new customer (`POST /customers`): `account` (required), `email`, `phone`, as in the
/// document's example, plus any extra fields you add.
///
/// ```
/// use cloudonex_client::NewCustomer;
/// let c = NewCustomer::new("John Doe").email("john@example.com").phone("1234567890");
/// assert_eq!(
///     serde_json::to_string(&c).unwrap(),
///     r#"{"account":"John Doe","email":"john@example.com","phone":"1234567890"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewCustomer {
    account: String,
    // An empty e-mail or phone is not sent: absent, a new customer has none under every reading,
    // while a server that checks the format of every `email` it is given refuses `""`.
    #[serde(skip_serializing_if = "none_or_empty")]
    email: Option<String>,
    #[serde(skip_serializing_if = "none_or_empty")]
    phone: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl NewCustomer {
    /// A customer with this account name.
    pub fn new(account: impl Into<String>) -> Self {
        NewCustomer {
            account: account.into(),
            email: None,
            phone: None,
            extra: Map::new(),
        }
    }

    /// The e-mail address (also the reference an outcome-unknown error names). `""` means no
    /// e-mail and is not sent (a new customer without the field has none). Otherwise it needs
    /// an `@` and a dot in the domain (`a@b` is refused).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The phone number. `""` means none and is not sent.
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// An undocumented field your server takes (`address`, `company` …), sent as given.
    /// The documented names are refused here: use their own setters.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    /// The account name.
    pub fn account_name(&self) -> &str {
        &self.account
    }

    /// What the caller can look the customer up by: the e-mail, else (none, or `""`) the
    /// account name.
    pub fn reference(&self) -> String {
        match &self.email {
            Some(email) if !email.is_empty() => email.clone(),
            _ => self.account.clone(),
        }
    }

    /// Checks the document's rules before sending: `account` not blank, `email` well-formed;
    /// and no control characters or line breaks in `account` and `phone` (one-line values the
    /// server stores), nor in extra field names.
    pub fn validate(&self) -> Result<(), Error> {
        if self.account.trim().is_empty() {
            return Err(Error::validation("account is required"));
        }
        check_line("account", &self.account)?;
        if let Some(email) = &self.email
            && !email_accepted(email)
        {
            return Err(Error::validation("email: invalid email format"));
        }
        if let Some(phone) = &self.phone {
            check_line("phone", phone)?;
        }
        check_extra(&self.extra, &["account", "email", "phone"])
    }
}

/// Changes to a customer (`PUT /customers/{id}`): only the fields you set are sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct CustomerUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

impl CustomerUpdate {
    /// An empty update.
    pub fn new() -> Self {
        CustomerUpdate::default()
    }
    /// A new account name.
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = Some(account.into());
        self
    }
    /// A new e-mail address; `""` clears it (sent as `"email": ""`).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }
    /// A new phone number.
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }
    /// An undocumented field, sent as given.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }
    /// Checks the rules before sending: something to change, `account` not blank, `email`
    /// well-formed, no control characters or line breaks in `account` and `phone`.
    pub fn validate(&self) -> Result<(), Error> {
        if self.account.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.extra.is_empty()
        {
            return Err(Error::validation("the update changes nothing"));
        }
        if let Some(account) = &self.account {
            if account.trim().is_empty() {
                return Err(Error::validation("account is required"));
            }
            check_line("account", account)?;
        }
        if let Some(email) = &self.email
            && !email_accepted(email)
        {
            return Err(Error::validation("email: invalid email format"));
        }
        if let Some(phone) = &self.phone {
            check_line("phone", phone)?;
        }
        check_extra(&self.extra, &["account", "email", "phone"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_rules() {
        assert!(NewCustomer::new(" ").validate().is_err());
        assert!(
            NewCustomer::new("A")
                .email("no-at.example.com")
                .validate()
                .is_err()
        );
        assert!(NewCustomer::new("A").email("a@b").validate().is_err());
        assert!(
            NewCustomer::new("A")
                .field("email", "x")
                .validate()
                .is_err()
        );
        assert!(NewCustomer::new("A").email("a@b.co").validate().is_ok());
        assert_eq!(NewCustomer::new("A").reference(), "A");
        // "" is no e-mail, not sent on a create; blanks are a mistake.
        let none = NewCustomer::new("A").email("").phone("");
        assert!(none.validate().is_ok());
        assert_eq!(none.reference(), "A");
        assert_eq!(serde_json::to_string(&none).unwrap(), r#"{"account":"A"}"#);
        // An update sends "" as given: it clears the field.
        assert_eq!(
            serde_json::to_string(&CustomerUpdate::new().email("").phone("")).unwrap(),
            r#"{"email":"","phone":""}"#
        );
        assert!(NewCustomer::new("A").email(" ").validate().is_err());
        assert!(CustomerUpdate::new().email("").validate().is_ok());
        assert!(
            CustomerUpdate::new()
                .email("a@localhost")
                .validate()
                .is_err()
        );
        assert!(CustomerUpdate::new().validate().is_err());
        assert!(CustomerUpdate::new().phone("1").validate().is_ok());
    }
}
