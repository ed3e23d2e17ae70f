//! The document's examples (shared/seeds/cloudonex-api.txt), shared by the wire and sandbox
//! tests. The JSON texts are verbatim, whitespace included.
#![allow(dead_code)] // each test binary uses its own part

use cloudonex_client::NewCustomer;

/// "Response Format", lines 33-39 (line 36 is eight spaces).
pub const DOC_RESPONSE_FORMAT: &str = "{\n    \"success\": true,\n    \"data\": {\n        \n    },\n    \"message\": \"Optional status message\"\n}";
/// "Error Response Format", lines 43-49.
pub const DOC_ERROR_FORMAT: &str = "{\n    \"success\": false,\n    \"errors\": {\n        \"field_name\": \"Error description\"\n    },\n    \"message\": \"Error message\"\n}";
/// "Error Response Example", lines 192-198.
pub const DOC_ERROR_EXAMPLE: &str = "{\n    \"success\": false,\n    \"errors\": {\n        \"email\": \"Invalid email format\"\n    },\n    \"message\": \"Validation failed\"\n}";
/// The "Error Response Example" (lines 192-198) without its whitespace, as a server may send it.
pub const DOC_ERROR_EXAMPLE_COMPACT: &str =
    r#"{"success":false,"errors":{"email":"Invalid email format"},"message":"Validation failed"}"#;
/// "Creating Data", the body of `POST /api/v2/customers`, lines 93-97.
pub const DOC_CREATE_BODY: &str = "{\n    \"account\": \"John Doe\",\n    \"email\": \"john@example.com\",\n    \"phone\": \"1234567890\"\n}";
/// Lines 146-153, the create for Jane Doe: a PHP array in the document, here its closest JSON
/// (`json_encode`'s text).
pub const DOC_JANE_BODY: &str =
    r#"{"account":"Jane Doe","email":"jane@example.com","phone":"1234567890"}"#;

/// The customer of "Creating Data" (lines 93-97).
pub fn john_doe() -> NewCustomer {
    NewCustomer::new("John Doe")
        .email("john@example.com")
        .phone("1234567890")
}

/// The customer of the PHP create, lines 146-153.
pub fn jane_doe() -> NewCustomer {
    NewCustomer::new("Jane Doe")
        .email("jane@example.com")
        .phone("1234567890")
}
